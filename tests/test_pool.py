"""Pooling (``rumourscore._pool``): canonical clubs, aggregation of many reports, and its evaluation."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from rumourscore._evaluate import chronological_split, evaluate_aggregate
from rumourscore._pool import AGGREGATE_COLUMNS, aggregate, canonical_club

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("alias", "name"),
    [("Los Blancos", "Real Madrid"), ("the Bernabeu", "Real Madrid"), ("the Gunners", "Arsenal"),
     ("Spurs", "Tottenham Hotspur"), ("PSG", "Paris Saint-Germain"), ("Barca", "Barcelona"),
     ("the Bavarians", "Bayern Munich"), ("Man Utd", "Manchester United"), ("nobody fc", None), (None, None)],
)  # fmt: skip
def test_canonical_club(alias, name):
    assert canonical_club(alias) == name


# --------------------------------------------------------------------------- aggregation
def _feed(rows):
    return pd.DataFrame(rows, columns=["subject", "to_club", "date", "source", "text", "likelihood", "max_stage",
                                       "denials", "best_source", "source_tier"])  # fmt: skip


BASE = ("Tom Reed", "Chelsea", "2024-06-01", "Daily Star", "Chelsea are keeping tabs on Everton winger Tom Reed, 24.",
        0.40, 1.0, 0.0, "Daily Star", 5.0)  # fmt: skip


def _row(**changes):
    keys = ["subject", "to_club", "date", "source", "text", "likelihood", "max_stage", "denials", "best_source",
            "source_tier"]  # fmt: skip
    row = dict(zip(keys, BASE))
    row.update(changes)
    return [row[k] for k in keys]


def _likelihood(frame, subject="Tom Reed", to_club="Chelsea"):
    out = aggregate(frame)
    return out[(out["subject"] == subject) & (out["to_club"] == to_club)].iloc[0]


def test_aggregate_single_report_keeps_its_score():
    row = _likelihood(_feed([_row()]))
    assert row["likelihood"] == pytest.approx(0.40)
    assert (row["n_reports"], row["n_sources"], bool(row["denied"])) == (1, 1, False)
    assert list(aggregate(_feed([_row()])).columns) == list(AGGREGATE_COLUMNS)


def test_aggregate_repeats_count_once():
    one = _likelihood(_feed([_row()]))["likelihood"]
    copies = _feed([
        _row(),
        _row(source="Metro", best_source="Metro", source_tier=4.0, date="2024-06-02",
             text="Chelsea are keeping close tabs on Everton winger Tom Reed, 24."),  # near-duplicate
        _row(source="Express", best_source="Express", date="2024-06-03",
             text="According to the Daily Star, Chelsea have been watching Tom Reed."),  # cites the Star
        _row(date="2024-06-04"),  # exact repeat
    ])  # fmt: skip
    row = _likelihood(copies)
    assert row["n_reports"] == 4
    assert row["n_sources"] == 1
    assert row["likelihood"] == pytest.approx(one)


def test_aggregate_independent_sources_raise_more_than_repeats():
    # the Daily Star's 0.40 report, plus a second report at 0.38 from the Star itself, the Sun or the Guardian
    same_outlet = _feed([_row(), _row(date="2024-06-05", likelihood=0.38,
                                      text="Chelsea have sent scouts to watch Tom Reed again.")])  # fmt: skip
    tabloid = _feed([_row(), _row(source="Sun", best_source="The Sun", source_tier=5.0, date="2024-06-05",
                                  likelihood=0.38, text="Tom Reed is wanted by Chelsea, the Sun say.")])  # fmt: skip
    broadsheet = _feed([_row(), _row(source="Guardian", best_source="Guardian", source_tier=2.0, date="2024-06-05",
                                     likelihood=0.38, text="Chelsea have opened talks over Tom Reed.")])  # fmt: skip
    l_same = _likelihood(same_outlet)["likelihood"]
    l_tabloid = _likelihood(tabloid)["likelihood"]
    l_broadsheet = _likelihood(broadsheet)["likelihood"]
    assert l_same == pytest.approx(0.40)
    assert l_same < l_tabloid < l_broadsheet
    assert _likelihood(broadsheet)["n_sources"] == 2
    many = _feed([_row(source=f"Outlet {i}", best_source=f"Outlet {i}", source_tier=1.0, likelihood=0.9,
                       text=f"Report {i}: Chelsea close in on Tom Reed, stage {i}.") for i in range(12)])  # fmt: skip
    assert _likelihood(many)["likelihood"] <= 1 / (1 + math.exp(-(math.log(9) + 1.5))) + 1e-9  # the cap


def test_aggregate_later_denial_lowers():
    support = _row(likelihood=0.6, max_stage=4.0)
    base = _likelihood(_feed([support]))["likelihood"]
    denial = _row(source="Guardian", best_source="Guardian", source_tier=2.0, date="2024-07-01", likelihood=0.2,
                  max_stage=0.0, denials=1.0, text="Chelsea have denied any interest in Tom Reed.")  # fmt: skip
    after = _likelihood(_feed([support, denial]))
    assert after["likelihood"] < base
    assert bool(after["denied"]) is True
    earlier = _row(**{**dict(zip(["date"], ["2024-05-01"]))}, source="Guardian", best_source="Guardian",
                   likelihood=0.2, max_stage=0.0, denials=1.0, text="Chelsea deny interest in Tom Reed.")  # fmt: skip
    before = _likelihood(_feed([earlier, support]))
    assert before["likelihood"] == pytest.approx(base)
    assert bool(before["denied"]) is False


def test_aggregate_a_further_denial_never_raises_a_claim_of_denials_only():
    denials = [_row(text="Chelsea have denied any interest in Tom Reed.", source="BBC", best_source="BBC",
                    date="2024-06-01", likelihood=0.10, denials=1.0, max_stage=0.0),
               _row(text="Chelsea are not interested in Tom Reed.", source="Sky Sports", best_source="Sky Sports",
                    date="2024-06-02", likelihood=0.15, denials=1.0, max_stage=0.0)]  # fmt: skip
    alone = aggregate(_feed(denials[:1]))["likelihood"].iloc[0]
    both = aggregate(_feed(denials))["likelihood"].iloc[0]
    assert 0 < both < alone <= 0.10 + 1e-12
    assert aggregate(_feed(denials[::-1]))["likelihood"].iloc[0] == pytest.approx(both)


def test_aggregate_later_move_elsewhere_lowers():
    base = _likelihood(_feed([_row()]))["likelihood"]
    rival = _row(to_club="Arsenal", date="2024-08-01", likelihood=0.95, max_stage=9.0, source="Fabrizio Romano",
                 best_source="Fabrizio Romano", source_tier=1.0, text="Here we go! Tom Reed to Arsenal.")  # fmt: skip
    out = aggregate(_feed([_row(), rival]))
    chelsea = out[out["to_club"] == "Chelsea"].iloc[0]
    assert chelsea["likelihood"] < base
    assert out.iloc[0]["to_club"] == "Arsenal"


def test_aggregate_derives_missing_columns():
    frame = pd.DataFrame({
        "text": ["Chelsea are keeping tabs on Everton winger Tom Reed, 24. (Daily Star)",
                 "Tom Reed is wanted by Chelsea, according to the Guardian.",
                 "Arsenal have made an enquiry for Lille striker Jonathan David."],
        "likelihood": [0.4, 0.5, 0.3],
    })  # fmt: skip
    out = aggregate(frame)
    assert set(zip(out["subject"], out["to_club"])) == {("Tom Reed", "Chelsea"), ("Jonathan David", "Arsenal")}
    row = _likelihood(out.assign(), "Tom Reed", "Chelsea") if False else out[out["to_club"] == "Chelsea"].iloc[0]
    assert row["n_reports"] == 2 and row["n_sources"] == 2
    assert row["from_club"] == "Everton"
    assert pd.isna(row["first_date"])
    partial = frame.assign(subject=["Tom Reed", None, ""], to_club=[None, "Chelsea FC", None])
    assert set(zip(aggregate(partial)["subject"], aggregate(partial)["to_club"])) == {
        ("Tom Reed", "Chelsea"), ("Jonathan David", "Arsenal")}  # fmt: skip


def test_aggregate_scores_when_there_is_no_likelihood(shipped_model):
    frame = pd.DataFrame({"text": ["Chelsea have agreed a fee for Tom Reed, medical booked.", None],
                          "source": ["Sky Sports", None]})  # fmt: skip
    out = aggregate(frame, model=shipped_model)
    assert len(out) == 1 and 0 <= out.iloc[0]["likelihood"] <= 1


def test_aggregate_empty_and_bad_input():
    out = aggregate(pd.DataFrame())
    assert out.empty and list(out.columns) == list(AGGREGATE_COLUMNS)
    assert aggregate(pd.DataFrame({"likelihood": [0.5], "text": ["no claim here"]})).empty
    with pytest.raises(TypeError):
        aggregate([{"text": "x"}])
    with pytest.raises(ValueError, match="likelihood"):
        aggregate(pd.DataFrame({"source": ["Mail"]}))


def test_aggregate_surname_joins_full_name():
    frame = _feed([_row(), _row(subject="Reed", source="Guardian", best_source="Guardian", source_tier=2.0,
                                text="Reed talks: Chelsea step up their interest.")])  # fmt: skip
    out = aggregate(frame)
    assert len(out) == 1 and out.iloc[0]["subject"] == "Tom Reed" and out.iloc[0]["n_sources"] == 2


# --------------------------------------------------------------------------- evaluation
def test_evaluate_aggregate_on_a_small_corpus(shipped_model, tmp_path):
    rows = []
    for i in range(24):
        person = f"Player {chr(65 + i % 12)}son"
        good = i % 12 < 6
        text = (f"Chelsea have agreed personal terms with {person}, medical booked." if good
                else f"Chelsea are monitoring {person}, claims say.")  # fmt: skip
        rows.append({"id": i, "date": f"2023-{7 + i % 5:02d}-{1 + i:02d}", "text": text,
                     "source": ["Sky Sports", "Daily Star"][i % 2], "subject": person, "from_club": "Lille",
                     "to_club": "Chelsea", "outcome": int(good)})  # fmt: skip
    rows.append({"id": 99, "date": "2020-01-01", "text": "Chelsea want Old Boy.", "source": None,
                 "subject": "Old Boy", "from_club": None, "to_club": "Chelsea", "outcome": 0})  # fmt: skip
    result = evaluate_aggregate(pd.DataFrame(rows), shipped_model)
    pd.DataFrame(rows).to_csv(tmp_path / "reports.csv", index=False)
    from_path = evaluate_aggregate(tmp_path / "reports.csv", shipped_model)  # (a pathlib.Path was refused)
    pd.testing.assert_frame_equal(from_path, result)
    assert list(result.index) == ["combined", "mean", "max"]
    assert {"auc", "brier", "n_claims", "n_reports", "positive_rate"} <= set(result.columns)
    assert (result["n_claims"] == 12).all() and (result["n_reports"] == 24).all()
    assert ((result["brier"] >= 0) & (result["brier"] <= 1)).all()
    with pytest.raises(ValueError, match="columns"):
        evaluate_aggregate(pd.DataFrame({"text": ["x"]}), shipped_model)


def test_evaluate_aggregate_reads_dates_as_the_training_split_does(shipped_model):
    # the test split was read by pandas ("06/05/2023" month first: 5 June) and the default model's
    # training split by chronological_split (day first: 6 May), so a report could be in both;
    # time zones mixed in one column raised
    rows = [{"date": date, "text": f"Chelsea have agreed personal terms with Player {i}son, medical booked."
             if i % 2 else f"Chelsea are monitoring Player {i}son, claims say.", "subject": f"Player {i}son",
             "to_club": "Chelsea", "outcome": i % 2}
            for i, date in enumerate(["2023-06-10", "2023-06-11T10:00:00+02:00", "2023-06-12T10:00:00Z",
                                      "2023-06-13", "06/05/2023"])]  # fmt: skip
    frame = pd.DataFrame(rows)
    result = evaluate_aggregate(frame, shipped_model, split_date="2023-06-01")
    train, test = chronological_split(frame, "2023-06-01")
    assert len(test) == 4 and (result["n_reports"] == 4).all() and list(train["date"]) == ["06/05/2023"]


@pytest.mark.slow
def test_evaluate_aggregate_on_the_shipped_corpus(shipped_model):
    corpus = REPO / "data" / "reports.csv"
    if not corpus.is_file():
        pytest.skip("data/reports.csv is not there")
    result = evaluate_aggregate(str(corpus), shipped_model)
    assert result.loc["combined", "n_claims"] > 50
    # pooling independent reports should not be worse than averaging them
    assert result.loc["combined", "brier"] <= result.loc["mean", "brier"] + 0.01


@pytest.mark.parametrize("clubs", [["Lille", "Porto", "Ajax", "Benfica"], ["Benfica", "Ajax", "Porto", "Lille"]])
def test_aggregate_from_club_tie_goes_to_the_first_reported_whatever_the_hash_seed(clubs):
    days = ["2024-06-04", "2024-06-01", "2024-06-03", "2024-06-02"]  # reported (by date): 2nd, 4th, 3rd, 1st row
    frame = _feed([_row(date=d, source=f"Paper {i}", best_source=f"Paper {i}") for i, d in enumerate(days)])
    frame.insert(2, "from_club", clubs)
    assert _likelihood(frame)["from_club"] == clubs[1]  # every club once: the earliest report's
    frame["from_club"] = [clubs[0], clubs[1], clubs[0], None]
    assert _likelihood(frame)["from_club"] == clubs[0]  # the most frequent first


@pytest.mark.parametrize("bad", [1.5, -0.2, math.inf, -math.inf])
def test_aggregate_refuses_a_likelihood_outside_0_1(bad):
    # (1.5 came out as a max_likelihood of 1.5 and a pooled likelihood of 0.999999; -0.2 dropped silently)
    feed = pd.DataFrame({"subject": ["A. Smith"] * 2, "to_club": ["Arsenal"] * 2, "likelihood": [0.4, bad]},
                        index=["r1", "r2"])  # fmt: skip
    with pytest.raises(ValueError, match="between 0 and 1; 1 row\\(s\\) do not, the first at index 'r2'"):
        aggregate(feed)


def test_aggregate_takes_the_ends_of_0_1_and_leaves_unscored_rows_out():
    feed = pd.DataFrame({"subject": ["A. Smith"] * 3, "to_club": ["Arsenal"] * 3, "likelihood": [0.0, 1.0, math.nan]})
    out = aggregate(feed)
    assert out["n_reports"].tolist() == [2] and 0.0 <= out["likelihood"][0] <= 1.0
