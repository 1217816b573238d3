"""Club roles (``rumourscore._claims.club_roles``): destination, origin, former club or neutral."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rumourscore._claims.club_roles import classify_club
from rumourscore._claims.mentions import find_clubs
from rumourscore._claims.types import DEST, FORMER, NEUTRAL, ORIGIN, WITH, Segment


def _roles(text: str) -> dict[str, tuple[str, bool, bool, str | None]]:
    """Club -> (role, exit, agent, modifier), each classified in the whole text as one segment."""
    out = {}
    previous_end = 0
    for c in find_clubs(text, []):
        classify_club(text, c, Segment(0, len(text)), previous_end)
        previous_end = c.end
        out[c.club] = (c.role, c.exit, c.agent, c.modifier)
    return out


@pytest.mark.parametrize(
    ("text", "club", "role"),
    [
        ("Tom Reed is close to a move to Chelsea.", "Chelsea", DEST),
        ("Tom Reed has interest from Napoli.", "Napoli", DEST),
        ("Chelsea are keeping tabs on Tom Reed.", "Chelsea", DEST),
        ("Tom Reed is wanted by Juventus.", "Juventus", DEST),
        ("Tom Reed could leave Everton.", "Everton", ORIGIN),
        ("Everton winger Tom Reed is wanted.", "Everton", ORIGIN),
        ("Tom Reed, whose contract at Everton expires, is wanted.", "Everton", ORIGIN),
        ("The former Liverpool midfielder is wanted.", "Liverpool", FORMER),
        ("Tom Reed is in talks with Arsenal.", "Arsenal", WITH),
        ("Tom Reed scored twice against Arsenal on Saturday.", "Arsenal", NEUTRAL),
        # pay at a club: a move when it is still to come, the current club otherwise
        ("Tom Reed will earn £200,000 a week at Chelsea.", "Chelsea", DEST),
        ("Tom Reed is set to earn £90,000-a-week at Napoli.", "Napoli", DEST),
        ("Tom Reed would be paid £5m a year by Lyon.", "Lyon", DEST),
        ("Tom Reed earns £200,000 a week at Chelsea.", "Chelsea", NEUTRAL),
        ("Tom Reed used to earn £20,000 a week at Everton.", "Everton", NEUTRAL),
    ],
)
def test_roles_from_the_words_around_a_club(text, club, role):
    assert _roles(text)[club][0] == role


def test_exit_agent_and_modifier():
    assert _roles("Tom Reed wants to leave Everton this summer.")["Everton"][:2] == (ORIGIN, True)
    assert _roles("Everton are ready to sell Tom Reed.")["Everton"][:2] == (ORIGIN, True)
    role, _, agent, modifier = _roles("Arsenal boss Mikel Arteta wants Tom Reed.")["Arsenal"]
    assert (role, agent, modifier) == (DEST, True, "coach")
    assert _roles("Everton striker Tom Reed is wanted.")["Everton"][3] == "player"



def _rule_words() -> list[str]:
    """The words of the rules before a club, in three cases and with "ſ" for "s", and a few others."""
    from rumourscore._claims import club_roles

    words = {w for _, rule in club_roles._BEFORE_RULES for w in re.findall(r"[a-z]+", rule.pattern.pattern)}
    words = sorted(w for w in words if len(w) > 1)
    long_s = [w.replace("s", "\u017f") for w in words[::11] if "s" in w]
    return [*words, *(w.upper() for w in words[::7]), *(w.title() for w in words[::5]), *long_s, "Arsenal", "2-1"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_rule_words()), max_size=8).map(" ".join), st.sampled_from(["", " ", "  ", ", "]))
def test_rules_before_a_club_are_searched_as_their_patterns(words, tail):
    """A rule's two-step search (its opening on the folded text first) agrees with its pattern alone."""
    from rumourscore._claims import club_roles
    from rumourscore._scan import fold_case_twins

    before = words + tail
    folded = fold_case_twins(before)
    for _, rule in (*club_roles._BEFORE_RULES, (None, club_roles._TO_BEFORE), (None, club_roles._OF_BEFORE)):
        assert rule.search(before, folded) == (rule.pattern.search(before) is not None)
