"""scikit-learn estimators: :class:`RumourFeatures` and :class:`SignedLogisticRegression`.

They wrap the numpy-only feature code (``_features.py``) for training, and are there for
anyone who wants rumourscore's features or its constrained classifier in their own pipeline.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import minimize
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_is_fitted, check_X_y

from ._features import FEATURE_NAMES, feature_matrix
from ._report import Report, make_report

__all__ = ["RumourFeatures", "SignedLogisticRegression", "to_frame"]


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
    if isinstance(X, np.ndarray) and X.ndim != 1:  # (its rows would be read as texts: all features 0)
        raise ValueError(f"expected a 1-D array of texts, got a {X.ndim}-D array: pass a DataFrame with a "
                         f"{text_col!r} column (and optional {source_col!r}, {date_col!r})")  # fmt: skip
    if isinstance(X, pd.Series | np.ndarray | list | tuple):
        return pd.DataFrame({"text": list(X), "source": None, "date": None})
    raise TypeError(f"expected a DataFrame or a list of texts, got {type(X).__name__}")


def reports_of(frame: pd.DataFrame) -> list[Report]:
    """One tagged :class:`Report` per row of a text/source/date frame (see :func:`to_frame`)."""
    return [make_report(t, s, d) for t, s, d in zip(frame["text"], frame["source"], frame["date"])]


def _real(value: Any) -> bool:
    """Whether ``value`` is a real number (Python's or numpy's), not a bool."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


class RumourFeatures(TransformerMixin, BaseEstimator):
    """Turn rumour texts (with optional source and date) into interpretable features.

    Parameters
    ----------
    text_col, source_col, date_col : str
        Column names used when ``X`` is a DataFrame. ``source`` and ``date`` are optional;
        a list of strings is read as texts alone.

    Attributes
    ----------
    feature_names_in_ : ndarray of str
        The input columns used (``text_col``, ``source_col``, ``date_col``).
    n_features_in_ : int

    Examples
    --------
    >>> f = RumourFeatures().fit(["Arsenal are keen on Osimhen (Sun)"])
    >>> row = f.transform(["Chelsea agree £50m fee, medical booked"])[0]
    >>> int(row[list(f.get_feature_names_out()).index("stage_ge8")])
    1
    """

    def __init__(self, *, text_col: str = "text", source_col: str = "source", date_col: str = "date") -> None:
        self.text_col = text_col
        self.source_col = source_col
        self.date_col = date_col

    def fit(self, X: Any, y: Iterable[int] | None = None) -> RumourFeatures:
        """Check the input and remember its columns (the features need no fitting)."""
        for name in ("text_col", "source_col", "date_col"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be a column name (str), got {getattr(self, name)!r}")
        to_frame(X, self.text_col, self.source_col, self.date_col)
        self.feature_names_in_ = np.asarray([self.text_col, self.source_col, self.date_col], dtype=object)
        self.n_features_in_ = 3
        return self

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output columns (see :data:`rumourscore._features.FEATURES`)."""
        check_is_fitted(self, "n_features_in_")
        return np.asarray(FEATURE_NAMES, dtype=object)

    def transform(self, X: Any) -> np.ndarray:
        """Compute the feature matrix (``n_rows x len(FEATURE_NAMES)``) for ``X``."""
        check_is_fitted(self, "n_features_in_")
        return feature_matrix(reports_of(to_frame(X, self.text_col, self.source_col, self.date_col)))


class SignedLogisticRegression(ClassifierMixin, BaseEstimator):
    """L2-penalised logistic regression whose weights keep the signs the domain demands.

    Parameters
    ----------
    C : float, default=1.0
        Inverse strength of the L2 penalty on the weights of the features that ``signs``
        covers (on all weights when ``signs`` is None); never on the intercept.
    C_extra : float, optional
        Inverse L2 penalty of the features past the end of ``signs`` (e.g. a block of word
        columns after the interpretable ones). Default: ``C``.
    signs : sequence of int, optional
        For the first ``len(signs)`` features: ``+1`` keeps the weight >= 0, ``-1`` keeps it
        <= 0, ``0`` leaves it free. Features past its end are free. Default: all free.
    min_weights : sequence of float, optional
        One per entry of ``signs``: the smallest weight a ``+1`` feature may take (default 0). A small
        positive floor says "a later step of the ladder is at least a little stronger".
    ties : sequence of (dependent, driver, factor), default=()
        Feature indices: keeps ``weight[dependent] >= factor * weight[driver]`` (with the
        dependent's own sign constraint applied to the difference). Used to make a step of the
        stage ladder outweigh the source interaction it switches off.
    max_iter : int, default=2000
        Iterations of L-BFGS-B.

    Attributes
    ----------
    coef_ : ndarray of shape (1, n_features)
    intercept_ : ndarray of shape (1,)
    classes_ : ndarray of shape (2,)
    n_features_in_ : int
    n_iter_ : int
    """

    def __init__(self, *, C: float = 1.0, C_extra: float | None = None, signs: Sequence[int] | None = None,
                 min_weights: Sequence[float] | None = None, ties: Sequence[tuple[int, int, float]] = (),
                 max_iter: int = 2000) -> None:  # fmt: skip
        self.C = C
        self.C_extra = C_extra
        self.signs = signs
        self.min_weights = min_weights
        self.ties = ties
        self.max_iter = max_iter

    def _more_tags(self) -> dict[str, Any]:  # (scikit-learn < 1.6 reads these)
        return {"binary_only": True}

    def __sklearn_tags__(self) -> Any:  # (scikit-learn >= 1.6): two classes only, dense or sparse X
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        tags.input_tags.sparse = True
        return tags

    def _check_params(self, n_features: int) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int, float]]]:
        for name in ("C", "C_extra"):  # (numpy's numbers too, as a GridSearchCV grid gives them; never a bool)
            value = getattr(self, name)
            if not (_real(value) and value > 0) and not (name == "C_extra" and value is None):
                raise ValueError(f"{name} must be a positive number, got {value!r}")
        if not (isinstance(self.max_iter, numbers.Integral) and not isinstance(self.max_iter, bool)
                and self.max_iter > 0):  # fmt: skip
            raise ValueError(f"max_iter must be a positive int, got {self.max_iter!r}")
        signs = np.zeros(n_features, dtype=int) if self.signs is None else np.asarray(self.signs, dtype=int)
        if signs.ndim != 1 or len(signs) > n_features or not set(np.unique(signs)) <= {-1, 0, 1}:
            raise ValueError(f"signs must hold one of -1, 0, +1 per feature (at most {n_features}), got {self.signs!r}")
        floors = np.zeros(len(signs)) if self.min_weights is None else np.asarray(self.min_weights, dtype=float)
        if floors.shape != signs.shape or not np.isfinite(floors).all() or (floors[signs != 1] != 0).any():
            raise ValueError(f"min_weights must hold one finite number per feature, 0 unless the sign is +1, "
                             f"got {self.min_weights!r}")  # fmt: skip
        try:
            ties = [(int(d), int(r), float(f)) for d, r, f in self.ties]
        except (TypeError, ValueError):
            raise ValueError(f"ties must be a sequence of (dependent, driver, factor), got {self.ties!r}") from None
        if any(not (0 <= d < n_features and 0 <= r < n_features and d != r) for d, r, _ in ties):
            raise ValueError(f"ties must name two different feature indices below {n_features}, got {self.ties!r}")
        pad = n_features - len(signs)
        return np.concatenate([signs, np.zeros(pad, dtype=int)]), np.concatenate([floors, np.zeros(pad)]), ties

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> SignedLogisticRegression:
        """Fit by penalised maximum likelihood under the sign and tie constraints."""
        # (scikit-learn's checks: a finite 2-D float X, dense or CSR; a 1-D y of one label per row)
        X, y = check_X_y(X, y, accept_sparse="csr", dtype=np.float64)
        check_classification_targets(y)
        self.classes_, y01 = np.unique(y, return_inverse=True)
        if len(self.classes_) != 2:
            raise ValueError(f"y must hold exactly two classes: Only binary classification is supported. Got "
                             f"{len(self.classes_)} class(es): {self.classes_.tolist()[:5]}")  # fmt: skip
        signs, floors, ties = self._check_params(X.shape[1])
        weight = np.ones(X.shape[0]) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        if weight.shape != (X.shape[0],):
            raise ValueError(f"sample_weight must hold one number per row of X ({X.shape[0]}), got {weight.shape}")
        if not (np.isfinite(weight).all() and (weight >= 0).all()):
            raise ValueError("sample_weight must be finite and >= 0")
        if not weight.any():
            raise ValueError("sample_weight is zero on every row: nothing to fit")
        # Reparametrise each tie: w_dep = delta + factor * w_drv, so the driver's column also
        # carries factor * the dependent's column, and delta takes the dependent's bound.
        if sparse.issparse(X):
            T = sparse.identity(X.shape[1], format="lil")
            for dep, drv, factor in ties:
                T[dep, drv] = factor
            Z = (X @ T.tocsr()).tocsr()
        else:
            Z = X.copy()
            for dep, drv, factor in ties:
                Z[:, drv] += factor * Z[:, dep]
        y01 = y01.astype(np.float64)
        n_signed = X.shape[1] if self.signs is None else len(self.signs)
        penalty = np.full(X.shape[1], 1.0 / (self.C if self.C_extra is None else self.C_extra))
        penalty[:n_signed] = 1.0 / self.C

        def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
            z = Z @ theta[1:] + theta[0]
            p = 0.5 * (1.0 + np.tanh(0.5 * z))
            value = np.sum(weight * (np.logaddexp(0.0, z) - y01 * z)) + 0.5 * theta[1:] @ (penalty * theta[1:])
            r = weight * (p - y01)
            return value, np.concatenate([[r.sum()], Z.T @ r + penalty * theta[1:]])

        bounds = [(None, None)] + [{1: (float(lo), None), -1: (None, 0.0), 0: (None, None)}[int(s)]
                                   for s, lo in zip(signs, floors)]  # fmt: skip
        result = minimize(loss, np.zeros(X.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds,
                          options={"maxiter": self.max_iter})  # fmt: skip
        coef = result.x[1:].copy()
        for dep, drv, factor in ties:
            coef[dep] += factor * coef[drv]
        self.coef_ = coef[None, :]
        self.intercept_ = np.array([result.x[0]])
        self.n_features_in_ = X.shape[1]
        self.n_iter_ = int(result.nit)
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """Log-odds of the second class."""
        check_is_fitted(self, "coef_")
        X = check_array(X, accept_sparse="csr", dtype=np.float64)
        if X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                             f"{self.n_features_in_} features as input")  # fmt: skip
        return np.asarray(X @ self.coef_[0]).ravel() + self.intercept_[0]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of both classes, shape ``(n, 2)``."""
        p = 1.0 / (1.0 + np.exp(-self.decision_function(X)))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        """The more likely class of each row."""
        positive = self.decision_function(X) > 0  # (first: it raises NotFittedError before classes_ is read)
        return self.classes_[positive.astype(int)]
