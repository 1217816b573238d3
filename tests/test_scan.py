"""The one-pass tagger against the regex reference; club and signal hits; bulk features."""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tagger_reference import reference_tag, reference_terms  # registered by conftest.py

from rumourscore import tag
from rumourscore._features import FEATURE_NAMES, feature_matrix, row_features
from rumourscore._report import make_report
from rumourscore._scan import SEPARATORS, WHITESPACE, fold_case, fold_case_twins, folded_twin, lower
from rumourscore._tagger import scan, term_hits

REPO = Path(__file__).resolve().parent.parent
REPORTS = REPO / "data" / "reports.csv"
#: Real lines next to the repository or next to the folder of a git worktree (evaluation only).
REAL_DIRS = [d / "shared" / "real" for d in (REPO.parent, REPO.parent.parent)]
REAL_FILES = [p for d in REAL_DIRS for p in sorted(d.glob("rumours_*.csv")) if p.is_file()]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


CORPUS = [r["text"] for r in _rows(REPORTS)]
#: Separators and marks that stress the folding: runs of one to four separators, dashes,
#: curly quotes, currency signs, digits after a comma, and letters whose case folds oddly.
NOISE = [" ", "  ", "   ", "    ", "-", " - ", "\u2013", "\n", "\t ", "\u00a0", "\u2019", "'", "(", ")", ",", ", 2",
         "£", "€3", "the 2", "  -  ", "İ", "ı", "ſ", "\u2009", "@", ".", "#", "&", "\x00", "\x01", "_", "/",
         "\u201c", "é"]  # fmt: skip


def _noisy(texts: list[str], n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        pieces = []
        for word in rng.choice(texts).split(" "):
            word = word.upper() if rng.random() < 0.1 else word
            pieces += [word, rng.choice(NOISE) if rng.random() < 0.3 else " "]
        out.append("".join(pieces))
    return out


def _assert_same_tags(texts: list[str]) -> None:
    differ = [t for t in texts if tag(t) != reference_tag(t)]
    assert not differ, f"{len(differ)} of {len(texts)} texts tag differently, e.g. {differ[0]!r}"


def test_whitespace_is_what_backslash_s_matches():
    pattern = re.compile(r"\s")
    expected = {chr(c) for c in range(0x110000) if pattern.match(chr(c))}
    assert set(WHITESPACE) == expected
    assert set(SEPARATORS) == expected | set("-\u2010\u2011\u2012\u2013\u2014\u2015")


def test_same_tags_as_the_regex_reference_on_the_corpus():
    _assert_same_tags(CORPUS)


@pytest.mark.skipif(not REAL_FILES, reason="../shared/real is not present")
@pytest.mark.parametrize("path", REAL_FILES, ids=[p.name for p in REAL_FILES])
def test_same_tags_as_the_regex_reference_on_real_lines(path):
    """Evaluation only: real lines are read, never copied into the project."""
    _assert_same_tags([r["text"] or "" for r in _rows(path)])


def test_same_tags_as_the_regex_reference_on_noisy_text():
    _assert_same_tags(_noisy(CORPUS, 3000, seed=14))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "İstanbul: Galatasaray have agreed a fee, according to Marca.",
        "Fenerbahçe İlkay Gündoğan ıs keen, 31, on a two-year deal until 2027.",
        "add    ons",  # four spaces: no term
        "add   -ons and a  release -  clause of €80m",
        "x" * 500 + " Arsenal,Chelsea.Spurs#Real Madrid&Inter €5,000,000 p/w",
        "contract up in 2026; his deal is  up  in 2025, aged 30, the 23-year-old",
        "a fee of 1,234,567,890.123 - $1,234,567,890.999 thousand euros a week",  # the longest amount in words
        "1,234,567,890.123 – €1,234,567,890.999 thousand  euros per  week, or 12.5-and-a-half-year deal",
        "Kane, 22, 2021: won 2-1, 10 goals in 25 games; 3 million dollars; the 19 year old",
        "€50,5m, 45,25 million euros, €20,5-25,5m, £200,00-per-week, £50,000,5m and bids of £40, 50m",
        "per marca.com, marca com, marca(com), o\u2019neil, AS.com and @FabrizioRomano; \x01as\x00is up in 2026",
    ],
)
def test_same_tags_on_edge_cases(text):
    _assert_same_tags([text])


def test_scan_gives_the_tags_clubs_and_signals_of_the_old_scans():
    for text in [*CORPUS, *_noisy(CORPUS, 1000, seed=5)]:
        found = scan(text)
        assert found.tags == tag(text)
        clubs, weights = reference_terms(text)
        assert {h.value.club for h in found.clubs if not h.value.needs_cue} == clubs, text
        got: dict[str, float] = {}
        for hit in found.signals:
            got[hit.value[0]] = got.get(hit.value[0], 0.0) + hit.value[1]
        assert got == weights, text
        assert (found.clubs, found.signals) == tuple(term_hits(text))


def test_club_and_signal_hits_index_the_lower_case_text():
    text = "Real Madrid and Chelsea are in a bidding war, with Bayern Munich keen too."
    found = scan(text)
    assert [text[h.start : h.end] for h in found.clubs] == ["Real Madrid", "Chelsea", "Bayern Munich"]
    assert [h.value.club for h in found.clubs] == ["Real Madrid", "Chelsea", "Bayern Munich"]
    assert all(text.lower()[h.start : h.end] for h in found.signals)


def test_fold_case():
    assert fold_case("Arsenal") == ("arsenal", True)
    folded, same = fold_case("İlkay ıs")
    assert not same and folded == "ilkay is" and len(folded) == len("İlkay ıs")


def _reports() -> list:
    rows = _rows(REPORTS)
    return [make_report(r["text"], r["source"], r["date"]) for r in rows]


#: Letters a case-blind pattern treats alike although ``str.lower`` keeps some apart ("ſ", "İ", "ı",
#: the Kelvin sign), and a few that fold to nothing ASCII.
_CASE_LETTERS = "aAiIsSkKſİıKéÉßẞΣσς"


_TWIN_CASES = [re.compile(p, re.IGNORECASE) for p in (
    r"\bsign\w*", r"\b(?:is|in|ask)\b", r"(?<!\bi\s)k\w+$", r"s{2,}|\bin\s{1,3}(?:ai|sa)", r"[a-z]+\b")]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*_CASE_LETTERS, *" -'.,\u2019", "sign", "SIGN", "ſign", "İn", "Joın"]),
               max_size=20).map("".join))
def test_folded_twins_match_where_the_case_blind_pattern_matches(text):
    """On the folded text a folded twin matches exactly where its case-blind pattern matches the text."""
    folded = fold_case_twins(text)
    assert len(folded) == len(text)
    for pattern in _TWIN_CASES:
        twin = folded_twin(pattern)
        assert [m.span() for m in twin.finditer(folded)] == [m.span() for m in pattern.finditer(text)]
        for pos in range(len(text) + 1):  # pos and endpos read the same characters around them
            assert (twin.search(folded, pos) is None) == (pattern.search(text, pos) is None)
            assert (twin.search(folded, 0, pos) is None) == (pattern.search(text, 0, pos) is None)


def test_folded_twin_refuses_patterns_that_are_not_case_blind_lower_case_words():
    for pattern in (re.compile(r"\bsign"), re.compile(r"(?-i:[A-Z])\w+", re.IGNORECASE),
                    re.compile(r"\b(?:I|we)\s", re.IGNORECASE), re.compile(r"\bÉric", re.IGNORECASE)):
        with pytest.raises(ValueError, match="case-blind"):
            folded_twin(pattern)
    assert folded_twin(re.compile(r"\bsign\s{1,3}\S+\b", re.IGNORECASE)).flags & re.IGNORECASE == 0


def test_feature_matrix_equals_row_features():
    reports = _reports()
    bulk = feature_matrix(reports)
    rows = np.array([row_features(r) for r in reports])
    assert bulk.shape == (len(reports), len(FEATURE_NAMES))
    np.testing.assert_array_equal(bulk, rows)
    assert bulk[:, FEATURE_NAMES.index("n_clubs")].max() > 0  # the columns are not all zero
    assert bulk[:, FEATURE_NAMES.index("stage_ge6")].sum() > 0
    assert feature_matrix([]).shape == (0, len(FEATURE_NAMES))


def test_features_are_the_same_when_tags_are_given():
    """A report built from given tags finds its clubs and signals itself: same features."""
    for report in _reports()[:400]:
        given = make_report(report.text, report.source_given, report.date, tags=report.tags)
        assert given.clubs is None and report.clubs is not None
        np.testing.assert_array_equal(row_features(given), row_features(report))
        np.testing.assert_array_equal(feature_matrix([given]), feature_matrix([report]))


def test_clubs_and_signals_count_as_the_old_regex_scans_did():
    for report in _reports():
        clubs, weights = reference_terms(report.text)
        row = dict(zip(FEATURE_NAMES, row_features(report)))
        assert row["n_clubs"] == min(float(len(clubs)), 3.0)
        assert row["red_flags"] == weights.get("red_flag", 0.0)


def test_terms_are_candidates_only_where_their_word_ends():
    # "si" (an outlet) inside "signing", "inter" (a club) inside "interest": never candidates
    from rumourscore._tagger import _compiled

    matcher = _compiled()[0]
    texts = ["Inter are signing him, says the interim boss of Sion", *CORPUS[:400], *_noisy(CORPUS, 200, seed=7)]
    for text in texts:
        lowered, _ = fold_case(text)
        tagging, clubs, signals = matcher._hits(lowered, True)
        ends = [-end for _, order, end, _ in tagging if order] + [-end for _, end, _ in clubs + signals]
        inside = [e for e in ends if e < len(lowered) and (lowered[e].isalnum() or lowered[e] == "_")]
        assert not inside, (text, inside)
    tagging, clubs, _ = matcher._hits("inter are signing him", True)
    assert [(s, -e) for s, o, e, _ in tagging if o] == [] and [(s, -e) for s, e, _ in clubs] == [(0, 5)]


def test_fold_maps_every_character_one_for_one():
    # separators to " ", word characters kept, any other character to "\x01" (the common marks
    # take a faster path than the rest, so they are mixed with rare ones here)
    from rumourscore._tagger import _compiled

    matcher = _compiled()[0]
    chars = [chr(i) for i in range(0x3100) if not 0xD800 <= i < 0xE000]
    expected = [" " if c in SEPARATORS else c if c.isalnum() or c == "_" else "\x01" for c in chars]
    rng = random.Random(3)
    for _ in range(200):
        picks = rng.sample(range(len(chars)), 12) + [chars.index(c) for c in rng.sample("£€’‘“”–—…\xa0", 3)]
        assert matcher.fold("".join(chars[i] for i in picks)) == "".join(expected[i] for i in picks)
    assert matcher.fold("".join(chars)) == "".join(expected)


def test_latin1_texts_fold_as_any_text_does():
    # fold() translates a Latin-1 text's bytes at once; fold_any() is the path of every other text
    from rumourscore._tagger import _compiled

    matcher = _compiled()[0]
    latin1 = [chr(i) for i in range(256)]
    assert matcher.fold("".join(latin1)) == matcher.fold_any("".join(latin1))
    rng = random.Random(5)
    for _ in range(200):
        text = "".join(rng.choices([*latin1, "  ", "   ", "£5m", " - "], k=20))
        assert matcher.fold(text) == matcher.fold_any(text)


def test_lower_is_str_lower():
    chars = [chr(i) for i in range(0x3100) if not 0xD800 <= i < 0xE000] + ["\U0001f6a8", "\u03a3"]
    for c in chars:
        for text in (c, f"A{c}B é", f"ΣA {c}Σ"):
            assert lower(text) == text.lower()
    assert lower("".join(chr(i) for i in range(256))) == "".join(chr(i) for i in range(256)).lower()
