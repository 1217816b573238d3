"""A sentence that names no one and no club ("Here we go!", "Medical booked."): evidence for the claim in reach.

It supports the one live claim the sentence before it gave evidence to (the first sentence of a
text: the claim of the sentence after it), as a sentence about "he" would. Several claims in
reach, none, a sentence of its own club, a denial or a negated stage: it supports nothing.
"""

from __future__ import annotations

import pytest

from rumourscore._claims import claims


def _evidence(found) -> dict[tuple[str, str | None], list[str]]:
    """Each claim (subject, destination) -> the texts of its evidence."""
    return {(c.subject, c.to_club): [ev.text for ev in c.evidence] for c in found}


@pytest.mark.parametrize(
    "text, unnamed",
    [
        ("Here we go! Tomas Kovar to Brentford.", "Here we go!"),  # before the claim: the first sentence
        ("Tomas Kovar to Brentford. Here we go!", "Here we go!"),  # after it
        ("Tomas Kovar to Brentford. Medical booked for Tuesday.", "Medical booked for Tuesday."),
        ("Brentford have agreed a fee with Sparta Prague for Tomas Kovar. Personal terms agreed.",
         "Personal terms agreed."),
        ("Here we go, confirms Fabrizio Romano. Tomas Kovar to Brentford.", "Here we go, confirms Fabrizio Romano."),
    ],
)  # fmt: skip
def test_an_unnamed_deal_sentence_supports_the_adjacent_claim(text, unnamed, shipped_model):
    (claim,) = claims(text, model=shipped_model)
    assert (claim.subject, claim.to_club, claim.status) == ("Tomas Kovar", "Brentford", "rumour")
    (ev,) = [ev for ev in claim.evidence if ev.text == unnamed]
    assert ev.role == "support" and text[ev.start : ev.end] == unnamed
    alone = claims(text.replace(unnamed, "").strip(), model=shipped_model)[0]
    assert claim.likelihood > alone.likelihood  # the stage counts: "here we go" is nearly done


def test_before_and_after_score_as_the_pronoun_sentence_does(shipped_model):
    claim = "Tomas Kovar to Brentford."
    pronoun = claims(f"{claim} He will have his medical on Friday.", model=shipped_model)[0]
    after = claims(f"{claim} Medical on Friday.", model=shipped_model)[0]
    before = claims(f"Medical on Friday. {claim}", model=shipped_model)[0]
    assert len(pronoun.evidence) == len(after.evidence) == len(before.evidence) == 2
    assert after.likelihood == pytest.approx(before.likelihood)
    assert after.likelihood > claims(claim, model=shipped_model)[0].likelihood


def test_a_chain_of_unnamed_sentences_stays_in_reach(shipped_model):
    (claim,) = claims("Tomas Kovar to Brentford. Here we go! Medical booked.", model=shipped_model)
    assert [ev.text for ev in claim.evidence] == ["Tomas Kovar to Brentford.", "Here we go!", "Medical booked."]


@pytest.mark.parametrize(
    "text",
    [
        "Brentford and Fulham want Tomas Kovar. Medical booked.",  # two claims in reach
        "Tomas Kovar and Jan Novak to Brentford. Here we go!",
        "Here we go! Brentford and Fulham want Tomas Kovar.",  # the first sentence, two claims after it
        "Tomas Kovar to Brentford. Fulham have agreed personal terms.",  # its own club
        "Tomas Kovar to Brentford. Jan Novak has booked a medical.",  # its own person
        "Tomas Kovar to Brentford. Fulham beat Everton 2-0. Medical booked.",  # not adjacent
        "Tomas Kovar to Brentford. No agreement yet.",  # a negated stage
        "Tomas Kovar to Brentford. Talks have collapsed.",  # no deal stage
        "Tomas Kovar joined Brentford in 2019. Medical booked.",  # a background claim is not live
        "Tomas Kovar has rejected a move to Brentford. Medical booked.",  # nor is a denied one
        "Here we go! Fulham beat Everton 2-0. Tomas Kovar to Brentford.",  # only the next sentence is in reach
    ],
)
def test_an_unnamed_sentence_out_of_reach_supports_nothing(text, shipped_model):
    found = claims(text, model=shipped_model)
    assert found  # there is a claim it could have gone to
    unnamed = [s for s in ("Medical booked.", "Here we go!", "Fulham have agreed personal terms.",
                           "Jan Novak has booked a medical.", "No agreement yet.", "Talks have collapsed.")
               if s in text]  # fmt: skip
    for key, texts in _evidence(found).items():
        assert not set(texts) & set(unnamed), f"{key} took {texts}"
