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
from ._lexicons import sources
from ._pool import RIVAL_DONE_STAGE, TIER_WEIGHT, UNKNOWN_TIER_WEIGHT
from ._text import CopyFinder
from ._text_store import TextStore

__all__ = ["NOTES", "NO_DAY", "WALKED", "FeedArrays", "FeedRule", "WalkPlan", "as_of", "plan_walk"]

#: Evidence keys are rebased when their growth factor's exponent passes this (float64 safety).
REBASE_EXPONENT = 300.0
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
        Whether the report is a denial (a denial and no stage past talks).
    source : ndarray of int32
        Index into ``sources``: the report's source (a cited outlet when it cites one).
    masked : ndarray of int32
        Slot in ``texts`` of the text with names masked (repeats and copies are found by it);
        :data:`~rumourscore._text_store.NO_SLOT` when it is empty.
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


def _members(claim: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pooled rows in date order (input order within a day), the same rows by claim (each claim's in date
    order), and where each claim's rows start in those (and where the last one ends)."""
    index = _index_dtype(len(claim))
    pooled = np.flatnonzero(claim >= 0).astype(index)
    ranked = pooled[np.argsort(day[pooled], kind="stable").astype(index)]
    del pooled
    by_claim = ranked[np.argsort(claim[ranked], kind="stable").astype(index)]
    cuts = np.concatenate([[0], np.flatnonzero(np.diff(claim[by_claim])) + 1, [len(by_claim)]]) if len(by_claim) else []
    return ranked, by_claim, np.asarray(cuts, dtype=np.int64)


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
    best: int | None = None  # position of the best-scored report so far (support first)
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
            if not self.best_is_support and (self.best is None or lik > self.likelihood[self.best]):
                self._new_best(pos)
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
        else:  # denials only
            z = logit(self.likelihood[self.best])  # type: ignore[index]
        if self.best_is_support:
            z += min(len(self.denial_count), MAX_DENIALS_APPLIED) * rule.denial
        return z + min(self.escalations, rule.max_escalations) * rule.escalation


class _Rivals:
    """Reports of one subject moving elsewhere (its non-denial reports with another destination).

    Parameters are arrays over those reports in the feed's date order: day, likelihood,
    stage and rank in that order.
    """

    def __init__(self, day: np.ndarray, likelihood: np.ndarray, stage: np.ndarray, rank: np.ndarray) -> None:
        self.day, self.likelihood, self.rank = day, likelihood, rank
        self.done = np.concatenate([[0], np.cumsum(stage >= RIVAL_DONE_STAGE)])

    def __len__(self) -> int:
        return len(self.day)

    def query(self, after_rank: np.ndarray, upto_day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per query: the strongest rival likelihood (-1 if none) and whether a rival move is done,
        over the rivals dated after rank ``after_rank`` and on or before ``upto_day``.

        Those rivals are a run ``[lo, hi)`` of the date-ordered reports (rank order is date
        order), so the maximum is a range-maximum query on a sparse table.
        """
        lo = np.searchsorted(self.rank, after_rank, side="right")
        hi = np.searchsorted(self.day, upto_day, side="right")
        return _range_max(self.likelihood, lo, hi), self.done[hi] > self.done[lo]


def _range_max(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """``values[lo[q]:hi[q]].max()`` for each query ``q`` (-1 for an empty range), by a sparse table."""
    length = hi - lo
    out = np.full(len(lo), -1.0)
    level = np.zeros(len(lo), dtype=np.int64)
    level[length > 0] = np.frexp(length[length > 0])[1] - 1  # the largest k with 2**k <= length, exactly
    table, k = values, 0
    while True:  # table[i] = max(values[i : i + 2**k])
        pick = (level == k) & (length > 0)
        if pick.any():
            out[pick] = np.maximum(table[lo[pick]], table[hi[pick] - 2**k])
        if 2 ** (k + 1) > length.max(initial=0):
            return out
        table = np.maximum(table[: -(2**k)], table[2**k :])
        k += 1


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
    by_claim: np.ndarray  # pooled rows, claim by claim (each claim's in date order)
    cuts: np.ndarray  # claim k's rows are by_claim[cuts[k]:cuts[k + 1]]
    rank: np.ndarray
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
        a, rule, claim, support, support_subject, rank = (self.a, self.rule, self.claim, self.support,
                                                          self.support_subject, self.rank)  # fmt: skip
        rate = math.log(2) / rule.half_life_days if rule.half_life_days > 0 else 0.0
        for k in range(first, last):
            members = self.by_claim[self.cuts[k] : self.cuts[k + 1]]
            own = claim[members[0]]
            lo, hi = np.searchsorted(support_subject, self.subject_of[own], side="left"), np.searchsorted(
                support_subject, self.subject_of[own], side="right")  # fmt: skip
            others = support[lo:hi]
            others = others[claim[others] != own]
            rivals = _Rivals(a.day[others], a.likelihood[others], a.stage[others], rank[others])
            _walk_claim(a, rule, rate, members, rank[members], rivals, out)


def plan_walk(a: FeedArrays, rule: FeedRule) -> tuple[WalkPlan, dict[str, np.ndarray]]:
    """The plan of :func:`as_of`, and its result before any claim is walked (the lines' own values)."""
    claim, note, subject_of = claim_ids(a)
    ranked, by_claim, cuts = _members(claim, a.day)
    rank = np.empty(a.n, dtype=_index_dtype(a.n))
    rank[ranked] = np.arange(len(ranked))
    support = ranked[~a.denial[ranked]]  # in date order; grouped by subject below, stably
    support = support[np.argsort(subject_of[claim[support]], kind="stable")]
    out = {"claim_likelihood": a.likelihood.copy(), "claim_n_reports": np.full(a.n, -1, dtype=np.int32),
           "claim_n_sources": np.full(a.n, -1, dtype=np.int32), "claim_first_day": np.full(a.n, -1, dtype=np.int32),
           "claim_latest_stage": np.full(a.n, np.nan), "claim_note": note}  # fmt: skip
    plan = WalkPlan(a, rule, claim, subject_of, by_claim, cuts, rank, support, subject_of[claim[support]])
    return plan, out


def _walk_claim(a: FeedArrays, rule: FeedRule, rate: float, members: np.ndarray, ranks: np.ndarray, rivals: _Rivals,
                out: dict[str, np.ndarray]) -> None:  # fmt: skip
    """Fill the claim columns of one claim's rows (``members``, in date order; ``ranks`` in the feed's)."""
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
        strongest, done = rivals.query(ranks[best_at], day_of[ends])
        stronger = strongest > a.likelihood[members[best_at]]
        log_odds += np.where(done, rule.rival_done, np.where(stronger, rule.rival, 0.0))
    counts = np.diff(np.concatenate([[0], ends + 1]))
    out["claim_likelihood"][members] = np.repeat(expits(a.center + rule.shrink * (log_odds - a.center) + rule.offset),
                                                 counts)  # fmt: skip
    out["claim_n_reports"][members] = np.repeat(ends + 1, counts)  # rows read so far, by day
    out["claim_n_sources"][members] = np.repeat(n_sources, counts)
    out["claim_first_day"][members] = days[0]
    out["claim_latest_stage"][members] = np.repeat(a.stage[members[ends]], counts)
