"""The scikit-learn estimators: conventions, constraints, and behaviour on bad input."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import DataConversionWarning, NotFittedError
from sklearn.utils.estimator_checks import check_get_params_invariance, check_no_attributes_set_in_init

from rumourscore import RumourFeatures, SignedLogisticRegression
from rumourscore._features import FEATURE_NAMES


@pytest.fixture(scope="module")
def fitted():
    return RumourFeatures().fit(["a"])


@pytest.mark.parametrize("estimator", [RumourFeatures(text_col="body"), SignedLogisticRegression(C=0.5)])
def test_sklearn_conventions(estimator):
    name = type(estimator).__name__
    check_no_attributes_set_in_init(name, estimator)
    check_get_params_invariance(name, estimator)
    c = clone(estimator)
    assert c.get_params() == estimator.get_params() and c is not estimator


def test_rumour_features_fit_returns_self_and_names():
    f = RumourFeatures()
    with pytest.raises(NotFittedError):
        f.transform(["text"])
    with pytest.raises(NotFittedError):
        f.get_feature_names_out()
    assert f.fit(["x"]) is f
    assert list(f.get_feature_names_out()) == list(FEATURE_NAMES)


def test_keyword_only_params():
    with pytest.raises(TypeError):
        RumourFeatures("text")  # type: ignore[misc]
    with pytest.raises(TypeError):
        SignedLogisticRegression(1.0)  # type: ignore[misc]


def test_bad_params_are_rejected_in_fit():
    with pytest.raises(ValueError, match="text_col"):
        RumourFeatures(text_col=3).fit(["x"])  # type: ignore[arg-type]
    X, y = np.eye(3), [0, 1, 1]
    with pytest.raises(ValueError, match="C must"):
        SignedLogisticRegression(C=0).fit(X, y)
    with pytest.raises(ValueError, match="signs"):
        SignedLogisticRegression(signs=[2, 0, 0]).fit(X, y)
    with pytest.raises(ValueError, match="min_weights"):
        SignedLogisticRegression(signs=[-1, 0, 0], min_weights=[0.5, 0, 0]).fit(X, y)
    with pytest.raises(ValueError, match="ties"):
        SignedLogisticRegression(ties=[(0, 0, 1.0)]).fit(X, y)
    with pytest.raises(ValueError, match="two classes"):
        SignedLogisticRegression().fit(X, [1, 1, 1])


def test_set_output_pandas():
    f = RumourFeatures().set_output(transform="pandas").fit(["x"])
    out = f.transform(pd.DataFrame({"text": ["Chelsea agree fee", "keeping tabs"], "source": ["Guardian", None]}))
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(FEATURE_NAMES)
    assert out.shape == (2, len(FEATURE_NAMES))


def test_missing_text_column_is_clear():
    with pytest.raises(ValueError, match="columns found"):
        RumourFeatures().fit(pd.DataFrame({"body": ["x"]}))


def test_invalid_text_rows_do_not_raise(fitted):
    out = fitted.transform([None, float("nan"), 3, ""])
    assert out.shape == (4, len(FEATURE_NAMES))
    assert np.isfinite(out).all()


def _data(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(400, 3))
    # the first feature truly lowers the odds, the second raises them, the third is noise
    y = (rng.random(400) < 1 / (1 + np.exp(X[:, 0] - X[:, 1]))).astype(int)
    return X, y


def test_signed_regression_keeps_the_signs_it_is_given():
    X, y = _data()
    free = SignedLogisticRegression(C=10.0).fit(X, y)
    assert free.coef_[0, 0] < -0.5 and free.coef_[0, 1] > 0.5
    forced = SignedLogisticRegression(C=10.0, signs=[1, -1, 0]).fit(X, y)
    assert forced.coef_[0, 0] >= 0 and forced.coef_[0, 1] <= 0
    floored = SignedLogisticRegression(C=10.0, signs=[1, 0, 0], min_weights=[0.3, 0, 0]).fit(X, y)
    assert floored.coef_[0, 0] == pytest.approx(0.3)


def test_tie_keeps_the_dependent_weight_above_the_driver():
    X, y = _data(1)
    tied = SignedLogisticRegression(C=10.0, signs=[1, 1, 0], ties=[(0, 1, 2.0)]).fit(X, y)
    assert tied.coef_[0, 0] >= 2.0 * tied.coef_[0, 1] - 1e-9


def test_signed_regression_matches_sklearn_without_constraints():
    from sklearn.linear_model import LogisticRegression

    X, y = _data(2)
    ours = SignedLogisticRegression(C=1.0).fit(X, y)
    theirs = LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, atol=1e-3)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-3)
    assert list(ours.predict(X[:5])) == list(theirs.predict(X[:5]))
    with pytest.raises(NotFittedError):
        SignedLogisticRegression().predict_proba(X)


def test_signed_regression_passes_scikit_learns_checks():
    """The whole check_estimator suite (binary-only and sparse-aware by its tags): unfitted predict
    raises NotFittedError, NaN / empty / 1-D / complex X and continuous y are clear errors."""
    import warnings

    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            failed = [r["check_name"] for r in check_estimator(SignedLogisticRegression(), on_fail=None)
                      if r["status"] == "failed"]  # fmt: skip
        except TypeError:  # (scikit-learn < 1.6: no on_fail; the checks are generated)
            failed = []
            for estimator, check in check_estimator(SignedLogisticRegression(), generate_only=True):
                name = getattr(check, "func", check).__name__
                if name != "check_estimators_pickle":  # (a memmap helper of old scikit-learn and new numpy)
                    try:
                        check(estimator)
                    except Exception:
                        failed.append(name)
    assert failed == []


def test_signed_regression_errors_are_clear():
    X, y = _data(3)
    fitted = SignedLogisticRegression().fit(X, y)
    with pytest.raises(NotFittedError):
        SignedLogisticRegression().predict(X)  # (was an AttributeError on classes_)
    with pytest.raises(ValueError, match="X has 2 features, but SignedLogisticRegression is expecting 3"):
        fitted.predict_proba(X[:, :2])
    with pytest.raises(ValueError, match="2D array"):
        fitted.predict(X[0])  # (one row as a 1-D array was read as a row, silently)
    with pytest.raises(ValueError, match="NaN"):
        fitted.predict(np.full((2, 3), np.nan))  # (NaN rows were predicted as class 0)
    with pytest.raises(ValueError, match="sample_weight must hold one number per row"):
        SignedLogisticRegression().fit(X, y, sample_weight=np.ones(5))
    with pytest.raises(ValueError, match="ties must be a sequence"):
        SignedLogisticRegression(ties=[(0, 1)]).fit(X, y)
    with pytest.raises(ValueError, match="C must"):
        SignedLogisticRegression(C=True).fit(X, y)
    with pytest.warns(DataConversionWarning):  # (a column vector y broke the loss's shapes)
        column = SignedLogisticRegression().fit(X, y[:, None])
    np.testing.assert_allclose(column.coef_, fitted.coef_)


def test_numpy_numbers_are_valid_params():
    """A GridSearchCV grid built with numpy (np.arange, np.logspace as float32) gives numpy numbers."""
    from sklearn.model_selection import GridSearchCV

    X, y = _data(4)
    grid = {"C": np.array([0.5, 2.0], dtype=np.float32), "max_iter": np.array([50, 100])}
    search = GridSearchCV(SignedLogisticRegression(), grid, cv=3, error_score="raise").fit(X, y)
    assert set(search.best_params_) == {"C", "max_iter"}
    assert SignedLogisticRegression(C=np.int64(2), C_extra=np.float32(1)).fit(X, y).n_iter_ > 0


def test_a_2d_array_is_refused_not_read_as_texts(fitted):
    """A 2-D array (a ColumnTransformer over an array, ``frame.to_numpy()``) has no column names:
    its rows were read as texts, every feature 0 without a word of warning."""
    frame = pd.DataFrame({"text": ["Here we go! Medical booked"], "source": ["Sky Sports"], "date": ["2024-01-05"]})
    with pytest.raises(ValueError, match="1-D array of texts"):
        fitted.transform(frame.to_numpy())
    assert fitted.transform(frame.to_numpy()[:, 0]).any()  # (one column of texts is fine)


def test_feature_names_in_are_the_columns_read():
    f = RumourFeatures(text_col="body", date_col="day").fit(pd.DataFrame({"body": ["x"], "day": ["2024-01-01"]}))
    assert list(f.feature_names_in_) == ["body", "source", "day"]
