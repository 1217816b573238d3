"""CSV text to records: delimiter sniffing, one row per physical record, malformed rows kept.

Only the standard library: :mod:`rumourscore._tables` builds frames from these records.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterator
from typing import IO

__all__ = ["DELIMITERS", "MAX_CELL_LINES", "SNIFF_BYTES", "UNDECODABLE", "csv_records", "guess_delimiter"]

#: The read error of a row holding bytes the encoding cannot decode.
UNDECODABLE = "undecodable bytes"
#: How many characters are read ahead before the first record (the ETA estimate reads this many bytes).
SNIFF_BYTES = 64 * 1024
#: The delimiter is guessed from at most this many characters and lines of the start of a file.
GUESS_CHARS = 4096
GUESS_LINES = 20
#: Delimiters recognised, in order of preference on a tie.
DELIMITERS = (",", ";", "\t", "|")
#: A CSV cell spanning more lines than this is reported (a quote left open swallowed the lines after it).
MAX_CELL_LINES = 100


def csv_records(text: IO[str], chunk_rows: int) -> Iterator[tuple[list[str], list[list[str]], list[str | None]]]:
    """Yield ``(header, rows, errors)`` chunks of a CSV text stream opened with ``newline=""``.

    Every physical record becomes one row of exactly the header's width, with a read error
    (or None): a wrong number of fields, undecodable bytes (read with ``surrogateescape``;
    replaced by U+FFFD), a quote never closed. Nothing is yielded for an empty stream; a
    header without rows gives one chunk without rows.
    """
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    sample = text.read(SNIFF_BYTES)
    if not sample:
        return
    delimiter = guess_delimiter(sample)
    lines = _LineTap(_chain(sample, text))
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    lines.take()
    header = [_clean(h) or f"column_{i}" for i, h in enumerate(header)]
    rows: list[list[str]] = []
    errors: list[str | None] = []
    for record, error in _records(reader, lines, len(header), delimiter):
        rows.append(record)
        errors.append(error)
        if len(rows) >= chunk_rows:
            yield header, rows, errors
            rows, errors = [], []
    yield header, rows, errors


def guess_delimiter(sample: str) -> str:
    """Guess the delimiter of CSV text by counting, in linear time (no ``csv.Sniffer``).

    Looks at the first :data:`GUESS_LINES` lines of the first :data:`GUESS_CHARS` characters.
    Each candidate is counted outside double-quoted stretches; the one found in the header
    and the same number of times on most lines wins, ``","`` when none is.

    Examples
    --------
    >>> guess_delimiter('text;source\\n"Bid, again";Marca\\n'), guess_delimiter("text\\nHere we go\\n")
    (';', ',')
    """
    head = sample[:GUESS_CHARS]
    lines = head.splitlines()
    if len(head) < len(sample) and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    lines = [_QUOTED.sub("", line) for line in lines[:GUESS_LINES]]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        if not counts or not counts[0]:
            continue
        score = (sum(c == counts[0] for c in counts), counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


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
    only the last record can be such a record, so it is held back and checked.
    """
    last: tuple[list[str], str | None, list[str]] | None = None
    while True:
        try:
            record, error = _record(next(reader), width)
        except StopIteration:
            break
        except csv.Error as exc:
            record, error = [""] * width, f"malformed row: {exc}"
        if last is not None:
            yield last[0], last[1]
        last = (record, error, lines.take())
    if last is not None:
        record, error, raw = last
        if len(raw) > 1 and _unterminated("".join(raw), delimiter):
            error = f"malformed row: a quote is never closed, so the last {len(raw)} lines of the file are this row"
        yield record, error


def _record(record: list[str], width: int) -> tuple[list[str], str | None]:
    error = None
    if len(record) != width:
        error = f"malformed row: {len(record)} fields, header has {width}"
        record = (record + [""] * width)[:width]
    if _SURROGATE.search("".join(record)):  # undecodable bytes somewhere in the row
        record = [_clean(cell) for cell in record]
        error = error or UNDECODABLE
    if error is None and any(cell.count("\n") > MAX_CELL_LINES for cell in record):
        error = f"malformed row: a cell spans more than {MAX_CELL_LINES} lines (a quote left open?)"
    return record, error


def _unterminated(raw: str, delimiter: str) -> bool:
    """Whether the CSV text of one record ends inside a quoted field.

    Probe: close a possibly open quote and add a sentinel line. An open quote closes and the
    sentinel is a record of its own; after a closed record the added quote opens a field
    that swallows the sentinel instead.
    """
    probe = (raw if raw.endswith(("\n", "\r")) else raw + "\n") + '"\n' + _SENTINEL + "\n"
    rows = list(csv.reader(io.StringIO(probe, newline=""), delimiter=delimiter))
    return rows[-1:] == [[_SENTINEL]]


_SENTINEL = "rumourscore-end-of-record"


def _chain(first: str, rest: IO[str]) -> Iterator[str]:
    """The lines of the sniffed sample, then of the rest of the stream, split as ``newline=""`` does.

    The sample ends mid-line: the line is completed from the stream, and a ``\\r\\n`` cut in
    two by the sample stays one line ending (no phantom empty row).
    """
    tail = ""
    if first.endswith("\r"):
        tail = rest.read(1)
        if tail == "\n":
            first, tail = first + tail, ""
    elif first and not first.endswith("\n"):
        first += rest.readline()
    yield from io.StringIO(first, newline="")
    if tail:
        yield from io.StringIO(tail + rest.readline(), newline="")
    yield from rest


#: Undecodable input bytes are kept as lone surrogates while reading (``surrogateescape``).
_SURROGATE = re.compile("[\udc80-\udcff]")


def _clean(cell: str) -> str:
    """Replace undecodable bytes (kept as surrogates while reading) by U+FFFD."""
    return cell.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
