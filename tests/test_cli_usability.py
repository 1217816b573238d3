"""Issue #15: a command line that never surprises its user (missing extras, Ctrl-C, inputs read wrongly, ...)."""

import sys

import pandas as pd
import pytest

from rumourscore.cli import main


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


# ------------------------------------------------------------------------------ 1. missing extras
def test_parquet_without_pyarrow_names_the_extra(model_path, toy_csv, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    code = main(["score", str(toy_csv), "-o", str(tmp_path / "x.parquet"), "--model", model_path, "--quiet"])
    assert code == 2
    line = one_error_line(capsys.readouterr().err)
    assert "Parquet output" in line and "pip install 'rumourscore[parquet]'" in line
    assert not (tmp_path / "x.parquet").exists()
    (tmp_path / "in.parquet").write_bytes(b"PAR1")
    assert main(["score", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "o.csv"), "--model", model_path]) == 2
    assert "Parquet input" in one_error_line(capsys.readouterr().err)


def test_score_csv_to_parquet_without_pyarrow_is_a_clear_import_error(toy_model, toy_csv, tmp_path, monkeypatch):
    from rumourscore import score_csv

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r"rumourscore\[parquet\]"):
        score_csv(str(toy_csv), str(tmp_path / "x.parquet"), model=toy_model, quiet=True, jobs=1)


@pytest.mark.parametrize("module", ["dask.dataframe", "distributed"])
def test_engine_dask_without_dask_names_the_extra(model_path, toy_csv, tmp_path, monkeypatch, capsys, module):
    monkeypatch.setitem(sys.modules, module, None)
    code = main(["score", str(toy_csv), "-o", str(tmp_path / "o.csv"), "--engine", "dask", "--model", model_path])
    assert code == 2
    assert "pip install 'rumourscore[dask]'" in one_error_line(capsys.readouterr().err)


def test_unreachable_scheduler_fails_fast_with_one_line(model_path, toy_csv, tmp_path, monkeypatch, capsys):
    pytest.importorskip("distributed")
    import socket

    import rumourscore.dask as rdask

    monkeypatch.setattr(rdask, "SCHEDULER_TIMEOUT", 1)
    # A port nobody listens on, held (bound, never listening) while the client tries it: a freed port
    # could be the client's own ephemeral source port, and a TCP self-connection "answers" it.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        code = main(["score", str(toy_csv), "-o", str(tmp_path / "o.csv"), "--engine", "dask", "--scheduler",
                     f"tcp://127.0.0.1:{port}", "--model", model_path, "--quiet"])  # fmt: skip
    assert code == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in line
    assert not (tmp_path / "o.csv").exists()


# ------------------------------------------------------------------------------ 2. Ctrl-C
def test_ctrl_c_during_a_batch_writes_nothing(model_path, toy_csv, tmp_path, monkeypatch, capsys):
    import rumourscore._batch as batch

    calls = []

    def interrupted(items, model=None, settings=None):
        calls.append(len(items))
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "_score_unique", interrupted)
    out = tmp_path / "out" / "scored.csv"
    out.parent.mkdir()
    code = main(["score", str(toy_csv), "-o", str(out), "--model", model_path, "--jobs", "1", "--quiet"])
    assert code == 130 and calls
    assert one_error_line(capsys.readouterr().err) == "rumourscore: interrupted: nothing written"
    assert list(out.parent.iterdir()) == []  # no output, no leftover temporary file


# ------------------------------------------------------------------------------ 3. inputs read wrongly
def test_missing_file_like_argument_is_a_usage_error_naming_the_closest_file(model_path, tmp_path, capsys):
    (tmp_path / "transfer_feed.csv").write_text("text\nChelsea bid\n")
    for command in (["score"], ["claims"], ["tag"]):
        assert (
            main([*command, str(tmp_path / "transfer_fed.csv"), "--model", model_path][: 2 + 2 * (command != ["tag"])])
            == 2
        )
        line = one_error_line(capsys.readouterr().err)
        assert "input file not found" in line and f"closest existing file: {tmp_path / 'transfer_feed.csv'}" in line
    assert main(["score", "notes/article.txt", "--model", model_path]) == 2  # a path separator, no such file
    assert "input file not found: notes/article.txt" in capsys.readouterr().err


def test_text_with_spaces_or_forced_with_text_is_scored(model_path, tmp_path, capsys):
    assert main(["score", "Man Utd/Chelsea keen", "--model", model_path]) == 0
    assert "likelihood" in capsys.readouterr().out
    assert main(["score", "--text", "Bid.rejected", "--model", model_path, "--json"]) == 0
    assert capsys.readouterr().out.count('"likelihood"') == 1


def test_unsupported_extension_lists_the_supported_ones(model_path, tmp_path, capsys):
    (tmp_path / "feed.xlsx").write_bytes(b"PK\x03\x04")
    assert main(["score", str(tmp_path / "feed.xlsx"), "-o", str(tmp_path / "o.csv"), "--model", model_path]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "cannot read .xlsx files" in line and ".csv" in line and ".parquet" in line and ".txt" in line
    assert main(["score", str(tmp_path / "missing.xlsx"), "--model", model_path]) == 2
    assert ".xlsx is not supported" in capsys.readouterr().err
    assert main(["tag", str(tmp_path / "feed.xlsx")]) == 2
    assert ".txt" in capsys.readouterr().err


# ------------------------------------------------------------------------------ 4. --monthfirst, --base-rate, --date
def _likelihood(capsys) -> float:
    import json

    return json.loads(capsys.readouterr().out)["likelihood"]


def test_base_rate_and_dates_on_a_single_text(model_path, capsys):
    text = ["score", "Chelsea have agreed a fee for the striker, per Sky Sports", "--model", model_path, "--json"]
    assert main([*text, "--base-rate", "0.1"]) == 0
    low = _likelihood(capsys)
    assert main([*text, "--base-rate", "0.6"]) == 0
    assert _likelihood(capsys) > low
    assert main([*text, "--base-rate", "1.5"]) == 2  # a usage error, from argparse
    assert "between 0 and 1" in capsys.readouterr().err
    assert main([*text, "--date", "someday"]) == 2
    assert "is not a date" in capsys.readouterr().err


def test_date_forms_and_monthfirst_reach_the_scorer(model_path, monkeypatch, capsys):
    import rumourscore._api as api

    seen = []
    original = api.explain

    def spy(text, **kw):
        seen.append(kw["date"])
        return original(text, **kw)

    monkeypatch.setattr(api, "explain", spy)
    text = ["score", "Chelsea have agreed a fee for the striker", "--model", model_path, "--json"]
    for form in ("20/11/2024", "Nov 20, 2024", "2024-11-20"):
        assert main([*text, "--date", form]) == 0
    assert main([*text, "--date", "05/06/2024"]) == 0
    assert main([*text, "--date", "05/06/2024", "--monthfirst"]) == 0
    assert seen == ["2024-11-20"] * 3 + ["2024-06-05", "2024-05-06"]


def test_base_rate_and_monthfirst_in_batch_and_claims(model_path, tmp_path, capsys, monkeypatch):
    pd.DataFrame({"text": ["Chelsea have agreed a fee for the striker, per Sky Sports"] * 2,
                  "date": ["05/06/2024", "13/06/2024"]}).to_csv(tmp_path / "in.csv", index=False)  # fmt: skip
    base = ["score", str(tmp_path / "in.csv"), "--model", model_path, "--quiet", "--jobs", "1"]
    assert main([*base, "-o", str(tmp_path / "low.csv"), "--base-rate", "0.1"]) == 0
    assert main([*base, "-o", str(tmp_path / "high.csv"), "--base-rate", "0.6", "--monthfirst"]) == 0
    low, high = pd.read_csv(tmp_path / "low.csv"), pd.read_csv(tmp_path / "high.csv")
    assert (high["likelihood"] > low["likelihood"]).all()
    import rumourscore._workers as workers

    calls = []
    original = workers.score_frame
    monkeypatch.setattr(workers, "score_frame", lambda frame, **kw: calls.append(kw) or original(frame, **kw))
    assert main([*base, "-o", str(tmp_path / "m.csv"), "--monthfirst"]) == 0
    assert calls and all(kw["monthfirst"] and kw["base_rate"] == 0.3 for kw in calls)
    article = "Arsenal have opened talks with Lille over Jonathan David, per Sky Sports."
    results = []
    for rate in ("0.1", "0.6"):
        assert main(["claims", article, "--model", model_path, "--json", "--base-rate", rate]) == 0
        import json

        results.append(json.loads(capsys.readouterr().out)[0]["likelihood"])
    assert results[1] > results[0]


# ------------------------------------------------------------------------------ 5. summary and logging
def test_blank_lines_are_skipped_and_failures_named(model_path, tmp_path, capsys):
    lines = ["text,source"] + [f"Chelsea bid number {i} for the winger,Sun" for i in range(14)]
    lines[5:5] = ["", ",Mirror", "   "]  # a blank line, an empty text, a line of spaces
    (tmp_path / "in.csv").write_text("\n".join(lines) + "\n")
    code = main(["score", str(tmp_path / "in.csv"), "-o", str(tmp_path / "o.csv"), "--model", model_path,
                 "--jobs", "1"])  # fmt: skip
    assert code == 0
    err = capsys.readouterr().err
    assert "scored 15 rows (1 failure, 2 blank lines skipped)" in err
    assert "failed: row 6: empty text" in err
    assert len(pd.read_csv(tmp_path / "o.csv")) == 15
    assert main(["score", str(tmp_path / "in.csv"), "-o", str(tmp_path / "o.csv"), "--model", model_path,
                 "--jobs", "1", "--quiet"]) == 0  # fmt: skip
    assert capsys.readouterr().err == ""


def test_library_reports_through_logging_not_stderr(toy_model, toy_csv, tmp_path, capsys, caplog):
    from rumourscore import score_file

    with caplog.at_level("INFO", logger="rumourscore"):
        score_file(str(toy_csv), str(tmp_path / "o.csv"), model=toy_model, jobs=1)
    assert capsys.readouterr().err == ""
    assert [r.name for r in caplog.records] == ["rumourscore"]
    assert caplog.records[0].getMessage().startswith("scored 16 rows (0 failures)")


# ------------------------------------------------------------------------------ 6. precision
def test_likelihood_and_fee_precision_in_csv_and_jsonl(model_path, tmp_path):
    import json

    pd.DataFrame({"text": ["Chelsea have agreed a £50.5m fee for the striker, per Sky Sports"]}).to_csv(
        tmp_path / "in.csv", index=False)  # fmt: skip
    for out in ("o.csv", "o.jsonl"):
        assert main(["score", str(tmp_path / "in.csv"), "-o", str(tmp_path / out), "--model", model_path,
                     "--quiet", "--jobs", "1"]) == 0  # fmt: skip
    cells = pd.read_csv(tmp_path / "o.csv", dtype=str).iloc[0]
    assert len(cells["likelihood"].split(".")[1]) <= 6
    assert cells["fee_eur"].isdigit() and int(cells["fee_eur"]) > 50_000_000
    record = json.loads((tmp_path / "o.jsonl").read_text())
    assert record["likelihood"] == round(record["likelihood"], 6) and isinstance(record["fee_eur"], int)


# ------------------------------------------------------------------------------ 7. citable version
def test_version_and_model_name(model_path, toy_csv, tmp_path, capsys):
    import json

    from rumourscore import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"rumourscore {__version__}"
    assert main(["score", "Chelsea bid", "--model", model_path, "--json"]) == 0
    name = json.loads(capsys.readouterr().out)["model"]
    assert name.startswith("toy.joblib@") and len(name.split("@")[1]) == 12
    assert main(["score", str(toy_csv), "-o", str(tmp_path / "o.csv"), "--model", model_path, "--quiet"]) == 0
    assert set(pd.read_csv(tmp_path / "o.csv")["model"]) == {name}


# ------------------------------------------------------------------------------ 8. --explain
def test_explain_adds_a_why_column_equal_to_explanation_why(toy_model, model_path, toy_csv, tmp_path):
    from rumourscore import explain

    assert main(["score", str(toy_csv), "-o", str(tmp_path / "o.csv"), "--model", model_path, "--quiet",
                 "--explain", "--jobs", "1"]) == 0  # fmt: skip
    out = pd.read_csv(tmp_path / "o.csv", keep_default_na=False)
    for row in out.head(6).itertuples():
        expected = explain(row.text, source=row.source, date=row.date, model=toy_model)
        assert row.why == expected.why()
        assert abs(row.likelihood - expected.likelihood) < 1e-6
    assert main(["score", str(toy_csv), "-o", str(tmp_path / "p.csv"), "--model", model_path, "--quiet"]) == 0
    assert "why" not in pd.read_csv(tmp_path / "p.csv").columns


# ------------------------------------------------------------------------------ 9. note
def test_note_column_flags_other_languages_and_untagged_text(toy_model, model_path, tmp_path):
    from rumourscore import score_frame

    frame = pd.DataFrame({"text": ["Chelsea have agreed a fee with Lille for the striker, per Sky Sports",
                                   "El club ha cerrado el fichaje del delantero por cinco temporadas",
                                   "Lovely weather in Manchester today", None]})  # fmt: skip
    notes = score_frame(frame, model=toy_model)["note"].tolist()
    assert notes[0] is None and notes[1].startswith("not English?") and notes[2] == "no tag found"
    assert notes[3] is None  # a row without text has an error, not a note
    frame.to_csv(tmp_path / "in.csv", index=False)
    assert main(["score", str(tmp_path / "in.csv"), "-o", str(tmp_path / "o.csv"), "--model", model_path,
                 "--quiet", "--jobs", "1"]) == 0  # fmt: skip
    assert pd.read_csv(tmp_path / "o.csv")["note"].tolist()[:3] == [pytest.approx(float("nan"), nan_ok=True),
                                                                   notes[1], "no tag found"]  # fmt: skip


# ------------------------------------------------------------------------------ 10. train and evaluate
def test_train_with_other_column_names_and_yes_no_labels(toy_frame, tmp_path, capsys):
    frame = toy_frame.rename(columns={"text": "headline", "source": "outlet", "date": "published"})
    frame["came_true"] = frame.pop("outcome").map({1: "Yes", 0: "no"})
    frame.to_csv(tmp_path / "labelled.csv", index=False)
    model = tmp_path / "mine.joblib"
    args = ["train", str(tmp_path / "labelled.csv"), "-o", str(model), "--text-col", "headline", "--source-col",
            "outlet", "--date-col", "published", "--label-col", "came_true"]  # fmt: skip
    assert main(args) == 0
    assert "mine.joblib.weights.npz" in capsys.readouterr().out
    assert {p.name for p in tmp_path.iterdir()} >= {"mine.joblib", "mine.joblib.weights.npz",
                                                     "mine.joblib.manifest.json"}  # fmt: skip
    frame.loc[3, "came_true"] = "maybe"
    frame.to_csv(tmp_path / "labelled.csv", index=False)
    assert main(args) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "1/0, yes/no or true/false" in line and "'maybe'" in line
    assert main([*args[:4], "--text-col", "body"]) == 2
    assert "text column 'body' not found" in capsys.readouterr().err


def test_train_help_documents_the_three_files(capsys):
    assert main(["train", "--help"]) == 0
    out = capsys.readouterr().out
    assert ".weights.npz" in out and ".manifest.json" in out and ".joblib" in out


def test_evaluate_on_the_training_file_warns_in_sample(toy_frame, tmp_path, capsys):
    toy_frame.to_csv(tmp_path / "train.csv", index=False)
    toy_frame.iloc[::2].to_csv(tmp_path / "other.csv", index=False)
    assert main(["train", str(tmp_path / "train.csv"), "-o", str(tmp_path / "m.joblib")]) == 0
    capsys.readouterr()
    base = ["--model", str(tmp_path / "m.joblib"), "--train", str(tmp_path / "train.csv"), "--plot", "none"]
    assert main(["evaluate", str(tmp_path / "train.csv"), *base]) == 0
    captured = capsys.readouterr()
    assert "in-sample" in captured.err and "IN-SAMPLE" in captured.out
    rumourscore_row = next(line for line in captured.out.splitlines() if line.startswith("rumourscore "))
    assert f" {len(toy_frame)} " in rumourscore_row and f"{len(toy_frame)}.0" not in rumourscore_row
    assert main(["evaluate", str(tmp_path / "other.csv"), *base]) == 0
    captured = capsys.readouterr()
    assert "in-sample" not in captured.err and "IN-SAMPLE" not in captured.out


# ------------------------------------------------------------------------------ 11. help
@pytest.mark.parametrize("command", ["tag", "score", "claims", "train", "evaluate"])
def test_every_option_has_help_and_every_command_an_example(command, capsys):
    from rumourscore.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    undocumented = [a.option_strings or a.dest for a in sub._actions if not a.help]
    assert undocumented == []
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out and f"rumourscore {command} " in out.split("examples:")[1]


# ------------------------------------------------------------------------------ 13. docstrings
def test_public_functions_document_every_parameter():
    import dataclasses
    import inspect

    from rumourscore import BatchError, BatchSummary, score_csv, train
    from rumourscore._batch import BatchOptions
    from rumourscore._evaluate import evaluate, metrics

    for function in (train, evaluate, metrics, score_csv, BatchError, BatchSummary):
        doc = inspect.getdoc(function)
        assert "Parameters\n----------" in doc, function
        section = doc.split("Parameters\n----------")[1]
        if function is BatchError:
            names = ["message"]
        else:
            names = [p for p in inspect.signature(function).parameters if p not in ("overrides", "args", "kwargs")]
        for name in names:
            assert f"{name} :" in section or f"{name}," in section or f", {name}" in section, (function, name)
    csv_doc = inspect.getdoc(score_csv).split("Returns")[0]
    for option in dataclasses.fields(BatchOptions):
        assert option.name in csv_doc, option.name


def test_a_user_column_named_model_or_why_is_kept(toy_model, tmp_path):
    from rumourscore import score_file

    pd.DataFrame({"text": ["Chelsea bid for the winger"], "model": ["mine"], "why": ["because"]}).to_csv(
        tmp_path / "in.csv", index=False
    )
    with pytest.warns(UserWarning, match="rumourscore_model"):
        score_file(str(tmp_path / "in.csv"), str(tmp_path / "o.csv"), model=toy_model, jobs=1, quiet=True,
                   explain=True)  # fmt: skip
    out = pd.read_csv(tmp_path / "o.csv")
    assert out["model"].tolist() == ["mine"] and out["why"].tolist() == ["because"]
    assert out["rumourscore_model"].tolist() == [toy_model.name] and out["rumourscore_why"].notna().all()


@pytest.mark.parametrize(("command", "says"), [("score", "text is empty"), ("claims", "article is empty")])
def test_an_empty_argument_is_empty_text_not_the_current_folder(command, says, capsys):
    assert main([command, ""]) == 2
    err = capsys.readouterr().err
    assert says in err and "folder" not in err
