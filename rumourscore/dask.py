"""Score Dask DataFrames, partition by partition (optional extra: ``pip install 'rumourscore[dask]'``).

The model is shipped to the workers once (scattered with ``broadcast=True`` when a
distributed client is running, else embedded once in the task graph), never per partition.
"""

from __future__ import annotations

import glob
import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._api import _SUMMARY_DTYPES, SUMMARY_COLUMNS, load_model, score_frame
from ._model import RumourModel

__all__ = ["score_dataframe", "score_files"]


def _require_dask() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("rumourscore.dask needs Dask: pip install 'rumourscore[dask]'") from exc
    return dd


def _score_partition(
    part: pd.DataFrame, model: RumourModel, text_col: str, source_col: str, date_col: str
) -> pd.DataFrame:
    return score_frame(part, text_col=text_col, source_col=source_col, date_col=date_col, model=model)


def _meta(ddf: Any) -> pd.DataFrame:
    meta = ddf._meta.copy()
    for column in SUMMARY_COLUMNS:
        dtype = np.float64 if column == "likelihood" else _SUMMARY_DTYPES[column]
        meta[column] = pd.Series(dtype=dtype)
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
) -> Any:
    """Score every CSV matching a glob with Dask into one CSV, written atomically.

    ``scheduler`` is the address of an existing cluster (``tcp://host:8786``); without it a
    local cluster on this machine's cores is used.
    """
    from ._batch import BatchError, BatchSummary, _Writer

    dd = _require_dask()
    files = sorted(glob.glob(pattern))
    if not files:
        raise BatchError(f"no input files match {pattern!r}")
    started = time.perf_counter()
    from distributed import Client, LocalCluster

    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        ddf = dd.read_csv(files, dtype=str, keep_default_na=False, blocksize="64MB")
        scored = score_dataframe(
            ddf, text_col=text_col, source_col=source_col, date_col=date_col, model=model, client=client
        )
        writer = _Writer(output, "csv" if not output.endswith((".parquet", ".jsonl")) else Path(output).suffix[1:])
        rows = failures = 0
        try:
            for i in range(scored.npartitions):
                part = scored.get_partition(i).compute()
                rows += len(part)
                failures += int(part["error"].notna().sum())
                writer.write(part)
            writer.commit()
        except BaseException:
            writer.abort()
            raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    summary = BatchSummary(rows, failures, time.perf_counter() - started, output)
    if not quiet:
        import sys

        print(summary, file=sys.stderr)
    return summary
