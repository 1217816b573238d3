import json
from pathlib import Path

import pandas as pd
import pytest

from rumourscore.cli import main

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "2024-11-14_alonso_leverkusen_real_madrid.txt"


def test_tag_seed_article_table_and_json(capsys):
    assert main(["tag", str(SEED)]) == 0
    out = capsys.readouterr().out
    assert "Eurosport" in out and "contract_expiry" in out and "2026" in out and "42" in out
    assert main(["tag", "--json", "Chelsea have agreed a £50m fee, per Sky Sports"]) == 0
    tags = json.loads(capsys.readouterr().out)
    assert [t["kind"] for t in tags] == ["stage", "fee", "source"]
    assert tags[1]["value"] == {"amount": 50_000_000.0, "currency": "GBP", "per": None}


def test_tag_from_stdin(monkeypatch, capsys):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"Medical booked for Friday")))
    assert main(["tag", "-"]) == 0
    assert "stage" in capsys.readouterr().out


def test_tag_unreadable_file_is_a_clear_error(tmp_path, capsys, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("Medical booked")

    def deny(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", deny)
    assert main(["tag", str(path)]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_tag_rejects_non_utf8_file(tmp_path, capsys):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"caf\xe9 bid")
    assert main(["tag", str(path)]) == 2
    assert "not valid UTF-8" in capsys.readouterr().err


def test_negative_jobs_is_a_usage_error(capsys):
    assert main(["score", str(SEED), "-o", "out.csv", "--jobs", "-1"]) == 2  # (returned: never a SystemExit)
    assert "--jobs: -1 is negative" in capsys.readouterr().err


def test_a_text_argument_that_is_not_utf8_is_a_usage_error(capsys):
    # an undecodable byte in argv reaches Python as a lone surrogate (surrogateescape)
    assert main(["tag", "Arsenal agree a fee \udcff"]) == 2
    assert "not valid UTF-8" in capsys.readouterr().err


def test_score_text_and_article(model_path, capsys):
    assert main(["score", "Here we go! Medical booked.", "--source", "Fabrizio Romano", "--model", model_path]) == 0
    assert "likelihood" in capsys.readouterr().out
    assert main(["score", str(SEED), "--model", model_path, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert 0 <= result["likelihood"] <= 1 and result["source"] == "Eurosport"
    assert main(["score", "   ", "--model", model_path]) == 2
    assert main(["score", "Chelsea bid", "--date", "yesterday", "--model", model_path]) == 2
    assert "--date 'yesterday' is not a date" in capsys.readouterr().err


def test_score_table_train_and_evaluate(model_path, toy_frame, tmp_path, capsys, monkeypatch):
    (tmp_path / "sub").mkdir()
    src = tmp_path / "feed.csv"
    toy_frame.to_csv(src, index=False)
    assert main(["score", str(src), "-o", str(tmp_path / "out.csv"), "--model", model_path, "--quiet",
                 "--jobs", "1"]) == 0  # fmt: skip
    assert len(pd.read_csv(tmp_path / "out.csv")) == len(toy_frame)
    assert main(["score", str(src), "--model", model_path]) == 2  # a table needs -o
    assert main(["train", str(src), "-o", str(tmp_path / "m.joblib")]) == 0
    assert (tmp_path / "m.joblib.manifest.json").exists()
    capsys.readouterr()
    assert main(["evaluate", str(src), "--model", str(tmp_path / "m.joblib"), "--train", str(src),
                 "--plot", str(tmp_path / "rel.png"), "--json"]) == 0  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert {"rumourscore", "base rate", "source tier only", "tf-idf + logistic regression"} <= set(report["scores"])
    assert (tmp_path / "rel.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    monkeypatch.chdir(tmp_path / "sub")
    assert main(["evaluate", str(src), "--model", str(tmp_path / "m.joblib"), "--train", str(src)]) == 0
    assert (tmp_path / "sub" / "reliability.png").exists()  # written by default
    (tmp_path / "sub" / "reliability.png").unlink()
    assert main(["evaluate", str(src), "--model", str(tmp_path / "m.joblib"), "--train", str(src), "--plot",
                 "none"]) == 0  # fmt: skip
    assert not (tmp_path / "sub" / "reliability.png").exists()


def test_bad_outputs_and_split_dates_are_usage_errors_before_any_work(model_path, toy_frame, tmp_path, capsys):
    src = tmp_path / "feed.csv"
    toy_frame.to_csv(src, index=False)
    (tmp_path / "m.joblib.weights.npz").mkdir()  # a folder where train would write the model's weights
    runs = [
        (["claims", str(SEED), "--html", str(tmp_path), "--model", model_path], "is a folder"),
        (["claims", str(SEED), "--html", str(tmp_path / "no" / "x.html"), "--model", model_path], "does not exist"),
        (["train", str(src), "-o", str(tmp_path)], "is a folder"),
        (["train", str(src), "-o", str(tmp_path / "m.joblib")], "m.joblib.weights.npz is a folder"),
        (["evaluate", str(src), "--model", model_path, "--split-date", "garbage"], "--split-date needs a date"),
        (["evaluate", str(src), "--model", model_path, "--plot", str(tmp_path / "rel.xyz")], ".png, .svg, .pdf"),
        (["evaluate", str(tmp_path / "maybe.csv"), "--model", model_path, "--plot", "none"], "also found: ['maybe']"),
    ]
    pd.DataFrame({"text": ["Arsenal bid", "Chelsea keen"], "outcome": ["maybe", 1]}).to_csv(tmp_path / "maybe.csv",
                                                                                            index=False)  # fmt: skip
    for argv, message in runs:
        capsys.readouterr()
        assert main(argv) == 2, argv
        captured = capsys.readouterr()
        assert message in captured.err and "Traceback" not in captured.err, argv
        assert captured.out == "", argv  # nothing was printed, nothing was worked out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.csv", "m.joblib.weights.npz",
                                                          "maybe.csv"]  # nothing written


def test_exit_codes(model_path, tmp_path, capsys):
    assert main(["score", str(tmp_path / "missing.csv"), "-o", str(tmp_path / "o.csv"), "--model", model_path]) == 2
    assert "input file not found" in capsys.readouterr().err
    src = tmp_path / "in.csv"
    src.write_text("body\nhello\n")
    assert main(["score", str(src), "-o", str(tmp_path / "o.csv"), "--model", model_path, "--quiet"]) == 2
    assert "columns found: ['body']" in capsys.readouterr().err
    assert main(["score", str(src), "-o", str(tmp_path / "no" / "o.csv"), "--text-col", "body",
                 "--model", model_path]) == 2  # fmt: skip
    assert "output folder does not exist" in capsys.readouterr().err
    bad_model = tmp_path / "bad.joblib"
    bad_model.write_bytes(b"not a model")
    assert main(["score", "hello", "--model", str(bad_model)]) == 2
    assert "not found" in capsys.readouterr().err
    src.write_text("text,source\nok,Sun\n\n,Mirror\n")  # the blank line is skipped; data row 3 has no text
    assert main(["score", str(src), "-o", str(tmp_path / "o.csv"), "--model", model_path, "--strict",
                 "--quiet", "--jobs", "1"]) == 2  # fmt: skip
    assert "row 3" in capsys.readouterr().err
    assert main(["nonsense"]) == 2


def test_score_feed_with_claims(model_path, tmp_path):
    feed = pd.DataFrame({
        "text": [
            "Arsenal are keeping tabs on Lille striker Jonathan David. (Sun)",
            "Arsenal have opened talks with Lille over Jonathan David, per Sky Sports.",
            "Arsenal have opened talks with Lille over Jonathan David, per Sky Sports!",
            "Juventus want Jonathan David, Tuttosport claims.",
            "Chelsea close to signing Sam Okoro from Ajax, medical booked.",
        ],
        "source": ["The Sun", "Sky Sports", "Mirror", "Tuttosport", "Guardian"],
        "date": ["2024-01-05", "2024-05-02", "2024-05-03", "2024-06-01", "2024-07-01"],
        "subject": ["Jonathan David", "Jonathan David", "Jonathan David", "Jonathan David", "Sam Okoro"],
        "to_club": ["Arsenal", "Arsenal", "Arsenal", "Juventus", "Chelsea"],
    })  # fmt: skip
    feed.to_csv(tmp_path / "feed.csv", index=False)
    code = main(["score", str(tmp_path / "feed.csv"), "-o", str(tmp_path / "scored.csv"), "--claims",
                 str(tmp_path / "claims.csv"), "--model", model_path, "--quiet", "--jobs", "1"])  # fmt: skip
    assert code == 0
    claims = pd.read_csv(tmp_path / "claims.csv")
    assert len(claims) == 3
    arsenal = claims[(claims["subject"] == "Jonathan David") & (claims["to_club"] == "Arsenal")].iloc[0]
    assert arsenal["n_reports"] == 3 and arsenal["n_sources"] == 2  # the near-copy counts once
    assert set(claims.columns) >= {"likelihood", "n_reports", "n_sources", "first_date", "last_date",
                                   "latest_stage", "denied"}  # fmt: skip
    # every likelihood is written to six decimals, as the rows' own; so are a feed's claim likelihoods
    written = pd.read_csv(tmp_path / "claims.csv", dtype=str)
    for column in ("likelihood", "max_likelihood", "mean_likelihood"):
        assert written[column].str.fullmatch(r"[01]\.\d{1,6}|[01]").all(), column
    assert main(["score", str(tmp_path / "feed.csv"), "-o", str(tmp_path / "fed.csv"), "--feed", "--model",
                 model_path, "--quiet", "--jobs", "1"]) == 0  # fmt: skip
    assert pd.read_csv(tmp_path / "fed.csv", dtype=str)["claim_likelihood"].str.fullmatch(r"[01]\.\d{1,6}").all()


def test_claims_csv_escapes_formulas_unless_no_escape_formulas(model_path, tmp_path):
    feed = pd.DataFrame({
        "text": ["Chelsea have opened talks over the winger, per Sky Sports.", "=HYPERLINK(x) keen, says the Sun."],
        "source": ["Sky Sports", "The Sun"], "date": ["2024-05-02", "2024-05-03"],
        "subject": ["=HYPERLINK(\"http://x\")", "@evil"], "to_club": ["Chelsea", "+Arsenal"],
    })  # fmt: skip
    feed.to_csv(tmp_path / "feed.csv", index=False)
    base = ["score", str(tmp_path / "feed.csv"), "--model", model_path, "--quiet", "--jobs", "1"]
    assert main([*base, "-o", str(tmp_path / "s.csv"), "--claims", str(tmp_path / "c.csv")]) == 0
    claims = pd.read_csv(tmp_path / "c.csv", dtype=str)
    assert sorted(claims["subject"]) == ['\'=HYPERLINK("http://x")', "'@evil"]
    assert "'+Arsenal" in claims["to_club"].tolist()
    assert pd.read_csv(tmp_path / "s.csv", dtype=str)["text"].tolist()[1] == "'=HYPERLINK(x) keen, says the Sun."
    assert main([*base, "-o", str(tmp_path / "r.csv"), "--claims", str(tmp_path / "rc.csv"),
                 "--no-escape-formulas"]) == 0  # fmt: skip
    assert "@evil" in pd.read_csv(tmp_path / "rc.csv", dtype=str)["subject"].tolist()
    assert pd.read_csv(tmp_path / "r.csv", dtype=str)["text"].tolist()[1] == "=HYPERLINK(x) keen, says the Sun."


def _unwritable_folder(tmp_path):
    import os

    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    if not os.access(folder, os.W_OK):
        return folder
    if os.path.isdir("/proc/sys") and not os.access(
        "/proc/sys", os.W_OK
    ):  # running as root: a folder root cannot write
        return Path("/proc/sys")
    pytest.skip("no folder this user cannot write to")


def test_clear_one_line_errors_for_bad_tables_and_paths(model_path, tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("text,source\nHere we go!,Sky Sports\n")
    base = ["--model", model_path, "--quiet", "--jobs", "1"]

    def error(argv):
        capsys.readouterr()
        assert main(["score", *argv, *base]) == 2
        err = capsys.readouterr().err
        assert err.startswith("rumourscore: error: ") and err.count("\n") == 1, err
        return err

    assert "the output path is a folder" in error([str(src), "-o", str(tmp_path)])
    assert "is also an input" in error([str(src), "-o", str(src)])
    assert src.read_text() == "text,source\nHere we go!,Sky Sports\n"
    assert "cannot write to the output folder" in error([str(src), "-o", str(_unwritable_folder(tmp_path) / "o.csv")])
    assert "unknown encoding 'klingon'" in error([str(src), "-o", str(tmp_path / "o.csv"), "--encoding", "klingon"])
    (tmp_path / "dup.csv").write_text("text,n,n\nHere we go!,1,2\n")
    assert "duplicate column names in the header: ['n']" in error(
        [str(tmp_path / "dup.csv"), "-o", str(tmp_path / "o.csv")]
    )
    (tmp_path / "u16.csv").write_bytes("text\nHere we go!\n".encode("utf-16"))
    assert "pass --encoding utf-16" in error([str(tmp_path / "u16.csv"), "-o", str(tmp_path / "o.csv")])
    latin = tmp_path / "latin.csv"
    latin.write_bytes("text\nAtlético bid\n".encode("latin-1"))
    assert "pass --encoding, e.g. latin-1" in error([str(latin), "-o", str(tmp_path / "o.csv"), "--strict"])
    assert not (tmp_path / "o.csv").exists()
    assert main(["score", str(latin), "-o", str(tmp_path / "o.csv"), "--model", model_path, "--jobs", "1"]) == 0
    assert "1 rows had undecodable bytes" in capsys.readouterr().err
    assert main(["score", str(tmp_path / "u16.csv"), "-o", str(tmp_path / "o.csv"), "--encoding", "utf-16", *base]) == 0
    (tmp_path / "cr.csv").write_bytes(b"text,source\rHere we go!,Sky Sports\rBid rejected,Sun\r")
    assert main(["score", str(tmp_path / "cr.csv"), "-o", str(tmp_path / "cr_out.csv"), *base]) == 0
    assert pd.read_csv(tmp_path / "cr_out.csv")["source"].tolist() == ["Sky Sports", "Sun"]


def test_interrupt_is_one_line_and_dask_only_options_are_refused(model_path, tmp_path, capsys, monkeypatch):
    import rumourscore._batch

    src = tmp_path / "in.csv"
    src.write_text("text\nHere we go!\n")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt("signal 15")

    monkeypatch.setattr(rumourscore._batch, "score_file", interrupted)
    assert main(["score", str(src), "-o", str(tmp_path / "o.csv"), "--model", model_path]) == 130
    assert capsys.readouterr().err == "rumourscore: interrupted: nothing written\n"
    pytest.importorskip("distributed")
    code = main(["score", str(src), "-o", str(tmp_path / "o.csv"), "--model", model_path, "--engine", "dask",
                 "--claims", str(tmp_path / "c.csv"), "--jobs", "2"])  # fmt: skip
    assert code == 2 and "--claims, --jobs not supported with --engine dask" in capsys.readouterr().err


_CLAIM_FEED = ("text,subject,to_club,from_club\nArsenal keen on Jones,Jones,Arsenal,Lille\n"
               "Chelsea bid for Reed,Reed,Chelsea,\n")


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])  # (.csv and .tsv: written so before)
def test_claims_table_is_written_in_the_format_of_its_extension(model_path, tmp_path, suffix):
    (tmp_path / "feed.csv").write_text(_CLAIM_FEED)
    claims_path = tmp_path / f"claims{suffix}"
    assert main(["score", str(tmp_path / "feed.csv"), "-o", str(tmp_path / "o.csv"), "--claims", str(claims_path),
                 "--model", model_path, "--quiet", "--jobs", "1"]) == 0  # fmt: skip
    if suffix == ".parquet":
        claims = pd.read_parquet(claims_path)
    else:
        claims = pd.read_json(claims_path, lines=True)
    assert sorted(claims["subject"]) == ["Jones", "Reed"] and claims["n_reports"].tolist() == [1, 1]
    assert claims.set_index("subject")["from_club"].to_dict()["Jones"] == "Lille"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["feed.csv", "o.csv", claims_path.name])


def test_claims_to_an_unknown_format_or_to_stdout_with_the_rows_is_refused_before_scoring(model_path, tmp_path,
                                                                                          capsys):  # fmt: skip
    (tmp_path / "feed.csv").write_text(_CLAIM_FEED)
    run = ["score", str(tmp_path / "feed.csv"), "--model", model_path, "--quiet", "--jobs", "1", "-o"]
    assert main([*run, str(tmp_path / "o.csv"), "--claims", str(tmp_path / "c.xlsx")]) == 2
    assert "unknown output format '.xlsx'" in capsys.readouterr().err
    assert main([*run, "-", "--claims", "-"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "cannot both go to stdout" in captured.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.csv"]  # nothing written, nothing scored
    assert main([*run, str(tmp_path / "o.csv"), "--claims", "-"]) == 0  # the claims alone on stdout: CSV
    assert capsys.readouterr().out.startswith("subject,to_club,likelihood,")


def test_train_never_writes_over_its_input_through_the_files_beside_the_model(toy_frame, tmp_path, capsys):
    for companion in ("m.joblib.manifest.json", "m.joblib.weights.npz"):
        reports = tmp_path / companion
        toy_frame.to_csv(reports, index=False)
        before = reports.read_bytes()
        assert main(["train", str(reports), "-o", str(tmp_path / "m.joblib")]) == 2
        assert "would be written over the input" in capsys.readouterr().err
        assert reports.read_bytes() == before and not (tmp_path / "m.joblib").exists()
    assert main(["train", str(reports), "-o", ""]) == 2
    assert "-o needs the model's file name" in capsys.readouterr().err


def test_render_html_refuses_a_title_that_is_not_text():
    import rumourscore

    with pytest.raises(TypeError, match="title"):
        rumourscore.render_html("Arsenal want Tom Reed.", title=None)
