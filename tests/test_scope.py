"""The reach of negations, denials and past times over deal stages (``rumourscore._scope``)."""

import pytest

from rumourscore import tag
from rumourscore._scope import (
    conditional_before,
    denied_report_spans,
    inside,
    negated_before,
    past_spans,
    question_spans,
)


@pytest.mark.parametrize(("before", "negated"), [
    ("Kane has not ", True), ("Kane hasn't ", True), ("Kane hasn\u2019t ", True), ("They won't ", True),
    ("They cannot ", True), ("They can't ", True), ("They have ", False), ("Kane's agent has ", False),
    ("the winner isn't a talking point, and they have now ", False),  # (too far back)
    ("No deal has been ", True), ("No fee has ", True), ("Nothing is ", True), ("He is yet to have ", True),
    ("Not only has he ", False), ("There is no doubt Kane has ", False), ("No question he has ", False),
    ("No one at the club says he has ", False),  # (too many words between)
])  # fmt: skip
def test_a_negation_is_found_before_a_stage_contractions_too(before, negated):
    text = before + "signed for Arsenal."
    assert negated_before(text, len(before)) is negated


def test_denied_report_spans_cover_the_denied_clause_only():
    text = "Arsenal deny reports of a bid; talks continue. Claims he has signed are untrue."
    spans = denied_report_spans(text, tag(text))
    assert [text[a:b] for a, b in spans] == [" reports of a bid", " he has signed are "]
    assert denied_report_spans("Arsenal have signed him.", tag("Arsenal have signed him.")) == []


@pytest.mark.parametrize(("text", "year", "found"), [
    ("Napoli, who signed Lecomte last summer, are in talks for Rice.", 2024, ["who signed Lecomte last summer"]),
    ("Monaco made a bid for him last summer and are now back.", None, ["Monaco made a bid for him last summer "]),
    ("He joined Chelsea in 2021.", 2024, ["He joined Chelsea in 2021"]),
    ("He joined Chelsea in 2021.", 2021, []),  # (a year counts only before the report's)
    ("He joined Chelsea in 2021.", None, []),  # (and only when the report has one)
    ("He is in the last year of his contract.", 2024, []),  # ("last year of" is no past time)
    ("Real Madrid are in talks after last summer's collapsed deal.", 2024, [" last summer's collapsed deal"]),
    # the buyer's earlier business in a clause of its own, whatever the date; not the player's own move
    ("Leeds, who signed Rice on Monday, are in talks for Kane.", None, ["who signed Rice on Monday"]),
    ("Having already completed the signing of Rice, Leeds are in talks for Kane.", 2024,
     ["Having already completed the signing of Rice"]),
    ("Rice, who signed for Leeds, is happy.", 2024, []),
    ("Rice, who has signed a new deal, is happy.", 2024, []),
    # a move two years or more after the report's year is beyond its window; a contract's date is not
    ("He is set to join Real Madrid in 2026.", 2024, ["He is set to join Real Madrid in 2026"]),
    ("He is set to join Real Madrid in 2025.", 2024, []),
    ("His contract expires in 2027 and Chelsea are in talks.", 2024, []),
    ("Lyon want to sign him in two years' time.", 2024, ["Lyon want to sign him in two years' time"]),
])  # fmt: skip
def test_past_spans_cover_the_clause_of_a_past_time(text, year, found):
    assert [text[a:b] for a, b in past_spans(text, year)] == found


def test_inside_excludes_the_end():
    assert inside([(2, 5)], 2) and inside([(2, 5)], 4) and not inside([(2, 5)], 5) and not inside([], 0)


def test_a_clause_is_cut_at_scope_chars_and_spans_are_sorted_and_disjoint():
    from rumourscore._scope import SCOPE_CHARS

    text = "Arsenal deny reports that " + "they have agreed a fee and " * 40 + "signed him."
    (span,) = denied_report_spans(text, tag(text))
    assert span[1] - span[0] == SCOPE_CHARS  # (no sentence end within reach: cut there)
    many = "He signed last summer, and in 2019; " * 200
    spans = past_spans(many, 2024, True)
    assert len(spans) == 200 and all(a < b <= c for (a, b), (c, _) in zip(spans, spans[1:]))


@pytest.mark.parametrize(("text", "conditional"), [
    ("Unless Bayern pay", True),
    ("He will join if they agree", True),
    ("Provided that Lyon", True),
    ("Even if they agree", False),  # (a concession, no condition)
    ("If they bid, fine. Chelsea have agreed", False),  # (the condition's clause has ended)
])  # fmt: skip
def test_a_condition_before_a_stage_in_its_clause(text, conditional):
    assert conditional_before(text, len(text)) == conditional


@pytest.mark.parametrize(("text", "found"), [
    ("Has Rice completed his move to Arsenal? Chelsea are in talks.", ["Has Rice completed his move to Arsenal?"]),
    ("Rice has signed. Will Kane follow him?", ["Will Kane follow him?"]),
    ("Why did Rice sign for Arsenal?", []),  # (a question, but not whether a step was reached)
    ("Has Rice signed for Arsenal.", []),  # (no question mark)
])  # fmt: skip
def test_question_spans_are_yes_no_questions(text, found):
    assert [text[a:b] for a, b in question_spans(text)] == found


@pytest.mark.parametrize("words", [
    "not", "cannot", "no", "nothing", "never", "without", "nor", "yet to", "still to", "unable to", "unwilling to",
    "reluctant to", "struggling to", "far from", "denied", "deny", "denies", "rule out", "ruled out", "failed to",
    "fails to", "failing to", "refused to", "refusing to", "haven't", "haven\u2019t",
])  # fmt: skip
def test_every_negation_word_passes_the_window_precheck(words):
    from rumourscore._scope import NEGATION

    text = f"They {words} agreed"
    start = text.index("agreed")
    assert negated_before(text, start) and NEGATION.search(text, 0, start) is not None
