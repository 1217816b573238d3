"""Tables in: CSV/TSV, Parquet and JSON Lines streamed as chunks, malformed rows kept.

:func:`read_table` yields :class:`Chunk` s, a frame plus one read error per row: a malformed,
undecodable or unusable record is a row with an error, never dropped and never the end of
the run. CSV delimiters are guessed by counting; a quote never closed is detected.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import os
import re
import sys
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pandas as pd

from ._csv_blocks import block_frame, record_end, strict_record, unterminated, utf16_order
from ._tables import BatchError, check_encoding, check_input, table_format

__all__ = ["DELIMITERS", "MAX_CELL_LINES", "SNIFF_BYTES", "UNDECODABLE", "Chunk", "csv_records", "estimate_rows",
           "guess_delimiter", "read_table"]  # fmt: skip

#: The read error of a row holding bytes the encoding cannot decode.
UNDECODABLE = "undecodable bytes"
#: Read error of the line a CSV quote never closed opens on (the lines after it are rows of their own).
OPEN_QUOTE = "malformed row: a quote opened in this row is never closed (the lines after it are read as rows)"
#: Read error of a JSON string escaping a lone surrogate ("\ud800"), replaced by U+FFFD.
INVALID_UNICODE = "invalid Unicode: a lone surrogate"
#: How many characters are read ahead before the first record (the ETA estimate reads this many bytes).
SNIFF_BYTES = 64 * 1024
#: The delimiter is guessed from the header line within this many characters of the start of a file.
GUESS_CHARS = 4096
#: Delimiters recognised, in order of preference on a tie.
DELIMITERS = (",", ";", "\t", "|")
#: A CSV cell spanning more lines than this is reported (a quote left open swallowed the lines after it).
MAX_CELL_LINES = 100
#: Characters of CSV text the fast path reads first, and at least, at a time (:func:`csv_records`).
BLOCK_CHARS = 1 << 20
#: A block with no line end outside quotes in this many characters goes to the careful reader.
MAX_BLOCK_CHARS = 1 << 24


@dataclass
class Chunk:
    """Consecutive input rows: the frame and, per row, why it could not be read (or None)."""

    frame: pd.DataFrame
    errors: list[str | None]


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
    check_encoding(encoding)
    fmt = fmt or table_format(path)
    if fmt == "parquet":
        return _read_parquet(path, chunk_rows)
    if fmt == "jsonl":
        return _read_jsonl(path, chunk_rows)
    tab = path != "-" and Path(path).suffix.lower() == ".tsv"  # a .tsv file is tab-separated: nothing to guess
    return _read_csv(path, encoding, chunk_rows, "\t" if tab else None)


def _open_binary(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except FileNotFoundError:
        raise BatchError(f"input file not found: {path}") from None
    except OSError as exc:
        raise BatchError(f"cannot open {path}: {exc}") from None


def _read_csv(path: str, encoding: str, chunk_rows: int, delimiter: str | None) -> Iterator[Chunk]:
    raw = _open_binary(path)
    name = codecs.lookup(encoding).name
    utf8 = name == "utf-8"
    head = raw.peek(SNIFF_HEAD)[:SNIFF_HEAD] if hasattr(raw, "peek") else b""
    _check_head(path, name, head)
    # undecodable bytes: kept as lone surrogates (UTF-8), or one marker surrogate (other codecs: surrogateescape
    # cannot keep ASCII bytes, which an undecodable UTF-16 or UTF-32 unit may hold); _clean makes each U+FFFD
    errors = "surrogateescape" if utf8 else _MARK_UNDECODABLE
    text = io.TextIOWrapper(raw, encoding="utf-8-sig" if utf8 else encoding, errors=errors, newline="")
    try:
        for _, frame, errors in csv_records(text, chunk_rows, delimiter):
            yield Chunk(frame, errors)
    finally:
        if path != "-":
            raw.close()


def _check_head(path: str, codec: str, head: bytes) -> None:
    """Raise :class:`BatchError` if the first bytes say the file is not in ``codec``: UTF-16 read as
    UTF-8, or UTF-16 / UTF-32 (which need a byte-order mark) without one."""
    bom = {"utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)}
    if codec == "utf-8" and head.startswith(bom["utf-32"]):  # (before UTF-16: FF FE 00 00 starts with FF FE)
        raise BatchError(f"{path} looks like UTF-32 (a byte-order mark): pass --encoding utf-32")
    if codec == "utf-8" and (order := utf16_order(head)):
        why = "a byte-order mark" if order == "utf-16" else "NUL bytes between ASCII letters"
        raise BatchError(f"{path} looks like UTF-16 ({why}): pass --encoding {order}")
    if head and codec in bom and not head.startswith(bom[codec]):
        guess = utf16_order(head) if codec == "utf-16" else None
        hint = f"this looks like {guess}" if guess else f"by its byte order; or utf-8 if it is not {codec.upper()}"
        raise BatchError(f"{path} does not start with a {codec.upper()} byte-order mark: pass --encoding "
                         f"{codec}-le or {codec}-be ({hint})")  # fmt: skip


#: How many bytes at the start of a CSV file are looked at for a UTF-16 pattern or a byte-order mark.
SNIFF_HEAD = 256
#: The error handler reading a non-UTF-8 text: a surrogate that :func:`_clean` turns into U+FFFD.
_MARK_UNDECODABLE = "rumourscore-undecodable"
codecs.register_error(_MARK_UNDECODABLE, lambda exc: ("\udcff", exc.end))


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
        frame = batch.to_pandas(types_mapper=_nullable_dtype)
        yield Chunk(frame, [None] * len(frame))
    if empty:
        yield Chunk(parquet.schema_arrow.empty_table().to_pandas(types_mapper=_nullable_dtype), [])


def _nullable_dtype(arrow_type: Any) -> Any:
    """The pandas dtype of an Arrow integer or boolean column: nullable, so that a null neither turns
    the column into floats (9007199254740993 would become 9007199254740992.0) nor changes its dtype
    from one chunk to the next; None (pyarrow's default) for any other type."""
    import pyarrow as pa

    if pa.types.is_integer(arrow_type):
        return pd.api.types.pandas_dtype(str(arrow_type).capitalize().replace("Uint", "UInt"))
    return pd.BooleanDtype() if pa.types.is_boolean(arrow_type) else None


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
        if records and header is None and not any(records):  # (a header is the keys of the first objects)
            first = next((e for e in errors if e), "an empty object")
            raise BatchError(f"no line of {path} is a JSON object with keys (the first: {first})")
        if records or header is not None:  # an empty file (or blank lines only) gives no chunk, as an empty CSV
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
    """One JSON Lines record (``{}`` when unusable) and its read error; never raises."""
    error = None
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        text, error = line.decode("utf-8", "replace"), UNDECODABLE
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        return {}, f"malformed JSON line: {exc.msg}"
    except RecursionError:
        return {}, "malformed JSON line: nested too deeply"
    if not isinstance(record, dict):
        return {}, "malformed JSON line: not an object"
    if "\\u" in text and any(isinstance(x, str) and _ANY_SURROGATE.search(x) for x in (*record, *record.values())):
        # "\ud800" escapes a lone surrogate, which no UTF-8 text holds: U+FFFD, as for undecodable bytes
        record = {_ANY_SURROGATE.sub("\ufffd", k): _ANY_SURROGATE.sub("\ufffd", v) if isinstance(v, str) else v
                  for k, v in record.items()}  # fmt: skip
        error = error or INVALID_UNICODE
    return record, error


# ------------------------------------------------------------------------------ CSV text
def csv_records(text: IO[str], chunk_rows: int, delimiter: str | None = None, *, fast: bool = True,
                block_chars: int = BLOCK_CHARS
                ) -> Iterator[tuple[list[str], pd.DataFrame, list[str | None]]]:  # fmt: skip
    """Yield ``(header, frame, errors)`` chunks of a CSV text stream opened with ``newline=""``.

    ``delimiter`` None: guessed from the header line (:func:`guess_delimiter`).

    Every physical record becomes one row of exactly the header's width (text cells), with a
    read error (or None): a wrong number of fields, undecodable bytes (read with
    ``surrogateescape``; replaced by U+FFFD), a quote never closed. Blank lines before the header
    are skipped. Nothing is yielded for an empty stream; a header without rows gives one chunk
    without rows.

    With ``fast`` (the default), blocks of about ``block_chars`` characters are read by pandas'
    C parser while they are plainly well-formed (:func:`rumourscore._csv_blocks.block_frame`);
    from the first block that is not, the rest is read record by record. Both give the same rows.
    """
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    sample = text.read(SNIFF_BYTES).removeprefix("\ufeff")  # (a byte-order mark "utf-16-le" decodes, say)
    while sample and not sample.lstrip("\r\n"):  # blank lines before the header are skipped, as pandas does
        sample = text.read(SNIFF_BYTES)
    sample = sample.lstrip("\r\n")
    if not sample:
        return
    delimiter = delimiter or guess_delimiter(sample)
    first = _complete(sample, text)
    lines = _LineTap(itertools.chain(io.StringIO(first, newline=""), text))
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    used = sum(map(len, lines.take()))
    header = _header_names(header)
    if fast and len(header) > 1 and used <= len(first):
        rest = yield from _plain_blocks(header, first[used:], text, delimiter, chunk_rows, block_chars)
        if rest is None:
            return
        lines = _LineTap(_chain(rest, text))
        reader = csv.reader(lines, delimiter=delimiter)
    rows: list[list[str]] = []
    errors: list[str | None] = []
    for record, error in _records(reader, lines, len(header), delimiter):
        rows.append(record)
        errors.append(error)
        if len(rows) >= chunk_rows:
            yield header, pd.DataFrame(rows, columns=header, dtype=object), errors
            rows, errors = [], []
    yield header, pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header), errors


def _header_names(cells: list[str]) -> list[str]:
    """The header's cells, a blank one named ``column_<i>`` by its position, or ``column_<i>_<n>`` if
    another column already has that name (``column_1,,text``: the blank one is ``column_1_1``)."""
    names = [_clean(cell) for cell in cells]
    taken = set(names)
    for i, name in enumerate(names):
        if not name:
            candidates = itertools.chain([f"column_{i}"], (f"column_{i}_{n}" for n in itertools.count(1)))
            names[i] = next(name for name in candidates if name not in taken)
            taken.add(names[i])
    return names


def _plain_blocks(header: list[str], text: str, rest: IO[str], delimiter: str, chunk_rows: int, block_chars: int
                  ) -> Generator[tuple[list[str], pd.DataFrame, list[str | None]], None, str | None]:  # fmt: skip
    """Chunks of the plain blocks of ``text`` and then ``rest``; return the text from the first
    record not read (to be read with the careful reader), or None at the end of the stream.

    The first block is ``block_chars`` long; later ones are sized to hold about ``chunk_rows``
    rows (at most a quarter of :data:`MAX_BLOCK_CHARS`)."""
    yielded = False
    size = block_chars
    while True:
        more = rest.read(size)
        text += more
        if not text:  # the end of the stream, every record read
            if not yielded:
                yield header, pd.DataFrame(columns=header), []
            return None
        end = record_end(text) if more else len(text)
        if not end:  # one record longer than the block so far, or line ends of "\r" alone
            if more and len(text) < MAX_BLOCK_CHARS and "\r" not in text:
                continue
            return text
        frame = block_frame(text[:end], len(header), delimiter, MAX_CELL_LINES)
        if frame is None:
            return text
        text = text[end:]
        frame.columns = header
        if len(frame):  # next time about a chunk of rows, at the length of these
            size = max(block_chars, min(MAX_BLOCK_CHARS // 4, end * chunk_rows // len(frame)))
        for start in range(0, len(frame), chunk_rows):
            part = frame.iloc[start : start + chunk_rows].reset_index(drop=True)
            yielded = True
            yield header, part, [None] * len(part)


def guess_delimiter(sample: str) -> str:
    """Guess the delimiter of CSV text from its header line, in linear time (no ``csv.Sniffer``).

    Only the first physical line (up to ``\\n`` or ``\\r``, within :data:`GUESS_CHARS`
    characters) is read: data rows may hold quoted line breaks and any character, a header
    rarely does. Each candidate is counted outside double-quoted stretches; the most frequent
    wins (ties in the order of :data:`DELIMITERS`), ``","`` when none is found.

    Examples
    --------
    >>> guess_delimiter('text;source\\n"Bid, again";Marca\\n'), guess_delimiter("text\\nHere we go\\n")
    (';', ',')
    """
    header = _QUOTED.sub("", _FIRST_LINE.match(sample[:GUESS_CHARS]).group())
    counts = [(header.count(d), -i, d) for i, d in enumerate(DELIMITERS)]
    best = max(counts)
    return best[2] if best[0] else ","


#: The first physical line of a text (``str.splitlines`` would also break at U+2028 and U+0085).
_FIRST_LINE = re.compile(r"[^\r\n]*")
#: A double-quoted stretch of a line (its delimiters are data).
_QUOTED = re.compile(r'"[^"]*"')


class _LineTap:
    """Hands lines to the CSV reader and keeps those of the record being read."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._taken: list[str] = []

    def __iter__(self) -> _LineTap:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self._taken.append(line)
        return line

    def take(self) -> list[str]:
        """The physical lines read since the last call."""
        taken, self._taken = self._taken, []
        return taken


def _records(reader: Iterator[list[str]], lines: _LineTap, width: int, delimiter: str
             ) -> Iterator[tuple[list[str], str | None]]:  # fmt: skip
    """Each CSV record padded or cut to ``width`` cells, with its read error.

    A quote never closed makes the CSV reader read the rest of the file into one record:
    only the last record can be such a record, so it is held back and checked. If it is, the
    line its quote opens on is a malformed row, and the lines after it (held in memory: they
    are that record) are read again as rows of their own, and so on.
    """
    while True:
        tail = yield from _records_to_open_quote(reader, lines, width, delimiter)
        if not tail:
            return
        lines = _LineTap(iter(tail))
        reader = csv.reader(lines, delimiter=delimiter)


def _records_to_open_quote(reader: Iterator[list[str]], lines: _LineTap, width: int, delimiter: str
                           ) -> Generator[tuple[list[str], str | None], None, list[str]]:  # fmt: skip
    """The records of :func:`_records` up to the end, or up to a quote never closed (its first
    line yielded as a malformed row); return the lines after that one (``[]`` at the end)."""
    last: tuple[list[str], str | None, list[str]] | None = None
    while True:
        try:
            record, error = _record(next(reader), width)
        except StopIteration:
            break
        except csv.Error as exc:
            record, error = [""] * width, f"malformed row: {exc}"
        if last is not None:
            yield from _checked(*last, width, delimiter)
        last = (record, error, lines.take())
    if last is None:
        return []
    record, error, raw = last
    if not unterminated("".join(raw), delimiter):
        yield from _checked(record, error, raw, width, delimiter)
        return []
    yield _record(next(csv.reader([raw[0].rstrip("\r\n")], delimiter=delimiter), []), width)[0], OPEN_QUOTE
    return raw[1:]


def _checked(record: list[str], error: str | None, raw: list[str], width: int, delimiter: str
             ) -> Iterator[tuple[list[str], str | None]]:  # fmt: skip
    """A record of several lines whose quote closes before more text (``"...\n3,"Chelsea``: a quote
    left open in one row, closed by the next row's) is no record: its first line is a malformed
    row, and the lines after it are read again as rows of their own. Any other record as it is."""
    if len(raw) < 2 or strict_record("".join(raw), delimiter):
        yield record, error
        return
    opened = (f"malformed row: its quote is closed only {len(raw) - 1} line(s) later, inside another row; "
              "the lines after it are read as rows of their own")  # fmt: skip
    yield _record(next(csv.reader([raw[0]], delimiter=delimiter), []), width)[0], opened
    tap = _LineTap(io.StringIO("".join(raw[1:]), newline=""))
    yield from _records(csv.reader(tap, delimiter=delimiter), tap, width, delimiter)


def _record(record: list[str], width: int) -> tuple[list[str], str | None]:
    error = None
    if len(record) != width:
        error = f"malformed row: {len(record)} fields, header has {width}"
        record = (record + [""] * width)[:width]
    joined = "".join(record)
    if _SURROGATE.search(joined):  # undecodable bytes somewhere in the row
        record = [_clean(cell) for cell in record]
        error = error or UNDECODABLE
    if error is None and joined.count("\n") > MAX_CELL_LINES and any(c.count("\n") > MAX_CELL_LINES for c in record):
        error = f"malformed row: a cell spans more than {MAX_CELL_LINES} lines (a quote left open?)"
    return record, error


def _complete(first: str, rest: IO[str]) -> str:
    """The sniffed sample completed to a line end from the stream (a ``\\r\\n`` cut in two by the
    sample stays one line ending: no phantom empty row)."""
    if first.endswith("\r"):
        tail = rest.read(1)
        return first + (tail if tail == "\n" else tail + rest.readline() if tail else "")
    if first and not first.endswith("\n"):
        return first + rest.readline()
    return first


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    """The lines of ``first`` (text from a record on), then of the rest of the stream, split as ``newline=""`` does."""
    yield from io.StringIO(_complete(first, rest), newline="")
    yield from rest


#: Undecodable input bytes are kept as lone surrogates while reading (``surrogateescape``).
_SURROGATE = re.compile("[\udc80-\udcff]")
#: Any lone surrogate (what a JSON "\ud800" escape decodes to).
_ANY_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(cell: str) -> str:
    """Replace undecodable bytes (kept as surrogates while reading) by U+FFFD."""
    return cell.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def estimate_rows(path: str) -> int | None:
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
