"""What runs in a batch worker process: its set-up, its watch on the parent, and the scoring of one piece of work.

:mod:`rumourscore._batch` starts the workers (``initializer=init_worker``) and hands them lists
of (text, source, date) keys; :mod:`rumourscore._feed_stream` hands them its own scoring
function, which reads the same per-process state (:func:`worker_state`). Run in the parent
process (one job), the same functions take the model and the settings as arguments.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
from typing import Any

import pandas as pd

from ._api import SUMMARY_COLUMNS, WHY_COLUMN, score_frame
from ._model import RumourModel
from ._rows import Key, paused_gc

__all__ = ["PARENT_CHECK_SECONDS", "WORKER_GC_THRESHOLDS", "WORKER_STOP_SECONDS", "follow_parent", "init_worker",
           "score_unique", "scored_columns", "stop_workers", "worker_state"]  # fmt: skip

#: How often a worker checks that its parent process is still there.
PARENT_CHECK_SECONDS = 0.5
#: Cyclic GC thresholds of a worker (Python's: 700, 10, 10). Each row allocates many containers; with
#: the defaults, collections took about 14 % of a worker's CPU on real lines, with these about 4.5 %.
WORKER_GC_THRESHOLDS = (10_000, 20, 20)
#: How long a terminated worker has to exit before it is killed (it exits at once unless it is stuck).
WORKER_STOP_SECONDS = 5.0

_WORKER_MODEL: RumourModel | None = None
_WORKER_SETTINGS: dict[str, Any] = {}


def init_worker(model: RumourModel, settings: dict[str, Any], parent: int) -> None:
    """Set a new worker process up: the model and settings it scores with, signals, GC, the parent watch."""
    global _WORKER_MODEL, _WORKER_SETTINGS
    follow_parent(parent)
    _WORKER_MODEL, _WORKER_SETTINGS = model, settings
    gc.set_threshold(*WORKER_GC_THRESHOLDS)


def follow_parent(parent: int) -> None:
    """Set up a child process (a worker, the feed walk's child) to live and stop with its parent.

    Ctrl-C is left to the parent, SIGTERM ends the child (not the parent's clean-up handler it
    inherited), and a thread exits the child as soon as the parent is gone (killed, even with
    SIGKILL): no orphans.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_exit_with_parent, args=(parent,), name="rumourscore-parent-watch", daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def stop_workers(pool: Any) -> None:
    """Stop the worker processes of a ``ProcessPoolExecutor`` mid-task, so that its ``shutdown(wait=True)`` returns.

    Each worker is terminated, and killed if it has not exited within :data:`WORKER_STOP_SECONDS`.
    A worker stopped while it sends a result leaves the pool's manager thread reading a message
    that never ends, on a pipe this process holds open too: once every worker is dead, closing
    this process's copy of the pipe's write end ends that read. The thread then finds the pool
    broken and cleans up (closing the task pipe unblocks the thread feeding it), and the join of
    ``shutdown``, or of the interpreter's exit, returns.
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(WORKER_STOP_SECONDS)
        if process.exitcode is None:
            process.kill()
            process.join()
    results = getattr(pool, "_result_queue", None)  # (None once the pool is shut down)
    if results is not None:
        results._writer.close()


def score_unique(items: list[Key], model: RumourModel | None = None, settings: dict[str, Any] | None = None
                 ) -> pd.DataFrame:  # fmt: skip
    """The summary columns of each (text, source, date); ``settings`` are keywords of :func:`score_frame`."""
    model, settings = worker_state(model, settings)
    frame = pd.DataFrame(items, columns=["text", "source", "date"], dtype=object)
    with paused_gc():
        return score_frame(frame, model=model, **settings)[scored_columns(settings)]


def worker_state(model: RumourModel | None, settings: dict[str, Any] | None) -> tuple[RumourModel, dict[str, Any]]:
    """The model and scoring settings of this worker process, unless given (in the parent)."""
    return model or _WORKER_MODEL, _WORKER_SETTINGS if settings is None else settings


def scored_columns(settings: dict[str, Any]) -> list[str]:
    """The columns a worker returns: the summary columns, and ``why`` when explaining."""
    return list(SUMMARY_COLUMNS) + ([WHY_COLUMN] if settings.get("explain") else [])
