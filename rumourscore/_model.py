"""``RumourModel``: the feature pipeline plus a calibrated classifier, with safe persistence.

Persistence follows skops' idea: the model file (joblib) sits next to a JSON manifest
holding the format version, library versions, the file's SHA-256, the training-data hash
and the feature names. :meth:`RumourModel.load` checks all of it *before* unpickling and
refuses a mismatch with a clear :class:`ModelLoadError`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import scipy.sparse as sp
import sklearn
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from sklearn.utils.validation import check_is_fitted

from . import __version__
from ._features import FEATURE_NAMES, RumourFeatures, to_frame
from ._text import MAX_TEXT_CHARS, mask_names

__all__ = [
    "MODEL_FORMAT_VERSION",
    "ModelLoadError",
    "RumourModel",
    "TextChannel",
    "atomic_write_text",
    "default_corpus_path",
    "default_model_path",
    "file_sha256",
    "frame_sha256",
    "shipped_path",
    "train",
]  # fmt: skip

#: Bumped whenever the saved layout changes; a model of another format is refused.
MODEL_FORMAT_VERSION = 1
#: File names of the shipped model inside ``models/`` (installed as ``rumourscore.models``).
DEFAULT_MODEL_FILE = "rumourscore-model.joblib"
#: Size of the hashed word n-gram space of the text channel.
TEXT_HASH_FEATURES = 2**18
#: Inverse regularisation of the logistic regression (picked on the chronological split).
LOGREG_C = 0.1
#: Standardised features are clipped to +-this many standard deviations, so that a whole
#: article (many sentences, many hedges) cannot push one feature far outside training data.
Z_CLIP = 4.0
#: Folds used to fit the sigmoid calibration on out-of-fold scores.
CALIBRATION_FOLDS = 5
#: Seed for everything random in training (retraining is bit-for-bit reproducible).
RANDOM_STATE = 0


class ModelLoadError(RuntimeError):
    """A model file is missing, tampered with, or was saved by incompatible versions."""


def _masked_lower(text: Any) -> str:
    return mask_names(text[:MAX_TEXT_CHARS]).lower() if isinstance(text, str) else ""


class TextChannel(TransformerMixin, BaseEstimator):
    """Hashed word 1–2-grams of the text with names masked (``NAME``): a compact bag of words.

    Player and club names are replaced before hashing, so who is named cannot move a score.

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

    def _vectorizer(self) -> HashingVectorizer:
        return HashingVectorizer(
            n_features=self.n_features, ngram_range=(1, 2), alternate_sign=False, binary=True,
            norm="l2", preprocessor=_masked_lower, token_pattern=r"(?u)\b[a-z][a-z'-]+\b",
        )  # fmt: skip

    def fit(self, X: Any, y: Any = None) -> TextChannel:
        """Validate parameters (hashing needs no vocabulary)."""
        if not (isinstance(self.n_features, int) and self.n_features > 0):
            raise ValueError(f"n_features must be a positive int, got {self.n_features!r}")
        self.vectorizer_ = self._vectorizer()
        self.n_features_in_ = 1
        return self

    def transform(self, X: Any) -> sp.csr_matrix:
        """Hash the texts into a sparse matrix."""
        check_is_fitted(self, "vectorizer_")
        return self.vectorizer_.transform(list(to_frame(X, self.text_col)["text"]))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Hashed columns have no words attached: ``words_0`` ... ``words_{n-1}``."""
        return np.asarray([f"words_{i}" for i in range(self.n_features)], dtype=object)


def build_pipeline(*, text_col: str = "text", source_col: str = "source", date_col: str = "date",
                   use_text: bool = True, C: float = LOGREG_C) -> Pipeline:  # fmt: skip
    """The unfitted model: tag features (+ hashed masked words) into calibrated logistic regression."""
    tags = Pipeline([
        ("rumour", RumourFeatures(text_col=text_col, source_col=source_col, date_col=date_col)),
        ("scale", StandardScaler()),
        ("clip", FunctionTransformer(np.clip, kw_args={"a_min": -Z_CLIP, "a_max": Z_CLIP})),
    ])  # fmt: skip
    parts = [("tags", tags)]
    if use_text:
        parts.append(("words", TextChannel(text_col=text_col)))
    classifier = CalibratedClassifierCV(
        LogisticRegression(C=C, max_iter=5000, random_state=RANDOM_STATE),
        method="sigmoid",
        cv=StratifiedKFold(CALIBRATION_FOLDS, shuffle=True, random_state=RANDOM_STATE),
        ensemble=False,
    )
    return Pipeline([("features", FeatureUnion(parts)), ("classifier", classifier)])


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def frame_sha256(frame: pd.DataFrame) -> str:
    """A stable hash of a DataFrame's content (column names and values, in order)."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return hashlib.sha256(buffer.getvalue().encode("utf-8")).hexdigest()


def shipped_path(folder: str, filename: str) -> Path:
    """Path of a file shipped in a top-level folder (``models``, ``data``).

    Installed, the folders are package data (``rumourscore.models``, ``rumourscore.data``);
    in a source checkout they sit next to the package.
    """
    try:
        candidate = Path(str(resources.files(f"rumourscore.{folder}").joinpath(filename)))
        if candidate.is_file():
            return candidate
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / folder / filename


def default_model_path() -> Path:
    """Path of the shipped model."""
    return shipped_path("models", DEFAULT_MODEL_FILE)


def default_corpus_path() -> Path:
    """Path of the shipped labelled corpus (``data/reports.csv``)."""
    return shipped_path("data", "reports.csv")


def _versions() -> dict[str, str]:
    return {"rumourscore": __version__, "scikit-learn": sklearn.__version__, "numpy": np.__version__,
            "pandas": pd.__version__, "joblib": joblib.__version__, "python": platform.python_version()}  # fmt: skip


def _manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


class RumourModel:
    """A trained rumour scorer: the sklearn pipeline plus what it was trained on.

    Use :func:`train` (or :meth:`fit`) to make one and :func:`load_model` to load the shipped
    one. ``predict_proba`` takes a DataFrame with ``text`` (and optional ``source``,
    ``date``) columns, or a list of texts.
    """

    def __init__(self, pipeline: Pipeline | None = None, *, metadata: dict[str, Any] | None = None) -> None:
        self.pipeline = pipeline if pipeline is not None else build_pipeline()
        self.metadata = dict(metadata or {})

    # -- training ----------------------------------------------------------------------
    def fit(self, reports: pd.DataFrame, y: Any = None, *, label_col: str = "outcome") -> RumourModel:
        """Fit on labelled reports (``text``, ``source``, ``date`` and ``outcome`` columns)."""
        if not isinstance(reports, pd.DataFrame):
            raise TypeError(f"reports must be a DataFrame, got {type(reports).__name__}")
        if y is None:
            if label_col not in reports.columns:
                raise ValueError(f"no label column {label_col!r}; columns found: {list(reports.columns)}")
            y = reports[label_col]
        labels = pd.Series(np.asarray(y)).astype(float)
        if labels.isna().any() or not set(labels.unique()) <= {0.0, 1.0}:
            raise ValueError("labels must be 0 or 1 with no missing values")
        if labels.nunique() < 2:
            raise ValueError("training needs both outcomes (0 and 1)")
        cols = [c for c in ("text", "source", "date") if c in reports.columns]
        self.pipeline.fit(reports[cols], labels.to_numpy().astype(int))
        self.metadata.update(
            n_train=len(reports), positive_rate=float(labels.mean()),
            training_data_sha256=frame_sha256(reports[[*cols]].assign(outcome=labels.to_numpy())),
        )  # fmt: skip
        self._prepare_explainer(reports[cols])
        return self

    # -- scoring -----------------------------------------------------------------------
    def predict_proba(self, X: Any) -> np.ndarray:
        """Likelihood (probability of outcome 1) for each row: a 1-D array.

        Same numbers as ``self.pipeline.predict_proba(X)[:, 1]``, computed through
        :meth:`analyse` so that batch scoring tags each text once.
        """
        frame = to_frame(X)
        raw, _ = self.analyse(frame)
        return self.likelihood(raw, frame["text"].tolist())

    def analyse(self, frame: pd.DataFrame) -> tuple[np.ndarray, list[list]]:
        """Raw interpretable features and tags of each row of a text/source/date frame."""
        rumour = self._parts()[0]
        raw = np.zeros((len(frame), len(FEATURE_NAMES)))
        all_tags = []
        for i, (text, source, date) in enumerate(zip(frame["text"], frame["source"], frame["date"])):
            raw[i], tags = rumour.row_features(text, source, date)
            all_tags.append(tags)
        return raw, all_tags

    def likelihood(self, raw: np.ndarray, texts: list[Any]) -> np.ndarray:
        """Calibrated likelihoods from raw features (see :meth:`analyse`) and the texts."""
        _, scale, words, logreg, calibrated = self._parts()
        coef = logreg.coef_[0]
        logit = np.clip(scale.transform(raw), -Z_CLIP, Z_CLIP) @ coef[: len(FEATURE_NAMES)] + logreg.intercept_[0]
        if words is not None:
            logit = logit + np.asarray(words.transform(texts) @ coef[len(FEATURE_NAMES) :]).ravel()
        return np.clip(calibrated.calibrators[0].predict(logit), 0.0, 1.0)

    @property
    def feature_names(self) -> list[str]:
        """Names of the interpretable features (the text channel is one extra block)."""
        return list(FEATURE_NAMES)

    # -- explanation -------------------------------------------------------------------
    def _parts(self) -> tuple[RumourFeatures, StandardScaler, TextChannel | None, LogisticRegression, Any]:
        union = self.pipeline.named_steps["features"]
        tags = union.transformer_list[0][1]
        words = dict(union.transformer_list).get("words")
        calibrated = self.pipeline.named_steps["classifier"].calibrated_classifiers_[0]
        return tags.named_steps["rumour"], tags.named_steps["scale"], words, calibrated.estimator, calibrated

    def _prepare_explainer(self, X: pd.DataFrame) -> None:
        *_, words, logreg, _ = self._parts()
        if words is not None:
            coef = logreg.coef_[0][len(FEATURE_NAMES) :]
            self.metadata["mean_text_logit"] = float(np.asarray(words.transform(X) @ coef).mean())

    def contributions(
        self, text: str, source: Any = None, date: Any = None
    ) -> tuple[float, list[tuple[str, float, float]], list]:
        """Score one report and split its log-odds into signed per-feature contributions.

        Returns ``(likelihood, [(feature, value, contribution), ...], tags)``; the
        contributions are in log-odds of the uncalibrated model relative to an average
        training report, and the text channel appears as one ``words`` entry.
        """
        rumour, scale, words, logreg, calibrated = self._parts()
        raw, tags = rumour.row_features(text, source, date)
        z = np.clip(scale.transform(raw.reshape(1, -1))[0], -Z_CLIP, Z_CLIP)
        coef = logreg.coef_[0]
        parts = [(name, float(raw[i]), float(coef[i] * z[i])) for i, name in enumerate(FEATURE_NAMES)]
        logit = float(logreg.intercept_[0] + coef[: len(FEATURE_NAMES)] @ z)
        if words is not None:
            row = words.transform([text])
            text_logit = float(np.asarray(row @ coef[len(FEATURE_NAMES) :])[0])
            logit += text_logit
            parts.append(("words", float(row.nnz), text_logit - self.metadata.get("mean_text_logit", 0.0)))
        likelihood = float(calibrated.calibrators[0].predict(np.array([logit]))[0])
        parts.sort(key=lambda p: -abs(p[2]))
        return likelihood, parts, tags

    def top_words(self, text: str, n: int = 5) -> list[tuple[str, float]]:
        """The masked words and word pairs of ``text`` that pushed its score most."""
        *_, words, logreg, _ = self._parts()
        if words is None:
            return []
        analyzer = words.vectorizer_.build_analyzer()
        grams = sorted(set(analyzer(text)))
        if not grams:
            return []
        hashed = HashingVectorizer(n_features=words.n_features, alternate_sign=False, norm=None,
                                   binary=True, analyzer=lambda g: [g]).transform(grams)  # fmt: skip
        weights = np.asarray(hashed @ logreg.coef_[0][len(FEATURE_NAMES) :]).ravel()
        ranked = sorted(zip(grams, weights.tolist()), key=lambda p: -abs(p[1]))
        return ranked[:n]

    # -- persistence -------------------------------------------------------------------
    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the model file and its ``.manifest.json`` atomically; return the model path."""
        path = Path(path)
        if not path.parent.is_dir():
            raise FileNotFoundError(f"directory {path.parent} does not exist")
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        try:
            joblib.dump({"pipeline": self.pipeline, "metadata": self.metadata}, tmp, compress=3)
            os.chmod(tmp, 0o644)  # mkstemp creates 0600; a model is ordinary package data
            digest = file_sha256(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        manifest = {
            "format_version": MODEL_FORMAT_VERSION,
            "model_file": path.name,
            "sha256": digest,
            "versions": _versions(),
            "training_data_sha256": self.metadata.get("training_data_sha256"),
            "feature_names": [*FEATURE_NAMES, "words (hashed, names masked)"],
            "metadata": {k: v for k, v in self.metadata.items() if k != "training_data_sha256"},
        }
        atomic_write_text(_manifest_path(path), json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        return path

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> RumourModel:
        """Load a model after verifying its manifest (hash, format, library versions).

        Raises
        ------
        ModelLoadError
            If the file or its manifest is missing or unreadable, the SHA-256 differs
            (the file is never unpickled then), or versions do not match.
        """
        path = Path(path) if path is not None else default_model_path()
        manifest_file = _manifest_path(path)
        if not path.is_file():
            raise ModelLoadError(f"model file not found: {path}")
        if not manifest_file.is_file():
            raise ModelLoadError(f"manifest not found next to the model: {manifest_file}")
        try:
            manifest = json.loads(manifest_file.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelLoadError(f"manifest {manifest_file} is unreadable: {exc}") from None
        if not isinstance(manifest, dict) or manifest.get("format_version") != MODEL_FORMAT_VERSION:
            raise ModelLoadError(
                f"model format {manifest.get('format_version') if isinstance(manifest, dict) else '?'} "
                f"is not supported (this rumourscore reads format {MODEL_FORMAT_VERSION})"
            )
        digest = file_sha256(path)
        if digest != manifest.get("sha256"):
            raise ModelLoadError(
                f"{path} does not match its manifest "
                f"(sha256 {digest[:12]}... != {str(manifest.get('sha256'))[:12]}...);"
                " refusing to unpickle a file that may have been altered"
            )
        saved = manifest.get("versions", {})
        now = _versions()
        mismatched = [f"{lib} {saved.get(lib)} (running {now[lib]})" for lib in ("rumourscore", "scikit-learn")
                      if saved.get(lib) != now[lib]]  # fmt: skip
        if saved.get("numpy", "").split(".")[0] != now["numpy"].split(".")[0]:
            mismatched.append(f"numpy {saved.get('numpy')} (running {now['numpy']})")
        if mismatched:
            raise ModelLoadError(
                "model was saved with other library versions: "
                + ", ".join(mismatched)
                + "; retrain it with `rumourscore train` or install the matching versions"
            )
        try:
            payload = joblib.load(path)
        except Exception as exc:
            raise ModelLoadError(f"could not read model {path}: {exc}") from None
        return cls(payload["pipeline"], metadata=payload.get("metadata"))


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to a temporary file next to ``path``, then rename it into place."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def train(reports: pd.DataFrame | str | os.PathLike[str], *, use_text: bool = True, C: float = LOGREG_C) -> RumourModel:
    """Train a :class:`RumourModel` on labelled reports (a DataFrame or a CSV path).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"text": ["Medical booked, here we go", "Keeping tabs (Sun)"] * 10,
    ...                    "outcome": [1, 0] * 10})
    >>> model = train(df)
    >>> model.predict_proba(["Here we go, medical booked"])[0] > 0.5
    True
    """
    if not isinstance(reports, pd.DataFrame):
        reports = pd.read_csv(reports)
    return RumourModel(build_pipeline(use_text=use_text, C=C)).fit(reports)
