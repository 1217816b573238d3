"""How far a negation, a denial or a past time reaches over a report's deal stages.

A deal stage the tagger finds is not always a step the deal has reached. This module holds the
rules that say so, each a regular expression or a short scan over the text around a tag:

* a negation shortly before it ("no fee has been agreed", "unable to agree": :data:`NEGATION`);
* a denial right before it that names its cause ("talks broke down over personal terms":
  :data:`DENIAL_CAUSE`), a medical still to come ("subject to a medical": :data:`PENDING_BEFORE`), or a
  condition before it in its clause ("unless Bayern pay the asking price": :func:`conditional_before`);
* a denial that calls the report it sits in untrue ("denied reports that they have signed him",
  "reports that ... are untrue": :func:`denied_report_spans`);
* a clause set in the past ("who signed for Liverpool in 2021": :func:`past_spans`), or beyond the
  report's window ("set to join Real Madrid in 2026");
* a yes/no question, which asks about a step rather than reports it (:func:`question_spans`);
* and, for contract renewals, a refusal before one (:data:`REFUSAL`).

:mod:`rumourscore._features` reads a report's stages through all of them. Pooling
(:func:`rumourscore._pool.stage_columns`) uses the negation, the denied reports and the past
clauses, but not yet the cause, the pending medical, the condition or the question; the claim extractor uses
the negation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from ._lexicons import normalise_term
from ._tag_patterns import IMMINENT_STAGE
from ._tagger import Tag

__all__ = ["ASKED_STAGE", "CONDITION_BEFORE", "CONDITION_WINDOW", "DENIAL_CAUSE", "LATER_YEARS", "MEDICAL_STAGE",
           "NEGATION", "NEGATION_WINDOW", "PENDING_BEFORE", "REFUSAL", "SCOPE_CHARS", "conditional_before",
           "denied_report_spans", "inside", "negated_before", "past_spans", "past_year_rank",
           "question_spans"]  # fmt: skip

#: Words that negate a stage or denial when they stand shortly before it: at most two words between
#: them, then at most two auxiliaries ("not agreed", "no fee agreed", "no fee has been agreed", "unable
#: to agree", "still to agree"). "Not only", "no doubt / question / secret / surprise / wonder" and "no
#: problems / issues / obstacles with" affirm what follows: they negate nothing.
NEGATION = re.compile(
    r"(?:\b(?:not(?!\W+only\b)|cannot|no(?!\W+(?:doubt|question|secret|surprise|wonder|problems?|issues?|obstacles?"
    r"|hitch(?:es)?|concerns?|worries)\b)|nothing|never|without"
    r"|nor|yet to|still to|unable to|unwilling to|reluctant to|struggl(?:e|es|ed|ing) to|far from|denied|deny|denies"
    r"|rule out|ruled out"
    r"|fail(?:s|ed|ing)? to|refus(?:e|es|ed|ing) to)|n['\u2019]t)"  # ("n't": "hasn't")
    r"\W+(?:\w+\W+){0,2}(?:(?:has|have|had|is|are|was|were|be|been|being)\W+){0,2}$",
    re.I,
)
#: What a window must hold for :data:`NEGATION` to find anything in it: a part of each of its words.
_NEGATION_HINTS = ("no", "never", "without", "yet to", "still to", "able to", "willing to", "reluctant to", "struggl",
                   "far from", "deni", "deny", "rule", "fail", "refus", "n't", "n\u2019t")  # fmt: skip
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
#: The longest stretch (characters) a denial or a past time reaches over, before or after it: a
#: clause longer than this is cut there (sentences are shorter; it keeps the work linear in the
#: text on hostile input too).
SCOPE_CHARS = 300
#: How far before a denial (characters) :data:`COPULA_BEFORE` is looked for.
COPULA_WINDOW = 30
#: A denial term that opens with its copula ("are false") is a report's predicate by itself.
_COPULAS = ("is ", "are ", "was ", "were ")
#: A time outside the window a report speaks of: a deal stage in its clause is a background fact, not
#: this move's progress ("who signed for Liverpool in 2021", "made a bid last summer"), or a move beyond
#: the 365 days the label counts ("agreed to join Real Madrid in 2024" in a report of 2022, "in two years'
#: time"). A year counts only before the report's own year or :data:`LATER_YEARS` after it; "last week"
#: and "this summer" are the report's window.
PAST_TIME = re.compile(
    r"\b(?:last\s{1,3}(?:summer|season|year|january|window|winter|campaign)(?:['\u2019]s)?(?!\s{1,3}of\b)"
    r"|(?:\d{1,2}|a|one|two|three|four|five|six|several|few)\s{1,3}(?:years?|months?|seasons?)\s{1,3}ago"
    r"|(?:in|during|of)\s{1,3}(?:(?:the\s{1,3})?(?:summer|january|winter)\s{1,3}(?:of\s{1,3})?)?(?P<year>(?:19|20)\d\d)"
    # the buyer's earlier business in a clause of its own: "Newcastle, who signed Lecomte on Monday, are in
    # talks for ..."; "Having already signed Lecomte, Spurs ..." (not "who signed for", "who signed a new deal")
    r"|(?P<signing>(?:(?<=,\s)who|having)\s{1,3}(?:(?:have|has|had)\s{1,3})?(?:already\s{1,3})?(?:completed\s{1,3}the"
    r"\s{1,3}signings?\s{1,3}of|(?:signed|bought|landed|snapped\s{1,3}up|brought\s{1,3}in)\s{1,3}(?=(?-i:[A-Z])|the\s)))"
    r"|in\s{1,3}(?:two|three|four|five|[2-5])\s{1,3}years['\u2019]?\s{1,3}time)\b",
    re.IGNORECASE,
)
#: A year this many years or more after the report's is beyond its window (a move then falls outside
#: the 365 days the label counts).
LATER_YEARS = 2
#: Before a later year, a date of the player's contract, not of a move ("his contract expires in 2027").
CONTRACT_BEFORE = re.compile(
    r"\b(?:contract|expir\w*|runs?|running|until|end(?:s|ing)?|extension|option)\W+(?:\w+\W+){0,3}$", re.IGNORECASE
)
#: How far before a later year (characters) :data:`CONTRACT_BEFORE` is looked for.
CONTRACT_WINDOW = 40
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
    SCOPE_END.pattern + r"|\band\s{1,3}(?:now|are|have|has|will|could|may|might|want|wants|remain|remains|is)\b",
    re.IGNORECASE,
)
#: The medical's step of the deal ladder, and what makes it a condition still to come rather than a
#: step reached ("subject to a medical", "pending a medical"): that medical counts as no step at all.
MEDICAL_STAGE = 8
PENDING_BEFORE = re.compile(r"\b(?:subject\s{1,3}to|pending)\s{1,3}(?:(?:a|his|the|their)\s{1,3})?$", re.IGNORECASE)
#: A condition before a stage, in the same clause: the step is one still to come ("unless Bayern pay the
#: asking price", "he will join if they agree a fee"), no step reached. ("Even if" and "as if" set no condition.)
CONDITION_BEFORE = re.compile(
    r"(?<!even\s)(?<!as\s)\b(?:if|unless|provided|providing|as\s{1,3}long\s{1,3}as|on\s{1,3}condition)\b[^,.;:!?()\n]{0,50}$",
    re.IGNORECASE,
)
#: How far before a stage (characters) :data:`CONDITION_BEFORE` is looked for.
CONDITION_WINDOW = 60
#: What the window before a stage must hold for :data:`CONDITION_BEFORE` to be tried (most hold none).
_CONDITION_HINTS = ("if", "unless", "provid", "long as", "condition")
#: How far before a tag (characters) :data:`NEGATION` is looked for.
NEGATION_WINDOW = 30
#: A refusal before a renewal term ("rejected a new contract", "will not sign an extension"): the
#: player is not renewing, so the term is no renewal signal (looked for in the NEGATION_WINDOW).
REFUSAL = re.compile(
    r"\b(?:reject\w*|refus\w*|turn\w*\s{1,3}down|snub\w*|will\s{1,3}not|won['\u2019]t|not\s{1,3}going\s{1,3}to|"
    r"no\s{1,3}intention|yet\s{1,3}to|has\s{1,3}not|hasn['\u2019]t)\W+(?:\w+\W+){0,3}$",
    re.IGNORECASE,
)


def conditional_before(text: str, start: int) -> bool:
    """A condition in the clause before ``start`` (:data:`CONDITION_BEFORE`): a step still to come."""
    return _found_in(CONDITION_BEFORE, _CONDITION_HINTS, text, max(0, start - CONDITION_WINDOW), start)


def negated_before(text: str, start: int, since: int = 0) -> bool:
    """A negation in the :data:`NEGATION_WINDOW` before ``start`` (and not before ``since``)."""
    return _found_in(NEGATION, _NEGATION_HINTS, text, max(0, since, start - NEGATION_WINDOW), start)


def _found_in(pattern: re.Pattern[str], hints: tuple[str, ...], text: str, low: int, start: int) -> bool:
    """``pattern`` in ``text[low:start]``, searched only when that window holds one of ``hints`` (a part of
    each word the pattern needs): 93 % of real windows hold none, and a search cost about 4 us."""
    window = text[low:start].lower()
    return any(hint in window for hint in hints) and pattern.search(text, low, start) is not None


def past_spans(text: str, year: int | None, cued: bool | None = None) -> list[tuple[int, int]]:
    """Clauses of ``text`` set in the past or beyond the report's window (:data:`PAST_TIME`): the deal
    stages in them are background.

    A year counts only when it is before ``year`` (the report's; no year: a year never counts) or
    :data:`LATER_YEARS` or more after it and no contract word stands before it (:data:`CONTRACT_BEFORE`).
    Each clause runs from :data:`PAST_CLAUSE_START` to :data:`PAST_CLAUSE_END` (or a relative
    clause's closing comma; at most :data:`SCOPE_CHARS` either side of the time; not "the last
    year *of* his contract"). The spans come sorted and merged (:func:`inside`). ``cued``: whether the text
    holds a "past" term of ``signals.csv`` ("last summer", "years ago", "who signed"), when the caller
    has its signal terms; None: whether it holds one of :data:`_UNCUED_HINTS`. Without one, and without a year before
    ``year`` (:func:`past_year_rank`), the text is not searched.

    Examples
    --------
    >>> text = "Napoli, who signed Lecomte last summer, are in talks for Rice."
    >>> [text[start:end] for start, end in past_spans(text, 2024)]
    ['who signed Lecomte last summer']
    """
    spans: list[tuple[int, int]] = []
    if cued is None:
        lowered = text.lower()
        cued = any(hint in lowered for hint in _UNCUED_HINTS)
    if not cued and not any(past_year_rank(text, year)):
        return spans  # (most texts name no time at all)
    for m in PAST_TIME.finditer(text):
        found = m.group("year")
        if found is not None and not _outside(text, m.start(), int(found), year):
            continue
        if m.group("signing") is not None:  # the clause runs from "who"/"having" to its comma
            end = PAST_CLAUSE_END.search(text, m.end(), m.end() + SCOPE_CHARS)
            stop = end.start() if end else min(len(text), m.end() + SCOPE_CHARS)
            comma = text.find(",", m.end(), stop)
            spans.append((m.start(), comma if comma >= 0 else stop))
            continue
        start, relative = max(0, m.start() - SCOPE_CHARS), False
        for boundary in PAST_CLAUSE_START.finditer(text, start, m.start()):
            start, relative = boundary.end(), boundary.group().startswith(",")
        end = PAST_CLAUSE_END.search(text, m.end(), m.end() + SCOPE_CHARS)
        stop = end.start() if end else min(len(text), m.end() + SCOPE_CHARS)
        if relative and (comma := text.find(",", m.end(), stop)) >= 0:
            stop = comma
        spans.append((start, stop))
    return _merged(spans)


#: A yes/no question: a sentence that opens with an auxiliary and ends with a question mark ("Has X
#: completed his move to Real Madrid?", "Have Marseille really agreed a fee?"). It asks about a step.
YES_NO_QUESTION = re.compile(
    r"(?:^|(?<=[.!?]\s))(?:has|have|had|is|are|was|were|will|would|could|can|did|does|do|should|might|may)\b"
    r"[^.!?\n]{1,300}\?",
    re.IGNORECASE,
)
#: The furthest step a yes/no question about a move counts as: it says a step is near, not that it was reached.
ASKED_STAGE = IMMINENT_STAGE


def question_spans(text: str) -> list[tuple[int, int]]:
    """The yes/no questions of ``text`` (:data:`YES_NO_QUESTION`): its deal stages count as at most
    :data:`ASKED_STAGE`. Sorted and disjoint, for :func:`inside`.

    Examples
    --------
    >>> text = "Has Rice completed his move to Arsenal? Chelsea are in talks."
    >>> [text[start:end] for start, end in question_spans(text)]
    ['Has Rice completed his move to Arsenal?']
    """
    return [m.span() for m in YES_NO_QUESTION.finditer(text)]


#: Without the caller's signal terms, a text is searched for past clauses when it holds one of these.
_UNCUED_HINTS = ("last", " ago", "who ", "having ", "years time", "years' time", "years\u2019 time")
#: The words a year of :data:`PAST_TIME` stands after (spaces between).
_YEAR_LEADS = ("in", "of", "during", "summer", "january", "winter")


def _outside(text: str, at: int, found: int, year: int | None) -> bool:
    """Whether the year ``found`` of :data:`PAST_TIME` at ``at`` lies outside the window of a report of ``year``."""
    if year is None or year <= found < year + LATER_YEARS:
        return False
    return found < year or not CONTRACT_BEFORE.search(text, max(0, at - CONTRACT_WINDOW), at)


def past_year_rank(text: str, year: int | None) -> tuple[int, int]:
    """How many of the years ``text`` names as :data:`PAST_TIME` can (19xx or 20xx after "in", "of",
    "during", "summer", "january" or "winter") lie before ``year``, and how many :data:`LATER_YEARS` or
    more after it ((0, 0) when ``year`` is None): the other cue of :data:`PAST_TIME` ("past" terms of
    ``signals.csv`` are the first). Reports of one text whose years give the same rank have the same
    :func:`past_spans`, so a feed keys a line's values by it ("until 2026" and "his contract expires in
    2027" are no such years: a line naming them is not read apart by year). ``str.find``: a regular
    expression took microseconds a text.

    Examples
    --------
    >>> text = "He joined Chelsea in 2021, in the summer of 2019, and his deal runs until 2026."
    >>> past_year_rank(text, 2020), past_year_rank(text, 2024), past_year_rank(text, 2017)
    ((1, 0), (2, 0), (0, 2))
    """
    if year is None:
        return 0, 0
    before, later = set(), set()
    for prefix in (" 19", " 20"):
        at = text.find(prefix)
        while at >= 0:
            digits = text[at + 1 : at + 5]
            if (digits.isdigit() and len(digits) == 4 and not text[at + 5 : at + 6].isdigit()
                    and text[max(0, at - 12) : at].rstrip().lower().endswith(_YEAR_LEADS)
                    and _outside(text, at, int(digits), year)):  # fmt: skip
                (before if int(digits) < year else later).add(digits)
            at = text.find(prefix, at + 3)
    return len(before), len(later)


def denied_report_spans(text: str, tags: Sequence[Tag]) -> list[tuple[int, int]]:
    """Stretches of ``text`` that a standing denial calls untrue: the deal stages in them were not reached.

    Two shapes, each within one sentence or clause (:data:`SCOPE_END`; at most :data:`SCOPE_CHARS`):

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
            end = SCOPE_END.search(text, t.end, t.end + SCOPE_CHARS)
            spans.append((t.end, end.start() if end else min(len(text), t.end + SCOPE_CHARS)))
        elif denier in REPORT_VERDICTS and (
            denier.startswith(_COPULAS) or COPULA_BEFORE.search(text, max(0, t.start - COPULA_WINDOW), t.start)
        ):
            clause = max(0, t.start - SCOPE_CHARS)
            for boundary in SCOPE_END.finditer(text, clause, t.start):
                clause = boundary.end()
            cue = REPORT_CUE.search(text, clause, t.start)
            if cue is not None:
                spans.append((cue.end(), t.start))
    return _merged(spans)


def inside(spans: Sequence[tuple[int, int]], position: int) -> bool:
    """Whether ``position`` lies in one of ``spans``: sorted, disjoint ``(start, end)`` pairs, end
    excluded, as :func:`past_spans` and :func:`denied_report_spans` give them (a binary search)."""
    at = bisect_right(spans, (position, _AFTER_ANY)) - 1
    return at >= 0 and position < spans[at][1]


#: Greater than any span end: ``(position, _AFTER_ANY)`` sorts after every span starting at ``position``.
_AFTER_ANY = 1 << 62


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` sorted, with overlapping or touching ones joined (what :func:`inside` searches)."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        elif start < end:
            out.append((start, end))
    return out
