"""Batch scoring of files of any size: streaming, several formats, processes, atomic writes.

Rows stream through in chunks (memory stays flat), are scored in worker processes, and
come out in input order with every input column kept. Identical (text, source, date)
triples are scored once. Bad rows get a NaN likelihood and an ``error``; they never stop
the run. The output goes to a temporary file in the destination folder and is renamed
into place only when everything succeeded, so an interrupted run leaves nothing behind.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import os
import re
import signal
import sys
import tempfile
import time
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from ._api import _SUMMARY_DTYPES, SUMMARY_COLUMNS, score_frame
from ._io import new_file_mode
from ._model import RumourModel

__all__ = ["BatchError", "BatchSummary", "escape_formula", "score_csv", "score_file"]

#: Rows per chunk handed to a worker: big enough to amortise process hand-off, small
#: enough to keep memory flat.
CHUNK_ROWS = 20_000
#: Most distinct (text, source, date) results remembered across chunks for de-duplication.
DEDUP_CACHE_SIZE = 200_000
#: Chunks in flight per worker (bounds memory while keeping every core busy).
CHUNKS_AHEAD_PER_JOB = 2
#: How many bytes are sniffed to guess a CSV delimiter.
SNIFF_BYTES = 64 * 1024
#: A CSV cell starting with one of these is a spreadsheet formula unless escaped.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_READ_FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet",
                 ".jsonl": "jsonl", ".ndjson": "jsonl"}  # fmt: skip


class BatchError(Exception):
    """A problem with the whole run (missing file or column, bad output path, --strict)."""


@dataclass
class BatchSummary:
    """What a batch run did."""

    rows: int
    failures: int
    seconds: float
    output: str

    def __str__(self) -> str:
        rate = self.rows / self.seconds if self.seconds > 0 else float("inf")
        return (f"scored {self.rows} rows ({self.failures} failures) in {self.seconds:.1f} s "
                f"({rate:,.0f} rows/s) -> {self.output}")  # fmt: skip


def escape_formula(value: Any) -> Any:
    """Prefix a cell that a spreadsheet would run as a formula with ``'``.

    Plain numbers ("-3", "-0.5") are left alone.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


# ------------------------------------------------------------------------------ reading
def _format_of(path: str, default: str = "csv") -> str:
    if path == "-":
        return default
    return _READ_FORMATS.get(Path(path).suffix.lower(), default)


def _open_binary(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise BatchError(f"input file not found: {path}") from None
    except OSError as exc:
        raise BatchError(f"cannot open {path}: {exc}") from None


def _sniff_delimiter(sample: str) -> str:
    first_lines = "\n".join(sample.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(first_lines, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _iter_csv(
    path: str, encoding: str, chunk_rows: int
) -> Iterator[tuple[list[str], list[list[str]], list[str | None]]]:
    """Yield (header, rows, row_errors) chunks; every physical record becomes one row."""
    raw = _open_binary(path)
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    text = io.TextIOWrapper(raw, encoding="utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8")
                            else encoding, errors="surrogateescape", newline="")  # fmt: skip
    try:
        sample = text.read(SNIFF_BYTES)
        if not sample:
            return
        reader = csv.reader(_chain(sample, text), delimiter=_sniff_delimiter(sample))
        try:
            header = next(reader)
        except StopIteration:
            return
        header = [_clean(h) or f"column_{i}" for i, h in enumerate(header)]
        width = len(header)
        rows: list[list[str]] = []
        errors: list[str | None] = []
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                rows.append([""] * width)
                errors.append(f"malformed row: {exc}")
                continue
            error = None
            if len(record) != width:
                error = f"malformed row: {len(record)} fields, header has {width}"
                record = (record + [""] * width)[:width]
            if _SURROGATE.search("".join(record)):  # undecodable bytes somewhere in the row
                record = [_clean(cell) for cell in record]
                error = error or "undecodable bytes"
            rows.append(record)
            errors.append(error)
            if len(rows) >= chunk_rows:
                yield header, rows, errors
                rows, errors = [], []
        yield header, rows, errors
    finally:
        if path != "-":
            raw.close()


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    yield from (
        io.StringIO(first + rest.readline()) if first and not first.endswith(("\n", "\r")) else io.StringIO(first)
    )
    yield from rest


#: Undecodable input bytes are kept as lone surrogates while reading (``surrogateescape``).
_SURROGATE = re.compile("[\udc80-\udcff]")


def _clean(cell: str) -> str:
    """Replace undecodable bytes (kept as surrogates while reading) by U+FFFD."""
    return cell.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _iter_frames(
    path: str, fmt: str, encoding: str, chunk_rows: int
) -> Iterator[tuple[pd.DataFrame, list[str | None]]]:
    if fmt == "csv":
        for header, rows, errors in _iter_csv(path, encoding, chunk_rows):
            yield pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header), errors
    elif fmt == "parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError as exc:  # pragma: no cover
            raise BatchError("Parquet needs pyarrow: pip install 'rumourscore[parquet]'") from exc
        source = sys.stdin.buffer if path == "-" else path
        if path != "-" and not Path(path).is_file():
            raise BatchError(f"input file not found: {path}")
        try:
            parquet = pq.ParquetFile(source)
        except Exception as exc:
            raise BatchError(f"cannot read Parquet {path}: {exc}") from None
        empty = True
        for batch in parquet.iter_batches(batch_size=chunk_rows):
            empty = False
            frame = batch.to_pandas()
            yield frame, [None] * len(frame)
        if empty:
            yield parquet.schema_arrow.empty_table().to_pandas(), []
    else:  # jsonl
        raw = _open_binary(path)
        try:
            records: list[dict[str, Any]] = []
            errors: list[str | None] = []
            for line in raw:
                if not line.strip():
                    continue
                try:
                    record = json.loads(line.decode("utf-8-sig"))
                    error = None if isinstance(record, dict) else "malformed JSON line: not an object"
                except UnicodeDecodeError:
                    record, error = json.loads(line.decode("utf-8", "replace")), "undecodable bytes"
                except json.JSONDecodeError as exc:
                    record, error = {}, f"malformed JSON line: {exc.msg}"
                records.append(record if isinstance(record, dict) else {})
                errors.append(error)
                if len(records) >= chunk_rows:
                    yield pd.DataFrame.from_records(records), errors
                    records, errors = [], []
            yield pd.DataFrame.from_records(records), errors
        finally:
            if path != "-":
                raw.close()


# ------------------------------------------------------------------------------ scoring
_WORKER_MODEL: RumourModel | None = None


def _init_worker(model: RumourModel) -> None:
    global _WORKER_MODEL
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _WORKER_MODEL = model


def _score_unique(items: list[tuple[Any, Any, Any]], model: RumourModel | None = None) -> pd.DataFrame:
    model = model or _WORKER_MODEL
    frame = pd.DataFrame(items, columns=["text", "source", "date"], dtype=object)
    return score_frame(frame, model=model)[list(SUMMARY_COLUMNS)]


def _key(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


class _Scorer:
    """Scores chunks in order, in worker processes, with a cross-chunk de-duplication cache."""

    def __init__(self, model: RumourModel, jobs: int) -> None:
        self.model = model
        self.jobs = jobs
        self.cache: OrderedDict[tuple, tuple] = OrderedDict()
        self.inflight: dict[tuple, None] = {}
        self.pool = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(model,)) if jobs > 1 else None

    def submit(self, texts: list[Any], srcs: list[Any], dates: list[Any]) -> Any:
        keys = [(_key(t), _key(s), _key(d)) for t, s, d in zip(texts, srcs, dates)]
        # skip what is cached or already on its way in an earlier chunk (chunks finish in order)
        todo = list(dict.fromkeys(k for k in keys if k not in self.cache and k not in self.inflight))
        self.inflight.update(dict.fromkeys(todo))
        if self.pool is None or not todo:
            result = _score_unique(todo, self.model) if todo else None
            return keys, todo, _Done(result)
        pieces = np.array_split(np.arange(len(todo)), min(self.jobs, max(1, len(todo) // 500)))
        futures = [self.pool.submit(_score_unique, [todo[i] for i in piece]) for piece in pieces if len(piece)]
        return keys, todo, _Gather(futures)

    def collect(self, pending: Any) -> pd.DataFrame:
        keys, todo, handle = pending
        result = handle.result()
        local = dict(zip(todo, result.itertuples(index=False, name=None))) if todo else {}
        for key, row in local.items():
            self.inflight.pop(key, None)
            self.cache[key] = row
            if len(self.cache) > DEDUP_CACHE_SIZE:
                self.cache.popitem(last=False)
        missing = [k for k in dict.fromkeys(keys) if k not in local and k not in self.cache]
        if missing:  # evicted before this chunk came back: score them here
            local.update(zip(missing, _score_unique(missing, self.model).itertuples(index=False, name=None)))
        rows = [local[k] if k in local else self.cache[k] for k in keys]
        return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS)).astype(_SUMMARY_DTYPES)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)


class _Done:
    def __init__(self, value: pd.DataFrame | None) -> None:
        self.value = value

    def result(self) -> pd.DataFrame | None:
        return self.value


class _Gather:
    def __init__(self, futures: list) -> None:
        self.futures = futures

    def result(self) -> pd.DataFrame:
        return pd.concat([f.result() for f in self.futures], ignore_index=True)


# ------------------------------------------------------------------------------ writing
class _Writer:
    """Streams chunks to a temporary file next to the destination; ``commit`` renames it."""

    def __init__(self, output: str, fmt: str) -> None:
        self.output, self.fmt = output, fmt
        self.tmp: str | None = None
        self.parquet_writer = None
        self.header_written = False
        if output == "-":
            self.handle: IO[Any] = sys.stdout.buffer
            return
        folder = Path(output).resolve().parent
        if not folder.is_dir():
            raise BatchError(f"output folder does not exist: {folder}")
        fd, self.tmp = tempfile.mkstemp(dir=folder, prefix=f".{Path(output).name}.", suffix=".part")
        self.handle = os.fdopen(fd, "wb")

    def write(self, frame: pd.DataFrame) -> None:
        if self.fmt == "csv":
            safe = frame.copy()
            safe.columns = [escape_formula(str(c)) for c in frame.columns]
            for i, column in enumerate(frame.columns):
                if frame[column].dtype == object:
                    safe.iloc[:, i] = escape_formulas(frame[column])
            self.handle.write(
                safe.to_csv(index=False, header=not self.header_written, lineterminator="\n").encode("utf-8")
            )
            self.header_written = True
        elif self.fmt == "jsonl":
            if len(frame):
                self.handle.write(frame.to_json(orient="records", lines=True, force_ascii=False).encode("utf-8"))
                self.handle.write(b"" if frame.empty else b"\n")
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(frame, preserve_index=False)
            if self.parquet_writer is None:
                fields = [pa.field(f.name, pa.string() if pa.types.is_null(f.type) else f.type) for f in table.schema]
                self.schema = pa.schema(fields, metadata=table.schema.metadata)
                self.parquet_writer = pq.ParquetWriter(self.handle, self.schema)
            self.parquet_writer.write_table(table.cast(self.schema))

    def commit(self) -> None:
        if self.parquet_writer is not None:
            self.parquet_writer.close()
        self.handle.flush()
        if self.tmp is not None:
            os.fsync(self.handle.fileno())
            self.handle.close()
            os.chmod(self.tmp, new_file_mode())  # mkstemp made it 0600
            os.replace(self.tmp, self.output)
            self.tmp = None

    def abort(self) -> None:
        if self.tmp is not None:
            try:
                self.handle.close()
            finally:
                Path(self.tmp).unlink(missing_ok=True)
                self.tmp = None


def escape_formulas(column: pd.Series) -> pd.Series:
    """:func:`escape_formula` over a column of cells, vectorised."""
    text = column.astype("string")
    risky = text.str.startswith(FORMULA_START).fillna(False) & ~text.str.fullmatch(_PLAIN_NUMBER.pattern).fillna(False)
    if not risky.any():
        return column
    out = column.copy()
    out[risky.to_numpy()] = "'" + text[risky]
    return out


# ------------------------------------------------------------------------------ driver
def _check_columns(columns: list[str], text_col: str, id_col: str | None) -> None:
    if text_col not in columns:
        close = difflib.get_close_matches(text_col, columns, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r} (--text-col {close[0]})?" if close else ""
        raise BatchError(f"text column {text_col!r} not found; columns found: {columns}{hint}")
    if id_col and id_col not in columns:
        raise BatchError(f"id column {id_col!r} not found; columns found: {columns}")


def _progress(quiet: bool, path: str) -> Any:
    """A tqdm bar (rows/s, ETA) on a terminal; None when quiet, not a TTY, or tqdm is missing."""
    if quiet or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=_estimate_rows(path), unit=" rows", desc=Path(path).name if path != "-" else "stdin",
                file=sys.stderr, dynamic_ncols=True)  # fmt: skip


def _estimate_rows(path: str) -> int | None:
    """Rows in a file, for the ETA: exact for Parquet, from the first 64 kB for text files."""
    if path == "-":
        return None
    try:
        if _format_of(path) == "parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
        lines = head.count(b"\n")
        if not lines:
            return None
        return max(1, round(os.path.getsize(path) * lines / len(head)) - (_format_of(path) == "csv"))
    except (OSError, ImportError, ValueError):
        return None


def score_file(input_path: str, output_path: str, *, text_col: str = "text", source_col: str = "source",
               date_col: str = "date", id_col: str | None = None, model: RumourModel | None = None,
               jobs: int = 0, encoding: str = "utf-8", strict: bool = False, quiet: bool = False,
               claims_path: str | None = None, engine: str = "local", scheduler: str | None = None,
               chunk_rows: int = CHUNK_ROWS) -> BatchSummary:  # fmt: skip
    """Score a CSV / Parquet / JSON Lines file (or ``-``) into another, streaming.

    Parameters
    ----------
    input_path, output_path : str
        Paths or ``-`` (stdin / stdout). The output format follows the output extension
        (``.csv``, ``.parquet``, ``.jsonl``; stdout writes CSV).
    jobs : int
        Worker processes; 0 means all cores.
    strict : bool
        Raise :class:`BatchError` naming the first bad row (nothing is written).

    Returns
    -------
    BatchSummary
    """
    from ._api import load_model

    if engine == "dask":
        from .dask import score_files

        return score_files(input_path, output_path, text_col=text_col, source_col=source_col, date_col=date_col,
                           model=model, scheduler=scheduler, quiet=quiet)  # fmt: skip
    started = time.perf_counter()
    model = model or load_model()
    in_fmt, out_fmt = _format_of(input_path), _format_of(output_path)
    if out_fmt == "csv" and output_path != "-" and Path(output_path).suffix.lower() not in (".csv", ".tsv", ".txt"):
        raise BatchError(f"unknown output format {Path(output_path).suffix!r}: use .csv, .parquet or .jsonl")
    if input_path != "-" and not Path(input_path).is_file():
        raise BatchError(f"input file not found: {input_path}")
    jobs = jobs or os.cpu_count() or 1
    writer = _Writer(output_path, out_fmt)
    scorer: _Scorer | None = None
    bar = _progress(quiet, input_path)
    rows = failures = 0
    claims_parts: list[pd.DataFrame] = []
    previous = signal.signal(signal.SIGTERM, _raise_interrupt) if _main_thread() else None
    try:
        pending: list[tuple[pd.DataFrame, list, Any]] = []
        saw_header = False
        for frame, read_errors in _iter_frames(input_path, in_fmt, encoding, chunk_rows):
            columns = [str(c) for c in frame.columns]
            _check_columns(columns, text_col, id_col)
            saw_header = True
            if scorer is None:
                scorer = _Scorer(model, jobs if jobs > 1 else 1)
            texts = frame[text_col].tolist()
            clean = [None if e else t for t, e in zip(texts, read_errors)]
            srcs = frame[source_col].tolist() if source_col in frame.columns else [None] * len(frame)
            dates = frame[date_col].tolist() if date_col in frame.columns else [None] * len(frame)
            pending.append((frame, read_errors, scorer.submit(clean, srcs, dates)))
            while len(pending) > CHUNKS_AHEAD_PER_JOB * jobs:
                rows, failures = _finish(pending.pop(0), scorer, writer, id_col, strict, rows, failures,
                                         claims_parts if claims_path else None, bar)  # fmt: skip
        while pending:
            rows, failures = _finish(pending.pop(0), scorer, writer, id_col, strict, rows, failures,
                                     claims_parts if claims_path else None, bar)  # fmt: skip
        if not saw_header:
            raise BatchError(f"{input_path} is empty: no header row")
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    finally:
        if scorer is not None:
            scorer.close()
        if bar is not None:
            bar.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if claims_path:
        _write_claims(claims_parts, claims_path)
    summary = BatchSummary(rows, failures, time.perf_counter() - started, output_path)
    if not quiet:
        print(summary, file=sys.stderr)
    return summary


def _finish(item: tuple, scorer: _Scorer, writer: _Writer, id_col: str | None, strict: bool, rows: int,
            failures: int, claims_parts: list | None, bar: Any) -> tuple[int, int]:  # fmt: skip
    frame, read_errors, handle = item
    scored = scorer.collect(handle)
    errors = [r or (s if isinstance(s, str) else None) for r, s in zip(read_errors, scored["error"].tolist())]
    scored["error"] = pd.Series(errors, dtype=object)
    scored.loc[[e is not None and not e.startswith("too long") for e in errors], "likelihood"] = np.nan
    bad = [i for i, e in enumerate(errors) if e is not None]
    if strict and bad:
        raise BatchError(f"row {rows + bad[0] + 1} (data row, after the header): {errors[bad[0]]}")
    out = frame.reset_index(drop=True)
    if id_col:
        out = out[[id_col] + [c for c in out.columns if c != id_col]]
    for column in SUMMARY_COLUMNS:
        name = column if column not in out.columns else f"rumourscore_{column}"
        out[name] = scored[column].to_numpy() if column == "likelihood" else scored[column].array
    writer.write(out)
    if claims_parts is not None:
        keep = [c for c in ("subject", "to_club", "from_club", "date", "source", "text") if c in out.columns]
        claims_parts.append(out[[*keep, "likelihood", "max_stage", "denials", "best_source", "source_tier"]])
    if bar is not None:
        bar.update(len(frame))
    return rows + len(frame), failures + len(bad)


def _write_claims(parts: list[pd.DataFrame], path: str) -> None:
    from ._pool import aggregate

    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    claims = aggregate(frame)
    writer = _Writer(path, "csv")
    try:
        writer.write(claims)
        writer.commit()
    except BaseException:
        writer.abort()
        raise


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def score_csv(input_path: str, output_path: str, **kwargs: Any) -> BatchSummary:
    """Score a CSV file into another CSV (or .parquet / .jsonl by the output extension).

    Same keyword arguments as :func:`score_file`.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "in.csv").write_text("text\\nHere we go! Medical booked\\n\\n")
    >>> summary = score_csv(str(folder / "in.csv"), str(folder / "out.csv"), quiet=True, jobs=1)
    >>> summary.rows, summary.failures  # the blank line is a row with an empty text
    (2, 1)
    """
    return score_file(input_path, output_path, **kwargs)
