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
