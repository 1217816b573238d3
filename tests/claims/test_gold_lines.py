"""The main claim of one gossip line against the frozen gold lines (tests/data/claims_gold_lines.jsonl).

Every gold line gives the subject and the destination of its main claim; ``primary_claim``
must find the same subject (accents folded, full name or surname) and the same destination
(canonical club names) on at least ``MIN_ACCURACY`` of the lines, each measured on its own.
The misses are printed per shape (``pytest -s`` shows them).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from rumourscore._claims.extraction import primary_claim
from rumourscore._claims.vocabulary import fold
from rumourscore._pool import canonical_club

GOLD = Path(__file__).resolve().parents[1] / "data" / "claims_gold_lines.jsonl"
#: Lowest accepted share of gold lines whose subject (and, separately, destination) is found.
MIN_ACCURACY = 0.95


def same_subject(expected: str | None, found: str | None) -> bool:
    """The same person: equal folded names, or one of them the other's surname (or first-name-only name)."""
    if not expected or not found:
        return not expected and not found
    a, b = fold(expected), fold(found)
    if a == b:
        return True
    a_words, b_words = a.split(" "), b.split(" ")
    return a_words[-1] == b_words[-1] or a in b_words or b in a_words


def same_club(expected: str | None, found: str | None) -> bool:
    """The same destination after canonicalisation; ``None`` (no destination) only matches ``None``."""
    if not expected or not found:
        return not expected and not found
    return (canonical_club(expected) or fold(expected)) == (canonical_club(found) or fold(found))


def test_comparisons_fold_accents_and_aliases():
    assert same_subject("Kylian Mbappé", "Mbappe") and same_subject("Vinicius Junior", "Vinícius Júnior")
    assert not same_subject("Gabriel Jesus", "Gabriel Martinelli")
    assert same_club("Man Utd", "Manchester United") and same_club("Barça", "Barcelona")
    assert not same_club("Real Madrid", "Atletico Madrid") and not same_club("Arsenal", None)


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    if not GOLD.is_file():
        pytest.fail(f"{GOLD} is missing")
    return [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]


def test_gold_lines_are_well_formed(gold):
    assert len(gold) >= 20
    assert len({g["id"] for g in gold}) == len(gold)
    for g in gold:
        assert g["text"].strip() and g["shape"] and g["subject"]


def test_primary_claim_finds_subject_and_destination_of_gold_lines(gold):
    by_shape: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # lines, subject ok, destination ok
    misses: dict[str, list[str]] = defaultdict(list)
    for g in gold:
        subject, to_club, _ = primary_claim(g["text"], g.get("date"))
        subj_ok, club_ok = same_subject(g["subject"], subject), same_club(g.get("to_club"), to_club)
        counts = by_shape[g["shape"]]
        counts[0] += 1
        counts[1] += subj_ok
        counts[2] += club_ok
        if not (subj_ok and club_ok):
            want = f"{g['subject']} -> {g.get('to_club')}"
            misses[g["shape"]].append(f"{g['id']}: want {want}, got {subject} -> {to_club}")
    for shape in sorted(by_shape):
        n, s_ok, c_ok = by_shape[shape]
        print(f"{shape:<28} n={n:<4} subject {s_ok / n:6.1%}  destination {c_ok / n:6.1%}")
        for line in misses[shape]:
            print("    miss", line)
    total = len(gold)
    subject_accuracy = sum(c[1] for c in by_shape.values()) / total
    destination_accuracy = sum(c[2] for c in by_shape.values()) / total
    print(f"{'all':<28} n={total:<4} subject {subject_accuracy:6.1%}  destination {destination_accuracy:6.1%}")
    assert subject_accuracy >= MIN_ACCURACY
    assert destination_accuracy >= MIN_ACCURACY
