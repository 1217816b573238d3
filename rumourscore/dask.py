"""Score Dask DataFrames and globs of CSV files on a cluster (optional extra: ``pip install 'rumourscore[dask]'``).

The model is shipped to the workers once (scattered with ``broadcast=True`` when a
distributed client is running, else embedded once in the task graph), never per partition.
"""

from __future__ import annotations

import codecs
import csv
import functools
import gc
import glob
import io
import logging
import os
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

import numpy as np
import pandas as pd

from ._api import SUMMARY_COLUMNS, SUMMARY_DTYPES, model_or_default, score_frame, summary_names
from ._csv_blocks import one_line_records, record_end
from ._feed import FEED_COLUMNS, feed_names
from ._feed import score_feed as _score_feed
from ._feed_rows import subject_shards
from ._model import DEFAULT_BASE_RATE, RumourModel
from ._rows import check_columns, for_output, paused_gc
from ._tables import BatchError, BatchSummary, TableWriter, check_output, open_output, table_format
from ._workers import WORKER_GC_THRESHOLDS

__all__ = ["block_size", "compute_in_order", "score_dataframe", "score_feed", "score_feed_files", "score_files"]

#: Seconds to wait for a ``--scheduler`` before giving up (fail fast on a wrong address).
SCHEDULER_TIMEOUT = 10
#: Partitions per worker thread, in the input and in flight: one computing, one queued behind it.
PARTITIONS_PER_THREAD = 2
#: Bounds of the bytes per CSV partition (a quoted cell holding a line break must not straddle
#: partitions, so they are never made very small).
MIN_BLOCK_BYTES = 4 * 2**20
MAX_BLOCK_BYTES = 64 * 2**20
#: Rows a worker formats at a time for the output (it keeps only their encoded text).
ENCODE_ROWS = 20_000
#: Working columns of :func:`score_feed`: input position, input index, shard (never in its result).
_POS, _INDEX, _SHARD = "__rumourscore_pos", "__rumourscore_index", "__rumourscore_shard"


def _require_dask() -> Any:
    try:
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("rumourscore.dask needs Dask: pip install 'rumourscore[dask]'") from exc
    return dd


def _score_partition(
    part: pd.DataFrame, model: RumourModel, text_col: str, source_col: str, date_col: str
) -> pd.DataFrame:
    with warnings.catch_warnings(), paused_gc():  # a renamed column was warned about once, in score_dataframe
        warnings.simplefilter("ignore", UserWarning)
        return score_frame(part, text_col=text_col, source_col=source_col, date_col=date_col, model=model)


def _meta(ddf: Any) -> pd.DataFrame:
    meta = ddf._meta.copy()
    names = summary_names(meta.columns)
    for column in SUMMARY_COLUMNS:
        dtype = np.float64 if column == "likelihood" else SUMMARY_DTYPES[column]
        meta[names[column]] = pd.Series(dtype=dtype)
    return meta


def _check_text_col(ddf: Any, text_col: str) -> None:
    if text_col not in ddf.columns:
        raise ValueError(f"text column {text_col!r} not found; columns found: {[str(c) for c in ddf.columns]}")


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
    text_col, source_col, date_col : str
        Column names, as in :func:`rumourscore.score_frame`; only ``text_col`` must exist.
    model : RumourModel, optional
        Defaults to the shipped model.
    client : distributed.Client, optional
        Defaults to the running client, if any.

    Returns
    -------
    dask.dataframe.DataFrame
        Call ``.compute()`` (or write it out) to run.

    Raises
    ------
    ValueError
        If ``text_col`` is missing (the message lists the columns found).
    ImportError
        Without Dask (``pip install 'rumourscore[dask]'``).
    """
    _require_dask()
    _check_text_col(ddf, text_col)
    model = model_or_default(model)
    return ddf.map_partitions(
        _score_partition, _ship(model, client), text_col, source_col, date_col, meta=_meta(ddf), align_dataframes=False
    )


def _ship(model: RumourModel, client: Any) -> Any:
    """The model scattered once to every worker of ``client`` (or the default client), else one graph node."""
    if client is None:
        try:
            from distributed import default_client

            client = default_client()
        except (ImportError, ValueError):
            client = None
    if client is not None:
        return client.scatter(model, broadcast=True, hash=False)
    from dask import delayed

    return delayed(model, pure=True, traverse=False)


def _connect_problem(scheduler: str, exc: Exception) -> str:
    """Why a client could not connect to ``scheduler``, in a line."""
    if isinstance(exc, (OSError, TimeoutError)):
        return (f"cannot reach the Dask scheduler at {scheduler} within {SCHEDULER_TIMEOUT} s ({type(exc).__name__}); "
                "is it running?")
    if isinstance(exc, ValueError):  # a malformed address: no port, an unknown scheme
        return f"--scheduler {scheduler!r} is not a scheduler address such as tcp://host:8786 ({exc})"
    # (anything else: a server that does not speak Dask's protocol answered)
    return f"no Dask scheduler at {scheduler}: the server there answered otherwise ({type(exc).__name__})"


@contextmanager
def _client(scheduler: str | None) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, or of a new local cluster; both closed on exit."""
    from distributed import Client, LocalCluster

    if scheduler:
        client, problem = None, None
        try:  # (not set as the default before it connects: a failed one stayed the process's default client)
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT, set_as_default=False)
        except Exception as exc:
            problem = _connect_problem(scheduler, exc)
        if problem is not None:
            # The failed client is cyclic garbage whose __del__ stops its loop thread: collected later, inside the
            # next client's loop thread, it waits on a lock that client holds (10 s, then an AssertionError).
            gc.collect()
            raise BatchError(problem)
        with client, client.as_current():  # (the default client while it is ours, as it was)
            yield client
        return
    workers = os.cpu_count() or 1
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            client.run(gc.set_threshold, *WORKER_GC_THRESHOLDS)  # our own workers: as the CLI's (not a user's cluster)
            yield client


def compute_in_order(client: Any, ddf: Any, ahead: int | None = None, *,
                     then: Callable[[pd.DataFrame], Any] | None = None) -> Iterator[Any]:  # fmt: skip
    """Yield the computed partitions of ``ddf`` in order while later ones compute on the cluster.

    Parameters
    ----------
    client : distributed.Client
    ddf : dask.dataframe.DataFrame
    ahead : int, optional
        Partitions submitted at once (at least two); by default two per worker thread, so
        every worker stays busy while finished partitions wait to be written in order.
    then : callable, optional
        Applied to each computed partition on the worker; its result is yielded instead.

    Yields
    ------
    pandas.DataFrame or what ``then`` returns
        One partition after another, in order.
    """
    if ahead is None:
        ahead = PARTITIONS_PER_THREAD * sum(client.nthreads().values())
    parts = iter(ddf.to_delayed())
    if then is not None:
        from dask import delayed

        parts = (delayed(then, pure=True)(part) for part in parts)
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


def _inputs_and_format(pattern: str, output: str, text_col: str) -> tuple[list[str], str, int]:
    """The files matching ``pattern`` (in name order), the output format and the number of columns,
    all checked; every file must start with the same UTF-8 header, checked as batch scoring checks
    a header (``text_col`` in it, no name twice)."""
    files = sorted(glob.glob(pattern))
    if not files:
        raise BatchError(f"no input files match {pattern!r}")
    check_output(output, tuple(files))
    headers = {file: _header(file) for file in files}
    first = headers[files[0]]
    try:
        check_columns(first, text_col, None)
    except BatchError as exc:
        raise BatchError(f"{files[0]}: {exc}") from None
    for file, header in headers.items():
        if header != first:
            raise BatchError(f"{file} has other columns than {files[0]}: {header} against {first}")
    return files, table_format(output, output=True), len(first)


def _plain_problem(path: str, width: int) -> str | None:
    """What keeps ``path`` from being read by Dask's reader, or ``None``: every record after the header
    must be ``width`` fields on one line of UTF-8 text.

    Dask's reader cannot tell a row of the wrong width (it drops or pads cells) nor split a file
    inside a quoted line break. C-level passes (:func:`~rumourscore._csv_blocks.one_line_records`),
    run on the cluster's workers, a file each (a message, not an exception: no worker traceback).
    """
    utf8 = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as fh:
        fh.readline()  # the header
        data = b""
        try:
            while more := fh.read(CHECK_BLOCK_BYTES):
                utf8.decode(more)
                data += more
                end = record_end(data)
                if end and not one_line_records(data[:end], width, ","):
                    break
                data = data[end:]
            else:
                utf8.decode(b"", final=True)
                if not data or one_line_records(data, width, ","):
                    return None
        except UnicodeDecodeError:
            return f"{path} is not UTF-8 ({DASK_INPUT})"
    return f"{path} has a row that is not {width} fields on one line ({DASK_INPUT})"


def _header(path: str) -> list[str]:
    """The column names of a CSV file's first line (``BatchError`` for an empty or non-UTF-8 one)."""
    with open(path, "rb") as fh:
        line = fh.readline(HEADER_BYTES)
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BatchError(f"{path}: the header is not UTF-8 ({DASK_INPUT})") from None
    if not text.strip():
        raise BatchError(f"{path} is empty or starts with a blank line ({DASK_INPUT})")
    return next(csv.reader([text]))


#: What ``--engine dask`` reads, and what to use for anything else.
DASK_INPUT = "--engine dask reads well-formed UTF-8 CSV; the default engine keeps malformed rows with an error"
#: Longest header line read.
HEADER_BYTES = 1 << 20
#: Bytes of an input file checked at a time (:func:`_plain_problem`).
CHECK_BLOCK_BYTES = 1 << 23


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
        If no file matches, the output path is unusable, or a file is not UTF-8 CSV whose rows
        are all on one line with its header's number of fields (checked first, on the workers).
    """

    model = model_or_default(model)

    def scored(ddf: Any, client: Any) -> Any:
        return score_dataframe(ddf, text_col=text_col, source_col=source_col, date_col=date_col, model=model,
                               client=client)  # fmt: skip

    return _score_glob(pattern, output, scored, model=model, text_col=text_col, scheduler=scheduler, quiet=quiet,
                       escape_formulas=escape_formulas)  # fmt: skip


def _finished_partition(part: pd.DataFrame, *, names: dict[str, str], model_name: str, fmt: str, escape: bool,
                        delimiter: str) -> tuple[int, int, pd.DataFrame, bytes | None]:  # fmt: skip
    """A scored partition made ready for the output, on the worker: its rows, its rows with an
    error, and the partition itself (Parquet) or its empty frame and its rows' encoded text (CSV,
    TSV, JSON Lines: formatted by the workers in parallel, the main process only appends the bytes)."""
    rows, failures = len(part), int(part[names["error"]].notna().sum())
    part = for_output(part.reset_index(drop=True), names)
    claims = part.columns.get_loc(names["claim_subject"]) if names["claim_subject"] in part else None
    part.insert(len(part.columns) if claims is None else claims, names["model"], model_name)
    if fmt == "parquet":
        return rows, failures, part, None
    buffer = io.BytesIO()
    writer = TableWriter(buffer, fmt, escape=escape, delimiter=delimiter)
    writer.header_written = True  # the main process writes the header, once
    for start in range(0, len(part), ENCODE_ROWS):  # (in slices: the text of a slice is built, then dropped)
        writer.write(part.iloc[start : start + ENCODE_ROWS])
    return rows, failures, part.iloc[:0], buffer.getvalue()


def _score_glob(pattern: str, output: str, score: Callable[[Any, Any], Any], *, model: RumourModel, text_col: str,
                scheduler: str | None, quiet: bool, escape_formulas: bool) -> BatchSummary:  # fmt: skip
    """Read the CSV files matching ``pattern``, ``score(ddf, client)`` them, and write the partitions in order."""
    dd = _require_dask()
    files, fmt, width = _inputs_and_format(pattern, output, text_col)
    started = time.perf_counter()
    rows = failures = 0
    with _client(scheduler) as client:
        total = sum(os.path.getsize(f) for f in files)
        blocksize = block_size(total, sum(client.nthreads().values()))
        problems = client.gather(client.map(_plain_problem, files, [width] * len(files), pure=False))
        if any(problems):
            raise BatchError(next(p for p in problems if p))
        # (index_col=False: a first row longer than the header never shifts the cells into an index)
        ddf = dd.read_csv(files, dtype=str, keep_default_na=False, blocksize=blocksize, index_col=False)
        scored = score(ddf, client)
        names = summary_names(ddf.columns, warn=False, extra=[*FEED_COLUMNS[1:], "model"])  # (a feed's too)
        try:
            with open_output(output, fmt, escape=escape_formulas) as sink:
                finish = functools.partial(_finished_partition, names=names, model_name=model.name, fmt=sink.fmt,
                                           escape=sink.escape, delimiter=sink.delimiter)  # fmt: skip
                for n, errors, part, text in compute_in_order(client, scored, then=finish):
                    rows, failures = rows + n, failures + errors
                    sink.write(part)  # (only the header and the column check when the worker wrote the rows)
                    if text is not None:
                        if list(part.columns) != sink.columns:
                            raise BatchError(f"the columns changed after the first rows: {sink.columns} then "
                                             f"{list(part.columns)}")  # fmt: skip
                        sink.handle.write(text)
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise BatchError(f"{DASK_INPUT} ({type(exc).__name__}: {str(exc)[:200]})") from None
    summary = BatchSummary(rows, failures, time.perf_counter() - started, output)
    if not quiet:
        logging.getLogger("rumourscore").info("%s", summary)
    return summary


# ------------------------------------------------------------------------------ feeds
def _with_shards(part: pd.DataFrame, cols: dict[str, str]) -> pd.DataFrame:
    def column(name: str) -> list[Any]:
        return part[name].tolist() if name in part.columns else [None] * len(part)

    shards = subject_shards(column(cols["text_col"]), column(cols["date_col"]), column(cols["subject_col"]),
                            column(cols["to_club_col"]))  # fmt: skip
    return part.assign(**{_INDEX: part.index, _SHARD: shards})


def _feed_partition(part: pd.DataFrame, model: RumourModel, cols: dict[str, str], base_rate: float | None,
                    summary: bool) -> pd.DataFrame:  # fmt: skip
    """score_feed on one shard's rows, in input order (the output's order: the values do not depend on it)."""
    part = part.sort_values(_POS, kind="stable").drop(columns=[_SHARD])
    with warnings.catch_warnings():  # a renamed column was warned about once, in score_feed
        warnings.simplefilter("ignore", UserWarning)
        return _score_feed(part, model=model, base_rate=base_rate, summary=summary, **cols)


def _restore_index(part: pd.DataFrame, name: Any) -> pd.DataFrame:
    return part.set_index(_INDEX).rename_axis(name)


def score_feed(ddf: Any, *, text_col: str = "text", source_col: str = "source", date_col: str = "date",
               subject_col: str = "subject", to_club_col: str = "to_club",
               base_rate: float | None = DEFAULT_BASE_RATE,
               model: RumourModel | None = None, client: Any = None, summary: bool = False) -> Any:  # fmt: skip
    """:func:`rumourscore.score_feed` on a Dask DataFrame: the same columns and values, in input order.

    A claim's as-of values depend on every report of its subject (its other clubs count as
    rival moves), so the rows are shuffled by subject (the last word of the folded subject,
    found by the claim extractor where the column is empty) and each partition is scored
    with the pandas :func:`rumourscore.score_feed`, its rows in input order; the result is
    put back in input order, with the input's index. The input's length is computed once
    (to place the output partitions).

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
    text_col, source_col, date_col, subject_col, to_club_col, base_rate, summary
        As in :func:`rumourscore.score_feed`.
    model : RumourModel, optional
        Defaults to the shipped model; shipped to the workers once.
    client : distributed.Client, optional
        Defaults to the running client, if any.

    Returns
    -------
    dask.dataframe.DataFrame
        Call ``.compute()`` (or write it out) to run.

    Raises
    ------
    ValueError
        If ``text_col`` is missing (the message lists the columns found).
    ImportError
        Without Dask (``pip install 'rumourscore[dask]'``).
    """
    _require_dask()
    _check_text_col(ddf, text_col)
    model = model_or_default(model)
    feed_names(ddf.columns, summary=summary)  # warns once here if an input column has one of our names
    cols = {"text_col": text_col, "source_col": source_col, "date_col": date_col, "subject_col": subject_col,
            "to_club_col": to_club_col}  # fmt: skip
    n, name = len(ddf), ddf.index.name
    framed = ddf.assign(**{_POS: 1})
    framed = framed.assign(**{_POS: framed[_POS].cumsum() - 1})
    meta = framed._meta.assign(**{_INDEX: framed._meta.index, _SHARD: pd.Series(dtype=object)})
    framed = framed.map_partitions(_with_shards, cols, meta=meta)
    shuffled = framed.shuffle(on=_SHARD, npartitions=ddf.npartitions)
    out_meta = _feed_partition(meta, model, cols, base_rate, summary)
    scored = shuffled.map_partitions(_feed_partition, _ship(model, client), cols, base_rate, summary, meta=out_meta,
                                     align_dataframes=False)  # fmt: skip
    parts = max(1, min(ddf.npartitions, n))
    divisions = sorted({round(k * (n - 1) / parts) for k in range(parts)} | {max(n - 1, 0)})
    ordered = scored.set_index(_POS, divisions=divisions if len(divisions) > 1 else [0, max(n - 1, 0)])
    return ordered.map_partitions(_restore_index, name, meta=_restore_index(out_meta.set_index(_POS), name))


def score_feed_files(pattern: str, output: str, *, text_col: str = "text", source_col: str = "source",
                     date_col: str = "date", subject_col: str = "subject", to_club_col: str = "to_club",
                     base_rate: float | None = DEFAULT_BASE_RATE, model: RumourModel | None = None,
                     scheduler: str | None = None,
                     quiet: bool = False, escape_formulas: bool = True) -> BatchSummary:  # fmt: skip
    """:func:`score_files` for feeds: every CSV matching a glob scored with :func:`score_feed` into one table.

    The output holds the input columns, ``likelihood`` and the summary columns of
    :func:`rumourscore.score_frame`, then the claim columns, in input order (files in name
    order), written atomically as :func:`score_files` writes.

    Raises
    ------
    BatchError
        If no file matches, the output path is unusable, or a file is not UTF-8 CSV whose rows
        are all on one line with its header's number of fields (checked first, on the workers).
    """
    cols = {"text_col": text_col, "source_col": source_col, "date_col": date_col, "subject_col": subject_col,
            "to_club_col": to_club_col}  # fmt: skip

    model = model_or_default(model)

    def scored(ddf: Any, client: Any) -> Any:
        return score_feed(ddf, **cols, base_rate=base_rate, model=model, client=client, summary=True)

    return _score_glob(pattern, output, scored, model=model, text_col=text_col, scheduler=scheduler, quiet=quiet,
                       escape_formulas=escape_formulas)  # fmt: skip
