"""Plainly well-formed CSV read in blocks by pandas' C parser, checked first.

The careful reader (:mod:`rumourscore._readers`) reads every record through Python's
:mod:`csv` module and checks it: a wrong number of fields, undecodable bytes, a quote never
closed, a cell spanning too many lines. That costs several microseconds a row. Most files are
plain: every field is either unquoted (no quote in it) or wholly quoted (doubled quotes
inside), every record has the header's number of fields, and no line is blank. On such text
the :mod:`csv` module and pandas' C parser give the same cells, and pandas is several times
faster. :func:`block_frame` checks that a block of text is plain with a few C-level passes
(a regular expression that removes the quoted fields, then a count of delimiters per line)
and only then parses it with pandas; anything else is ``None``, and the caller reads from
there on with the careful reader. :func:`record_end` finds where a block can end: after a
line end outside quotes. :func:`one_line_records` is the lighter check ``--engine dask`` makes
of its input files (on bytes): only what would move a cell in Dask's reader.

The careful reader's checks of one record of several lines are here too (:func:`strict_record`,
:func:`unterminated`), and :func:`utf16_order`, which tells UTF-16 text from the first bytes of a file.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import re
from typing import AnyStr

import pandas as pd

__all__ = ["block_frame", "one_line_records", "record_end", "strict_record", "unterminated", "utf16_order"]

#: A double-quoted field (doubled quotes inside: "a ""b"" c") that stands between delimiters or
#: line ends: the character before its opening quote is the delimiter, a line end or none (looked
#: at after the quote, so that the search still jumps from quote to quote at C speed), and the one
#: after its closing quote is the delimiter, a line end or none. A quoted field touching other
#: text (``"a"b``, ``x"a"``) is left in place, and its quotes make the block not plain.
_QUOTED_FIELD = r'"(?<![^{d}\n\r]")[^"]*(?:""[^"]*)*"(?![^{d}\r\n])'
#: What each quoted field becomes before the delimiters are counted (a block holding it is not plain).
_MARK = "\x00"
#: A byte-order mark: pandas drops one at the start of a block (the csv module keeps it), and only there.
_BOM = "\ufeff"


def record_end(text: AnyStr) -> int:
    """Where a block of ``text`` (starting at a record; ``str`` or UTF-8 ``bytes``) may end: after
    its last line end that stands outside quotes, by the parity of the quotes before it; 0 if
    there is none.

    A stray quote in an unquoted field can fool the parity; :func:`block_frame` then finds the
    block not plain (its last record never closes its quote).
    """
    newline, quote = ("\n", '"') if isinstance(text, str) else (b"\n", b'"')
    end = text.rfind(newline) + 1
    odd = text.count(quote, 0, end) % 2
    while odd and end:
        start = text.rfind(newline, 0, end - 1) + 1
        odd ^= text.count(quote, start, end) % 2
        end = start
    return end


def plain_lines(block: str, width: int, delimiter: str, max_cell_lines: int) -> int | None:
    """How many lines ``block`` (whole records) has if it is plain (module docstring) with no quoted
    cell spanning more than ``max_cell_lines`` lines; ``None`` if it is not. C-level passes only."""
    if block.startswith(_BOM) or _MARK in block:
        return None
    quoted = _quoted_field(delimiter)
    flat = quoted.sub(_MARK, block) if '"' in block else block
    if '"' in flat:  # a quote inside an unquoted field, a quoted field touching text, or one never closed
        return None
    if "\r" in flat and flat.count("\r") != flat.count("\r\n"):  # a line end of "\r" alone
        return None
    lines = flat.split("\n")
    line_ends = len(lines) - 1
    if not lines[-1]:
        lines.pop()
    if set(map(str.count, lines, itertools.repeat(delimiter))) - {width - 1}:
        return None
    if block.count("\n") - line_ends > max_cell_lines and any(
        cell.count("\n") > max_cell_lines for cell in quoted.findall(block)
    ):
        return None
    return len(lines)


def one_line_records(block: bytes, width: int, delimiter: str) -> bool:
    """Whether every record of ``block`` (whole records of UTF-8 text) is one line of ``width``
    fields: no quote left open or touching text, no line break inside quotes. On bytes (half the
    work of text); the checks of :func:`plain_lines` that cannot move a cell are left out."""
    if b"\0" in block:  # (the mark of a quoted field below)
        return False
    flat = _quoted_field(delimiter, bytes).sub(b"\0", block) if b'"' in block else block
    if b'"' in flat or block.count(b"\n") != flat.count(b"\n"):
        return False
    lines = flat.split(b"\n")
    if not lines[-1]:
        lines.pop()
    return not set(map(bytes.count, lines, itertools.repeat(delimiter.encode()))) - {width - 1}


def block_frame(block: str, width: int, delimiter: str, max_cell_lines: int) -> pd.DataFrame | None:
    """The records of ``block`` (whole records) as a frame of ``width`` text columns, or ``None``.

    ``None`` unless the block is plain (:func:`plain_lines`): then the careful reader reads it
    and reports what is wrong. ``width`` must be at least 2 (with one column a blank line is a
    record of one empty field to pandas and of none to the csv module).
    """
    try:
        data = block.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes (kept as lone surrogates while reading)
        return None
    lines = plain_lines(block, width, delimiter, max_cell_lines)
    if lines is None:
        return None
    frame = pd.read_csv(io.BytesIO(data), sep=delimiter, header=None, names=list(range(width)), index_col=False,
                        dtype=object, na_filter=False, keep_default_na=False, skip_blank_lines=False,
                        quotechar='"', doublequote=True, escapechar=None, skipinitialspace=False,
                        encoding="utf-8", engine="c")  # fmt: skip
    return frame if len(frame) == lines else None


@functools.lru_cache(maxsize=16)
def _quoted_field(delimiter: str, kind: type = str) -> re.Pattern:
    """:data:`_QUOTED_FIELD` for ``delimiter``, on text or (``kind=bytes``) on UTF-8 bytes."""
    pattern = _QUOTED_FIELD.format(d=re.escape(delimiter))
    return re.compile(pattern.encode() if kind is bytes else pattern)


def strict_record(raw: str, delimiter: str) -> bool:
    """Whether ``raw`` is one well-formed CSV record: every closing quote followed by a delimiter or
    the end (spaces between them are let through: ``"two\nlines" ,x`` is one record)."""
    if '" ' in raw:
        raw = re.sub(rf'" +(?={re.escape(delimiter)}|\r|\n|$)', '"', raw)
    try:
        return len(list(csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter, strict=True))) == 1
    except csv.Error:
        return False


def unterminated(raw: str, delimiter: str) -> bool:
    """Whether the CSV text of one record ends inside a quoted field.

    Probe: close a possibly open quote and add a sentinel line. An open quote closes and the
    sentinel is a record of its own; after a closed record the added quote opens a field
    that swallows the sentinel instead.
    """
    probe = (raw if raw.endswith(("\n", "\r")) else raw + "\n") + '"\n' + _SENTINEL + "\n"
    rows = list(csv.reader(io.StringIO(probe, newline=""), delimiter=delimiter))
    return rows[-1:] == [[_SENTINEL]]


#: The line :func:`unterminated` adds after a record (no real record is this line).
_SENTINEL = "rumourscore-end-of-record"


def utf16_order(head: bytes) -> str | None:
    """``"utf-16"`` if ``head`` starts with a UTF-16 byte-order mark; ``"utf-16-le"`` or ``"utf-16-be"``
    if it looks like UTF-16 text without one: in most byte pairs, one byte NUL and the other ASCII text,
    always the same way round (a NUL in a UTF-8 cell, or a run of them, is no sign); else None."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    pairs = len(head) // 2
    for order, nuls, letters in (("utf-16-le", head[1::2], head[0::2]), ("utf-16-be", head[0::2], head[1::2])):
        ascii_units = sum(1 for nul, letter in zip(nuls, letters) if not nul and letter in _ASCII_TEXT)
        if pairs and ascii_units >= pairs * UTF16_SHARE:
            return order
    return None


#: UTF-16 without a byte-order mark: at least this share of the first byte pairs are an ASCII character.
UTF16_SHARE = 0.5
#: Bytes of ASCII text (printable, tab and line ends): the other byte of a UTF-16 unit of English text.
_ASCII_TEXT = frozenset(range(0x20, 0x7F)) | frozenset(b"\t\r\n")
