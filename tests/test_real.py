"""Optional checks on real published rumours (evaluation only; skipped without ../shared/real)."""

from pathlib import Path

import pandas as pd
import pytest

from rumourscore import evaluate, score_frame

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real"

pytestmark = pytest.mark.skipif(not (REAL / "rumours_dev.csv").exists(), reason="../shared/real is not present")


@pytest.fixture(scope="module")
def dev() -> pd.DataFrame:
    return pd.read_csv(REAL / "rumours_dev.csv")


def test_shipped_model_beats_the_base_rate_and_tfidf_on_real_lines(shipped_model, corpus, dev):
    report = evaluate(shipped_model, dev, corpus, name="real dev")
    ours, base = report.scores.loc["rumourscore"], report.scores.loc["base rate"]
    assert ours["brier"] < base["brier"]
    assert ours["roc_auc"] > report.scores.loc["tf-idf + logistic regression", "roc_auc"]
    assert ours["roc_auc"] > 0.6


def test_real_unlabelled_lines_score_without_errors(shipped_model):
    path = REAL / "rumours_unlabelled.csv"
    if not path.exists():
        pytest.skip("no unlabelled file")
    frame = pd.read_csv(path).head(2000)
    out = score_frame(frame, model=shipped_model)
    assert len(out) == len(frame) and list(out.index) == list(frame.index)
    assert out["likelihood"].between(0, 1).sum() == frame["text"].notna().sum()
