"""Text helpers: sentence splitting and name masking (no language model needed)."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

__all__ = [
    "MAX_TEXT_CHARS",
    "article_date",
    "check_text",
    "date_header",
    "mask_names",
    "parse_date",
    "split_sentences",
]

#: Texts longer than this are truncated before tagging and scoring (a rumour is short;
#: a 1 MB cell is an accident or an attack). Batch scoring reports the truncation.
MAX_TEXT_CHARS = 20_000

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr vs v etc e.g i.e no nos inc ltd co corp fc cf ac sc utd mt gen col "
    "approx est jan feb mar apr jun jul aug sep sept oct nov dec fig al".split()
)
# A candidate end: terminal punctuation, optional closing quotes/brackets, then space and
# something that can open a sentence (a capital, a digit, a currency sign, a handle, an emoji).
_END = re.compile(
    r"[.!?\u2026]+[\"'\u201d\u2019)\]]*"
    r"(?=\s+[\"'\u201c\u2018(\[\u00a1\u00bf]?[A-Z0-9£€$@#\u00c0-\u024f\u2600-\u27bf\U0001f000-\U0001faff])|\n\s*"
)
_WORD_BEFORE = re.compile(r"(?<![\w.])([A-Za-z][A-Za-z.]{0,5})$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split text into sentences and return their ``(start, end)`` character spans.

    Survives abbreviations ("Mr.", "St. Pauli", "Man Utd."), decimals ("£47.5m"),
    initials ("A. Smith") and closing quotes; a line break always ends a sentence.
    Leading and trailing white space is not part of any span.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> t = 'Arsenal bid £47.5m. "He wants to go," said Mr. Smith.'
    >>> [t[s:e] for s, e in split_sentences(t)]
    ['Arsenal bid £47.5m.', '"He wants to go," said Mr. Smith.']
    """
    if not isinstance(text, str):
        raise TypeError(f"split_sentences() expects a str, got {type(text).__name__}")
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        if text[m.start()] == ".":
            before = _WORD_BEFORE.search(text, max(0, m.start() - 8), m.start())
            word = before.group(1) if before else ""
            if word.lower().rstrip(".") in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
                continue
        end = m.end() if text[m.start()] != "\n" else m.start()
        _append(text, start, end, spans)
        start = m.end()
    _append(text, start, len(text), spans)
    return spans


def _append(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


# A capitalised word ("O'Neill", "N'Golo", "Alexander-Arnold", but not the "'s" of "Lille's"),
# then more of them, possibly joined by a lower-case particle ("Virgil van Dijk").
_WORD = r"[A-Z\u00c0-\u00de][\w\-]*(?:['\u2019][A-Z\u00c0-\u00de][\w\-]*)*"
_CAPITALISED = re.compile(rf"(?<![\w'\u2019]){_WORD}(?:\s+(?:(?:de|da|van|von|der|di|del|dos|la|le)\s+)?{_WORD})*")


def mask_names(text: str) -> str:
    """Replace capitalised words (names of players, clubs, places) by ``NAME``.

    A lone capitalised word that is a common sentence opener is kept wherever it
    stands, so that "Reports suggest" is not masked but "Arsenal are keen" is. Used by
    the text channel of the model so that *who* is named cannot move a score on its own.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.

    Examples
    --------
    >>> mask_names("Arsenal are keen on Lille's Victor Osimhen, 21.")
    "NAME are keen on NAME's NAME, 21."
    """
    if not isinstance(text, str):
        raise TypeError(f"mask_names() expects a str, got {type(text).__name__}")
    return _CAPITALISED.sub(_mask_one, text)


_OPENERS = frozenset(
    "a an the reports report it its he his they their there this that these those sources "
    "according as per after with in on at if and but however despite meanwhile exclusive "
    "official here breaking understand talks deal".split()
)


def _mask_one(m: re.Match[str]) -> str:
    word = m.group(0)
    first = word.split()[0].lower()
    if first in _OPENERS and " " not in word:
        return word
    return "NAME"


_DATE_HEADER = re.compile(r"\A[\s\ufeff]*date\s*[:=]?\s*(\d{4}-\d{2}-\d{2})\b[ \t]*\n?", re.IGNORECASE)
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


def article_date(text: str, filename: str | None = None) -> str | None:
    """Return the ISO date an article declares, or ``None``.

    Looks for a leading ``date 2024-11-14`` header line in the text, then for an ISO
    date in the file name (``2024-11-14_alonso.txt``). A date that does not exist
    (``2024-13-45``) is no date.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"article_date() expects a str, got {type(text).__name__}")
    candidates = [date for date in (date_header(text)[1],) if date]
    if filename:
        candidates += _DATE_IN_NAME.findall(str(filename))
    return next((c for c in candidates if _is_date(c)), None)


def date_header(text: str) -> tuple[int, str | None]:
    """Where a leading ``date 2024-11-14`` line ends, and its date (``None`` if impossible).

    ``(0, None)`` when the text has no such line. The article body starts at the offset.
    """
    m = _DATE_HEADER.match(text)
    if m is None:
        return 0, None
    return m.end(), m.group(1) if _is_date(m.group(1)) else None


def _is_date(iso: str) -> bool:
    try:
        dt.date.fromisoformat(iso)
    except ValueError:
        return False
    return True


#: Tokens of the word channel: lower-case words of two or more letters (after masking).
_TOKEN = re.compile(r"(?u)\b[a-z][a-z'-]+\b")


def parse_date(value: Any) -> dt.date | None:
    """Parse a date given as ``date``, ``datetime`` (pandas ``Timestamp`` too) or ISO string.

    Anything else, ``None``, NaN and NaT give ``None``.
    """
    if value is None or value != value:  # None, NaN, NaT
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def check_text(text: Any) -> str | None:
    """Return the reason a cell cannot be scored ("empty text", "not text"), or None."""
    if isinstance(text, str):
        return "empty text" if not text.strip() else None
    if text is None or (isinstance(text, float) and math.isnan(text)) or type(text).__name__ in ("NAType", "NaTType"):
        return "empty text"
    return "not text"
