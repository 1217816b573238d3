"""Command-line edge cases: odd input paths, options that do not apply, strict JSON, one-line errors."""

import errno
import io
import json
import os
import socket
import sys
import threading
from pathlib import Path

import pytest

from rumourscore.cli import main

SEED = Path(__file__).resolve().parent.parent / "seeds" / "2024-11-14_alonso_leverkusen_real_madrid.txt"


def one_line(err: str, prefix: str = "rumourscore: error: ") -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(prefix) and "Traceback" not in err, err
    return lines[0]


def test_an_argument_too_long_for_a_file_name_is_text_or_a_missing_file(model_path, capsys):
    # (os.stat raises ENAMETOOLONG for a name over 255 bytes: Path.is_file() does not swallow it)
    assert main(["score", "a" * 300, "--model", model_path]) == 0
    assert "likelihood" in capsys.readouterr().out
    assert main(["tag", "a" * 300 + ".txt"]) == 2
    assert "input file not found" in one_line(capsys.readouterr().err)


@pytest.mark.skipif(not Path("/dev/fd").is_dir(), reason="needs /dev/fd")
def test_a_pipe_or_a_device_is_read_as_an_article(capsys):
    read, write = os.pipe()  # what the shell's <(cmd) passes: /dev/fd/N, not a regular file
    os.write(write, b"Chelsea have agreed a fee, per Sky Sports")
    os.close(write)
    try:
        assert main(["tag", f"/dev/fd/{read}"]) == 0
    finally:
        os.close(read)
    assert "Sky Sports" in capsys.readouterr().out
    assert main(["tag", os.devnull]) == 0
    assert capsys.readouterr().out == "no tags\n"


def test_evaluate_json_is_strict_json_when_a_metric_is_undefined(model_path, toy_frame, tmp_path, capsys):
    toy_frame.to_csv(tmp_path / "train.csv", index=False)
    toy_frame[toy_frame["outcome"] == 1].to_csv(tmp_path / "one-class.csv", index=False)  # no ROC-AUC
    argv = ["evaluate", str(tmp_path / "one-class.csv"), "--model", model_path, "--train", str(tmp_path / "train.csv"),
            "--plot", "none", "--json"]  # fmt: skip
    assert main(argv) == 0

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    report = json.loads(capsys.readouterr().out, parse_constant=refuse)
    assert report["scores"]["rumourscore"]["roc_auc"] is None and report["scores"]["rumourscore"]["n"] > 0


def test_options_for_another_kind_of_input_are_usage_errors(model_path, toy_csv, tmp_path, monkeypatch, capsys):
    # (table options with a single text, single-text options with a table: they were ignored silently)
    monkeypatch.chdir(tmp_path)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Chelsea have agreed a fee for the caf\u00e9 owner".encode("latin-1"))
    runs = [
        (["score", str(SEED), "--claims", "claims.csv"], "--claims: for tables only"),  # (nothing was written)
        (["score", str(latin), "--encoding", "latin-1"], "--encoding: for tables only"),  # (it was read as UTF-8)
        (["score", "Chelsea agreed a fee", "--feed", "--jobs", "2"], "--jobs, --feed: for tables only"),
        (["score", str(toy_csv), "-o", "out.csv", "--source", "Sky", "--date", "2024-01-01"],
         "--source, --date: for a "),
    ]
    for argv, message in runs:
        assert main([*argv, "--model", model_path]) == 2, argv
        assert message in one_line(capsys.readouterr().err), argv
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.csv", "latin.txt"]
    assert main(["score", "Chelsea agreed a fee", "--explain", "--quiet", "--model", model_path]) == 0  # harmless


def test_evaluate_split_date_refuses_a_model_and_a_training_file_it_would_ignore(model_path, toy_csv, capsys):
    for extra in (["--model", model_path], ["--train", str(toy_csv)]):
        assert main(["evaluate", str(toy_csv), "--split-date", "2020-01-01", "--plot", "none", *extra]) == 2
        assert "leave out --model and --train" in one_line(capsys.readouterr().err)


def test_a_dash_is_no_file_name_for_a_model_or_an_html_page(model_path, toy_csv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["train", str(toy_csv), "-o", "-"]) == 2
    assert "never stdout" in one_line(capsys.readouterr().err)
    assert main(["claims", str(SEED), "--html", "-", "--model", model_path]) == 2
    assert "--html needs a file name" in one_line(capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feed.csv"]


def test_train_and_evaluate_read_a_csv_from_stdin(toy_frame, tmp_path, monkeypatch, capsys):
    csv = toy_frame.to_csv(index=False).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(csv)))
    assert main(["train", "-", "-o", str(tmp_path / "m.joblib")]) == 0
    assert f"trained on {len(toy_frame)} reports" in capsys.readouterr().out
    toy_frame.to_csv(tmp_path / "train.csv", index=False)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(csv)))
    assert main(["evaluate", "-", "--model", str(tmp_path / "m.joblib"), "--train", str(tmp_path / "train.csv"),
                 "--plot", "none"]) == 0  # fmt: skip
    assert "rumourscore" in capsys.readouterr().out


class _FullDisk(io.StringIO):
    def write(self, text):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_an_output_that_cannot_be_written_is_one_line_not_a_traceback(model_path, toy_csv, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", _FullDisk())
    assert main(["tag", "Chelsea have agreed a fee"]) == 2
    assert os.strerror(errno.ENOSPC) in one_line(capsys.readouterr().err)
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(_FullBinary()))  # (a table goes to stdout's buffer)
    assert main(["score", str(toy_csv), "-o", "-", "--model", model_path, "--quiet", "--jobs", "1"]) == 2
    assert os.strerror(errno.ENOSPC) in one_line(capsys.readouterr().err)


class _FullBinary(io.RawIOBase):
    def writable(self):
        return True

    def write(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("argv", [["score", "x", "--no-such-option"], ["score", "x", "--base-rate", "2"], ["nonsense"],
                                  ["train", "labelled.csv"]])  # fmt: skip
def test_usage_errors_from_the_parser_are_one_line(argv, capsys):
    assert main(argv) == 2
    assert "--help" in one_line(capsys.readouterr().err)


def test_train_help_names_the_weights_file_it_writes(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "300")  # (no line wrapped at a hyphen)
    assert main(["train", "--help"]) == 0
    out = capsys.readouterr().out
    assert "my-model.weights.npz" not in out and "(+ my-model.joblib.weights.npz," in out


def test_the_claims_table_and_the_output_cannot_be_one_file(model_path, toy_csv, tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["score", str(toy_csv), "-o", str(out), "--claims", str(out), "--model", model_path]) == 2
    assert "the claims and the output are the same file" in one_line(capsys.readouterr().err)


def test_library_warnings_carry_the_prefix(model_path, tmp_path, capsys):
    src = tmp_path / "latin.csv"
    src.write_bytes("text,source\ncaf\u00e9 agreed a fee,Sky\n".encode("latin-1"))
    assert main(["score", str(src), "-o", str(tmp_path / "o.csv"), "--model", model_path, "--jobs", "1"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("scored 1 row") and lines[1] == "failed: row 1: undecodable bytes"  # (a summary)
    assert lines[2].startswith("rumourscore: warning: 1 rows had undecodable bytes") and len(lines) == 3


def _not_a_scheduler(server: socket.socket) -> None:
    for _ in range(5):
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            conn.recv(100)
            conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n" * 10)


def test_a_bad_scheduler_address_is_a_usage_error(model_path, toy_csv, tmp_path, capsys):
    pytest.importorskip("distributed")
    server = socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=_not_a_scheduler, args=(server,), daemon=True).start()
    try:
        for scheduler, message in (("no-port", "is not a scheduler address"), ("http://127.0.0.1:1", "scheme"),
                                   (f"tcp://127.0.0.1:{server.getsockname()[1]}", "no Dask scheduler at")):  # fmt: skip
            argv = ["score", str(toy_csv), "-o", str(tmp_path / "o.csv"), "--engine", "dask", "--scheduler", scheduler]
            assert main([*argv, "--model", model_path, "--quiet"]) == 2, scheduler
            assert message in one_line(capsys.readouterr().err), scheduler
    finally:
        server.close()
    assert not (tmp_path / "o.csv").exists()


def test_a_scheduler_that_cannot_be_reached_leaves_no_default_client(model_path, toy_csv, tmp_path):
    """distributed registers a new Client as the process's default before it connects: a failed
    --scheduler left a broken default client, and a later score_dataframe scattered to it."""
    distributed = pytest.importorskip("distributed")
    argv = ["score", str(toy_csv), "-o", str(tmp_path / "o.csv"), "--engine", "dask", "--scheduler", "no-port"]
    assert main([*argv, "--model", model_path, "--quiet"]) == 2
    with pytest.raises(ValueError, match="No clients found"):
        distributed.default_client()
