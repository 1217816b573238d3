import numpy as np
import pandas as pd
import pytest

from rumourscore import chronological_split, evaluate, metrics, reliability_table


def test_metrics_on_known_values():
    y = np.array([0, 0, 1, 1])
    m = metrics(y, [0.1, 0.4, 0.35, 0.8])
    assert m["roc_auc"] == pytest.approx(0.75)
    assert m["brier"] == pytest.approx(np.mean((np.array([0.1, 0.4, 0.35, 0.8]) - y) ** 2))
    perfect = metrics(y, [0, 0, 1, 1])
    assert perfect["roc_auc"] == 1 and perfect["ece"] == pytest.approx(0, abs=1e-5)


def test_reliability_table_bins():
    table = reliability_table([0, 1, 1, 0], [0.05, 0.95, 0.91, 0.5])
    assert table["n"].sum() == 4 and len(table) == 10
    assert table.loc[9, "observed"] == 1.0 and table.loc[0, "observed"] == 0.0


def test_chronological_split_is_grouped_by_subject():
    df = pd.DataFrame({
        "date": ["2020-01-01", "2023-06-30", "2023-07-01", "2024-01-01", "2019-05-05"],
        "subject": ["A", "B", "B", "C", "C"], "text": list("abcde"), "outcome": [0, 1, 0, 1, 0],
    })  # fmt: skip
    train, test = chronological_split(df, "2023-07-01")
    assert train["subject"].tolist() == ["A"]
    assert set(test["subject"]) == {"B", "C"}
    assert pd.to_datetime(train["date"]).max() < pd.Timestamp("2023-07-01")


def test_chronological_split_reads_every_common_date_form_and_counts_the_unreadable():
    iso = ["2023-06-30", "2023-07-01", "2020-01-01", "2024-02-03", "2021-05-06"]
    mixed = ["30/06/2023", "2023-07-01T00:00:00+02:00", "Jan 1, 2020", "2024/02/03", "2021-05-06 10:00"]
    df = pd.DataFrame({"subject": list("ABCDE"), "text": list("abcde"), "outcome": [0, 1, 0, 1, 0]})
    expected = chronological_split(df.assign(date=iso), "2023-07-01")
    got = chronological_split(df.assign(date=mixed), "2023-07-01")
    assert [part.index.tolist() for part in got] == [part.index.tolist() for part in expected] == [[0, 2, 4], [1, 3]]
    with pytest.warns(UserWarning, match="1 of 5 reports have no readable date"):
        train, test = chronological_split(df.assign(date=[*iso[:4], "someday"]), "2023-07-01")
    assert train.index.tolist() == [0, 2] and test.index.tolist() == [1, 3]
    with pytest.raises(ValueError, match="not a date"):
        chronological_split(df.assign(date=iso), "soon")


def test_evaluate_without_a_text_column_says_so(toy_model, toy_frame, tmp_path, capsys):
    from rumourscore.cli import main

    for labelled, train in ((toy_frame.drop(columns="text"), toy_frame), (toy_frame, toy_frame.drop(columns="text"))):
        with pytest.raises(ValueError, match="no column 'text'"):
            evaluate(toy_model, labelled, train)
    toy_frame.drop(columns="text").to_csv(tmp_path / "notext.csv", index=False)
    model = toy_model.save(tmp_path / "toy.joblib")
    assert main(["evaluate", str(tmp_path / "notext.csv"), "--model", str(model), "--plot", "none"]) == 2
    assert "no column 'text'" in capsys.readouterr().err


def test_evaluate_reports_model_and_baselines(toy_model, toy_frame):
    report = evaluate(toy_model, toy_frame, toy_frame, name="toy")
    assert set(report.scores.index) == {"rumourscore", "base rate", "source tier only", "tf-idf + logistic regression"}
    assert report.scores.loc["base rate", "roc_auc"] == pytest.approx(0.5)
    assert "| rumourscore |" in report.to_markdown_table()
    with pytest.raises(ValueError, match="no label column"):
        evaluate(toy_model, toy_frame.drop(columns="outcome"))


def test_metrics_read_likelihoods_as_given_and_clip_only_the_log_loss():
    """Clipping every metric's input to [1e-6, 1 - 1e-6] tied tiny likelihoods: the AUC fell to 0.5."""
    assert metrics([0, 1], [0.0, 1e-7])["roc_auc"] == 1.0
    assert metrics([0, 1], [1 - 1e-7, 1.0])["roc_auc"] == 1.0
    m = metrics([0, 1], [0.0, 1.0])
    assert m["brier"] == 0.0 and np.isfinite(m["log_loss"])


@pytest.mark.parametrize("function", [metrics, reliability_table])
@pytest.mark.parametrize(
    ("y", "p", "message"),
    [
        ([0, 1, 1], [0.2, 0.9], "one outcome and one likelihood per row"),  # (an IndexError from inside)
        ([0, 1], np.array([[0.8, 0.2], [0.1, 0.9]]), "one outcome and one likelihood per row"),
        ([0, 1, 1], [0.2, 5.0, 0.9], r"in \[0, 1\]"),  # (clipped to 1, silently)
        ([0, 1, 1], [-3.0, 0.5, 0.9], r"in \[0, 1\]"),
        ([0, 1, 1], [0.2, np.nan, 0.9], r"in \[0, 1\]"),  # (the table put NaN in its top bin)
        ([0, 0.5, 1], [0.2, 0.9, 0.8], "0 or 1"),  # (truncated to 0, silently)
        ([0, np.nan, 1], [0.2, 0.9, 0.8], "0 or 1"),
        ([0, 2, 1], [0.2, 0.9, 0.8], "0 or 1"),
        (["no", "yes"], [0.2, 0.9], "must be numbers"),
    ],
)
def test_metrics_and_reliability_refuse_what_is_not_outcomes_and_likelihoods(function, y, p, message):
    with pytest.raises(ValueError, match=message):
        function(y, p)


def test_metrics_take_lists_arrays_and_series_alike():
    y, p = [0, 1, 1, 0], [0.1, 0.8, 0.6, 0.3]
    expected = metrics(y, p)
    assert metrics(np.array(y), np.array(p)) == expected
    assert metrics(pd.Series(y, index=[9, 8, 7, 6]), pd.Series(p, index=[0, 1, 2, 3])) == expected
    assert metrics([True, False], [0.9, 0.1])["roc_auc"] == 1.0
    with pytest.raises(ValueError, match="at least one row"):
        metrics([], [])


def test_chronological_split_without_a_date_column_or_subject_is_clear():
    df = pd.DataFrame({"date": ["2020-01-01", "2021-01-01", "2024-01-01"], "subject": [None, "A", None],
                       "text": list("abc"), "outcome": [0, 1, 0]})  # fmt: skip
    train, test = chronological_split(df, "2023-07-01")  # (every row without a subject left training)
    assert train.index.tolist() == [0, 1] and test.index.tolist() == [2]
    with pytest.raises(ValueError, match=r"no column 'date'.*columns found"):  # (a KeyError before)
        chronological_split(df.drop(columns="date"), "2023-07-01")
    with pytest.raises(TypeError, match="DataFrame"):
        chronological_split(df.to_dict("records"), "2023-07-01")


def test_evaluate_says_what_is_wrong_with_the_labels(toy_model, toy_frame):
    with pytest.raises(ValueError, match=r"labelled reports: labels in 'outcome' must be 0 or 1.*\['no', 'yes'\]"):
        evaluate(toy_model, toy_frame.assign(outcome=np.where(toy_frame["outcome"] == 1, "yes", "no")))
    with pytest.raises(ValueError, match=r"must be 0 or 1.*\['0.5'\]"):  # (truncated to 0 before)
        evaluate(toy_model, toy_frame.assign(outcome=toy_frame["outcome"] * 0.5))
    with pytest.raises(ValueError, match="no row has both a text and a 'outcome' label"):
        evaluate(toy_model, toy_frame.assign(outcome=np.nan))
    with pytest.raises(ValueError, match="training reports: the baselines need both outcomes"):
        evaluate(toy_model, toy_frame, toy_frame.assign(outcome=1))
    with pytest.raises(TypeError, match="model must be a RumourModel"):
        evaluate("models/rumourscore-model.joblib", toy_frame)  # type: ignore[arg-type]
    # a training row without a label is left out, as a labelled one is (an IntCastingNaNError before)
    train = toy_frame.assign(outcome=toy_frame["outcome"].where(toy_frame.index != 3))
    assert evaluate(toy_model, toy_frame, train).scores.shape == (4, 6)


@pytest.mark.parametrize("bins", [1, 3, 10, 20, 40, 100])
def test_reliability_bins_have_labels_apart(bins):
    table = reliability_table([0, 1] * 50, np.linspace(0, 1, 100), bins=bins)
    assert len(table) == bins and table["bin"].is_unique
    assert table["bin"].iloc[0].startswith("0.0") and table["bin"].iloc[-1].endswith("1.0" if bins <= 10 else "1.00")


def test_chronological_split_names_a_repeated_column():
    frame = pd.DataFrame([["a", "2023-01-01", "2024-01-01"]], columns=["text", "date", "date"])
    with pytest.raises(ValueError, match=r"chronological_split: duplicate column names \['date'\]"):
        chronological_split(frame)
