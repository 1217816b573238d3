"""Notes on a scored text that a user should look at: probably not English, or nothing tagged.

The language check is deliberately simple (no language model): a text is flagged
``"not English?"`` when most of its letters are not ASCII, or when it has at least
:data:`MIN_LOWERCASE_WORDS` lower-case ASCII words (capitalised words are mostly names, so
they are not counted) of which fewer than :data:`MIN_STOP_SHARE` are common English function
words or common words of English transfer news (:data:`ENGLISH_TRANSFER_WORDS`). The lexicons
are English, so such a text is scored on little more than its source. On the project's own
corpus (3,389 English reports) 2 are flagged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ._scan import COMMON_MARKS
from ._tagger import Tag

__all__ = [
    "ENGLISH_FUNCTION_WORDS", "ENGLISH_TRANSFER_WORDS", "NOT_ENGLISH", "NO_TAG", "language_note", "lower_words", "note",
    "word_counts",
]

NOT_ENGLISH = "not English?"
NO_TAG = "no tag found"
#: Common English function words (no "a", "per", ...: words other languages share are left out).
ENGLISH_FUNCTION_WORDS = frozenset(
    "the and or of to in on for with is are was were be been being has have had he his him she her they them "
    "their it its at by from that this these those will would could should can as not but says said we our us "
    "you your who which what when after over into out up about than then there here one two also just".split()
)
#: Common English words of transfer news, counted with the function words (headlines have few of those).
ENGLISH_TRANSFER_WORDS = frozenset(
    "want wants make made sign signing signed deal done move moves bid bids offer offers rejected reject keen "
    "talks agreed agree close closing join joins joining leave leaving set target targets plot swoop star boss "
    "manager coach striker midfielder defender winger goalkeeper forward player players fee fees million "
    "contract expires summer january window loan permanent medical terms personal interest interested "
    "monitoring tracking hope hopes remain confident ready first second next top big new late despite "
    "worth around including bonuses reported report reports claims claim confirmed land lands refuse let "
    "sensational bombshell giants side club clubs season year years old according source sources".split()
)
#: Fewest lower-case ASCII words for the function-word share to be judged.
MIN_LOWERCASE_WORDS = 4
#: Below this share of function words among the lower-case words, the text is flagged.
MIN_STOP_SHARE = 0.15
#: Above this share of non-ASCII letters, the text is flagged.
MAX_NON_ASCII_SHARE = 0.3
#: A lower-case ASCII word with no word character or apostrophe before it and no word character
#: after it, as ``(?<![\w'\u2019])[a-z]+(?!\w)`` finds it; read on the text behind one space, the
#: character before the word is matched instead of looked behind at, which is about 20 % faster.
_LOWER_WORD = re.compile(r"[^\w'\u2019]([a-z]+)(?!\w)")
#: How :func:`language_note` reads each ASCII byte: "a"-"z" stay, any other word character becomes
#: "#", the apostrophe stays, anything else becomes a space. The lower-case words are then the
#: words of the bytes made only of "a"-"z" (C-level translations and splits; the regex pass of
#: :func:`lower_words` took about a sixth of the instructions of a scored line).
_CLASS_BYTES = bytes(i if 97 <= i <= 122 else 35 if chr(i).isalnum() or i == 95 else 39 if i == 39 else 32
                     for i in range(128)) + bytes(128)  # fmt: skip
_LETTER_BYTES = bytes(range(97, 123))
#: The non-ASCII marks of most news text (the scanner's list) and their ASCII stand-ins: the curly
#: apostrophe is an apostrophe, the rest are no word characters. A text with any other non-ASCII
#: character (an accented letter, another script) is read with :func:`lower_words`.
_MARK_STAND_INS = tuple((mark, "'" if mark == "\u2019" else " ") for mark in COMMON_MARKS)
#: :data:`_CLASS_BYTES` for the bytes of a Latin-1 text: the common marks among them ("£", the no-break
#: space) read as their stand-ins, and any other character that is not ASCII ("é") stays a byte that is not
#: ASCII (such a text is read as before). One translation reads most texts, which are ASCII but for a "£".
_LATIN1_CLASS = _CLASS_BYTES[:128] + bytes(
    _CLASS_BYTES[ord(dict(_MARK_STAND_INS)[chr(i)])] if chr(i) in COMMON_MARKS else 128 for i in range(128, 256)
)
_ASCII = re.compile(r"[\x00-\x7f]+")
_NOT_ASCII_LETTER = re.compile(r"[^A-Za-z]+")
_ENGLISH_WORDS = ENGLISH_FUNCTION_WORDS | ENGLISH_TRANSFER_WORDS
_ENGLISH_BYTES = frozenset(word.encode() for word in _ENGLISH_WORDS)


def lower_words(text: str) -> list[str]:
    """The lower-case ASCII words of ``text`` (capitalised words, mostly names, are not counted)."""
    return _LOWER_WORD.findall(" " + text)


def word_counts(text: str) -> tuple[int, int]:
    """How many words :func:`lower_words` finds in ``text``, and how many of them are English words."""
    return _word_counts(text, _marks_replaced(text))


def _marks_replaced(text: str) -> str:
    """``text`` with the common non-ASCII marks replaced by their ASCII stand-ins."""
    if not text.isascii():
        for mark, stand_in in _MARK_STAND_INS:
            if mark in text:
                text = text.replace(mark, stand_in)
    return text


def _word_counts(text: str, plain: str) -> tuple[int, int]:
    if not plain.isascii():  # accented letters, other scripts
        words = lower_words(text)
        return len(words), sum(map(_ENGLISH_WORDS.__contains__, words))
    count, words = _classed_words(plain.encode("ascii").translate(_CLASS_BYTES))
    return count, sum(map(_ENGLISH_BYTES.__contains__, words))


def _classed_words(classed: bytes) -> tuple[int, list[bytes]]:
    """How many lower-case words the classed bytes of a text hold, and all its words (lower-case or not)."""
    if b"'" in classed:  # a word right after an apostrophe is never counted ("don't": "don" only)
        classed = classed.replace(b"'", b" #")
    words = classed.split()
    mixed = len(classed.translate(None, _LETTER_BYTES).split())  # the words with a byte other than a-z
    return len(words) - mixed, words


def _latin1_note(text: str) -> tuple[bool, str | None]:
    """Whether ``text`` is ASCII but for the Latin-1 marks ("£"), and then its :func:`language_note`.

    Each English word it holds counts at least once: where those alone make the share of English
    words, the repeats are not counted (looking a word up cost more than all else).
    """
    try:
        classed = text.encode("latin-1").translate(_LATIN1_CLASS)
    except UnicodeEncodeError:
        return False, None
    if not classed.isascii():
        return False, None
    count, words = _classed_words(classed)
    if count < MIN_LOWERCASE_WORDS or len(_ENGLISH_BYTES.intersection(words)) / count >= MIN_STOP_SHARE:
        return True, None
    return True, NOT_ENGLISH if sum(map(_ENGLISH_BYTES.__contains__, words)) / count < MIN_STOP_SHARE else None


def language_note(text: str) -> str | None:
    """``"not English?"`` when ``text`` looks like another language, else None.

    Examples
    --------
    >>> language_note("Arsenal have agreed a fee with Lille for the striker")
    >>> language_note("El club ha cerrado el fichaje del delantero por cinco temporadas")
    'not English?'
    >>> language_note("Juventus want Jonathan David, Tuttosport claims.")  # too few words to judge
    """
    read, found = _latin1_note(text)
    if read:
        return found
    plain = _marks_replaced(text)
    if not plain.isascii():  # (most texts are ASCII but for a few marks: the letters are counted only when needed)
        foreign = sum(ch.isalpha() for ch in _ASCII.sub("", text))  # "£" and emoji are no letters
        if foreign and foreign / (foreign + len(_NOT_ASCII_LETTER.sub("", text))) > MAX_NON_ASCII_SHARE:
            return NOT_ENGLISH
    words, english = _word_counts(text, plain)
    if words < MIN_LOWERCASE_WORDS:
        return None
    return NOT_ENGLISH if english / words < MIN_STOP_SHARE else None


def note(text: str, tags: Sequence[Tag]) -> str | None:
    """The ``note`` of a scored text: ``"not English?"``, ``"no tag found"``, both, or None.

    Examples
    --------
    >>> note("Keen on him", [])
    'no tag found'
    """
    language = language_note(text)
    if tags:
        return language
    return f"{language}; {NO_TAG}" if language else NO_TAG
