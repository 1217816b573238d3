import datetime as dt

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.estimator_checks import check_get_params_invariance, check_no_attributes_set_in_init

from rumourscore import RumourFeatures
from rumourscore._features import FEATURE_NAMES, parse_date


def feat(f: RumourFeatures, text: str, **kw) -> dict:
    row, _ = f.row_features(text, kw.get("source"), kw.get("date"))
    return dict(zip(FEATURE_NAMES, row))


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


def test_stage_hedge_denial_features(fitted):
    f = feat(fitted, "Chelsea have agreed a fee and the player could undergo a medical tomorrow.")
    assert f["stage_max"] == 8 and f["stage_medical"] == 1 and f["hedge_count"] == 1
    f = feat(fitted, "Arsenal had a bid rejected and pulled out of the race.")
    assert f["denial_count"] == 2 and f["denial_after_stage"] == 1 and f["stage_max"] == 4
    f = feat(fitted, "Napoli have not ruled out a move.")
    assert f["denial_count"] == 0 and f["denial_negated"] == 1
    f = feat(fitted, "There have been no talks with Inter.")
    assert f["stage_max"] == 0 and f["stage_negated"] == 1


def test_source_features_from_column_and_text(fitted):
    named = feat(fitted, "Liverpool want the midfielder.", source="Guardian")
    assert named["source_known"] == 1 and named["source_tier"] == 2 and named["source_prior"] == pytest.approx(0.387)
    in_text = feat(fitted, "Liverpool want the midfielder, according to the Guardian.")
    assert in_text["source_known"] == 1 and in_text["source_named_in_text"] == 1
    anonymous = feat(fitted, "Liverpool want the midfielder, sources close to the club say.")
    assert anonymous["source_known"] == 0 and anonymous["source_anonymous"] == 1
    unknown = feat(fitted, "Liverpool want the midfielder.", source="My Cousin's Blog")
    assert unknown["source_known"] == 0


def test_contract_money_age_time_features(fitted):
    f = feat(fitted, "The 24-year-old, whose contract runs until 2027, would earn £200,000 a week after a £50m fee.",
             date="2025-01-20")  # fmt: skip
    assert f["expiry_years_left"] == 2 and f["age"] == 24 and f["has_wage"] == 1
    assert f["fee_log_eur"] == pytest.approx(np.log10(1 + 50e6 * 1.15))
    assert f["days_to_deadline"] == pytest.approx(11 / 100) and f["in_window"] == 1
    assert feat(fitted, "A loan with an obligation to buy.")["loan_obligation"] == 1


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
    # 2019-01-01) is known; 2020-01-01: three reports resolved (2019-01-01, 2019-06-01, 2020-03-01 not).
    assert track[0] == pytest.approx(prior) and track[1] == pytest.approx(prior)
    assert track[2] == pytest.approx((1 + 2 * prior) / 3)
    assert track[3] == pytest.approx((2 + 2 * prior) / 4)


def test_invalid_text_rows_do_not_raise(fitted):
    out = fitted.transform([None, float("nan"), 3, ""])
    assert out.shape == (4, len(FEATURE_NAMES))


@pytest.mark.parametrize("value, expected", [
    ("2024-11-14", dt.date(2024, 11, 14)), (dt.date(2020, 1, 2), dt.date(2020, 1, 2)),
    (pd.Timestamp("2021-05-06 10:00"), dt.date(2021, 5, 6)), ("garbage", None), (None, None), (float("nan"), None),
])  # fmt: skip
def test_parse_date(value, expected):
    assert parse_date(value) == expected
