"""Issue #15: a command line that never surprises its user (missing extras, Ctrl-C, inputs read wrongly, ...)."""

import sys
from pathlib import Path

import pandas as pd
import pytest

from rumourscore.cli import main


@pytest.fixture(scope="module")
def model_path(toy_model, tmp_path_factory):
    return str(toy_model.save(tmp_path_factory.mktemp("cli") / "toy.joblib"))


@pytest.fixture()
def feed(tmp_path, toy_frame):
    path = tmp_path / "feed.csv"
    toy_frame.head(16).to_csv(path, index=False)
    return path


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


# ------------------------------------------------------------------------------ 1. missing extras
def test_parquet_without_pyarrow_names_the_extra(model_path, feed, tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow now raises ImportError
    code = main(["score", str(feed), "-o", str(tmp_path / "x.parquet"), "--model", model_path, "--quiet"])
    assert code == 2
    line = one_error_line(capsys.readouterr().err)
    assert "Parquet output" in line and "pip install 'rumourscore[parquet]'" in line
    assert not (tmp_path / "x.parquet").exists()
    (tmp_path / "in.parquet").write_bytes(b"PAR1")
    assert main(["score", str(tmp_path / "in.parquet"), "-o", str(tmp_path / "o.csv"), "--model", model_path]) == 2
    assert "Parquet input" in one_error_line(capsys.readouterr().err)


def test_score_csv_to_parquet_without_pyarrow_is_a_clear_import_error(toy_model, feed, tmp_path, monkeypatch):
    from rumourscore import score_csv

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r"rumourscore\[parquet\]"):
        score_csv(str(feed), str(tmp_path / "x.parquet"), model=toy_model, quiet=True, jobs=1)


@pytest.mark.parametrize("module", ["dask.dataframe", "distributed"])
def test_engine_dask_without_dask_names_the_extra(model_path, feed, tmp_path, monkeypatch, capsys, module):
    monkeypatch.setitem(sys.modules, module, None)
    code = main(["score", str(feed), "-o", str(tmp_path / "o.csv"), "--engine", "dask", "--model", model_path])
    assert code == 2
    assert "pip install 'rumourscore[dask]'" in one_error_line(capsys.readouterr().err)


def test_unreachable_scheduler_fails_fast_with_one_line(model_path, feed, tmp_path, monkeypatch, capsys):
    pytest.importorskip("distributed")
    import socket

    import rumourscore.dask as rdask

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(rdask, "SCHEDULER_TIMEOUT", 1)
    code = main(["score", str(feed), "-o", str(tmp_path / "o.csv"), "--engine", "dask", "--scheduler",
                 f"tcp://127.0.0.1:{port}", "--model", model_path, "--quiet"])  # fmt: skip
    assert code == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}" in line
    assert not (tmp_path / "o.csv").exists()


# ------------------------------------------------------------------------------ 2. Ctrl-C
def test_ctrl_c_during_a_batch_writes_nothing(model_path, feed, tmp_path, monkeypatch, capsys):
    import rumourscore._batch as batch

    calls = []

    def interrupted(items, model=None):
        calls.append(len(items))
        raise KeyboardInterrupt

    monkeypatch.setattr(batch, "_score_unique", interrupted)
    out = tmp_path / "out" / "scored.csv"
    out.parent.mkdir()
    code = main(["score", str(feed), "-o", str(out), "--model", model_path, "--jobs", "1", "--quiet"])
    assert code == 130 and calls
    assert one_error_line(capsys.readouterr().err) == "rumourscore: interrupted: nothing written"
    assert list(out.parent.iterdir()) == []  # no output, no leftover temporary file
