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


#: In a fresh process, a few times over: a worker dies halfway through sending its result (it writes the start
#: of a long message to the result pipe, then is stopped), the other worker is busy, and the thread feeding the
#: task pipe is stuck on a big task nobody reads; then ``Scorer.close(abort=True)``, which must return.
CLOSED_MID_SEND = r"""
import gc, os, struct, sys, time
from multiprocessing.queues import SimpleQueue
from rumourscore._batch import Scorer

def half_sent(flag):  # (runs in a worker)
    results = next(o for o in gc.get_objects() if isinstance(o, SimpleQueue) and not o._writer.closed)
    results._writer._send(struct.pack("!i", 50_000_000) + b"x" * 100_000)  # a result's header and its start
    open(flag, "w").close()
    time.sleep(600)

def busy(flag):
    open(flag, "w").close()
    time.sleep(600)

for attempt in range(3):
    scorer = Scorer(None, 2)
    flags = [os.path.join(sys.argv[1], f"{name}{attempt}") for name in ("sent", "busy")]
    futures = [scorer.pool.submit(half_sent, flags[0]), scorer.pool.submit(busy, flags[1])]
    futures += [scorer.pool.submit(len, b"x" * 10_000_000) for _ in range(3)]  # more than the task pipe holds
    while not all(os.path.exists(f) for f in flags):
        time.sleep(0.05)
    time.sleep(0.5)  # (the manager thread is reading the half-sent result by now)
    scorer.close(abort=True)
    print("closed", attempt, flush=True)
"""


def test_close_after_a_worker_died_mid_send_returns(tmp_path):
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", CLOSED_MID_SEND, str(tmp_path)], capture_output=True, text=True,
                          timeout=120)  # fmt: skip  (hung for good before the fix)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n") == ["closed 0", "closed 1", "closed 2", ""]
