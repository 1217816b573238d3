"""One Aho-Corasick pass over a text finds every lexicon term, club name and signal term.

The tagger and the features used to scan each text three times with large regular
expressions (lexicon terms and structural patterns, club names, ``signals.csv`` terms).
:class:`TermMatcher` puts every term of the three tables into one Aho-Corasick automaton
(:mod:`ahocorasick`, the ``pyahocorasick`` package) together with the *trigger* words and
characters at which a structural pattern (money, age, contract length or expiry) can start,
so one pass gives:

* the candidate lexicon matches, resolved exactly as the old trie pattern did: at each
  position the longest term whose neighbours pass the boundary checks, left to right,
  never overlapping, and a structural pattern (tried only at its trigger positions) before
  any term at the same position;
* the club mentions and signal terms, each resolved the same way on its own.

Matching rules, as in :func:`rumourscore._lexicons.trie_pattern`: the text is lower-cased,
a space of a term matches a run of one to three white-space characters or hyphens and dashes
(U+2010-U+2015), and an apostrophe matches a straight or a curly one. To get there in one
pass the text is folded one character for one (separators to spaces, any other character that
is not a word character to ``"\\x01"``) and runs of two or three separators are collapsed to
one space (longer runs to ``"\\x01"``, which a term's space never matches; a term whose own
punctuation folds to it has its spelling checked), with a map back to the offsets of the
original text.

Every term is stored behind and before each character a non-word character folds to, and the
text starts and ends with ``"\\x01"``, so the automaton reports a term only where a word starts
and ends, never inside one ("is" in "this", "si" in "signing"); the guards on punctuation
(no "@", ".", ",", "#", "&" or currency sign right before a term of some tables, no "@" or
".x" after one) and the spelling of terms with punctuation ("marca.com", "o'neil") are
checked in Python on the few terms it reports. Currency signs, where money may
start whatever stands before them, are found with ``str.find``.

A text whose lower-case form is longer than itself ("İ") is folded one character for one as
the case-insensitive pattern of the old tagger compared it ("İ" and "ı" as "i", "ſ" as "s").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from functools import partial
from typing import Any, NamedTuple

import ahocorasick

from ._lexicons import normalise_term

__all__ = ["COMMON_MARKS", "SEPARATORS", "WHITESPACE", "TermHit", "TermMatcher", "fold_case", "fold_case_twins",
           "folded_twin", "lower"]  # fmt: skip

#: The characters ``\s`` matches in a ``str`` pattern (tested against ``re`` on every code point).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000"
)
#: What a space of a term matches: white space, the hyphen and the dashes U+2010-U+2015.
SEPARATORS = WHITESPACE + "-" + "".join(map(chr, range(0x2010, 0x2016)))
_RUNS = re.compile(" {2,}")
#: Longest run of separators a space of a term matches; a longer run becomes :data:`_OTHER`.
MAX_SPACE_RUN = 3
#: What the folded text has in place of any character that is not a word character ("(", '"',
#: "'", ".", "…") and of a longer run of separators: a boundary of a term but never its space
#: (a term's own punctuation folds to it too, and its spelling is checked on the text).
_OTHER = "\x01"
#: What a non-word character before or after a term folds to: a separator, or anything else.
_BEFORE = (" ", _OTHER)
#: The characters some guard forbids before a term (besides word characters).
_GUARD_CHARS = "@.,£€$#&"
#: Case-insensitive equivalents of ASCII letters that ``str.lower`` keeps apart.
_CASE_TWINS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
#: Trigger kinds: a structural pattern behind the word-start guard, a digit, or one without the guard.
GUARDED, DIGIT, UNGUARDED = 1, 2, 3
#: Characters (besides word characters) that may not stand right before a term of each table.
_GUARD_TAG = "@.,£€$"  # also before a structural pattern behind the guard
_GUARD_CLUB = "@#&"
_GUARD_SIGNAL = "@."
_NON_ASCII_MARK = re.compile(r"[^\w\x00-\x7f]")
#: The non-ASCII marks of most news text, replaced with ``str.replace`` before the (slower)
#: regex pass over whatever non-ASCII characters remain: currency signs, curly quotes, dashes,
#: the ellipsis and the no-break space.
COMMON_MARKS = "£€’‘“”–—…\xa0"
#: Every structural pattern that starts at a digit (an amount in words, a contract length, an
#: age) has its unit ("year", "month", a currency word) within this many characters of the
#: digit; at other digits (years, scores) the structural pattern is not tried (:func:`_digit_triggers`).
UNIT_WINDOW = 80


class TermHit(NamedTuple):
    """A term found in a text: ``text[start:end]`` and the value its table gives it."""

    start: int
    end: int
    value: Any


#: ``str.lower`` of each Latin-1 character, as a byte: each lowers to one Latin-1 character.
_LATIN1_LOWER = bytes(ord(chr(i).lower()) for i in range(256))


def lower(text: str) -> str:
    """``text.lower()``; a text of Latin-1 characters only (ASCII and "£", "é") is lowered as bytes.

    ``str.lower`` looks each character of a text that is not ASCII up in the Unicode tables (a
    text with a "£" took about 11,000 instructions); a byte translation of the same characters
    gives the same string, in a tenth of the time. (``str.lower`` reads a neighbour only for "Σ".)
    """
    if text.isascii():
        return text.lower()
    try:
        raw = text.encode("latin-1")
    except UnicodeEncodeError:  # curly quotes, dashes, other scripts
        return text.lower()
    return raw.translate(_LATIN1_LOWER).decode("latin-1")


def fold_case(text: str) -> tuple[str, bool]:
    """The lower-case text the matcher reads, and whether it is ``text.lower()`` itself.

    ``False`` means the lower-case form changes length ("İ"); the text is then lowered one
    character for one, with the case-insensitive equivalents of "i" and "s" folded to them.
    """
    lowered = lower(text)
    if len(lowered) == len(text):
        return lowered, True
    return fold_case_twins(text), False


def fold_case_twins(text: str) -> str:
    """``text`` lower-cased one character for one, with "İ", "ı" and "ſ" folded to "i", "i" and "s".

    Where a case-blind pattern made of lower-case words matches ``text``, the same pattern
    compiled case-sensitively matches this at the same offsets (``re.IGNORECASE`` lets those
    three match "i" and "s"; ``str.lower`` alone keeps them apart).
    """
    return text.translate(_CASE_TWINS).lower()


def folded_twin(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A case-blind ``pattern`` made of lower-case words, compiled case-sensitively to search folded text.

    On :func:`fold_case_twins` of a text the twin matches exactly where ``pattern`` matches the
    text (the folding keeps every offset and which characters are word characters), and sre
    tries a list of case-sensitive words about three times faster.

    Raises
    ------
    ValueError
        If ``pattern`` is not case-blind, or names a capital letter or a case-sensitive group.
    """
    bare = re.sub(r"\\.", "", pattern.pattern)  # escapes (\b, \s, \w, \u2019) say nothing of case
    if not pattern.flags & re.IGNORECASE or "(?-i" in bare or any(ch.isupper() for ch in bare):
        raise ValueError(f"not a case-blind pattern of lower-case words: {pattern.pattern[:60]!r}")
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def _collapse(folded: str) -> tuple[str, list[int], list[int]]:
    """Collapse runs of separators; return the text, the runs' new offsets and removed counts."""
    parts: list[str] = []
    runs: list[int] = []
    removed = [0]
    last = size = gone = 0
    for m in _RUNS.finditer(folded):
        start, end = m.span()
        parts.append(folded[last:start])
        size += start - last
        parts.append(" " if end - start <= MAX_SPACE_RUN else _OTHER)
        runs.append(size)
        size += 1
        gone += end - start - 1
        removed.append(gone)
        last = end
    parts.append(folded[last:])
    return "".join(parts), runs, removed


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _longest(cands: list[tuple[int, int, Any]], text: str, stops: str, ends_ok: Any) -> list[TermHit]:
    """Leftmost, then longest, non-overlapping ``(start, -end, value)`` candidates where ``ends_ok(text, end)``.

    A candidate ends before a character that is no word character (:meth:`TermMatcher._hits`), so
    ``ends_ok`` can fail only before one of ``stops``; it is not called before any other character.
    No two candidates of one table share their span (the automaton stores a term once, with one
    value per table), so the plain sort never compares two values.
    """
    hits: list[TermHit] = []
    pos = 0
    size = len(text)
    if len(cands) > 1:
        cands.sort()
    for start, end, value in cands:
        if start >= pos:
            end = -end
            if end < size and text[end] in stops and not ends_ok(text, end):
                continue
            hits.append(_new_hit((start, end, value)))
            pos = end
    return hits


#: ``_new_hit((start, end, value))`` is ``TermHit(start, end, value)`` without the Python-level ``__new__``.
_new_hit = partial(tuple.__new__, TermHit)
#: A club name ends before no word character, "&" or "-x"; a signal term before no word character or "@"
#: (the characters after which each check can fail, besides a word character, come first).
_CLUB_STOPS, _CLUB_END = "&-", re.compile(r"(?![\w&]|-\w)").match
_SIGNAL_STOPS, _SIGNAL_END = "@", re.compile(r"(?![\w@])").match


class TermMatcher:
    """One automaton over the lexicon, club and signal terms and the structural triggers.

    Parameters
    ----------
    lexicon, clubs, signals : dict
        ``normalise_term(term) -> value`` for each table.
    triggers : dict
        ``word or character -> GUARDED, DIGIT or UNGUARDED``: where a structural pattern may
        start (behind the word-start guard, at a digit, or anywhere: a currency sign).
    structural : re.Pattern
        The structural patterns, tried with ``match`` at each trigger position of the
        lower-cased text; their own guards and look-arounds decide.
    """

    def __init__(
        self,
        lexicon: dict[str, Any],
        clubs: dict[str, Any],
        signals: dict[str, Any],
        triggers: dict[str, int],
        structural: re.Pattern[str],
    ) -> None:
        self._ascii_fold = bytes(
            ord(" ") if chr(i) in SEPARATORS else i if _is_word(chr(i)) else ord(_OTHER) for i in range(128)
        ) + bytes(range(128, 256))  # UTF-8 lead and continuation bytes stay
        self._mark_fold = dict.fromkeys(SEPARATORS, " ")
        # (what fold_any makes of each Latin-1 character: a word character stays, a separator is a space)
        self._latin1_fold = self._ascii_fold[:128] + bytes(
            i if _is_word(chr(i)) else ord(self._mark_fold.get(chr(i), _OTHER)) for i in range(128, 256)
        )
        self._tables = (lexicon, clubs, signals, triggers)
        self._tag_automaton_built: Any = None
        self._automaton_built: Any = None
        self.structural = structural

    def _built(self, terms: bool) -> Any:
        """The automaton of every table (``terms``) or of the lexicon terms and triggers only (what
        :func:`tag` needs), built on first use."""
        if terms:
            if self._automaton_built is None:
                self._automaton_built = _automaton(list(self._tables))
            return self._automaton_built
        if self._tag_automaton_built is None:
            lexicon, _, _, triggers = self._tables
            self._tag_automaton_built = _automaton([lexicon, {}, {}, triggers])
        return self._tag_automaton_built

    def fold(self, lowered: str) -> str:
        """The lower-cased text as the automaton reads it (one character for one, before collapsing)."""
        try:  # most texts are Latin-1 ("£", "é"): one byte translation folds every character
            return lowered.encode("latin-1").translate(self._latin1_fold).decode("latin-1")
        except UnicodeEncodeError:
            return self.fold_any(lowered)

    def fold_any(self, lowered: str) -> str:
        """:meth:`fold` of any text: the ASCII characters by a byte translation, the rest one by one."""
        # (a lone surrogate, which no UTF-8 holds, passes through as one character like any other)
        folded = lowered.encode("utf-8", "surrogatepass").translate(self._ascii_fold).decode("utf-8", "surrogatepass")
        if not folded.isascii():
            table = self._mark_fold
            for mark in COMMON_MARKS:
                if mark in folded:
                    folded = folded.replace(mark, table.get(mark, _OTHER))
            if not folded.isascii() and _NON_ASCII_MARK.search(folded):  # (accented letters stay)
                folded = _NON_ASCII_MARK.sub(lambda m: table.get(m.group(), _OTHER), folded)
        return folded

    def _hits(self, lowered: str, terms: bool) -> tuple[list, list, list]:
        """Raw candidates, unsorted: tagging (``(start, 0, 0, None)`` for a trigger position and
        ``(start, 1, -end, entry)`` for a lexicon term, so that sorting puts the structural
        pattern first and then the longest term), and, when ``terms``, ``(start, -end, value)``
        for clubs and signals (the automaton of the lexicon alone has none).
        """
        folded = self.fold(lowered)
        runs: list[int] = []
        removed: list[int] = []
        if "  " in folded:
            folded, runs, removed = _collapse(folded)
        tagging: list[tuple[int, int, int, Any]] = []
        clubs: list[tuple[int, int, Any]] = []
        signals: list[tuple[int, int, Any]] = []
        if "£" in lowered or "€" in lowered or "$" in lowered:
            _currency_triggers(lowered, tagging)
        automaton = self._automaton_built if terms else self._tag_automaton_built
        if automaton is None:
            automaton = self._built(terms)
        guarded = _GUARD_CHARS
        for end, (size, tail, key, entry, club, signal, trigger) in automaton.iter(_OTHER + folded + _OTHER):
            end -= tail
            start = end - size
            if runs:
                start += removed[bisect_left(runs, start)]
                end += removed[bisect_left(runs, end - 1)]
            if key is not None:  # the term has characters the fold merged: check its spelling
                span = lowered[start:end]
                if span != key and normalise_term(span) != key:
                    continue
            if start and lowered[start - 1] in guarded:
                before = lowered[start - 1]
                if before in _GUARD_TAG:
                    entry, trigger = None, 0
                if before in _GUARD_CLUB:
                    club = None
                if before in _GUARD_SIGNAL:
                    signal = None
            if trigger:
                if trigger != DIGIT:
                    tagging.append((start, 0, 0, None))
                else:
                    _digit_triggers(lowered, start, tagging)
            if entry is not None:
                tagging.append((start, 1, -end, entry))
            if terms:
                if club is not None:
                    clubs.append((start, -end, club))
                if signal is not None:
                    signals.append((start, -end, signal))
        return tagging, clubs, signals

    def matches(self, lowered: str) -> list[tuple[int, int, str, Any]]:
        """Lexicon and structural matches of a lower-cased text, as one master pattern found them.

        Returns ``(start, end, group, payload)`` tuples, left to right and never overlapping:
        ``group`` is ``"lex"`` with the lexicon value as payload, or the structural pattern's
        group name with its match object.
        """
        return self._resolve(lowered, self._hits(lowered, False)[0])

    def scan(
        self, lowered: str, tags: bool = True
    ) -> tuple[list[tuple[int, int, str, Any]], list[TermHit], list[TermHit]]:
        """:meth:`matches` (when ``tags``), the club hits and the signal hits of a lower-cased text."""
        tagging, clubs, signals = self._hits(lowered, True)
        found = self._resolve(lowered, tagging) if tags else []
        clubs_found = _longest(clubs, lowered, _CLUB_STOPS, _CLUB_END)
        return found, clubs_found, _longest(signals, lowered, _SIGNAL_STOPS, _SIGNAL_END)

    def _resolve(self, lowered: str, tagging: list[tuple[int, int, int, Any]]) -> list[tuple[int, int, str, Any]]:
        """Left to right: at each position the structural pattern, else the longest term that may end there."""
        out: list[tuple[int, int, str, Any]] = []
        pos = 0
        match = self.structural.match
        size = len(lowered)
        if len(tagging) > 1:
            tagging.sort()
        for start, order, end, entry in tagging:
            if start < pos:
                continue
            if not order:
                m = match(lowered, start)
                if m is not None:
                    pos = m.end()
                    out.append((start, pos, m.lastgroup or "", m))
                continue
            end = -end
            if end < size:  # (?![\w@]|\.\w) after the term (the automaton ends terms before a non-word character)
                ch = lowered[end]
                if ch == "@" or (ch == "." and end + 1 < size and _is_word(lowered[end + 1])):
                    continue
            out.append((start, end, "lex", entry))
            pos = end
        return out


def _automaton(tables: list[dict[str, Any]]) -> Any:
    """Store every term (and trigger) of ``tables`` = [lexicon, clubs, signals, triggers].

    A term is stored as the fold reads it (characters that are neither word characters nor
    spaces become ``"\\x01"``) once behind each of the characters a non-word character folds to
    (``" "`` and ``"\\x01"``) and before each of them again (the text ends with
    ``"\\x01"``), so the automaton finds terms only where a word starts and ends: "si" is never
    reported inside "signing", nor "inter" inside "interest". Every end check of the callers
    forbids a word character after a term, so this only drops candidates they would reject.
    Triggers are stored without the character after them ("expir" starts "expires").
    A value is ``(length, tail, spelling, lexicon, club, signal, trigger)``: ``tail`` is 1
    where the stored word ends with the character after the term, and ``spelling`` is the term
    when folding changed it (its spelling is checked on the text), else ``None``.
    """
    stored: dict[str, list[Any]] = {}
    spelt: dict[str, str] = {}
    for slot, table in enumerate(tables, start=2):
        for key, value in table.items():
            if slot == 5 and value == UNGUARDED:  # currency signs are found with str.find
                continue
            folded = "".join(ch if ch == " " or _is_word(ch) else _OTHER for ch in key)
            if spelt.setdefault(folded, key) != key:  # pragma: no cover - lexicon terms that differ only in punctuation
                raise ValueError(f"terms {spelt[folded]!r} and {key!r} differ only in punctuation")
            row = stored.setdefault(folded, [len(key), None if folded == key else key, None, None, None, 0])
            row[slot] = value
    automaton = ahocorasick.Automaton()
    for folded, (size, spelling, *found, trigger) in stored.items():
        for before in _BEFORE:
            if trigger:  # a structural pattern may start here, whatever follows
                automaton.add_word(before + folded, (size, 0, None, None, None, None, trigger))
            if any(value is not None for value in found):  # a term: only where its word ends
                for after in _BEFORE:
                    automaton.add_word(before + folded + after, (size, 1, spelling, *found, 0))
    automaton.make_automaton()
    return automaton


def structural_triggers(words: Iterable[str]) -> dict[str, int]:
    """Trigger table: digits and ``words`` behind the guard; currency signs and the comma without it."""
    table = dict.fromkeys(words, GUARDED)
    table.update(dict.fromkeys("0123456789", DIGIT))  # and the ", 23" and "the 23" before them
    table.update(dict.fromkeys("£€$", UNGUARDED))
    return table


def _currency_triggers(lowered: str, tagging: list[tuple[int, int, int, Any]]) -> None:
    """Every currency sign is a trigger position: a structural pattern may start there, whatever stands before it."""
    for sign in "£€$":
        at = lowered.find(sign)
        while at >= 0:
            tagging.append((at, 0, 0, None))
            at = lowered.find(sign, at + 1)


def _digit_triggers(lowered: str, start: int, tagging: list[tuple[int, int, int, Any]]) -> None:
    """Trigger positions for a number at ``start``: ", 23" after a name, and the number itself (with a
    "the" before it, "the 23-year-old") when a unit word follows."""
    spaced = start > 1 and lowered[start - 1].isspace()
    if spaced and lowered[start - 2] == ",":
        tagging.append((start - 2, 0, 0, None))
    # a unit ("year", "month", a currency word: euro, pound, dollar, gbp, usd) within UNIT_WINDOW
    # characters and a few more: a superset of where a pattern that starts at a digit has its unit
    ahead = lowered[start : start + UNIT_WINDOW + 8]
    if ("year" in ahead or "eur" in ahead or "pound" in ahead or "month" in ahead or "dollar" in ahead
            or "gbp" in ahead or "usd" in ahead):  # fmt: skip
        tagging.append((start, 0, 0, None))
        if spaced and lowered[start - 4 : start - 1] == "the":
            tagging.append((start - 4, 0, 0, None))
