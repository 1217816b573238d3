"""The labelled corpus in data/: schema, label consistency, size and spread."""

from pathlib import Path

import pandas as pd
import pytest

from rumourscore import resolve_source, tag

DATA = Path(__file__).resolve().parent.parent / "data"
REPORT_COLUMNS = ["id", "date", "text", "source", "subject", "from_club", "to_club", "outcome", "style"]
MOVE_COLUMNS = ["subject", "from_club", "to_club", "moved_on", "kind", "fee_eur_m", "note"]
STYLES = {"gossip_line", "agency", "journalist_post", "headline", "tabloid", "attributed"}
# The label window, in days from the report date to the move date (both ends included): a move announced from
# a week before the report (a late report of a completed move) to a year after it makes the report true.
WINDOW_FIRST_DAY = -7
WINDOW_LAST_DAY = 365


@pytest.fixture(scope="module")
def reports() -> pd.DataFrame:
    return pd.read_csv(DATA / "reports.csv", encoding="utf-8")


@pytest.fixture(scope="module")
def moves() -> pd.DataFrame:
    return pd.read_csv(DATA / "moves.csv", encoding="utf-8")


def test_schema(reports, moves):
    assert list(reports.columns) == REPORT_COLUMNS
    assert list(moves.columns) == MOVE_COLUMNS
    assert not reports[REPORT_COLUMNS].isna().any().any(), reports[reports.isna().any(axis=1)].head()
    assert not moves[["subject", "from_club", "to_club", "moved_on", "kind"]].isna().any().any()
    assert reports["id"].is_unique and reports["text"].is_unique
    assert set(reports["outcome"]) == {0, 1}
    assert set(reports["style"]) <= STYLES
    assert set(moves["kind"]) <= {"permanent", "loan", "free", "coach"}
    pd.to_datetime(reports["date"], format="%Y-%m-%d")  # raises on a bad date
    pd.to_datetime(moves["moved_on"], format="%Y-%m-%d")
    assert (reports["text"].str.len() > 15).all()


def recompute_outcome(reports: pd.DataFrame, moves: pd.DataFrame) -> pd.Series:
    moved = moves.assign(moved_on=pd.to_datetime(moves["moved_on"]))
    by_key = moved.groupby(["subject", "to_club"])["moved_on"].apply(list).to_dict()
    out = []
    for subject, club, date in zip(reports["subject"], reports["to_club"], pd.to_datetime(reports["date"])):
        days = [(m - date).days for m in by_key.get((subject, club), [])]
        out.append(int(any(WINDOW_FIRST_DAY <= d <= WINDOW_LAST_DAY for d in days)))
    return pd.Series(out, index=reports.index)


def test_outcome_follows_the_label_definition(reports, moves):
    expected = recompute_outcome(reports, moves)
    wrong = reports[expected != reports["outcome"]]
    assert wrong.empty, wrong[["id", "subject", "to_club", "date", "outcome"]].head(10).to_string()


def test_every_source_is_known_to_the_lexicon_by_its_canonical_name(reports):
    unknown = sorted({s for s in reports["source"].unique() if getattr(resolve_source(s), "name", None) != s})
    assert not unknown


def test_size_and_spread(reports):
    assert len(reports) >= 2000
    assert reports["subject"].nunique() >= 400
    assert reports["source"].nunique() >= 40
    years = pd.to_datetime(reports["date"]).dt.year
    assert years.between(2015, 2025).all() and years.nunique() >= 8
    assert 0.25 <= reports["outcome"].mean() <= 0.45
    both = reports.groupby("subject")["outcome"].nunique()
    assert (both == 2).sum() >= 150, "many subjects should have both true and false rumours"


def test_every_tier_and_stage_on_both_sides_of_the_label(reports):
    tiers = reports["source"].map(lambda s: resolve_source(s).tier)
    assert (pd.crosstab(tiers, reports["outcome"]) > 0).all().all()
    stage = reports["text"].map(lambda t: max((x.value for x in tag(t) if x.kind == "stage"), default=0))
    table = pd.crosstab(stage, reports["outcome"])
    assert set(range(1, 11)) <= set(table.index)
    assert (table.loc[1:10] > 0).all().all(), table


def test_moves_cover_every_positive_report(reports, moves):
    positives = reports[reports["outcome"] == 1]
    pairs = set(zip(moves["subject"], moves["to_club"]))
    assert all(pair in pairs for pair in zip(positives["subject"], positives["to_club"]))


def test_the_window_includes_both_ends_and_nothing_beyond():
    moves = pd.DataFrame({"subject": ["A"], "to_club": ["X"], "moved_on": ["2020-06-10"]})
    dates = pd.Timestamp("2020-06-10") - pd.to_timedelta(
        [WINDOW_FIRST_DAY - 1, WINDOW_FIRST_DAY, 0, WINDOW_LAST_DAY, WINDOW_LAST_DAY + 1], unit="D"
    )
    reports = pd.DataFrame({"subject": "A", "to_club": "X", "date": dates.strftime("%Y-%m-%d")})
    assert recompute_outcome(reports, moves).tolist() == [0, 1, 1, 1, 0]
    other_club = reports.assign(to_club="Y")
    assert recompute_outcome(other_club, moves).tolist() == [0] * 5


def test_completed_moves_from_every_tier_and_failed_early_rumours_from_the_best_sources(reports):
    tiers = reports["source"].map(lambda s: resolve_source(s).tier)
    stage = reports["text"].map(lambda t: max((x.value for x in tag(t) if x.kind == "stage"), default=0))
    done_true = reports[(stage == 10) & (reports["outcome"] == 1)]
    assert len(done_true) >= 150
    assert (done_true["source"].map(lambda s: resolve_source(s).tier).value_counts().reindex(range(1, 6)) >= 15).all()
    early = stage.between(1, 3)
    assert (early & (tiers <= 2) & (reports["outcome"] == 0)).sum() >= 200
    assert (early & (tiers >= 4) & (reports["outcome"] == 1)).sum() >= 80
