"""Status (``rumourscore._claims.status``): support, denial, completed, background."""

from __future__ import annotations

import datetime as dt

from rumourscore._claims import claims
from rumourscore._claims.status import draft_status, evidence_role, is_background, tag_role
from rumourscore._tagger import Tag, tag


def test_draft_status_from_the_roles_in_text_order():
    assert draft_status(["background", "background"]) == "background"
    assert draft_status(["support", "completed", "denial"]) == "completed"
    assert draft_status(["support", "denial", "background"]) == "denied"
    assert draft_status(["denial", "support"]) == "rumour"


def test_background_is_the_past():
    day = dt.date(2024, 11, 14)
    assert is_background(day, "he joined Real Madrid in 2019")
    assert is_background(day, "he was tipped to take over from Klopp")
    assert not is_background(day, "Real Madrid are keeping tabs on him")
    assert not is_background(day, "he joined Real Madrid on Monday")


def test_roles_of_a_sentence():
    def role(text, club):
        a = text.index(club)
        return evidence_role(dt.date(2024, 6, 1), text, (0, len(text)), (a, a + len(club)), tag(text))

    assert role("Chelsea have completed the signing of Tom Reed.", "Chelsea") == "completed"
    assert role("Chelsea have denied any interest in Tom Reed.", "Chelsea") == "denial"
    assert role("Chelsea are set to complete the signing of Tom Reed.", "Chelsea") == "support"
    text = "Chelsea rejected a bid for Reed"
    denial = Tag("denial", 8, 16, "rejected", None)
    assert tag_role(text, [denial]) == "denial"


def test_later_clubless_sentences_support_or_deny(shipped_model):
    text = "Arsenal have agreed a fee with Lille for Jonathan David. The striker will have a medical on Monday."
    (claim,) = claims(text, model=shipped_model)
    assert [ev.role for ev in claim.evidence] == ["support", "support"]
    denied = claims(text + " However, David has since insisted he will stay at Lille.", model=shipped_model)
    assert denied[0].status == "denied"
    assert denied[0].likelihood < claim.likelihood


def test_a_move_made_instead_is_found_however_long_the_pattern_allows_it_to_be():
    # the window before the club was 100 characters, the pattern's longest match 104
    from rumourscore import tag
    from rumourscore._claims.status import DENIED_INSTEAD_CHARS, set_aside

    between = " R" + "x" * 60 + " before   instead   signed   with   the   "
    assert len(between) == DENIED_INSTEAD_CHARS
    text = "Reed rejected" + between + "Chelsea."
    denials = [t for t in tag(text) if t.kind == "denial"]
    assert denials and set_aside(text, (0, len(text)), text.index("Chelsea"), denials) == (denials[0].start,)
