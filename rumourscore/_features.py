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

A stage tag counts as a step reached only as :mod:`rumourscore._scope` reads its context: a
negated one ("no fee has been agreed") or one a denial calls untrue is a negated stage; one in a
clause set in the past ("who signed for Liverpool in 2021") or beyond the report's window ("in
2026"), under a condition ("unless they pay") or a medical still to come ("subject to a medical")
is no stage at all; one a yes/no question asks about counts as at most an imminent step.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from ._lexicons import normalise_term, sources, term_lexicon
from ._report import Report
from ._scan import TermHit
from ._scope import (
    ASKED_STAGE,
    DENIAL_CAUSE,
    MEDICAL_STAGE,
    NEGATION_WINDOW,
    PENDING_BEFORE,
    REFUSAL,
    conditional_before,
    denied_report_spans,
    inside,
    negated_before,
    past_spans,
    question_spans,
)
from ._tagger import Money, term_hits
from ._text import mask_names

__all__ = ["FEATURES", "FEATURE_NAMES", "TIER_PRIOR", "Feature", "feature_matrix", "row_features", "source_prior",
           "to_eur", "word_terms"]  # fmt: skip

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
#: ``player`` kinds add no weight: they decide whom a stated age belongs to; nor does ``past``, the
#: cue of :func:`rumourscore._scope.past_spans`).
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
            if t.value == MEDICAL_STAGE and PENDING_BEFORE.search(text, max(0, t.start - NEGATION_WINDOW), t.start):
                continue  # "agreed a fee, subject to a medical": the medical is a condition still to come
            if conditional_before(text, t.start):
                continue  # "unless Bayern pay the asking price": a step still to come
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
        asked = question_spans(text) if "?" in text else []  # "Has X completed his move?": asked, not reached
        if past or denied or asked:
            if any(inside(denied, start) and not inside(past, start) for start, _ in reached):
                row[_STAGE_NEGATED] = 1.0
            reached = [(at, min(stage, ASKED_STAGE) if inside(asked, at) else stage) for at, stage in reached
                       if not inside(past, at) and not inside(denied, at)]  # fmt: skip
            top = max((stage for _, stage in reached), default=0)
            last_stage = max((start for start, _ in reached), default=-1)
    return top, last_denial > last_stage >= 0 or (last_denial >= 0 and top == 0)


#: One row of features as the bytes of its doubles (what ``np.array(rows, dtype=float)`` holds): numpy then
#: reads the rows at once, where converting a list of lists took it about 2 % of the instructions of a row.
_PACK_ROW = struct.Struct(f"{len(FEATURES)}d").pack


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
        rows.append(_PACK_ROW(*row))
    out = np.frombuffer(b"".join(rows), dtype=float).reshape(len(reports), width).copy()
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
