"""The lexicon CSV files: format, one meaning per term, valid values, and that the tagger reaches every term."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from importlib import resources

import pytest

from rumourscore import tag
from rumourscore._lexicons import (
    REQUIRED_COLUMNS,
    clubs,
    normalise_term,
    read_lexicon,
    sources,
    term_lexicon,
)

LEXICON_DIR = resources.files("rumourscore").joinpath("lexicons")
ALL_FILES = sorted(p.name for p in LEXICON_DIR.iterdir() if p.name.endswith(".csv"))
#: Row kinds of stages.csv that give a stage tag only where a condition holds (see _tagger).
CONDITIONAL_STAGES = (
    "stage_before_move", "stage_done_before_move", "stage_not_after_to", "stage_after_name",
    "stage_before_loan", "stage_not_after_be", "stage_not_before_step", "stage_not_before_renewal",
    "stage_before_price", "stage_not_before_money", "stage_before_signing",
)
#: The graded term lexicons the tagger compiles, and the row kinds each may hold.
TERM_FILES = {
    "hedges.csv": {"hedge", "hedge_cue", "ignore"},
    "stages.csv": {"stage", *CONDITIONAL_STAGES, "stage_done_or_imminent", "ignore"},
    "denials.csv": {"denial", "denial_not_before_renewal", "ignore"},
    "contract.csv": {
        "loan", "add_ons", "release_clause", "contract_left", "valuation_prefix", "valuation_suffix", "valuation_verb",
        "ignore",
    },
    "cues.csv": {"prefix", "suffix", "anonymous"},
}
REQUIRED_COUNTRIES = {"ENG", "ESP", "ITA", "GER", "FRA", "POR", "INT"}


def _raw_rows(filename: str) -> tuple[list[str], list[dict[str, str]]]:
    raw = LEXICON_DIR.joinpath(filename).read_bytes().decode("utf-8")  # strict: must be UTF-8
    reader = csv.DictReader(io.StringIO(raw))
    return list(reader.fieldnames or []), list(reader)


def _aliases(field: str) -> list[str]:
    return [a.strip().lstrip("~").strip() for a in (field or "").split("|") if a.strip().lstrip("~").strip()]


# --------------------------------------------------------------------------- every file


def test_expected_files_are_shipped():
    assert set(TERM_FILES) | {"sources.csv", "clubs.csv"} <= set(ALL_FILES)


@pytest.mark.parametrize("filename", ALL_FILES)
def test_header_and_encoding(filename):
    data = LEXICON_DIR.joinpath(filename).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    header, rows = _raw_rows(filename)
    assert tuple(header[:4]) == REQUIRED_COLUMNS == ("term", "kind", "value", "note")
    if filename in TERM_FILES:
        assert header == list(REQUIRED_COLUMNS), "term lexicons have exactly term,kind,value,note"
    assert rows, "not empty"
    for row in rows:
        assert None not in row, f"row with more fields than the header: {row}"
        assert (row["term"] or "").strip(), f"empty term: {row}"
        assert row["term"] == row["term"].strip(), f"stray white space: {row['term']!r}"
    assert read_lexicon(filename)  # loads through the package loader too


# --------------------------------------------------------------------------- term lexicons


@pytest.mark.parametrize("filename", sorted(TERM_FILES))
def test_no_duplicate_terms_within_a_file(filename):
    seen: dict[str, str] = {}
    for row in term_lexicon(filename):
        key = normalise_term(row.term)
        assert key not in seen, f"{row.term!r} repeats {seen[key]!r} in {filename}"
        seen[key] = row.term


def test_each_term_has_one_meaning_across_files():
    owners: dict[str, list[str]] = defaultdict(list)
    for filename in TERM_FILES:
        for row in term_lexicon(filename):
            owners[normalise_term(row.term)].append(filename)
    shared = {term: files for term, files in owners.items() if len(files) > 1}
    assert not shared, f"terms in more than one lexicon: {shared}"


def test_no_source_alias_is_also_a_term():
    terms = {normalise_term(r.term) for f in TERM_FILES for r in term_lexicon(f)}
    clashes = {normalise_term(a) for info in sources().values() for a, _ in info.aliases} & terms
    assert not clashes, f"source aliases that are also lexicon terms: {sorted(clashes)}"


@pytest.mark.parametrize("filename", sorted(TERM_FILES))
def test_values_are_valid_for_their_kind(filename):
    for row in term_lexicon(filename):
        where = f"{filename}: {row.term!r}"
        assert row.kind in TERM_FILES[filename], where
        assert row.note.strip(), f"{where} has no note"
        if row.kind in ("hedge", "hedge_cue", "denial", "denial_not_before_renewal"):
            assert 0.0 <= float(row.value) <= 1.0, where
        elif row.kind.startswith("stage"):
            assert row.value.isdigit() and 1 <= int(row.value) <= 10, where
        elif row.kind == "ignore":
            assert float(row.value) == 0.0, where
        elif row.kind == "loan":
            assert row.value in ("loan", "option", "obligation"), where
        elif row.kind == "contract_left":
            assert 0.0 < float(row.value) <= 5.0, where
        else:  # add_ons, release_clause, valuation cues, cues: no value
            assert row.value == "", where


def test_lexicons_are_graded_not_flat():
    for filename, kind in (("hedges.csv", "hedge"), ("stages.csv", "stage"), ("denials.csv", "denial")):
        values = {float(r.value) for r in term_lexicon(filename) if r.kind == kind}
        assert len(values) >= 4, f"{filename} is flat: {values}"
    assert {int(r.value) for r in term_lexicon("stages.csv") if r.kind == "stage"} == set(range(1, 11))


def _term_rows(*kinds: str):
    return [pytest.param(f, r, id=f"{f}:{r.term}") for f in TERM_FILES for r in term_lexicon(f) if r.kind in kinds]


@pytest.mark.parametrize(("filename", "row"), _term_rows("hedge", "hedge_cue", "stage", "denial"))
def test_every_graded_term_is_tagged_with_its_value(filename, row):
    tags = tag(row.term)
    assert [(t.kind, t.text) for t in tags] == [(row.kind.removesuffix("_cue"), row.term)]
    expected = None if row.kind == "denial" else int(row.value) if row.kind == "stage" else float(row.value)
    assert tags[0].value == expected


@pytest.mark.parametrize(("filename", "row"), _term_rows("loan", "add_ons", "release_clause"))
def test_every_contract_term_is_tagged(filename, row):
    tags = tag(row.term)
    assert [(t.kind, t.text) for t in tags] == [(row.kind, row.term)]
    assert tags[0].value == (row.value if row.kind == "loan" else None)


#: For each conditional stage kind: a sentence where the row counts, and one where it does not.
CONDITIONAL_CONTEXTS = {
    "stage_before_move": ("Lyon hope to {} loan move for him.", "He is due to {} medical."),
    "stage_done_before_move": ("Lyon {} loan move for him.", "Lyon hope to {} loan move for him."),
    "stage_not_after_to": ("Lyon {} with him.", "Lyon are in a race to {} with him."),
    "stage_after_name": ("Lyon {} the striker on loan.", "Lyon want to {} the striker."),
    "stage_before_loan": ("Lyon {} him out on loan to Nice.", "Lyon {} a scout to Nice."),
    "stage_not_after_be": ("Lyon {} him to Nice.", "He is to be {} to Nice."),
    "stage_not_before_step": ("It is now {}.", "Lyon made an {} £30m bid."),
    "stage_not_before_renewal": ("Lyon {} the striker from Nice.", "The striker {} a new five-year contract."),
    "stage_before_price": ("Lyon {} his £40m release clause.", "Lyon {} the bill for the new stand."),
    "stage_not_before_money": ("Lyon are {} a deal.", "Nice are holding out for {} £20m."),
    "stage_before_signing": ("Lyon have {} Nice to the signing of the striker.", "Lyon were {} 2-0 by Nice."),
}


@pytest.mark.parametrize(("filename", "row"), _term_rows(*CONDITIONAL_STAGES))
def test_conditional_stage_rows_count_only_in_their_context(filename, row):
    holds, fails = CONDITIONAL_CONTEXTS[row.kind]
    stages = [(t.text, t.value) for t in tag(holds.format(row.term)) if t.kind == "stage"]
    assert (row.term, int(row.value)) in stages
    text = fails.format(row.term)
    assert all(not (t.start <= text.index(row.term) < t.end) for t in tag(text) if t.kind == "stage"), text


@pytest.mark.parametrize(("filename", "row"), _term_rows("denial_not_before_renewal"))
def test_a_refused_renewal_is_no_denial_of_a_move(filename, row):
    assert ("denial", row.term) in [(t.kind, t.text) for t in tag(f"Lyon {row.term} a £40m bid from Nice.")]
    for renewal in ("a new contract", "to sign a new five-year deal", "a contract extension"):
        assert [t for t in tag(f"The striker {row.term} {renewal}.") if t.kind == "denial"] == [], renewal


@pytest.mark.parametrize(("filename", "row"), _term_rows("stage_done_or_imminent"))
def test_done_or_imminent_rows_are_imminent_after_to_or_a_modal(filename, row):
    from rumourscore._tag_patterns import IMMINENT_STAGE

    for frame, stage in (("Spurs {} of the striker.", int(row.value)), ("Spurs want to {} of the striker.",
                         IMMINENT_STAGE), ("Spurs will {} of the striker.", IMMINENT_STAGE)):  # fmt: skip
        assert (row.term, stage) in [(t.text, t.value) for t in tag(frame.format(row.term)) if t.kind == "stage"]


@pytest.mark.parametrize(("filename", "row"), _term_rows("contract_left"))
def test_every_contract_left_term_gives_the_years_left(filename, row):
    tags = tag(row.term)
    assert [(t.kind, t.text) for t in tags] == [("contract_left", row.term)]
    assert isinstance(tags[0].value, float) and tags[0].value == float(row.value)


@pytest.mark.parametrize(("filename", "row"), _term_rows("valuation_prefix", "valuation_suffix"))
def test_valuation_cues_make_the_money_a_valuation(filename, row):
    text = f"The winger is {row.term} £40m." if row.kind == "valuation_prefix" else f"The £40m {row.term} winger."
    assert [(t.kind, t.text) for t in tag(text)] == [("valuation", "£40m")]
    assert [t.kind for t in tag("The £40m fee was paid.")] == ["fee"]


@pytest.mark.parametrize(("filename", "row"), _term_rows("valuation_verb"))
def test_valuation_verbs_make_the_money_after_the_thing_valued_a_valuation(filename, row):
    for valued in ("Tom Baker", "him", "the Lyon winger"):
        assert [(t.kind, t.text) for t in tag(f"Lyon {row.term} {valued} at £40m.")] == [("valuation", "£40m")]
    # without the thing valued and "at" the verb says nothing of the money
    assert [t.kind for t in tag(f"Lyon {row.term} experience; they paid £40m.")] == ["fee"]


@pytest.mark.parametrize(("filename", "row"), _term_rows("ignore"))
def test_false_friends_give_no_tag(filename, row):
    assert tag(row.term) == []


@pytest.mark.parametrize(("filename", "row"), _term_rows("prefix", "suffix", "anonymous"))
def test_every_cue_works(filename, row):
    if row.kind == "anonymous":
        assert [(t.kind, t.value, t.text) for t in tag(row.term)] == [("source", None, row.term)]
    elif row.kind == "prefix":  # "Sport" alone is a common word: only a cue makes it the outlet
        assert [(t.kind, t.value, t.text) for t in tag(f"{row.term} Sport")] == [
            ("source", "Sport", f"{row.term} Sport")
        ]
    else:
        first = tag(f"Sport {row.term}")[0]
        assert (first.kind, first.value, first.text) == ("source", "Sport", "Sport")


# --------------------------------------------------------------------------- sources.csv


def test_sources():
    header, rows = _raw_rows("sources.csv")
    assert {"country", "hit_rate", "aliases"} <= set(header)
    assert len(rows) >= 200
    names = [r["term"] for r in rows]
    assert len(set(names)) == len(names), "canonical names are unique"
    assert len(sources()) == len(rows)
    for r in rows:
        assert r["value"].isdigit() and 1 <= int(r["value"]) <= 5, r["term"]
        assert r["kind"].strip(), r["term"]
        rate = (r["hit_rate"] or "").strip()
        if rate:
            assert 0.0 < float(rate) < 1.0, r["term"]
    assert REQUIRED_COUNTRIES <= {r["country"] for r in rows}
    assert {"outlet", "journalist"} <= {r["kind"] for r in rows}


def test_source_aliases_are_unique_across_rows():
    owner: dict[str, str] = {}
    for r in _raw_rows("sources.csv")[1]:
        for alias in {normalise_term(a) for a in [r["term"], *_aliases(r["aliases"])]}:
            assert owner.setdefault(alias, r["term"]) == r["term"], f"{alias!r}: {owner[alias]} and {r['term']}"


# --------------------------------------------------------------------------- clubs.csv


def test_clubs():
    header, rows = _raw_rows("clubs.csv")
    assert "aliases" in header
    assert len(rows) >= 300
    names = [r["term"] for r in rows]
    assert len(set(names)) == len(names)
    assert len(clubs()) == len(rows)
    for r in rows:
        assert r["kind"] in ("club", "national_team"), r["term"]
        assert r["value"].strip(), f"{r['term']} has no country"


def test_club_aliases_are_unique_across_rows():
    owner: dict[str, str] = {}
    for r in _raw_rows("clubs.csv")[1]:
        for alias in {normalise_term(a) for a in [r["term"], *_aliases(r["aliases"])]}:
            assert owner.setdefault(alias, r["term"]) == r["term"], f"{alias!r}: {owner[alias]} and {r['term']}"

