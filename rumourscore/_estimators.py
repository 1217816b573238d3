"""scikit-learn estimators: :class:`RumourFeatures` and :class:`TextChannel`.

They wrap the numpy-only feature code (``_features.py``, ``_text.py``) for training and for
anyone who wants rumourscore's features inside their own pipeline.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.utils.validation import check_is_fitted

from ._features import FEATURE_NAMES, PRIOR_STRENGTH, TrackRecord, row_features
from ._report import Report, make_report
from ._text import word_ngrams

__all__ = ["TEXT_HASH_FEATURES", "RumourFeatures", "TextChannel", "to_frame"]

#: Width of the hashed word n-gram space of the text channel.
TEXT_HASH_FEATURES = 2**18


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
    track_record_ : TrackRecord
        Per canonical source: resolution dates and cumulative positives of the training
        labels. A report only sees outcomes resolved before its own date.
    feature_names_in_ : ndarray of str
        The input columns used (``text``, ``source``, ``date``).
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
        self._fit(X, y)
        return self

    def fit_transform(self, X: Any, y: Iterable[int] | None = None, **fit_params: Any) -> np.ndarray:
        """Fit, then transform the same rows (each text is tagged once)."""
        return self._features(self._fit(X, y))

    def _fit(self, X: Any, y: Iterable[int] | None) -> list[Report]:
        if not (isinstance(self.prior_strength, int | float) and self.prior_strength >= 0):
            raise ValueError(f"prior_strength must be a number >= 0, got {self.prior_strength!r}")
        frame = to_frame(X, self.text_col, self.source_col, self.date_col)
        self.feature_names_in_ = np.asarray(["text", "source", "date"], dtype=object)
        self.n_features_in_ = 3
        reports = _reports(frame)
        if y is None:
            self.track_record_ = TrackRecord()
            return reports
        labels = np.asarray(list(y) if not isinstance(y, np.ndarray | pd.Series) else y, dtype=float)
        if labels.shape[0] != len(frame):
            raise ValueError(f"X has {len(frame)} rows but y has {labels.shape[0]}")
        self.track_record_ = TrackRecord.from_labels([r.source for r in reports], frame["date"], labels)
        return reports

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output columns (see :data:`rumourscore._features.FEATURE_NAMES`)."""
        return np.asarray(FEATURE_NAMES, dtype=object)

    def transform(self, X: Any) -> np.ndarray:
        """Compute the feature matrix (``n_rows x len(FEATURE_NAMES)``) for ``X``."""
        check_is_fitted(self, "track_record_")
        return self._features(_reports(to_frame(X, self.text_col, self.source_col, self.date_col)))

    def _features(self, reports: list[Report]) -> np.ndarray:
        out = np.zeros((len(reports), len(FEATURE_NAMES)), dtype=np.float64)
        for i, report in enumerate(reports):
            out[i] = row_features(report, track=self.track_record_, prior_strength=self.prior_strength)
        return out


def _reports(frame: pd.DataFrame) -> list[Report]:
    return [make_report(t, s, d) for t, s, d in zip(frame["text"], frame["source"], frame["date"])]


class TextChannel(TransformerMixin, BaseEstimator):
    """Hashed word 1–2-grams of the text with names masked (``name``): a compact bag of words.

    Player and club names are replaced before hashing, so who is named cannot move a score.
    Rows are binary and l2-normalised; :func:`rumourscore._text.hashed_ngrams` gives the
    same columns without scikit-learn.

    Parameters
    ----------
    text_col : str, default="text"
        Column holding the text when ``X`` is a DataFrame.
    n_features : int, default=2**18
        Width of the hashed feature space.
    """

    def __init__(self, *, text_col: str = "text", n_features: int = TEXT_HASH_FEATURES) -> None:
        self.text_col = text_col
        self.n_features = n_features

    def fit(self, X: Any, y: Any = None) -> TextChannel:
        """Validate parameters (hashing needs no vocabulary)."""
        if not (isinstance(self.n_features, int) and self.n_features > 0):
            raise ValueError(f"n_features must be a positive int, got {self.n_features!r}")
        self.vectorizer_ = HashingVectorizer(
            n_features=self.n_features, analyzer=word_ngrams, alternate_sign=False, binary=True, norm="l2"
        )
        self.n_features_in_ = 1
        return self

    def transform(self, X: Any) -> sp.csr_matrix:
        """Hash the texts into a sparse matrix."""
        check_is_fitted(self, "vectorizer_")
        texts = X if isinstance(X, list) else list(to_frame(X, self.text_col)["text"])
        return self.vectorizer_.transform(texts)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Hashed columns have no words attached: ``words_0`` ... ``words_{n-1}``."""
        return np.asarray([f"words_{i}" for i in range(self.n_features)], dtype=object)
