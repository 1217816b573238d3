"""Notes on scored texts (``rumourscore._notes``): probably not English, nothing tagged."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from rumourscore._notes import (
    ENGLISH_FUNCTION_WORDS,
    ENGLISH_TRANSFER_WORDS,
    NO_TAG,
    NOT_ENGLISH,
    language_note,
    lower_words,
    note,
    word_counts,
)


def test_language_note():
    assert language_note("Arsenal have agreed a fee with Lille for the striker") is None
    assert language_note("El club ha cerrado el fichaje del delantero por cinco temporadas") == NOT_ENGLISH
    assert language_note("Juventus want Jonathan David, Tuttosport claims.") is None  # too few words to judge
    assert language_note("Ölçü çığır şöyle ğüzel çalışma") == NOT_ENGLISH  # mostly non-ASCII letters
    assert note("Keen on him", []) == NO_TAG


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "A", "é", "_", "1", "'", "\u2019", " ", "-", "the", "Don't", "\n", "ǅ",
                                 "\u212a"]), max_size=24).map("".join))  # fmt: skip
def test_lower_case_words_are_those_of_the_plain_pattern(text):
    """The words the language check counts are those of the pattern as first written (start check first)."""
    assert lower_words(text) == re.findall(r"(?<![\w'\u2019])[a-z]+(?![\w])", text)


_ENGLISH = ENGLISH_FUNCTION_WORDS | ENGLISH_TRANSFER_WORDS
_PIECES = ["a", "b", "the", "to", "deal", "A", "é", "_", "1", "'", "\u2019", "\u2018", " ", "-", "Don't", "\n", "ǅ",
           "\u212a", "£", "€", "…", "\xa0", "—", "#", "\x00", "ß", "x'y", "\t"]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(_PIECES), max_size=24).map("".join), st.text(max_size=40)))
def test_word_counts_are_the_lower_case_words_and_their_english_ones(text):
    """The byte-level count (ASCII text and the common marks) agrees with the regex's words."""
    words = lower_words(text)
    assert word_counts(text) == (len(words), sum(w in _ENGLISH for w in words))


def test_word_counts_on_a_gossip_line():
    text = "Arsenal don't want the £40m-rated striker \u2013 they're keen on Lille's 23-year-old (Sun)"
    assert lower_words(text) == ["don", "want", "the", "rated", "striker", "they", "keen", "on", "year", "old"]
    assert word_counts(text) == (10, 8)  # all but "don" and "rated"


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join), st.text(max_size=40)))
def test_language_note_of_latin1_text_is_the_share_of_english_words(text):
    """The Latin-1 path (English words counted once each when that settles it) says what the counts say."""
    from rumourscore._notes import MIN_LOWERCASE_WORDS, MIN_STOP_SHARE, _latin1_note

    read, found = _latin1_note(text)
    if read:
        words, english = word_counts(text)
        assert found == (NOT_ENGLISH if words >= MIN_LOWERCASE_WORDS and english / words < MIN_STOP_SHARE else None)


def test_language_note_of_latin1_text_on_repeated_words():
    # one English word among twelve is too few; the same word three times among fourteen is enough
    assert language_note("le fichaje de la ville the el la del por una rue £40m") == NOT_ENGLISH
    assert language_note("le fichaje de la ville the el the la del por una the rue £40m") is None
