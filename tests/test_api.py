import json
import math
import warnings

import pandas as pd
import pytest

import rumourscore
from rumourscore import explain, score, score_frame
from rumourscore._explanation import FEATURE_GROUPS, FEATURE_LABELS
from rumourscore._features import FEATURE_NAMES


def test_public_api_is_exported():
    for name in rumourscore.__all__:
        assert hasattr(rumourscore, name), name
    assert rumourscore.__version__


def test_score_is_a_probability_that_follows_the_evidence(toy_model):
    low = score("Arsenal are keeping tabs on the striker. (Sun)", model=toy_model)
    high = score("Here we go! Medical booked, fee agreed.", source="Fabrizio Romano", model=toy_model)
    assert 0.0 <= low < high <= 1.0


@pytest.mark.parametrize("bad, error", [(None, TypeError), (3, TypeError), (b"bytes", TypeError),
                                        ("", ValueError), ("   ", ValueError)])  # fmt: skip
def test_score_rejects_bad_text_clearly(toy_model, bad, error):
    with pytest.raises(error):
        score(bad, model=toy_model)


@pytest.mark.parametrize("bad", [5, "models/rumourscore.joblib", object()])
@pytest.mark.parametrize("entry", ["score", "explain", "score_frame", "claims", "render_html", "aggregate",
                                   "score_feed"])
def test_a_model_that_is_not_a_model_is_a_clear_type_error(entry, bad):
    # (it was an AttributeError from deep inside: "'int' object has no attribute 'contributions'")
    text = "Arsenal have agreed a fee with Lille for striker Jonathan David."
    call = {"score": lambda: score(text, model=bad), "explain": lambda: explain(text, model=bad),
            "score_frame": lambda: score_frame(pd.DataFrame({"text": [text]}), model=bad),
            "claims": lambda: rumourscore.claims(text, model=bad),
            "render_html": lambda: rumourscore.render_html(text, model=bad),
            "aggregate": lambda: rumourscore.aggregate(pd.DataFrame({"text": [text]}), model=bad),
            "score_feed": lambda: rumourscore.score_feed(pd.DataFrame({"text": [text]}), model=bad)}[entry]  # fmt: skip
    with pytest.raises(TypeError, match="model must be a RumourModel"):
        call()


@pytest.mark.parametrize("bad", [b"Sky Sports", 5, ["Sky Sports"]])
@pytest.mark.parametrize("entry", ["score", "explain", "claims", "render_html"])
def test_a_source_that_is_not_text_is_a_clear_type_error(toy_model, entry, bad):
    # (it was dropped without a word: the text was scored as from an unnamed source)
    text = "Arsenal are keen on Lille striker Jonathan David."
    call = {"score": score, "explain": explain, "claims": rumourscore.claims, "render_html": rumourscore.render_html}
    with pytest.raises(TypeError, match=f"{entry}\\(\\): source must be a str"):
        call[entry](text, source=bad, model=toy_model)
    for missing in (None, math.nan):
        call[entry](text, source=missing, model=toy_model)


def test_why_refuses_a_count_of_groups_that_is_not_one_or_more(toy_model):
    e = explain("Here we go! Medical booked, fee agreed, per Sky Sports.", model=toy_model)
    assert e.why(100).startswith(e.why(1)) and e.why(1).count(";") == 0
    for bad in (0, -1):  # (0 said "nothing in the text moved it", -1 cut the last group off)
        with pytest.raises(ValueError, match="n must be at least 1"):
            e.why(bad)
    for bad in ("3", 2.5, None, True):
        with pytest.raises(TypeError, match="n must be a whole number"):
            e.why(bad)


def test_a_text_cut_short_says_so(toy_model, tmp_path, capsys):
    from rumourscore._text import MAX_TEXT_CHARS
    from rumourscore.cli import main

    long = "Arsenal are monitoring the striker. " * (MAX_TEXT_CHARS // 30)
    for scorer in (score, rumourscore.explain):
        with pytest.warns(UserWarning, match=f"only its first {MAX_TEXT_CHARS:,} are scored"):
            scorer(long, model=toy_model)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        score(long[:MAX_TEXT_CHARS], model=toy_model)  # (not a character too many: no warning)
    model = toy_model.save(tmp_path / "toy.joblib")
    (tmp_path / "long.txt").write_text(long, encoding="utf-8")
    assert main(["score", str(tmp_path / "long.txt"), "--model", str(model)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("rumourscore: warning: the text has") and "UserWarning" not in err


def test_a_lone_surrogate_is_text_like_any_other(toy_model):
    # what json.loads("\\ud800") or a surrogateescape'd argv gives: no UTF-8 holds it, but it is a str
    text = "Arsenal have agreed a fee \ud800 for Tom Reed."
    assert [t.kind for t in rumourscore.tag(text)] == ["stage"]
    assert score(text, model=toy_model) == score(text.replace("\ud800", "x"), model=toy_model)
    assert [c.to_club for c in rumourscore.claims(text, model=toy_model)] == ["Arsenal"]


def test_explain_matches_score_and_serialises(toy_model):
    text = "Juventus have agreed personal terms with the midfielder, per Sky Sports."
    e = explain(text, date="2022-08-01", model=toy_model)
    assert e.likelihood == pytest.approx(score(text, date="2022-08-01", model=toy_model))
    assert "likelihood" in str(e) and e.source == "Sky Sports"
    d = json.loads(json.dumps(e.to_dict()))
    assert d["contributions"][0]["feature"] and any(t["kind"] == "stage" for t in d["tags"])


def test_every_feature_has_a_label_and_a_group():
    names = {*FEATURE_NAMES, "words"}
    assert set(FEATURE_LABELS) == names and set(FEATURE_GROUPS) == names


def test_explanation_groups_correlated_features(toy_model):
    e = explain("Chelsea have officially completed the signing of the midfielder, per Sky Sports.", model=toy_model)
    groups = {g: (total, items) for g, total, items in e.groups}
    assert sum(total for total, _ in groups.values()) == pytest.approx(sum(c for _, _, c in e.contributions))
    stage_total, stage_items = groups["deal stage"]
    assert {name for name, _, _ in stage_items} >= {"stage_any", "stage_ge10"}
    assert stage_total == pytest.approx(sum(c for _, _, c in stage_items))
    totals = [abs(total) for total, _ in groups.values()]
    assert [abs(t) for _, t, _ in e.groups] == sorted(totals, reverse=True)
    shown = [line for line in str(e).splitlines() if " raised it " in line or " lowered it " in line]
    assert shown and all(line.strip().split()[0] in {g.split()[0] for g in groups} for line in shown)
    assert "log-odds" not in str(e) and "words" not in str(e)
    d = e.to_dict()
    assert "deal stage" in {c["group"] for c in d["contributions"]}
    assert [g["group"] for g in d["groups"]] == [g for g, _, _ in e.groups]


def test_score_frame_keeps_rows_index_and_order(toy_model):
    df = pd.DataFrame(
        {"text": ["Here we go!", None, "", 7, "keeping tabs (Sun)", "x" * 30_000, float("nan")],
         "keep": list("abcdefg")},
        index=[10, 3, 99, 4, 5, 0, -1],
    )  # fmt: skip
    out = score_frame(df, model=toy_model)
    assert list(out.index) == list(df.index) and list(out["keep"]) == list("abcdefg")
    assert out["error"].tolist() == [None, "empty text", "empty text", "not text", None,
                                     "too long: truncated at 20000 chars", "empty text"]  # fmt: skip
    assert math.isnan(out.loc[3, "likelihood"]) and 0 <= out.loc[10, "likelihood"] <= 1
    assert out.loc[5, "best_source"] == "The Sun" and out.loc[5, "source_tier"] == 5
    both = score_frame(pd.DataFrame({"text": ["x" * 30_000], "date": ["31/02/2024"]}), model=toy_model)
    assert both["error"].tolist() == ["unreadable date '31/02/2024': scored without a date; "
                                      "too long: truncated at 20000 chars"]  # (both problems, in this order)
    assert df.columns.tolist() == ["text", "keep"]  # the input is not modified


def test_score_frame_missing_columns(toy_model):
    with pytest.raises(ValueError, match=r"columns found: \['body'\]"):
        score_frame(pd.DataFrame({"body": ["x"]}), model=toy_model)
    out = score_frame(pd.DataFrame({"story": ["Chelsea bid"]}), text_col="story", model=toy_model)
    assert out["likelihood"].notna().all()
    with pytest.raises(TypeError):
        score_frame(["not a frame"], model=toy_model)  # type: ignore[arg-type]


def test_score_frame_names_a_model_that_is_not_one(toy_model):
    """A model path or the scikit-learn pipeline ended in an AttributeError ('score_reports')."""
    frame = pd.DataFrame({"text": ["Chelsea bid"]})
    for wrong in ("models/rumourscore-model.joblib", toy_model.pipeline):
        with pytest.raises(TypeError, match="model must be a RumourModel"):
            score_frame(frame, model=wrong)  # type: ignore[arg-type]


@pytest.mark.parametrize("repeated", ["text", "source"])
def test_repeated_column_names_are_a_clear_error(toy_model, repeated):
    df = pd.DataFrame([["Arsenal bid", "Sky", "x"]], columns=["text", "source", repeated])
    for call in (lambda: score_frame(df, model=toy_model), lambda: rumourscore.score_feed(df, model=toy_model),
                 lambda: rumourscore.aggregate(df)):  # fmt: skip
        with pytest.raises(ValueError, match=f"duplicate column names \\['{repeated}'\\]"):
            call()


def test_score_frame_agrees_with_score(toy_model):
    texts = ["Chelsea could bid for the defender.", "Medical booked for the winger at Lyon."]
    out = score_frame(pd.DataFrame({"text": texts, "source": ["Mirror", "Guardian"]}), model=toy_model)
    for text, src, value in zip(texts, ["Mirror", "Guardian"], out["likelihood"]):
        assert value == pytest.approx(score(text, source=src, model=toy_model))


def test_shipped_model_loads_and_scores(shipped_model):
    assert 0 <= score("Here we go!", model=shipped_model) <= 1
    assert rumourscore.load_model() is rumourscore.load_model()  # cached


def test_dates_in_common_forms_score_like_iso(toy_model):
    text = "Chelsea have agreed a fee for the striker, whose contract runs until 2026."
    iso = score(text, date="2024-11-20", model=toy_model)
    for written in ("20/11/2024", "Nov 20, 2024", "20 November 2024", "2024/11/20"):
        assert score(text, date=written, model=toy_model) == iso
    with pytest.raises(ValueError, match="unreadable date 'someday'"):
        score(text, date="someday", model=toy_model)
    out = score_frame(pd.DataFrame({"text": [text, text], "date": ["someday", "2024"]}), model=toy_model)
    assert out["error"].tolist()[0].startswith("unreadable date 'someday'") and out["error"].tolist()[1] is None
    assert out["likelihood"].notna().all()  # scored without the date, never silently


def test_score_frame_never_overwrites_user_columns_named_like_ours(toy_model):
    df = pd.DataFrame({"text": ["Here we go!"], "error": ["mine"], "likelihood": [0.5], "rumourscore_hedges": [7],
                       "hedges": ["a lot"]})  # fmt: skip
    with pytest.warns(UserWarning, match=r"already has column\(s\) \['likelihood', 'hedges', 'error'\]"):
        out = score_frame(df, model=toy_model)
    assert out[["error", "likelihood", "rumourscore_hedges", "hedges"]].iloc[0].tolist() == ["mine", 0.5, 7, "a lot"]
    assert 0 <= out["rumourscore_likelihood"].iloc[0] <= 1 and out["rumourscore_error"].isna().all()
    assert out["rumourscore_rumourscore_hedges"].iloc[0] == 0 and "best_source" in out.columns


@pytest.mark.parametrize("bad", [5, ["Medical booked"], None])
def test_train_refuses_what_is_neither_a_frame_nor_a_path_with_a_type_error(bad):
    # (as its docstring says: it was pandas' ValueError "Invalid file path or buffer object type")
    with pytest.raises(TypeError, match="reports must be a DataFrame"):
        rumourscore.train(bad)
