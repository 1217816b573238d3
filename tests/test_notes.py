"""Notes on scored texts (``rumourscore._notes``): probably not English, nothing tagged."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from rumourscore._notes import NO_TAG, NOT_ENGLISH, language_note, lower_words, note


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
