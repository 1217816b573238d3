"""Tests for the claims layer: extraction (gold set), scoring, plain text, aggregation, evaluation."""

from __future__ import annotations

import json
import math
import statistics
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rumourscore._claims import (
    AGGREGATE_COLUMNS,
    CLAIM_STATUSES,
    Claim,
    Evidence,
    aggregate,
    canonical_club,
    claims,
    combine_evidence,
    evaluate_aggregate,
    format_claims,
)
from rumourscore._tagger import Tag

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = REPO / "seeds" / "2024-11-14_alonso_leverkusen_real_madrid.txt"
GOLD = [json.loads(line) for line in (HERE / "data" / "claims_gold.jsonl").read_text("utf-8").splitlines() if line]


def _tiny_training_frame() -> pd.DataFrame:
    """Synthetic labelled rumours: advanced stages come true, vague interest does not."""
    strong = [
        "{c} have agreed a fee for {p}, medical booked",
        "{c} are set to sign {p}, here we go",
        "{c} have agreed personal terms with {p}",
        "{p} is poised to join {c} after talks advanced",
    ]
    weak = ["{c} are keeping tabs on {p}", "{c} are monitoring {p}", "{c} could make a move for {p}, claims say",
            "{c} might consider a bid for {p}", "{c} have denied interest in {p}"]  # fmt: skip
    people = ["Tom Reed", "Ivan Kova", "Luca Bruni", "Sam Ode"]
    clubs = ["Arsenal", "Chelsea", "Juventus", "Everton"]
    rows = []
    for i in range(240):
        good = i % 2 == 0
        lines = strong if good else weak
        rows.append({"text": lines[i % len(lines)].format(p=people[i % 4], c=clubs[(i // 4) % 4]),
                     "source": ["Sky Sports", "Daily Star", None][i % 3], "date": f"{2017 + i % 6}-0{1 + i % 9}-15",
                     "outcome": int(good) if i % 10 else int(not good)})  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def model():
    """The shipped model; a tiny model trained here when it is not there (yet)."""
    import rumourscore
    from rumourscore._model import ModelLoadError, train

    try:
        return rumourscore.load_model()
    except ModelLoadError:
        return train(_tiny_training_frame(), use_text=False)


@pytest.fixture(scope="module")
def seed_claims(model):
    return claims(SEED.read_text("utf-8"), model=model)


def _find(found, subject, to_club):
    return [c for c in found if c.subject == subject and c.to_club == to_club]


# --------------------------------------------------------------------------- gold set
def test_gold_set_is_big_enough():
    assert len(GOLD) >= 40
    assert sum(len(g["claims"]) for g in GOLD) >= 50
    assert {c["status"] for g in GOLD for c in g["claims"]} == set(CLAIM_STATUSES)


@pytest.mark.parametrize("case", GOLD, ids=[g["id"] for g in GOLD])
def test_gold_claims(case, model):
    found = claims(case["text"], source=case.get("source"), date=case.get("date"), model=model)
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


def test_seed_evidence_offsets_and_tags(seed_claims):
    text = SEED.read_text("utf-8")
    for claim in seed_claims:
        for ev in claim.evidence:
            assert text[ev.start : ev.end] == ev.text
            for t in ev.tags:
                assert text[t.start : t.end] == t.text
    (bayern,) = _find(seed_claims, "Xabi Alonso", "Bayern Munich")
    kinds = {t.kind for t in bayern.evidence[0].tags}
    assert {"stage", "age"} <= kinds  # "keeping tabs on the 42-year-old": its own clause, scored alone


def test_seed_is_fast(model):
    text = SEED.read_text("utf-8")
    claims(text, model=model)  # warm the caches
    times = []
    for _ in range(5):
        started = time.perf_counter()
        claims(text, model=model)
        times.append(time.perf_counter() - started)
    assert statistics.median(times) < 0.25  # about 10 ms on a laptop; generous for slow CI


def test_date_header_gives_the_date(model):
    text = "date 2019-03-01\nKylian Mbappe joined Real Madrid in 2018."
    (claim,) = claims(text, model=model)
    assert claim.status == "background"
    (claim,) = claims("date 2017-03-01\nReal Madrid want Kylian Mbappe.", model=model)
    assert claim.status == "rumour"


# --------------------------------------------------------------------------- inputs
@pytest.mark.parametrize("text", ["", "   \n\t", None, float("nan")])
def test_empty_input_gives_no_claims(text, model):
    assert claims(text, model=model) == []


@pytest.mark.parametrize("text", [b"Arsenal want Kane", 42, ["Arsenal want Kane"], {"text": "x"}])
def test_non_text_is_a_type_error(text, model):
    with pytest.raises(TypeError, match="expects a str"):
        claims(text, model=model)


def test_text_without_claims(model):
    assert claims("It was a real shock to see the forest so green in Madrid.", model=model) == []
    assert claims("Arsenal 2 Chelsea 1. Goals from Saka and Havertz.", model=model) == []


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
def test_hostile_input_finishes(text, model):
    started = time.perf_counter()
    found = claims(text, model=model)
    assert time.perf_counter() - started < 20
    assert isinstance(found, list)


# --------------------------------------------------------------------------- mentions and rules
def test_ambiguous_aliases_need_context(model):
    (claim,) = claims("Villa are keen on Celtic forward Daizen Maeda.", model=model)
    assert claim.to_club == "Aston Villa"
    assert claims("David Villa scored twice for Spain in the friendly.", model=model) == []
    (claim,) = claims("Xabi Alonso is open to a move to Real this summer.", model=model)
    assert claim.to_club == "Real Madrid"
    assert claims("Xabi Alonso says it would be a real honour.", model=model) == []


@pytest.mark.parametrize(
    ("alias", "name"),
    [("Los Blancos", "Real Madrid"), ("the Bernabeu", "Real Madrid"), ("the Gunners", "Arsenal"),
     ("Spurs", "Tottenham Hotspur"), ("PSG", "Paris Saint-Germain"), ("Barca", "Barcelona"),
     ("the Bavarians", "Bayern Munich"), ("Man Utd", "Manchester United"), ("nobody fc", None), (None, None)],
)  # fmt: skip
def test_canonical_club(alias, name):
    assert canonical_club(alias) == name


NICKNAMES = ["Los Blancos", "the Bernabeu", "the Gunners", "Spurs", "PSG", "Barca", "the Bavarians"]


@pytest.mark.parametrize("alias", NICKNAMES)
def test_nicknames_are_destinations(alias, model):
    (claim,) = claims(f"Marco Vellani is close to a move to {alias}, according to Sky Sports.", model=model)
    assert claim.to_club == canonical_club(alias)
    assert claim.status == "rumour"


def test_coreference_resolves_to_the_last_named_subject(model):
    text = (
        "Chelsea are monitoring Marco Vellani. The Spaniard is also wanted by Napoli. "
        "His agent has held talks with Juventus, and the 24-year-old is keen on a move to Inter Milan."
    )
    found = claims(text, model=model)
    assert {(c.subject, c.to_club) for c in found} == {
        ("Marco Vellani", "Chelsea"), ("Marco Vellani", "Napoli"), ("Marco Vellani", "Juventus"),
        ("Marco Vellani", "Inter Milan"),
    }  # fmt: skip


def test_later_clubless_sentences_support_or_deny(model):
    text = "Arsenal have agreed a fee with Lille for Jonathan David. The striker will have a medical on Monday."
    (claim,) = claims(text, model=model)
    assert [ev.role for ev in claim.evidence] == ["support", "support"]
    denied = claims(text + " However, David has since insisted he will stay at Lille.", model=model)
    assert denied[0].status == "denied"
    assert denied[0].likelihood < claim.likelihood


def test_combination_rule():
    def ev(start, score, role="support", tags=()):
        return Evidence("x", start, start + 1, tuple(tags), role, score)

    assert combine_evidence([]) is None
    assert combine_evidence([ev(0, None, "background")]) is None
    assert combine_evidence([ev(0, 0.3), ev(5, 0.6)]) == pytest.approx(0.6)
    denial = Tag("denial", 10, 15, "denied", None)
    later = combine_evidence([ev(0, 0.6), ev(10, 0.5, "denial", [denial])])
    earlier = combine_evidence([ev(10, 0.6), ev(0, 0.5, "denial", [denial])])
    assert later < 0.6 and earlier == pytest.approx(0.6)


def test_to_dict_is_json(seed_claims):
    data = json.loads(json.dumps([c.to_dict() for c in seed_claims]))
    assert {"subject", "from_club", "to_club", "role", "status", "likelihood", "evidence"} <= set(data[0])
    assert {"text", "start", "end", "role", "likelihood", "source", "tags"} <= set(data[0]["evidence"][0])


def test_claims_are_frozen(seed_claims):
    with pytest.raises(AttributeError):
        seed_claims[0].status = "rumour"
    assert isinstance(seed_claims[0], Claim)


def test_format_claims(seed_claims):
    table = format_claims(seed_claims)
    lines = table.splitlines()
    assert lines[0].split()[:7] == ["#", "subject", "from", "to", "role", "status", "likelihood"]
    assert len(lines) == 2 + len(seed_claims)
    assert "Xabi Alonso" in table and "(leaving)" in table and "background" in table
    assert "keeping tabs" in format_claims(seed_claims, evidence=True)
    assert format_claims([]) == "no claims found"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("Arsenal Chelsea want to join from the Real Madrid he. ,'£Xabi Alonso")),
               max_size=300))  # fmt: skip
def test_random_text_never_breaks(model, text):
    for claim in claims(text, model=model):
        assert claim.status in CLAIM_STATUSES
        assert claim.role in ("player", "coach")
        for ev in claim.evidence:
            assert text[ev.start : ev.end] == ev.text


# --------------------------------------------------------------------------- aggregation
def _feed(rows):
    return pd.DataFrame(rows, columns=["subject", "to_club", "date", "source", "text", "likelihood", "max_stage",
                                       "denials", "best_source", "source_tier"])  # fmt: skip


BASE = ("Tom Reed", "Chelsea", "2024-06-01", "Daily Star", "Chelsea are keeping tabs on Everton winger Tom Reed, 24.",
        0.40, 1.0, 0.0, "Daily Star", 5.0)  # fmt: skip


def _row(**changes):
    keys = ["subject", "to_club", "date", "source", "text", "likelihood", "max_stage", "denials", "best_source",
            "source_tier"]  # fmt: skip
    row = dict(zip(keys, BASE))
    row.update(changes)
    return [row[k] for k in keys]


def _likelihood(frame, subject="Tom Reed", to_club="Chelsea"):
    out = aggregate(frame)
    return out[(out["subject"] == subject) & (out["to_club"] == to_club)].iloc[0]


def test_aggregate_single_report_keeps_its_score():
    row = _likelihood(_feed([_row()]))
    assert row["likelihood"] == pytest.approx(0.40)
    assert (row["n_reports"], row["n_sources"], bool(row["denied"])) == (1, 1, False)
    assert list(aggregate(_feed([_row()])).columns) == list(AGGREGATE_COLUMNS)


def test_aggregate_repeats_count_once():
    one = _likelihood(_feed([_row()]))["likelihood"]
    copies = _feed([
        _row(),
        _row(source="Metro", best_source="Metro", source_tier=4.0, date="2024-06-02",
             text="Chelsea are keeping close tabs on Everton winger Tom Reed, 24."),  # near-duplicate
        _row(source="Express", best_source="Express", date="2024-06-03",
             text="According to the Daily Star, Chelsea have been watching Tom Reed."),  # cites the Star
        _row(date="2024-06-04"),  # exact repeat
    ])  # fmt: skip
    row = _likelihood(copies)
    assert row["n_reports"] == 4
    assert row["n_sources"] == 1
    assert row["likelihood"] == pytest.approx(one)


def test_aggregate_independent_sources_raise_more_than_repeats():
    # the Daily Star's 0.40 report, plus a second report at 0.38 from the Star itself, the Sun or the Guardian
    same_outlet = _feed([_row(), _row(date="2024-06-05", likelihood=0.38,
                                      text="Chelsea have sent scouts to watch Tom Reed again.")])  # fmt: skip
    tabloid = _feed([_row(), _row(source="Sun", best_source="The Sun", source_tier=5.0, date="2024-06-05",
                                  likelihood=0.38, text="Tom Reed is wanted by Chelsea, the Sun say.")])  # fmt: skip
    broadsheet = _feed([_row(), _row(source="Guardian", best_source="Guardian", source_tier=2.0, date="2024-06-05",
                                     likelihood=0.38, text="Chelsea have opened talks over Tom Reed.")])  # fmt: skip
    l_same = _likelihood(same_outlet)["likelihood"]
    l_tabloid = _likelihood(tabloid)["likelihood"]
    l_broadsheet = _likelihood(broadsheet)["likelihood"]
    assert l_same == pytest.approx(0.40)
    assert l_same < l_tabloid < l_broadsheet
    assert _likelihood(broadsheet)["n_sources"] == 2
    many = _feed([_row(source=f"Outlet {i}", best_source=f"Outlet {i}", source_tier=1.0, likelihood=0.9,
                       text=f"Report {i}: Chelsea close in on Tom Reed, stage {i}.") for i in range(12)])  # fmt: skip
    assert _likelihood(many)["likelihood"] <= 1 / (1 + math.exp(-(math.log(9) + 1.5))) + 1e-9  # the cap


def test_aggregate_later_denial_lowers():
    support = _row(likelihood=0.6, max_stage=4.0)
    base = _likelihood(_feed([support]))["likelihood"]
    denial = _row(source="Guardian", best_source="Guardian", source_tier=2.0, date="2024-07-01", likelihood=0.2,
                  max_stage=0.0, denials=1.0, text="Chelsea have denied any interest in Tom Reed.")  # fmt: skip
    after = _likelihood(_feed([support, denial]))
    assert after["likelihood"] < base
    assert bool(after["denied"]) is True
    earlier = _row(**{**dict(zip(["date"], ["2024-05-01"]))}, source="Guardian", best_source="Guardian",
                   likelihood=0.2, max_stage=0.0, denials=1.0, text="Chelsea deny interest in Tom Reed.")  # fmt: skip
    before = _likelihood(_feed([earlier, support]))
    assert before["likelihood"] == pytest.approx(base)
    assert bool(before["denied"]) is False


def test_aggregate_later_move_elsewhere_lowers():
    base = _likelihood(_feed([_row()]))["likelihood"]
    rival = _row(to_club="Arsenal", date="2024-08-01", likelihood=0.95, max_stage=9.0, source="Fabrizio Romano",
                 best_source="Fabrizio Romano", source_tier=1.0, text="Here we go! Tom Reed to Arsenal.")  # fmt: skip
    out = aggregate(_feed([_row(), rival]))
    chelsea = out[out["to_club"] == "Chelsea"].iloc[0]
    assert chelsea["likelihood"] < base
    assert out.iloc[0]["to_club"] == "Arsenal"


def test_aggregate_derives_missing_columns():
    frame = pd.DataFrame({
        "text": ["Chelsea are keeping tabs on Everton winger Tom Reed, 24. (Daily Star)",
                 "Tom Reed is wanted by Chelsea, according to the Guardian.",
                 "Arsenal have made an enquiry for Lille striker Jonathan David."],
        "likelihood": [0.4, 0.5, 0.3],
    })  # fmt: skip
    out = aggregate(frame)
    assert set(zip(out["subject"], out["to_club"])) == {("Tom Reed", "Chelsea"), ("Jonathan David", "Arsenal")}
    row = _likelihood(out.assign(), "Tom Reed", "Chelsea") if False else out[out["to_club"] == "Chelsea"].iloc[0]
    assert row["n_reports"] == 2 and row["n_sources"] == 2
    assert row["from_club"] == "Everton"
    assert pd.isna(row["first_date"])
    partial = frame.assign(subject=["Tom Reed", None, ""], to_club=[None, "Chelsea FC", None])
    assert set(zip(aggregate(partial)["subject"], aggregate(partial)["to_club"])) == {
        ("Tom Reed", "Chelsea"), ("Jonathan David", "Arsenal")}  # fmt: skip


def test_aggregate_scores_when_there_is_no_likelihood(model):
    frame = pd.DataFrame({"text": ["Chelsea have agreed a fee for Tom Reed, medical booked.", None],
                          "source": ["Sky Sports", None]})  # fmt: skip
    out = aggregate(frame, model=model)
    assert len(out) == 1 and 0 <= out.iloc[0]["likelihood"] <= 1


def test_aggregate_empty_and_bad_input():
    out = aggregate(pd.DataFrame())
    assert out.empty and list(out.columns) == list(AGGREGATE_COLUMNS)
    assert aggregate(pd.DataFrame({"likelihood": [0.5], "text": ["no claim here"]})).empty
    with pytest.raises(TypeError):
        aggregate([{"text": "x"}])
    with pytest.raises(ValueError, match="likelihood"):
        aggregate(pd.DataFrame({"source": ["Mail"]}))


def test_aggregate_surname_joins_full_name():
    frame = _feed([_row(), _row(subject="Reed", source="Guardian", best_source="Guardian", source_tier=2.0,
                                text="Reed talks: Chelsea step up their interest.")])  # fmt: skip
    out = aggregate(frame)
    assert len(out) == 1 and out.iloc[0]["subject"] == "Tom Reed" and out.iloc[0]["n_sources"] == 2


# --------------------------------------------------------------------------- evaluation
def test_evaluate_aggregate_on_a_small_corpus(model):
    rows = []
    for i in range(24):
        person = f"Player {chr(65 + i % 12)}son"
        good = i % 12 < 6
        text = (f"Chelsea have agreed personal terms with {person}, medical booked." if good
                else f"Chelsea are monitoring {person}, claims say.")  # fmt: skip
        rows.append({"id": i, "date": f"2023-{7 + i % 5:02d}-{1 + i:02d}", "text": text,
                     "source": ["Sky Sports", "Daily Star"][i % 2], "subject": person, "from_club": "Lille",
                     "to_club": "Chelsea", "outcome": int(good)})  # fmt: skip
    rows.append({"id": 99, "date": "2020-01-01", "text": "Chelsea want Old Boy.", "source": None,
                 "subject": "Old Boy", "from_club": None, "to_club": "Chelsea", "outcome": 0})  # fmt: skip
    result = evaluate_aggregate(pd.DataFrame(rows), model)
    assert list(result.index) == ["combined", "mean", "max"]
    assert {"auc", "brier", "n_claims", "n_reports", "positive_rate"} <= set(result.columns)
    assert (result["n_claims"] == 12).all() and (result["n_reports"] == 24).all()
    assert ((result["brier"] >= 0) & (result["brier"] <= 1)).all()
    with pytest.raises(ValueError, match="columns"):
        evaluate_aggregate(pd.DataFrame({"text": ["x"]}), model)


@pytest.mark.slow
def test_evaluate_aggregate_on_the_shipped_corpus(model):
    corpus = REPO / "data" / "reports.csv"
    if not corpus.is_file():
        pytest.skip("data/reports.csv is not there")
    result = evaluate_aggregate(str(corpus), model)
    assert result.loc["combined", "n_claims"] > 50
    # pooling independent reports should not be worse than averaging them
    assert result.loc["combined", "brier"] <= result.loc["mean", "brier"] + 0.01
