"""The as-of walk of a large feed split between this process and a fork of it (``rumourscore._feed_split``)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from rumourscore import _feed_split
from rumourscore._feed import FEED_RULE
from rumourscore._feed_rows import FeedBuilder

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the split walk forks: Linux only")

#: Run in a fresh interpreter (the test process may run other threads, from earlier tests, and the
#: walk forks only a process that runs no other thread): build a feed's arrays, its masked texts
#: spilled to a file, and compare ``as_of_split`` with ``as_of`` after the change ``sys.argv[1]`` names.
SCRIPT = r"""
import os, sys, tempfile
import numpy as np, pandas as pd
from rumourscore import _feed_split, load_model
from rumourscore._api import score_columns
from rumourscore._feed import FEED_RULE
from rumourscore._feed_rows import FeedBuilder, row_states
from rumourscore._feed_walk import WALKED, as_of, plan_walk

LINES = ["{p}: {c} have agreed a £40m fee with Everton, per the Guardian.", "{c} have opened talks over {p}.",
         "According to the Guardian, {c} have agreed a fee for {p}.",
         "Everton have denied that any agreement with {c} for {p} exists.",
         "Here we go! {p} to {c}, medical booked.", "{c} are keeping tabs on {p}."]
SOURCES = ["Guardian", "Mirror", "Express", "BBC Sport", "Fabrizio Romano", "Sun"]
CLUBS = ["Chelsea", "Arsenal", "Napoli", "Lyon"]
rows = []
for i in range(600):  # 12 subjects, 4 clubs: denials, rival moves and copied lines over six months, unsorted
    player, club = f"Tom Reed{i % 12}", CLUBS[(i * 7) % 4]
    rows.append((LINES[i % 6].format(p=player, c=club), SOURCES[(i * 5) % 6],
                 f"2024-{1 + (i * 11) % 6:02d}-{1 + (i * 13) % 28:02d}", player, club))
cols = [list(c) for c in zip(*rows)]
likelihood, _, reports = score_columns(cols[0], cols[1], cols[2], load_model())
mode = sys.argv[1]
with tempfile.TemporaryFile("w+b") as handle:
    builder = FeedBuilder(handle)
    builder.add(likelihood, row_states(*cols, reports))
    a = builder.arrays(center=-0.85)
    expected = as_of(a, FEED_RULE)
    print("pooled", int((expected["claim_n_reports"] > 1).sum()), "can_split", _feed_split.can_split())
    if mode == "made_up":  # a child that sends made-up columns
        def child(plan, half, out, send, parent):
            for n in WALKED:
                send.send_bytes(np.full(len(plan.rows(half, plan.claims)), 7, dtype=out[n].dtype))
        _feed_split._walk_later_claims = child
    elif mode == "short":  # a child that sends too few values for its rows
        def child(plan, half, out, send, parent):
            send.send_bytes(np.zeros(3))
        _feed_split._walk_later_claims = child
    elif mode == "orphan":  # both walks stall; the child says who it is
        import time
        from rumourscore._feed_walk import WalkPlan
        main_pid = os.getpid()
        def walk(self, first, last, out):
            if os.getpid() != main_pid:
                print("child", os.getpid(), flush=True)
            time.sleep(600)
        WalkPlan.walk = walk
    elif mode == "nofork":  # no process to be had
        import multiprocessing.context
        def start(self):
            print("start refused")
            raise OSError(11, "Resource temporarily unavailable")
        multiprocessing.context.ForkProcess.start = start
    elif mode == "exits":
        _feed_split._walk_later_claims = lambda *args: os._exit(3)
    elif mode == "raises":  # the child's walk fails (in this process, the same walk succeeds)
        from rumourscore._feed_walk import WalkPlan
        main_pid, original = os.getpid(), WalkPlan.walk
        def walk(self, first, last, out):
            if os.getpid() != main_pid:
                raise MemoryError("no room")
            return original(self, first, last, out)
        WalkPlan.walk = walk
    got = _feed_split.as_of_split(a, FEED_RULE, processes=2, min_rows=0)
    print("same", all(np.array_equal(got[n], expected[n], equal_nan=True) for n in expected))
    plan, _ = plan_walk(a, FEED_RULE)
    changed = np.flatnonzero(got["claim_n_reports"] != expected["claim_n_reports"])
    sevens = bool((got["claim_n_reports"][changed] == 7).all())
    print("changed", len(changed), "of", len(plan.by_claim), "all sevens", sevens,
          "pooled rows only", set(changed.tolist()) <= set(plan.by_claim.tolist()))
"""


def _run(mode: str) -> str:
    """The script's output (standard output, then standard error)."""
    done = subprocess.run([sys.executable, "-c", SCRIPT, mode], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def test_split_walk_equals_the_walk_in_one_process():
    out = _run("equal")
    assert "can_split True" in out and "same True" in out and "changed 0 of" in out
    assert int(out.split()[1]) > 400  # the claims pooled many reports


def test_the_childs_columns_are_the_ones_used_for_its_claims():
    """A child that sends made-up columns changes exactly the rows of about half the pooled rows."""
    out = _run("made_up").split()
    assert out[out.index("same") + 1] == "False"
    changed, pooled = int(out[out.index("changed") + 1]), int(out[out.index("of") + 1])
    assert 0.3 < changed / pooled < 0.7
    assert out[out.index("sevens") + 1] == "True" and out[out.index("only") + 1] == "True"


@pytest.mark.parametrize("failure", ["exits", "raises", "short", "nofork"])
def test_a_failed_child_leaves_the_walk_to_this_process(failure):
    out = _run(failure)
    assert "same True" in out
    if failure == "raises":  # no traceback from the child: a warning from the main process
        assert "Traceback" not in out and "its claims were walked in the main process" in out
    if failure == "nofork":
        assert "start refused" in out and "Traceback" not in out


def test_no_split_with_another_thread_running(monkeypatch):
    monkeypatch.setattr(_feed_split.threading, "active_count", lambda: 2)
    assert not _feed_split.can_split()
    monkeypatch.setattr(_feed_split, "plan_walk", lambda *a: pytest.fail("the split path was taken"))
    arrays = FeedBuilder().arrays()
    assert _feed_split.as_of_split(arrays, FEED_RULE, processes=2, min_rows=0)["claim_likelihood"].shape == (0,)


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="needs pidfd_open (Linux) to wait for a non-child process")
def test_the_child_dies_with_the_main_process():
    import select

    proc = subprocess.Popen([sys.executable, "-c", SCRIPT, "orphan"], stdout=subprocess.PIPE, text=True)
    try:
        line = ""
        while not line.startswith("child"):
            line = proc.stdout.readline()
            assert line, "the walk was not split"
        watch = os.pidfd_open(int(line.split()[1]))  # taken while the main process lives: the pid is not reused
    finally:
        proc.kill()  # SIGKILL: the main process cannot tell its child anything
        proc.wait()
    ended, _, _ = select.select([watch], [], [], 120)  # readable when the child has exited; 120 s only a guard
    os.close(watch)
    assert ended, "the walk's child outlived the main process"
