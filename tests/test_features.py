import datetime as dt

import numpy as np
import pandas as pd
import pytest

from rumourscore._features import FEATURE_NAMES, TrackRecord, row_features
from rumourscore._report import make_report
from rumourscore._text import parse_date


def feat(text: str, **kw) -> dict:
    row = row_features(make_report(text, kw.get("source"), kw.get("date")))
    return dict(zip(FEATURE_NAMES, row))


def test_stage_hedge_denial_features():
    f = feat("Chelsea have agreed a fee and the player could undergo a medical tomorrow.")
    assert f["stage_max"] == 8 and f["stage_medical"] == 1 and f["hedge_count"] == 1
    f = feat("Arsenal had a bid rejected and pulled out of the race.")
    assert f["denial_count"] == 2 and f["denial_after_stage"] == 1 and f["stage_max"] == 4
    f = feat("Napoli have not ruled out a move.")
    assert f["denial_count"] == 0 and f["denial_negated"] == 1
    f = feat("There have been no talks with Inter.")
    assert f["stage_max"] == 0 and f["stage_negated"] == 1


def test_source_features_from_column_and_text():
    named = feat("Liverpool want the midfielder.", source="Guardian")
    assert named["source_known"] == 1 and named["source_tier"] == 2 and named["source_prior"] == pytest.approx(0.387)
    in_text = feat("Liverpool want the midfielder, according to the Guardian.")
    assert in_text["source_known"] == 1 and in_text["source_named_in_text"] == 1
    anonymous = feat("Liverpool want the midfielder, sources close to the club say.")
    assert anonymous["source_known"] == 0 and anonymous["source_anonymous"] == 1
    unknown = feat("Liverpool want the midfielder.", source="My Cousin's Blog")
    assert unknown["source_known"] == 0


def test_contract_money_age_time_features():
    f = feat("The 24-year-old, whose contract runs until 2027, would earn £200,000 a week after a £50m fee.",
             date="2025-01-20")  # fmt: skip
    assert f["expiry_years_left"] == 2 and f["age"] == 24 - 26 and f["has_wage"] == 1
    assert f["fee_log_eur"] == pytest.approx(np.log10(1 + 50e6 * 1.15))
    assert f["days_to_deadline"] == pytest.approx(11 / 100) and f["in_window"] == 1
    assert feat("A loan with an obligation to buy.")["loan_obligation"] == 1


def test_stating_an_age_is_not_evidence():
    # Gossip columns always give the age; whether it is given must not move the features,
    # only the age itself (measured from 26) may.
    with_age, without = feat("Arsenal are monitoring the striker, 26."), feat("Arsenal are monitoring the striker.")
    del with_age["log_chars"], without["log_chars"]
    assert with_age == without
    assert with_age["age"] == 0
    assert feat("Arsenal are monitoring the 19-year-old.")["age"] == -7


def test_track_record_round_trips_through_arrays():
    track = TrackRecord.from_labels(
        ["Guardian", "Guardian", "Mirror", None], ["2019-01-01", "2018-01-01", "2020-05-05", "2020-01-01"], [1, 0, 1, 1]
    )
    assert TrackRecord.from_arrays(track.to_arrays()) == track
    assert track.resolved_before("Guardian", dt.date(2019, 6, 1)) == (1, 0)
    assert track.resolved_before("Guardian", None) == (2, 1) and track.resolved_before("Nobody", None) == (0, 0)


def test_invalid_text_gives_a_row_of_features():
    for bad in (None, float("nan"), 3, ""):
        assert row_features(make_report(bad)).shape == (len(FEATURE_NAMES),)


@pytest.mark.parametrize("value, expected", [
    ("2024-11-14", dt.date(2024, 11, 14)), (dt.date(2020, 1, 2), dt.date(2020, 1, 2)),
    (pd.Timestamp("2021-05-06 10:00"), dt.date(2021, 5, 6)), ("garbage", None), (None, None),
    (float("nan"), None), (pd.NaT, None), (3, None),
])  # fmt: skip
def test_parse_date(value, expected):
    assert parse_date(value) == expected
