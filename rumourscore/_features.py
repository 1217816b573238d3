"""Rumour features: one report (text + source + date) to a row of interpretable numbers.

This module needs only numpy and the tagger, so scoring with a trained model does not
import scikit-learn or pandas. The scikit-learn estimator that wraps it for training is
:class:`rumourscore.RumourFeatures` (``_estimators.py``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np

from ._lexicons import club_matcher, normalise_term, sources, term_lexicon, trie_pattern
from ._report import Report
from ._tagger import Money
from ._text import parse_date, split_sentences

__all__ = ["FEATURE_NAMES", "NEGATION", "TIER_PRIOR", "TrackRecord", "row_features",
           "to_eur"]  # fmt: skip

#: Prior hit rate of a source by reliability tier, before its own track record is known.
#: Anchored on the published figures in SOURCES.md: broadsheets ~0.30-0.39, tabloids
#: ~0.20-0.24, gossip columns ~0.22-0.33; tier-1 journalists are right far more often.
TIER_PRIOR = {1: 0.60, 2: 0.45, 3: 0.33, 4: 0.26, 5: 0.20}
#: Prior for a report whose source is unknown or not named.
UNKNOWN_SOURCE_PRIOR = 0.25
#: Tier assumed for an unknown source (between tabloid and broadsheet).
UNKNOWN_TIER = 4.0
#: How many resolved reports a source's own record counts as much as its tier prior.
PRIOR_STRENGTH = 20.0
#: A report's outcome is known at the latest this many days after its date (label window).
RESOLUTION_DAYS = 365
#: Currency conversion to euros for fee/wage features (rough long-run averages).
TO_EUR = {"EUR": 1.0, "GBP": 1.15, "USD": 0.92}
#: Age the ``age`` feature is measured from: a stated age enters as years above or below it,
#: and an unstated one as 0, i.e. this age. Whether an age is *stated* is a habit of the
#: writer (gossip columns always give it), not evidence about the deal, so it is no feature:
#: with an "age stated" flag the model learnt the corpus's style (its gossip lines are mostly
#: false) and scored "X, 26 (Sun)" half as likely as "X (Sun)".
TYPICAL_AGE = 26.0
#: Words that negate a stage or denial when they stand shortly before it.
NEGATION = re.compile(
    r"\b(?:not|no|never|without|n't|nor|yet to|denied|deny|denies|rule out|ruled out)\W+(?:\w+\W+){0,2}$", re.I
)

FEATURE_NAMES = (
    "source_known", "source_tier", "source_prior", "source_track", "source_n_resolved",
    "source_named_in_text", "source_anonymous", "source_journalist",
    "hedge_max", "hedge_mean", "hedge_count",
    "stage_max", "stage_last", "stage_count", "stage_negated",
    "stage_interest", "stage_talks", "stage_agreed", "stage_medical", "stage_done",
    "denial_count", "denial_max", "denial_negated", "denial_after_stage",
    "fee_log_eur", "has_fee", "wage_log_eur_year", "has_wage",
    "expiry_years_left", "has_expiry", "contract_length", "release_clause", "release_clause_log_eur",
    "loan", "loan_option", "loan_obligation", "add_ons",
    "age", "red_flags", "competition", "free_agent", "renewal", "return", "n_clubs",
    "question", "exclusive",
    "has_date", "days_to_deadline", "in_window", "log_chars", "n_sentences",
)  # fmt: skip


class TrackRecord:
    """Each source's resolved reports: when their outcome became known, and how many came true.

    A report dated *d* resolves at *d* + :data:`RESOLUTION_DAYS` (its label window closes).
    :meth:`resolved_before` only counts reports resolved before the day asked about, so a
    report's own outcome, and any later one, never feeds its features.
    """

    def __init__(self, records: dict[str, tuple[np.ndarray, np.ndarray]] | None = None) -> None:
        self.records = records or {}

    @classmethod
    def from_labels(cls, names: Iterable[str | None], dates: Iterable[Any], labels: Iterable[float]) -> TrackRecord:
        """Build from parallel sequences of canonical source names, report dates and 0/1 labels."""
        rows: dict[str, list[tuple[int, int]]] = {}
        for name, date, label in zip(names, dates, labels):
            day = parse_date(date)
            if day is None or name is None or label != label:
                continue
            rows.setdefault(name, []).append((day.toordinal() + RESOLUTION_DAYS, int(label)))
        records = {}
        for name, items in rows.items():
            items.sort()
            records[name] = (np.array([d for d, _ in items], dtype=np.int64), np.cumsum([y for _, y in items]))
        return cls(records)

    def resolved_before(self, name: str, day: dt.date | None) -> tuple[int, int]:
        """(reports resolved, of which true) for ``name`` before ``day`` (all of them if no day)."""
        record = self.records.get(name)
        if record is None:
            return 0, 0
        days, cum_pos = record
        n = len(days) if day is None else int(np.searchsorted(days, day.toordinal(), side="left"))
        return n, int(cum_pos[n - 1]) if n else 0

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Flat arrays for storage (no pickle): names, offsets, days, cumulative positives."""
        names = sorted(self.records)
        lengths = [len(self.records[n][0]) for n in names]
        return {
            "track_names": np.array(names, dtype=str),
            "track_offsets": np.cumsum([0, *lengths]).astype(np.int64),
            "track_days": np.concatenate([self.records[n][0] for n in names]) if names else np.zeros(0, np.int64),
            "track_pos": np.concatenate([self.records[n][1] for n in names]).astype(np.int64)
            if names else np.zeros(0, np.int64),
        }  # fmt: skip

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> TrackRecord:
        """Inverse of :meth:`to_arrays`."""
        offsets = arrays["track_offsets"]
        return cls({
            str(name): (arrays["track_days"][offsets[i]:offsets[i + 1]], arrays["track_pos"][offsets[i]:offsets[i + 1]])
            for i, name in enumerate(arrays["track_names"])
        })  # fmt: skip

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TrackRecord) or set(self.records) != set(other.records):
            return False
        return all(all(np.array_equal(a, b) for a, b in zip(self.records[k], other.records[k])) for k in self.records)

    __hash__ = None  # type: ignore[assignment]


#: Kinds of ``signals.csv``; each becomes one feature (the sum of its weights in a text).
SIGNAL_KINDS = ("red_flag", "competition", "free_agent", "renewal", "return")


@cache
def _signal_matcher() -> tuple[re.Pattern[str], dict[str, tuple[str, float]]]:
    table = {normalise_term(r.term): (r.kind, float(r.value)) for r in term_lexicon("signals.csv")}
    return re.compile(rf"(?<![\w@.])(?:{trie_pattern(sorted(table))})(?![\w@])"), table


def to_eur(money: Money) -> float:
    """An amount in euros (rough conversion with :data:`TO_EUR`)."""
    return money.amount * TO_EUR.get(money.currency, 1.0)


def _days_to_deadline(day: dt.date) -> int:
    """Days from ``day`` to the next close of a transfer window (31 Jan or 1 Sep)."""
    candidates = [
        dt.date(day.year, 1, 31), dt.date(day.year, 9, 1), dt.date(day.year + 1, 1, 31),
    ]  # fmt: skip
    return min((c - day).days for c in candidates if c >= day)


def _negated(text: str, start: int) -> bool:
    return NEGATION.search(text, max(0, start - 30), start) is not None


def row_features(report: Report, *, track: TrackRecord | None = None,
                 prior_strength: float = PRIOR_STRENGTH) -> np.ndarray:  # fmt: skip
    """Features of one tagged report: a row of :data:`FEATURE_NAMES`."""
    text, tags, day, name = report.text, report.tags, report.date, report.source
    f = dict.fromkeys(FEATURE_NAMES, 0.0)
    info = sources().get(name) if name else None
    if info is not None:
        prior = info.hit_rate if info.hit_rate is not None else TIER_PRIOR.get(info.tier, UNKNOWN_SOURCE_PRIOR)
        n, pos = track.resolved_before(info.name, day) if track is not None else (0, 0)
        f.update(source_known=1.0, source_tier=float(info.tier), source_prior=prior,
                 source_journalist=float(info.kind == "journalist"), source_n_resolved=math.log1p(n),
                 source_track=(pos + prior_strength * prior) / (n + prior_strength)
                 if n + prior_strength > 0 else prior)  # fmt: skip
    else:
        f.update(source_tier=UNKNOWN_TIER, source_prior=UNKNOWN_SOURCE_PRIOR, source_track=UNKNOWN_SOURCE_PRIOR)
    f["source_named_in_text"] = float(report.named_in_text)
    f["source_anonymous"] = float(report.anonymous)

    stages: list[int] = []
    last_stage_pos = -1
    last_denial_pos = -1
    for t in tags:
        k = t.kind
        if k == "hedge":
            f["hedge_count"] += 1
            f["hedge_mean"] += t.value
            f["hedge_max"] = max(f["hedge_max"], t.value)
        elif k == "stage":
            if _negated(text, t.start):
                f["stage_negated"] += 1
                continue
            stages.append(t.value)
            last_stage_pos = t.start
        elif k == "denial":
            if _negated(text, t.start):
                f["denial_negated"] += 1
                continue
            f["denial_count"] += 1
            f["denial_max"] = max(f["denial_max"], _denial_weight(t.text))
            last_denial_pos = t.start
        elif k == "fee":
            f["has_fee"] = 1.0
            f["fee_log_eur"] = max(f["fee_log_eur"], math.log10(1 + to_eur(t.value)))
        elif k == "wage":
            per_year = {"week": 52, "month": 12}.get(t.value.per, 1)
            f["has_wage"] = 1.0
            f["wage_log_eur_year"] = max(f["wage_log_eur_year"], math.log10(1 + to_eur(t.value) * per_year))
        elif k == "contract_expiry":
            f["has_expiry"] = 1.0
            if day is not None:
                f["expiry_years_left"] = float(np.clip(t.value - day.year, -1, 8))
        elif k == "contract_length":
            f["contract_length"] = max(f["contract_length"], float(t.value))
        elif k == "release_clause":
            f["release_clause"] = 1.0
            if isinstance(t.value, Money):
                f["release_clause_log_eur"] = math.log10(1 + to_eur(t.value))
        elif k == "loan":
            f["loan"] = 1.0
            f["loan_option"] = max(f["loan_option"], float(t.value == "option"))
            f["loan_obligation"] = max(f["loan_obligation"], float(t.value == "obligation"))
        elif k == "add_ons":
            f["add_ons"] = 1.0
        elif k == "age":
            f["age"] = float(t.value) - TYPICAL_AGE
    if f["hedge_count"]:
        f["hedge_mean"] /= f["hedge_count"]
    if stages:
        top = max(stages)
        f.update(stage_max=float(top), stage_last=float(stages[-1]), stage_count=float(len(stages)),
                 stage_interest=float(top <= 2), stage_talks=float(3 <= top <= 5),
                 stage_agreed=float(6 <= top <= 7), stage_medical=float(8 <= top <= 9),
                 stage_done=float(top == 10))  # fmt: skip
    f["denial_after_stage"] = float(last_denial_pos > last_stage_pos >= 0 or (last_denial_pos >= 0 and not stages))
    lowered = text.lower()
    matcher, table = _signal_matcher()
    for m in matcher.finditer(lowered):
        kind, weight = table[normalise_term(m.group(0))]
        f["red_flags" if kind == "red_flag" else kind] += weight
    clubs_pattern, _, aliases = club_matcher()
    named = (aliases[normalise_term(m.group(0))] for m in clubs_pattern.finditer(lowered))
    f["n_clubs"] = float(len({alias.club for alias in named if not alias.needs_cue}))
    f["question"] = float("?" in text)
    f["exclusive"] = float(bool(re.search(r"\bexcl(?:usive)?\b", text, re.I)))
    if day is not None:
        f["has_date"] = 1.0
        f["days_to_deadline"] = _days_to_deadline(day) / 100.0
        f["in_window"] = float(day.month in (1, 6, 7, 8))
    f["log_chars"] = math.log10(1 + len(text))
    f["n_sentences"] = float(len(split_sentences(text)))
    return np.fromiter(f.values(), dtype=np.float64, count=len(FEATURE_NAMES))


@cache
def _denial_weights() -> dict[str, float]:
    return {normalise_term(r.term): float(r.value) for r in term_lexicon("denials.csv")}


def _denial_weight(text: str) -> float:
    return _denial_weights().get(normalise_term(text), 0.5)
