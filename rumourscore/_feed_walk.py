"""The as-of walk of :func:`rumourscore.score_feed`, on compact per-row arrays.

Every row of a feed is reduced to a few numbers (:class:`FeedArrays`): its line likelihood,
its date as a day ordinal, its deal stage, whether it is a denial, and small integer ids of
its subject, destination club, source and masked text (the names themselves are kept once
each, however many rows repeat them; the masked texts in a :class:`~rumourscore._text_store.TextStore`,
which a streamed file spills to disk). :func:`as_of` computes every row's claim columns from
those arrays alone, so a feed held in memory (:func:`rumourscore.score_feed`) and a file
streamed in chunks (``rumourscore score --feed``) run the very same code.

The walk reads each claim's reports once in date order, keeping running state (best
evidence per independent source, denials and rival moves after the best report), so a
later report can never change an earlier row's ``claim_likelihood``.

The order of a day's reports is not known, so it never comes from the input: a claim's reports
of one day are read supporting reports first, then denials, each by deal stage (lowest first),
line likelihood (highest first) and content key (a hash of source and masked text). So every
stage a day reaches past the claim's earlier ones is an escalation, the day's denials come after
its best report, and the copy check always takes the same report as the original (rows alike in
all those values are interchangeable). The claim's latest stage on a day is the highest stage
reported that day; a rival move counts only when dated after the best report's day.
"""

from __future__ import annotations

import bisect
import functools
import math
from collections import Counter, deque
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ._claims.scoring import MAX_DENIALS_APPLIED, expits, logit, logits
from ._claims.vocabulary import fold
from ._feed_rivals import Rivals
from ._lexicons import sources
from ._pool import TIER_WEIGHT, UNKNOWN_TIER_WEIGHT
from ._text import CopyFinder
from ._text_store import TextStore

__all__ = ["NOTES", "NO_DAY", "WALKED", "FeedArrays", "FeedRule", "WalkPlan", "as_of", "plan_walk"]

#: Evidence keys are rebased when their growth factor's exponent passes this (float64 safety).
REBASE_EXPONENT = 300.0
#: Rows of a feed's same-day runs put in order at a time (about 60 bytes each while sorted).
ORDER_BLOCK = 1 << 18
#: The day ordinal of a row without a usable date.
NO_DAY = -1
#: Why a row is not pooled (``claim_note``), by code; code -1 is no note.
NOTES = ("no text: not scored", "no usable date: the line's own likelihood",
         "no claim found: the line's own likelihood", "no subject found: the line's own likelihood",
         "no destination club found: the line's own likelihood")  # fmt: skip
_UNKNOWN_SOURCE = "(unknown source)"


@dataclass(frozen=True)
class FeedRule:
    """The parameters of the as-of pooling rule (see :func:`rumourscore.score_feed`, Notes).

    All log-odds are measured from ``c = logit(base rate)`` of the scored feed.
    """

    #: Evidence fades towards the base rate with this half-life (days since its report).
    half_life_days: float
    #: Weight of a further independent source's evidence, times its tier weight (``_pool.TIER_WEIGHT``).
    extra_weight: float
    #: The k-th further source (k = 0, 1, ...) counts ``extra_decay**k``.
    extra_decay: float
    #: Cap on the log-odds that further sources add.
    max_gain: float
    #: Log-odds added per independent source denying the claim after its best report.
    denial: float
    #: Log-odds added when a later report has the subject moving elsewhere, scored above the claim's best.
    rival: float
    #: Log-odds added when a later report says the subject's move elsewhere is done (stage >= RIVAL_DONE_STAGE).
    rival_done: float
    #: Log-odds added per escalation (a report reaching a deal stage no earlier report of the claim reached).
    escalation: float
    #: Cap on the number of escalations counted.
    max_escalations: int
    #: Calibration: the pooled log-odds' distance from ``c`` is multiplied by this.
    shrink: float
    #: Calibration: log-odds added to every claim (pooling and the lines' own bias, measured together).
    offset: float = 0.0
    #: Weight of the strongest source's evidence in the claim's base; the rest is the mean over sources.
    max_share: float = 1.0
    #: How many further sources are looked at (the rest add too little to matter).
    max_extra: int = 8


@dataclass
class FeedArrays:
    """A few numbers per row of a feed; every name is an index into a list holding it once.

    Attributes
    ----------
    likelihood : ndarray of float64
        The line alone; NaN for a row that was not scored.
    day : ndarray of int64
        The report date as a day ordinal; :data:`NO_DAY` when there is none.
    subject, to_club : ndarray of int32
        Index into ``subjects`` / ``clubs`` (the claim's names as found); -1 when none.
    stage : ndarray of float64
        The report's deal stage.
    denial : ndarray of bool
        Whether the report is a denial (a denial and no stage above ``_pool.DENIAL_REPORT_MAX_STAGE``, 5).
    source : ndarray of int32
        Index into ``sources``: the report's source (a cited outlet when it cites one).
    masked : ndarray of int32
        Slot in ``texts`` of the text with names masked (repeats and copies are found by it);
        :data:`~rumourscore._text_store.NO_SLOT` when it is empty.
    content : ndarray of uint32
        Content key of the source and masked text (:func:`rumourscore._feed_rows.content_key`),
        the last tie-break of a day's order.
    center : float
        ``logit`` of the base rate; evidence is measured from it.
    """

    likelihood: np.ndarray
    day: np.ndarray
    subject: np.ndarray
    to_club: np.ndarray
    stage: np.ndarray
    denial: np.ndarray
    source: np.ndarray
    masked: np.ndarray
    content: np.ndarray
    subjects: list[str]
    clubs: list[str]
    sources: list[str]
    texts: TextStore
    center: float = 0.0

    @property
    def n(self) -> int:
        """Number of rows."""
        return len(self.likelihood)


# --------------------------------------------------------------------------- claims
class _Folded:
    """Distinct folded names, by id."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.names: list[str] = []

    def id(self, name: str) -> int:
        if name not in self.index:
            self.index[name] = len(self.names)
            self.names.append(name)
        return self.index[name]

    def ids(self, names: list[str], rows: np.ndarray) -> np.ndarray:
        """The id of each row's name (``rows`` index ``names``; -1 stays -1)."""
        table = np.asarray([self.id(fold(n)) for n in names] + [-1], dtype=np.int32)
        return table[rows]


def _subject_keys(a: FeedArrays) -> tuple[np.ndarray, np.ndarray, _Folded]:
    """Folded subject and club keys of each row (ids, -1 for none); a bare surname joins a full name.

    A bare surname joins the one full name of the same claim known by its day: only full
    names dated on or before the row's day count (an undated row sees them all), so a later
    report can never regroup an earlier row.
    """
    folded, club_folds = _Folded(), _Folded()
    key, club = folded.ids(a.subjects, a.subject), club_folds.ids(a.clubs, a.to_club)
    names = list(folded.names)
    full = np.asarray([" " in name for name in names] + [False])[key]
    bare = np.flatnonzero((key >= 0) & ~full)
    if not len(bare) or not full.any():
        return key, club, folded
    surname = np.asarray([folded.id(n.split(" ")[-1]) if " " in n else -1 for n in names] + [-1], dtype=np.int64)
    width = len(club_folds.names) + 1
    bare_codes = key[bare].astype(np.int64) * width + club[bare] + 1
    rows = np.flatnonzero(full)
    rows = rows[np.isin(surname[key[rows]] * width + club[rows] + 1, bare_codes)]  # only full names a surname meets
    last = np.iinfo(np.int64).max
    first: dict[tuple[int, int], list[tuple[int, int]]] = {}  # (surname, club) -> [(full name, first day)]
    days = np.where(a.day[rows] == NO_DAY, last, a.day[rows])
    firsts = pd.DataFrame({"name": key[rows], "club": club[rows], "day": days}).groupby(["name", "club"])["day"]
    for (name, club_id), when in firsts.min().items():
        first.setdefault((int(surname[name]), int(club_id)), []).append((int(name), int(when)))
    pairs = np.asarray([s * width + c + 1 for s, c in first], dtype=np.int64)
    for i in bare[np.isin(bare_codes, pairs)].tolist():
        if folded.names[key[i]]:
            today = a.day[i] if a.day[i] != NO_DAY else last
            known = [name for name, when in first[(int(key[i]), int(club[i]))] if when <= today]
            if len(known) == 1:
                key[i] = known[0]
    return key, club, folded


def claim_ids(a: FeedArrays) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's claim id (-1 if not pooled) and note code (-1 if none), and each claim's subject key."""
    key, club, _ = _subject_keys(a)
    scored = ~np.isnan(a.likelihood)
    dated = scored & (a.day != NO_DAY)
    no_subject, no_club = a.subject < 0, a.to_club < 0
    note = np.full(a.n, -1, dtype=np.int8)
    note[~scored] = 0
    note[scored & ~dated] = 1
    note[dated & no_subject & no_club] = 2
    note[dated & no_subject & ~no_club] = 3
    note[dated & ~no_subject & no_club] = 4
    pooled = dated & ~no_subject & ~no_club
    width = int(club.max(initial=0)) + 1
    codes, claim_of = np.unique(key[pooled].astype(np.int64) * width + club[pooled], return_inverse=True)
    claim = np.full(a.n, -1, dtype=_index_dtype(a.n))
    claim[pooled] = claim_of
    return claim, note, codes // width


def _index_dtype(n: int) -> type:
    """The narrowest integer type that indexes ``n`` rows (row ids take 4 bytes, not 8, below 2**31)."""
    return np.int32 if n < 2**31 else np.int64


def _members(a: FeedArrays, claim: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pooled rows in date order, the same rows by claim (each claim's in date order, a day's in the
    order of their values: see the module's notes), and where each claim's rows start in those (and
    where the last one ends)."""
    index = _index_dtype(len(claim))
    pooled = np.flatnonzero(claim >= 0).astype(index)
    ranked = pooled[np.argsort(a.day[pooled], kind="stable").astype(index)]
    del pooled
    by_claim = ranked[np.argsort(claim[ranked], kind="stable").astype(index)]
    cuts = np.concatenate([[0], np.flatnonzero(np.diff(claim[by_claim])) + 1, [len(by_claim)]]) if len(by_claim) else []
    _order_days(a, claim, by_claim)
    return ranked, by_claim, np.asarray(cuts, dtype=np.int64)


def _order_days(a: FeedArrays, claim: np.ndarray, by_claim: np.ndarray) -> None:
    """Put each run of one claim's reports of one day (consecutive in ``by_claim``) in the day's order, in place.

    Only rows that share their claim and day with another are sorted, whole runs at a time, about
    :data:`ORDER_BLOCK` rows at once (the sort's keys are copies).
    """
    same = np.ones(len(by_claim), dtype=bool)  # the same claim and day as the row before
    same[:1] = False
    for column in (claim, a.day):  # (one gathered copy at a time: a feed of millions keeps its peak low)
        rows = column[by_claim]
        same[1:] &= rows[1:] == rows[:-1]
        del rows
    tied = same.copy()
    tied[:-1] |= same[1:]
    at = np.flatnonzero(tied)
    starts = np.flatnonzero(~same[at])  # where each run starts in ``at``
    start = 0
    while start < len(at):
        next_run = np.searchsorted(starts, start + ORDER_BLOCK)
        end = int(starts[next_run]) if next_run < len(starts) else len(at)
        block = at[start:end]
        rows = by_claim[block]
        run = np.cumsum(~same[block])  # each run's rows are consecutive: its number keeps them together
        by_claim[block] = rows[np.lexsort((a.content[rows], -a.likelihood[rows], a.stage[rows], a.denial[rows], run))]
        start = end


def _effective_sources(a: FeedArrays, members: np.ndarray) -> list[str]:
    """Each report's effective source: its own (or cited) one, or that of the earlier report it copies."""
    source_of: list[str] = []
    copies = CopyFinder()
    store = a.texts
    for k, (source, slot) in enumerate(zip(a.source[members].tolist(), a.masked[members].tolist())):
        name = a.sources[source]
        if slot >= 0:  # an empty text copies nothing
            original = copies.copy_of(store.key(slot), functools.partial(store.text, slot), k)
            if original is not None:
                name = source_of[original]
        source_of.append(name)
    return source_of


@functools.lru_cache(maxsize=4096)
def _tier_weight(name: str) -> float:
    """The weight of a further source's evidence by its reliability tier (``_pool.TIER_WEIGHT``)."""
    info = sources().get(name)
    return TIER_WEIGHT.get((info.tier if info is not None else None) or -1, UNKNOWN_TIER_WEIGHT)


# --------------------------------------------------------------------------- the as-of walk
@dataclass
class _Walk:
    """Running state of one claim while its reports are read in date order."""

    rule: FeedRule
    center: float
    t0: int
    rate: float  # ln 2 / half-life, per day
    likelihood: list[float]  # of the claim's reports, in date order
    excess: list[float]  # their log-odds above the center
    keys: list[tuple[float, str]] = field(default_factory=list)  # sorted (-fade key, source)
    key_of: dict[str, float] = field(default_factory=dict)
    key_sum: float = 0.0
    best: int | None = None  # the best-scored supporting report so far; with none, the strongest denial
    best_is_support: bool = False
    sources: set[str] = field(default_factory=set)
    top_stage: float = -1.0
    escalations: int = 0
    denials: deque[tuple[int, str]] = field(default_factory=deque)  # (position, source) after the best
    denial_count: Counter[str] = field(default_factory=Counter)
    decays: tuple[float, ...] = field(init=False)  # extra_decay**k for the k-th further source (from the rule)

    def __post_init__(self) -> None:
        self.decays = tuple(self.rule.extra_decay**k for k in range(self.rule.max_extra))

    def add(self, pos: int, s: str, day: int, stage: float, denial: bool) -> None:
        """Read the claim's ``pos``-th report (from source ``s``)."""
        self.sources.add(s)
        lik = self.likelihood[pos]
        if denial:
            self.denials.append((pos, s))
            self.denial_count[s] += 1
            if not self.best_is_support and (self.best is None or lik < self.likelihood[self.best]):
                self.best = pos  # (no support yet: every denial counts, none is dropped)
            return
        if stage > self.top_stage:
            if self.top_stage >= 0:
                self.escalations += 1
            self.top_stage = stage
        self._evidence(s, self.excess[pos], day)
        if not self.best_is_support or lik > self.likelihood[self.best]:  # type: ignore[index]
            self.best_is_support = True
            self._new_best(pos)

    def _evidence(self, s: str, excess: float, day: int) -> None:
        """Keep source ``s``'s strongest evidence.

        Evidence is kept as ``excess * exp(rate * (day - t0))``: fading multiplies every key by
        the same factor, so the order of the keys never changes and is kept once, sorted. When
        the factor grows large the keys are rebased to a later ``t0``.
        """
        if self.rate * (day - self.t0) > REBASE_EXPONENT:
            factor = math.exp(-self.rate * (day - self.t0))
            self.keys = [(k * factor, name) for k, name in self.keys]
            self.key_of = {name: k * factor for name, k in self.key_of.items()}
            self.key_sum *= factor
            self.t0 = day
        key = excess * math.exp(self.rate * (day - self.t0))
        if s in self.key_of and key <= self.key_of[s]:
            return
        if s in self.key_of:
            self.keys.pop(bisect.bisect_left(self.keys, (-self.key_of[s], s)))
            self.key_sum -= self.key_of[s]
        self.key_of[s] = key
        self.key_sum += key
        bisect.insort(self.keys, (-key, s))

    def _new_best(self, pos: int) -> None:
        self.best = pos
        while self.denials and self.denials[0][0] <= pos:
            _, s = self.denials.popleft()
            self.denial_count[s] -= 1
            if not self.denial_count[s]:
                del self.denial_count[s]

    def log_odds(self, day: int) -> float:
        """The pooled log-odds of the claim as of ``day`` (rival moves excluded), before calibration."""
        rule = self.rule
        fade = math.exp(-self.rate * (day - self.t0))
        keys = self.keys
        denying = len(self.denial_count)  # sources denying after the best report
        if keys:
            top = -keys[0][0]
            mean = self.key_sum / len(keys)
            z = self.center + (rule.max_share * top + (1.0 - rule.max_share) * mean) * fade
            if len(keys) > 1:
                gain = 0.0
                for decay, (neg_key, s) in zip(self.decays, keys[1 : 1 + rule.max_extra]):
                    if neg_key < 0.0:  # evidence above the center
                        gain += rule.extra_weight * _tier_weight(s) * decay * (-neg_key * fade)
                z += min(gain, rule.max_gain)
        else:  # denials only: the strongest one (unfaded), lowered by each further denying source
            z, denying = logit(self.likelihood[self.best]), denying - 1  # type: ignore[index]
        z += min(denying, MAX_DENIALS_APPLIED) * rule.denial
        return z + min(self.escalations, rule.max_escalations) * rule.escalation


def as_of(a: FeedArrays, rule: FeedRule) -> dict[str, np.ndarray]:
    """The claim columns of every row, as of its date, as arrays.

    Memory stays a few numbers per row: each claim's (and its rivals') values are taken
    from the arrays only while that claim is walked.

    Returns
    -------
    dict
        ``claim_likelihood`` (float64; the line's own where not pooled), ``claim_n_reports``,
        ``claim_n_sources`` and ``claim_first_day`` (int32, -1 where not pooled),
        ``claim_latest_stage`` (float64, NaN where not pooled) and ``claim_note`` (int8 code
        into :data:`NOTES`, -1 for none).
    """
    plan, out = plan_walk(a, rule)
    plan.walk(0, plan.claims, out)
    return out


#: The columns :meth:`WalkPlan.walk` fills (``claim_note`` is set by :func:`plan_walk`).
WALKED = ("claim_likelihood", "claim_n_reports", "claim_n_sources", "claim_first_day", "claim_latest_stage")


@dataclass(eq=False)
class WalkPlan:
    """What the walk of a feed needs before it reads any claim; claims are walked by number.

    Claims are independent of each other once planned (a claim reads only the arrays and its
    subject's other reports), so any split of ``range(claims)`` gives the same columns.
    """

    a: FeedArrays
    rule: FeedRule
    claim: np.ndarray
    subject_of: np.ndarray
    by_claim: np.ndarray  # pooled rows, claim by claim (each claim's in date order, a day's in its order)
    cuts: np.ndarray  # claim k's rows are by_claim[cuts[k]:cuts[k + 1]]
    support: np.ndarray
    support_subject: np.ndarray

    @property
    def claims(self) -> int:
        """Number of claims."""
        return max(len(self.cuts) - 1, 0)

    def rows(self, first: int, last: int) -> np.ndarray:
        """The rows of claims ``first`` to ``last`` (excluded)."""
        return self.by_claim[self.cuts[first] : self.cuts[last]] if last > first else self.by_claim[:0]

    def walk(self, first: int, last: int, out: dict[str, np.ndarray]) -> None:
        """Fill the :data:`WALKED` columns of ``out`` for the rows of claims ``first`` to ``last`` (excluded)."""
        a, rule, claim, support, support_subject = self.a, self.rule, self.claim, self.support, self.support_subject
        rate = math.log(2) / rule.half_life_days if rule.half_life_days > 0 else 0.0
        for k in range(first, last):
            members = self.by_claim[self.cuts[k] : self.cuts[k + 1]]
            own = claim[members[0]]
            lo, hi = np.searchsorted(support_subject, self.subject_of[own], side="left"), np.searchsorted(
                support_subject, self.subject_of[own], side="right")  # fmt: skip
            others = support[lo:hi]
            others = others[claim[others] != own]
            _walk_claim(a, rule, rate, members, Rivals(a.day[others], a.likelihood[others], a.stage[others]), out)


def plan_walk(a: FeedArrays, rule: FeedRule) -> tuple[WalkPlan, dict[str, np.ndarray]]:
    """The plan of :func:`as_of`, and its result before any claim is walked (the lines' own values)."""
    claim, note, subject_of = claim_ids(a)
    ranked, by_claim, cuts = _members(a, claim)
    support = ranked[~a.denial[ranked]]  # in date order; grouped by subject below, stably
    support = support[np.argsort(subject_of[claim[support]], kind="stable")]
    out = {"claim_likelihood": a.likelihood.copy(), "claim_n_reports": np.full(a.n, -1, dtype=np.int32),
           "claim_n_sources": np.full(a.n, -1, dtype=np.int32), "claim_first_day": np.full(a.n, -1, dtype=np.int32),
           "claim_latest_stage": np.full(a.n, np.nan), "claim_note": note}  # fmt: skip
    plan = WalkPlan(a, rule, claim, subject_of, by_claim, cuts, support, subject_of[claim[support]])
    return plan, out


def _walk_claim(a: FeedArrays, rule: FeedRule, rate: float, members: np.ndarray, rivals: Rivals,
                out: dict[str, np.ndarray]) -> None:  # fmt: skip
    """Fill the claim columns of one claim's rows (``members``, in date order, a day's in its order)."""
    source_of = _effective_sources(a, members)
    day_of = a.day[members]
    days, stages, denials = day_of.tolist(), a.stage[members].tolist(), a.denial[members].tolist()
    likelihood = a.likelihood[members]
    walk = _Walk(rule, a.center, days[0], rate, likelihood.tolist(), (logits(likelihood) - a.center).tolist())
    # one entry per day of the claim: where its rows end, and the claim as of that day
    stops = [*np.flatnonzero(np.diff(day_of)).tolist(), len(days) - 1]  # the last row of each day
    z: list[float] = []
    best: list[int] = []
    n_sources: list[int] = []
    add, pooled, sources = walk.add, walk.log_odds, walk.sources
    start = 0
    for stop in stops:
        day = days[start]
        for row in range(start, stop + 1):
            add(row, source_of[row], day, stages[row], denials[row])
        z.append(pooled(day))
        best.append(walk.best)  # type: ignore[arg-type]
        n_sources.append(len(sources))
        start = stop + 1
    ends = np.asarray(stops)
    log_odds = np.asarray(z)
    if len(rivals):
        best_at = np.asarray(best)
        strongest, done = rivals.query(day_of[best_at], day_of[ends])
        stronger = strongest > a.likelihood[members[best_at]]
        log_odds += np.where(done, rule.rival_done, np.where(stronger, rule.rival, 0.0))
    counts = np.diff(np.concatenate([[0], ends + 1]))
    starts = ends + 1 - counts
    out["claim_likelihood"][members] = np.repeat(expits(a.center + rule.shrink * (log_odds - a.center) + rule.offset),
                                                 counts)  # fmt: skip
    out["claim_n_reports"][members] = np.repeat(ends + 1, counts)  # rows read so far, by day
    out["claim_n_sources"][members] = np.repeat(n_sources, counts)
    out["claim_first_day"][members] = days[0]
    out["claim_latest_stage"][members] = np.repeat(np.maximum.reduceat(a.stage[members], starts), counts)  # a day's top
