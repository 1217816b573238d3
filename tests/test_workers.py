"""The work of a batch worker process (``rumourscore._workers``), run here in the test process."""

from __future__ import annotations

import pandas as pd

from rumourscore import score_frame
from rumourscore._api import SUMMARY_COLUMNS, WHY_COLUMN
from rumourscore._workers import score_unique, scored_columns, worker_state


def test_scored_columns_add_why_only_when_explaining():
    assert scored_columns({}) == list(SUMMARY_COLUMNS)
    assert scored_columns({"explain": True}) == [*SUMMARY_COLUMNS, WHY_COLUMN]


def test_worker_state_prefers_what_it_is_given(toy_model):
    settings = {"base_rate": 0.5}
    assert worker_state(toy_model, settings) == (toy_model, settings)
    assert worker_state(toy_model, None)[0] is toy_model  # no worker set up here: the settings default


def test_score_unique_scores_each_key_in_order_as_score_frame_does(toy_model):
    items = [("Chelsea have agreed a £50m fee, per Sky Sports.", "Sky Sports", "2024-07-01"),
             ("", None, None), ("Arsenal keen on the winger", "The Sun", "unreadable"),
             ("Napoli bid for the striker", None, "2024")]  # fmt: skip
    settings = {"base_rate": 0.3, "monthfirst": False, "explain": True}
    out = score_unique(items, toy_model, settings)
    frame = pd.DataFrame(items, columns=["text", "source", "date"], dtype=object)
    expected = score_frame(frame, model=toy_model, **settings)[scored_columns(settings)]
    pd.testing.assert_frame_equal(out, expected)
    assert list(out.columns) == [*SUMMARY_COLUMNS, WHY_COLUMN] and len(out) == len(items)
    assert out["error"][1] == "empty text" and out["likelihood"].isna().tolist() == [False, True, False, False]
