"""Tables out, and what every table run shares: formats, path checks, errors, atomic writers.

The format of a path is decided in one place, :func:`table_format`. Writers take frames one
after another and go through :func:`rumourscore._io.atomic_file`, so a failed or interrupted
run leaves no output behind. CSV cells a spreadsheet would run as formulas are escaped on
the way out. Reading is :mod:`rumourscore._readers`.
"""

from __future__ import annotations

import codecs
import glob
import json
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np
import pandas as pd

from ._extras import require
from ._io import PART_SUFFIX, atomic_file
from ._json_text import json_default, json_lines
from ._text import is_missing

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

__all__ = ["FORMATS", "BatchError", "BatchSummary", "TableWriter", "check_encoding", "check_input", "check_output",
           "escape_formula", "open_output", "remove_stale_parts", "table_format",
           "write_table"]  # fmt: skip

#: A temporary output file nobody holds is removed as stale only when older than this (no race with a run
#: that has just created its own).
STALE_PART_SECONDS = 10
#: A CSV cell starting with one of these is a spreadsheet formula unless escaped.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A cell of a NUL-joined column (NUL before each cell) that starts like a formula: one regex pass
#: over the column (13x faster than one substring search per start character, measured).
_FORMULA_IN_JOINED = re.compile("\x00[" + re.escape("".join(FORMULA_START)) + "]").search
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
        The first few failed rows: (data row number after the header, blank lines counted, error).
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
        raise BatchError(f"unknown output format {suffix!r} ({path}): use .csv, .tsv, .parquet or .jsonl")
    return FORMATS.get(suffix, "csv")


def check_input(path: str) -> None:
    """Raise :class:`BatchError` unless ``path`` is ``-`` or an existing file."""
    if path != "-" and not Path(path).is_file():
        raise BatchError(f"input file not found: {path}")


def check_paths(input_path: str, output_path: str, encoding: str, claims_path: str | None = None) -> None:
    """Every check made before a run starts: input, encoding, outputs (never the input), extras.

    Raises
    ------
    BatchError
        For a missing input, an unknown encoding or output format, an unusable output path, or two outputs on stdout.
    MissingExtra
        For Parquet without pyarrow.
    """
    check_input(input_path)
    check_encoding(encoding)
    if claims_path == "-" == output_path:
        raise BatchError("the output and the claims cannot both go to stdout (-): write the claims to a file")
    if claims_path and "-" not in (claims_path, output_path):
        if Path(claims_path).resolve() == Path(output_path).resolve():
            raise BatchError(f"the claims and the output are the same file ({claims_path}): write them to two files")
    if table_format(input_path) == "parquet":
        require("parquet", "Parquet input")
    outputs = [("output", output_path, (input_path,))]
    if claims_path:
        outputs.append(("claims", claims_path, (input_path, output_path)))
    for role, path, inputs in outputs:
        check_output(path, inputs)
        if table_format(path, output=True) == "parquet":  # (an unknown format is an error here)
            require("parquet", f"Parquet {role}")


def check_output(path: str, inputs: tuple[str, ...] = ()) -> None:
    """Raise :class:`BatchError` if ``path`` cannot be an output file (checked before a run).

    It cannot be a folder, must be in an existing folder this process may write to, and
    must not be one of ``inputs`` (the run would destroy its own input).
    """
    if path == "-":
        return
    target = Path(path)
    if target.is_dir():
        raise BatchError(f"the output path is a folder: {path} (give a file name, e.g. {target / 'scored.csv'})")
    folder = target.resolve().parent
    if not folder.is_dir():
        raise BatchError(f"output folder does not exist: {folder}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BatchError(f"cannot write to the output folder {folder} (permission denied)")
    for other in inputs:
        if other != "-" and Path(other).resolve() == target.resolve():
            raise BatchError(f"the output {path} is also an input: write to another file")


def check_encoding(encoding: str) -> None:
    """Raise :class:`BatchError` unless ``encoding`` names a text encoding Python knows and can read
    a table with (not ``hex`` or ``base64``, nor ``idna``, whose decoder takes no error handler)."""
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        raise BatchError(f"unknown encoding {encoding!r} (--encoding): try utf-8, latin-1, cp1252 or utf-16") from None
    if not getattr(info, "_is_text_encoding", True):
        raise BatchError(f"{encoding!r} is not a text encoding (--encoding): try utf-8, latin-1, cp1252 or utf-16")
    try:
        info.incrementaldecoder("replace").decode(b"", final=True)
    except UnicodeError:
        raise BatchError(f"encoding {encoding!r} cannot read a table (--encoding): try utf-8, latin-1 or cp1252"
                         ) from None


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


#: Besides the delimiter, a CSV cell holding one of these is quoted.
_QUOTE_IF = ('"', "\n", "\r")


def _cannot_hold_text(dtype: Any) -> bool:
    return (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
            or pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype))  # fmt: skip


def _number_cells(column: pd.Series) -> list[str]:
    """The CSV text of a column of numbers, booleans or dates, exactly as pandas' ``to_csv`` writes it.

    ``float64`` and integer columns (nullable ones too) are formatted here with ``repr``, two to
    three times faster; a missing value is an empty cell. Other dtypes (``float32``, booleans,
    dates ...) go through pandas.
    """
    dtype = column.dtype
    if dtype == np.float64:
        values = column.to_numpy()
        cells = list(map(float.__repr__, values.tolist()))
        return [cell if cell != "nan" else "" for cell in cells] if np.isnan(values).any() else cells
    if pd.api.types.is_integer_dtype(dtype):
        return ["" if v is None else repr(v) for v in column.to_numpy(dtype=object, na_value=None).tolist()]
    text = column.to_frame().to_csv(index=False, header=False, lineterminator="\n", na_rep="")
    return [cell if cell != '""' else "" for cell in text.split("\n")[:-1]]


class TableWriter:
    """Writes frames one after another, in one format, to an open binary handle.

    Parameters
    ----------
    handle : binary file
    fmt : str
        ``"csv"``, ``"parquet"`` or ``"jsonl"``.
    escape : bool
        Escape CSV cells (and headers) a spreadsheet would run as formulas (as
        :func:`escape_formula` does, on each cell's text). Parquet and JSON Lines are data
        formats: their cells are never changed.
    delimiter : str
        CSV field separator. A cell holding it, a quote, ``\\n`` or ``\\r`` is quoted.
    """

    def __init__(self, handle: IO[bytes], fmt: str, *, escape: bool = True, delimiter: str = ",") -> None:
        self.handle, self.fmt, self.escape, self.delimiter = handle, fmt, escape, delimiter
        self.header_written = False
        #: Finds a character that makes a cell need quotes (the delimiter, a quote, a line break).
        self._needs_quotes = re.compile("[" + re.escape(delimiter + "".join(_QUOTE_IF)) + "]").search
        self.columns: list[Any] | None = None
        self.parquet_writer: Any = None
        self.schema: Any = None

    def write(self, frame: pd.DataFrame) -> None:
        """Append the rows of ``frame``.

        The first frame fixes the columns; a later frame with the same columns in another
        order is reordered, one with other columns is a :class:`BatchError`.
        """
        frame = self.aligned(frame)
        if self.fmt == "csv":
            self._write_csv(frame)
        elif self.fmt == "jsonl":
            self.handle.write(json_lines(frame).encode("utf-8"))
        else:
            self._write_parquet(frame)

    def aligned(self, frame: pd.DataFrame) -> pd.DataFrame:
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
            names = [escape_formula(n) for n in names]
        lines = [] if self.header_written else [self.delimiter.join(self.quoted(n) for n in names)]
        cells = [self.cells(c) for c in columns]
        lines += [self.delimiter.join(row) for row in zip(*cells)] if cells else []
        if len(names) == 1:  # a lone empty cell is written "" so that the line is not blank
            lines = [line or '""' for line in lines]
        self.handle.write("".join(line + "\n" for line in lines).encode("utf-8"))
        self.header_written = True

    def quoted(self, cell: str) -> str:
        """Quote a cell holding the delimiter, a quote, or any line break (a bare ``\\r`` too)."""
        d = self.delimiter  # the characters of _needs_quotes, tested inline (twice as fast as a search per cell)
        if d in cell or '"' in cell or "\n" in cell or "\r" in cell:
            return '"' + cell.replace('"', '""') + '"'
        return cell

    def cells(self, column: pd.Series) -> list[str]:
        """The CSV text of each cell of a column, quoted where needed (numbers as pandas writes them)."""
        if _cannot_hold_text(column.dtype):  # numbers and dates never need quotes
            return _number_cells(column)
        values = column.tolist()
        if all(v is None for v in values):  # (stops at the first cell that is not None)
            return [""] * len(values)
        try:  # a column of text (None and NaN as ""): C-level checks find the few cells that need work
            joined = "\x00" + "\x00".join(values)
        except TypeError:
            values = ["" if v is None or (v.__class__ is float and v != v) else v for v in values]
            try:
                joined = "\x00" + "\x00".join(values)
            except TypeError:  # another missing value (NA, NaT) or a number among the cells
                return self._mixed_cells(values)
        if self.escape and _FORMULA_IN_JOINED(joined):
            values = [escape_formula(v) for v in values]
        if not self._needs_quotes(joined):  # (an escape adds nothing that needs quotes)
            return values
        quoted = self.quoted
        return [quoted(v) for v in values]

    def _mixed_cells(self, values: list[Any]) -> list[str]:
        """:meth:`cells` of a column mixing text with missing values or numbers."""
        quoted, escape = self.quoted, self.escape
        cells = []
        for v in values:
            if v.__class__ is not str:
                if is_missing(v):
                    cells.append("")
                    continue
                v = str(v)
            cells.append(quoted(escape_formula(v) if escape else v))
        return cells

    def _write_parquet(self, frame: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = _arrow_table(frame)
        if self.parquet_writer is None:
            fields = [pa.field(f.name, pa.string() if pa.types.is_null(f.type) else f.type) for f in table.schema]
            self.schema = pa.schema(fields, metadata=table.schema.metadata)
            self.parquet_writer = pq.ParquetWriter(self.handle, self.schema)
        try:
            table = table.cast(self.schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError) as exc:
            raise BatchError(f"Parquet output: a column changed type after the first rows ({exc}); "
                             "write .csv or .jsonl instead") from None  # fmt: skip
        self.parquet_writer.write_table(table)

    def close(self) -> None:
        """Finish the file (the Parquet footer); the handle stays open."""
        if self.parquet_writer is not None:
            self.parquet_writer.close()
            self.parquet_writer = None
        self.handle.flush()


def _arrow_table(frame: pd.DataFrame) -> Any:
    """An Arrow table of ``frame``; a column mixing types (or lists and text) is written as JSON text."""
    import pyarrow as pa

    errors = (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError)
    try:
        return pa.Table.from_pandas(frame, preserve_index=False)
    except errors:
        pass
    fixed = frame.copy()
    for i in range(frame.shape[1]):
        try:
            pa.array(frame.iloc[:, i], from_pandas=True)
        except errors:
            fixed.isetitem(i, pd.Series([_as_text(v) for v in frame.iloc[:, i].tolist()], frame.index, dtype=object))
    return pa.Table.from_pandas(fixed, preserve_index=False)


def _as_text(value: Any) -> str | None:
    if isinstance(value, str) or value is None:
        return value
    if not isinstance(value, (list, dict, tuple)) and not hasattr(value, "tolist") and is_missing(value):
        return None
    try:
        return json.dumps(value, ensure_ascii=False, default=json_default)
    except (TypeError, ValueError, RecursionError):
        return str(value)


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
    remove_stale_parts(path)
    opened = False
    try:
        with atomic_file(path, "wb") as handle:
            opened = True
            try_lock(handle)  # held until the file is renamed or the process dies: "in use"
            writer = TableWriter(handle, fmt, escape=escape, delimiter="\t" if path.lower().endswith(".tsv") else ",")
            yield writer
            writer.close()
    except OSError as exc:
        if opened:
            raise
        raise BatchError(f"cannot write {path}: {exc.strerror or exc}") from None


def remove_stale_parts(path: str) -> list[Path]:
    """Delete the temporary files a killed run left next to ``path``; return them.

    A run holds a lock on its temporary file (``.NAME.XXXX.part``) while it writes; the
    lock dies with the process. A file nobody holds, older than
    :data:`STALE_PART_SECONDS`, is stale.
    """
    target = Path(path)
    removed = []
    for part in target.parent.glob(f".{glob.escape(target.name)}.*{PART_SUFFIX}"):
        try:
            if time.time() - part.stat().st_mtime < STALE_PART_SECONDS:
                continue
            with open(part, "rb") as handle:
                if try_lock(handle):
                    part.unlink()
                    removed.append(part)
        except OSError:
            continue
    return removed


def try_lock(handle: IO[Any]) -> bool:
    """Take an exclusive lock on an open file without waiting; False if another process holds it."""
    if fcntl is None:  # pragma: no cover - not POSIX: stale files are left alone
        return False
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def write_table(frame: pd.DataFrame, path: str, fmt: str | None = None, *, escape: bool = True) -> None:
    """Write one whole frame to ``path`` atomically (see :func:`open_output`)."""
    with open_output(path, fmt, escape=escape) as writer:
        writer.write(frame)
