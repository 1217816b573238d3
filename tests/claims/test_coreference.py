"""Coreference (``rumourscore._claims.coreference``): people grouped, objects flagged, pronouns resolved."""

from __future__ import annotations

from rumourscore._claims import claims
from rumourscore._claims.coreference import anaphors, entities, mark_objects
from rumourscore._claims.types import PersonMention


def test_entities_join_surnames_and_ignore_accents():
    display, keys = entities(["Kylian Mbappé", "Mbappe", "Xabi Alonso", "Alonso", "Kane"])
    assert keys == ["kylian mbappe", "kylian mbappe", "xabi alonso", "xabi alonso", "kane"]
    assert display["kylian mbappe"] == "Kylian Mbappé" and display["kane"] == "Kane"


def test_objects_of_a_succession_and_agents_are_not_subjects():
    text = "Xabi Alonso could replace Carlo Ancelotti, while Arsenal boss Mikel Arteta wants Tom Reed."
    people = [PersonMention(text.index(n), text.index(n) + len(n), n.lower(), n)
              for n in ("Xabi Alonso", "Carlo Ancelotti", "Mikel Arteta", "Tom Reed")]  # fmt: skip
    mark_objects(text, 0, people)
    assert [p.obj for p in people] == [False, True, True, False]


def test_pronouns_and_descriptions_are_anaphors():
    text = "The 24-year-old is keen, and he wants the move; the Napoli striker Victor Osimhen waits."
    people = [PersonMention(text.index("Victor"), len(text) - len(" waits."), "victor osimhen", "Victor Osimhen")]
    found = anaphors(text, 0, len(text), people)
    assert [(a.text, a.head) for a in found] == [("The 24-year-old", "24-year-old"), ("he", "pronoun")]


def test_coreference_resolves_to_the_last_named_subject(shipped_model):
    text = (
        "Chelsea are monitoring Marco Vellani. The Spaniard is also wanted by Napoli. "
        "His agent has held talks with Juventus, and the 24-year-old is keen on a move to Inter Milan."
    )
    found = claims(text, model=shipped_model)
    assert {(c.subject, c.to_club) for c in found} == {
        ("Marco Vellani", "Chelsea"), ("Marco Vellani", "Napoli"), ("Marco Vellani", "Juventus"),
        ("Marco Vellani", "Inter Milan"),
    }  # fmt: skip
