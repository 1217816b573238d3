"""Vocabulary (``rumourscore._claims.vocabulary``): the word lists read from ``lexicons/claims_vocabulary.csv``."""

from __future__ import annotations

import re

import pytest

from rumourscore._claims import vocabulary as v
from rumourscore._lexicons import term_lexicon

KINDS = {"stop", "particle", "player_role", "coach_role", "demonym", "club_country", "coach_cue", "player_cue",
         "club_staff", "team_noun", "description_head", "descriptor_modifier"}  # fmt: skip


def test_every_row_has_a_known_kind_and_a_note():
    rows = term_lexicon(v.VOCABULARY_FILE)
    assert {r.kind for r in rows} == KINDS
    assert all(r.note.strip() for r in rows)
    pairs = [(r.term, r.kind) for r in rows]
    assert len(pairs) == len(set(pairs)), "a term repeats within its kind"


def test_word_lists_are_loaded_from_the_file():
    assert {"reports", "january", "champions", "ivorian"} <= v.STOP_CAPS
    assert {"van", "de", "ten"} <= v.PARTICLES
    assert v.DEMONYM_COUNTRY["german"] == "GER" and v.DEMONYM_COUNTRY["premier league"] == "ENG"
    assert all(len(code) == 3 and code.isupper() for code in v.DEMONYM_COUNTRY.values())
    assert v.ROLE_NOUNS.startswith(v.ROLE_COACH) and "striker" in v.ROLE_PLAYER.split("|")


def test_alternations_match_multi_word_terms_with_flexible_spacing():
    coach = re.compile(rf"\b(?:{v.COACH_CUES})\b", re.IGNORECASE)
    assert coach.search("the head  coach was sacked") and coach.search("he is In Charge")
    assert not coach.search("a coachload of fans")
    with pytest.raises(ValueError, match="no terms"):
        v.alternation("no such kind")


def test_fold_is_the_key_of_a_name():
    assert v.fold("Kylian  Mbappé") == v.fold("kylian mbappe") == "kylian mbappe"
    assert "eurosport" in v.source_alias_keys()
    assert v.denial_strengths() and all(0.0 <= w <= 1.0 for w in v.denial_strengths().values())
