"""Score Dask DataFrames and globs of CSV files on a cluster (optional extra: ``pip install 'rumourscore[dask]'``).

The model is shipped to the workers once (scattered with ``broadcast=True`` when a
distributed client is running, else embedded once in the task graph), never per partition.
"""

from __future__ import annotations

import glob
import logging
import os
import time
import warnings
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

import numpy as np
import pandas as pd

from ._api import SUMMARY_COLUMNS, SUMMARY_DTYPES, load_model, score_frame, summary_names
from ._model import RumourModel
from ._rows import for_output
from ._tables import BatchError, BatchSummary, check_output, open_output, table_format

__all__ = ["block_size", "compute_in_order", "score_dataframe", "score_files"]

#: Seconds to wait for a ``--scheduler`` before giving up (fail fast on a wrong address).
SCHEDULER_TIMEOUT = 10
#: Partitions per worker thread, in the input and in flight: one computing, one queued behind it.
PARTITIONS_PER_THREAD = 2
#: Bounds of the bytes per CSV partition (a quoted cell holding a line break must not straddle
#: partitions, so they are never made very small).
MIN_BLOCK_BYTES = 4 * 2**20
MAX_BLOCK_BYTES = 64 * 2**20


def _require_dask() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("rumourscore.dask needs Dask: pip install 'rumourscore[dask]'") from exc
    return dd


def _score_partition(
    part: pd.DataFrame, model: RumourModel, text_col: str, source_col: str, date_col: str
) -> pd.DataFrame:
    with warnings.catch_warnings():  # a renamed column was warned about once, in score_dataframe
        warnings.simplefilter("ignore", UserWarning)
        return score_frame(part, text_col=text_col, source_col=source_col, date_col=date_col, model=model)


def _meta(ddf: Any) -> pd.DataFrame:
    meta = ddf._meta.copy()
    names = summary_names(meta.columns)
    for column in SUMMARY_COLUMNS:
        dtype = np.float64 if column == "likelihood" else SUMMARY_DTYPES[column]
        meta[names[column]] = pd.Series(dtype=dtype)
    return meta


def score_dataframe(
    ddf: Any,
    *,
    text_col: str = "text",
    source_col: str = "source",
    date_col: str = "date",
    model: RumourModel | None = None,
    client: Any = None,
) -> Any:
    """Score a Dask DataFrame lazily; same columns as :func:`rumourscore.score_frame`.

    Divisions and partitioning are kept. With a ``distributed`` client (passed, or the
    current default client) the model is scattered to every worker once.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
    model : RumourModel, optional
        Defaults to the shipped model.
    client : distributed.Client, optional
        Defaults to the running client, if any.

    Returns
    -------
    dask.dataframe.DataFrame
        Call ``.compute()`` (or write it out) to run.
    """
    _require_dask()
    if text_col not in ddf.columns:
        raise ValueError(f"text column {text_col!r} not found; columns found: {[str(c) for c in ddf.columns]}")
    model = model or load_model()
    if client is None:
        try:
            from distributed import default_client

            client = default_client()
        except (ImportError, ValueError):
            client = None
    shipped: Any = model
    if client is not None:
        shipped = client.scatter(model, broadcast=True, hash=False)
    else:
        from dask import delayed

        shipped = delayed(model, pure=True, traverse=False)
    return ddf.map_partitions(
        _score_partition, shipped, text_col, source_col, date_col, meta=_meta(ddf), align_dataframes=False
    )


@contextmanager
def _client(scheduler: str | None) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, or of a new local cluster; both closed on exit."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise BatchError(f"cannot reach the Dask scheduler at {scheduler} within {SCHEDULER_TIMEOUT} s "
                             f"({type(exc).__name__}); is it running?") from None  # fmt: skip
        with client:
            yield client
        return
    workers = os.cpu_count() or 1
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            yield client


def compute_in_order(client: Any, ddf: Any, ahead: int | None = None) -> Iterator[pd.DataFrame]:
    """Yield the computed partitions of ``ddf`` in order while later ones compute on the cluster.

    Parameters
    ----------
    client : distributed.Client
    ddf : dask.dataframe.DataFrame
    ahead : int, optional
        Partitions submitted at once (at least two); by default two per worker thread, so
        every worker stays busy while finished partitions wait to be written in order.

    Yields
    ------
    pandas.DataFrame
        One partition after another, in order.
    """
    if ahead is None:
        ahead = PARTITIONS_PER_THREAD * sum(client.nthreads().values())
    parts = iter(ddf.to_delayed())
    running: deque[Any] = deque(client.compute(p) for p in islice(parts, max(2, ahead)))
    while running:
        future = running.popleft()
        following = next(parts, None)
        if following is not None:
            running.append(client.compute(following))
        result = future.result()
        future.release()
        yield result


def block_size(total_bytes: int, threads: int) -> int:
    """Bytes per CSV partition: at least :data:`PARTITIONS_PER_THREAD` partitions per worker thread.

    Between :data:`MIN_BLOCK_BYTES` (tiny inputs are not split up) and :data:`MAX_BLOCK_BYTES`.

    Examples
    --------
    >>> block_size(400 * 2**20, 4) == 50 * 2**20, block_size(1000, 4) == MIN_BLOCK_BYTES
    (True, True)
    """
    wanted = -(-total_bytes // (PARTITIONS_PER_THREAD * max(1, threads)))
    return int(min(MAX_BLOCK_BYTES, max(MIN_BLOCK_BYTES, wanted)))


def score_files(
    pattern: str,
    output: str,
    *,
    text_col: str = "text",
    source_col: str = "source",
    date_col: str = "date",
    model: RumourModel | None = None,
    scheduler: str | None = None,
    quiet: bool = False,
    escape_formulas: bool = True,
) -> BatchSummary:
    """Score every CSV matching a glob with Dask into one table, written atomically.

    ``scheduler`` is the address of an existing cluster (``tcp://host:8786``); without it a
    local cluster on this machine's cores is started and shut down. Partitions are scored
    concurrently and written in input order; the output format follows its extension, and
    CSV cells a spreadsheet would run as formulas are escaped unless ``escape_formulas`` is False.

    Raises
    ------
    BatchError
        If no file matches, or the output path is unusable.
    """
    dd = _require_dask()
    files = sorted(glob.glob(pattern))
    if not files:
        raise BatchError(f"no input files match {pattern!r}")
    check_output(output, tuple(files))
    fmt = table_format(output, output=True)
    started = time.perf_counter()
    rows = failures = 0
    with _client(scheduler) as client:
        total = sum(os.path.getsize(f) for f in files)
        blocksize = block_size(total, sum(client.nthreads().values()))
        ddf = dd.read_csv(files, dtype=str, keep_default_na=False, blocksize=blocksize)
        scored = score_dataframe(
            ddf, text_col=text_col, source_col=source_col, date_col=date_col, model=model, client=client
        )
        names = summary_names(ddf.columns, warn=False)
        error_col = names["error"]
        with open_output(output, fmt, escape=escape_formulas) as sink:
            for part in compute_in_order(client, scored):
                rows += len(part)
                failures += int(part[error_col].notna().sum())
                sink.write(for_output(part, names))
    summary = BatchSummary(rows, failures, time.perf_counter() - started, output)
    if not quiet:
        logging.getLogger("rumourscore").info("%s", summary)
    return summary
