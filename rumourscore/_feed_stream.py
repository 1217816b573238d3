"""``rumourscore score FEED --feed``: a feed of any size scored claim by claim, as of each row's date.

The input (CSV, Parquet, JSON Lines; it need not be sorted) is read once, in chunks, and
scored as batch scoring does (:mod:`rumourscore._batch`: worker processes, de-duplication,
bad rows kept with an ``error``). Each text is tagged once: the workers return, with the
summary columns, a few values per row for pooling (:func:`rumourscore._feed_rows.row_states`).
The main process keeps those as compact arrays (numbers and name ids, never the texts) and
writes the scored rows to a temporary file next to the output. When the input is read, the
as-of claim columns are computed from the arrays (:func:`rumourscore._feed_walk.as_of`, the
code :func:`rumourscore.score_feed` runs; with more than one job, half the claims are walked in
a fork of this process: :mod:`rumourscore._feed_split`) and the temporary file is streamed again into the
output, with the claim columns appended, through the same atomic writer (formula escaping,
formats) as batch scoring.
"""

from __future__ import annotations

import io
import os
import pickle
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from ._api import model_or_default, score_columns, summary_names
from ._batch import (
    BatchOptions,
    BatchRun,
    Scorer,
    closing_workers,
    feed_chunks,
    finish_run,
    progress,
)
from ._feed import FEED_COLUMNS, FEED_RULE, claim_columns, feed_center
from ._feed_rows import STATE_COLUMNS, FeedBuilder, row_states
from ._feed_split import as_of_split
from ._feed_walk import FeedArrays
from ._io import PART_SUFFIX
from ._model import RumourModel
from ._readers import Chunk
from ._rows import DedupCache, Key, for_output, paused_gc, sigterm_interrupts
from ._tables import (
    BatchSummary,
    TableWriter,
    check_paths,
    escape_formula,
    open_output,
    table_format,
    try_lock,
)
from ._workers import scored_columns, worker_state

__all__ = ["score_feed_file"]

# ------------------------------------------------------------------------------ in the workers
#: Lines a worker process keeps the feed values of across its blocks (a feed repeats its lines
#: on many days; each line is worked out about once per worker). The cache switches itself off,
#: as the batch cache does, when a feed's lines prove distinct.
LINE_CACHE_SIZE = 1 << 14
_LINE_STATES = DedupCache(LINE_CACHE_SIZE)  # a worker process's own (the parent scores without it)


def _score_feed_unique(items: list[Key], model: RumourModel | None = None, settings: dict[str, Any] | None = None
                       ) -> pd.DataFrame:  # fmt: skip
    """Summary columns and pooling values of each (text, source, date, subject, to_club); one tagging pass.

    A line's own score does not depend on the names: rows that differ only in them (one
    gossip line, two claims) are scored once.
    """
    in_worker = model is None
    model, settings = worker_state(model, settings)
    texts, src, dates, subjects, clubs = [list(c) for c in zip(*items)] if items else [[] for _ in range(5)]
    line_of: dict[Key, int] = {}
    lines = [line_of.setdefault(item[:3], len(line_of)) for item in items]
    first = list(line_of)
    with paused_gc():  # (the reports die inside: a collection on leaving would walk every tag they hold)
        likelihood, summary, reports = score_columns([k[0] for k in first], [k[1] for k in first],
                                                     [k[2] for k in first], model, base_rate=settings.get("base_rate"),
                                                     monthfirst=bool(settings.get("monthfirst")),
                                                     explain=bool(settings.get("explain")))  # fmt: skip
        if len(first) < len(items):
            likelihood = likelihood[lines]
            summary = {c: [values[k] for k in lines] for c, values in summary.items()}
            reports = {i: reports[k] for i, k in enumerate(lines) if k in reports}
        states = row_states(texts, src, dates, subjects, clubs, reports, monthfirst=bool(settings.get("monthfirst")),
                            cache=_LINE_STATES if in_worker else None)  # fmt: skip
        del reports
    columns = scored_columns(settings)
    out = pd.DataFrame({"likelihood": likelihood, **{c: pd.Series(summary[c], dtype=object) for c in columns[1:]}})
    return pd.concat([out, states.frame()], axis=1)


# ------------------------------------------------------------------------------ the first pass
class _SpoolWriter:
    """Scored chunks pickled one after another to a temporary file (written and read by this run only)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle

    def write(self, frame: pd.DataFrame) -> None:
        pickle.dump(frame, self.handle, protocol=pickle.HIGHEST_PROTOCOL)


class _CsvSpool:
    """For a CSV output: each chunk's cells formatted in the first pass, while the workers score.

    Formatting is the :class:`~rumourscore._tables.TableWriter`'s own (quoting, formula
    escaping, numbers); the second pass only formats the claim columns and appends them.
    """

    def __init__(self, handle: IO[bytes], escape: bool, delimiter: str) -> None:
        self.handle = handle
        self.formatter = TableWriter(io.BytesIO(), "csv", escape=escape, delimiter=delimiter)

    def write(self, frame: pd.DataFrame) -> None:
        frame = self.formatter.aligned(frame)
        pickle.dump(_csv_rows(self.formatter, frame), self.handle, protocol=pickle.HIGHEST_PROTOCOL)


def _csv_rows(writer: TableWriter, frame: pd.DataFrame, repeated: bool = False) -> list[str]:
    """The CSV text of each row of ``frame`` (no line end), as ``writer`` writes it.

    ``repeated``: the columns repeat a few values (the claim columns), so each distinct value
    is formatted once and the cells are gathered.
    """
    columns = [frame.iloc[:, i] for i in range(frame.shape[1])]
    cells = [_repeated_cells(writer, c) if repeated else writer.cells(c) for c in columns]
    return [writer.delimiter.join(row) for row in zip(*cells)]


def _repeated_cells(writer: TableWriter, column: pd.Series) -> list[str]:
    """:meth:`TableWriter.cells` of a column, formatting each distinct value once."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    table = np.asarray([*writer.cells(pd.Series(uniques, dtype=column.dtype)), ""], dtype=object)  # -1: missing
    return table[codes].tolist()


def _spooled(handle: IO[bytes]) -> Iterator[Any]:
    handle.seek(0)
    while True:
        try:
            yield pickle.load(handle)  # our own temporary file, written by this run
        except EOFError:
            return


@contextmanager
def _spool(output_path: str) -> Iterator[IO[bytes]]:
    """A temporary file next to the output (the system's temporary folder for stdout), removed at the end."""
    folder = Path(output_path).resolve().parent if output_path != "-" else None
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{Path(output_path).name}.feed.", suffix=PART_SUFFIX)
    try:
        with os.fdopen(fd, "w+b") as handle:
            try_lock(handle)  # held while it lives: another run's clean-up of stale parts leaves it alone
            yield handle
    finally:
        Path(name).unlink(missing_ok=True)


class _FeedRun(BatchRun):
    """A batch run that keys rows by their claim columns too and keeps each row's pooling values."""

    def __init__(self, opts: BatchOptions, scorer: Scorer, sink: Any, bar: Any, names: tuple[str, str],
                 texts: IO[bytes]) -> None:  # fmt: skip
        super().__init__(opts, scorer, sink, bar)
        self.names = names
        self.builder = FeedBuilder(texts)  # the masked texts go to a file: a few numbers per row stay

    def extra_columns(self) -> list[str]:
        """The batch run's, then the claim columns."""
        return [*super().extra_columns(), *FEED_COLUMNS[1:]]

    def keys(self, frame: pd.DataFrame, errors: list[str | None], names: tuple[str, ...] = ()) -> list[Key]:
        """Text, source, date, subject and destination of each row."""
        return super().keys(frame, errors, self.names)

    def absorb(self, chunk: Chunk, scored: pd.DataFrame) -> pd.DataFrame:
        """Keep the pooling values of the chunk's rows; the rest is written."""
        self.builder.add(scored["likelihood"].to_numpy(dtype=np.float64), scored[list(STATE_COLUMNS)])
        return scored.drop(columns=list(STATE_COLUMNS))


def _first_pass(input_path: str, output_path: str, opts: BatchOptions, model: RumourModel, spool: IO[bytes],
                names: tuple[str, str], texts: IO[bytes]) -> _FeedRun:  # fmt: skip
    """Read, score and spool every chunk; the rows' pooling values stay in memory as arrays, their masked
    texts go to ``texts``."""
    settings = {"base_rate": opts.base_rate, "monthfirst": opts.monthfirst, "explain": opts.explain}
    scorer = Scorer(model, opts.jobs or os.cpu_count() or 1, settings, _score_feed_unique, STATE_COLUMNS)
    sink: Any = _SpoolWriter(spool)
    if output_path == "-" or table_format(output_path, output=True) == "csv":
        sink = _CsvSpool(spool, opts.escape_formulas, "\t" if output_path.lower().endswith(".tsv") else ",")
    with closing_workers(scorer), progress(opts.quiet, input_path) as bar:
        run = _FeedRun(opts, scorer, sink, bar, names, texts)
        feed_chunks(run, input_path)
    scorer.cache.clear()  # the rows' values are in the arrays now
    spool.flush()
    return run


# ------------------------------------------------------------------------------ the second pass
def _claim_frame(arrays: FeedArrays, claim: dict[str, np.ndarray], start: int, n: int, taken: list[str]
                 ) -> pd.DataFrame:  # fmt: skip
    """The claim columns of rows ``start`` to ``start + n``, named apart from the input's columns ``taken``."""
    block = claim_columns(arrays, claim, slice(start, start + n), iso_dates=True)  # JSON: not epoch ms
    names = summary_names(taken, warn=False, ours=(), extra=FEED_COLUMNS[1:])  # (the run warned about them)
    frame = pd.DataFrame({names[c]: block[c].to_numpy() if c == "claim_likelihood" else block[c].array
                          for c in FEED_COLUMNS[1:]})  # fmt: skip
    return for_output(frame, {"claim_likelihood": names["claim_likelihood"]})  # written to six decimals


def _second_pass(run: _FeedRun, spool: IO[bytes], output_path: str, opts: BatchOptions, center: float) -> None:
    """Compute the claim columns from the arrays and write every spooled row with them, in input order."""
    arrays = run.builder.arrays(center)
    claim = as_of_split(arrays, FEED_RULE, processes=run.scorer.jobs)
    start = 0
    with open_output(output_path, escape=opts.escape_formulas) as sink:
        formatter = run.sink.formatter if isinstance(run.sink, _CsvSpool) else None
        for item in _spooled(spool):
            if formatter is None:  # Parquet, JSON Lines: whole frames
                block = _claim_frame(arrays, claim, start, len(item), [str(c) for c in item.columns])
                sink.write(pd.concat([item, block], axis=1))
                start += len(item)
                continue
            block = _claim_frame(arrays, claim, start, len(item), [str(c) for c in formatter.columns or []])
            if not sink.header_written:
                names = [str(c) for c in [*(formatter.columns or []), *block.columns]]
                names = [escape_formula(n) for n in names] if sink.escape else names
                sink.handle.write((sink.delimiter.join(sink.quoted(n) for n in names) + "\n").encode("utf-8"))
                sink.header_written = True
            claims = _csv_rows(sink, block, repeated=True)
            sink.handle.write("".join(f"{row}{sink.delimiter}{more}\n" for row, more in zip(item, claims)).encode())
            start += len(item)
    if start != arrays.n:  # pragma: no cover - a broken invariant, never a user error
        raise RuntimeError(f"feed: {start} rows written for {arrays.n} scored")


def score_feed_file(input_path: str | os.PathLike[str], output_path: str | os.PathLike[str],
                    options: BatchOptions | None = None, *,
                    subject_col: str = "subject", to_club_col: str = "to_club", **overrides: Any
                    ) -> BatchSummary:  # fmt: skip
    """Score a feed file (CSV / Parquet / JSON Lines, or ``-``) line by line and claim by claim, as of each date.

    The output holds every input row, in input order, with the columns of batch scoring
    (:func:`rumourscore._batch.score_file`) and then those :func:`rumourscore.score_feed`
    adds (``claim_subject`` ... ``claim_note``; the ``likelihood`` is the batch one). The
    claim columns equal ``score_feed`` on the same rows (blank lines are skipped by both).

    Parameters
    ----------
    input_path, output_path : str or path-like
        Paths or ``-`` (stdin / stdout); the output format follows its extension.
    options : BatchOptions, optional
        How to run (as :func:`rumourscore._batch.score_file`); ``**overrides`` replace its fields.
    subject_col, to_club_col : str
        Columns holding each row's subject and destination club; where missing or empty,
        the claim extractor finds them in the text.

    Returns
    -------
    BatchSummary

    Raises
    ------
    BatchError
        As :func:`rumourscore._batch.score_file`.
    """
    opts = replace(options or BatchOptions(), **overrides)
    input_path, output_path = os.fspath(input_path), os.fspath(output_path)
    started = time.perf_counter()
    model = model_or_default(opts.model)
    check_paths(input_path, output_path, opts.encoding, opts.claims_path)
    with sigterm_interrupts(), _spool(output_path) as spool, _spool(output_path) as texts:
        run = _first_pass(input_path, output_path, opts, model, spool, (subject_col, to_club_col), texts)
        _second_pass(run, spool, output_path, opts, feed_center(model, opts.base_rate))
    return finish_run(run, opts, output_path, started)
