"""One long sentence: the claims pass does work in proportion to the text, not to its square.

The work is counted, not timed: every line the claims package (``rumourscore/_claims``) runs is
one step (a loop or a comprehension over a list counts once per item), counted with a trace
function. Doubling a sentence of repeated clauses must about double the count; a pass that reads
every tag, person or club of the sentence for each mention in it would about quadruple it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import rumourscore._claims as claims_package
from rumourscore._claims import claims, extraction
from rumourscore._text import split_sentences

#: The package's folder: only lines of its modules are counted.
PACKAGE = str(Path(claims_package.__file__).resolve().parent)
#: Most growth of the count allowed when the sentence doubles (2 is linear, 4 quadratic).
MAX_GROWTH = 2.3
#: Repetitions of the clause in the shorter sentence (the longer one has twice as many).
REPEATS = 200


def _many_people(n: int) -> str:
    """One sentence naming ``n`` different people as the targets of one club."""
    names = [f"Tom {chr(65 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676 % 26)}ovic" for i in range(n)]
    return "Arsenal want " + ", ".join(names) + "."


#: Long one-sentence shapes: one clause repeated after semicolons, a list of clubs and a named
#: source in every clause, and a list of many people.
SHAPES = {
    "one claim": lambda n: "Arsenal want Kane; " * n,
    "three clubs": lambda n: "Real Madrid, Barcelona and Bayern Munich want Kane, 23, per Sky Sports; " * n,
    "many people": _many_people,
}


def _steps(text: str, model) -> int:
    """The lines of the claims package run by ``claims(text)``, its analysis not reused."""
    with extraction._recent_lock:
        extraction._recent.clear()
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def calls(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(PACKAGE) else None

    previous = sys.gettrace()
    sys.settrace(calls)
    try:
        claims(text, model=model)
    finally:
        sys.settrace(previous)
    return count


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_one_long_sentence_costs_linear_work(shape, shipped_model):
    make = SHAPES[shape]
    short, long = make(REPEATS), make(2 * REPEATS)
    assert len(split_sentences(long)) == 1  # one sentence, however long
    growth = _steps(long, shipped_model) / _steps(short, shipped_model)
    assert growth < MAX_GROWTH, f"{shape}: the work grew {growth:.2f}x when the sentence doubled"


def test_long_sentence_claims_are_those_of_a_short_one(shipped_model):
    """Bounding the work changes no result: each clause of a long sentence gets its evidence."""
    unit = "Real Madrid, Barcelona and Bayern Munich want Kane, 23, per Sky Sports; "
    short, long = claims(unit * 3, model=shipped_model), claims(unit * 300, model=shipped_model)
    assert [(c.subject, c.to_club, c.status) for c in long] == [(c.subject, c.to_club, c.status) for c in short]
    assert [(c.subject, c.to_club) for c in long] == [("Kane", "Real Madrid"), ("Kane", "Barcelona"),
                                                     ("Kane", "Bayern Munich")]  # fmt: skip
    assert all(len(c.evidence) == 300 for c in long)
    assert {e.role for c in long for e in c.evidence} == {"support"}
