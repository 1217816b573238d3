"""The as-of walk of a large feed in two processes: this one and a fork of it, each walking half the claims.

The walk (:func:`rumourscore._feed_walk.as_of`) runs after every row is scored, in the main
process alone; on a streamed file of millions of rows it was the longest step no worker
helped with. Claims are independent once planned (:class:`~rumourscore._feed_walk.WalkPlan`),
so a forked child walks the later half of them (by rows) while this process walks the
first half, and sends back the columns of its rows. The result is the same arrays, value for
value, as one process gives.

A fork shares the planned arrays without copying them (the objects are frozen for the fork and
the child never collects garbage, so it copies only the pages it writes), and the masked texts
are read with positional reads (``os.pread``), which a fork sharing the file leaves alone. So
this runs only where ``fork`` is safe and cheap: on Linux, in a process with no other thread;
anywhere else the walk stays in this process. When the child fails, its claims are walked here
too (with a warning), and Ctrl-C or SIGTERM stops it with this process.
"""

from __future__ import annotations

import gc
import logging
import multiprocessing
import os
import sys
import threading
from typing import Any

import numpy as np

from ._feed_walk import WALKED, FeedArrays, FeedRule, WalkPlan, as_of, plan_walk
from ._workers import follow_parent

__all__ = ["SPLIT_ROWS", "as_of_split", "can_split"]

#: The library reports through this logger (the command line shows it on stderr).
LOG = logging.getLogger("rumourscore")
#: Fewest pooled rows worth a second process (a fork and the transfer of the child's columns
#: cost a few tens of milliseconds).
SPLIT_ROWS = 50_000


def can_split() -> bool:
    """True where a forked child can walk half the claims: Linux, and this process runs no other thread."""
    return (sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()
            and threading.active_count() == 1 and hasattr(os, "pread"))  # fmt: skip


def as_of_split(a: FeedArrays, rule: FeedRule, *, processes: int = 2, min_rows: int | None = None
                ) -> dict[str, np.ndarray]:  # fmt: skip
    """:func:`~rumourscore._feed_walk.as_of`, with half the claims walked in a forked child when it pays.

    Parameters
    ----------
    a, rule
        As :func:`~rumourscore._feed_walk.as_of`.
    processes : int
        Processes the walk may use (only 1 or 2 are used).
    min_rows : int, optional
        Fewest pooled rows for a split (default :data:`SPLIT_ROWS`).
    """
    if processes < 2 or not can_split():
        return as_of(a, rule)
    plan, out = plan_walk(a, rule)
    if len(plan.by_claim) < (SPLIT_ROWS if min_rows is None else min_rows) or plan.claims < 2:
        plan.walk(0, plan.claims, out)
        return out
    half = int(np.searchsorted(plan.cuts, len(plan.by_claim) // 2))  # claims [0, half) here, the rest there
    half = min(max(half, 1), plan.claims - 1)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_walk_later_claims, args=(plan, half, out, send, os.getpid()),
                            name="rumourscore-feed-walk",
                            daemon=True)  # fmt: skip
    a.texts.flush()  # nothing unwritten in a buffer both processes would hold
    gc.freeze()  # the child's collections leave the objects it shares with this process alone (no copies)
    try:
        child.start()
    except OSError:  # no process to be had (memory, a process limit): the walk stays here
        receive.close()
        send.close()
        plan.walk(0, plan.claims, out)
        return out
    finally:
        gc.unfreeze()
    send.close()
    rows = plan.rows(half, plan.claims)
    try:
        plan.walk(0, half, out)
        received = _receive_columns(receive, out, rows)
    except BaseException:  # (Ctrl-C, SIGTERM): the child's half is not waited for
        child.terminate()
        raise
    finally:
        receive.close()
        child.join()
    if not received or child.exitcode != 0:  # the child failed: walk its claims here
        LOG.warning("the feed walk's second process sent no result (exit code %s): its claims were walked in the "
                    "main process", child.exitcode)  # fmt: skip
        plan.walk(half, plan.claims, out)
    return out


def _walk_later_claims(plan: WalkPlan, half: int, out: dict[str, np.ndarray], send: Any, parent: int) -> None:
    """In the child: walk claims ``half`` onwards into its copy of ``out``; send their rows' columns one by one."""
    gc.disable()  # (this process lives for one walk; a collection would copy pages it shares)
    follow_parent(parent)  # Ctrl-C is the main process's (which stops this one); no walk outlives it
    try:
        plan.walk(half, plan.claims, out)
        rows = plan.rows(half, plan.claims)
        for name in WALKED:
            send.send_bytes(out[name][rows])  # the raw values (this column's type: the receiver knows it)
        send.close()
    except BaseException:  # (a MemoryError, the main process gone): the main process walks these claims, and says so
        os._exit(1)


def _receive_columns(receive: Any, out: dict[str, np.ndarray], rows: np.ndarray) -> bool:
    """Put the child's :data:`WALKED` columns of ``rows`` into ``out``; False when it ended without all of them."""
    for name in WALKED:
        try:
            data = receive.recv_bytes()
        except (EOFError, OSError):
            return False
        values = np.frombuffer(data, dtype=out[name].dtype)
        if len(values) != len(rows):
            return False
        out[name][rows] = values
    return True
