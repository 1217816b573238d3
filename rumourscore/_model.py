"""``RumourModel``: interpretable features -> sign-constrained logistic regression -> sigmoid calibration.

A trained model has two faces:

- the fitted scikit-learn ``Pipeline`` (:class:`RumourFeatures` -> :class:`SignedLogisticRegression`
  inside a sigmoid ``CalibratedClassifierCV``), used to train and available as ``model.pipeline``;
- its *weights*: the handful of numbers that pipeline boils down to (one weight per feature,
  an intercept, the two calibration numbers and the training base rate). Scoring uses only
  these, so it needs neither scikit-learn nor pandas, and loading them needs no unpickling.

The structure respects the domain: every step of the deal ladder has a weight >= 0, denials,
hedges and red flags weights <= 0, the source's reliability a weight >= 0, and the source's
extra weight on early reports is tied to the fee-agreed step so that no later stage ever
scores lower (see :data:`rumourscore._features.FEATURES`). Contributions are read against a
*reference report*: no source named, no stage, no tag at all.

``base_rate`` moves calibrated probabilities to a feed whose share of true rumours is known
(the prior-shift adjustment of Saerens et al., 2002, with a known prior): the odds are
multiplied by ``odds(base_rate) / odds(training base rate)``.
"""

from __future__ import annotations

import math
import numbers
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._features import FEATURE_NAMES, FEATURES, MAX_RELIABILITY, feature_matrix, row_features, word_terms
from ._io import shipped_path
from ._persist import ModelLoadError, read_pipeline, read_weights, write_model
from ._report import Report

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_BASE_RATE", "RumourModel", "Weights", "build_pipeline", "check_base_rate", "default_corpus_path",
           "default_model_path", "train"]  # fmt: skip

#: File name of the shipped model inside ``models/`` (installed as ``rumourscore.models``).
DEFAULT_MODEL_FILE = "rumourscore-model.joblib"
#: Inverse L2 penalty of the logistic regression (chosen on the tuning family of the real lines).
LOGREG_C = 0.1
#: Whether the shipped model has a wording channel (TF-IDF of masked words next to the tag
#: features). Measured in one run (corpus split ROC-AUC / real tuning family / behavioural
#: suite): without 0.793 / 0.638 / 98.5 %; with C_words 0.1: 0.805 / 0.642 / 97.5 %. Words
#: learn corpus phrasing that breaks the deal ladder and the floors, so the shipped model has none.
USE_WORDS = False
#: Inverse L2 penalty of the wording channel when it is used.
WORDS_C = 0.1
#: A word or word pair enters the wording channel when at least this many training reports use it.
WORDS_MIN_DF = 3
#: Smallest weight (log-odds) of each step of the deal ladder: a later stage is at least a
#: little stronger evidence than the one before it, even where the corpus has few examples.
MIN_STAGE_STEP = 0.08
#: Folds used to fit the sigmoid calibration on out-of-fold scores.
CALIBRATION_FOLDS = 5
#: Seed for everything random in training (retraining is bit-for-bit reproducible).
RANDOM_STATE = 0
#: The base rate scores are given for when the caller states none: the share of gossip-column
#: rumours that come true in published counts (SOURCES.md: BBC gossip column 2016 "just over one
#: in three", 2021-22 22 %; Football Transfer League papers 20-39 %). ``None`` would keep the
#: training corpus's own rate, which is a choice of the corpus writers, not a fact about feeds.
DEFAULT_BASE_RATE = 0.30


def check_base_rate(base_rate: Any) -> float | None:
    """Validate a ``base_rate`` argument: None or a number strictly between 0 and 1."""
    if base_rate is None:
        return None
    # (any real number type: numpy's float32 and int64 too; never a bool)
    if isinstance(base_rate, bool) or not isinstance(base_rate, numbers.Real) or not 0.0 < float(base_rate) < 1.0:
        raise ValueError(f"base_rate must be a number strictly between 0 and 1, got {base_rate!r}")
    return float(base_rate)


def _tie_of_source_to_stage() -> tuple[int, int, float]:
    """(dependent, driver, factor): the fee-agreed step outweighs the early-source weight it switches off."""
    return FEATURE_NAMES.index("stage_ge6"), FEATURE_NAMES.index("source_early"), MAX_RELIABILITY


def build_pipeline(*, C: float = LOGREG_C, C_words: float = WORDS_C, words: bool = USE_WORDS) -> Any:
    """The unfitted scikit-learn model: tag features (+ masked wording) into a calibrated, sign-constrained LR.

    Parameters
    ----------
    C : float
        Inverse L2 penalty of the interpretable features' weights.
    C_words : float
        Inverse L2 penalty of the wording channel's weights.
    words : bool, default=USE_WORDS
        Whether to add the wording channel (TF-IDF of :func:`word_terms`, names masked).
    """
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import Pipeline

    from ._estimators import RumourFeatures, SignedLogisticRegression

    parts = [("tags", RumourFeatures(), ["text", "source", "date"])]
    if words:
        vectorizer = TfidfVectorizer(analyzer=word_terms, min_df=WORDS_MIN_DF, sublinear_tf=True, dtype=np.float64)
        parts.append(("words", vectorizer, "text"))
    classifier = CalibratedClassifierCV(
        SignedLogisticRegression(
            C=C,
            C_extra=C_words,
            signs=[f.sign for f in FEATURES],
            ties=[_tie_of_source_to_stage()],
            min_weights=[MIN_STAGE_STEP * f.name.startswith("stage_ge") for f in FEATURES],
        ),
        method="sigmoid",
        cv=StratifiedKFold(CALIBRATION_FOLDS, shuffle=True, random_state=RANDOM_STATE),
        ensemble=False,
    )
    return Pipeline([("features", ColumnTransformer(parts, sparse_threshold=0.0 if not words else 1.0)),
                     ("classifier", classifier)])  # fmt: skip


@dataclass
class Weights:
    """Everything scoring needs, as plain numbers (see the module docstring)."""

    coef: np.ndarray  # one weight per feature of FEATURE_NAMES
    intercept: float
    calibration_a: float  # sigmoid calibration: p = 1 / (1 + exp(a * logit + b))
    calibration_b: float
    train_rate: float  # share of true reports in the training data
    words: dict[str, tuple[float, float]] = field(default_factory=dict)  # term -> (idf, weight)

    @classmethod
    def from_pipeline(cls, pipeline: Any, train_rate: float) -> Weights:
        """Read the weights out of a fitted :func:`build_pipeline` pipeline."""
        calibrated = pipeline.named_steps["classifier"].calibrated_classifiers_[0]
        coef = calibrated.estimator.coef_[0].astype(np.float64)
        n = len(FEATURE_NAMES)
        words: dict[str, tuple[float, float]] = {}
        columns = pipeline.named_steps["features"].named_transformers_
        if "words" in columns:
            vectorizer = columns["words"]
            words = {t: (float(vectorizer.idf_[j]), float(coef[n + j])) for t, j in vectorizer.vocabulary_.items()}
        return cls(coef=coef[:n], intercept=float(calibrated.estimator.intercept_[0]),
                   calibration_a=float(calibrated.calibrators[0].a_), calibration_b=float(calibrated.calibrators[0].b_),
                   train_rate=float(train_rate), words=words)  # fmt: skip

    def word_weights(self, text: str) -> dict[str, float]:
        """Each known term of ``text`` with its share of the wording channel's log-odds.

        The same numbers as the pipeline's TF-IDF: sublinear term frequency times idf,
        l2-normalised over the known terms, times the term's weight.
        """
        counts = Counter(t for t in word_terms(text) if t in self.words)
        if not counts:
            return {}
        values = {t: (1.0 + math.log(c)) * self.words[t][0] for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in values.values()))
        return {t: v / norm * self.words[t][1] for t, v in values.items()}

    def logit(self, raw: np.ndarray, texts: list[str] | None = None) -> np.ndarray:
        """Uncalibrated log-odds of raw feature rows (plus the wording channel of their texts)."""
        # One fixed order of sums per row (feature by feature), not ``raw @ coef``: BLAS blocks a
        # product by the batch's shape, so a row's last bit would depend on the rows scored with it,
        # and a feed compares line scores ("a later report scores higher") exactly.
        used = np.flatnonzero(self.coef).tolist()
        if raw.shape[0] == 1:  # the same sums in Python floats (IEEE doubles too: the same bits), 40 µs faster
            row, coef, one = raw[0].tolist(), self.coef.tolist(), self.intercept
            for j in used:
                one += row[j] * coef[j]
            z = np.array([one])
        else:
            z = np.full(raw.shape[0], self.intercept)
            for j in used:
                z += raw[:, j] * self.coef[j]
        if texts is not None and self.words:
            z = z + np.array([sum(self.word_weights(t).values()) for t in texts])
        return z

    def calibrate(self, logit: np.ndarray, base_rate: float | None = None) -> np.ndarray:
        """Calibrated likelihood from log-odds, moved to ``base_rate`` when one is given."""
        z = -(self.calibration_a * logit + self.calibration_b)
        if base_rate is not None:
            z = z + math.log(base_rate / (1 - base_rate)) - math.log(self.train_rate / (1 - self.train_rate))
        return 0.5 * (1.0 + np.tanh(0.5 * z))

    def to_arrays(self) -> dict[str, np.ndarray]:
        """Plain arrays for the ``.npz`` file."""
        terms = sorted(self.words)
        return {"coef": self.coef, "intercept": np.array([self.intercept]),
                "calibration": np.array([self.calibration_a, self.calibration_b]),
                "train_rate": np.array([self.train_rate]), "word_terms": np.array(terms, dtype=str),
                "word_idf": np.array([self.words[t][0] for t in terms], dtype=np.float64),
                "word_coef": np.array([self.words[t][1] for t in terms], dtype=np.float64)}  # fmt: skip

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Weights:
        """Inverse of :meth:`to_arrays`; checks every array's shape and finiteness.

        Raises
        ------
        ModelLoadError
            If an array is missing, wrongly shaped or not finite.
        """
        shapes = {"coef": (len(FEATURE_NAMES),), "intercept": (1,), "calibration": (2,), "train_rate": (1,)}
        for name, shape in shapes.items():
            value = arrays.get(name)
            if value is None or value.shape != shape or value.dtype.kind != "f" or not np.isfinite(value).all():
                raise ModelLoadError(f"weights array {name!r} is missing or not {shape} finite floats")
        if not 0.0 < float(arrays["train_rate"][0]) < 1.0:
            raise ModelLoadError("weights: the training base rate must lie strictly between 0 and 1")
        terms, idf, weight = (arrays.get(k) for k in ("word_terms", "word_idf", "word_coef"))
        if (
            terms is None
            or idf is None
            or weight is None
            or terms.dtype.kind != "U"
            or not (terms.shape == idf.shape == weight.shape and terms.ndim == 1)
            or not np.isfinite(idf).all()
            or not np.isfinite(weight).all()
        ):
            raise ModelLoadError("weights arrays of the wording channel are missing or inconsistent")
        return cls(coef=arrays["coef"].astype(np.float64), intercept=float(arrays["intercept"][0]),
                   calibration_a=float(arrays["calibration"][0]), calibration_b=float(arrays["calibration"][1]),
                   train_rate=float(arrays["train_rate"][0]),
                   words={str(t): (float(i), float(c)) for t, i, c in zip(terms, idf, weight)})  # fmt: skip


def default_model_path() -> Path:
    """Path of the shipped model."""
    return shipped_path("models", DEFAULT_MODEL_FILE)


def default_corpus_path() -> Path:
    """Path of the shipped labelled corpus (``data/reports.csv``)."""
    return shipped_path("data", "reports.csv")


def frame_sha256(frame: Any) -> str:
    """A stable hash of a DataFrame's content (column names and values, in order)."""
    import hashlib
    import io

    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return hashlib.sha256(buffer.getvalue().encode("utf-8")).hexdigest()


def _labels(reports: Any, y: Any, label_col: str) -> np.ndarray:
    if not hasattr(reports, "columns"):
        raise TypeError(f"reports must be a DataFrame, got {type(reports).__name__}")
    if y is None:
        if label_col not in reports.columns:
            raise ValueError(f"no label column {label_col!r}; columns found: {list(map(str, reports.columns))}")
        y = reports[label_col]
    try:
        labels = np.asarray(y, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"labels must be 0 or 1; found values such as {sorted(map(str, set(y)))[:5]}") from None
    if labels.shape != (len(reports),):
        raise ValueError(f"expected one label per report ({len(reports)}), got shape {labels.shape}")
    if np.isnan(labels).any() or not set(np.unique(labels)) <= {0.0, 1.0}:
        raise ValueError("labels must be 0 or 1 with no missing values")
    if len(np.unique(labels)) < 2:
        raise ValueError("training needs both outcomes (0 and 1)")
    fewest = int(min((labels == 1).sum(), (labels == 0).sum()))
    if fewest < CALIBRATION_FOLDS:  # (the calibration's folds each need a report of each outcome)
        raise ValueError(f"training needs at least {CALIBRATION_FOLDS} reports of each outcome (0 and 1); "
                         f"found {int((labels == 1).sum())} with 1 and {int((labels == 0).sum())} with 0")  # fmt: skip
    return labels


class RumourModel:
    """A trained rumour scorer: weights for fast scoring, the scikit-learn pipeline, metadata.

    This is a fitted-model wrapper, not a scikit-learn estimator: the estimator is
    ``model.pipeline`` (clone and refit that one). Make a model with :func:`train` (or
    :meth:`fit`), load the shipped one with :func:`rumourscore.load_model`.
    ``predict_proba`` takes a DataFrame with ``text`` (and optional ``source``, ``date``)
    columns, or a list of texts, and returns an ``(n, 2)`` array like scikit-learn's.
    """

    classes_ = np.array([0, 1])

    def __init__(self, pipeline: Any = None, *, metadata: dict[str, Any] | None = None,
                 weights: Weights | None = None) -> None:  # fmt: skip
        self._pipeline = pipeline
        self._saved: tuple[Path, dict[str, Any]] | None = None  # (path, manifest) of a not-yet-read pipeline
        self.weights = weights
        self.metadata = dict(metadata or {})

    @property
    def pipeline(self) -> Any:
        """The scikit-learn pipeline (unpickled on first use for a loaded model).

        Raises
        ------
        ModelLoadError
            If the file changed since loading, or the running scikit-learn is not the saving one.
        """
        if self._pipeline is None and self._saved is not None:
            self._pipeline = read_pipeline(*self._saved)
        if self._pipeline is None:
            self._pipeline = build_pipeline()
        return self._pipeline

    @property
    def name(self) -> str:
        """A citable name: the model file's name and the first 12 hex digits of its weights' hash."""
        return str(self.metadata.get("name", "unsaved model"))

    # -- training ----------------------------------------------------------------------
    def fit(self, reports: Any, y: Any = None, *, label_col: str = "outcome") -> RumourModel:
        """Fit on labelled reports (a DataFrame with ``text``, ``source``, ``date``, ``outcome``).

        ``y``, when given, holds the labels (one per report) instead of ``label_col``. Returns
        the model itself, fitted.

        Raises
        ------
        TypeError
            If ``reports`` is not a DataFrame.
        ValueError
            If the labels are missing, not 0/1, or fewer than ``CALIBRATION_FOLDS`` (5) of either outcome.
        """
        from ._estimators import to_frame

        labels = _labels(reports, y, label_col)
        cols = [c for c in ("text", "source", "date") if c in reports.columns]
        pipeline = self.pipeline
        pipeline.fit(to_frame(reports), labels.astype(int))
        self.weights = Weights.from_pipeline(pipeline, float(labels.mean()))
        self.metadata.pop("name", None)  # (a loaded model's name cites its file's weights: not these)
        self._saved = None
        self.metadata.update(
            n_train=len(reports), positive_rate=float(labels.mean()),
            training_data_sha256=frame_sha256(reports[cols].assign(outcome=labels)),
        )  # fmt: skip
        return self

    def _weights(self) -> Weights:
        if self.weights is None:
            raise ValueError("this RumourModel is not trained: call fit() or use rumourscore.train()")
        return self.weights

    # -- scoring -------------------------------------------------------------------------
    def predict_proba(self, X: Any, *, base_rate: float | None = DEFAULT_BASE_RATE) -> np.ndarray:
        """Probabilities of outcome 0 and 1 for each row: an ``(n, 2)`` array.

        ``X`` is a DataFrame with a ``text`` column (``source`` and ``date`` optional) or a list of
        texts; ``base_rate`` is that of :func:`rumourscore.score`.
        """
        from ._estimators import reports_of, to_frame

        p = self.score_reports(reports_of(to_frame(X)), base_rate=base_rate)
        return np.column_stack([1.0 - p, p])

    def score_reports(self, reports: list[Report], *, base_rate: float | None = DEFAULT_BASE_RATE) -> np.ndarray:
        """Calibrated likelihood of each tagged report (a 1-D array)."""
        w = self._weights()
        return w.calibrate(w.logit(feature_matrix(reports), [r.text for r in reports]), check_base_rate(base_rate))

    @property
    def feature_names(self) -> list[str]:
        """Names of the interpretable features."""
        return list(FEATURE_NAMES)

    def contributions(self, report: Report, *, base_rate: float | None = DEFAULT_BASE_RATE) -> tuple[float, list]:
        """Score one tagged report and split its log-odds into signed per-feature contributions.

        Returns ``(likelihood, [(feature, value, contribution), ...])``, largest contribution
        first, leaving out features that are absent (value 0). A contribution is the change in
        the calibrated log-odds against the reference report (no source, no stage, no tag): they
        add up to the log of the odds ratio between the likelihood and :meth:`reference_likelihood`.
        """
        w = self._weights()
        raw = row_features(report)
        slope = -w.calibration_a  # (the calibration scales the log-odds: a part moves them by slope x weight x value)
        parts = [(name, float(raw[i]), float(slope * (w.coef[i] * raw[i]))) for i, name in enumerate(FEATURE_NAMES)
                 if raw[i] != 0 and w.coef[i] != 0]  # fmt: skip
        words = w.word_weights(report.text)
        if words:
            parts.append(("words", float(len(words)), float(slope * sum(words.values()))))
        parts.sort(key=lambda p: -abs(p[2]))
        logit = w.logit(raw[None, :], [report.text])  # (the sums of score(), to the last bit)
        return float(w.calibrate(logit, check_base_rate(base_rate))[0]), parts

    def top_words(self, text: str, n: int = 3) -> list[tuple[str, float]]:
        """The words and word pairs of ``text`` that weighed most in the wording channel."""
        words = self._weights().word_weights(text)
        return sorted(words.items(), key=lambda item: -abs(item[1]))[:n]

    def reference_likelihood(self, *, base_rate: float | None = DEFAULT_BASE_RATE) -> float:
        """Likelihood of the reference report (no source, no stage, no tag): the explanations' baseline."""
        w = self._weights()
        return float(w.calibrate(np.array([w.intercept]), check_base_rate(base_rate))[0])

    # -- persistence -------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the pipeline, the weights and the manifest atomically; return the model path.

        Three files: ``path`` (the pickled pipeline), ``<path>.weights.npz`` (plain arrays,
        all that scoring reads) and ``<path>.manifest.json`` (versions, hashes, feature names).
        """
        metadata = {k: v for k, v in self.metadata.items() if k not in ("training_data_sha256", "name")}
        return write_model(path, pipeline=self.pipeline, arrays=self._weights().to_arrays(),
                           feature_names=list(FEATURE_NAMES), metadata=metadata,
                           training_data_sha256=self.metadata.get("training_data_sha256"))  # fmt: skip

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> RumourModel:
        """Load a model after verifying its manifest (hashes, format, feature names).

        Only the plain weights are read; the pickled pipeline is read when ``model.pipeline``
        is first used.

        Raises
        ------
        ModelLoadError
            If a file or the manifest is missing or unreadable, a SHA-256 differs (nothing
            is read then), or the model has another format or other features.
        """
        path = Path(path) if path is not None else default_model_path()
        arrays, manifest = read_weights(path, list(FEATURE_NAMES))
        metadata = {**manifest["metadata"], "name": f"{path.name}@{manifest['weights_sha256'][:12]}"}
        if isinstance(manifest.get("training_data_sha256"), str):  # (so that saving it again keeps it)
            metadata["training_data_sha256"] = manifest["training_data_sha256"]
        model = cls(weights=Weights.from_arrays(arrays), metadata=metadata)
        model._saved = (path, manifest)
        return model


def train(reports: pd.DataFrame | str | os.PathLike[str], *, C: float = LOGREG_C, C_words: float = WORDS_C,
          words: bool = USE_WORDS, label_col: str = "outcome") -> RumourModel:  # fmt: skip
    """Train a :class:`RumourModel` on labelled reports.

    Parameters
    ----------
    reports : DataFrame, str or path-like
        Labelled reports with ``text`` (and optional ``source``, ``date``) and the label column;
        a path is read as CSV.
    C : float, default=LOGREG_C
        Inverse L2 penalty of the interpretable features' weights.
    C_words : float, default=WORDS_C
        Inverse L2 penalty of the wording channel's weights.
    words : bool, default=USE_WORDS
        Whether to add the wording channel.
    label_col : str, default="outcome"
        The 0/1 label column.

    Returns
    -------
    RumourModel
        The trained model; ``model.save(path)`` writes it (the ``.joblib`` pipeline, the
        ``.weights.npz`` weights and the ``.manifest.json`` manifest with the training-data hash).

    Raises
    ------
    ValueError
        If the label column is missing, not 0/1, or has fewer than 5 reports of either outcome.
    TypeError
        If ``reports`` is not a DataFrame or a path.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["Medical booked, here we go", "Keeping tabs (Sun)"] * 10,
    ...                    "outcome": [1, 0] * 10})
    >>> model = train(df)
    >>> bool(model.predict_proba(["Here we go, medical booked"])[0, 1] > 0.5)
    True
    """
    if isinstance(reports, (str, os.PathLike)):  # (anything else that is no DataFrame: TypeError in fit)
        import pandas as pd

        reports = pd.read_csv(reports)
    return RumourModel(build_pipeline(C=C, C_words=C_words, words=words)).fit(reports, label_col=label_col)
