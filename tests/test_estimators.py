import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import check_get_params_invariance, check_no_attributes_set_in_init

from rumourscore import RumourFeatures, TextChannel
from rumourscore._features import FEATURE_NAMES
from rumourscore._text import hashed_ngrams


@pytest.fixture(scope="module")
def fitted():
    return RumourFeatures().fit(["a"])


def test_sklearn_conventions():
    f = RumourFeatures(prior_strength=5.0)
    check_no_attributes_set_in_init("RumourFeatures", f)
    check_get_params_invariance("RumourFeatures", f)
    assert f.get_params()["prior_strength"] == 5.0
    c = clone(f)
    assert c.get_params() == f.get_params() and c is not f
    with pytest.raises(NotFittedError):
        f.transform(["text"])
    assert f.fit(["x"]) is f
    assert list(f.get_feature_names_out()) == list(FEATURE_NAMES)


def test_keyword_only_params():
    with pytest.raises(TypeError):
        RumourFeatures("text")  # type: ignore[misc]


def test_bad_params_are_rejected_in_fit():
    with pytest.raises(ValueError, match="prior_strength"):
        RumourFeatures(prior_strength=-1).fit(["x"])


def test_set_output_pandas():
    f = RumourFeatures().set_output(transform="pandas").fit(["x"])
    out = f.transform(pd.DataFrame({"text": ["Chelsea agree fee", "keeping tabs"], "source": ["Guardian", None]}))
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(FEATURE_NAMES)
    assert out.shape == (2, len(FEATURE_NAMES))


def test_missing_text_column_is_clear():
    with pytest.raises(ValueError, match="columns found"):
        RumourFeatures().fit(pd.DataFrame({"body": ["x"]}))


def test_track_record_uses_only_outcomes_resolved_before_the_report():
    X = pd.DataFrame({
        "text": ["Chelsea keen"] * 4,
        "source": ["Daily Star"] * 4,
        "date": ["2018-01-01", "2018-06-01", "2019-03-01", "2020-01-01"],
    })  # fmt: skip
    f = RumourFeatures(prior_strength=2.0).fit(X, [1, 1, 0, 1])
    track = f.transform(X)[:, FEATURE_NAMES.index("source_track")]
    prior = 0.202  # the Daily Star's published hit rate
    # 2018-01-01 and 2018-06-01: nothing resolved yet; 2019-03-01: the first report (resolved
    # 2019-01-01) is known; 2020-01-01: two reports resolved (2019-01-01, 2019-06-01; the third resolves 2020-03-01).
    assert track[0] == pytest.approx(prior) and track[1] == pytest.approx(prior)
    assert track[2] == pytest.approx((1 + 2 * prior) / 3)
    assert track[3] == pytest.approx((2 + 2 * prior) / 4)


def test_invalid_text_rows_do_not_raise(fitted):
    out = fitted.transform([None, float("nan"), 3, ""])
    assert out.shape == (4, len(FEATURE_NAMES))


def test_text_channel_conventions():
    t = TextChannel(n_features=1024)
    assert clone(t).get_params() == t.get_params()
    with pytest.raises(NotFittedError):
        t.transform(["x"])
    assert t.fit(["x"]) is t
    X = t.transform(["Arsenal are keen on Bukayo Saka", "Chelsea are keen on Cole Palmer"])
    # names are masked before hashing: the two rows hash to the same words
    assert (X[0] != X[1]).nnz == 0
    with pytest.raises(ValueError, match="n_features"):
        TextChannel(n_features=0).fit(["x"])


def test_numpy_hashing_equals_the_sklearn_vectorizer(corpus):
    texts = [*corpus["text"].tolist()[:400], "", "Ünïcödé Çlub bid £5m", "a " * 50, None]
    X = TextChannel().fit(texts).transform(texts)
    for i, text in enumerate(texts):
        assert hashed_ngrams(text, 2**18) == sorted(X[i].indices.tolist())
