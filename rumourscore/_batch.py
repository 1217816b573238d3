"""Batch scoring of files of any size on this machine: streaming, de-duplication, processes.

Rows stream through in chunks (memory stays flat), are scored in worker processes, and come out
in input order with every input column kept. Identical (text, source, date) triples are scored
once. Bad rows get a NaN likelihood and an ``error``; they never stop the run. Reading and writing
the tables (and the atomic commit of the output) is :mod:`rumourscore._tables`' job.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ._api import SUMMARY_COLUMNS, SUMMARY_DTYPES, WHY_COLUMN, model_or_default, summary_names
from ._model import DEFAULT_BASE_RATE, RumourModel
from ._pool import aggregate
from ._readers import UNDECODABLE, Chunk, estimate_rows, read_table
from ._rows import DedupCache, Key, blank_rows, check_columns, for_output, row_keys, sigterm_interrupts
from ._tables import BatchError, BatchSummary, TableWriter, check_paths, open_output, write_table
from ._workers import init_worker, scored_columns, stop_workers
from ._workers import score_unique as _score_unique  # (a name tests replace)

__all__ = ["BatchError", "BatchOptions", "BatchSummary", "score_csv", "score_file"]

#: The library reports through this logger (the command line shows it on stderr).
LOG = logging.getLogger("rumourscore")
#: Failed rows named (number and error) in the summary.
FAILURES_SHOWN = 3

#: Rows per chunk handed to a worker: big enough to amortise process hand-off, small enough to keep memory flat.
CHUNK_ROWS = 20_000
#: Chunks in flight per worker (bounds memory while keeping every core busy).
CHUNKS_AHEAD_PER_JOB = 2
#: Fewest distinct rows worth a worker process of their own.
MIN_ROWS_PER_TASK = 500
#: What to do about undecodable bytes.
ENCODING_HINT = "the file is not in the encoding given; pass --encoding, e.g. latin-1 or cp1252"
#: The error when a worker process is killed under a run.
WORKER_DIED = "a worker process died (killed, or out of memory?): try fewer --jobs"
#: Input columns copied into the ``--claims`` aggregation, when present.
CLAIM_COLUMNS = ("subject", "to_club", "from_club", "date", "source", "text")
#: Scores copied into the ``--claims`` aggregation.
CLAIM_SCORES = ("likelihood", "max_stage", "denials", "best_source", "source_tier")


@dataclass
class BatchOptions:
    """How :func:`score_file` runs: one field per keyword option of :func:`score_csv` (documented there)."""

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
    base_rate: float | None = DEFAULT_BASE_RATE
    monthfirst: bool = False
    explain: bool = False

    def __post_init__(self) -> None:  # (runs on dataclasses.replace too)
        for name, least in (("jobs", 0), ("chunk_rows", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise ValueError(f"{name} must be a whole number >= {least}, got {value!r}")
        self.claims_path = None if self.claims_path is None else os.fspath(self.claims_path)


# ------------------------------------------------------------------------------ scoring
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


class Scorer:
    """Scores chunks in order, in worker processes, with a cross-chunk de-duplication cache."""

    def __init__(self, model: RumourModel, jobs: int, settings: dict[str, Any] | None = None,
                 score: Callable | None = None, extra: dict | None = None) -> None:  # fmt: skip
        self.model = model
        self.jobs = jobs
        self.settings = settings or {}
        self.score = score or _score_unique  # a module-level function (it runs in the workers)
        self.columns = scored_columns(self.settings) + list(extra or {})
        self.dtypes = {**{c: SUMMARY_DTYPES[c] for c in scored_columns(self.settings)[1:]}, **(extra or {})}
        self.cache = DedupCache()
        self.inflight: dict[Key, None] = {}
        self.pool = None
        if jobs > 1:
            args = (model, self.settings, os.getpid())
            self.pool = ProcessPoolExecutor(jobs, initializer=init_worker, initargs=args)

    def submit(self, keys: list[Key]) -> _Pending:
        """Start scoring the keys of one chunk not already cached or on their way."""
        unique = dict.fromkeys(keys)
        todo = [k for k in unique if k not in self.cache and k not in self.inflight]
        self.cache.probe(len(keys), len(unique) - len(todo))
        self.inflight.update(dict.fromkeys(todo))
        if self.pool is None or not todo:
            return _Pending(keys, todo, [], self.score(todo, self.model, self.settings) if todo else None)
        pieces = np.array_split(np.arange(len(todo)), min(self.jobs, max(1, len(todo) // MIN_ROWS_PER_TASK)))
        try:
            futures = [self.pool.submit(self.score, [todo[i] for i in piece]) for piece in pieces if len(piece)]
        except BrokenProcessPool:
            raise BatchError(WORKER_DIED) from None
        return _Pending(keys, todo, futures)

    def collect(self, pending: _Pending) -> pd.DataFrame:
        """The summary columns of a submitted chunk, one row per key (chunks collected in order).

        The rows scored for the chunk stay one frame; the few rows found in the cache (or scored
        for an earlier chunk) are appended to it, and the chunk's rows are gathered by position.
        """
        result, todo, keys = pending.result(), pending.todo, pending.keys
        for key in todo:
            self.inflight.pop(key, None)
        if result is not None:
            result = result.set_axis(self.columns, axis=1)
            if self.cache.on:
                for key, row in zip(todo, result.itertuples(index=False, name=None)):
                    self.cache.store(key, row)
            if len(todo) == len(keys):  # every key new and distinct
                return result.astype(self.dtypes).reset_index(drop=True)
        where = {key: i for i, key in enumerate(todo)}
        others = [key for key in dict.fromkeys(keys) if key not in where]  # cached, or scored for an earlier chunk
        found = {key: self.cache[key] for key in others if key in self.cache}
        missing = [key for key in others if key not in found]  # evicted before this chunk came back
        parts = [] if result is None else [result]
        if found or not parts:  # (no type guessed from the few rows: each column takes its own)
            rows = pd.DataFrame(list(found.values()), columns=self.columns, dtype=object)
            parts.append(rows.astype({self.columns[0]: np.float64, **self.dtypes}))
        if missing:
            parts.append(self.score(missing, self.model, self.settings).set_axis(self.columns, axis=1))
        where.update((key, len(todo) + j) for j, key in enumerate([*found, *missing]))
        table = (parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)).astype(self.dtypes)
        return table.take([where[key] for key in keys]).reset_index(drop=True)

    def close(self, abort: bool = False) -> None:
        """Shut the workers down and wait for them; ``abort`` stops them mid-task first."""
        if self.pool is None:
            return
        if abort:
            stop_workers(self.pool)
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None


# ------------------------------------------------------------------------------ one run
class BatchRun:
    """One streaming run: chunks in, scored chunks out in order, at most a few in flight."""

    def __init__(self, opts: BatchOptions, scorer: Scorer, sink: TableWriter, bar: Any) -> None:
        self.opts, self.scorer, self.sink, self.bar = opts, scorer, sink, bar
        self.pending: deque[tuple[Chunk, _Pending, np.ndarray]] = deque()
        self.rows = self.failures = self.skipped = self.seen = self.undecodable = 0
        self.failed: list[tuple[int, str]] = []
        self.saw_header = False
        self.claims: list[pd.DataFrame] = []
        self.model_name = scorer.model.name

    def add(self, chunk: Chunk) -> None:
        """Check the columns of a chunk, drop its blank rows, submit it, and write the chunks due by now."""
        opts = self.opts
        check_columns([str(c) for c in chunk.frame.columns], opts.text_col, opts.id_col)
        if not self.saw_header:  # warns once if an input column has one of our names
            summary_names(chunk.frame.columns, extra=self.extra_columns())
        self.saw_header = True
        blank = blank_rows(chunk.frame, chunk.errors)
        numbers = self.seen + 1 + np.flatnonzero(~blank)  # data row numbers (after the header) of the rows kept
        self.seen += len(blank)
        if blank.any():
            self.skipped += int(blank.sum())
            kept = [e for e, b in zip(chunk.errors, blank) if not b]
            chunk = Chunk(chunk.frame[~blank].reset_index(drop=True), kept)
        keys = self.keys(chunk.frame, chunk.errors)
        self.pending.append((chunk, self.scorer.submit(keys), numbers))
        while len(self.pending) > CHUNKS_AHEAD_PER_JOB * self.scorer.jobs:
            self._finish(*self.pending.popleft())

    def extra_columns(self) -> list[str]:
        """The columns of ours written after the summary ones (named apart from the input's by the same rule)."""
        return ["model"] + ([WHY_COLUMN] if self.opts.explain else [])

    def keys(self, frame: pd.DataFrame, errors: list[str | None], names: tuple[str, ...] = ()) -> list[Key]:
        """The de-duplication key of each row: its text, source and date, then the cells of ``names``."""
        cols = (self.opts.text_col, self.opts.source_col, self.opts.date_col, *names)
        texts = [None if e else t for t, e in zip(frame[cols[0]].tolist(), errors)]
        return row_keys((texts, *(_values(frame, name) for name in cols[1:])), cols, errors)

    def absorb(self, chunk: Chunk, scored: pd.DataFrame) -> pd.DataFrame:
        """The scored columns of a chunk to write (a subclass may take some for itself)."""
        return scored

    def drain(self) -> None:
        """Write every chunk still in flight."""
        while self.pending:
            self._finish(*self.pending.popleft())

    def _finish(self, chunk: Chunk, handle: _Pending, numbers: np.ndarray) -> None:
        opts = self.opts
        scored = _with_read_errors(self.absorb(chunk, self.scorer.collect(handle)), chunk.errors)
        bad = np.flatnonzero(scored["error"].notna().to_numpy())
        if opts.strict and len(bad):
            error = scored["error"][bad[0]]
            hint = f" ({ENCODING_HINT})" if error == UNDECODABLE else ""
            raise BatchError(f"row {numbers[bad[0]]} (data row, after the header): {error}{hint}")
        self.undecodable += sum(e == UNDECODABLE for e in chunk.errors)
        self.failed += [(int(numbers[i]), str(scored["error"][i])) for i in bad[: FAILURES_SHOWN - len(self.failed)]]
        out = _joined(chunk.frame, scored, opts.id_col, self.model_name)
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
    """A row that could not be read has that error (before any scoring error) and no likelihood.

    Scoring errors keep the likelihood score_frame gave: NaN for an empty text, a score for a
    text truncated or scored without its unreadable date.
    """
    errors = [r or (s if isinstance(s, str) else None) for r, s in zip(read_errors, scored["error"].tolist())]
    scored["error"] = pd.Series(errors, dtype=object)
    scored.loc[[r is not None for r in read_errors], "likelihood"] = np.nan
    return scored


def _joined(frame: pd.DataFrame, scored: pd.DataFrame, id_col: str | None, model_name: str) -> pd.DataFrame:
    """The input rows (``id_col`` first), the summary columns and the model's name, never over an input column."""
    out = frame.reset_index(drop=True)
    if id_col:
        out = out[[id_col] + [c for c in out.columns if c != id_col]]
    ours = [c for c in scored.columns if c not in SUMMARY_COLUMNS]
    names = summary_names(out.columns, warn=False, extra=[*ours, "model"])
    for column in scored.columns:
        out[names[column]] = scored[column].to_numpy() if column == "likelihood" else scored[column].array
    out[names["model"]] = model_name
    return for_output(out, names)


def _values(frame: pd.DataFrame, name: str) -> list[Any]:
    return frame[name].tolist() if name in frame.columns else [None] * len(frame)


@contextmanager
def progress(quiet: bool, path: str) -> Iterator[Any]:
    """A tqdm bar (rows/s, ETA) on a terminal; None when quiet, not a TTY, or tqdm is missing."""
    bar = None
    if not quiet and sys.stderr.isatty():
        try:
            from tqdm import tqdm
        except ImportError:
            tqdm = None
        if tqdm is not None:
            bar = tqdm(total=estimate_rows(path), unit=" rows", desc=Path(path).name if path != "-" else "stdin",
                       file=sys.stderr, dynamic_ncols=True)  # fmt: skip
    try:
        yield bar
    finally:
        if bar is not None:
            bar.close()
            stop_monitor(type(bar))


def stop_monitor(bar_class: Any) -> None:
    """Stop tqdm's monitor thread once no bar of ``bar_class`` is left open.

    The thread outlives the bars (tqdm 4.70 does not stop it with the last bar), and a process with another
    thread does not fork: a feed's walk would stay in one process after a progress bar.
    """
    monitor = getattr(bar_class, "monitor", None)
    if monitor is not None and not getattr(bar_class, "_instances", True):
        monitor.exit()  # (sets its stop event and joins it)
        bar_class.monitor = None


# ------------------------------------------------------------------------------ entry points
def _options(options: BatchOptions | None, overrides: dict[str, Any]) -> BatchOptions:
    known = {f.name for f in fields(BatchOptions)}
    if unknown := sorted(set(overrides) - known):
        raise TypeError(f"score_file() got unexpected keyword argument(s) {unknown}; options are {sorted(known)}")
    return replace(options or BatchOptions(), **overrides)


def _stream(input_path: str, output_path: str, opts: BatchOptions, model: RumourModel) -> BatchRun:
    """Read, score and write every chunk; the output is committed only if all went well."""
    settings = {"base_rate": opts.base_rate, "monthfirst": opts.monthfirst, "explain": opts.explain}
    scorer = Scorer(model, opts.jobs or os.cpu_count() or 1, settings)
    with closing_workers(scorer), progress(opts.quiet, input_path) as bar, \
            open_output(output_path, escape=opts.escape_formulas) as sink:  # fmt: skip
        run = BatchRun(opts, scorer, sink, bar)
        feed_chunks(run, input_path)
    return run


@contextmanager
def closing_workers(scorer: Scorer) -> Iterator[Scorer]:
    """Shut the scorer's workers down after the block; on any failure stop them mid-task first."""
    try:
        yield scorer
    except BaseException:
        scorer.close(abort=True)
        raise
    scorer.close()


def feed_chunks(run: BatchRun, input_path: str) -> None:
    """Hand every chunk of the input to ``run`` and wait for the last ones.

    Raises
    ------
    BatchError
        If the input has no header row.
    """
    opts = run.opts
    for chunk in read_table(input_path, encoding=opts.encoding, chunk_rows=opts.chunk_rows):
        run.add(chunk)
    run.drain()
    if not run.saw_header:
        raise BatchError(f"{input_path} is empty: no header row")


def finish_run(run: BatchRun, opts: BatchOptions, output_path: str, started: float) -> BatchSummary:
    """After a run: the ``--claims`` table, the summary, and its log lines."""
    if opts.claims_path:
        claims = aggregate(pd.concat(run.claims, ignore_index=True) if run.claims else pd.DataFrame())
        rounded = for_output(claims, {c: c for c in ("likelihood", "max_likelihood", "mean_likelihood")})
        write_table(rounded, opts.claims_path, escape=opts.escape_formulas)  # (the format of its extension)
    summary = BatchSummary(run.rows, run.failures, time.perf_counter() - started, output_path, run.skipped,
                           run.failed)  # fmt: skip
    if not opts.quiet:
        LOG.info("%s", summary)
        if run.undecodable:
            LOG.warning("%d rows had undecodable bytes: %s", run.undecodable, ENCODING_HINT)
    return summary


def score_file(input_path: str | os.PathLike[str], output_path: str | os.PathLike[str],
               options: BatchOptions | None = None, **overrides: Any) -> BatchSummary:  # fmt: skip
    """Score a CSV / Parquet / JSON Lines file (or ``-``) into another, streaming.

    Parameters
    ----------
    input_path, output_path : str or path-like
        Paths or ``-`` (stdin / stdout). The output format follows the output extension
        (``.csv``, ``.parquet``, ``.jsonl``; stdout writes CSV).
    options : BatchOptions, optional
        How to run; defaults to ``BatchOptions()``.
    **overrides
        Keyword options applied on top of ``options``, one per :class:`BatchOptions` field:
        ``text_col``, ``source_col``, ``date_col``, ``id_col``, ``model``, ``jobs``, ``encoding``,
        ``strict``, ``quiet``, ``claims_path``, ``chunk_rows``, ``escape_formulas``, ``on_progress``,
        ``base_rate``, ``monthfirst``, ``explain`` (each described under :func:`score_csv`).
        Any other keyword is a ``TypeError``.

    Returns
    -------
    BatchSummary
        Rows written, failures (the first few named), blank lines skipped, time. Unless
        ``quiet``, its line is logged (INFO) on the ``"rumourscore"`` logger.

    Raises
    ------
    BatchError
        For a missing input, a missing text column, a bad output path, or a bad row under
        ``strict``. Nothing is written then.
    MissingExtra
        An ``ImportError`` naming ``rumourscore[parquet]`` for Parquet without pyarrow.
    """
    opts, input_path, output_path = _options(options, overrides), os.fspath(input_path), os.fspath(output_path)
    started = time.perf_counter()
    model = model_or_default(opts.model)
    check_paths(input_path, output_path, opts.encoding, opts.claims_path)
    with sigterm_interrupts():
        run = _stream(input_path, output_path, opts, model)
    return finish_run(run, opts, output_path, started)


def score_csv(input_path: str | os.PathLike[str], output_path: str | os.PathLike[str],
              options: BatchOptions | None = None, **overrides: Any) -> BatchSummary:  # fmt: skip
    """Score a CSV file into another CSV (or .parquet / .jsonl by the output extension).

    The same function as :func:`score_file`; blank lines are skipped, bad rows kept with an ``error``.

    Parameters
    ----------
    input_path, output_path : str or path-like
        Paths or ``-`` (stdin / stdout).
    options : BatchOptions, optional
        How to run; the keywords below override its fields.
    text_col, source_col, date_col : str, default "text", "source", "date"
        Input columns; only ``text_col`` must exist.
    id_col : str, optional
        A column moved first in the output.
    model : RumourModel, optional
        Defaults to the shipped model; its name goes into the ``model`` column.
    jobs : int, default 0
        Worker processes; 0 means all cores (a negative number is a ``ValueError``).
    encoding : str, default "utf-8"
        Text encoding of the input.
    strict : bool, default False
        Raise :class:`BatchError` at the first bad row; nothing is written.
    quiet : bool, default False
        No progress bar and no summary line.
    claims_path : str, optional
        Also write one row per (subject, to_club) claim to this file, in the format of its extension
        (``.csv``, ``.tsv``, ``.parquet``, ``.jsonl``; ``-``: CSV to stdout, unless the output is there).
    chunk_rows : int, default CHUNK_ROWS
        Rows per chunk (at least 1).
    escape_formulas : bool, default True
        Prefix CSV cells a spreadsheet would run as formulas (``=``, ``+``, ``-``, ``@`` first; plain
        numbers are left alone) with ``'``. Parquet and JSON Lines cells are never changed.
    on_progress : callable, optional
        Called with the number of rows written after each chunk.
    base_rate : float or None, default 0.30
        The share of rumours that come true in the feed (see :func:`rumourscore.score`).
    monthfirst : bool, default False
        Read an ambiguous date such as ``05/06/2024`` as 6 May.
    explain : bool, default False
        Add a ``why`` column: the groups that moved each score most, in words.

    Returns
    -------
    BatchSummary

    Raises
    ------
    BatchError
        See :func:`score_file`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "in.csv").write_text("text,source\\nHere we go! Medical booked,Sky\\n\\n,Sun\\n")
    >>> summary = score_csv(str(folder / "in.csv"), str(folder / "out.csv"), quiet=True, jobs=1)
    >>> summary.rows, summary.failures, summary.skipped  # the blank line is skipped, not a row
    (2, 1, 1)
    >>> summary.failed
    [(3, 'empty text')]
    """
    return score_file(input_path, output_path, options, **overrides)
