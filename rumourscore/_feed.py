"""Feeds scored claim by claim, as of each row's date.

:func:`score_feed` scores every line of a feed alone (as :func:`rumourscore.score_frame`
does) and, for every row, the claim it is about *as known on that row's date*: only the
reports of the same (subject, destination) claim dated on or before that day count, the
same day's included. Each text is tagged once (one :func:`make_report` per row); the tags
serve the model, the claim extractor, the deal stage, the denials and the cited outlets.

The as-of computation walks each claim's reports once in date order, keeping running
state (best evidence per independent source, denials and rival moves after the best
report), so a later report can never change an earlier row's ``claim_likelihood``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._claims.scoring import MAX_DENIALS_APPLIED, expit, logit
from ._claims.vocabulary import fold
from ._lexicons import sources
from ._model import RumourModel, check_base_rate
from ._pool import (
    RIVAL_DONE_STAGE,
    TIER_WEIGHT,
    UNKNOWN_TIER_WEIGHT,
    _claim_columns,
    _effective_sources,
    _Feed,
    _stage_columns,
    is_denial_row,
)
from ._report import Report, make_report
from ._text import check_text, parse_date

__all__ = ["FEED_COLUMNS", "FEED_RULE", "FeedRule", "score_feed"]

#: Columns :func:`score_feed` adds to its input, in order.
FEED_COLUMNS = ("likelihood", "claim_subject", "claim_to_club", "claim_likelihood", "claim_n_reports",
                "claim_n_sources", "claim_first_date", "claim_latest_stage", "claim_note")  # fmt: skip


# --------------------------------------------------------------------------- the pooling rule
@dataclass(frozen=True)
class FeedRule:
    """The parameters of the as-of pooling rule (see :func:`score_feed`, Notes).

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


#: The rule :func:`score_feed` uses, chosen by measurement (``benchmarks/feed_fit.py``). The line
#: likelihoods of ``data/reports.csv`` were scored out of fold (5 models, each trained on the other
#: subjects' reports, at the corpus's own base rate) and every report's as-of claim likelihood was
#: computed with candidate rules. All parameters were chosen together by a coordinate search (3
#: passes over the grid ``feed_fit.GRID``) for the lowest log loss on the 1,367 reports dated
#: before 2022; the 1,852 reports from 2022 on were only used to check. A denial, a rival move and
#: an escalation must move the claim the documented way, so their grids left out the neutral
#: value; the corpus chose the mildest denial and rival factors (0.9). Terms tried and dropped
#: (weight 0 chosen): a bonus per extra source whatever its score, a penalty per other club the
#: subject is linked with; an offset only for claims of two or more reports made a confirming
#: source lower the claim and was dropped for the offset on every claim.
#: The corpus prefers short memory: with the other parameters fixed, log loss falls steadily as the
#: half-life shortens (365 -> 7 days: 0.5521 -> 0.5458 before 2022, 0.5391 -> 0.5325 from 2022 on;
#: still a little lower at 1-3 days). The grid stops at 7 days by design: pooling is meant to carry
#: a claim's evidence across the weeks of a window, not only the same day's reports.
#: Check, reports from 2022 on (line alone -> claim): ROC-AUC 0.785 -> 0.790, Brier 0.1773 ->
#: 0.1780, log loss 0.5320 -> 0.5327; SAG sagas from 2022 on: ROC-AUC 0.761 -> 0.761, Brier
#: 0.1965 -> 0.2001. Fit period: ROC-AUC 0.752 -> 0.765, Brier 0.1863 -> 0.1833.
FEED_RULE = FeedRule(
    half_life_days=7.0,  # grid 7 ... 730 and never: old evidence fades fast (see above)
    extra_weight=0.25,  # grid 0 ... 1.5
    extra_decay=0.9,  # grid 0.3 ... 0.9
    max_gain=1.5,  # grid 0.5 ... 2.5 (hardly binding)
    denial=math.log(0.9),  # odds x0.9 per later denying source (grid x0.9 ... x0.25)
    rival=math.log(0.9),  # odds x0.9 (grid x0.9 ... x0.25)
    rival_done=math.log(0.1),  # odds x0.1 when the move elsewhere is done (grid x0.9 ... x0.1)
    escalation=0.2,  # grid 0.05 ... 0.6
    max_escalations=5,  # grid 1 ... 5
    shrink=1.1,  # grid 0.7 ... 1.3
    offset=-0.1,  # grid -0.6 ... 0.1
    max_share=0.5,  # grid 0 ... 1: half the strongest source, half the mean over sources
)


#: Evidence keys are rebased when their growth factor's exponent passes this (float64 safety).
REBASE_EXPONENT = 300.0


# --------------------------------------------------------------------------- preparation
@dataclass
class _Prepared:
    """Every row's line likelihood, claim key, stage, denial flag and effective source."""

    n: int
    likelihood: np.ndarray
    days: list[int | None]  # date as a day ordinal
    subjects: list[str | None]
    to_clubs: list[str | None]
    keys: list[tuple[str, str] | None]  # (folded subject, folded destination)
    stages: np.ndarray
    denial: list[bool]
    source_of: dict[int, str] = field(default_factory=dict)
    tier_of: dict[str, int | None] = field(default_factory=dict)
    notes: list[str | None] = field(default_factory=list)
    center: float = 0.0  # logit of the base rate


def _column(df: pd.DataFrame, name: str | None) -> list[Any]:
    return df[name].tolist() if name is not None and name in df.columns else [None] * len(df)


def _prepare(df: pd.DataFrame, cols: dict[str, str], model: RumourModel, base_rate: float | None) -> _Prepared:
    """Tag every row once, score it, and find its claim, stage, denials and effective source."""
    n = len(df)
    texts, src, dates = _column(df, cols["text"]), _column(df, cols["source"]), _column(df, cols["date"])
    ok = [i for i in range(n) if check_text(texts[i]) is None]
    reports: dict[int, Report] = {i: make_report(texts[i], src[i], dates[i]) for i in ok}
    likelihood = np.full(n, np.nan)
    if ok:
        likelihood[ok] = model.score_reports([reports[i] for i in ok], base_rate=base_rate)
    col: dict[str, list[Any]] = {
        "subject": _column(df, cols["subject"]), "to_club": _column(df, cols["to_club"]), "from_club": [None] * n,
        "date": dates, "source": src, "likelihood": likelihood.tolist(), "max_stage": [None] * n,
        "denials": [None] * n, "text": [reports[i].text if i in reports else None for i in range(n)],
        "best_source": [reports[i].source if i in reports else None for i in range(n)],
        "source_tier": [sources()[reports[i].source].tier if i in reports and reports[i].source else None
                        for i in range(n)],
    }  # fmt: skip
    feed = _Feed(n, col, likelihood, pd.Series([None] * n, dtype=object), {i: r.tags for i, r in reports.items()}, {})
    for i in range(n):
        if i not in reports:
            feed.tags[i] = ()
    subjects, to_clubs, _ = _claim_columns(feed)
    stages, denials = _stage_columns(feed)
    days = [_ordinal(reports[i].date if i in reports else parse_date(dates[i])) for i in range(n)]
    subject_keys = _subject_keys(subjects, to_clubs, days)
    prep = _Prepared(n, likelihood, days, subjects, to_clubs, [None] * n, np.asarray(stages),
                     [bool(is_denial_row(denials[i], stages[i])) for i in range(n)], notes=[None] * n)  # fmt: skip
    for i in range(n):
        prep.notes[i] = _row_problem(i in reports, days[i], subject_keys[i], to_clubs[i])
        if prep.notes[i] is None:
            prep.keys[i] = (subject_keys[i], fold(to_clubs[i]))
    by_claim = _claim_members(prep)
    for members in by_claim.values():
        source_of, tier_of = _effective_sources(feed, members)
        prep.source_of.update(source_of)
        for name, tier in tier_of.items():
            prep.tier_of.setdefault(name, tier)
    return prep


def _subject_keys(subjects: list[str | None], to_clubs: list[str | None], days: list[int | None]) -> list[str | None]:
    """Folded subject keys; a bare surname joins the one full name of the same claim known by its day.

    Only full names dated on or before the row's day count, so a later report can never
    regroup an earlier row.
    """
    keys = [fold(s) if s else None for s in subjects]
    clubs = [fold(c) if c else "" for c in to_clubs]
    full: dict[tuple[str, str], set[str]] = {}
    order = sorted(range(len(keys)), key=lambda i: (days[i] is None, days[i] or 0, i))
    start = 0
    while start < len(order):
        stop = start
        while stop < len(order) and days[order[stop]] == days[order[start]]:
            stop += 1
        today = order[start:stop]
        for i in today:
            if keys[i] and " " in keys[i]:  # type: ignore[operator]
                full.setdefault((keys[i].split(" ")[-1], clubs[i]), set()).add(keys[i])  # type: ignore[union-attr]
        for i in today:
            names = full.get((keys[i], clubs[i]), set()) if keys[i] and " " not in keys[i] else set()  # type: ignore[operator]
            if len(names) == 1:
                keys[i] = next(iter(names))
        start = stop
    return keys


def _ordinal(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


def _row_problem(scored: bool, day: int | None, subject: str | None, to_club: str | None) -> str | None:
    """Why a row is not pooled (its claim is then the line alone), or None."""
    if not scored:
        return "no text: not scored"
    if day is None:
        return "no usable date: the line's own likelihood"
    if subject is None and to_club is None:
        return "no claim found: the line's own likelihood"
    if subject is None:
        return "no subject found: the line's own likelihood"
    if to_club is None:
        return "no destination club found: the line's own likelihood"
    return None


def _claim_members(prep: _Prepared) -> dict[tuple[str, str], list[int]]:
    """Rows of every claim, in date order (input order within a day)."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i in sorted((i for i in range(prep.n) if prep.keys[i] is not None), key=lambda i: (prep.days[i], i)):
        groups.setdefault(prep.keys[i], []).append(i)  # type: ignore[index]
    return groups


# --------------------------------------------------------------------------- the as-of walk
@dataclass
class _Walk:
    """Running state of one claim while its reports are read in date order."""

    rule: FeedRule
    center: float
    t0: int
    rate: float  # ln 2 / half-life, per day
    keys: list[tuple[float, str]] = field(default_factory=list)  # sorted (-fade key, source)
    key_of: dict[str, float] = field(default_factory=dict)
    key_sum: float = 0.0
    best: int | None = None  # row of the best-scored report so far (support first)
    best_is_support: bool = False
    sources: set[str] = field(default_factory=set)
    n: int = 0
    first_day: int | None = None
    top_stage: float = -1.0
    escalations: int = 0
    denials: deque[tuple[int, str]] = field(default_factory=deque)  # (position, source) after the best
    denial_count: Counter[str] = field(default_factory=Counter)

    def add(self, prep: _Prepared, i: int, pos: int) -> None:
        """Read row ``i`` (the claim's ``pos``-th report)."""
        s = prep.source_of.get(i, "(unknown source)")
        self.n += 1
        self.sources.add(s)
        if self.first_day is None:
            self.first_day = prep.days[i]
        lik = float(prep.likelihood[i])
        if prep.denial[i]:
            self.denials.append((pos, s))
            self.denial_count[s] += 1
            if not self.best_is_support and (self.best is None or lik > prep.likelihood[self.best]):
                self._new_best(i, pos)
            return
        stage = float(prep.stages[i])
        if self.top_stage >= 0 and stage > self.top_stage:
            self.escalations += 1
        self.top_stage = max(self.top_stage, stage)
        self._evidence(s, logit(lik) - self.center, prep.days[i])  # type: ignore[arg-type]
        if not self.best_is_support or lik > prep.likelihood[self.best]:  # type: ignore[index]
            self.best_is_support = True
            self._new_best(i, pos)

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

    def _new_best(self, i: int, pos: int) -> None:
        self.best = i
        while self.denials and self.denials[0][0] <= pos:
            _, s = self.denials.popleft()
            self.denial_count[s] -= 1
            if not self.denial_count[s]:
                del self.denial_count[s]

    def log_odds(self, prep: _Prepared, day: int) -> float:
        """The pooled log-odds of the claim as of ``day`` (rival moves excluded), before calibration."""
        rule = self.rule
        fade = math.exp(-self.rate * (day - self.t0))
        if self.keys:
            top = -self.keys[0][0]
            mean = self.key_sum / len(self.keys)
            z = self.center + (rule.max_share * top + (1.0 - rule.max_share) * mean) * fade
            gain = 0.0
            for k, (neg_key, s) in enumerate(self.keys[1 : 1 + rule.max_extra]):
                weight = rule.extra_weight * TIER_WEIGHT.get(self.tier(prep, s), UNKNOWN_TIER_WEIGHT)
                gain += weight * rule.extra_decay**k * max(0.0, -neg_key * fade)
            z += min(gain, rule.max_gain)
        else:  # denials only
            z = logit(float(prep.likelihood[self.best]))  # type: ignore[index]
        if self.best_is_support:
            z += min(len(self.denial_count), MAX_DENIALS_APPLIED) * rule.denial
        return z + min(self.escalations, rule.max_escalations) * rule.escalation

    @staticmethod
    def tier(prep: _Prepared, s: str) -> int:
        return prep.tier_of.get(s) or -1


@dataclass
class _Rivals:
    """Reports of one subject moving elsewhere, inside a window of positions that only moves forward."""

    rows: list[int]  # the subject's non-denial rows with another destination, in date order
    order: dict[int, int]  # row -> rank in the feed's date order
    start: int = 0
    end: int = 0
    window: deque[int] = field(default_factory=deque)  # decreasing likelihood (a monotonic queue)
    done: int = 0

    def advance(self, prep: _Prepared, after_rank: int, upto_day: int) -> tuple[float, bool]:
        """Strongest rival likelihood and whether a rival move is done, dated after ``after_rank``, up to a day."""
        while self.end < len(self.rows) and prep.days[self.rows[self.end]] <= upto_day:  # type: ignore[operator]
            j = self.rows[self.end]
            while self.window and prep.likelihood[self.window[-1]] <= prep.likelihood[j]:
                self.window.pop()
            self.window.append(j)
            self.done += bool(prep.stages[j] >= RIVAL_DONE_STAGE)
            self.end += 1
        while self.start < self.end and self.order[self.rows[self.start]] <= after_rank:
            j = self.rows[self.start]
            self.done -= bool(prep.stages[j] >= RIVAL_DONE_STAGE)
            if self.window and self.window[0] == j:
                self.window.popleft()
            self.start += 1
        strongest = float(prep.likelihood[self.window[0]]) if self.window else -1.0
        return strongest, self.done > 0


def _as_of(prep: _Prepared, rule: FeedRule) -> dict[str, list[Any]]:
    """The claim columns of every row, as of its date."""
    n = prep.n
    out: dict[str, list[Any]] = {c: [None] * n for c in FEED_COLUMNS[1:]}
    out["claim_likelihood"] = prep.likelihood.tolist()
    groups = _claim_members(prep)
    ranked = sorted((i for members in groups.values() for i in members), key=lambda i: (prep.days[i], i))
    rank = {i: r for r, i in enumerate(ranked)}
    by_subject: dict[str, list[int]] = {}
    for i in ranked:
        if not prep.denial[i]:
            by_subject.setdefault(prep.keys[i][0], []).append(i)  # type: ignore[index]
    rate = math.log(2) / rule.half_life_days if rule.half_life_days > 0 else 0.0
    for key, members in groups.items():
        walk = _Walk(rule, prep.center, prep.days[members[0]], rate)  # type: ignore[arg-type]
        rivals = _Rivals([j for j in by_subject.get(key[0], []) if prep.keys[j][1] != key[1]], rank)  # type: ignore[index]
        start = 0
        while start < len(members):
            day = prep.days[members[start]]
            stop = start
            while stop < len(members) and prep.days[members[stop]] == day:
                walk.add(prep, members[stop], stop)
                stop += 1
            z = walk.log_odds(prep, day)  # type: ignore[arg-type]
            strongest, done = rivals.advance(prep, rank[walk.best], day)  # type: ignore[index,arg-type]
            if done:
                z += rule.rival_done
            elif strongest > prep.likelihood[walk.best]:  # type: ignore[index]
                z += rule.rival
            value = expit(prep.center + rule.shrink * (z - prep.center) + rule.offset)
            latest = float(prep.stages[members[stop - 1]])
            for i in members[start:stop]:
                out["claim_likelihood"][i] = value
                out["claim_n_reports"][i] = walk.n
                out["claim_n_sources"][i] = len(walk.sources)
                out["claim_first_date"][i] = dt.date.fromordinal(walk.first_day)  # type: ignore[arg-type]
                out["claim_latest_stage"][i] = latest
            start = stop
    for i in range(n):
        out["claim_subject"][i] = prep.subjects[i]
        out["claim_to_club"][i] = prep.to_clubs[i]
        out["claim_note"][i] = prep.notes[i]
    return out


# --------------------------------------------------------------------------- the public function
def score_feed(df: pd.DataFrame, *, text_col: str = "text", source_col: str = "source", date_col: str = "date",
               subject_col: str = "subject", to_club_col: str = "to_club", base_rate: float | None = None,
               model: RumourModel | None = None) -> pd.DataFrame:  # fmt: skip
    """Score every line of a feed alone and as part of its claim, as of the line's date.

    Parameters
    ----------
    df : DataFrame
        One report per row; must hold ``text_col``. ``source_col``, ``date_col``,
        ``subject_col`` and ``to_club_col`` are optional: where the subject or destination
        is missing or empty, the row's main claim comes from the claim extractor
        (:func:`rumourscore._claims.extraction.primary_claim`). The rows need not be sorted.
    text_col, source_col, date_col, subject_col, to_club_col : str
        Column names.
    base_rate : float or None, default=None
        As in :func:`rumourscore.score_frame`: the share of rumours that come true in the feed;
        None keeps the training corpus's own rate. Pooling measures evidence from it.
    model : RumourModel, optional
        Defaults to the shipped model.

    Returns
    -------
    DataFrame
        The rows of ``df`` (same index and order, every column kept) plus ``likelihood``
        (the line alone, as ``score_frame``), ``claim_subject``, ``claim_to_club``,
        ``claim_likelihood``, ``claim_n_reports``, ``claim_n_sources`` (independent sources),
        ``claim_first_date``, ``claim_latest_stage`` (stage of the latest report) and
        ``claim_note``. The claim columns count only the claim's reports dated on or before
        the row's day (the same day's included). A row without text, a usable date, a
        subject or a destination keeps the line's own likelihood and says why in
        ``claim_note``; nothing raises on bad rows.

    Notes
    -----
    Names are canonicalised before grouping: clubs through ``canonical_club`` ("Man Utd" is
    "Manchester United"), subjects with accents and case folded, and a surname alone joins
    the full name of the same claim when the feed has exactly one. A year or month alone
    counts as its first day. The rule (parameters in :data:`FEED_RULE`), with ``c`` the
    log-odds of the base rate:

    1. Repeats count once: a report citing an outlet counts as that outlet, a copy of an
       earlier report as the earlier report's source.
    2. Each independent source's evidence is its best ``logit(likelihood) - c``, faded by
       ``0.5 ** (age / half_life_days)`` at the row's date. The claim's base is
       ``max_share`` times the strongest source's evidence plus ``1 - max_share`` times the
       mean over sources; each further source k (strongest first) adds
       ``extra_weight * tier weight * extra_decay**k`` times its (positive) evidence, at most
       ``max_gain`` in all.
    3. Each escalation (a report reaching a stage no earlier report reached) adds
       ``escalation`` (at most ``max_escalations``).
    4. Each independent source denying the claim after its best report adds ``denial``; a
       report of the subject moving elsewhere after the best report adds ``rival`` when it
       scores above the best, ``rival_done`` when it says the move is done.
    5. Calibration: the pooled log-odds' distance from ``c`` is multiplied by ``shrink`` and
       ``offset`` is added (so even a claim of one report is recalibrated).

    Examples
    --------
    >>> import pandas as pd
    >>> feed = pd.DataFrame({"text": ["Chelsea are monitoring Everton winger Tom Reed (Sun)",
    ...                               "Chelsea have agreed a fee with Everton for Tom Reed (Sky Sports)"],
    ...                      "date": ["2024-06-02", "2024-06-01"]})
    >>> out = score_feed(feed)
    >>> out["claim_n_reports"].tolist()
    [2, 1]
    """
    from ._api import load_model

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"score_feed expects a pandas DataFrame, got {type(df).__name__}")
    if text_col not in df.columns:
        raise ValueError(f"text column {text_col!r} not found; columns found: {[str(c) for c in df.columns]}")
    check_base_rate(base_rate)
    model = model or load_model()
    cols = {"text": text_col, "source": source_col, "date": date_col, "subject": subject_col, "to_club": to_club_col}
    prep = _prepare(df.reset_index(drop=True), cols, model, base_rate)
    rate = base_rate if base_rate is not None else model._weights().train_rate
    prep.center = logit(rate)
    return _frame(df, prep, _as_of(prep, FEED_RULE))


def _frame(df: pd.DataFrame, prep: _Prepared, claim: dict[str, list[Any]]) -> pd.DataFrame:
    out = df.copy()
    out["likelihood"] = prep.likelihood
    dtypes = {"claim_likelihood": "float64", "claim_n_reports": "Int64", "claim_n_sources": "Int64",
              "claim_latest_stage": "float64"}  # fmt: skip
    for column in FEED_COLUMNS[1:]:
        out[column] = pd.Series(claim[column], index=df.index, dtype=dtypes.get(column, object))
    return out
