import math

import numpy as np
import pandas as pd
import pytest

from rumourscore import score_frame, train
from rumourscore._report import make_report


def test_predictions_are_probabilities_and_match_the_pipeline(toy_model, toy_frame):
    p = toy_model.predict_proba(toy_frame, base_rate=None)
    assert p.shape == (len(toy_frame), 2) and np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p, toy_model.pipeline.predict_proba(toy_frame), rtol=1e-9, atol=1e-12)
    assert list(toy_model.classes_) == [0, 1]


def test_the_model_learns_the_signal(toy_model):
    hi, lo = toy_model.predict_proba(["Here we go! Medical booked for Bruno Silva at Lyon.",
                                      "Lyon are keeping tabs on Bruno Silva. (Sun)"])[:, 1]  # fmt: skip
    assert hi > lo


def test_contributions_reproduce_the_score(toy_model):
    text = "Chelsea have agreed a £40m fee for the winger, per Sky Sports."
    report = make_report(text, None, "2021-07-01")
    likelihood, parts = toy_model.contributions(report)
    tags = report.tags
    frame = pd.DataFrame({"text": [text], "source": [None], "date": ["2021-07-01"]})
    assert likelihood == pytest.approx(toy_model.predict_proba(frame)[0, 1])
    assert [abs(c) for _, _, c in parts] == sorted((abs(c) for _, _, c in parts), reverse=True)
    assert any(t.kind == "fee" for t in tags)
    assert all(value != 0 and c != 0 for _, value, c in parts)  # absent features say nothing
    log_odds = lambda p: math.log(p / (1 - p))  # noqa: E731
    reference = toy_model.reference_likelihood()
    assert sum(c for _, _, c in parts) == pytest.approx(log_odds(likelihood) - log_odds(reference))


def test_the_explained_odds_are_the_scores_odds(shipped_model):
    # (the calibration scales the log-odds, so the parts must carry its slope: x82, not x66)
    report = make_report("Here we go! Medical booked, five-year contract agreed.", "Fabrizio Romano")
    likelihood, parts = shipped_model.contributions(report)
    reference = shipped_model.reference_likelihood()
    odds = lambda p: p / (1 - p)  # noqa: E731
    assert math.exp(sum(c for _, _, c in parts)) == pytest.approx(odds(likelihood) / odds(reference), rel=1e-9)


def test_a_rows_score_does_not_depend_on_the_rows_scored_with_it(shipped_model):
    # (a matrix product's last bit depends on the batch's shape; a feed compares line scores exactly)
    texts = ["Tom Reed has completed his move to Chelsea.", "Here we go! Medical booked for Bruno Silva.",
             "Arsenal have agreed a £40m fee for the winger, per Sky Sports.", "Lyon are keen on him."]  # fmt: skip
    filler = [f"Club {i} are keen on Player Number{i}, {20 + i % 10}." for i in range(40)]

    def scores(rows: list[str]) -> list[float]:
        frame = pd.DataFrame({"text": rows, "source": "Fabrizio Romano", "date": "2024-06-01"})
        return score_frame(frame, model=shipped_model)["likelihood"].tolist()

    alone = [scores([t])[0] for t in texts]
    for k in range(8):
        assert scores(filler[:k] + texts)[k:] == alone  # to the last bit
    for t, p in zip(texts, alone):
        assert shipped_model.contributions(make_report(t, "Fabrizio Romano", "2024-06-01"))[0] == p


def test_one_rows_log_odds_are_the_batchs_to_the_last_bit(shipped_model):
    w = shipped_model.weights
    rng = np.random.default_rng(0)
    rows = rng.normal(size=(2000, len(w.coef))) * rng.integers(0, 2, size=(2000, len(w.coef)))
    together = w.logit(rows)
    assert [w.logit(rows[i : i + 1])[0] for i in range(len(rows))] == together.tolist()


def test_base_rate_shifts_the_odds(toy_model):
    report = make_report("Chelsea have agreed a £40m fee for the winger.")
    low = toy_model.contributions(report, base_rate=0.1)[0]
    high = toy_model.contributions(report, base_rate=0.5)[0]
    assert low < high
    odds = lambda p: p / (1 - p)  # noqa: E731
    assert odds(high) / odds(low) == pytest.approx(odds(0.5) / odds(0.1))
    kept = toy_model.contributions(report, base_rate=None)[0]
    train = toy_model.weights.train_rate
    assert toy_model.contributions(report, base_rate=train)[0] == pytest.approx(kept)
    for bad in (0, 1, -0.2, "0.3", True, np.float32(np.nan), np.bool_(True)):
        with pytest.raises(ValueError, match="base_rate"):
            toy_model.contributions(report, base_rate=bad)
    for numpy_number in (np.float32(0.5), np.float64(0.5)):  # (a number read from an array is a number)
        assert toy_model.contributions(report, base_rate=numpy_number)[0] == pytest.approx(high)


def test_scoring_does_not_import_sklearn_or_pandas():
    import subprocess
    import sys

    code = (
        "import sys, rumourscore; rumourscore.score('Here we go, medical booked'); "
        "print('sklearn' in sys.modules, 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_training_input_is_validated(toy_frame):
    with pytest.raises(ValueError, match="both outcomes"):
        train(toy_frame.assign(outcome=1))
    with pytest.raises(ValueError, match="0 or 1"):
        train(toy_frame.assign(outcome=2))
    with pytest.raises(ValueError, match="no label column"):
        train(toy_frame.drop(columns="outcome"))


def test_names_do_not_move_the_score(shipped_model, corpus):
    """Swap player and club names across rows: the scores must barely change."""
    rows = corpus.sample(300, random_state=0).reset_index(drop=True)
    donors = rows.sample(frac=1.0, random_state=1).reset_index(drop=True)
    swapped = []
    for row, donor in zip(rows.itertuples(), donors.itertuples()):
        text = row.text
        for old, new in ((row.subject, donor.subject), (row.to_club, donor.to_club), (row.from_club, donor.from_club)):
            if old != new and old != "Unattached" and new != "Unattached":
                text = text.replace(old, new)
        swapped.append(text)
    before = shipped_model.predict_proba(rows[["text", "source", "date"]])[:, 1]
    after = shipped_model.predict_proba(rows[["text", "source", "date"]].assign(text=swapped))[:, 1]
    changed = sum(a != b for a, b in zip(rows["text"], swapped))
    assert changed > 200
    diff = np.abs(before - after)
    assert diff.mean() < 0.01 and diff.max() < 0.1, (diff.mean(), diff.max())


def test_stating_an_age_barely_moves_the_score(shipped_model):
    """Gossip columns always give the age; giving it is style, not evidence."""
    with_age = "Arsenal are monitoring Brentford striker Ivan Toney, 26 (Sun)"
    without = "Arsenal are monitoring Brentford striker Ivan Toney (Sun)"
    frame = pd.DataFrame({"text": [with_age, without], "source": None, "date": "2023-05-01"})
    p = shipped_model.predict_proba(frame)[:, 1]
    assert abs(p[0] - p[1]) < 0.01, p


def test_wording_channel_scores_like_its_pipeline(toy_frame):
    """With the optional wording channel, the numpy scoring equals the scikit-learn pipeline."""
    model = train(toy_frame, words=True)
    assert model.weights.words
    expected = model.pipeline.predict_proba(toy_frame)
    np.testing.assert_allclose(model.predict_proba(toy_frame, base_rate=None), expected, rtol=1e-9, atol=1e-12)
    words = model.top_words("Here we go! Medical booked for Tom Baker at Chelsea.")
    assert words and all(" " in t or t.isalpha() for t, _ in words)
    assert not any(t in ("name", "the", "for", "at") for t, _ in words)


def test_too_few_reports_to_train_is_clear(toy_frame):
    """Two to nine rows ended in the calibration's 'Requesting 5-fold cross-validation' error."""
    from rumourscore import RumourModel

    with pytest.raises(ValueError, match=r"at least 5 reports of each outcome.*found 1 with 1 and 1 with 0"):
        train(toy_frame.iloc[[0, 2]])
    with pytest.raises(ValueError, match="one label per report"):
        RumourModel().fit(toy_frame, y=[0, 1])
