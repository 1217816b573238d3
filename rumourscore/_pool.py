"""Pooling: many reports of the same claim, from many outlets, into one verdict per claim.

:func:`aggregate` turns a scored feed (typically :func:`rumourscore.score_frame` output)
into one row per *(subject, to_club)* claim. Every row is tagged at most once: the tags
come from the report the row is scored with (when the feed has no ``likelihood``) or from
one tagging of its text, and serve the deal stage, the denials, the outlet it cites and,
when ``subject``/``to_club`` are missing, the claim extractor.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from ._api import check_unique_columns, model_or_default
from ._claims.extraction import claim_day_key, primary_claim
from ._claims.scoring import MAX_DENIALS_APPLIED, expit, logit
from ._claims.status import negated
from ._claims.vocabulary import fold
from ._lexicons import club_matcher, normalise_term, sources
from ._model import RumourModel
from ._report import Report, make_report
from ._scope import denied_report_spans, inside, past_spans
from ._tagger import Tag, resolve_source, tag
from ._text import MAX_TEXT_CHARS, CopyFinder, check_text, is_blank, masked_key, parse_date

__all__ = ["AGGREGATE_COLUMNS", "aggregate", "aggregate_groups", "canonical_club", "is_denial_row"]

#: Columns of the frame :func:`aggregate` returns, in order.
AGGREGATE_COLUMNS = (
    "subject", "to_club", "likelihood", "n_reports", "n_sources", "first_date", "last_date", "latest_stage", "denied",
    "from_club", "best_source", "max_likelihood", "mean_likelihood",
)  # fmt: skip
#: Base rate the pooled evidence of extra sources is measured against (about one rumour in
#: three comes true; the README of the real evaluation data quotes the same figure).
AGGREGATE_BASE_RATE = 0.30
#: Weight of an extra independent source's log-odds evidence, by reliability tier.
TIER_WEIGHT = {1: 0.9, 2: 0.7, 3: 0.5, 4: 0.35, 5: 0.2}
#: Weight for a source whose tier is unknown.
UNKNOWN_TIER_WEIGHT = 0.25
#: Extra sources beyond the best one count with weight ``TIER_WEIGHT * POOL_DECAY**(k-1)``.
POOL_DECAY = 0.7
#: Cap on the log-odds that extra independent sources may add to the best source's score.
MAX_POOL_GAIN = 1.5
#: Odds multiplier for each independent source denying the claim after its best report.
LATER_DENIAL_ODDS_FACTOR = 0.4
#: Odds multiplier when the subject is later reported moving to another club with a higher
#: score, and when that later report says the other move is done (max stage >= 9).
RIVAL_MOVE_ODDS_FACTOR = 0.6
RIVAL_DONE_ODDS_FACTOR = 0.2
#: Rows with a denial and no stage above this (5, close to a deal: "advanced talks") are denial reports.
DENIAL_REPORT_MAX_STAGE = 5
#: A later rival report whose max stage reaches this says the other move is done.
RIVAL_DONE_STAGE = 9
#: Only the outlets named in the first this many characters of a report count as cited.
CITATION_CHARS = 5000
#: The columns of the feed that pooling reads.
_FEED_COLUMNS = ("subject", "to_club", "from_club", "date", "source", "text", "likelihood", "max_stage", "denials",
                 "best_source", "source_tier")  # fmt: skip
_UNKNOWN_SOURCE = "(unknown source)"


def canonical_club(name: Any) -> str | None:
    """Map a club name or alias ("Man Utd", "the Gunners", "Barça") to its canonical name.

    Parameters
    ----------
    name : object
        A club name, alias, nickname or stadium, in any case.

    Returns
    -------
    str or None
        The canonical name from ``clubs.csv``; ``None`` for anything that is not a known
        club (or not a string).

    Examples
    --------
    >>> canonical_club("the Gunners"), canonical_club("Man Utd"), canonical_club("Atlantis FC")
    ('Arsenal', 'Manchester United', None)
    """
    if not isinstance(name, str) or not name.strip():
        return None
    return _canonical_club(name)


#: How many distinct club names the cache keeps (feeds repeat them a lot).
NAME_CACHE_SIZE = 4096


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _canonical_club(name: str) -> str | None:
    table = club_matcher()[2]
    key = normalise_term(name.strip())
    for candidate in (key, key.removeprefix("the ")):
        if candidate in table:
            return table[candidate].club
    return None


def is_denial_row(denials: float, max_stage: float) -> bool:
    """True if a scored report is a denial: it has a denial and no stage above :data:`DENIAL_REPORT_MAX_STAGE`."""
    return denials > 0 and max_stage <= DENIAL_REPORT_MAX_STAGE


def aggregate(scored_df: pd.DataFrame, *, model: RumourModel | None = None) -> pd.DataFrame:
    """One verdict per (subject, to_club) claim from a feed of scored reports.

    Parameters
    ----------
    scored_df : DataFrame
        Typically the output of :func:`rumourscore.score_frame`. Columns used when present:
        ``subject``, ``to_club``, ``from_club``, ``date``, ``source``, ``text``,
        ``likelihood``, ``max_stage``, ``denials``, ``best_source``, ``source_tier``. A
        missing (or empty) ``subject``/``to_club`` is derived per row from ``text`` with the
        claim extractor; a missing ``likelihood`` column is filled by scoring ``text`` with
        ``model``; missing ``max_stage``/``denials`` are tagged from ``text``.
    model : RumourModel, optional
        Only used when there is no ``likelihood`` column (default: the shipped model).

    Returns
    -------
    DataFrame
        One row per claim, most likely first: ``subject``, ``to_club``, ``likelihood``
        (combined), ``n_reports``, ``n_sources`` (independent), ``first_date``,
        ``last_date``, ``latest_stage``, ``denied``, plus ``from_club`` (the most reported; a tie goes to the
        first reported), ``best_source``,
        ``max_likelihood`` and ``mean_likelihood``. Rows with no subject or no score are left
        out; an empty input gives an empty frame with these columns.

    Raises
    ------
    TypeError
        If ``scored_df`` is not a DataFrame, or ``model`` not a :class:`RumourModel`.
    ValueError
        If a column name repeats, the feed has neither ``likelihood`` nor ``text``, or a
        likelihood lies outside [0, 1].

    Notes
    -----
    The pooling rule, with the module constants:

    1. **Repeats count once.** A report citing another outlet ("according to Marca") counts
       as that outlet. A report whose name-masked text equals, or has a rapidfuzz ratio of at
       least ``_text.NEAR_DUPLICATE_RATIO`` with, an earlier report of the claim is a copy and
       counts as the earlier report's source.
    2. **Per-source best.** Each independent source contributes its best score (denial
       reports excluded). A claim of denials only starts from its strongest denial (the
       lowest score) and every further denying source counts as a later denial (step 4), so
       a further denial never raises it.
    3. **Log-odds pooling with tier weights and a cap.** Start from the best source's
       log-odds; every further source *k* (by score, k = 1, 2, ...) adds
       ``TIER_WEIGHT[tier] * POOL_DECAY**(k-1) * max(0, logit(score) - logit(AGGREGATE_BASE_RATE))``,
       the total capped at ``MAX_POOL_GAIN``. Repeats from one outlet add nothing; a
       tier-1 source adds more than a tier-5 one.
    4. **Later denials** (a report with a denial and no stage above ``DENIAL_REPORT_MAX_STAGE``, dated after the
       best report) multiply the odds by ``LATER_DENIAL_ODDS_FACTOR`` per independent
       denying source (at most ``MAX_DENIALS_APPLIED``). ``denied`` is True when the latest
       report is a denial.
    5. **Later moves elsewhere.** A report of the same subject to another club, dated after
       the claim's last report and scored higher than the claim's best, multiplies the odds by
       ``RIVAL_MOVE_ODDS_FACTOR`` (``RIVAL_DONE_ODDS_FACTOR`` when that report has reached
       stage ``RIVAL_DONE_STAGE`` or more).

    Reports without a date sort after dated ones, in input order.
    """
    return aggregate_groups(scored_df, model)[0]


def aggregate_groups(scored_df: pd.DataFrame, model: RumourModel | None = None) -> tuple[pd.DataFrame, list[list[int]]]:
    """The work behind :func:`aggregate`; also returns the row positions of every group (same order)."""
    if not isinstance(scored_df, pd.DataFrame):
        raise TypeError(f"aggregate() expects a pandas DataFrame, got {type(scored_df).__name__}")
    check_unique_columns(scored_df, "aggregate")
    if model is not None:
        model_or_default(model)  # (a wrong model is refused even when the feed has its likelihoods)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in AGGREGATE_COLUMNS})
    if len(scored_df) == 0:
        return empty, []
    feed = Feed.read(scored_df, model)
    subjects, to_clubs, from_clubs = row_claim_columns(feed)
    stages, denials = stage_columns(feed)
    keys = _subject_keys(subjects, to_clubs)
    groups: dict[tuple[str, str | None], list[int]] = {}
    for i in range(feed.n):
        if keys[i] is None or np.isnan(feed.likelihood[i]):
            continue
        groups.setdefault((keys[i], to_clubs[i]), []).append(i)
    if not groups:
        return empty, []
    rows = _Rows(subjects, to_clubs, from_clubs, np.asarray(stages), np.asarray(denials), _date_rank(feed.dates))
    by_subject: dict[str, list[int]] = {}
    for (k, t), members in groups.items():
        if t is not None:
            by_subject.setdefault(k, []).extend(members)
    records, positions = [], []
    for (key, to_club), members in groups.items():
        members = sorted(members, key=lambda i: rows.rank[i])
        records.append(_pool_claim(feed, rows, key, to_club, members, by_subject.get(key, [])))
        positions.append(members)
    out = pd.DataFrame.from_records(records, columns=list(AGGREGATE_COLUMNS))
    order_out = np.argsort(-out["likelihood"].to_numpy(), kind="stable")
    out = out.iloc[order_out].reset_index(drop=True)
    return out, [positions[i] for i in order_out]


# --------------------------------------------------------------------------- the feed
@dataclass
class Feed:
    """The columns pooling reads, with each row's tags computed at most once."""

    n: int
    col: dict[str, list[Any]]
    likelihood: np.ndarray
    dates: pd.Series
    tags: dict[int, tuple[Tag, ...]]  # row -> tags of text[:MAX_TEXT_CHARS], filled on first use
    by_text: dict[str, tuple[Tag, ...]]  # a text repeated in the feed is tagged once

    @classmethod
    def read(cls, scored_df: pd.DataFrame, model: RumourModel | None) -> Feed:
        """Read the feed; score it first when it has no ``likelihood`` column."""
        df = scored_df.reset_index(drop=True)
        known: dict[int, tuple[Tag, ...]] = {}
        if "likelihood" not in df.columns:
            if "text" not in df.columns:
                raise ValueError(
                    f"aggregate() needs a 'likelihood' or a 'text' column; columns found: {list(df.columns)}"
                )
            df, reports = _score(df, model)
            known = {i: r.tags for i, r in reports.items()}
        n = len(df)
        col = {c: (df[c].tolist() if c in df.columns else [None] * n) for c in _FEED_COLUMNS}
        likelihood = pd.to_numeric(pd.Series(col["likelihood"]), errors="coerce").to_numpy(dtype=float)
        outside = np.flatnonzero((likelihood < 0.0) | (likelihood > 1.0))  # (NaN is an unscored row, left out)
        if outside.size:
            first = outside[0]
            raise ValueError(f"aggregate(): a likelihood must lie between 0 and 1; {outside.size} row(s) do not, the "
                             f"first at index {scored_df.index[first]!r}: {col['likelihood'][first]!r}")  # fmt: skip
        days = [parse_date(v) for v in col["date"]]  # years outside 1900-2100 are no dates (no overflow)
        dates = pd.Series([pd.Timestamp(d) if d is not None else pd.NaT for d in days], dtype="datetime64[ns]")
        return cls(n, col, likelihood, dates, known, {})

    def text(self, i: int) -> str | None:
        """Row ``i``'s text, when it is a string."""
        value = self.col["text"][i]
        return value if isinstance(value, str) else None

    def row_tags(self, i: int) -> tuple[Tag, ...]:
        """The tags of row ``i``'s text (its first ``MAX_TEXT_CHARS`` characters); tagged once."""
        if i not in self.tags:
            text = self.text(i)
            if text is None:
                self.tags[i] = ()
            else:
                if text not in self.by_text:
                    self.by_text[text] = tuple(tag(text[:MAX_TEXT_CHARS]))
                self.tags[i] = self.by_text[text]
        return self.tags[i]


def _score(df: pd.DataFrame, model: RumourModel | None) -> tuple[pd.DataFrame, dict[int, Report]]:
    """Score every row as :func:`rumourscore.score_frame` does, keeping each row's tagged report."""
    model = model_or_default(model)
    n = len(df)
    texts = df["text"].tolist()
    src = df["source"].tolist() if "source" in df.columns else [None] * n
    dates = df["date"].tolist() if "date" in df.columns else [None] * n
    ok = [i for i in range(n) if check_text(texts[i]) is None]
    reports = {i: make_report(texts[i], src[i], dates[i]) for i in ok}
    likelihood = np.full(n, np.nan)
    if ok:
        likelihood[ok] = model.score_reports([reports[i] for i in ok])
    summary: dict[str, list[Any]] = {c: [None] * n for c in ("best_source", "source_tier", "max_stage", "denials")}
    for i, report in reports.items():
        stages = [t.value for t in report.tags if t.kind == "stage"]
        summary["best_source"][i] = report.source
        summary["source_tier"][i] = sources()[report.source].tier if report.source else None
        summary["max_stage"][i] = max(stages) if stages else 0
        summary["denials"][i] = sum(t.kind == "denial" for t in report.tags)
    out = df.copy()
    out["likelihood"] = likelihood
    for column, values in summary.items():
        out[column] = values
    return out, reports


def _clean(value: Any) -> str | None:
    return None if is_blank(value) else str(value).strip()


def row_claim_columns(feed: Feed) -> tuple[list[str | None], list[str | None], list[str | None]]:
    """Subject, destination and origin of every row; missing ones come from the claim extractor."""
    subjects, to_clubs, from_clubs = [], [], []
    derived: dict[tuple[Any, ...], tuple[str | None, str | None, str | None]] = {}
    for i in range(feed.n):
        subject = _clean(feed.col["subject"][i])
        to_club = _clean(feed.col["to_club"][i])
        to_club = canonical_club(to_club) or to_club
        from_club = _clean(feed.col["from_club"][i])
        if subject is None or to_club is None:
            memo_key = (feed.text(i), claim_day_key(feed.col["date"][i]), subject, to_club)
            if memo_key not in derived:
                text = feed.text(i)
                derived[memo_key] = (
                    primary_claim(text, feed.col["date"][i], subject, to_club, tags=feed.row_tags(i))
                    if text is not None and text.strip() else (None, None, None)
                )  # fmt: skip
            s2, t2, f2 = derived[memo_key]
            subject = subject or s2
            to_club = to_club or t2
            from_club = from_club or f2
        subjects.append(subject)
        to_clubs.append(to_club)
        from_clubs.append(canonical_club(from_club) or from_club)
    return subjects, to_clubs, from_clubs


def stage_columns(feed: Feed) -> tuple[list[float], list[float]]:
    """Max deal stage and number of denials of every row; missing ones are read from its tags (:func:`_reached`)."""
    stages, denials = [], []
    for i in range(feed.n):
        stage, denial = feed.col["max_stage"][i], feed.col["denials"][i]
        if is_blank(stage) or is_blank(denial):
            tags = feed.row_tags(i)
            text = feed.text(i) or ""
            if is_blank(stage):
                stage = max(_reached(text, tags, feed.col["date"][i]), default=0)
            if is_blank(denial):
                denial = sum(t.kind == "denial" and not negated(text, t) for t in tags)
        stages.append(float(stage))
        denials.append(float(denial))
    return stages, denials


def _reached(text: str, tags: tuple[Tag, ...], date: Any) -> list[int]:
    """The deal stages a report's text reaches by three of the rules of :mod:`rumourscore._scope`: not
    negated, not in a report a denial calls untrue, not in a clause set before ``date``."""
    stages = [t for t in tags if t.kind == "stage" and not negated(text, t)]
    if stages:
        day = parse_date(date)
        denied, past = denied_report_spans(text, tags), past_spans(text, day.year if day is not None else None)
        stages = [t for t in stages if not inside(denied, t.start) and not inside(past, t.start)]
    return [t.value for t in stages]


def _subject_keys(subjects: list[str | None], to_clubs: list[str | None]) -> list[str | None]:
    """Subject keys: accents and case do not matter; a bare surname joins the full name of the same claim."""
    keys = [fold(s) if s else None for s in subjects]
    full_by_club: dict[tuple[str, str | None], set[str]] = {}
    for k, t in zip(keys, to_clubs):
        if k and " " in k:
            full_by_club.setdefault((k.split(" ")[-1], t), set()).add(k)
    for i, (k, t) in enumerate(zip(keys, to_clubs)):
        if k and " " not in k and len(full_by_club.get((k, t), ())) == 1:
            keys[i] = next(iter(full_by_club[(k, t)]))
    return keys


def _date_rank(dates: pd.Series) -> np.ndarray:
    """Each row's position in date order (undated rows last, in input order)."""
    order = np.argsort(np.asarray([(d.value if not pd.isna(d) else np.iinfo(np.int64).max) for d in dates]),
                       kind="stable")  # fmt: skip
    rank = np.empty(len(dates), dtype=np.int64)
    rank[order] = np.arange(len(dates))
    return rank


# --------------------------------------------------------------------------- one claim
@dataclass
class _Rows:
    """Per-row values of the feed that pooling one claim reads."""

    subjects: list[str | None]
    to_clubs: list[str | None]
    from_clubs: list[str | None]
    stages: np.ndarray
    denials: np.ndarray
    rank: np.ndarray


def _pool_claim(feed: Feed, rows: _Rows, key: str, to_club: str | None, members: list[int],
                same_subject: list[int]) -> dict[str, Any]:  # fmt: skip
    """The pooled record of one claim from its reports (``members``, in date order)."""
    likelihood = feed.likelihood
    source_of, tier_of = _effective_sources(feed, members)
    is_denial = {i: bool(is_denial_row(rows.denials[i], rows.stages[i])) for i in members}
    support = [i for i in members if not is_denial[i]]
    sign = 1.0 if support else -1.0  # denials only: the strongest denial (the lowest score) leads
    best_by_source: dict[str, int] = {}
    for i in support or members:
        s = source_of[i]
        if s not in best_by_source or sign * likelihood[i] > sign * likelihood[best_by_source[s]]:
            best_by_source[s] = i
    ranked = sorted(best_by_source.items(), key=lambda kv: -sign * likelihood[kv[1]])
    best_row = ranked[0][1]
    log_odds = logit(float(likelihood[best_row]))
    if support:
        log_odds += _extra_source_gain(ranked[1:], tier_of, likelihood)
        later_denial_sources = {source_of[i] for i in members if is_denial[i] and rows.rank[i] > rows.rank[best_row]}
    else:  # every further denying source lowers it: a further denial never raises a claim
        later_denial_sources = {s for s, _ in ranked[1:]}
    log_odds += min(len(later_denial_sources), MAX_DENIALS_APPLIED) * math.log(LATER_DENIAL_ODDS_FACTOR)
    last = members[-1]
    if to_club is not None:
        log_odds += _rival_penalty(rows, to_club, likelihood[best_row], last, same_subject, likelihood)
    member_dates = feed.dates.iloc[members]
    froms = [rows.from_clubs[i] for i in members if rows.from_clubs[i]]  # a tie: the first reported (date order)
    display = next((rows.subjects[i] for i in members if rows.subjects[i] and fold(rows.subjects[i]) == key),
                   rows.subjects[members[0]])  # fmt: skip
    return {
        "subject": display, "to_club": to_club, "likelihood": expit(log_odds), "n_reports": len(members),
        "n_sources": len(set(source_of.values())), "first_date": _day(member_dates.min()),
        "last_date": _day(member_dates.max()), "latest_stage": float(rows.stages[last]),
        "denied": bool(is_denial[last]), "from_club": max(dict.fromkeys(froms), key=froms.count) if froms else None,
        "best_source": None if ranked[0][0] == _UNKNOWN_SOURCE else ranked[0][0],
        "max_likelihood": float(np.max(likelihood[members])), "mean_likelihood": float(np.mean(likelihood[members])),
    }  # fmt: skip


def _extra_source_gain(extra: Sequence[tuple[str, int]], tier_of: dict[str, int | None],
                       likelihood: np.ndarray) -> float:  # fmt: skip
    """Log-odds the further independent sources add, by tier, decaying, capped at ``MAX_POOL_GAIN``."""
    gain = 0.0
    base = logit(AGGREGATE_BASE_RATE)
    for k, (s, i) in enumerate(extra):
        weight = TIER_WEIGHT.get(tier_of.get(s) or -1, UNKNOWN_TIER_WEIGHT) * POOL_DECAY**k
        gain += weight * max(0.0, logit(float(likelihood[i])) - base)
    return min(gain, MAX_POOL_GAIN)


def _rival_penalty(rows: _Rows, to_club: str, best: float, last: int, same_subject: list[int],
                   likelihood: np.ndarray) -> float:  # fmt: skip
    """Log-odds lost to a later, higher-scored report of the subject moving elsewhere (0 if none)."""
    rivals = [j for j in same_subject if rows.to_clubs[j] != to_club and rows.rank[j] > rows.rank[last]
              and likelihood[j] > best]  # fmt: skip
    if not rivals:
        return 0.0
    done = any(rows.stages[j] >= RIVAL_DONE_STAGE and not is_denial_row(rows.denials[j], rows.stages[j])
               for j in rivals)  # fmt: skip
    return math.log(RIVAL_DONE_ODDS_FACTOR if done else RIVAL_MOVE_ODDS_FACTOR)


def _effective_sources(feed: Feed, members: list[int]) -> tuple[dict[int, str], dict[str, int | None]]:
    """Each report's effective source (a citation, or the source of the earlier report it copies) and the tiers."""
    source_of: dict[int, str] = {}
    tier_of: dict[str, int | None] = {}
    copies = CopyFinder()
    for i in members:
        name, tier = report_source(feed, i)
        masked = masked_key(feed.col["text"][i])  # its own key
        original = copies.copy_of(masked, lambda m=masked: m, i)
        if original is not None:
            name = source_of[original]
        else:
            tier_of.setdefault(name, tier)
        source_of[i] = name
    return source_of, tier_of


def report_source(feed: Feed, i: int) -> tuple[str, int | None]:
    """(effective source key, tier) of one report.

    A report citing another outlet ("according to Marca", "as reported by AS") is that
    outlet's claim repeated, so its effective source is the cited outlet.
    """
    own = _clean_source(feed.col["best_source"][i])
    if own is None:
        info = resolve_source(feed.col["source"][i])
        own = info.name if info else _clean(feed.col["source"][i])
    cited = []
    text = feed.text(i)
    if text is not None and text.strip():
        cited = [t.value for t in feed.row_tags(i) if t.end <= CITATION_CHARS and t.kind == "source"
                 and t.value is not None and t.value != own]  # fmt: skip
    name = cited[0] if cited else own
    tier = None
    if name is not None and name in sources():
        tier = sources()[name].tier
    elif name is not None and name == own and not is_blank(feed.col["source_tier"][i]):
        try:
            tier = int(float(feed.col["source_tier"][i]))
        except (TypeError, ValueError):
            tier = None
    return (name if name is not None else _UNKNOWN_SOURCE), tier


def _clean_source(value: Any) -> str | None:
    return None if is_blank(value) else str(value)


def _day(value: Any) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()
