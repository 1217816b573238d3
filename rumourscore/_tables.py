"""Tables in and out: streaming readers and atomic writers for CSV/TSV, Parquet and JSON Lines.

Readers yield :class:`Chunk` s (a frame plus one read error per row: a malformed row is kept,
never dropped). Writers take frames one after another and go through
:func:`rumourscore._io.atomic_file`, so a failed or interrupted run leaves no output behind.
The format of a path is decided in one place, :func:`table_format`. CSV cells a spreadsheet
would run as formulas are escaped on the way out.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ._csvread import csv_records
from ._io import atomic_file

__all__ = ["FORMATS", "BatchError", "BatchSummary", "Chunk", "TableWriter", "check_input", "check_output",
           "escape_formula", "escape_formulas", "open_output", "read_table", "table_format",
           "write_table"]  # fmt: skip

#: A CSV cell starting with one of these is a spreadsheet formula unless escaped.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
#: Table format of each file extension (``-``, stdin or stdout, is CSV).
FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet",
           ".jsonl": "jsonl", ".ndjson": "jsonl"}  # fmt: skip


class BatchError(Exception):
    """A problem with the whole run (missing file or column, bad output path, --strict).

    Nothing is written when it is raised.

    Parameters
    ----------
    message : str
        One line saying what is wrong and, where it can, what to do (the command line prints
        it as ``rumourscore: error: <message>``, exit code 2).
    """


@dataclass
class BatchSummary:
    """What a batch run did.

    Parameters
    ----------
    rows : int
        Rows written (blank lines are not rows).
    failures : int
        Rows with an ``error`` (no likelihood, or a note such as a truncated text).
    seconds : float
        Wall time of the run.
    output : str
        The output path (``-``: stdout).
    skipped : int
        Blank lines of the input, skipped.
    failed : list of (int, str)
        The first few failed rows: (data row number after the header, error).
    """

    rows: int
    failures: int
    seconds: float
    output: str
    skipped: int = 0
    failed: list[tuple[int, str]] = field(default_factory=list)

    def __str__(self) -> str:
        rate = self.rows / self.seconds if self.seconds > 0 else float("inf")
        counts = _plural(self.failures, "failure") + (f", {_plural(self.skipped, 'blank line')} skipped"
                                                      if self.skipped else "")  # fmt: skip
        text = (f"scored {_plural(self.rows, 'row')} ({counts}) in {self.seconds:.1f} s "
                f"({rate:,.0f} rows/s) -> {self.output}")  # fmt: skip
        if self.failed:
            more = self.failures - len(self.failed)
            text += "\nfailed: " + "; ".join(f"row {n}: {error}" for n, error in self.failed)
            text += f"; and {more} more" if more > 0 else ""
        return text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass
class Chunk:
    """Consecutive input rows: the frame and, per row, why it could not be read (or None)."""

    frame: pd.DataFrame
    errors: list[str | None]


# ------------------------------------------------------------------------------ formats and paths
def table_format(path: str, *, output: bool = False) -> str:
    """The format of a table path by its extension: ``"csv"``, ``"parquet"`` or ``"jsonl"``.

    ``-`` is CSV. An unknown input extension is read as CSV; an unknown output extension
    is a :class:`BatchError`.

    Examples
    --------
    >>> table_format("feed.ndjson"), table_format("-"), table_format("x.PQ")
    ('jsonl', 'csv', 'parquet')
    """
    if path == "-":
        return "csv"
    suffix = Path(path).suffix.lower()
    if output and suffix not in FORMATS:
        raise BatchError(f"unknown output format {suffix!r}: use .csv, .parquet or .jsonl")
    return FORMATS.get(suffix, "csv")


def check_input(path: str) -> None:
    """Raise :class:`BatchError` unless ``path`` is ``-`` or an existing file."""
    if path != "-" and not Path(path).is_file():
        raise BatchError(f"input file not found: {path}")


def check_output(path: str) -> None:
    """Raise :class:`BatchError` if ``path`` cannot be an output file (checked before a run)."""
    if path == "-":
        return
    folder = Path(path).resolve().parent
    if not folder.is_dir():
        raise BatchError(f"output folder does not exist: {folder}")


# ------------------------------------------------------------------------------ reading
def read_table(path: str, fmt: str | None = None, *, encoding: str = "utf-8", chunk_rows: int = 20_000
               ) -> Iterator[Chunk]:  # fmt: skip
    """Stream a CSV/TSV, Parquet or JSON Lines file (or ``-``, stdin) as :class:`Chunk` s.

    Every physical record becomes one row: a malformed or undecodable record is kept, with
    a read error. A file with a header and no rows gives one empty chunk; a file without
    even a header gives none.

    Raises
    ------
    BatchError
        If the file is missing or unreadable as a whole.
    """
    check_input(path)
    fmt = fmt or table_format(path)
    if fmt == "parquet":
        return _read_parquet(path, chunk_rows)
    if fmt == "jsonl":
        return _read_jsonl(path, chunk_rows)
    return _read_csv(path, encoding, chunk_rows)


def _open_binary(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise BatchError(f"input file not found: {path}") from None
    except OSError as exc:
        raise BatchError(f"cannot open {path}: {exc}") from None


def _read_csv(path: str, encoding: str, chunk_rows: int) -> Iterator[Chunk]:
    raw = _open_binary(path)
    utf8 = encoding.lower().replace("_", "-") in ("utf-8", "utf8")
    text = io.TextIOWrapper(raw, encoding="utf-8-sig" if utf8 else encoding, errors="surrogateescape", newline="")
    try:
        for header, rows, errors in csv_records(text, chunk_rows):
            frame = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header)
            yield Chunk(frame, errors)
    finally:
        if path != "-":
            raw.close()


def _read_parquet(path: str, chunk_rows: int) -> Iterator[Chunk]:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise BatchError("Parquet needs pyarrow: pip install 'rumourscore[parquet]'") from exc
    try:
        parquet = pq.ParquetFile(sys.stdin.buffer if path == "-" else path)
    except Exception as exc:
        raise BatchError(f"cannot read Parquet {path}: {exc}") from None
    empty = True
    for batch in parquet.iter_batches(batch_size=chunk_rows):
        empty = False
        frame = batch.to_pandas()
        yield Chunk(frame, [None] * len(frame))
    if empty:
        yield Chunk(parquet.schema_arrow.empty_table().to_pandas(), [])


def _read_jsonl(path: str, chunk_rows: int) -> Iterator[Chunk]:
    """JSON Lines chunks under one header: the keys of the first chunk, in order of appearance.

    Later records are matched to it by key (their own key order does not matter); a key the
    header lacks is a per-row error, never a shifted or silently added column.
    """
    raw = _open_binary(path)
    header: list[str] | None = None
    try:
        records: list[dict[str, Any]] = []
        errors: list[str | None] = []
        for line in raw:
            if not line.strip():
                continue
            record, error = _json_record(line)
            records.append(record)
            errors.append(error)
            if len(records) >= chunk_rows and (header is not None or any(records)):
                chunk, header = _jsonl_chunk(records, errors, header)
                yield chunk
                records, errors = [], []
        yield _jsonl_chunk(records, errors, header)[0]
    finally:
        if path != "-":
            raw.close()


def _jsonl_chunk(records: list[dict[str, Any]], errors: list[str | None], header: list[str] | None
                 ) -> tuple[Chunk, list[str]]:  # fmt: skip
    if header is None:
        header = list(dict.fromkeys(key for record in records for key in record))
    known = set(header)
    for i, record in enumerate(records):
        extra = [key for key in record if key not in known]
        if extra and errors[i] is None:
            errors[i] = f"keys not in the header (set by the first rows): {extra}"
    # object dtype: values as they are in the JSON (a missing value must not turn integers into floats)
    return Chunk(pd.DataFrame(records, columns=header, dtype=object), errors), header


def _json_record(line: bytes) -> tuple[dict[str, Any], str | None]:
    """One JSON Lines record (``{}`` when unusable) and its read error."""
    try:
        record = json.loads(line.decode("utf-8-sig"))
        error = None if isinstance(record, dict) else "malformed JSON line: not an object"
    except UnicodeDecodeError:
        record, error = json.loads(line.decode("utf-8", "replace")), "undecodable bytes"
    except json.JSONDecodeError as exc:
        record, error = {}, f"malformed JSON line: {exc.msg}"
    return (record if isinstance(record, dict) else {}), error


# ------------------------------------------------------------------------------ writing
def escape_formula(value: Any) -> Any:
    """Prefix a cell that a spreadsheet would run as a formula with ``'``.

    Plain numbers ("-3", "-0.5") are left alone.

    Examples
    --------
    >>> escape_formula("=HYPERLINK(1)"), escape_formula("-3"), escape_formula("ok")
    ("'=HYPERLINK(1)", '-3', 'ok')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def escape_formulas(column: pd.Series) -> pd.Series:
    """:func:`escape_formula` over a column of cells, vectorised, whatever its dtype.

    Numeric, boolean and date columns hold no formulas and come back unchanged; any other
    column (object, pandas string, categorical) comes back with dtype ``object`` when a cell
    had to be escaped.
    """
    if _cannot_hold_text(column.dtype):
        return column
    text = column.astype("string")
    risky = text.str.startswith(FORMULA_START).fillna(False) & ~text.str.fullmatch(_PLAIN_NUMBER.pattern).fillna(False)
    if not risky.any():
        return column
    out = column.astype(object)
    out[risky.to_numpy()] = "'" + text[risky]
    return out


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


#: Besides the delimiter, a CSV cell holding one of these is quoted.
_QUOTE_IF = ('"', "\n", "\r")


def _cannot_hold_text(dtype: Any) -> bool:
    return (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
            or pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype))  # fmt: skip


class TableWriter:
    """Writes frames one after another, in one format, to an open binary handle.

    Parameters
    ----------
    handle : binary file
    fmt : str
        ``"csv"``, ``"parquet"`` or ``"jsonl"``.
    escape : bool
        Escape CSV cells (and headers) a spreadsheet would run as formulas. Parquet and
        JSON Lines are data formats: their cells are never changed.
    delimiter : str
        CSV field separator. A cell holding it, a quote, ``\\n`` or ``\\r`` is quoted.
    """

    def __init__(self, handle: IO[bytes], fmt: str, *, escape: bool = True, delimiter: str = ",") -> None:
        self.handle, self.fmt, self.escape, self.delimiter = handle, fmt, escape, delimiter
        self.header_written = False
        self.columns: list[Any] | None = None
        self.parquet_writer: Any = None
        self.schema: Any = None

    def write(self, frame: pd.DataFrame) -> None:
        """Append the rows of ``frame``.

        The first frame fixes the columns; a later frame with the same columns in another
        order is reordered, one with other columns is a :class:`BatchError`.
        """
        frame = self._aligned(frame)
        if self.fmt == "csv":
            self._write_csv(frame)
        elif self.fmt == "jsonl":
            if len(frame):
                data = frame.to_json(orient="records", lines=True, force_ascii=False)
                self.handle.write((data if data.endswith("\n") else data + "\n").encode("utf-8"))
        else:
            self._write_parquet(frame)

    def _aligned(self, frame: pd.DataFrame) -> pd.DataFrame:
        columns = list(frame.columns)
        if self.columns is None:
            self.columns = columns
        elif columns != self.columns:
            if len(set(columns)) != len(columns) or set(columns) != set(self.columns):
                raise BatchError(f"the columns changed after the first rows: {self.columns} then {columns}")
            frame = frame[self.columns]
        return frame

    def _write_csv(self, frame: pd.DataFrame) -> None:
        columns = [frame.iloc[:, i] for i in range(frame.shape[1])]
        names = [str(c) for c in frame.columns]
        if self.escape:
            columns = [escape_formulas(c) for c in columns]
            names = [escape_formula(n) for n in names]
        lines = [] if self.header_written else [self.delimiter.join(self._quoted(n) for n in names)]
        cells = [self._cells(c) for c in columns]
        lines += [self.delimiter.join(row) for row in zip(*cells)] if cells else []
        if len(names) == 1:  # a lone empty cell is written "" so that the line is not blank
            lines = [line or '""' for line in lines]
        self.handle.write("".join(line + "\n" for line in lines).encode("utf-8"))
        self.header_written = True

    def _quoted(self, cell: str) -> str:
        """Quote a cell holding the delimiter, a quote, or any line break (a bare ``\\r`` too)."""
        if self.delimiter in cell or any(ch in cell for ch in _QUOTE_IF):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    def _cells(self, column: pd.Series) -> list[str]:
        """The CSV text of each cell of a column, quoted where needed (numbers as pandas writes them)."""
        if _cannot_hold_text(column.dtype):  # pandas' own number/date formatting; never needs quotes
            text = column.to_frame().to_csv(index=False, header=False, lineterminator="\n", na_rep="")
            return [cell if cell != '""' else "" for cell in text.split("\n")[:-1]]
        return ["" if _missing(v) else self._quoted(str(v)) for v in column.tolist()]

    def _write_parquet(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self.parquet_writer is None:
            fields = [pa.field(f.name, pa.string() if pa.types.is_null(f.type) else f.type) for f in table.schema]
            self.schema = pa.schema(fields, metadata=table.schema.metadata)
            self.parquet_writer = pq.ParquetWriter(self.handle, self.schema)
        self.parquet_writer.write_table(table.cast(self.schema))

    def close(self) -> None:
        """Finish the file (the Parquet footer); the handle stays open."""
        if self.parquet_writer is not None:
            self.parquet_writer.close()
            self.parquet_writer = None
        self.handle.flush()


@contextmanager
def open_output(path: str, fmt: str | None = None, *, escape: bool = True) -> Iterator[TableWriter]:
    """A :class:`TableWriter` onto ``path`` (``-``: stdout), committed when the block succeeds.

    The rows go to a temporary file next to ``path`` (:func:`rumourscore._io.atomic_file`)
    that replaces ``path`` only at the end of a successful block.

    ``escape`` is passed to :class:`TableWriter`.

    Raises
    ------
    BatchError
        If the output folder does not exist or the extension is unknown.
    """
    fmt = fmt or table_format(path, output=True)
    check_output(path)
    if path == "-":
        writer = TableWriter(sys.stdout.buffer, fmt, escape=escape)
        yield writer
        writer.close()
        return
    with atomic_file(path, "wb") as handle:
        writer = TableWriter(handle, fmt, escape=escape, delimiter="\t" if path.lower().endswith(".tsv") else ",")
        yield writer
        writer.close()


def write_table(frame: pd.DataFrame, path: str, fmt: str | None = None, *, escape: bool = True) -> None:
    """Write one whole frame to ``path`` atomically (see :func:`open_output`)."""
    with open_output(path, fmt, escape=escape) as writer:
        writer.write(frame)
