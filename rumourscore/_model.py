"""``RumourModel``: the feature pipeline plus a calibrated classifier, with safe persistence.

A trained model has two faces:

- the fitted scikit-learn ``Pipeline`` (features -> scaling -> logistic regression ->
  sigmoid calibration), used to train and available as ``model.pipeline``;
- its *weights*: the handful of numpy arrays that pipeline boils down to (scaler means,
  coefficients, calibration, source track records). Scoring uses only these, so scoring
  needs neither scikit-learn nor pandas, and loading them needs no unpickling.

Persistence follows skops' idea: ``name.joblib`` (the pipeline), ``name.weights.npz`` (the
weights, ``allow_pickle=False``) and ``name.joblib.manifest.json`` holding the format
version, library versions, the SHA-256 of both files, the training-data hash and the
feature names. :meth:`RumourModel.load` checks all of it before reading anything and
refuses a mismatch with a clear :class:`ModelLoadError`. The pipeline file is unpickled
only when ``model.pipeline`` is first used, after checking its hash again.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import zipfile
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from ._features import FEATURE_NAMES, PRIOR_STRENGTH, TrackRecord, row_features
from ._io import atomic_write_bytes, atomic_write_text, file_sha256, shipped_path
from ._report import Report, make_report
from ._text import hash_column, hashed_ngrams, word_ngrams
from ._version import __version__

__all__ = ["MODEL_FORMAT_VERSION", "ModelLoadError", "RumourModel", "Weights", "build_pipeline",
           "default_corpus_path", "default_model_path", "train"]  # fmt: skip

#: Bumped whenever the saved layout changes; a model of another format is refused.
MODEL_FORMAT_VERSION = 2
#: File name of the shipped model inside ``models/`` (installed as ``rumourscore.models``).
DEFAULT_MODEL_FILE = "rumourscore-model.joblib"
#: Inverse regularisation of the logistic regression (picked on the chronological split).
LOGREG_C = 0.1
#: Standardised features are clipped to +-this many standard deviations, so that a whole
#: article (many sentences, many hedges) cannot push one feature far outside training data.
Z_CLIP = 4.0
#: Folds used to fit the sigmoid calibration on out-of-fold scores.
CALIBRATION_FOLDS = 5
#: Seed for everything random in training (retraining is bit-for-bit reproducible).
RANDOM_STATE = 0
#: The word channel's entry in a manifest's feature names.
TEXT_FEATURE_NAME = "words (hashed, names masked)"
#: Fixed time stamp written into the weights archive (a zip), so equal weights hash equally.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class ModelLoadError(RuntimeError):
    """A model file is missing, tampered with, or was saved by incompatible versions."""


def build_pipeline(*, use_text: bool = True, C: float = LOGREG_C, prior_strength: float = PRIOR_STRENGTH) -> Any:
    """The unfitted scikit-learn model: tag features (+ hashed masked words) into calibrated LR."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer, StandardScaler

    from ._estimators import RumourFeatures, TextChannel

    tags = Pipeline([
        ("rumour", RumourFeatures(prior_strength=prior_strength)),
        ("scale", StandardScaler()),
        ("clip", FunctionTransformer(np.clip, kw_args={"a_min": -Z_CLIP, "a_max": Z_CLIP})),
    ])  # fmt: skip
    parts = [("tags", tags)]
    if use_text:
        parts.append(("words", TextChannel()))
    classifier = CalibratedClassifierCV(
        LogisticRegression(C=C, max_iter=5000, random_state=RANDOM_STATE),
        method="sigmoid",
        cv=StratifiedKFold(CALIBRATION_FOLDS, shuffle=True, random_state=RANDOM_STATE),
        ensemble=False,
    )
    return Pipeline([("features", FeatureUnion(parts)), ("classifier", classifier)])


@dataclass
class Weights:
    """Everything scoring needs, as plain numbers (see the module docstring)."""

    mean: np.ndarray  # per dense feature, from the scaler
    scale: np.ndarray
    coef: np.ndarray  # dense-feature coefficients of the logistic regression
    intercept: float
    text_coef: np.ndarray  # coefficients of the hashed word columns (empty: no word channel)
    calibration_a: float  # sigmoid calibration: p = 1 / (1 + exp(a * logit + b))
    calibration_b: float
    prior_strength: float
    mean_text_logit: float
    track: TrackRecord

    @classmethod
    def from_pipeline(cls, pipeline: Any, mean_text_logit: float = 0.0) -> Weights:
        """Read the weights out of a fitted :func:`build_pipeline` pipeline."""
        union = pipeline.named_steps["features"]
        tags = dict(union.transformer_list)["tags"]
        words = dict(union.transformer_list).get("words")
        calibrated = pipeline.named_steps["classifier"].calibrated_classifiers_[0]
        coef = calibrated.estimator.coef_[0]
        rumour, scaler = tags.named_steps["rumour"], tags.named_steps["scale"]
        return cls(
            mean=scaler.mean_.astype(np.float64), scale=scaler.scale_.astype(np.float64),
            coef=coef[: len(FEATURE_NAMES)].astype(np.float64), intercept=float(calibrated.estimator.intercept_[0]),
            text_coef=coef[len(FEATURE_NAMES):].astype(np.float64) if words is not None else np.zeros(0),
            calibration_a=float(calibrated.calibrators[0].a_), calibration_b=float(calibrated.calibrators[0].b_),
            prior_strength=float(rumour.prior_strength), mean_text_logit=mean_text_logit,
            track=rumour.track_record_,
        )  # fmt: skip

    # -- scoring -------------------------------------------------------------------
    def z(self, raw: np.ndarray) -> np.ndarray:
        """Standardised, clipped features (the scaler and clip steps of the pipeline)."""
        return np.clip((raw - self.mean) / self.scale, -Z_CLIP, Z_CLIP)

    def text_logit(self, text: Any) -> tuple[float, int]:
        """Contribution of the word channel to the log-odds, and how many columns were hit."""
        if not len(self.text_coef):
            return 0.0, 0
        columns = hashed_ngrams(text, len(self.text_coef))
        if not columns:
            return 0.0, 0
        return float(self.text_coef[columns].sum() / np.sqrt(len(columns))), len(columns)

    def calibrate(self, logit: np.ndarray) -> np.ndarray:
        """Calibrated likelihood from the logistic regression's log-odds."""
        return 1.0 / (1.0 + np.exp(self.calibration_a * logit + self.calibration_b))

    # -- storage ---------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """A deterministic ``.npz`` archive (no pickled objects)."""
        arrays = {
            "mean": self.mean, "scale": self.scale, "coef": self.coef, "intercept": np.array([self.intercept]),
            "text_coef_index": np.flatnonzero(self.text_coef).astype(np.int64),
            "text_coef_value": self.text_coef[self.text_coef != 0],
            "text_coef_size": np.array([len(self.text_coef)], dtype=np.int64),
            "calibration": np.array([self.calibration_a, self.calibration_b]),
            "scalars": np.array([self.prior_strength, self.mean_text_logit]),
            **self.track.to_arrays(),
        }  # fmt: skip
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(arrays):
                member = io.BytesIO()
                np.save(member, np.ascontiguousarray(arrays[name]), allow_pickle=False)
                info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, member.getvalue())
        return buffer.getvalue()

    @classmethod
    def from_file(cls, path: Path) -> Weights:
        """Read a weights archive written by :meth:`to_bytes`."""
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        text_coef = np.zeros(int(arrays["text_coef_size"][0]))
        text_coef[arrays["text_coef_index"]] = arrays["text_coef_value"]
        return cls(
            mean=arrays["mean"], scale=arrays["scale"], coef=arrays["coef"], intercept=float(arrays["intercept"][0]),
            text_coef=text_coef, calibration_a=float(arrays["calibration"][0]),
            calibration_b=float(arrays["calibration"][1]), prior_strength=float(arrays["scalars"][0]),
            mean_text_logit=float(arrays["scalars"][1]), track=TrackRecord.from_arrays(arrays),
        )  # fmt: skip


def _frame_sha256(frame: Any) -> str:
    """A stable hash of a DataFrame's content (column names and values, in order)."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return hashlib.sha256(buffer.getvalue().encode("utf-8")).hexdigest()


def default_model_path() -> Path:
    """Path of the shipped model."""
    return shipped_path("models", DEFAULT_MODEL_FILE)


def default_corpus_path() -> Path:
    """Path of the shipped labelled corpus (``data/reports.csv``)."""
    return shipped_path("data", "reports.csv")


def _version_of(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - not installed
        return "not installed"


def _versions() -> dict[str, str]:
    return {"rumourscore": __version__, "scikit-learn": _version_of("scikit-learn"), "numpy": np.__version__,
            "joblib": _version_of("joblib"), "python": platform.python_version()}  # fmt: skip


def _manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def _weights_path(path: Path) -> Path:
    return path.with_name(path.stem + ".weights.npz")


def _rows(X: Any) -> tuple[list[Any], list[Any], list[Any]]:
    """texts, sources, dates from a DataFrame (text/source/date columns) or a list of texts."""
    if hasattr(X, "columns"):
        if "text" not in X.columns:
            raise ValueError(f"no text column 'text'; columns found: {[str(c) for c in X.columns]}")
        n = len(X)
        return (X["text"].tolist(), X["source"].tolist() if "source" in X.columns else [None] * n,
                X["date"].tolist() if "date" in X.columns else [None] * n)  # fmt: skip
    if isinstance(X, str):
        raise TypeError("expected a list of texts or a DataFrame, got a single str: wrap it in a list")
    texts = list(X)
    return texts, [None] * len(texts), [None] * len(texts)


class RumourModel:
    """A trained rumour scorer: weights for fast scoring, the sklearn pipeline, metadata.

    Make one with :func:`train` (or :meth:`fit`), load the shipped one with
    :func:`rumourscore.load_model`. ``predict_proba`` takes a DataFrame with ``text`` (and
    optional ``source``, ``date``) columns, or a list of texts.
    """

    def __init__(self, pipeline: Any = None, *, metadata: dict[str, Any] | None = None,
                 weights: Weights | None = None) -> None:  # fmt: skip
        self._pipeline = pipeline
        self._pipeline_file: tuple[Path, str] | None = None  # (path, sha256) of a not-yet-read pipeline
        self.weights = weights
        self.metadata = dict(metadata or {})

    @property
    def pipeline(self) -> Any:
        """The scikit-learn pipeline (read from disk on first use for a loaded model)."""
        if self._pipeline is None and self._pipeline_file is not None:
            path, digest = self._pipeline_file
            if file_sha256(path) != digest:
                raise ModelLoadError(f"{path} changed since it was loaded; refusing to unpickle it")
            import joblib

            self._pipeline = joblib.load(path)["pipeline"]
        if self._pipeline is None:
            self._pipeline = build_pipeline()
        return self._pipeline

    # -- training ----------------------------------------------------------------------
    def fit(self, reports: Any, y: Any = None, *, label_col: str = "outcome") -> RumourModel:
        """Fit on labelled reports (a DataFrame with ``text``, ``source``, ``date``, ``outcome``)."""
        if not hasattr(reports, "columns"):
            raise TypeError(f"reports must be a DataFrame, got {type(reports).__name__}")
        if y is None:
            if label_col not in reports.columns:
                raise ValueError(f"no label column {label_col!r}; columns found: {list(reports.columns)}")
            y = reports[label_col]
        labels = np.asarray(y, dtype=float)
        if np.isnan(labels).any() or not set(np.unique(labels)) <= {0.0, 1.0}:
            raise ValueError("labels must be 0 or 1 with no missing values")
        if len(np.unique(labels)) < 2:
            raise ValueError("training needs both outcomes (0 and 1)")
        cols = [c for c in ("text", "source", "date") if c in reports.columns]
        pipeline = self.pipeline
        pipeline.fit(reports[cols], labels.astype(int))
        self.weights = Weights.from_pipeline(pipeline)
        if len(self.weights.text_coef):
            texts = reports["text"].tolist()
            self.weights.mean_text_logit = float(np.mean([self.weights.text_logit(t)[0] for t in texts]))
        self.metadata.update(
            n_train=len(reports), positive_rate=float(labels.mean()),
            training_data_sha256=_frame_sha256(reports[cols].assign(outcome=labels)),
        )  # fmt: skip
        return self

    def _weights(self) -> Weights:
        if self.weights is None:
            raise ValueError("this RumourModel is not trained: call fit() or use rumourscore.train()")
        return self.weights

    # -- scoring -------------------------------------------------------------------------
    def predict_proba(self, X: Any) -> np.ndarray:
        """Likelihood (probability of outcome 1) for each row: a 1-D array.

        Equal to ``self.pipeline.predict_proba(X)[:, 1]``, computed from the weights.
        """
        return self.score_reports([make_report(t, s, d) for t, s, d in zip(*_rows(X))])

    def analyse(self, reports: list[Report]) -> np.ndarray:
        """Raw interpretable features of tagged reports (a row of ``FEATURE_NAMES`` each)."""
        w = self._weights()
        raw = np.zeros((len(reports), len(FEATURE_NAMES)))
        for i, report in enumerate(reports):
            raw[i] = row_features(report, track=w.track, prior_strength=w.prior_strength)
        return raw

    def likelihood(self, raw: np.ndarray, texts: list[str]) -> np.ndarray:
        """Calibrated likelihoods from raw features (see :meth:`analyse`) and the texts."""
        w = self._weights()
        logit = w.z(raw) @ w.coef + w.intercept
        if len(w.text_coef):
            logit = logit + np.array([w.text_logit(t)[0] for t in texts])
        return w.calibrate(logit)

    def score_reports(self, reports: list[Report]) -> np.ndarray:
        """Calibrated likelihood of each tagged report."""
        return self.likelihood(self.analyse(reports), [r.text for r in reports])

    @property
    def feature_names(self) -> list[str]:
        """Names of the interpretable features (the word channel is one extra block)."""
        return list(FEATURE_NAMES)

    def contributions(self, report: Report) -> tuple[float, list]:
        """Score one tagged report and split its log-odds into signed per-feature contributions.

        Returns ``(likelihood, [(feature, value, contribution), ...])``, largest
        contribution first. Contributions are log-odds of the uncalibrated model relative
        to an average training report; the word channel is one ``words`` entry.
        """
        w = self._weights()
        raw = row_features(report, track=w.track, prior_strength=w.prior_strength)
        z = w.z(raw)
        parts = [(name, float(raw[i]), float(w.coef[i] * z[i])) for i, name in enumerate(FEATURE_NAMES)]
        logit = float(w.intercept + w.coef @ z)
        if len(w.text_coef):
            text_logit, hits = w.text_logit(report.text)
            logit += text_logit
            parts.append(("words", float(hits), text_logit - w.mean_text_logit))
        parts.sort(key=lambda p: -abs(p[2]))
        return float(w.calibrate(np.array([logit]))[0]), parts

    def top_words(self, text: str, n: int = 5) -> list[tuple[str, float]]:
        """The masked words and word pairs of ``text`` that weighed most, with their weights."""
        w = self._weights()
        grams = sorted(set(word_ngrams(text)))
        if not len(w.text_coef) or not grams:
            return []
        columns = [hash_column(g, len(w.text_coef)) for g in grams]
        norm = np.sqrt(len(set(columns)))  # the row's l2 norm: one per distinct column
        weights = [float(w.text_coef[c] / norm) for c in columns]
        return sorted(zip(grams, weights), key=lambda p: -abs(p[1]))[:n]

    # -- persistence -------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the pipeline, the weights and the manifest atomically; return the model path."""
        import joblib

        path = Path(path)
        if not path.parent.is_dir():
            raise FileNotFoundError(f"directory {path.parent} does not exist")
        weights = self._weights()
        buffer = io.BytesIO()
        joblib.dump({"pipeline": self.pipeline, "metadata": self.metadata}, buffer, compress=3)
        model_bytes, weight_bytes = buffer.getvalue(), weights.to_bytes()
        atomic_write_bytes(path, model_bytes)
        atomic_write_bytes(_weights_path(path), weight_bytes)
        manifest = {
            "format_version": MODEL_FORMAT_VERSION,
            "model_file": path.name,
            "sha256": hashlib.sha256(model_bytes).hexdigest(),
            "weights_file": _weights_path(path).name,
            "weights_sha256": hashlib.sha256(weight_bytes).hexdigest(),
            "versions": _versions(),
            "training_data_sha256": self.metadata.get("training_data_sha256"),
            "feature_names": [*FEATURE_NAMES, TEXT_FEATURE_NAME],
            "metadata": {k: v for k, v in self.metadata.items() if k != "training_data_sha256"},
        }
        atomic_write_text(_manifest_path(path), json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        return path

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> RumourModel:
        """Load a model after verifying its manifest (hashes, format, library versions).

        Raises
        ------
        ModelLoadError
            If a file or the manifest is missing or unreadable, a SHA-256 differs (nothing
            is read then), or the versions do not match.
        """
        path = Path(path) if path is not None else default_model_path()
        manifest_file, weights_file = _manifest_path(path), _weights_path(path)
        for needed, what in ((path, "model file"), (manifest_file, "manifest"), (weights_file, "weights file")):
            if not needed.is_file():
                raise ModelLoadError(f"{what} not found: {needed}")
        try:
            manifest = json.loads(manifest_file.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelLoadError(f"manifest {manifest_file} is unreadable: {exc}") from None
        if not isinstance(manifest, dict) or manifest.get("format_version") != MODEL_FORMAT_VERSION:
            found = manifest.get("format_version") if isinstance(manifest, dict) else "?"
            raise ModelLoadError(
                f"model format {found} is not supported (this rumourscore reads format {MODEL_FORMAT_VERSION})"
            )
        for file, key in ((path, "sha256"), (weights_file, "weights_sha256")):
            digest = file_sha256(file)
            if digest != manifest.get(key):
                raise ModelLoadError(
                    f"{file} does not match its manifest (sha256 {digest[:12]}... != {str(manifest.get(key))[:12]}...);"
                    " refusing to read a file that may have been altered"
                )
        expected = [*FEATURE_NAMES, TEXT_FEATURE_NAME]
        found = manifest.get("feature_names")
        if found != expected:
            found = found if isinstance(found, list) else []
            missing = [n for n in expected if n not in found]
            extra = [n for n in found if n not in expected]
            raise ModelLoadError(
                f"model {path} was trained on other features (missing: {missing or 'none'}, "
                f"unknown: {extra or 'none'}); retrain it with `rumourscore train`"
            )
        saved, now = manifest.get("versions", {}), _versions()
        mismatched = [f"{lib} {saved.get(lib)} (running {now[lib]})" for lib in ("rumourscore", "scikit-learn")
                      if saved.get(lib) != now[lib]]  # fmt: skip
        if str(saved.get("numpy", "")).split(".")[0] != now["numpy"].split(".")[0]:
            mismatched.append(f"numpy {saved.get('numpy')} (running {now['numpy']})")
        if mismatched:
            raise ModelLoadError(
                "model was saved with other library versions: " + ", ".join(mismatched)
                + "; retrain it with `rumourscore train` or install the matching versions"
            )  # fmt: skip
        try:
            weights = Weights.from_file(weights_file)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise ModelLoadError(f"could not read weights {weights_file}: {exc}") from None
        model = cls(weights=weights, metadata=manifest.get("metadata"))
        model._pipeline_file = (path, manifest["sha256"])
        return model


def train(reports: Any, *, use_text: bool = True, C: float = LOGREG_C) -> RumourModel:
    """Train a :class:`RumourModel` on labelled reports (a DataFrame or a CSV path).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["Medical booked, here we go", "Keeping tabs (Sun)"] * 10,
    ...                    "outcome": [1, 0] * 10})
    >>> model = train(df)
    >>> bool(model.predict_proba(["Here we go, medical booked"])[0] > 0.5)
    True
    """
    if not hasattr(reports, "columns"):
        import pandas as pd

        reports = pd.read_csv(reports)
    return RumourModel(build_pipeline(use_text=use_text, C=C)).fit(reports)
