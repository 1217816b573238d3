"""score_feed: every line scored alone and as part of its claim, as of the line's date.

The players and the transfers below are made up (fictional names at real clubs).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from pathlib import Path

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


MONITORING = "Chelsea are monitoring Everton winger Tom Reed."
CLAIM_COLUMNS = ["claim_subject", "claim_to_club", "claim_likelihood", "claim_n_reports", "claim_n_sources",
                 "claim_first_date", "claim_latest_stage", "claim_note"]  # fmt: skip


def _same_days() -> pd.DataFrame:
    """Claims with several reports on one day: stages, copies, a citation, denials, rival moves, repeats."""
    denial = "Everton have denied that any agreement with Chelsea for Tom Reed exists."
    rows = [
        (MONITORING, "Sun", "2024-06-01", "Tom Reed", "Chelsea"),
        (FEE, "Sky Sports", "2024-06-01", "Tom Reed", "Chelsea"),
        (FEE, "Metro", "2024-06-01", "Tom Reed", "Chelsea"),  # a copy of another line of the day
        (TALKS, "Mirror", "2024-06-01", "Tom Reed", "Chelsea"),
        (denial, "BBC Sport", "2024-06-01", "Tom Reed", "Chelsea"),
        ("Here we go! Tom Reed to Arsenal, medical booked.", "Fabrizio Romano", "2024-06-01", "Tom Reed", "Arsenal"),
        ("Arsenal are keen on Tom Reed.", "Star", "2024-06-03", "Tom Reed", "Arsenal"),
        (TALKS, "Times", "2024-06-03", "Tom Reed", "Chelsea"),
        ("According to the Guardian, Chelsea have agreed a fee with Everton for Tom Reed.", "Express",
         "2024-06-03", "Tom Reed", "Chelsea"),
        (FEE, "Guardian", "2024-06-03", "Tom Reed", "Chelsea"),
        (denial, "Mail", "2024-06-03", "Tom Reed", "Chelsea"),
        ("Napoli have denied any interest in Tom Reed.", "Sky Sports", "2024-06-02", "Tom Reed", "Napoli"),
        ("Napoli are not interested in Tom Reed.", "Corriere dello Sport", "2024-06-02", "Tom Reed", "Napoli"),
        ("Napoli have ruled out a move for Tom Reed.", "BBC Sport", "2024-06-02", "Tom Reed", "Napoli"),
        ("Arsenal have made an enquiry for Lille striker Jonas Weber.", "Sun", "2024-06-02", "Jonas Weber", "Arsenal"),
        ("Arsenal have opened talks with Lille over Jonas Weber.", "Times", "2024-06-02", "Weber", "Arsenal"),
        ("Arsenal have made an enquiry for Lille striker Jonas Weber.", "Mirror", "2024-06-02", None, None),
    ]  # fmt: skip
    return _feed(rows * 2).assign(n=range(2 * len(rows)))


def _claims_equal(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """The claim columns of two outputs of the same rows are the same (floats within 1e-12)."""
    np.testing.assert_allclose(got["claim_likelihood"].to_numpy(float), expected["claim_likelihood"].to_numpy(float),
                               rtol=0, atol=1e-12)  # fmt: skip
    exact = [c for c in CLAIM_COLUMNS if c != "claim_likelihood"]
    pd.testing.assert_frame_equal(got[exact].astype(object).where(got[exact].notna(), None),
                                  expected[exact].astype(object).where(expected[exact].notna(), None))  # fmt: skip


def test_the_rows_order_never_changes_a_rows_claim():
    feed = _same_days()
    expected = score_feed(feed, base_rate=BASE_RATE)
    for seed in range(4):
        shuffled = score_feed(feed.sample(frac=1, random_state=seed), base_rate=BASE_RATE)
        _claims_equal(shuffled.loc[feed.index], expected)
    two = [(MONITORING, "Sun", "2024-06-01", "Tom Reed", "Chelsea"), (FEE, "Sky Sports", "2024-06-01", "Tom Reed",
           "Chelsea")]  # fmt: skip
    ab, ba = score_feed(_feed(two), base_rate=BASE_RATE), score_feed(_feed(two[::-1]), base_rate=BASE_RATE)
    fee_stage = score_feed(_feed(two[1:]), base_rate=BASE_RATE)["claim_latest_stage"].iloc[0]  # the day's highest
    assert _claim(ab, 0) == _claim(ba, 0)
    assert ab["claim_latest_stage"].tolist() == ba["claim_latest_stage"].tolist() == [fee_stage] * 2


def test_a_days_reports_sorted_a_few_at_a_time_give_the_same_claims(monkeypatch):
    from rumourscore import _feed_walk

    feed = _same_days()
    expected = score_feed(feed, base_rate=BASE_RATE)
    monkeypatch.setattr(_feed_walk, "ORDER_BLOCK", 3)  # whole runs of a claim's day, a few rows at a time
    _claims_equal(score_feed(feed.sample(frac=1, random_state=1), base_rate=BASE_RATE).loc[feed.index], expected)


@pytest.mark.slow
def test_the_shipped_corpus_shuffled_gives_the_same_claims():
    corpus = pd.read_csv(Path(__file__).resolve().parent.parent / "data" / "reports.csv")
    expected = score_feed(corpus)
    _claims_equal(score_feed(corpus.sample(frac=1, random_state=7)).loc[corpus.index], expected)


def test_a_days_latest_stage_is_its_highest():
    rows = [(FEE, "Sky Sports", "2024-06-01"), (MONITORING, "Sun", "2024-06-01"), (MONITORING, "Sun", "2024-06-04")]
    out = score_feed(_feed([(*row, "Tom Reed", "Chelsea") for row in rows]), base_rate=BASE_RATE)
    stages = out["claim_latest_stage"].tolist()
    assert stages[0] == stages[1] > stages[2]


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


@pytest.mark.parametrize("first_day", ["2024-06-01", "2015-06-01"])
def test_a_further_denial_never_raises_a_claim_of_denials_only(first_day):
    denials = [(text, source, day, "Tom Reed", "Chelsea") for text, source, day in [
        ("Chelsea have denied any interest in Tom Reed.", "BBC", first_day),
        ("Chelsea are not interested in Tom Reed.", "Sky Sports", "2024-06-02"),
        ("Chelsea have ruled out a move for Tom Reed.", "Times", "2024-06-09")]]  # fmt: skip
    for rows in (denials, denials[::-1], [denials[1], denials[0]]):
        out = score_feed(_feed(rows), base_rate=BASE_RATE).sort_values("date", kind="stable")
        claims = out["claim_likelihood"].tolist()
        assert all(0 <= c <= 1 for c in claims)
        assert claims == sorted(claims, reverse=True)  # each further denial lowers it, never raises it
        assert claims[-1] < claims[0]
        alone = score_feed(_feed(rows[:1]), base_rate=BASE_RATE)
        assert 0 < _claim(alone, 0) < BASE_RATE  # a denial alone still gets a likelihood, a low one
    same_day = [(*row[:2], "2024-06-02", *row[3:]) for row in denials[:2]]
    both = score_feed(_feed(same_day), base_rate=BASE_RATE)
    assert _claim(both, 0) < min(_claim(score_feed(_feed([row]), base_rate=BASE_RATE), 0) for row in same_day)


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


def test_letters_without_a_decomposition_are_folded_too():
    from rumourscore._claims.vocabulary import fold

    pairs = [("Martin Ødegaard", "Martin Odegaard"), ("ŁUKASZ Fabiański", "Lukasz Fabianski"),
             ("Đorđe Petrović", "Dorde Petrovic"), ("Jonas Weißmann", "Jonas Weissmann"),
             ("Jonas Mæhle", "Jonas Maehle"), ("Jonas Kœhler", "Jonas Koehler")]  # fmt: skip
    assert [fold(a) for a, _ in pairs] == [fold(b) for _, b in pairs]
    rows = [(f"Arsenal are keen on {name}.", "Sun", f"2024-06-0{1 + k % 2}", name, "Arsenal")
            for pair in pairs for k, name in enumerate(pair)]  # fmt: skip
    assert score_feed(_feed(rows), base_rate=BASE_RATE)["claim_n_reports"].tolist() == [1, 2] * len(pairs)


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


# --------------------------------------------------------------------------- rumourscore score --feed
def _saga() -> pd.DataFrame:
    """An unsorted feed of several claims: repeats, a citation, a denial, a rival move, missing names, bad rows."""
    rows = [
        (FEE, "Guardian", "2024-06-05", "Tom Reed", "Chelsea"),
        (TALKS, "Mirror", "2024-06-01", "Tom Reed", "Chelsea"),
        ("Here we go! Tom Reed to Arsenal, medical booked and contracts being signed.", "Fabrizio Romano",
         "2024-06-08", "Tom Reed", "Arsenal"),
        ("Everton have denied that any agreement with Chelsea for Tom Reed exists.", "BBC Sport", "2024-06-06",
         "Tom Reed", "Chelsea"),
        ("According to the Guardian, Chelsea have agreed a fee with Everton for Tom Reed.", "Express", "2024-06-05",
         "Tom Reed", "Chelsea"),
        ("Arsenal have made an enquiry for Lille striker Jonas Weber.", "Sun", "2024-06-02", None, None),
        ("Arsenal have opened talks with Lille over Jonas Weber.", "Times", "2024-06-04", "Weber", "Arsenal"),
        (FEE, "Metro", "2024-06-03", "Tom Reed", "Chelsea"),
        (None, "Sun", "2024-06-01", "Tom Reed", "Chelsea"),
        (TALKS, "Mirror", "not a date", "Tom Reed", "Chelsea"),
        ("United have bid for Muller.", "Mirror", "2024-06-03", "=Muller", "Man Utd"),
    ]  # fmt: skip
    return _feed(rows * 3).assign(extra=[f"row {i}" for i in range(len(rows) * 3)])


def _check_equal(got: pd.DataFrame, expected: pd.DataFrame, atol: float = 5e-7) -> None:
    """The claim columns of a written output equal score_feed's (floats within ``atol``: written to six decimals)."""
    assert len(got) == len(expected)
    np.testing.assert_allclose(got["claim_likelihood"].to_numpy(float), expected["claim_likelihood"].to_numpy(float),
                               rtol=0, atol=atol)  # fmt: skip
    dated = ~got["error"].fillna("").str.contains("date").to_numpy()  # batch scoring blanks a line with a bad date
    np.testing.assert_allclose(got["likelihood"].to_numpy(float)[dated], expected["likelihood"].to_numpy(float)[dated],
                               atol=1e-6)  # fmt: skip
    for column in ("claim_n_reports", "claim_n_sources", "claim_latest_stage"):
        a, b = got[column].astype("Float64").to_numpy(float, na_value=-1), expected[column].astype("Float64")
        np.testing.assert_array_equal(a, b.to_numpy(float, na_value=-1))
    for column in ("claim_to_club", "claim_note"):
        assert got[column].fillna("").tolist() == expected[column].fillna("").tolist()
    first = [str(d) if d is not None else "" for d in expected["claim_first_date"]]
    assert got["claim_first_date"].fillna("").astype(str).tolist() == first


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cli_feed_equals_score_feed(tmp_path, jobs):
    from rumourscore.cli import main

    feed = _saga()
    feed.to_csv(tmp_path / "feed.csv", index=False)
    code = main(["score", str(tmp_path / "feed.csv"), "-o", str(tmp_path / "out.csv"), "--feed", "--jobs", jobs,
                 "--quiet", "--no-escape-formulas"])  # fmt: skip
    assert code == 0
    got = pd.read_csv(tmp_path / "out.csv", keep_default_na=False, na_values=[""])
    expected = score_feed(pd.read_csv(tmp_path / "feed.csv"), base_rate=BASE_RATE)
    assert list(got.columns[: len(feed.columns)]) == list(feed.columns)
    assert list(got.columns[-8:]) == list(FEED_COLUMNS[1:])
    assert got["extra"].tolist() == feed["extra"].tolist()  # input order
    _check_equal(got, expected)
    assert got["claim_subject"].fillna("").tolist() == expected["claim_subject"].fillna("").tolist()
    assert expected["claim_n_reports"].max() >= 10  # the repeats pooled across chunks and rows
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.csv", "out.csv"]  # no temporary file left
    assert main(["score", str(tmp_path / "feed.csv"), "-o", str(tmp_path / "batch.csv"), "--jobs", jobs, "--quiet",
                 "--no-escape-formulas"]) == 0  # fmt: skip
    batch = pd.read_csv(tmp_path / "batch.csv", dtype=str)
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "out.csv", dtype=str)[batch.columns], batch)  # same cells


def test_cli_feed_of_shuffled_rows_gives_each_row_the_same_claim(tmp_path):
    from rumourscore.cli import main

    feed = _same_days()
    feed.sample(frac=1, random_state=3).to_csv(tmp_path / "feed.csv", index=False)
    assert main(["score", str(tmp_path / "feed.csv"), "-o", str(tmp_path / "out.csv"), "--feed", "--jobs", "1",
                 "--quiet"]) == 0  # fmt: skip
    got = pd.read_csv(tmp_path / "out.csv", keep_default_na=False, na_values=[""],
                      dtype={"error": object, "claim_note": object}).set_index("n").sort_index()  # fmt: skip
    _check_equal(got, score_feed(feed, base_rate=BASE_RATE).set_index("n"))


def test_columns_named_like_ours_are_kept_and_warned_about_once(tmp_path, recwarn, capsys):
    from rumourscore.cli import main

    feed = _same_days().iloc[:4]
    mine = feed.assign(claim_note="mine", rumourscore_claim_note="mine too", claim_likelihood=0.5, likelihood=0.25)
    mine.to_csv(tmp_path / "feed.csv", index=False)
    assert main(["score", str(tmp_path / "feed.csv"), "-o", str(tmp_path / "out.csv"), "--feed", "--jobs", "1",
                 "--quiet"]) == 0  # fmt: skip
    # (the command line prints the library's warnings as one line each)
    messages = [line for line in capsys.readouterr().err.splitlines() if "already has column" in line]
    assert len(messages) == 1 and messages[0].startswith("rumourscore: warning: ")
    assert messages[0].endswith("written as ['rumourscore_likelihood', 'rumourscore_claim_likelihood', "
                                "'rumourscore_rumourscore_claim_note']")  # fmt: skip
    header = (tmp_path / "out.csv").read_text().splitlines()[0].split(",")
    assert len(header) == len(set(header))
    got = pd.read_csv(tmp_path / "out.csv")
    assert got["claim_note"].tolist() == ["mine"] * 4 and got["claim_likelihood"].tolist() == [0.5] * 4
    assert got["rumourscore_claim_note"].tolist() == ["mine too"] * 4
    assert got["rumourscore_rumourscore_claim_note"].isna().all()
    assert got["rumourscore_claim_likelihood"].between(0, 1).all()
    recwarn.clear()
    score_feed(feed.assign(error="mine", note="mine", best_source="mine"))  # score_feed writes none of them
    assert not [w for w in recwarn if "already has column" in str(w.message)]
    with pytest.warns(UserWarning, match=r"already has column\(s\) \['likelihood', 'claim_note'\]: .* written as "
                                         r"\['rumourscore_likelihood', 'rumourscore_claim_note'\]$"):  # fmt: skip
        out = score_feed(feed.assign(claim_note="mine", likelihood=0.25, error="mine"))
    assert out["claim_note"].tolist() == ["mine"] * 4 and "rumourscore_error" not in out.columns
    with pytest.warns(UserWarning, match=r"\['error'\]: .* written as \['rumourscore_error'\]$"):
        assert "rumourscore_error" in score_feed(feed.assign(error="mine"), summary=True).columns


def test_cli_feed_spills_masked_texts_and_equals_score_feed_past_the_dedup_window(tmp_path, monkeypatch):
    from rumourscore import _text_store
    from rumourscore._feed_stream import score_feed_file

    stored = []
    original_store = _text_store.TextStore._store

    def spy(self, text):
        stored.append(self._spill is not None)
        return original_store(self, text)

    monkeypatch.setattr(_text_store, "DEDUP_WINDOW", 2)  # repeats get new slots: copies are found by key
    monkeypatch.setattr(_text_store.TextStore, "_store", spy)
    feed = _saga()
    feed.to_csv(tmp_path / "feed.csv", index=False)
    score_feed_file(str(tmp_path / "feed.csv"), str(tmp_path / "out.csv"), jobs=1, quiet=True, chunk_rows=5,
                    escape_formulas=False)  # fmt: skip
    assert stored and all(stored)  # every masked text went to the spill file
    got = pd.read_csv(tmp_path / "out.csv", keep_default_na=False, na_values=[""])
    monkeypatch.setattr(_text_store, "DEDUP_WINDOW", 1 << 16)
    _check_equal(got, score_feed(pd.read_csv(tmp_path / "feed.csv"), base_rate=BASE_RATE))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.csv", "out.csv"]


def test_cli_feed_to_stdout_as_tsv_lines(tmp_path, capsysbinary):
    from rumourscore.cli import main

    _saga().iloc[:11].to_csv(tmp_path / "feed.csv", index=False)
    assert main(["score", str(tmp_path / "feed.csv"), "-o", "-", "--feed", "--jobs", "1", "--quiet"]) == 0
    out = capsysbinary.readouterr().out.decode()
    got = pd.read_csv(io.StringIO(out))
    assert len(got) == 11 and got.columns[-1] == "claim_note"
    expected = score_feed(pd.read_csv(tmp_path / "feed.csv"), base_rate=BASE_RATE)
    np.testing.assert_allclose(got["claim_likelihood"], expected["claim_likelihood"], rtol=0, atol=5e-7)
    assert main(["score", str(tmp_path / "feed.csv"), "-o", str(tmp_path / "out.tsv"), "--feed", "--quiet"]) == 0
    tsv = pd.read_csv(tmp_path / "out.tsv", sep="\t")
    np.testing.assert_allclose(tsv["claim_likelihood"], expected["claim_likelihood"], rtol=0, atol=5e-7)


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_feed_file_in_small_chunks_and_other_formats(tmp_path, suffix):
    pytest.importorskip("pyarrow")
    from rumourscore._feed_stream import score_feed_file

    feed = _saga().rename(columns={"subject": "player", "to_club": "club"})
    feed.to_csv(tmp_path / "feed.csv", index=False)
    out = tmp_path / f"out{suffix}"
    summary = score_feed_file(str(tmp_path / "feed.csv"), str(out), subject_col="player", to_club_col="club",
                              chunk_rows=4, jobs=1, quiet=True, base_rate=None)  # fmt: skip
    assert summary.rows == len(feed) and summary.failures == 6  # three rows without text, three with a bad date
    if suffix == ".parquet":
        got = pd.read_parquet(out)
    else:
        got = pd.DataFrame([json.loads(line) for line in out.read_text().splitlines()])
    expected = score_feed(pd.read_csv(tmp_path / "feed.csv"), subject_col="player", to_club_col="club", base_rate=None)
    _check_equal(got, expected)


def test_cli_feed_escapes_formulas_keeps_blank_lines_out_and_cleans_up_on_error(tmp_path):
    from rumourscore.cli import main

    lines = _saga().iloc[:11].to_csv(index=False).splitlines()
    (tmp_path / "feed.csv").write_text("\n".join([*lines[:3], "", *lines[3:]]) + "\n")
    assert main(["score", str(tmp_path / "feed.csv"), "-o", str(tmp_path / "out.csv"), "--feed", "--quiet",
                 "--jobs", "1", "--id-col", "extra"]) == 0  # fmt: skip
    got = pd.read_csv(tmp_path / "out.csv")
    assert got.columns[0] == "extra" and len(got) == 11
    assert got["claim_subject"].iloc[10] == "'=Muller"  # escaped like every other cell
    assert main(["score", str(tmp_path / "feed.csv"), "-o", str(tmp_path / "strict.csv"), "--feed", "--quiet",
                 "--jobs", "1", "--strict"]) == 2  # a row without text  # fmt: skip
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.csv", "out.csv"]


def test_feed_arrays_keep_each_name_and_text_once():
    from rumourscore._feed_rows import FeedBuilder, row_states
    from rumourscore._report import make_report

    feed = _saga()
    texts, sources_, dates = feed["text"].tolist(), feed["source"].tolist(), feed["date"].tolist()
    reports = {i: make_report(t, s, d) for i, (t, s, d) in enumerate(zip(texts, sources_, dates)) if t}
    builder = FeedBuilder()
    for block in (slice(0, 10), slice(10, len(feed))):
        rows = range(len(feed))[block]
        own = {i - rows.start: reports[i] for i in rows if i in reports}
        states = row_states(texts[block], sources_[block], dates[block], feed["subject"].tolist()[block],
                            feed["to_club"].tolist()[block], own)  # fmt: skip
        builder.add(np.full(len(rows), 0.5), states)
    arrays = builder.arrays()
    assert arrays.n == len(feed)
    assert len(arrays.texts) <= 11 and len(arrays.subjects) <= 5 and len(arrays.sources) <= 11
    assert {a.dtype.kind for a in (arrays.day, arrays.subject, arrays.source, arrays.masked)} == {"i"}


def test_feed_name_ids_are_kept_across_blocks_and_missing_values_have_none():
    from rumourscore._feed_rows import _Names

    names = _Names()
    assert names.ids(["Kane", None, float("nan"), "Rice", "Kane", 3]).tolist() == [0, -1, -1, 1, 0, -1]
    assert names.ids(["Rice", "Saka", pd.NA]).tolist() == [1, 2, -1] and names.names == ["Kane", "Rice", "Saka"]
    assert names.ids([]).tolist() == []


def test_row_states_of_repeated_lines_equal_those_worked_out_row_by_row():
    """Repeated lines are worked out once: every row's values equal its own, alone (day included)."""
    from rumourscore._feed_rows import row_states
    from rumourscore._report import make_report

    feed = _saga()  # every line three times; missing names, a bad date, a row without text
    feed.loc[5, "date"] = "2024-07-01"  # a repeat of a line that needs its claim extracted, on another day
    cols = [feed[c].tolist() for c in ("text", "source", "date", "subject", "to_club")]
    reports = {i: make_report(t, s, d) for i, (t, s, d) in enumerate(zip(*cols[:3])) if t}
    block = row_states(*cols, reports).columns
    for i in range(len(feed)):
        alone = row_states(*([c[i]] for c in cols), {0: reports[i]} if i in reports else {}).columns
        assert {name: values[i] for name, values in block.items()} == {name: v[0] for name, v in alone.items()}


def test_row_states_taken_from_a_workers_cache_equal_those_worked_out_afresh(monkeypatch):
    """A worker's cache of line values across blocks changes no row's values, and saves the work."""
    from rumourscore import _feed_rows
    from rumourscore._report import make_report
    from rumourscore._rows import DedupCache

    feed = _saga()
    feed.loc[5, "date"] = "2024-07-01"
    cols = [feed[c].tolist() for c in ("text", "source", "date", "subject", "to_club")]
    cols[1][3] = ["not", "plain"]  # a cell that is no plain value: its row is keyed by itself, never cached
    reports = {i: make_report(t, s if isinstance(s, str) else None, d)
               for i, (t, s, d) in enumerate(zip(*cols[:3])) if t}  # fmt: skip
    worked: list[int] = []
    real = _feed_rows._line_states
    monkeypatch.setattr(_feed_rows, "_line_states", lambda *a: worked.append(len(a[0])) or real(*a))
    cache = DedupCache(size=1000)
    half = len(feed) // 2
    blocks = [range(half), range(half, len(feed)), range(len(feed))]
    for rows in blocks:
        part = [[c[i] for i in rows] for c in cols]
        cached = _feed_rows.row_states(*part, {k: reports[i] for k, i in enumerate(rows) if i in reports}, cache=cache)
        afresh = _feed_rows.row_states(*part, {k: reports[i] for k, i in enumerate(rows) if i in reports})
        assert cached.columns == afresh.columns
    with_cache = worked[0::2]
    assert with_cache[2] == 1  # the last block: every line known but the row keyed by itself
    assert with_cache[1] < worked[3]  # the second block found the first block's lines
    assert all(len(key) > 1 for key in cache)


def test_feed_spool_is_locked_against_the_clean_up_of_stale_parts(tmp_path, monkeypatch):
    from rumourscore import _tables
    from rumourscore._feed_stream import score_feed_file

    monkeypatch.setattr(_tables, "STALE_PART_SECONDS", -1)  # every unlocked part file counts as stale
    removed, original = [], _tables.remove_stale_parts
    monkeypatch.setattr(_tables, "remove_stale_parts", lambda path: removed.extend(original(path)) or removed)
    _saga().iloc[:11].to_csv(tmp_path / "feed.csv", index=False)
    for suffix in (".csv", ".jsonl"):
        summary = score_feed_file(str(tmp_path / "feed.csv"), str(tmp_path / f"out{suffix}"), jobs=1, quiet=True)
        assert summary.rows == 11
    assert removed == []  # the spools were in use when the outputs were opened: not removed
    assert len(pd.read_csv(tmp_path / "out.csv")) == 11
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.csv", "out.csv", "out.jsonl"]


def test_rival_query_is_the_brute_force_window_maximum():
    """The sparse-table range maximum over a subject's other reports equals a plain scan of the window."""
    from rumourscore._feed_rivals import Rivals
    from rumourscore._pool import RIVAL_DONE_STAGE

    rng = np.random.default_rng(3)
    for size in (0, 1, 2, 7, 64, 300):
        day = np.sort(rng.integers(0, 40, size))
        likelihood, stage = rng.random(size), rng.integers(0, 11, size).astype(float)
        rivals = Rivals(day, likelihood, stage)
        upto = rng.integers(-1, 42, 50)
        after = upto - rng.integers(0, 20, 50)
        strongest, done = rivals.query(after, upto)
        for q in range(50):
            window = (day > after[q]) & (day <= upto[q])
            assert strongest[q] == (likelihood[window].max() if window.any() else -1.0)
            assert done[q] == bool((stage[window] >= RIVAL_DONE_STAGE).any())


def test_a_feed_worker_scores_a_line_once_for_all_its_claims(monkeypatch):
    import rumourscore._feed_stream as stream

    line = "Bayern have agreed a fee with Spurs for Harry Kane and Eric Dier, per Sky Sports."
    items = [(line, "Sun", "2024-06-01", "Harry Kane", "Bayern Munich"),
             (line, "Sun", "2024-06-01", "Eric Dier", "Bayern Munich"),
             ("Arsenal are keen on Declan Rice.", None, "2024-06-01", None, None),
             (line, "Sun", "2024-06-02", "Harry Kane", "Bayern Munich"),
             ("", None, "2024-06-01", "Harry Kane", "Bayern Munich")]  # fmt: skip
    settings = {"base_rate": None, "monthfirst": False, "explain": True}
    model = rumourscore.load_model()
    alone = pd.concat([stream._score_feed_unique([item], model, settings) for item in items], ignore_index=True)
    scored: list[int] = []
    real = stream.score_columns
    monkeypatch.setattr(stream, "score_columns",
                        lambda texts, *a, **k: scored.append(len(texts)) or real(texts, *a, **k))  # fmt: skip
    together = stream._score_feed_unique(items, model, settings)
    assert scored == [4]  # the two claims of the first line share its score
    pd.testing.assert_frame_equal(together, alone)
    assert together["feed_subject"].tolist()[:2] == ["Harry Kane", "Eric Dier"]


def test_a_stage_in_a_clause_set_before_the_report_is_no_stage_of_its_line():
    """A line naming an earlier move ("who signed for Liverpool in 2021") reaches no deal step in a feed
    dated after that year, but does on a day of that year or before (its repeats are keyed apart)."""
    from rumourscore._feed_rows import row_states
    from rumourscore._report import make_report

    text = "Manchester United are interested in Tom Reed, who signed for Liverpool in 2021."
    dates = ["2024-01-10", "2021-01-10", "2024-03-01"]
    cols = [[text] * 3, ["Sky Sports"] * 3, dates, ["Tom Reed"] * 3, ["Manchester United"] * 3]
    reports = {i: make_report(text, "Sky Sports", d) for i, d in enumerate(dates)}
    stages = row_states(*cols, reports).columns["feed_stage"]
    assert list(stages) == [1.0, 10.0, 1.0]  # interest only; in 2021 the year is not before the report's


def test_a_move_two_years_after_the_report_is_no_stage_of_its_line():
    """A line of a move two or more years ahead ("set to join Real Madrid in 2026") reaches no deal step
    in a feed dated two years before it, but does a year before it (its repeats are keyed apart)."""
    from rumourscore._feed_rows import row_states
    from rumourscore._report import make_report

    text = "Tom Reed is set to join Real Madrid in 2026."
    dates = ["2024-01-10", "2025-06-01", "2024-03-01"]
    cols = [[text] * 3, ["Sky Sports"] * 3, dates, ["Tom Reed"] * 3, ["Real Madrid"] * 3]
    reports = {i: make_report(text, "Sky Sports", d) for i, d in enumerate(dates)}
    stages = row_states(*cols, reports).columns["feed_stage"]
    assert list(stages) == [0.0, 5.0, 0.0]
