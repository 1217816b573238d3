import numpy as np
import pytest

from rumourscore._features import FEATURE_NAMES, feature_matrix, row_features
from rumourscore._report import make_report


def feat(text: str, **kw) -> dict:
    row = row_features(make_report(text, kw.get("source"), kw.get("date")))
    return dict(zip(FEATURE_NAMES, row))


def test_stage_hedge_denial_features():
    f = feat("Chelsea have agreed a fee and the player could undergo a medical tomorrow.")
    assert f["stage_ge8"] == 1 and f["stage_ge9"] == 0 and f["hedge_count"] == 1 and f["hedge_max"] > 0
    assert all(f[f"stage_ge{k}"] == 1 for k in range(2, 9))
    f = feat("Arsenal had a bid rejected and pulled out of the race.")
    assert f["denial_max"] > 0 and f["denial_after_stage"] == 1 and f["stage_ge4"] == 1 and f["stage_ge5"] == 0
    f = feat("Napoli have not ruled out a move.")
    assert f["denial_max"] == 0
    f = feat("There have been no talks with Inter.")
    assert f["stage_any"] == 0 and f["stage_negated"] == 1


@pytest.mark.parametrize("text", ["He said there is nothing official yet.", "Nothing has been agreed with Inter."])
def test_nothing_negates_a_stage(text):
    f = feat(text)
    assert f["stage_any"] == 0 and f["stage_negated"] == 1
    assert feat(text.replace("othing", "ow"))["stage_any"] == 1  # "now official", "Now has been agreed"


def test_source_features_from_column_and_text():
    named = feat("Liverpool want the midfielder.", source="Guardian")
    expected = np.log(0.387 / 0.613) - np.log(0.25 / 0.75)  # the Guardian's published hit rate vs unnamed
    assert named["source_reliability"] == pytest.approx(expected)
    assert named["source_early"] == named["source_reliability"]
    in_text = feat("Liverpool want the midfielder, according to the Guardian.")
    assert in_text["source_reliability"] == pytest.approx(expected)
    anonymous = feat("Liverpool want the midfielder, sources close to the club say.")
    assert anonymous["source_reliability"] == 0 and anonymous["source_anonymous"] == 1
    assert feat("Liverpool want the midfielder.", source="My Cousin's Blog")["source_reliability"] == 0
    tabloid = feat("Liverpool want the midfielder.", source="Daily Star")
    assert tabloid["source_reliability"] < 0


def test_source_weighs_early_only():
    agreed = feat("Liverpool have agreed a fee for the midfielder.", source="Guardian")
    assert agreed["source_reliability"] > 0 and agreed["source_early"] == 0


def test_contract_money_age_features():
    f = feat("The 34-year-old, whose contract runs until 2027, would earn £200,000 a week after a £50m fee.",
             date="2025-01-20")  # fmt: skip
    assert f["contract_years_left"] == 2 and f["age_over_30"] == 4 and f["has_wage"] == 1
    assert f["fee_size"] == pytest.approx(np.log10(1 + 50e6 * 1.15) - 7)
    assert feat("A loan with an obligation to buy.")["loan_obligation"] == 1
    small = feat("Leeds paid a £2m fee.")
    assert small["has_fee"] == 1 and small["fee_size"] < 0


def test_an_ordinary_age_is_not_evidence():
    # Gossip columns always give the age; an ordinary age (21 to 30) must not move the features.
    for age in range(21, 31):
        assert feat(f"Arsenal are monitoring the striker, {age}.") == feat("Arsenal are monitoring the striker.")
    assert feat("Arsenal are monitoring the 19-year-old.")["age_under_21"] == 2


def test_every_feature_has_a_label_a_group_and_a_sign():
    from rumourscore._features import FEATURES

    assert [f.name for f in FEATURES] == list(FEATURE_NAMES) and len(set(FEATURE_NAMES)) == len(FEATURE_NAMES)
    assert all(f.label and f.group and f.sign in (-1, 0, 1) for f in FEATURES)


def test_invalid_text_gives_a_row_of_features():
    for bad in (None, float("nan"), 3, ""):
        assert row_features(make_report(bad)).shape == (len(FEATURE_NAMES),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chelsea are set to appoint Carlo Ancelotti, 64, as their new manager.", 0.0),
        ("Roma boss Jose Mourinho, 61, is the favourite to take over at Napoli.", 0.0),
        ("Chelsea want striker Luka Modric, 38.", 8.0),
        ("Chelsea want Luka Modric, 38.", 8.0),
    ],
)
def test_a_coachs_age_is_not_a_players_age(text, expected):
    report = make_report(text, None, None)
    column = FEATURE_NAMES.index("age_over_30")
    assert row_features(report)[column] == expected
    assert feature_matrix([report])[0, column] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Granit Xhaka has signed a new deal at Arsenal until 2027.",
        "Harry Kane is in extension talks with Tottenham.",
        "Liverpool are close to agreeing a contract extension with Mohamed Salah.",
    ],
)
def test_a_renewals_stages_are_not_a_moves(text):
    row = row_features(make_report(text, None, None))
    assert row[FEATURE_NAMES.index("renewal")] > 0
    assert row[FEATURE_NAMES.index("stage_any")] == 0
    assert not any(row[FEATURE_NAMES.index(f"stage_ge{k}")] for k in (2, 5, 10))


def test_a_renewal_scores_below_the_same_words_about_a_move():
    import rumourscore as rs

    assert rs.score("Granit Xhaka has signed a new deal at Arsenal.") < rs.score("Granit Xhaka has signed for Arsenal.")


@pytest.mark.parametrize(
    "text",
    [
        "Tom Baker has rejected a new contract at Lyon.",
        "Tom Baker has refused to sign a new deal with Lyon.",
        "Tom Baker will not sign a contract extension at Lyon.",
    ],
)
def test_a_refused_renewal_is_no_renewal_signal(text):
    assert feat(text)["renewal"] == 0
    assert feat(text.replace("rejected", "signed").replace("refused to sign", "signed")
                .replace("will not sign", "has signed"))["renewal"] > 0  # fmt: skip


def test_a_negated_denial_negates_nothing_after_it():
    f = feat("Juventus did not deny their interest in Tom Baker.")
    assert f["denial_max"] == 0 and f["stage_negated"] == 0 and f["stage_any"] == 1
    f = feat("Juventus have denied any interest in Tom Baker.")
    assert f["denial_max"] > 0 and f["stage_negated"] == 1


@pytest.mark.parametrize("text", [
    "Talks between Chelsea and Tom Baker broke down over personal terms.",
    "Chelsea's move for Tom Baker has stalled over the personal terms.",
    "Chelsea's move for Tom Baker collapsed due to personal terms.",
    "Chelsea pulled out because of his medical.",
])  # fmt: skip
def test_a_stage_that_names_a_denial_s_cause_is_not_reached(text):
    f = feat(text)
    assert f["denial_max"] > 0 and f["stage_negated"] == 1 and f["stage_ge7"] == 0
    # the same stage after a denial and something else between is still reached
    assert feat("Napoli rejected a bid; Chelsea agreed personal terms with Tom Baker.")["stage_ge7"] == 1


@pytest.mark.parametrize("text", [
    "Arsenal have denied reports that they have signed Declan Rice.",
    "Arsenal have denied that a fee has been agreed for Declan Rice.",
    "West Ham say there is no truth in the reports that Arsenal have agreed a fee for Declan Rice.",
    "West Ham say there is no substance to claims Arsenal have agreed a fee for Declan Rice.",
    "West Ham have rubbished claims that Arsenal have agreed a fee for Declan Rice.",
    "Arsenal have dismissed suggestions they are in advanced talks over Declan Rice.",
    "Reports that Arsenal have signed Declan Rice are untrue.",
    "Claims that Arsenal have agreed a fee for Declan Rice are completely untrue.",
    "Reports Arsenal are in advanced talks for Declan Rice are wide of the mark, says his agent.",
])  # fmt: skip
def test_a_stage_in_a_report_a_denial_calls_untrue_is_not_reached(text):
    f = feat(text)
    assert f["stage_any"] == 0 and f["stage_negated"] == 1 and f["denial_max"] > 0
    assert f["source_early"] == f["source_reliability"]  # (no fee agreed: the source still counts early)


@pytest.mark.parametrize(("text", "stage_ge6"), [
    ("Arsenal did not deny reports that they have agreed a fee for Declan Rice.", 1),  # a negated denial denies nothing
    ("Arsenal denied reports of a bid but have agreed a fee for Declan Rice.", 1),  # its reach ends at "but"
    ("Arsenal denied a bid. They have agreed a fee for Declan Rice.", 1),  # ... and at the end of its sentence
    ("AS reports that Real Madrid have agreed a fee for Haaland after their bid for Mbappe was rejected.", 1),
    ("Arsenal have agreed a fee for Declan Rice, and reports of a rival bid are false.", 1),  # before the report noun
    ("Arsenal have agreed a fee for Declan Rice, who plays as a false nine.", 1),  # "false" alone is no verdict
])  # fmt: skip
def test_a_denial_calls_untrue_only_the_report_it_names(text, stage_ge6):
    assert feat(text)["stage_ge6"] == stage_ge6


@pytest.mark.parametrize(("text", "date", "stage_any"), [
    ("Manchester United are interested in Mateo Arrizabal, who signed for Liverpool in 2021.", "2024-07-15", 1),
    ("Napoli, who signed Bastien Lecomte last summer, are in talks over Rafael Menduina.", "2024-07-15", 1),
    ("Monaco made a bid for Jonah Whitcombe last summer.", "2024-07-15", 0),
    ("Last summer, Monaco made a bid for Jonah Whitcombe.", None, 0),  # ("last summer" needs no date)
    ("Roma agreed a fee with Lazio for Dario Pellegatti two years ago.", None, 0),
    ("Roma agreed a fee with Lazio for Dario Pellegatti in 2021.", "2024-07-15", 0),
    ("Roma agreed a fee with Lazio for Dario Pellegatti in 2021.", None, 1),  # a year counts only before the report's
    ("Roma have agreed a fee with Lazio for Dario Pellegatti in 2024.", "2024-07-15", 1),
    ("Chelsea completed the signing of Dario Pellegatti last week.", "2024-07-15", 1),  # a move just done is this move
    ("Real Madrid are in talks over David Alaba after last summer's collapsed deal.", "2024-07-15", 1),
    ("Monaco made a bid for Jonah Whitcombe last summer and are now back with an improved offer.", "2024-07-15", 1),
])  # fmt: skip
def test_a_stage_in_a_clause_set_in_the_past_is_background(text, date, stage_any):
    f = feat(text, date=date)
    assert f["stage_any"] == stage_any and f["stage_negated"] == 0  # (background: not a negated stage either)


@pytest.mark.parametrize(("text", "negated"), [
    ("Roma were unable to agree a fee with Lazio.", 1),
    ("Bayer Leverkusen are still to agree personal terms with him.", 1),
    ("Roma are struggling to agree a fee with Lazio.", 1),
    ("Roma have agreed a fee with Lazio and there are no problems with personal terms.", 0),
    ("There are no issues over personal terms.", 0),
])  # fmt: skip
def test_unable_still_to_and_struggling_to_negate_but_no_problems_does_not(text, negated):
    assert feat(text)["stage_negated"] == negated


@pytest.mark.parametrize(("text", "stage_ge8"), [
    ("PSG have agreed a fee with Lille for him, subject to a medical.", 0),
    ("Barcelona have reached an agreement with Leeds to sign him, pending a medical.", 0),
    ("He is having a medical at PSG after they agreed a fee with Lille.", 1),
    ("He will travel to Paris ahead of a medical.", 1),  # (a medical about to happen is the step)
])  # fmt: skip
def test_a_medical_still_to_come_is_no_step_reached(text, stage_ge8):
    f = feat(text)
    assert f["stage_ge8"] == stage_ge8 and f["stage_negated"] == 0
