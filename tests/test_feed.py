"""score_feed: every line scored alone and as part of its claim, as of the line's date.

The players and the transfers below are made up (fictional names at real clubs).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

import rumourscore
from rumourscore import score_feed, score_frame
from rumourscore._feed import FEED_COLUMNS, FEED_RULE

BASE_RATE = 0.30
TALKS = "Chelsea have opened talks with Everton over winger Tom Reed, 24."
FEE = "Chelsea have agreed a fee with Everton for winger Tom Reed, 24."


def _feed(rows: list[tuple], columns=("text", "source", "date", "subject", "to_club"), index=None) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns), index=index)


def _claim(out: pd.DataFrame, row) -> float:
    return float(out.loc[row, "claim_likelihood"])


# --------------------------------------------------------------------------- shape
def test_rows_index_order_and_columns_kept_with_an_unsorted_feed():
    feed = _feed([
        (FEE, "Guardian", "2024-06-20", "Tom Reed", "Chelsea"),
        (TALKS, "Mirror", "2024-06-01", "Tom Reed", "Chelsea"),
        ("Arsenal are monitoring Lille striker Jonas Weber.", "Sun", "2024-06-10", "Jonas Weber", "Arsenal"),
    ], index=[30, 10, 20]).assign(extra=["a", "b", "c"])  # fmt: skip
    out = score_feed(feed, base_rate=BASE_RATE)
    assert list(out.index) == [30, 10, 20]
    assert list(out.columns) == [*feed.columns, *FEED_COLUMNS]
    pd.testing.assert_frame_equal(out[feed.columns], feed)
    expected = score_frame(feed, base_rate=BASE_RATE)["likelihood"]
    np.testing.assert_allclose(out["likelihood"].to_numpy(), expected.to_numpy())
    assert out["claim_n_reports"].tolist() == [2, 1, 1]
    assert out.loc[30, "claim_first_date"] == dt.date(2024, 6, 1)
    assert out.loc[30, "claim_latest_stage"] >= 6 > out.loc[10, "claim_latest_stage"]
    assert out["claim_note"].isna().all()


def test_public_export():
    assert "score_feed" in rumourscore.__all__
    assert rumourscore.score_feed is score_feed


# --------------------------------------------------------------------------- as-of semantics
def test_a_later_report_never_changes_an_earlier_row():
    early = _feed([
        (TALKS, "Mirror", "2024-06-01", "Tom Reed", "Chelsea"),
        (FEE, "Guardian", "2024-06-05", "Tom Reed", "Chelsea"),
    ])  # fmt: skip
    later = [
        ("Everton insist Tom Reed is not for sale and deny any agreement with Chelsea.", "BBC Sport", "2024-06-09"),
        ("Here we go! Tom Reed to Arsenal, medical booked. Contracts being signed.", "Fabrizio Romano", "2024-06-09"),
        ("Tom Reed has completed his move to Chelsea.", "Sky Sports", "2024-07-01"),
    ]
    before = score_feed(early, base_rate=BASE_RATE)
    for text, source, date in later:
        to_club = "Arsenal" if "Arsenal" in text else "Chelsea"
        grown = pd.concat([early, _feed([(text, source, date, "Tom Reed", to_club)])], ignore_index=True)
        after = score_feed(grown.iloc[::-1], base_rate=BASE_RATE)  # input order must not matter
        for row in (0, 1):
            assert _claim(after, row) == pytest.approx(_claim(before, row))
            assert after.loc[row, "claim_n_reports"] == before.loc[row, "claim_n_reports"]


def test_same_day_reports_are_included():
    feed = _feed([
        (FEE, "Guardian", "2024-06-05", "Tom Reed", "Chelsea"),
        (TALKS, "Mirror", "2024-06-05", "Tom Reed", "Chelsea"),
    ])  # fmt: skip
    out = score_feed(feed, base_rate=BASE_RATE)
    assert out["claim_n_reports"].tolist() == [2, 2]
    assert out["claim_n_sources"].tolist() == [2, 2]
    assert _claim(out, 0) == _claim(out, 1)


# --------------------------------------------------------------------------- pooling
def test_independent_sources_count_repeats_and_citations_do_not():
    first = (FEE, "Guardian", "2024-06-01", "Tom Reed", "Chelsea")
    alone = score_feed(_feed([first]), base_rate=BASE_RATE)
    repeats = score_feed(_feed([
        first,
        ("Chelsea and Everton have agreed a fee for Tom Reed, the winger, 24.", "Guardian", "2024-06-02",
         "Tom Reed", "Chelsea"),  # the same outlet again
        (FEE, "Metro", "2024-06-03", "Tom Reed", "Chelsea"),  # a copy of the Guardian's line
        ("According to the Guardian, Chelsea have agreed a fee with Everton for Tom Reed.", "Express",
         "2024-06-04", "Tom Reed", "Chelsea"),  # cites the Guardian
    ]), base_rate=BASE_RATE)  # fmt: skip
    assert repeats["claim_n_reports"].tolist() == [1, 2, 3, 4]
    assert repeats["claim_n_sources"].tolist() == [1, 1, 1, 1]
    assert _claim(repeats, 3) <= _claim(alone, 0) + 1e-9
    independent = score_feed(_feed([
        first,
        ("Chelsea are closing in on Tom Reed after agreeing a fee with Everton.", "Times", "2024-06-01",
         "Tom Reed", "Chelsea"),
    ]), base_rate=BASE_RATE)  # fmt: skip
    assert independent["claim_n_sources"].tolist() == [2, 2]
    assert _claim(independent, 0) > max(_claim(alone, 0), _claim(repeats, 3))


def test_a_later_denial_lowers_the_claim():
    rows = [(FEE, "Guardian", "2024-06-01", "Tom Reed", "Chelsea"),
            (FEE, "Guardian", "2024-06-03", "Tom Reed", "Chelsea")]  # fmt: skip
    denial = ("Everton have denied that any agreement with Chelsea for Tom Reed exists.", "BBC Sport", "2024-06-03",
              "Tom Reed", "Chelsea")  # fmt: skip
    plain = score_feed(_feed(rows), base_rate=BASE_RATE)
    denied = score_feed(_feed([*rows, denial]), base_rate=BASE_RATE)
    assert _claim(denied, 1) < _claim(plain, 1)
    assert _claim(denied, 0) == pytest.approx(_claim(plain, 0))


def test_a_later_move_elsewhere_lowers_the_claim():
    rows = [(TALKS, "Guardian", "2024-06-01", "Tom Reed", "Chelsea"),
            (TALKS, "Guardian", "2024-06-10", "Tom Reed", "Chelsea")]  # fmt: skip
    rival = ("Here we go! Tom Reed to Arsenal, medical booked and contracts being signed.", "Fabrizio Romano",
             "2024-06-08", "Tom Reed", "Arsenal")  # fmt: skip
    plain = score_feed(_feed(rows), base_rate=BASE_RATE)
    rivalled = score_feed(_feed([*rows, rival]), base_rate=BASE_RATE)
    assert _claim(rivalled, 1) < _claim(plain, 1)
    assert _claim(rivalled, 0) == pytest.approx(_claim(plain, 0))
    assert rivalled.loc[2, "claim_to_club"] == "Arsenal"


def test_escalation_raises_the_claim():
    steps = [("Chelsea are monitoring Everton winger Tom Reed, 24.", "2024-06-01"),
             (TALKS, "2024-06-04"), (FEE, "2024-06-08")]  # fmt: skip
    saga = score_feed(_feed([(t, "Guardian", d, "Tom Reed", "Chelsea") for t, d in steps]), base_rate=BASE_RATE)
    fee_alone = score_feed(_feed([(FEE, "Guardian", "2024-06-08", "Tom Reed", "Chelsea")]), base_rate=BASE_RATE)
    assert _claim(saga, 0) < _claim(saga, 1) < _claim(saga, 2)
    assert _claim(saga, 2) > _claim(fee_alone, 0)
    assert FEED_RULE.escalation > 0


def test_an_old_claim_fades():
    first = (FEE, "Guardian", "2024-01-10", "Tom Reed", "Chelsea")
    weak = "Chelsea could return for Everton winger Tom Reed, reports say."
    soon = score_feed(_feed([first, (weak, "Sun", "2024-01-12", "Tom Reed", "Chelsea")]), base_rate=BASE_RATE)
    late = score_feed(_feed([first, (weak, "Sun", "2024-12-12", "Tom Reed", "Chelsea")]), base_rate=BASE_RATE)
    assert _claim(late, 1) < _claim(soon, 1)


# --------------------------------------------------------------------------- names and claims
def test_canonical_names_group():
    out = score_feed(_feed([
        ("Man Utd are keen on Jonas Müller of Freiburg.", "Sun", "2024-06-01", "Jonas Müller", "Man Utd"),
        ("Manchester United have opened talks for Jonas Muller.", "Guardian", "2024-06-02", "jonas muller",
         "Manchester United"),
        ("United have bid for Muller.", "Mirror", "2024-06-03", "Muller", "Manchester United"),
    ]), base_rate=BASE_RATE)  # fmt: skip
    assert out["claim_n_reports"].tolist() == [1, 2, 3]
    assert out["claim_to_club"].tolist() == ["Manchester United"] * 3


def test_missing_subject_and_club_come_from_the_extractor():
    texts = [("Chelsea have opened talks with Everton over winger Tom Reed.", "Mirror", "2024-06-01"),
             ("Chelsea have agreed a fee with Everton for Tom Reed.", "Guardian", "2024-06-03")]  # fmt: skip
    only_text = score_feed(pd.DataFrame(texts, columns=["text", "source", "date"]), base_rate=BASE_RATE)
    assert only_text["claim_subject"].tolist() == ["Tom Reed", "Tom Reed"]
    assert only_text["claim_to_club"].tolist() == ["Chelsea", "Chelsea"]
    assert only_text["claim_n_reports"].tolist() == [1, 2]
    blanks = pd.DataFrame(texts, columns=["text", "source", "date"]).assign(subject=["", None], to_club=[None, " "])
    assert score_feed(blanks, base_rate=BASE_RATE)["claim_n_reports"].tolist() == [1, 2]


def test_year_only_dates_count_as_the_first_day():
    out = score_feed(_feed([(TALKS, "Mirror", "2024", "Tom Reed", "Chelsea"),
                            (FEE, "Guardian", "2024-01-01", "Tom Reed", "Chelsea")]), base_rate=BASE_RATE)  # fmt: skip
    assert out["claim_n_reports"].tolist() == [2, 2]
    assert out.loc[0, "claim_first_date"] == dt.date(2024, 1, 1)


# --------------------------------------------------------------------------- bad input
def test_bad_rows_keep_the_line_and_say_why():
    feed = _feed([
        (float("nan"), "Sun", "2024-06-01", "Tom Reed", "Chelsea"),
        (TALKS, "Mirror", None, "Tom Reed", "Chelsea"),
        (TALKS, "Mirror", "next week", "Tom Reed", "Chelsea"),
        ("What a lovely day for football.", None, "2024-06-01", None, None),
        (12345, "Sun", "2024-06-01", None, None),
        (TALKS, "Mirror", "2024-06-01", "Tom Reed", "Chelsea"),
    ])  # fmt: skip
    out = score_feed(feed, base_rate=BASE_RATE)
    assert out["claim_note"].iloc[:5].notna().all()
    assert out["claim_note"].iloc[5] is None
    assert math.isnan(out["likelihood"].iloc[0]) and math.isnan(out["claim_likelihood"].iloc[0])
    for row in (1, 2, 3):
        assert out["claim_likelihood"].iloc[row] == out["likelihood"].iloc[row]
        assert pd.isna(out["claim_n_reports"].iloc[row])
    assert "date" in out["claim_note"].iloc[1] and "claim" in out["claim_note"].iloc[3]
    assert out["claim_n_reports"].iloc[5] == 1


def test_never_raises_on_odd_frames():
    assert len(score_feed(pd.DataFrame({"text": []}))) == 0
    out = score_feed(pd.DataFrame({"text": [None, "", "Arsenal want Reed"]}))
    assert list(out.columns) == ["text", *FEED_COLUMNS]
    with pytest.raises(ValueError, match="text column"):
        score_feed(pd.DataFrame({"body": ["x"]}))
    with pytest.raises(TypeError):
        score_feed(["not a frame"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="base_rate"):
        score_feed(pd.DataFrame({"text": ["x"]}), base_rate=1.5)


def test_claims_spanning_two_centuries_do_not_overflow():
    out = score_feed(_feed([(FEE, "Guardian", "1901-06-01", "Tom Reed", "Chelsea"),
                            (TALKS, "Mirror", "2099-06-01", "Tom Reed", "Chelsea"),
                            (FEE, "Guardian", "2099-06-02", "Tom Reed", "Chelsea")]), base_rate=BASE_RATE)  # fmt: skip
    assert out["claim_n_reports"].tolist() == [1, 2, 3]
    assert out["claim_likelihood"].between(0, 1).all()
    far = score_feed(_feed([(FEE, "Guardian", "1901-06-01", "Tom Reed", "Chelsea"),
                            (TALKS, "Mirror", "2099-06-01", "Tom Reed", "Chelsea")]), base_rate=BASE_RATE)  # fmt: skip
    talks = score_feed(_feed([(TALKS, "Mirror", "2099-06-01", "Tom Reed", "Chelsea")]), base_rate=BASE_RATE)
    # the 1901 fee agreement has faded to the base rate: it no longer lifts the claim above it
    assert _claim(talks, 0) <= _claim(far, 1) < BASE_RATE


def test_junk_in_every_column_never_raises():
    feed = pd.DataFrame({
        "text": [TALKS, FEE, b"bytes", TALKS, "   ", FEE],
        "source": [None, 3.5, "Guardian", float("nan"), "Sun", ["a list"]],
        "date": [pd.Timestamp("2024-06-01"), dt.date(2024, 6, 2), pd.NaT, 20240601, "2024-13-45", "June 2024"],
        "subject": [42, "Tom Reed", None, "  ", float("nan"), "Tom Reed"],
        "to_club": ["Chelsea", None, "Chelsea", 7, "Chelsea", "chelsea fc"],
    })  # fmt: skip
    out = score_feed(feed)
    assert len(out) == len(feed)
    assert out["claim_likelihood"].isna().tolist() == out["likelihood"].isna().tolist()
    assert out["claim_note"].iloc[[2, 3, 4]].notna().all()


def test_a_surname_joins_only_the_full_names_known_by_its_day():
    rows = [("Manchester United want Jonas Muller.", "Sun", "2024-06-01", "Jonas Muller", "Manchester United"),
            ("United have bid for Muller.", "Mirror", "2024-06-02", "Muller", "Manchester United")]  # fmt: skip
    other = ("United also like Thomas Muller.", "Star", "2024-06-09", "Thomas Muller", "Manchester United")
    before = score_feed(_feed(rows), base_rate=BASE_RATE)
    after = score_feed(_feed([*rows, other]), base_rate=BASE_RATE)
    assert before["claim_n_reports"].tolist() == [1, 2]
    assert after["claim_n_reports"].tolist() == [1, 2, 1]
    assert _claim(after, 1) == pytest.approx(_claim(before, 1))
    late_full_name = score_feed(_feed([rows[1], (*rows[0][:2], "2024-06-05", *rows[0][3:])]), base_rate=BASE_RATE)
    assert late_full_name["claim_n_reports"].tolist() == [1, 1]  # the full name was not known on the surname's day
