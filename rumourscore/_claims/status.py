"""Status of a claim: is each sentence about it support, a denial, a completed move or background?

Background: the clause talks about the past ("joined X in 2019", "was tipped to", "after
his arrival", "previously"). Denial: the last live denial tag is not followed by a bid or
agreement; a denial of another club before the move made instead ("turned down Liverpool to
join Real Madrid", "in favour of") does not count against that move. Completed: a stage-10
tag not preceded by "set to"/"expected to", or a headline present tense ("Brighton sign
Strand"). Otherwise support. A claim's status follows from the roles of its sentences
(:func:`draft_status`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from .._scan import fold_case_twins, folded_twin
from .._scope import negated_before
from .._tagger import Tag

__all__ = ["DENIAL_OBJECT_CHARS", "clause", "draft_status", "evidence_role", "is_background", "negated", "set_aside",
           "tag_role"]

#: A stage this close after a denial is what was denied ("turned down an offer"), not progress.
DENIAL_OBJECT_CHARS = 30

#: The patterns of :func:`is_background` search the folded clause (:func:`~rumourscore._scan.folded_twin`).
_PAST_MOVE = folded_twin(re.compile(
    r"(?<!\bhas\s)(?<!\bhave\s)(?<!\bhad\s)(?<!\bjust\s)(?<!\bnow\s)\b(?:joined|moved|left|arrived|switched|"
    r"transferred|returned|rejoined|signed\s{1,3}for|signed\s{1,3}with|went|swapped|traded|came\s{1,3}to|"
    r"was\s{1,3}(?:sold|signed|bought|loaned|appointed|unveiled|hired|transferred|snapped\s{1,3}up|lured)|"
    r"were\s{1,3}(?:sold|signed|bought)|completed\s{1,3}(?:a|an|his|her|their|the)\s{1,3}(?:\w+\s{1,3})?"
    r"(?:move|switch|transfer)|spent|played|starred|managed|coached|had\s{1,3}(?:a\s{1,3})?(?:spell|stint))\b",
    re.IGNORECASE,
))
_OLD_LINK = folded_twin(re.compile(
    r"\b(?:(?:was|were)\s{1,3}(?:\w+\s{1,3}){0,2}?(?:linked|tipped|close|set|expected|poised|in\s{1,3}line|"
    r"interested|keen|wanted|targeted|in\s{1,3}talks|on\s{1,3}the\s{1,3}verge|the\s{1,3}subject|heavily|"
    r"rumoured|touted|favourite|frontrunner|approached|offered|chased|courted|tracked|monitored|near|"
    r"nearly|almost|reportedly)|had\s{1,3}been|had\s{1,3}(?:\w+\s{1,3})?(?:wanted|tried|bid|offered|agreed|"
    r"held|made|approached|hoped)|previously|formerly|once\s{1,3}(?:again\s{1,3})?(?:linked|tipped|close|"
    r"wanted|a\s{1,3}target)|back\s{1,3}in|at\s{1,3}the\s{1,3}time|years?\s{1,3}ago|months\s{1,3}ago|"
    r"years?\s{1,3}later|years?\s{1,3}earlier|last\s{1,3}(?:summer|season|year|january|window|campaign|"
    r"winter|spring)|in\s{1,3}the\s{1,3}past|nearly\s{1,3}joined|almost\s{1,3}joined|came\s{1,3}close)\b",
    re.IGNORECASE,
))
_NOMINAL_DONE = folded_twin(re.compile(
    r"\b(?:after|since|following|before)\s{1,3}(?:[\w'\u2019.-]+\s{1,3}){0,4}?(?:arrival|signing|move|switch|"
    r"transfer|departure|exit|capture|appointment|joining|arriving|moving|signing|leaving)\b|"
    r"\b(?:arrival|signing|move|switch|transfer|departure|appointment)\s{1,3}(?:\w+\s{1,3}){0,4}?"
    r"(?:in|during|last)\s{1,3}(?:the\s{1,3})?(?:summer|winter|january|window|season|(?:19|20)\d\d)\b|"
    r"\b(?:since|having|after)\s{1,3}(?:joining|signing|arriving|moving|leaving)\b|"
    r"(?:,\s{1,3}|\b)who\s{1,3}(?:\w+\s{1,3}){0,2}?(?:joined|signed|arrived|moved|left)\b",
    re.IGNORECASE,
))
_YEAR = folded_twin(re.compile(
    r"\b(?:in|of|since|back\s{1,3}in|during|summer\s{1,3}of|january\s{1,3}of)\s{1,3}((?:19|20)\d\d)\b", re.IGNORECASE
))
#: "on Monday", "today", "last night": a move just made, not background.
_RECENT = folded_twin(re.compile(
    r"\b(?:on\s{1,3}(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|today|yesterday|"
    r"this\s{1,3}(?:morning|afternoon|evening|week)|last\s{1,3}night|earlier\s{1,3}today|overnight)\b",
    re.IGNORECASE,
))
_FUTURE_BEFORE = re.compile(
    r"\b(?:will|set\s{1,3}to|expected\s{1,3}to|poised\s{1,3}to|could|would|might|may|about\s{1,3}to|"
    r"ready\s{1,3}to|close\s{1,3}to|closer\s{1,3}to|on\s{1,3}the\s{1,3}verge|plan\w*\s{1,3}to|hope\w*\s{1,3}to|"
    r"(?:is|are)\s{1,3}to|to\s{1,3}be|to\s{1,3}(?:sign|complete|confirm|announce|join|appoint)|soon|"
    r"imminent\w*|want\w*\s{1,3}to|keen\s{1,3}to|likely|unlikely|if|unless|before|yet\s{1,3}to|"
    r"awaiting|await|waiting|pending|not|no|never|n't)\b",
    re.IGNORECASE,
)
_COMPLETED_HEADLINE = re.compile(
    r"\s{1,3}(?:sign|signs|seal|seals|land|lands|complete|completes|capture|captures|unveil|unveils|"
    r"announce|announces|appoint|appoints|hire|hires|snap\s{1,3}up|snaps\s{1,3}up)\b",
    re.IGNORECASE,
)

_CLAUSE_SPLIT = re.compile(
    r"\s{0,3}(?:[,;:()]|\s[\u2013\u2014-]\s)\s{0,3}|\s(?=(?:before|after|while|whilst|whereas|but|since|"
    r"although|though|having|when|until)\s)",
    re.IGNORECASE,
)


def clause(text: str, lo: int, hi: int, a: int, b: int) -> tuple[int, int]:
    """The clause (comma- and conjunction-delimited) of ``text[lo:hi]`` holding ``[a, b)``."""
    start, end = lo, hi
    for m in _CLAUSE_SPLIT.finditer(text, lo, hi):
        if m.end() <= a:
            start = m.end()
        elif m.start() >= b:
            end = m.start()
            break
    return start, end


def negated(text: str, t: Tag) -> bool:
    """True if a negation stands shortly before the tag ("no bid", "not close"), as the features read it."""
    return negated_before(text, t.start)


def tag_role(text: str, seg_tags: list[Tag]) -> str:
    """``"denial"`` if a live denial is not followed by a bid or agreement, else ``"support"``."""
    denials = [t for t in seg_tags if t.kind == "denial" and not negated(text, t)]
    if not denials:
        return "support"
    last = max(denials, key=lambda t: t.start)
    # a stage right after the denial is its object ("rejected a £40m bid", "denied any talks")
    later_stages = [
        t.value
        for t in seg_tags
        if t.kind == "stage"
        and t.start > last.end
        and not negated(text, t)
        and (
            t.start - last.end > DENIAL_OBJECT_CHARS
            or re.search(r"[,;:]|\b(?:but|and|while)\b", text[last.end : t.start])
        )
    ]
    return "support" if later_stages and max(later_stages) >= 4 else "denial"


_CONTRAST = re.compile(r"\b(?:but|however|yet|although|though|whereas|now)\b", re.IGNORECASE)
#: Between a denial and a club: the denial names another club, then the move the player made or
#: makes instead ("turned down Liverpool to join Real Madrid", "rejected Juventus in favour of");
#: looked for in the :data:`DENIED_INSTEAD_CHARS` characters before the club.
_DENIED_INSTEAD = re.compile(
    r"\s[A-Z][^,;:]{0,60}?\s(?:to\s{1,3}(?:join|sign\s{1,3}(?:for|with)|move\s{1,3}to)|in\s{1,3}favou?r\s{1,3}of"
    r"|(?:and|before)\s{1,3}(?:instead\s{1,3})?(?:joined|joining|signed\s{1,3}(?:for|with)|chose|opted\s{1,3}for"
    r"|moved\s{1,3}to))\s{1,3}(?:the\s{1,3})?$"
)
#: How far before a club :data:`_DENIED_INSTEAD` is looked for: its longest match is 104 characters
#: (2 + 60 + 1, "before instead signed with" with three spaces at each gap, then "the" and spaces).
DENIED_INSTEAD_CHARS = 104


def set_aside(text: str, span: tuple[int, int], a: int, sentence_tags: Sequence[Tag]) -> tuple[int, ...]:
    """Starts of the denials in ``span`` that do not concern the club mentioned at ``a``.

    A denial before the club with a contrast between them ("denied interest, but now ...") or
    one of another club before the move made instead ("turned down Liverpool to join Real
    Madrid") counts neither for the role of the sentence nor for its score for this claim.
    """
    lo, hi = span
    return tuple(
        t.start for t in sentence_tags
        if t.kind == "denial" and lo <= t.start and t.end <= a and t.start < hi
        and (_CONTRAST.search(text, t.end, a) or _DENIED_INSTEAD.search(text, max(t.end, a - DENIED_INSTEAD_CHARS), a))
    )  # fmt: skip


def evidence_role(day: dt.date | None, text: str, span: tuple[int, int], trigger: tuple[int, int],
                  sentence_tags: list[Tag], aside: tuple[int, ...] | None = None) -> str:  # fmt: skip
    """The role of a sentence for one claim: support, denial, completed or background.

    ``aside``: the denials :func:`set_aside` for the claim, when the caller has them already.
    """
    lo, hi = span
    a, b = trigger
    c_start, c_end = clause(text, lo, hi, a, b)
    # the trigger may sit just before the club ("joined Real Madrid" is one clause anyway)
    clause_text = text[c_start:c_end]
    if aside is None:
        aside = set_aside(text, span, a, sentence_tags)
    span_tags = [t for t in sentence_tags if lo <= t.start < hi and t.start not in aside]
    if is_background(day, clause_text):
        return "background"
    if tag_role(text, span_tags) == "denial":
        return "denial"
    clause_tags = [t for t in span_tags if c_start <= t.start < c_end]
    for t in clause_tags:
        if t.kind == "stage" and t.value >= 10 and not negated(text, t):
            if not _FUTURE_BEFORE.search(text, max(c_start, t.start - 40), t.start):
                return "completed"
    # headline present tense: "Brighton sign Strand from Molde"
    if _COMPLETED_HEADLINE.match(text, b) and not _FUTURE_BEFORE.search(text, max(c_start, a - 40), a):
        return "completed"
    return "support"


def is_background(day: dt.date | None, clause: str) -> bool:
    """True if the clause talks about a move in the past (an old link, a done deal of years ago)."""
    clause = fold_case_twins(clause)  # (the patterns are folded twins)
    if _OLD_LINK.search(clause) or _NOMINAL_DONE.search(clause):
        return True
    past = _PAST_MOVE.search(clause)
    year_old = False
    for m in _YEAR.finditer(clause):
        year = int(m.group(1))
        if day is not None and year < day.year:
            year_old = True
        if day is None and year < dt.date.today().year - 1:
            year_old = True
    if past:
        return not _RECENT.search(clause) or year_old
    return year_old


def draft_status(roles: Sequence[str]) -> str:
    """Status of a claim from the roles of its evidence, in text order."""
    live = [r for r in roles if r != "background"]
    if not live:
        return "background"
    if "completed" in live:
        return "completed"
    if live[-1] == "denial":
        return "denied"
    return "rumour"
