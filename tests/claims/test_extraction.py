"""Extraction (``rumourscore._claims.extraction`` and ``sentences``): the gold set, the seed article, inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rumourscore
from rumourscore._claims import CLAIM_STATUSES, claims
from rumourscore._claims.extraction import analyse
from rumourscore._claims.sentences import segments
from rumourscore._tagger import tag

HERE = Path(__file__).resolve().parent.parent
REPO = HERE.parent
GOLD = [json.loads(line) for line in (HERE / "data" / "claims_gold.jsonl").read_text("utf-8").splitlines() if line]


def _find(found, subject, to_club):
    return [c for c in found if c.subject == subject and c.to_club == to_club]


# --------------------------------------------------------------------------- gold set
def test_gold_set_is_big_enough():
    assert len(GOLD) >= 40
    assert sum(len(g["claims"]) for g in GOLD) >= 50
    assert {c["status"] for g in GOLD for c in g["claims"]} == set(CLAIM_STATUSES)


@pytest.mark.parametrize("case", GOLD, ids=[g["id"] for g in GOLD])
def test_gold_claims(case, shipped_model):
    found = claims(case["text"], source=case.get("source"), date=case.get("date"), model=shipped_model)
    got = {(c.subject, c.to_club, c.status) for c in found}
    expected = {(c["subject"], c["to_club"], c["status"]) for c in case["claims"]}
    assert got == expected
    for exp in case["claims"]:
        (claim,) = _find(found, exp["subject"], exp["to_club"])
        if "role" in exp:
            assert claim.role == exp["role"], exp
        if "from_club" in exp:
            assert claim.from_club == exp["from_club"], exp
        if claim.status in ("rumour", "denied"):
            assert claim.likelihood is not None and 0.0 <= claim.likelihood <= 1.0
        else:
            assert claim.likelihood is None


# --------------------------------------------------------------------------- the seed article
def test_seed_real_madrid_beats_bayern(seed_claims):
    (madrid,) = _find(seed_claims, "Xabi Alonso", "Real Madrid")
    (bayern,) = _find(seed_claims, "Xabi Alonso", "Bayern Munich")
    assert madrid.status == bayern.status == "rumour"
    assert madrid.role == bayern.role == "coach"
    assert madrid.from_club == bayern.from_club == "Bayer Leverkusen"
    assert madrid.likelihood >= bayern.likelihood + 0.05
    assert len(madrid.evidence) >= 2  # the Bernabeu and "a move to Real" sentences count too


def test_seed_mbappe_is_background(seed_claims):
    (mbappe,) = _find(seed_claims, "Kylian Mbappe", "Real Madrid")
    assert mbappe.status in ("background", "completed")
    assert mbappe.likelihood is None
    assert "arrival" in mbappe.evidence[0].text


def test_seed_other_claims(seed_claims):
    (liverpool,) = _find(seed_claims, "Xabi Alonso", "Liverpool")
    assert liverpool.status == "background"  # "was tipped to take over from Klopp": an old link
    (leaving,) = _find(seed_claims, "Xabi Alonso", None)
    assert leaving.from_club == "Bayer Leverkusen"  # "the German champions"
    assert leaving.evidence[0].source == "Eurosport"  # "As per Eurosport" names its own source
    assert {c.subject for c in seed_claims} == {"Xabi Alonso", "Kylian Mbappe"}


def test_seed_evidence_offsets_and_tags(seed_claims, seed_text):
    text = seed_text
    for claim in seed_claims:
        for ev in claim.evidence:
            assert text[ev.start : ev.end] == ev.text
            for t in ev.tags:
                assert text[t.start : t.end] == t.text
    (bayern,) = _find(seed_claims, "Xabi Alonso", "Bayern Munich")
    kinds = {t.kind for t in bayern.evidence[0].tags}
    assert {"stage", "age"} <= kinds  # "keeping tabs on the 42-year-old": its own clause, scored alone


def test_date_header_gives_the_date(shipped_model):
    text = "date 2019-03-01\nKylian Mbappe joined Real Madrid in 2018."
    (claim,) = claims(text, model=shipped_model)
    assert claim.status == "background"
    (claim,) = claims("date 2017-03-01\nReal Madrid want Kylian Mbappe.", model=shipped_model)
    assert claim.status == "rumour"


def test_each_sentence_is_tagged_once_and_offsets_point_into_the_article(seed_text):
    analysis = analyse(seed_text + "\nFresh line about Arsenal who want Tom Reed.")
    assert len(analysis.sentences) == len(analysis.sentence_tags) >= 5
    for (s, e), tags in zip(analysis.sentences, analysis.sentence_tags):
        assert [(t.kind, t.start - s, t.end - s) for t in tags] == [
            (t.kind, t.start, t.end) for t in tag(analysis.text[s:e])
        ]
        for t in tags:
            assert analysis.text[t.start : t.end] == t.text
    s, e = analysis.sentences[1]
    assert analysis.span_tags(s, e) == tuple(analysis.sentence_tags[1])


def test_a_closed_list_of_clubs_after_a_destination_cue_gives_each_a_claim():
    def destinations(text):
        return [c.to_club for c in claims(text, date="2024-07-15")]

    assert destinations("Victor Osimhen is wanted by Chelsea, Arsenal and Manchester United.") == [
        "Chelsea", "Arsenal", "Manchester United"]  # fmt: skip
    assert destinations("Ivan Toney has attracted interest from Arsenal, Chelsea, or Tottenham.") == [
        "Arsenal", "Chelsea", "Tottenham Hotspur"]  # fmt: skip
    # a list that is not closed by "and"/"or" is no list of suitors: Chelsea are who was told
    assert destinations("Romelu Lukaku is wanted by Inter Milan, Chelsea have been told.") == ["Inter Milan"]


def test_segments_cut_at_contrastive_joints():
    text = "Arsenal want Tom Reed, though Chelsea are keen; Everton wait."
    assert [text[g.start : g.end] for g in segments(text, 0, len(text))] == [
        "Arsenal want Tom Reed", "though Chelsea are keen", "Everton wait."]  # fmt: skip


# --------------------------------------------------------------------------- inputs
@pytest.mark.parametrize("text", ["", "   \n\t", None, float("nan")])
def test_empty_input_gives_no_claims(text, shipped_model):
    assert claims(text, model=shipped_model) == []


@pytest.mark.parametrize("text", [b"Arsenal want Kane", 42, ["Arsenal want Kane"], {"text": "x"}])
def test_non_text_is_a_type_error(text, shipped_model):
    with pytest.raises(TypeError, match="expects a str"):
        claims(text, model=shipped_model)


def test_text_without_claims(shipped_model):
    assert claims("It was a real shock to see the forest so green in Madrid.", model=shipped_model) == []
    assert claims("Arsenal 2 Chelsea 1. Goals from Saka and Havertz.", model=shipped_model) == []


@pytest.mark.parametrize(
    "text",
    [
        "A" * 100_000,
        "Arsenal " * 12_500,
        "Chelsea want John Smith from Lille. " * 2_800,
        "£" * 100_000,
        "\"'(" * 33_000,
        "Arsenal" + " " * 100_000 + "want",
        " ".join(f"Name{i} Surname" for i in range(8_000)),
        "Real Madrid are keen on the 24-year-old. He wants to leave Barcelona. " * 1_500,
    ],
    ids=["one-letter", "club-repeated", "claim-repeated", "currency", "quotes", "spaces", "names", "anaphors"],
)
def test_hostile_input_finishes(text, shipped_model):
    # how long each takes is printed by benchmarks/bench_claims.py --hostile (no wall-clock assertion here)
    found = claims(text, model=shipped_model)
    assert isinstance(found, list)
    assert all(c.status in CLAIM_STATUSES for c in found)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("Arsenal Chelsea want to join from the Real Madrid he. ,'£Xabi Alonso")),
               max_size=300))  # fmt: skip
def test_random_text_never_breaks(shipped_model, text):
    for claim in claims(text, model=shipped_model):
        assert claim.status in CLAIM_STATUSES
        assert claim.role in ("player", "coach")
        for ev in claim.evidence:
            assert text[ev.start : ev.end] == ev.text


def test_a_reports_claims_depend_on_its_date_only_through_the_year():
    """Feeds key extracted claims by (text, year): any two days of one year give the same claims."""
    import csv

    from rumourscore._claims.extraction import claim_day_key, primary_claim

    reports = Path(__file__).resolve().parents[2] / "data" / "reports.csv"
    with reports.open(encoding="utf-8", newline="") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)][::5]
    texts += ["Chelsea signed Tom Baker from Lyon in 2019; Arsenal now want him, per Sky Sports.",
              "Dated 2021-03-02. Arsenal are keen on Tom Baker, who joined Lyon in 2020."]  # fmt: skip
    for text in texts:
        year = 2019 + len(text) % 6
        assert primary_claim(text, f"{year}-01-01") == primary_claim(text, f"{year}-12-31"), text
    old_move = texts[-2]
    assert primary_claim(old_move, "2019-12-31") != primary_claim(old_move, "2020-01-01")  # the year counts
    assert [claim_day_key(d) for d in ("2021-06-01", "12/05/2024", "not a date", None)] == [2021, 2024, None, None]


@pytest.mark.parametrize("bad", [dict(date="garbage"), dict(date="31/02/2024"), dict(base_rate=1.5)])
def test_claims_refuses_a_date_or_base_rate_it_cannot_use_as_score_does(shipped_model, bad):
    for scorer in (claims, rumourscore.score):
        with pytest.raises(ValueError, match=r"date|base_rate"):
            scorer("Arsenal want Tom Reed.", model=shipped_model, **bad)
    if "date" in bad:
        with pytest.raises(ValueError, match="date"):
            rumourscore.render_html("Arsenal want Tom Reed.", model=shipped_model, **bad)
