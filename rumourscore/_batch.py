"""Batch scoring of files of any size on this machine: streaming, de-duplication, processes.

Rows stream through in chunks (memory stays flat), are scored in worker processes, and
come out in input order with every input column kept. Identical (text, source, date)
triples are scored once. Bad rows get a NaN likelihood and an ``error``; they never stop
the run. Reading and writing the tables (and the atomic commit of the output) is
:mod:`rumourscore._tables`' job; this module drives the run.
"""

from __future__ import annotations

import difflib
import math
import os
import signal
import sys
import threading
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._api import SUMMARY_COLUMNS, SUMMARY_DTYPES, load_model, score_frame, summary_names
from ._claims import aggregate
from ._model import RumourModel
from ._readers import SNIFF_BYTES, UNDECODABLE, Chunk, read_table
from ._tables import (
    BatchError,
    BatchSummary,
    TableWriter,
    check_encoding,
    check_input,
    check_output,
    open_output,
    table_format,
    write_table,
)

__all__ = ["BatchError", "BatchOptions", "BatchSummary", "score_csv", "score_file"]

#: Rows per chunk handed to a worker: big enough to amortise process hand-off, small
#: enough to keep memory flat.
CHUNK_ROWS = 20_000
#: Most distinct (text, source, date) results remembered across chunks for de-duplication.
DEDUP_CACHE_SIZE = 200_000
#: Chunks in flight per worker (bounds memory while keeping every core busy).
CHUNKS_AHEAD_PER_JOB = 2
#: Fewest distinct rows worth a worker process of their own.
MIN_ROWS_PER_TASK = 500
#: What to do about undecodable bytes.
ENCODING_HINT = "the file is not in the encoding given; pass --encoding, e.g. latin-1 or cp1252"
#: The error when a worker process is killed under a run.
WORKER_DIED = "a worker process died (killed, or out of memory?): try fewer --jobs"
#: How often a worker checks that its parent process is still there.
PARENT_CHECK_SECONDS = 0.5
#: Input columns copied into the ``--claims`` aggregation, when present.
CLAIM_COLUMNS = ("subject", "to_club", "from_club", "date", "source", "text")
#: Scores copied into the ``--claims`` aggregation.
CLAIM_SCORES = ("likelihood", "max_stage", "denials", "best_source", "source_tier")


@dataclass
class BatchOptions:
    """How :func:`score_file` runs.

    Attributes
    ----------
    text_col, source_col, date_col : str
        Input columns; only ``text_col`` must exist.
    id_col : str, optional
        A column moved first in the output.
    model : RumourModel, optional
        Defaults to the shipped model.
    jobs : int
        Worker processes; 0 means all cores.
    encoding : str
        Text encoding of a CSV input.
    strict : bool
        Raise :class:`BatchError` naming the first bad row (nothing is written).
    quiet : bool
        No progress bar and no summary line on stderr.
    claims_path : str, optional
        Also write one row per (subject, to_club) claim to this CSV.
    chunk_rows : int
        Rows per chunk.
    escape_formulas : bool
        Escape CSV output cells a spreadsheet would run as formulas (``=``, ``+``, ``-``,
        ``@`` first; plain numbers are left alone). Parquet and JSON Lines are never escaped.
    on_progress : callable, optional
        Called with the number of rows written so far after each chunk is written.
    """

    text_col: str = "text"
    source_col: str = "source"
    date_col: str = "date"
    id_col: str | None = None
    model: RumourModel | None = None
    jobs: int = 0
    encoding: str = "utf-8"
    strict: bool = False
    quiet: bool = False
    claims_path: str | None = None
    chunk_rows: int = CHUNK_ROWS
    escape_formulas: bool = True
    on_progress: Callable[[int], None] | None = None


# ------------------------------------------------------------------------------ scoring
_WORKER_MODEL: RumourModel | None = None

#: One de-duplication key: (text, source, date) with NaN as None.
Key = tuple[Any, Any, Any]


def _init_worker(model: RumourModel, parent: int) -> None:
    global _WORKER_MODEL
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's clean-up handler
    _WORKER_MODEL = model
    threading.Thread(target=_exit_with_parent, args=(parent,), name="rumourscore-parent-watch", daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """Exit this worker as soon as its parent is gone (killed, even with SIGKILL): no orphans."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def _score_unique(items: list[Key], model: RumourModel | None = None) -> pd.DataFrame:
    model = model or _WORKER_MODEL
    frame = pd.DataFrame(items, columns=["text", "source", "date"], dtype=object)
    return score_frame(frame, model=model)[list(SUMMARY_COLUMNS)]


def _key(value: Any) -> Any:
    """A cell as part of a de-duplication key: any missing value (None, NaN, NA, NaT) is None.

    Raises
    ------
    TypeError
        If the cell is a list, an object or an array (JSON Lines, Parquet): it cannot be scored.
    """
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    hash(value)
    return value


def _keys(columns: tuple[list[Any], ...], names: tuple[str, ...], errors: list[str | None]) -> list[Key]:
    """The (text, source, date) key of each row; a row with a list or object in them gets an error instead."""
    keys: list[Key] = []
    for i, row in enumerate(zip(*columns)):
        try:
            keys.append(tuple(_key(v) for v in row))  # type: ignore[arg-type]
        except TypeError:
            bad = next(name for name, v in zip(names, row) if not _hashable(v))
            errors[i] = errors[i] or f"not a plain value: column {bad!r} holds a list or an object"
            keys.append((None, None, None))
    return keys


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@dataclass
class _Pending:
    """A submitted chunk: its keys, the keys scored for it, and the work scoring them."""

    keys: list[Key]
    todo: list[Key]
    futures: list[Future]
    local: pd.DataFrame | None = None

    def result(self) -> pd.DataFrame | None:
        if not self.futures:
            return self.local
        try:
            return pd.concat([f.result() for f in self.futures], ignore_index=True)
        except BrokenProcessPool:
            raise BatchError(WORKER_DIED) from None


class _Scorer:
    """Scores chunks in order, in worker processes, with a cross-chunk de-duplication cache."""

    def __init__(self, model: RumourModel, jobs: int) -> None:
        self.model = model
        self.jobs = jobs
        self.cache: OrderedDict[Key, tuple] = OrderedDict()
        self.inflight: dict[Key, None] = {}
        self.pool = None
        if jobs > 1:
            self.pool = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(model, os.getpid()))

    def submit(self, keys: list[Key]) -> _Pending:
        """Start scoring the keys of one chunk not already cached or on their way."""
        todo = list(dict.fromkeys(k for k in keys if k not in self.cache and k not in self.inflight))
        self.inflight.update(dict.fromkeys(todo))
        if self.pool is None or not todo:
            return _Pending(keys, todo, [], _score_unique(todo, self.model) if todo else None)
        pieces = np.array_split(np.arange(len(todo)), min(self.jobs, max(1, len(todo) // MIN_ROWS_PER_TASK)))
        try:
            futures = [self.pool.submit(_score_unique, [todo[i] for i in piece]) for piece in pieces if len(piece)]
        except BrokenProcessPool:
            raise BatchError(WORKER_DIED) from None
        return _Pending(keys, todo, futures)

    def collect(self, pending: _Pending) -> pd.DataFrame:
        """The summary columns of a submitted chunk, one row per key (chunks collected in order)."""
        result = pending.result()
        local = dict(zip(pending.todo, result.itertuples(index=False, name=None))) if pending.todo else {}
        for key, row in local.items():
            self.inflight.pop(key, None)
            self.cache[key] = row
            if len(self.cache) > DEDUP_CACHE_SIZE:
                self.cache.popitem(last=False)
        unique = list(dict.fromkeys(pending.keys))
        missing = [k for k in unique if k not in local and k not in self.cache]
        if missing:  # evicted before this chunk came back: score them here
            local.update(zip(missing, _score_unique(missing, self.model).itertuples(index=False, name=None)))
        rows = [local[k] if k in local else self.cache[k] for k in unique]
        table = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS)).astype(SUMMARY_DTYPES)
        position = {k: i for i, k in enumerate(unique)}
        return table.take([position[k] for k in pending.keys]).reset_index(drop=True)

    def close(self, abort: bool = False) -> None:
        """Shut the workers down and wait for them; ``abort`` stops them mid-task first."""
        if self.pool is None:
            return
        if abort:
            for process in list((getattr(self.pool, "_processes", None) or {}).values()):
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None


# ------------------------------------------------------------------------------ one run
class _Run:
    """One streaming run: chunks in, scored chunks out in order, at most a few in flight."""

    def __init__(self, opts: BatchOptions, scorer: _Scorer, sink: TableWriter, bar: Any) -> None:
        self.opts, self.scorer, self.sink, self.bar = opts, scorer, sink, bar
        self.pending: deque[tuple[Chunk, _Pending]] = deque()
        self.rows = self.failures = self.undecodable = 0
        self.saw_header = False
        self.claims: list[pd.DataFrame] = []

    def add(self, chunk: Chunk) -> None:
        """Check the columns of a chunk, submit it, and write the chunks that must be done by now."""
        opts = self.opts
        _check_columns([str(c) for c in chunk.frame.columns], opts.text_col, opts.id_col)
        if not self.saw_header:
            summary_names(chunk.frame.columns)  # warns once if an input column has one of our names
        self.saw_header = True
        frame = chunk.frame
        texts = [None if e else t for t, e in zip(frame[opts.text_col].tolist(), chunk.errors)]
        columns = (texts, _values(frame, opts.source_col), _values(frame, opts.date_col))
        keys = _keys(columns, (opts.text_col, opts.source_col, opts.date_col), chunk.errors)
        self.pending.append((chunk, self.scorer.submit(keys)))
        while len(self.pending) > CHUNKS_AHEAD_PER_JOB * self.scorer.jobs:
            self._finish(*self.pending.popleft())

    def drain(self) -> None:
        """Write every chunk still in flight."""
        while self.pending:
            self._finish(*self.pending.popleft())

    def _finish(self, chunk: Chunk, handle: _Pending) -> None:
        opts = self.opts
        scored = _with_read_errors(self.scorer.collect(handle), chunk.errors)
        bad = np.flatnonzero(scored["error"].notna().to_numpy())
        if opts.strict and len(bad):
            error = scored["error"][bad[0]]
            hint = f" ({ENCODING_HINT})" if error == UNDECODABLE else ""
            raise BatchError(f"row {self.rows + bad[0] + 1} (data row, after the header): {error}{hint}")
        self.undecodable += sum(e == UNDECODABLE for e in chunk.errors)
        out = _joined(chunk.frame, scored, opts.id_col)
        self.sink.write(out)
        if opts.claims_path:
            keep = chunk.frame[[c for c in CLAIM_COLUMNS if c in chunk.frame.columns]].reset_index(drop=True)
            self.claims.append(pd.concat([keep, scored[list(CLAIM_SCORES)]], axis=1))
        self.rows += len(out)
        self.failures += len(bad)
        if self.bar is not None:
            self.bar.update(len(out))
        if opts.on_progress is not None:
            opts.on_progress(self.rows)


def _with_read_errors(scored: pd.DataFrame, read_errors: list[str | None]) -> pd.DataFrame:
    """A row that could not be read has that error (before any scoring error) and no likelihood."""
    errors = [r or (s if isinstance(s, str) else None) for r, s in zip(read_errors, scored["error"].tolist())]
    scored["error"] = pd.Series(errors, dtype=object)
    scored.loc[[e is not None and not e.startswith("too long") for e in errors], "likelihood"] = np.nan
    return scored


def _joined(frame: pd.DataFrame, scored: pd.DataFrame, id_col: str | None) -> pd.DataFrame:
    """The input rows (``id_col`` first) followed by the summary columns, never over an input column."""
    out = frame.reset_index(drop=True)
    if id_col:
        out = out[[id_col] + [c for c in out.columns if c != id_col]]
    names = summary_names(out.columns, warn=False)
    for column in SUMMARY_COLUMNS:
        out[names[column]] = scored[column].to_numpy() if column == "likelihood" else scored[column].array
    return out


def _values(frame: pd.DataFrame, name: str) -> list[Any]:
    return frame[name].tolist() if name in frame.columns else [None] * len(frame)


def _check_columns(columns: list[str], text_col: str, id_col: str | None) -> None:
    duplicates = sorted(name for name, n in Counter(columns).items() if n > 1)
    if duplicates:
        raise BatchError(f"duplicate column names in the header: {duplicates}; rename them")
    if text_col not in columns:
        close = difflib.get_close_matches(text_col, columns, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r} (--text-col {close[0]})?" if close else ""
        raise BatchError(f"text column {text_col!r} not found; columns found: {columns}{hint}")
    if id_col and id_col not in columns:
        raise BatchError(f"id column {id_col!r} not found; columns found: {columns}")


# ------------------------------------------------------------------------------ progress, signals
@contextmanager
def _progress(quiet: bool, path: str) -> Iterator[Any]:
    """A tqdm bar (rows/s, ETA) on a terminal; None when quiet, not a TTY, or tqdm is missing."""
    bar = None
    if not quiet and sys.stderr.isatty():
        try:
            from tqdm import tqdm
        except ImportError:
            tqdm = None
        if tqdm is not None:
            bar = tqdm(total=_estimate_rows(path), unit=" rows", desc=Path(path).name if path != "-" else "stdin",
                       file=sys.stderr, dynamic_ncols=True)  # fmt: skip
    try:
        yield bar
    finally:
        if bar is not None:
            bar.close()


def _estimate_rows(path: str) -> int | None:
    """Rows in a file, for the ETA: exact for Parquet, from the first 64 kB for text files."""
    if path == "-":
        return None
    try:
        fmt = table_format(path)
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
        lines = head.count(b"\n")
        if not lines:
            return None
        return max(1, round(os.path.getsize(path) * lines / len(head)) - (fmt == "csv"))
    except (OSError, ImportError, ValueError):
        return None


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextmanager
def _sigterm_interrupts() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt for the block (main thread only), so outputs are cleaned up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# ------------------------------------------------------------------------------ entry points
def _options(options: BatchOptions | None, overrides: dict[str, Any]) -> BatchOptions:
    known = {f.name for f in fields(BatchOptions)}
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise TypeError(f"score_file() got unexpected keyword argument(s) {unknown}; options are {sorted(known)}")
    return replace(options or BatchOptions(), **overrides)


def _stream(input_path: str, output_path: str, opts: BatchOptions, model: RumourModel) -> _Run:
    """Read, score and write every chunk; the output is committed only if all went well."""
    scorer = _Scorer(model, opts.jobs or os.cpu_count() or 1)
    try:
        with _progress(opts.quiet, input_path) as bar, open_output(output_path, escape=opts.escape_formulas) as sink:
            run = _Run(opts, scorer, sink, bar)
            for chunk in read_table(input_path, encoding=opts.encoding, chunk_rows=opts.chunk_rows):
                run.add(chunk)
            run.drain()
            if not run.saw_header:
                raise BatchError(f"{input_path} is empty: no header row")
    except BaseException:
        scorer.close(abort=True)
        raise
    scorer.close()
    return run


def score_file(input_path: str, output_path: str, options: BatchOptions | None = None, **overrides: Any
               ) -> BatchSummary:  # fmt: skip
    """Score a CSV / Parquet / JSON Lines file (or ``-``) into another, streaming.

    Parameters
    ----------
    input_path, output_path : str
        Paths or ``-`` (stdin / stdout). The output format follows the output extension
        (``.csv``, ``.parquet``, ``.jsonl``; stdout writes CSV).
    options : BatchOptions, optional
        How to run; defaults to ``BatchOptions()``.
    **overrides
        Any :class:`BatchOptions` field (``text_col="body"``, ``jobs=1``, ...), applied on
        top of ``options``.

    Returns
    -------
    BatchSummary

    Raises
    ------
    BatchError
        For a missing input, a missing text column, a bad output path, or a bad row under
        ``strict``. Nothing is written then.
    """
    opts = _options(options, overrides)
    started = time.perf_counter()
    model = opts.model or load_model()
    check_input(input_path)
    check_encoding(opts.encoding)
    check_output(output_path, (input_path,))
    table_format(output_path, output=True)
    if opts.claims_path:
        check_output(opts.claims_path, (input_path, output_path))
    with _sigterm_interrupts():
        run = _stream(input_path, output_path, opts, model)
    if opts.claims_path:
        write_table(aggregate(pd.concat(run.claims, ignore_index=True) if run.claims else pd.DataFrame()),
                    opts.claims_path, "csv", escape=opts.escape_formulas)  # fmt: skip
    summary = BatchSummary(run.rows, run.failures, time.perf_counter() - started, output_path)
    if not opts.quiet:
        print(summary, file=sys.stderr)
        if run.undecodable:
            print(f"rumourscore: note: {run.undecodable} rows had undecodable bytes: {ENCODING_HINT}", file=sys.stderr)
    return summary


def score_csv(input_path: str, output_path: str, options: BatchOptions | None = None, **overrides: Any
              ) -> BatchSummary:  # fmt: skip
    """Score a CSV file into another CSV (or .parquet / .jsonl by the output extension).

    Same arguments as :func:`score_file`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "in.csv").write_text("text\\nHere we go! Medical booked\\n\\n")
    >>> summary = score_csv(str(folder / "in.csv"), str(folder / "out.csv"), quiet=True, jobs=1)
    >>> summary.rows, summary.failures  # the blank line is a row with an empty text
    (2, 1)
    """
    return score_file(input_path, output_path, options, **overrides)
