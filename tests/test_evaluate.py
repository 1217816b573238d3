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


def test_evaluate_reports_model_and_baselines(toy_model, toy_frame):
    report = evaluate(toy_model, toy_frame, toy_frame, name="toy")
    assert set(report.scores.index) == {"rumourscore", "base rate", "source tier only", "tf-idf + logistic regression"}
    assert report.scores.loc["base rate", "roc_auc"] == pytest.approx(0.5)
    assert "| rumourscore |" in report.to_markdown_table()
    with pytest.raises(ValueError, match="no label column"):
        evaluate(toy_model, toy_frame.drop(columns="outcome"))
