"""Rumour features: one tagged report to a row of interpretable numbers.

This module needs only numpy and the tagging layer, so scoring with a trained model imports
neither scikit-learn nor pandas. :data:`FEATURES` is the one table of features: each row has
its name, a plain-English label, the explanation group it belongs to and the sign its weight
is allowed to take (the domain knowledge the model must respect: a later deal stage never
lowers a score, a denial or a hedge never raises one, a more reliable source never lowers one).

The source enters as its *reliability*: the log-odds of its published hit rate (or of its tier's
prior when no rate is published) against an unnamed source. It enters twice, once on its own
and once for reports whose deal has not reached an agreed fee (``source_early``), so that the
source matters most where the text is weakest; the model fitter ties that interaction to the
fee-agreed step of the stage ladder so that reaching an agreement never lowers a score.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from ._lexicons import normalise_term, sources, term_lexicon
from ._report import Report
from ._scan import TermHit
from ._tagger import Money, Tag, term_hits
from ._text import mask_names

__all__ = ["FEATURES", "FEATURE_NAMES", "NEGATION", "TIER_PRIOR", "Feature", "denied_report_spans", "feature_matrix",
           "inside", "negated_before", "past_spans", "row_features", "source_prior", "to_eur",
           "word_terms"]  # fmt: skip

#: Prior hit rate of a source by reliability tier, used when no hit rate is published for it.
#: Anchored on the published figures in SOURCES.md: broadsheets ~0.30-0.39, tabloids
#: ~0.20-0.24, gossip columns ~0.22-0.33; tier-1 journalists are right far more often.
TIER_PRIOR = {1: 0.60, 2: 0.45, 3: 0.33, 4: 0.26, 5: 0.20}
#: Hit rate assumed for a report whose source is unknown or not named (the reference source).
UNKNOWN_SOURCE_PRIOR = 0.25
#: Reliability of the most reliable possible source (tier 1), in log-odds against an unnamed one.
MAX_RELIABILITY = math.log(TIER_PRIOR[1] / (1 - TIER_PRIOR[1])) - math.log(
    UNKNOWN_SOURCE_PRIOR / (1 - UNKNOWN_SOURCE_PRIOR)
)
#: The stage from which a deal counts as agreed (a fee agreed): from here the text, not the
#: source, carries the evidence.
AGREED_STAGE = 6
#: The steps of the deal ladder (stage levels of ``stages.csv``): one feature "stage >= k" each.
STAGE_STEPS = (2, 3, 4, 5, 6, 7, 8, 9, 10)
#: Currency conversion to euros for fee/wage features (rough long-run averages).
TO_EUR = {"EUR": 1.0, "GBP": 1.15, "USD": 0.92}
#: Money features are log10(euros) minus this (a fee of ten million euros enters as 0).
LOG_EUR_CENTRE = 7.0
#: Ordinary ages: a stated age inside this range is no evidence (the age features are 0).
ORDINARY_AGES = (21, 30)
#: Counts (hedges, clubs) are capped here: the fifth hedge says no more than the third.
MAX_COUNT = 3.0
#: Contract years left and lengths are clipped to this range.
MAX_YEARS = 5.0
#: Words that negate a stage or denial when they stand shortly before it: at most two words between
#: them, then at most two auxiliaries ("not agreed", "no fee agreed", "no fee has been agreed", "unable
#: to agree", "still to agree"). "Not only", "no doubt / question / secret / surprise / wonder" and "no
#: problems / issues / obstacles with" affirm what follows: they negate nothing.
NEGATION = re.compile(
    r"(?:\b(?:not(?!\W+only\b)|cannot|no(?!\W+(?:doubt|question|secret|surprise|wonder|problems?|issues?|obstacles?"
    r"|hitch(?:es)?|concerns?|worries)\b)|nothing|never|without"
    r"|nor|yet to|still to|unable to|struggl(?:e|es|ed|ing) to|far from|denied|deny|denies|rule out|ruled out"
    r"|failed to)|n['\u2019]t)"  # ("n't": "hasn't")
    r"\W+(?:\w+\W+){0,2}(?:(?:has|have|had|is|are|was|were|be|been|being)\W+){0,2}$",
    re.I,
)
#: What stands between a denial and a stage that names its cause, not a stage reached: "talks broke
#: down over personal terms", "the move collapsed due to the medical".
DENIAL_CAUSE = re.compile(
    r"\s{1,3}(?:over|on|because\s{1,3}of|due\s{1,3}to)\s{1,3}(?:(?:the|a|an|his|their|its)\s{1,3})?", re.IGNORECASE
)
#: Words that name a report of a move (what a denial calls untrue): "denied *reports* that", "*claims*
#: ... are false". ("talks" is a deal stage, not a report.)
_REPORT_NOUNS = r"(?:reports?|claims?|suggestions?|rumou?rs?|speculation|stor(?:y|ies))"
#: What a denial verb denies, right after it: a report ("denied reports", "no truth in the claims",
#: "dismissed suggestions") or a that-clause ("denied that a fee has been agreed").
DENIED_OBJECT = re.compile(
    r"\s{1,3}(?:(?:in|about|of|to)\s{1,3})?(?:(?:the|those|these|any|recent|latest|media|press|such)\s{1,3}){0,2}"
    + _REPORT_NOUNS + r"\b|\s{1,3}that\b",
    re.IGNORECASE,
)
#: Denials that deny a report or a that-clause named right after them (:data:`DENIED_OBJECT`); a
#: denial term that ends with the report ("denied claims") denies what follows it too.
REPORT_DENIERS = frozenset({
    "denied", "deny", "denies", "denying", "dismissed", "dismisses", "no truth", "rubbished", "rubbishes",
    "played down", "plays down", "playing down", "laughed off", "laughs off", "no substance", "rejected claims",
    "denied claims", "dismissed claims",
})  # fmt: skip
#: Denials that call a report untrue; after a copula (:data:`COPULA_BEFORE`, or one in the term: "are
#: false") they are its predicate. ("Was rejected" is no such verdict: a bid was turned down.)
REPORT_VERDICTS = frozenset({
    "untrue", "not true", "is false", "are false", "was false", "were false", "baseless", "unfounded",
    "without foundation", "fabricated", "inaccurate", "incorrect", "nonsense", "is rubbish", "are rubbish",
    "wide of the mark", "fake news",
})  # fmt: skip
#: A copula right before a verdict of :data:`REPORT_VERDICTS` makes it a report's predicate ("reports ...
#: are untrue", "claims ... are wide of the mark"): the deal stages between the report and the denial
#: were not reached.
COPULA_BEFORE = re.compile(
    r"\b(?:are|is|was|were|been|be)\s{1,3}(?:(?:completely|totally|simply|entirely|wholly|absolutely|all|just"
    r"|pure|utter)\s{1,3})?$",
    re.IGNORECASE,
)
#: A report noun: where the reported claim a copula denial calls untrue begins.
REPORT_CUE = re.compile(r"\b" + _REPORT_NOUNS + r"\b", re.IGNORECASE)
#: Where a denial's reach ends: the end of its sentence or clause, or a contrast ("but", "however").
SCOPE_END = re.compile(r"[.!?;](?:\s|$)|\b(?:but|however|although|though|whereas|yet)\b", re.IGNORECASE)
#: How far before a denial (characters) :data:`COPULA_BEFORE` is looked for.
COPULA_WINDOW = 30
#: A denial term that opens with its copula ("are false") is a report's predicate by itself.
_COPULAS = ("is ", "are ", "was ", "were ")
#: A time before the window a report speaks of: a deal stage in its clause is a background fact, not
#: this move's progress ("who signed for Liverpool in 2021", "made a bid last summer"). A year counts
#: only before the report's own year; "last week" and "this summer" are the report's window.
PAST_TIME = re.compile(
    r"\b(?:last\s{1,3}(?:summer|season|year|january|window|winter|campaign)(?:['\u2019]s)?(?!\s{1,3}of\b)"
    r"|(?:\d{1,2}|a|one|two|three|four|five|six|several|few)\s{1,3}(?:years?|months?|seasons?)\s{1,3}ago"
    r"|(?:in|during|of)\s{1,3}(?:(?:the\s{1,3})?(?:summer|january|winter)\s{1,3}(?:of\s{1,3})?)?(?P<year>(?:19|20)\d\d))\b",
    re.IGNORECASE,
)
#: Where the clause of a past time starts: a sentence, a contrast, a relative clause (", who"), or a
#: subordinate clause of time ("after last summer's collapsed deal").
PAST_CLAUSE_START = re.compile(
    r"[.!?;](?:\s|$)|,\s{0,3}(?:who|which|having)\b|\b(?:but|however|although|though|whereas|yet|after|following"
    r"|since|when|before|while)\b",
    re.IGNORECASE,
)
#: Where it ends: a sentence, a contrast, or a new verb of the main clause ("and are now ..."); a
#: relative clause also ends at its closing comma.
PAST_CLAUSE_END = re.compile(
    r"[.!?;](?:\s|$)|\b(?:but|however|although|though|whereas|yet)\b"
    r"|\band\s{1,3}(?:now|are|have|has|will|could|may|might|want|wants|remain|remains|is)\b",
    re.IGNORECASE,
)
#: How far before a tag (characters) :data:`NEGATION` is looked for.
NEGATION_WINDOW = 30
#: A refusal before a renewal term ("rejected a new contract", "will not sign an extension"): the
#: player is not renewing, so the term is no renewal signal (looked for in the NEGATION_WINDOW).
REFUSAL = re.compile(
    r"\b(?:reject\w*|refus\w*|turn\w*\s{1,3}down|snub\w*|will\s{1,3}not|won['\u2019]t|not\s{1,3}going\s{1,3}to|"
    r"no\s{1,3}intention|yet\s{1,3}to|has\s{1,3}not|hasn['\u2019]t)\W+(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Feature:
    """One interpretable feature: its name, label, explanation group and allowed weight sign."""

    name: str
    label: str
    group: str
    sign: int  # +1: weight >= 0, -1: weight <= 0, 0: free


_S, _H, _D, _N, _C, _P, _O = "source", "hedging", "deal stage", "denials", "contract and fee", "the player", "other"
#: The feature table (order = column order of the feature matrix).
FEATURES = (
    Feature("source_reliability", "source's published/tier hit rate", _S, +1),
    Feature("source_early", "source, while no fee is agreed", _S, +1),
    Feature("source_anonymous", "anonymous attribution ('reports suggest')", _S, 0),
    Feature("hedge_max", "strongest hedge", _H, -1),
    Feature("hedge_count", "number of hedges", _H, -1),
    Feature("stage_any", "a deal stage is mentioned", _D, 0),
    *(Feature(f"stage_ge{k}", f"deal stage reached {k} or later", _D, +1) for k in STAGE_STEPS),
    Feature("stage_negated", "a negated stage ('no talks')", _D, -1),
    Feature("denial_max", "strongest denial", _N, -1),
    Feature("denial_after_stage", "a denial after the last stage", _N, -1),
    Feature("has_fee", "a fee is stated", _C, 0),
    Feature("fee_size", "fee size (log10 euros - 7)", _C, 0),
    Feature("has_valuation", "a valuation is stated", _C, 0),
    Feature("has_wage", "wages are stated", _C, 0),
    Feature("loan", "a loan", _C, 0),
    Feature("loan_option", "loan with option to buy", _C, 0),
    Feature("loan_obligation", "loan with obligation to buy", _C, 0),
    Feature("add_ons", "add-ons", _C, 0),
    Feature("release_clause", "release clause", _C, 0),
    Feature("contract_length", "contract length offered (years)", _C, 0),
    Feature("contract_years_left", "years left on the current contract", _C, 0),
    Feature("free_agent", "free transfer / expiring contract", _C, 0),
    Feature("renewal", "contract renewal talk", _C, 0),
    Feature("age_over_30", f"years over {ORDINARY_AGES[1]}", _P, 0),
    Feature("age_under_21", f"years under {ORDINARY_AGES[0]}", _P, 0),
    Feature("return", "a return to a former club", _P, 0),
    Feature("red_flags", "red-flag phrases", _O, -1),
    Feature("competition", "rival suitors mentioned", _O, 0),
    Feature("n_clubs", "clubs named", _O, 0),
    Feature("question", "a question mark", _O, -1),
)
FEATURE_NAMES = tuple(f.name for f in FEATURES)
_COLUMN = {name: i for i, name in enumerate(FEATURE_NAMES)}
#: Kinds of ``signals.csv`` and the feature each one adds its weight to (the ``coach`` and
#: ``player`` kinds add no weight: they decide whom a stated age belongs to).
SIGNAL_FEATURES = {"red_flag": "red_flags", "competition": "competition", "free_agent": "free_agent",
                   "renewal": "renewal", "return": "return"}  # fmt: skip


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def source_prior(name: str | None) -> float:
    """Hit rate of a canonical source: its published rate, else its tier's prior, else the unknown prior."""
    info = sources().get(name) if name else None
    if info is None:
        return UNKNOWN_SOURCE_PRIOR
    return info.hit_rate if info.hit_rate is not None else TIER_PRIOR.get(info.tier, UNKNOWN_SOURCE_PRIOR)


def to_eur(money: Money) -> float:
    """An amount in euros (rough conversion with :data:`TO_EUR`)."""
    return money.amount * TO_EUR.get(money.currency, 1.0)


def negated_before(text: str, start: int, since: int = 0) -> bool:
    """A negation in the :data:`NEGATION_WINDOW` before ``start`` (and not before ``since``)."""
    return NEGATION.search(text, max(0, since, start - NEGATION_WINDOW), start) is not None


def past_spans(text: str, year: int | None, cued: bool | None = None) -> list[tuple[int, int]]:
    """Clauses of ``text`` set in the past (:data:`PAST_TIME`): the deal stages in them are background.

    A year counts only when it is before ``year`` (the report's; no year: a year never counts).
    Each clause runs from :data:`PAST_CLAUSE_START` to :data:`PAST_CLAUSE_END` (or a relative
    clause's closing comma, not "the last year *of* his contract"). ``cued``: whether the text
    holds a "past" term of ``signals.csv`` ("last summer", "years ago"), when the caller has its
    signal terms; None: looked up. Without one, and without a year, the text is not searched.

    Examples
    --------
    >>> text = "Napoli, who signed Lecomte last summer, are in talks for Rice."
    >>> [text[start:end] for start, end in past_spans(text, 2024)]
    [' signed Lecomte last summer']
    """
    spans: list[tuple[int, int]] = []
    if cued is None:
        cued = any(hit.value[0] == "past" for hit in term_hits(text)[1])
    if not cued and (year is None or not _year_before(text, year)):
        return spans  # (most texts name no time at all)
    for m in PAST_TIME.finditer(text):
        found = m.group("year")
        if found is not None and (year is None or int(found) >= year):
            continue
        start, relative = 0, False
        for boundary in PAST_CLAUSE_START.finditer(text, 0, m.start()):
            start, relative = boundary.end(), boundary.group().startswith(",")
        end = PAST_CLAUSE_END.search(text, m.end())
        stop = end.start() if end else len(text)
        if relative and (comma := text.find(",", m.end(), stop)) >= 0:
            stop = comma
        spans.append((start, stop))
    return spans


def _year_before(text: str, year: int) -> bool:
    """Whether ``text`` names a year (19xx or 20xx after a space) before ``year``: the other cue of
    :data:`PAST_TIME` ("past" terms of ``signals.csv`` are the first). ``str.find``: a regular
    expression took microseconds a text."""
    for prefix in (" 19", " 20"):
        at = text.find(prefix)
        while at >= 0:
            digits = text[at + 1 : at + 5]
            if digits.isdigit() and len(digits) == 4 and not text[at + 5 : at + 6].isdigit() and int(digits) < year:
                return True
            at = text.find(prefix, at + 3)
    return False


def denied_report_spans(text: str, tags: Sequence[Tag]) -> list[tuple[int, int]]:
    """Stretches of ``text`` that a standing denial calls untrue: the deal stages in them were not reached.

    Two shapes, each within one sentence or clause (:data:`SCOPE_END`):

    * a denial verb of :data:`REPORT_DENIERS` followed by the report or that-clause it denies
      (:data:`DENIED_OBJECT`): from the denial to the end of its clause ("Arsenal have *denied
      reports that they have agreed a fee*", "there is no truth in claims he has signed");
    * a report noun (:data:`REPORT_CUE`) whose predicate is a verdict of :data:`REPORT_VERDICTS`
      after a copula ("are untrue", "are false"): from the report noun to the verdict ("*Reports that Arsenal have
      signed him* are untrue").

    A negated denial ("did not deny reports that") denies nothing. Empty unless ``tags`` has a denial.

    Examples
    --------
    >>> from rumourscore import tag
    >>> text = "Reports that Arsenal have signed Rice are untrue."
    >>> [text[start:end] for start, end in denied_report_spans(text, tag(text))]
    [' that Arsenal have signed Rice are ']
    """
    spans: list[tuple[int, int]] = []
    for t in tags:
        if t.kind != "denial" or negated_before(text, t.start):
            continue
        denier = normalise_term(t.text)
        if denier in REPORT_DENIERS and (denier.endswith("claims") or DENIED_OBJECT.match(text, t.end)):
            end = SCOPE_END.search(text, t.end)
            spans.append((t.end, end.start() if end else len(text)))
        elif denier in REPORT_VERDICTS and (
            denier.startswith(_COPULAS) or COPULA_BEFORE.search(text, max(0, t.start - COPULA_WINDOW), t.start)
        ):
            clause = 0
            for boundary in SCOPE_END.finditer(text, 0, t.start):
                clause = boundary.end()
            cue = REPORT_CUE.search(text, clause, t.start)
            if cue is not None:
                spans.append((cue.end(), t.start))
    return spans


@cache
def _denial_weights() -> dict[str, float]:
    return {normalise_term(r.term): float(r.value) for r in term_lexicon("denials.csv")}


def _log_eur(money: Money) -> float:
    return math.log10(1.0 + to_eur(money)) - LOG_EUR_CENTRE


def row_features(report: Report) -> np.ndarray:
    """Features of one tagged report: a row of :data:`FEATURE_NAMES` (one row of :func:`feature_matrix`)."""
    return feature_matrix([report])[0]


def _terms(report: Report) -> tuple[tuple[TermHit, ...] | list[TermHit], tuple[TermHit, ...] | list[TermHit]]:
    """Club and signal hits of a report: found with its tags, or looked up now when its tags were given."""
    if report.clubs is not None and report.signals is not None:
        return report.clubs, report.signals
    return term_hits(report.text)


@cache
def _reliability(source: str | None) -> float:
    return _logit(source_prior(source)) - _logit(UNKNOWN_SOURCE_PRIOR)


# Column numbers of the bulk feature builder.
(_HEDGE_MAX, _HEDGE_COUNT, _STAGE_NEGATED, _DENIAL_MAX, _HAS_FEE, _FEE_SIZE, _HAS_VALUATION, _HAS_WAGE, _LOAN,
 _LOAN_OPTION, _LOAN_OBLIGATION, _ADD_ONS, _RELEASE, LENGTH, _YEARS_LEFT, _AGE_OVER, _AGE_UNDER, _N_CLUBS) = (
    _COLUMN[name] for name in ("hedge_max", "hedge_count", "stage_negated", "denial_max", "has_fee", "fee_size",
    "has_valuation", "has_wage", "loan", "loan_option", "loan_obligation", "add_ons", "release_clause",
    "contract_length", "contract_years_left", "age_over_30", "age_under_21", "n_clubs"))  # fmt: skip
_FLAGS = {"valuation": _HAS_VALUATION, "wage": _HAS_WAGE, "add_ons": _ADD_ONS, "release_clause": _RELEASE}
_SIGNAL_COLUMNS = {kind: _COLUMN[name] for kind, name in SIGNAL_FEATURES.items()}
_RENEWAL = _COLUMN["renewal"]


def _add_signals(row: list[float], signals: tuple[TermHit, ...] | list[TermHit], text: str) -> bool:
    """Signal terms into ``row``; returns whether the text is about a contract renewal.

    A renewal term after a refusal (:data:`REFUSAL`) does not count: the player is not renewing.

    A coach's age ("the 61-year-old manager") says nothing about a transfer, so the age
    columns are zeroed when a ``coach`` term is present and no ``player`` term (striker,
    midfielder, ...) could be the one the age belongs to.
    """
    coach = player = False
    lowered = ""  # (signal offsets index the lower-case text; lowered once, on the first renewal term)
    for hit in signals:
        kind, weight = hit.value
        if kind == "coach":
            coach = True
        elif kind == "player":
            player = True
        elif kind == "past":  # (a cue of past_spans, no weight)
            continue
        elif kind == "renewal":
            lowered = lowered or text.lower()
            if not REFUSAL.search(lowered, max(0, hit.start - NEGATION_WINDOW), hit.start):
                row[_RENEWAL] += weight
        else:
            row[_SIGNAL_COLUMNS[kind]] += weight
    if coach and not player:
        row[_AGE_OVER] = row[_AGE_UNDER] = 0.0
    return row[_RENEWAL] > 0.0


def inside(spans: Sequence[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` lies in one of ``spans`` (``(start, end)`` pairs, end excluded)."""
    return any(start <= position < end for start, end in spans)


def _tag_columns(row: list[float], report: Report, signals: Sequence[TermHit]) -> tuple[int, bool]:
    """The tag features of one report into ``row`` (a list); returns (top stage, denial after the last stage)."""
    text, year = report.text, report.date.year if report.date is not None else None
    top, last_stage, last_denial, hedges, fee = 0, -1, -1, 0, None
    cleared = 0  # end of the last denial that is itself negated ("did not deny"): it negates nothing after it
    denial_end = -1  # end of the last denial that stands (a stage right after it may be its cause)
    reached: list[tuple[int, int]] = []  # (start, stage) of the stages reached, as far as the loop can tell
    for t in report.tags:
        k = t.kind
        if k == "hedge":
            hedges += 1
            row[_HEDGE_MAX] = max(row[_HEDGE_MAX], float(t.value))
        elif k == "stage":
            if negated_before(text, t.start, cleared) or (
                denial_end >= 0 and DENIAL_CAUSE.fullmatch(text, denial_end, t.start)
            ):
                row[_STAGE_NEGATED] = 1.0
            else:
                reached.append((t.start, int(t.value)))
                top, last_stage = max(top, int(t.value)), t.start
        elif k == "denial":
            if negated_before(text, t.start, cleared):
                cleared = t.end
            else:
                row[_DENIAL_MAX] = max(row[_DENIAL_MAX], _denial_weights().get(normalise_term(t.text), 0.5))
                last_denial, denial_end = t.start, t.end
        elif k == "fee" and isinstance(t.value, Money):
            size = _log_eur(t.value)
            fee = size if fee is None else max(fee, size)
        elif k in _FLAGS:
            row[_FLAGS[k]] = 1.0
        elif k == "loan":
            row[_LOAN] = 1.0
            row[_LOAN_OPTION] = max(row[_LOAN_OPTION], float(t.value == "option"))
            row[_LOAN_OBLIGATION] = max(row[_LOAN_OBLIGATION], float(t.value == "obligation"))
        elif k == "contract_length":
            row[LENGTH] = min(max(row[LENGTH], float(t.value)), MAX_YEARS)
        elif k == "contract_expiry" and year is not None:
            row[_YEARS_LEFT] = min(max(float(t.value - year), 0.0), MAX_YEARS)
        elif k == "contract_left":
            row[_YEARS_LEFT] = min(max(float(t.value), 0.0), MAX_YEARS)
        elif k == "age":
            row[_AGE_OVER] = max(0.0, float(t.value) - ORDINARY_AGES[1])
            row[_AGE_UNDER] = max(0.0, ORDINARY_AGES[0] - float(t.value))
    if fee is not None:
        row[_HAS_FEE], row[_FEE_SIZE] = 1.0, fee
    row[_HEDGE_COUNT] = min(float(hedges), MAX_COUNT)
    if reached:  # a stage set in the past is background; one in a report a denial calls untrue is not reached
        past = past_spans(text, year, bool(signals) and any(hit.value[0] == "past" for hit in signals))
        denied = denied_report_spans(text, report.tags) if last_denial >= 0 else []
        if past or denied:
            if any(inside(denied, start) and not inside(past, start) for start, _ in reached):
                row[_STAGE_NEGATED] = 1.0
            reached = [(at, stage) for at, stage in reached if not inside(past, at) and not inside(denied, at)]
            top = max((stage for _, stage in reached), default=0)
            last_stage = max((start for start, _ in reached), default=-1)
    return top, last_denial > last_stage >= 0 or (last_denial >= 0 and top == 0)


def feature_matrix(reports: list[Report]) -> np.ndarray:
    """Features of many reports: an ``(n, len(FEATURE_NAMES))`` array, one row per report (:func:`row_features`).

    Tags, clubs and signal terms are read report by report into plain lists; the stage steps,
    the source columns and the question mark are then set for all rows at once.
    """
    width, rows = len(FEATURES), []
    top = np.zeros(len(reports))
    after = np.zeros(len(reports), dtype=bool)
    for i, report in enumerate(reports):
        row = [0.0] * width
        clubs, signals = _terms(report)
        top[i], after[i] = _tag_columns(row, report, signals)
        if _add_signals(row, signals, report.text):  # a renewal ("has signed a new deal", "extension talks"):
            top[i] = 0  # the player stays; its deal stages are the renewal's and do not count as a move's
        row[_N_CLUBS] = min(float(len({h.value.club for h in clubs if not h.value.needs_cue})), MAX_COUNT)
        rows.append(row)
    out = np.array(rows, dtype=float).reshape(len(reports), width)
    reliability = np.array([_reliability(r.source) for r in reports], dtype=float)
    out[:, _COLUMN["source_reliability"]] = reliability
    out[:, _COLUMN["source_early"]] = np.where(top < AGREED_STAGE, reliability, 0.0)
    out[:, _COLUMN["source_anonymous"]] = [float(r.anonymous) for r in reports]
    out[:, _COLUMN["stage_any"]] = top > 0
    out[:, [_COLUMN[f"stage_ge{k}"] for k in STAGE_STEPS]] = top[:, None] >= np.array(STAGE_STEPS)
    out[:, _COLUMN["denial_after_stage"]] = after
    out[:, _COLUMN["question"]] = ["?" in r.text for r in reports]
    return out


#: Word tokens of the wording channel: runs of two or more ASCII letters (digits, ages and
#: amounts are read by the tagger, not as words).
_TOKEN = re.compile(r"[a-z]{2,}")


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(normalise_term(r.term) for r in term_lexicon("stopwords.csv"))


def word_terms(text: object) -> list[str]:
    """Terms of the wording channel: names masked, lowercase words without function words, and word pairs.

    Examples
    --------
    >>> word_terms("Arsenal are keeping tabs on the striker.")
    ['keeping', 'tabs', 'striker', 'keeping tabs', 'tabs striker']
    """
    if not isinstance(text, str):
        return []
    stop = _stop_words()
    tokens = [t for t in _TOKEN.findall(mask_names(text).lower()) if t not in stop]
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
