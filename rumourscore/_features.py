"""``RumourFeatures``: rumour texts (+ source, date) to an interpretable feature table."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._lexicons import club_matcher, normalise_term, sources, term_lexicon, trie_pattern
from ._tagger import Money, Tag, resolve_source, tag
from ._text import MAX_TEXT_CHARS, split_sentences

__all__ = ["FEATURE_NAMES", "TIER_PRIOR", "RumourFeatures", "parse_date", "to_eur", "to_frame"]

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
    "age", "has_age", "red_flags", "competition", "free_agent", "renewal", "return", "n_clubs",
    "question", "exclusive",
    "has_date", "days_to_deadline", "in_window", "log_chars", "n_sentences",
)  # fmt: skip


def parse_date(value: Any) -> dt.date | None:
    """Parse a date given as ``date``, ``datetime``, ISO string or pandas Timestamp."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()[:10]
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    return None if pd.isna(ts) else ts.date()


def to_frame(X: Any, text_col: str = "text", source_col: str = "source", date_col: str = "date") -> pd.DataFrame:
    """Coerce model input (DataFrame, Series or list of texts) to a text/source/date frame."""
    if isinstance(X, pd.DataFrame):
        if text_col not in X.columns:
            raise ValueError(f"no text column {text_col!r}; columns found: {list(map(str, X.columns))}")
        out = pd.DataFrame({"text": X[text_col].to_numpy()})
        out["source"] = X[source_col].to_numpy() if source_col in X.columns else None
        out["date"] = X[date_col].to_numpy() if date_col in X.columns else None
        return out
    if isinstance(X, str):
        raise TypeError("expected a list of texts or a DataFrame, got a single str: wrap it in a list")
    if isinstance(X, pd.Series | np.ndarray | list | tuple):
        return pd.DataFrame({"text": list(X), "source": None, "date": None})
    raise TypeError(f"expected a DataFrame or a list of texts, got {type(X).__name__}")


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


class RumourFeatures(TransformerMixin, BaseEstimator):
    """Turn rumour texts (with optional source and date) into interpretable features.

    Parameters
    ----------
    text_col, source_col, date_col : str
        Column names used when ``X`` is a DataFrame. ``source`` and ``date`` are optional;
        a list of strings is read as texts alone.
    prior_strength : float, default=20.0
        How many resolved reports a source's own track record needs to weigh as much as
        the prior of its reliability tier.

    Attributes
    ----------
    track_record_ : dict
        Per canonical source: sorted resolution dates (ordinal) and cumulative positives,
        from the training labels. A report only sees outcomes resolved before its date.
    feature_names_in_ : ndarray of str
        The input columns seen in ``fit`` (``text``, ``source``, ``date``).
    n_features_in_ : int

    Examples
    --------
    >>> f = RumourFeatures().fit(["Arsenal are keen on Osimhen (Sun)"])
    >>> row = f.transform(["Chelsea agree £50m fee, medical booked"])[0]
    >>> int(row[list(f.get_feature_names_out()).index("stage_max")])
    8
    """

    def __init__(self, *, text_col: str = "text", source_col: str = "source", date_col: str = "date",
                 prior_strength: float = PRIOR_STRENGTH) -> None:  # fmt: skip
        self.text_col = text_col
        self.source_col = source_col
        self.date_col = date_col
        self.prior_strength = prior_strength

    def fit(self, X: Any, y: Iterable[int] | None = None) -> RumourFeatures:
        """Learn each source's track record from labelled reports (``y``); ``y`` may be None."""
        if not (isinstance(self.prior_strength, int | float) and self.prior_strength >= 0):
            raise ValueError(f"prior_strength must be a number >= 0, got {self.prior_strength!r}")
        frame = to_frame(X, self.text_col, self.source_col, self.date_col)
        self.feature_names_in_ = np.asarray(["text", "source", "date"], dtype=object)
        self.n_features_in_ = 3
        records: dict[str, list[tuple[int, int]]] = {}
        if y is not None:
            labels = np.asarray(list(y) if not isinstance(y, np.ndarray | pd.Series) else y, dtype=float)
            if labels.shape[0] != len(frame):
                raise ValueError(f"X has {len(frame)} rows but y has {labels.shape[0]}")
            for text, source, date, label in zip(frame["text"], frame["source"], frame["date"], labels):
                day = parse_date(date)
                name = self._source_of(text, source)[0]
                if day is None or name is None or np.isnan(label):
                    continue
                resolved = day.toordinal() + RESOLUTION_DAYS
                records.setdefault(name, []).append((resolved, int(label)))
        self.track_record_ = {}
        for name, rows in records.items():
            rows.sort()
            days = np.array([r[0] for r in rows], dtype=np.int64)
            cum_pos = np.cumsum([r[1] for r in rows])
            self.track_record_[name] = (days, cum_pos)
        return self

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output columns (see :data:`FEATURE_NAMES`)."""
        return np.asarray(FEATURE_NAMES, dtype=object)

    def transform(self, X: Any) -> np.ndarray:
        """Compute the feature matrix (``n_rows x len(FEATURE_NAMES)``) for ``X``."""
        check_is_fitted(self, "track_record_")
        frame = to_frame(X, self.text_col, self.source_col, self.date_col)
        out = np.zeros((len(frame), len(FEATURE_NAMES)), dtype=np.float64)
        for i, (text, source, date) in enumerate(zip(frame["text"], frame["source"], frame["date"])):
            out[i] = self.row_features(text, source, date)[0]
        return out

    # -- one row ---------------------------------------------------------------------------
    def _source_of(self, text: Any, source: Any, tags: list[Tag] | None = None) -> tuple[str | None, bool, bool]:
        """(canonical source, named in text, anonymous attribution in text)."""
        text = text if isinstance(text, str) else ""
        tags = tag(text[:MAX_TEXT_CHARS]) if tags is None else tags
        tagged = [t for t in tags if t.kind == "source"]
        named = [t.value for t in tagged if t.value is not None]
        anonymous = any(t.value is None for t in tagged)
        info = resolve_source(source)
        if info is None and named:
            # the most reliable outlet named in the text speaks for it
            info = min((sources()[n] for n in named), key=lambda s: s.tier)
        return (info.name if info else None), bool(named), anonymous

    def row_features(self, text: Any, source: Any = None, date: Any = None) -> tuple[np.ndarray, list[Tag]]:
        """Features of one report, and the tags they came from."""
        text = text if isinstance(text, str) else ""
        text = text[:MAX_TEXT_CHARS]
        tags = tag(text)
        day = parse_date(date)
        name, named_in_text, anonymous = self._source_of(text, source, tags)
        f = dict.fromkeys(FEATURE_NAMES, 0.0)
        info = sources().get(name) if name else None
        if info is not None:
            prior = info.hit_rate if info.hit_rate is not None else TIER_PRIOR.get(info.tier, UNKNOWN_SOURCE_PRIOR)
            n, pos = self._resolved_before(info.name, day)
            f.update(source_known=1.0, source_tier=float(info.tier), source_prior=prior,
                     source_journalist=float(info.kind == "journalist"), source_n_resolved=math.log1p(n),
                     source_track=(pos + self.prior_strength * prior) / (n + self.prior_strength)
                     if n + self.prior_strength > 0 else prior)  # fmt: skip
        else:
            f.update(source_tier=UNKNOWN_TIER, source_prior=UNKNOWN_SOURCE_PRIOR, source_track=UNKNOWN_SOURCE_PRIOR)
        f["source_named_in_text"] = float(named_in_text)
        f["source_anonymous"] = float(anonymous)

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
                f["has_age"] = 1.0
                f["age"] = float(t.value)
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
        clubs_pattern, club_names = club_matcher()
        f["n_clubs"] = float(len({club_names.get(normalise_term(m.group(0))) for m in clubs_pattern.finditer(lowered)}))
        f["question"] = float("?" in text)
        f["exclusive"] = float(bool(re.search(r"\bexcl(?:usive)?\b", text, re.I)))
        if day is not None:
            f["has_date"] = 1.0
            f["days_to_deadline"] = _days_to_deadline(day) / 100.0
            f["in_window"] = float(day.month in (1, 6, 7, 8))
        f["log_chars"] = math.log10(1 + len(text))
        f["n_sentences"] = float(len(split_sentences(text)))
        return np.fromiter(f.values(), dtype=np.float64, count=len(FEATURE_NAMES)), tags

    def _resolved_before(self, name: str, day: dt.date | None) -> tuple[int, int]:
        record = self.track_record_.get(name)
        if record is None:
            return 0, 0
        days, cum_pos = record
        n = len(days) if day is None else int(np.searchsorted(days, day.toordinal(), side="left"))
        return n, int(cum_pos[n - 1]) if n else 0


@cache
def _denial_weights() -> dict[str, float]:
    return {normalise_term(r.term): float(r.value) for r in term_lexicon("denials.csv")}


def _denial_weight(text: str) -> float:
    return _denial_weights().get(normalise_term(text), 0.5)
