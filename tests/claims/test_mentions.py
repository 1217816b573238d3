"""Mentions (``rumourscore._claims.mentions``): clubs with their ambiguous aliases, and people's names."""

from __future__ import annotations

import pytest

from rumourscore._claims import claims
from rumourscore._claims.mentions import find_clubs, name_runs, overlaps, resolve_desc_club, within
from rumourscore._pool import canonical_club


def test_find_clubs_needs_context_for_ambiguous_aliases():
    found = find_clubs("Villa are keen on a move. David Villa scored. Arsenal have a Real problem.", [])
    assert [(c.club, c.text) for c in found] == [("Aston Villa", "Villa"), ("Arsenal", "Arsenal")]
    text = "Tom Reed is close to a move to Real."
    assert [c.club for c in find_clubs(text, [])] == ["Real Madrid"]
    assert find_clubs(text, [(text.index("Real"), len(text) - 1)]) == []  # a blocked span (a source) is no club


def test_name_runs_strip_stop_words_and_keep_particles():
    text = "Reports say Virgil van Dijk and Champions League winner Kylian Mbappe met Sky Sports."
    spans = name_runs(text, 0, len(text), 0, [], frozenset(), frozenset({"say"}))
    assert [text[s:e] for s, e in spans] == ["Virgil van Dijk", "Kylian Mbappe", "Sky Sports"]
    sky = text.index("Sky")
    spans = name_runs(text, 0, len(text), 0, [(sky, sky + len("Sky Sports"))], frozenset(), frozenset())
    assert "Sky Sports" not in [text[s:e] for s, e in spans]


def test_a_country_that_is_also_a_first_name_is_a_stop_word_only_before_its_listed_words():
    def names(text):
        return [text[s:e] for s, e in name_runs(text, 0, len(text), 0, [], frozenset(), frozenset())]

    assert names("Lens want Jordan Henderson and Diego Costa.") == ["Lens", "Jordan Henderson", "Diego Costa"]
    assert names("Lens want Jordan forward Musa Al-Taamari and Costa Rica keeper Keylor Navas.") == [
        "Lens", "Musa Al-Taamari", "Keylor Navas"]  # fmt: skip


def test_overlaps_and_within():
    spans = [(0, 5), (10, 15)]
    assert overlaps(spans, 4, 6) and overlaps(spans, 12, 13) and not overlaps(spans, 5, 10)

    class Item:
        def __init__(self, start):
            self.start = start

    items = [Item(1), Item(4), Item(9)]
    assert [i.start for i in within(items, 2, 9)] == [4]


def test_ambiguous_aliases_need_context(shipped_model):
    (claim,) = claims("Villa are keen on Celtic forward Daizen Maeda.", model=shipped_model)
    assert claim.to_club == "Aston Villa"
    assert claims("David Villa scored twice for Spain in the friendly.", model=shipped_model) == []
    (claim,) = claims("Xabi Alonso is open to a move to Real this summer.", model=shipped_model)
    assert claim.to_club == "Real Madrid"
    assert claims("Xabi Alonso says it would be a real honour.", model=shipped_model) == []


NICKNAMES = ["Los Blancos", "the Bernabeu", "the Gunners", "Spurs", "PSG", "Barca", "the Bavarians"]


@pytest.mark.parametrize("alias", NICKNAMES)
def test_nicknames_are_destinations(alias, shipped_model):
    (claim,) = claims(f"Marco Vellani is close to a move to {alias}, according to Sky Sports.", model=shipped_model)
    assert claim.to_club == canonical_club(alias)
    assert claim.status == "rumour"


def test_club_descriptions_resolve_to_the_subjects_club_when_the_country_fits():
    text = "Xabi Alonso will leave the German champions."
    countries = {"Bayer Leverkusen": "GER", "Everton": "ENG"}
    (found,) = resolve_desc_club(text, 0, len(text), "xabi alonso", {"xabi alonso": "Bayer Leverkusen"}, countries)
    assert (found.club, found.text) == ("Bayer Leverkusen", "the German champions")
    assert resolve_desc_club(text, 0, len(text), "tom reed", {"tom reed": "Everton"}, countries) == []
    assert resolve_desc_club(text, 0, len(text), None, {}, countries) == []
