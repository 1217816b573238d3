"""Text helpers: sentence splitting and name masking (no language model needed)."""

from __future__ import annotations

import datetime as dt
import ntpath
import numbers
import os
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

__all__ = [
    "MAX_TEXT_CHARS",
    "CopyFinder",
    "article_date",
    "check_date",
    "check_source",
    "check_text",
    "date_header",
    "date_problem",
    "first_similar",
    "is_blank",
    "is_missing",
    "mask_names",
    "masked_key",
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
# It starts only at the first mark of a run ("..." is tried once, not at every dot: linear time).
_END = re.compile(
    r"(?<![.!?\u2026])[.!?\u2026]+[\"'\u201d\u2019)\]]*"
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
_CAPITAL = r"[A-Z\u00c0-\u00de]"
_WORD_TAIL = rf"[\w\-]*(?:['\u2019]{_CAPITAL}[\w\-]*)*"
_WORD = _CAPITAL + _WORD_TAIL
# The start check stands after the first capital, (?<![\w'\u2019].), not before it, so that sre
# skips to the capitals instead of trying every position (the same matches, about 20 % faster).
_CAPITALISED = re.compile(rf"{_CAPITAL}(?<![\w'\u2019].){_WORD_TAIL}"
                          rf"(?:\s+(?:(?:de|da|van|von|der|di|del|dos|la|le)\s+)?{_WORD})*")  # fmt: skip


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


#: How many distinct texts :func:`masked_key` remembers (feeds repeat lines a lot).
TEXT_CACHE_SIZE = 16384


def masked_key(text: Any) -> str:
    """The text with names masked, lower-cased and its spaces collapsed: repeats and copies share it."""
    if not isinstance(text, str):
        return ""
    return _masked_key(text)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def _masked_key(text: str) -> str:
    return " ".join(mask_names(text).lower().split())


def first_similar(text: str, others: list[str]) -> int | None:
    """Index of the first of ``others`` with a rapidfuzz ratio of at least :data:`NEAR_DUPLICATE_RATIO`
    with ``text``, or None (all of them compared in one call into rapidfuzz)."""
    if not others:
        return None
    extract, ratio = _rapidfuzz()
    found = extract(text, others, scorer=ratio, processor=None, score_cutoff=NEAR_DUPLICATE_RATIO, limit=None)
    return min(index for _, _, index in found) if found else None


@lru_cache(maxsize=1)
def _rapidfuzz() -> tuple[Callable[..., Any], Callable[..., Any]]:
    """rapidfuzz's ``process.extract`` and ``fuzz.ratio``, imported on first use (not with the package)."""
    from rapidfuzz import fuzz, process

    return process.extract, fuzz.ratio


#: Two reports are copies when their name-masked texts have a rapidfuzz ratio at least this.
NEAR_DUPLICATE_RATIO = 90.0
#: A report is compared with at most this many earlier distinct reports of its claim (the latest ones).
MAX_DUPLICATE_COMPARISONS = 200


class CopyFinder:
    """The earlier report a report copies: the same masked text, or a near duplicate of a recent one.

    Reports are looked at in date order; ``key`` identifies a masked text (the text itself,
    or a content key such as :meth:`rumourscore._text_store.TextStore.key`), and an empty
    masked text copies nothing.
    """

    def __init__(self) -> None:
        self.exact: dict[Any, Any] = {}  # key -> position of the first report with that text
        self.texts: list[str] = []  # masked texts of the originals, in order
        self.positions: list[Any] = []  # and their positions

    def copy_of(self, key: Any, text: Callable[[], str], position: Any) -> Any:
        """Position of the earlier report this one copies; else None, and it is recorded as an original.

        ``text()`` gives the masked text; it is called only when no earlier report has the same
        key. A report with an empty masked text copies nothing and is not recorded.
        """
        found = self.exact.get(key)
        if found is not None:
            return found
        masked = text()
        if not masked:
            return None
        first = max(0, len(self.texts) - MAX_DUPLICATE_COMPARISONS)  # the latest originals only
        near = first_similar(masked, self.texts[first:])
        if near is not None:
            return self.positions[first + near]
        self.exact[key] = position
        self.texts.append(masked)
        self.positions.append(position)
        return None


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


def article_date(text: str, filename: str | os.PathLike[str] | None = None) -> str | None:
    """Return the ISO date an article declares, or ``None``.

    Looks for a leading ``date 2024-11-14`` header line in the text, then for an ISO
    date in the file name (``2024-11-14_alonso.txt``; the folders of a path are not read). A
    date that does not exist (``2024-13-45``) or that :func:`parse_date` would not read (a year
    outside :data:`DATE_YEARS`) is no date.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"article_date() expects a str, got {type(text).__name__}")
    candidates = [date for date in (date_header(text)[1],) if date]
    if filename:
        name = os.fsdecode(filename) if isinstance(filename, bytes | os.PathLike) else str(filename)
        candidates += _DATE_IN_NAME.findall(ntpath.basename(name))  # (splits at "/" and "\\" alike)
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
    """Whether ``iso`` is a day that exists, in a year :func:`parse_date` reads (:data:`DATE_YEARS`)."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return False
    return DATE_YEARS[0] <= day.year <= DATE_YEARS[1]


#: Tokens of the word channel: lower-case words of two or more letters (after masking).
_TOKEN = re.compile(r"(?u)\b[a-z][a-z'-]+\b")


#: Dates outside these years are read as mistakes ("9999-01-01"), not as report dates.
DATE_YEARS = (1900, 2100)
#: Longest date string read; anything longer is not a date.
MAX_DATE_CHARS = 64
#: A year-first day: ISO's ``2024-11-20`` and the same order with "/", "." or a space (always year,
#: month, day: no convention puts the day second), with a time after it or none.
_ISO_DAY = re.compile(r"(\d{4})[-/. ](\d{1,2})[-/. ](\d{1,2})(?:[T ].*)?")
_YEAR_MONTH = re.compile(r"(\d{4})(?:[-/.](\d{1,2}))?")
_HAS_YEAR = re.compile(r"(?<!\d)\d{4}(?!\d)")


def is_missing(value: Any) -> bool:
    """Whether a cell is missing: None, ``pd.NA``, ``pd.NaT`` or a NaN of any number type.

    The one test of a missing cell in the library (it needs no pandas). Text is never missing
    here, not even a blank one: see :func:`is_blank`.

    Examples
    --------
    >>> [is_missing(v) for v in (None, float("nan"), "", 0)]
    [True, True, False, False]
    """
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return True
    if value.__class__ is str:
        return False
    try:
        return bool(value != value)  # a NaN (float, numpy, Decimal) or numpy's NaT
    except (TypeError, ValueError):  # (an array compares element by element)
        return False


def is_blank(value: Any) -> bool:
    """:func:`is_missing`, or text of nothing but spaces: a date or name cell left empty."""
    if isinstance(value, str):
        return not value.strip()  # an empty cell is a missing date, not an unreadable one
    return is_missing(value)


def parse_date(value: Any, *, monthfirst: bool = False) -> dt.date | None:
    """Read a report date; None when there is none or it cannot be read.

    Accepts ``date``, ``datetime`` (pandas ``Timestamp`` too), numpy ``datetime64``, a year as a
    number (``2024``, as a year column is read) and strings in the common forms:
    ISO (``2024-11-20``), day first (``20/11/2024``, ``20 November 2024``, ``20.11.2024``),
    month names (``Nov 20, 2024``), ``2024/11/20``, and a year or a month alone (``2024``,
    ``2024-11``, ``November 2024``), read as the first day of that period. An ambiguous
    ``05/06/2024`` is the 5th of June unless ``monthfirst`` (most football sources are European).
    A date must name its year, and the year must lie in :data:`DATE_YEARS`.

    Examples
    --------
    >>> parse_date("20/11/2024"), parse_date("Nov 20, 2024"), parse_date("2024")
    (datetime.date(2024, 11, 20), datetime.date(2024, 11, 20), datetime.date(2024, 1, 1))
    >>> parse_date("05/06/2024", monthfirst=True)
    datetime.date(2024, 5, 6)
    """
    if value.__class__ is dt.date:  # (a day read before: the common case, checked first)
        return value if DATE_YEARS[0] <= value.year <= DATE_YEARS[1] else None
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        day = _parse_date_text(value.strip(), monthfirst)
    elif isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer():
        year = int(value)  # a year column read as numbers (2024, or 2024.0 beside missing cells)
        day = dt.date(year, 1, 1) if DATE_YEARS[0] <= year <= DATE_YEARS[1] else None
    elif type(value).__name__ == "datetime64":  # numpy's (NaT was caught as missing)
        day = value.astype("datetime64[D]").item()
        day = day if isinstance(day, dt.date) else None  # (outside Python's years numpy gives an int)
    else:
        return None
    return day if day is not None and DATE_YEARS[0] <= day.year <= DATE_YEARS[1] else None


@lru_cache(maxsize=4096)  # feeds repeat the same few dates on many rows
def _parse_date_text(text: str, monthfirst: bool) -> dt.date | None:
    if not text or len(text) > MAX_DATE_CHARS or not _HAS_YEAR.search(text):
        return None
    try:
        if m := _ISO_DAY.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _YEAR_MONTH.fullmatch(text):
            return dt.date(int(m[1]), int(m[2] or 1), 1)
        from dateutil import parser  # only for the uncommon forms: pandas is not needed to score

        default = dt.datetime(2000, 1, 1)
        return parser.parse(text, dayfirst=not monthfirst, default=default).date()
    except (ValueError, OverflowError, TypeError):
        return None


def date_problem(value: Any, *, monthfirst: bool = False) -> str | None:
    """Why a non-missing date cannot be read ("unreadable date '...'"), or None."""
    unreadable = _unreadable_date(value, monthfirst)
    return f"{unreadable}: scored without a date" if unreadable else None


def check_date(value: Any, *, monthfirst: bool = False) -> None:
    """Raise ``ValueError`` for a date that is given (not missing) but cannot be read.

    The single-text entry points (``score``, ``explain``, ``claims``) refuse such a date; a
    table's rows say so in their ``note`` instead (:func:`date_problem`).
    """
    unreadable = _unreadable_date(value, monthfirst)
    if unreadable:
        raise ValueError(f"{unreadable}: give the date as 2024-11-20, 20/11/2024 or Nov 20, 2024")


def _unreadable_date(value: Any, monthfirst: bool) -> str | None:
    """``"unreadable date '...'"`` (the value cut at 40 characters) for a given date that cannot be read."""
    if is_blank(value) or parse_date(value, monthfirst=monthfirst) is not None:
        return None
    shown = str(value)
    return f"unreadable date {shown[:40]!r}" + ("..." if len(shown) > 40 else "")


def check_source(source: Any, caller: str) -> None:
    """Raise ``TypeError`` for a source that is given but is not text (bytes, a number, a list).

    The single-text entry points (``score``, ``explain``, ``claims``, ``render_html``) refuse
    it; a missing one (None, NaN) is no source. (A table's cells are read as they come.)
    """
    if not isinstance(source, str) and not is_missing(source):  # (None is missing)
        raise TypeError(f"{caller}(): source must be a str (an outlet or journalist), got {type(source).__name__}")


def check_text(text: Any) -> str | None:
    """Return the reason a cell cannot be scored ("empty text", "not text"), or None."""
    if isinstance(text, str):
        return "empty text" if not text.strip() else None
    if is_missing(text):
        return "empty text"
    return "not text"
