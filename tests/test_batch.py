import csv
import io
import json
import os
import signal
import subprocess
import sys

import pandas as pd
import pytest

from rumourscore import BatchError, score_file


def run(toy_model, src, dst, **kw):
    kw.setdefault("quiet", True)
    kw.setdefault("jobs", 1)
    return score_file(str(src), str(dst), model=toy_model, **kw)


def read_out(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def test_csv_round_trip_keeps_rows_columns_and_order(toy_model, tmp_path):
    src = tmp_path / "in.csv"
    rows = [
        ["r1", "Here we go! Medical booked.", "Fabrizio Romano"],
        ["r2", "", "Mirror"],
        ["r3", 'Line one\nline two with "quotes", and a comma', "Sun"],
        ["r4", "x" * 1_000_000, ""],
        ["r5", "Chelsea keen on the winger", "Guardian"],
    ]
    with open(src, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text", "source"])
        w.writerows(rows)
    summary = run(toy_model, src, tmp_path / "out.csv", id_col="id")
    out = read_out(tmp_path / "out.csv")
    assert summary.rows == 5 and summary.failures == 2
    assert out["id"].tolist() == ["r1", "r2", "r3", "r4", "r5"]
    assert out["text"].tolist()[2] == rows[2][1]
    assert out.loc[1, "error"] == "empty text" and out.loc[1, "likelihood"] == ""
    assert out.loc[3, "error"] == "too long: truncated at 20000 chars"
    assert 0 <= float(out.loc[0, "likelihood"]) <= 1


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl"])
@pytest.mark.parametrize("in_suffix", [".csv", ".parquet", ".jsonl"])
def test_every_format_round_trips(toy_model, tmp_path, suffix, in_suffix):
    df = pd.DataFrame({"text": ["Here we go!", "keeping tabs (Sun)", ""], "n": ["1", "2", "3"]})
    src = tmp_path / f"in{in_suffix}"
    if in_suffix == ".csv":
        df.to_csv(src, index=False)
    elif in_suffix == ".parquet":
        df.to_parquet(src)
    else:
        df.to_json(src, orient="records", lines=True)
    dst = tmp_path / f"out{suffix}"
    run(toy_model, src, dst)
    if suffix == ".csv":
        out = pd.read_csv(dst, dtype={"n": str})
    elif suffix == ".parquet":
        out = pd.read_parquet(dst)
    else:
        out = pd.read_json(dst, lines=True, dtype={"n": str})
    assert out["n"].astype(str).tolist() == ["1", "2", "3"]
    assert out["likelihood"].notna().tolist() == [True, True, False]
    assert out["error"].tolist()[2] == "empty text"


def test_delimiters_bom_latin1_and_invalid_utf8(toy_model, tmp_path):
    semi = tmp_path / "semi.csv"
    semi.write_bytes("\ufefftext;source\nBarcelona bid rejected;Marca\nLazio keen;Tuttosport\n".encode())
    out = read_out(tmp_path / "o1.csv") if run(toy_model, semi, tmp_path / "o1.csv") else None
    assert out.columns[:2].tolist() == ["text", "source"] and len(out) == 2

    latin = tmp_path / "latin.csv"
    latin.write_bytes("text\nAtlético bid for Müller\n".encode("latin-1"))
    run(toy_model, latin, tmp_path / "o2.csv", encoding="latin-1")
    assert read_out(tmp_path / "o2.csv")["text"].tolist() == ["Atlético bid for Müller"]

    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"text\nfine row\nbroken \xff\xfe row\nlast row\n")
    summary = run(toy_model, bad, tmp_path / "o3.csv")
    out = read_out(tmp_path / "o3.csv")
    assert summary.rows == 3 and out["error"].tolist() == ["", "undecodable bytes", ""]


def test_malformed_rows_are_kept(toy_model, tmp_path):
    src = tmp_path / "m.csv"
    src.write_text("text,source\nok line,Mirror\ntoo,many,fields,here\nshort\n")
    summary = run(toy_model, src, tmp_path / "o.csv")
    out = read_out(tmp_path / "o.csv")
    assert summary.rows == 3 and out["text"].tolist() == ["ok line", "too", "short"]
    assert out.loc[1, "error"].startswith("malformed row")


def test_header_only_and_zero_bytes(toy_model, tmp_path):
    head = tmp_path / "head.csv"
    head.write_text("text,source\n")
    summary = run(toy_model, head, tmp_path / "o.csv")
    assert summary.rows == 0 and read_out(tmp_path / "o.csv").columns[0] == "text"
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(BatchError, match="empty"):
        run(toy_model, empty, tmp_path / "o2.csv")
    assert not (tmp_path / "o2.csv").exists()


def test_clear_errors(toy_model, tmp_path):
    with pytest.raises(BatchError, match="input file not found"):
        run(toy_model, tmp_path / "missing.csv", tmp_path / "o.csv")
    src = tmp_path / "in.csv"
    src.write_text("txt,source\nhello,Mirror\n")
    with pytest.raises(BatchError, match=r"columns found: \['txt', 'source'\]; did you mean 'txt'"):
        run(toy_model, src, tmp_path / "o.csv")
    with pytest.raises(BatchError, match="output folder does not exist"):
        run(toy_model, src, tmp_path / "nope" / "o.csv", text_col="txt")


def test_bad_run_options_are_clear_errors_and_paths_may_be_path_objects(toy_model, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("text,source\nArsenal bid,Sky\nChelsea keen,Sun\n")
    for option, value in (("jobs", -1), ("chunk_rows", 0), ("chunk_rows", -5), ("jobs", 1.5), ("chunk_rows", True)):
        with pytest.raises(ValueError, match=f"{option} must be a whole number"):
            score_file(src, tmp_path / "o.csv", model=toy_model, quiet=True, **{option: value})
    assert not (tmp_path / "o.csv").exists()
    summary = score_file(src, tmp_path / "o.csv", model=toy_model, quiet=True, jobs=1, chunk_rows=1,
                         claims_path=tmp_path / "claims.csv")  # fmt: skip
    assert summary.rows == 2 and len(pd.read_csv(tmp_path / "o.csv")) == 2 and (tmp_path / "claims.csv").exists()


def test_strict_names_the_first_bad_row(toy_model, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("text,source\nfine,Sun\n\n,Mirror\nfine again,Sun\n")  # the blank line is no row; row 3 is
    with pytest.raises(BatchError, match="row 3"):
        run(toy_model, src, tmp_path / "o.csv", strict=True)
    assert not (tmp_path / "o.csv").exists()


def test_formula_injection_is_escaped(toy_model, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('text,note\n"=cmd|\' /C calc\'!A0","@SUM(A1)"\n+Chelsea bid,-2\n')
    run(toy_model, src, tmp_path / "o.csv")
    out = read_out(tmp_path / "o.csv")
    assert out["text"].tolist() == ["'=cmd|' /C calc'!A0", "'+Chelsea bid"]
    assert out["note"].tolist() == ["'@SUM(A1)", "-2"]


def test_duplicates_scored_once_and_parallel_equals_serial(toy_model, tmp_path, monkeypatch):
    texts = [f"Chelsea bid number {i % 7} for the winger" for i in range(300)]
    pd.DataFrame({"text": texts}).to_csv(tmp_path / "in.csv", index=False)
    import rumourscore._batch as batch

    seen = []
    original = batch._score_unique

    def spy(items, model=None, settings=None):
        seen.append(len(items))
        return original(items, model, settings)

    monkeypatch.setattr(batch, "_score_unique", spy)
    run(toy_model, tmp_path / "in.csv", tmp_path / "serial.csv", chunk_rows=50)
    assert sum(seen) == 7
    monkeypatch.undo()
    run(toy_model, tmp_path / "in.csv", tmp_path / "par.csv", chunk_rows=50, jobs=2)
    pd.testing.assert_frame_equal(read_out(tmp_path / "serial.csv"), read_out(tmp_path / "par.csv"))


def test_stdin_to_stdout(model_path):
    proc = subprocess.run(
        [sys.executable, "-m", "rumourscore.cli", "score", "-", "-o", "-", "--model", model_path, "--jobs", "1"],
        input=b"text,source\nHere we go!,Fabrizio Romano\n,Mirror\n", capture_output=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    out = pd.read_csv(io.BytesIO(proc.stdout))
    assert len(out) == 2 and out["error"].tolist()[1] == "empty text"
    assert b"scored 2 rows (1 failure)" in proc.stderr and b"failed: row 2: empty text" in proc.stderr


#: Scores a file in a child process that stops after its first chunk is written and waits for a signal.
STOP_AFTER_FIRST_CHUNK = r"""
import signal, sys
from rumourscore import load_model, score_file

def first_chunk_written(rows):
    print(rows, flush=True)
    signal.pause()

score_file(sys.argv[1], sys.argv[2], model=load_model(sys.argv[3]), jobs=1, quiet=True, chunk_rows=5,
           on_progress=first_chunk_written)
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_interrupted_run_leaves_no_file(model_path, tmp_path, sig):
    src = tmp_path / "in.csv"
    src.write_text("text\n" + "".join(f"Arsenal make bid number {i} for the striker, per Sky Sports\n"
                                       for i in range(20)))  # fmt: skip
    dst = tmp_path / "out.csv"
    proc = subprocess.Popen([sys.executable, "-c", STOP_AFTER_FIRST_CHUNK, str(src), str(dst), model_path],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    assert proc.stdout.readline() == b"5\n"  # the first chunk is in the temporary file; the run is not over
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
    proc.send_signal(sig)
    proc.communicate()
    assert proc.returncode != 0
    assert not dst.exists()  # SIGKILL allows no clean-up, but the destination must still not exist
    if sig == signal.SIGTERM:
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_jsonl_malformed_line_is_kept(toy_model, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": "Here we go!"}) + "\n{broken\n" + json.dumps({"text": "Bid rejected"}) + "\n")
    summary = run(toy_model, src, tmp_path / "o.jsonl")
    out = pd.read_json(tmp_path / "o.jsonl", lines=True)
    assert summary.rows == 3 and out["error"].tolist()[1].startswith("malformed JSON line")
    assert os.path.getsize(tmp_path / "o.jsonl") > 0


def test_progress_bar_only_on_a_terminal(toy_model, tmp_path, capsys, monkeypatch, caplog):
    pytest.importorskip("tqdm")
    pd.DataFrame({"text": [f"Chelsea bid {i}" for i in range(50)]}).to_csv(tmp_path / "in.csv", index=False)
    with caplog.at_level("INFO", logger="rumourscore"):
        score_file(str(tmp_path / "in.csv"), str(tmp_path / "o.csv"), model=toy_model, jobs=1)
    assert capsys.readouterr().err == ""  # no bar off a terminal; the summary is logged, not printed
    assert [r.getMessage()[:27] for r in caplog.records] == ["scored 50 rows (0 failures)"]
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    score_file(str(tmp_path / "in.csv"), str(tmp_path / "o.csv"), model=toy_model, jobs=1)
    err = capsys.readouterr().err
    assert "50/" in err and "rows/s" in err.split("scored 50 rows")[0]  # a bar with a total (for the ETA)
    score_file(str(tmp_path / "in.csv"), str(tmp_path / "o.csv"), model=toy_model, jobs=1, quiet=True)
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("in_suffix", [".csv", ".jsonl", ".parquet"])
def test_formulas_escaped_in_csv_output_whatever_the_input_format_or_dtype(toy_model, tmp_path, in_suffix):
    df = pd.DataFrame({"text": ["=1+1 Chelsea bid", "Here we go!"], "note": ["@SUM(A1)", "-2"], "=head": ["+x", "\tt"]})
    assert str(df["text"].dtype) != "object"  # pandas' string dtype, as read from JSON Lines or Parquet
    src = tmp_path / f"in{in_suffix}"
    if in_suffix == ".csv":
        df.to_csv(src, index=False)
    elif in_suffix == ".jsonl":
        df.to_json(src, orient="records", lines=True)
    else:
        df.to_parquet(src)
    run(toy_model, src, tmp_path / "o.csv")
    out = read_out(tmp_path / "o.csv")
    assert out["text"].tolist() == ["'=1+1 Chelsea bid", "Here we go!"]
    assert out["note"].tolist() == ["'@SUM(A1)", "-2"] and out["'=head"].tolist() == ["'+x", "'\tt"]
    run(toy_model, src, tmp_path / "raw.csv", escape_formulas=False)
    raw = read_out(tmp_path / "raw.csv")
    assert raw["text"].tolist()[0] == "=1+1 Chelsea bid" and raw["=head"].tolist()[0] == "+x"
    run(toy_model, src, tmp_path / "o.jsonl")
    run(toy_model, src, tmp_path / "o.parquet")
    for data in (pd.read_json(tmp_path / "o.jsonl", lines=True, dtype=str), pd.read_parquet(tmp_path / "o.parquet")):
        assert data["text"].tolist()[0] == "=1+1 Chelsea bid" and data["=head"].tolist() == ["+x", "\tt"]


def test_bare_carriage_return_in_a_cell_survives_a_csv_round_trip(toy_model, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"text": t}) + "\n" for t in ["Chelsea bid\rrejected", "Here we go!"]))
    summary = run(toy_model, src, tmp_path / "o.csv")
    with open(tmp_path / "o.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert summary.rows == 2 and [r["text"] for r in rows] == ["Chelsea bid\rrejected", "Here we go!"]


def test_jsonl_keys_that_change_order_or_appear_later_land_under_the_right_headers(toy_model, tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [{"text": "Here we go!", "id": "a"}, {"id": "b", "text": "Chelsea bid"}, {"text": "Tal", "id": "c", "x": 1}]
    src.write_text("".join(json.dumps(line) + "\n" for line in lines))
    for out in ("o.csv", "o.parquet"):
        summary = run(toy_model, src, tmp_path / out, chunk_rows=1)
        data = read_out(tmp_path / out) if out.endswith(".csv") else pd.read_parquet(tmp_path / out)
        assert data.columns.tolist()[:2] == ["text", "id"] and "x" not in data.columns
        assert data["id"].tolist() == ["a", "b", "c"] and data["text"].tolist()[1] == "Chelsea bid"
        assert summary.failures == 1 and data["error"].tolist()[2].startswith("keys not in the header")


def test_an_unterminated_quote_is_one_bad_row_and_never_swallows_the_rows_after_it(toy_model, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('text,source\nHere we go!,Sky Sports\nChelsea keen,"Mirror\n' + "Bid,Sun\n" * 50)
    summary = run(toy_model, src, tmp_path / "o.csv")
    out = read_out(tmp_path / "o.csv")
    assert summary.rows == 52 and summary.failures == 1
    assert out["text"].tolist() == ["Here we go!", "Chelsea keen"] + ["Bid"] * 50 and out["source"][1] == "Mirror"
    assert out["error"].tolist()[1].startswith("malformed row: a quote opened in this row is never closed")
    with pytest.raises(BatchError, match=r"row 2 .*a quote opened in this row is never closed"):
        run(toy_model, src, tmp_path / "strict.csv", strict=True)
    assert not (tmp_path / "strict.csv").exists()


def test_malformed_json_line_does_not_turn_integer_columns_into_floats(toy_model, tmp_path):
    src = tmp_path / "in.jsonl"
    good = [json.dumps({"text": "Here we go!", "n": 1}), json.dumps({"text": "Bid", "n": 3})]
    src.write_text(good[0] + "\n{broken\n" + good[1] + "\n")
    run(toy_model, src, tmp_path / "o.csv")
    assert read_out(tmp_path / "o.csv")["n"].tolist() == ["1", "", "3"]
    run(toy_model, src, tmp_path / "o.jsonl", chunk_rows=1)
    text = (tmp_path / "o.jsonl").read_text()
    assert "\n\n" not in text  # no blank line between chunks or at the end
    lines = [json.loads(line) for line in text.splitlines()]
    assert [line["n"] for line in lines] == [1, None, 3] and isinstance(lines[0]["n"], int)
    run(toy_model, src, tmp_path / "o.parquet")
    import pyarrow.parquet as pq

    assert str(pq.read_schema(tmp_path / "o.parquet").field("n").type) == "int64"


def test_user_columns_named_like_ours_are_kept_in_batch_outputs(toy_model, tmp_path):
    src = tmp_path / "in.csv"
    pd.DataFrame({"text": ["Here we go! Medical booked.", ""], "subject": ["Sam Okoro"] * 2, "to_club": ["Lyon"] * 2,
                  "likelihood": ["user 1", "user 2"], "error": ["", "mine"]}).to_csv(src, index=False)  # fmt: skip
    with pytest.warns(UserWarning, match="already has column"):
        summary = run(toy_model, src, tmp_path / "o.csv", claims_path=str(tmp_path / "c.csv"), chunk_rows=1)
    out = read_out(tmp_path / "o.csv")
    assert out["likelihood"].tolist() == ["user 1", "user 2"] and out["error"].tolist() == ["", "mine"]
    assert out["rumourscore_error"].tolist() == ["", "empty text"] and summary.failures == 1
    assert 0 <= float(out["rumourscore_likelihood"][0]) <= 1
    claims = pd.read_csv(tmp_path / "c.csv")
    assert claims["likelihood"].tolist() == [pytest.approx(float(out["rumourscore_likelihood"][0]))]


def test_rows_that_used_to_kill_the_batch_get_per_row_errors(toy_model, tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [json.dumps({"text": "Here we go!", "source": "Sky Sports"}).encode(),
             json.dumps({"text": ["a", "list"], "source": "Sun"}).encode(),
             json.dumps({"text": "Chelsea keen", "source": {"an": "object"}}).encode(),
             b'{"text": "broken \xff and unclosed',
             b"[" * 100_000 + b"]" * 100_000,
             json.dumps({"text": "Bid rejected", "source": "Sun", "date": None}).encode()]  # fmt: skip
    src.write_bytes(b"\n".join(lines) + b"\n")
    for out in ("o.csv", "o.jsonl", "o.parquet"):
        summary = run(toy_model, src, tmp_path / out)
        assert summary.rows == 6 and summary.failures == 4
    errors = read_out(tmp_path / "o.csv")["error"].tolist()
    assert errors[0] == errors[5] == ""
    assert errors[1] == "not a plain value: column 'text' holds a list or an object"
    assert errors[2] == "not a plain value: column 'source' holds a list or an object"
    assert errors[3].startswith("malformed JSON line") and errors[4] == "malformed JSON line: nested too deeply"
    parquet = pd.read_parquet(tmp_path / "o.parquet")
    assert parquet["source"].tolist()[2] == '{"an": "object"}'  # a column mixing text and objects: JSON text

    frame = pd.DataFrame({"text": ["Here we go!", "Chelsea keen", "Bid"], "tags": [["a"], None, ["b", "c"]],
                          "date": pd.array(["2024-01-02", None, "2024-03-04"], dtype="string")})  # fmt: skip
    frame.to_parquet(tmp_path / "in.parquet")
    summary = run(toy_model, tmp_path / "in.parquet", tmp_path / "p.csv")
    out = read_out(tmp_path / "p.csv")
    assert summary.failures == 0 and out["likelihood"].ne("").all()  # pd.NA as a date is no date


#: Scores with two worker processes, prints their pids after the first chunk, then waits to be killed.
KILLED_WITH_WORKERS = r"""
import multiprocessing, signal, sys
from rumourscore import load_model, score_file

def workers_started(rows):
    print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
    signal.pause()

score_file(sys.argv[1], sys.argv[2], model=load_model(sys.argv[3]), jobs=2, quiet=True, chunk_rows=5,
           on_progress=workers_started)
"""


@pytest.mark.skipif(not hasattr(os, "pidfd_open"), reason="needs pidfd_open (Linux) to wait for non-child processes")
def test_workers_die_with_their_parent(model_path, tmp_path):
    import select

    src = tmp_path / "in.csv"
    src.write_text("text\n" + "".join(f"Arsenal make bid number {i} for the striker\n" for i in range(20)))
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WITH_WORKERS, str(src), str(tmp_path / "o.csv"), model_path],
                            stdout=subprocess.PIPE)  # fmt: skip
    pids = [int(pid) for pid in proc.stdout.readline().split()]
    assert pids, "no worker process was started"
    watches = [os.pidfd_open(pid) for pid in pids]  # taken while the parent lives: the pids cannot be reused
    proc.kill()  # SIGKILL: the parent cannot tell its workers anything
    proc.wait()
    for watch in watches:
        ended, _, _ = select.select([watch], [], [], 120)  # readable when the worker has exited; 120 s only a guard
        os.close(watch)
        assert ended, "a worker outlived its parent"


def test_pool_shuts_down_cleanly(model_path, tmp_path):
    src = tmp_path / "in.csv"
    # the last row is an empty text (a failure), not a blank line (skipped)
    texts = [f"Chelsea bid {i} for the winger" for i in range(3000)] + [""]
    pd.DataFrame({"id": range(3001), "text": texts}).to_csv(src, index=False)
    for extra in ([], ["--strict"]):
        proc = subprocess.run(
            [sys.executable, "-m", "rumourscore.cli", "score", str(src), "-o", str(tmp_path / "o.csv"), "--model",
             model_path, "--jobs", "2", "--quiet", *extra], capture_output=True,
        )  # fmt: skip
        assert proc.returncode == (2 if extra else 0)
        lines = proc.stderr.decode().splitlines()
        assert lines == ([] if not extra else ["rumourscore: error: row 3001 (data row, after the header): empty text"])


#: Scores with two workers and kills one of them after the first chunk is written.
WORKER_KILLED = r"""
import multiprocessing, os, signal, sys
from rumourscore import BatchError, load_model, score_file

def kill_a_worker(rows):
    if rows == 5:
        os.kill(multiprocessing.active_children()[0].pid, signal.SIGKILL)

try:
    score_file(sys.argv[1], sys.argv[2], model=load_model(sys.argv[3]), jobs=2, quiet=True, chunk_rows=5,
               on_progress=kill_a_worker)
except BatchError as exc:
    print(exc)
"""


def test_a_worker_killed_mid_run_is_a_clear_error(model_path, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("text\n" + "".join(f"Arsenal make bid number {i} for the striker\n" for i in range(60)))
    proc = subprocess.run([sys.executable, "-c", WORKER_KILLED, str(src), str(tmp_path / "o.csv"), model_path],
                          capture_output=True, text=True)  # fmt: skip
    assert proc.stdout.startswith("a worker process died"), proc.stderr
    assert not (tmp_path / "o.csv").exists()


def test_dedup_cache_switches_itself_off_when_rows_never_repeat(monkeypatch, toy_model):
    from rumourscore import _batch, _rows

    monkeypatch.setattr(_rows, "DEDUP_PROBE_ROWS", 10)
    scorer = _batch.Scorer(toy_model, 1)
    distinct = [(f"Arsenal have made a bid for player {i}.", "Sky Sports", "2024-07-01") for i in range(12)]
    first = scorer.collect(scorer.submit(distinct))
    assert not scorer.cache.on and not scorer.cache  # no row was found again: the cache is off and empty
    again = scorer.collect(scorer.submit(distinct[::-1]))  # still scored right, in the chunk's order
    pd.testing.assert_frame_equal(again, first.iloc[::-1].reset_index(drop=True))


def test_dedup_cache_stays_on_when_rows_repeat(monkeypatch, toy_model):
    from rumourscore import _batch, _rows

    monkeypatch.setattr(_rows, "DEDUP_PROBE_ROWS", 10)
    scorer = _batch.Scorer(toy_model, 1)
    rows = [(f"Arsenal have made a bid for player {i % 3}.", None, None) for i in range(6)]
    scorer.collect(scorer.submit(rows))
    scorer.collect(scorer.submit(rows))
    assert scorer.cache.on and len(scorer.cache) == 3


@pytest.mark.parametrize("cache_size", [2, 1000])
def test_a_chunk_of_new_repeated_cached_and_in_flight_keys_comes_back_in_its_own_order(toy_model, cache_size):
    """Rows scored for the chunk, rows repeated in it, rows cached from an earlier chunk, rows still on
    their way for an earlier chunk and rows evicted before it came back: each row as scored alone."""
    from rumourscore import _batch, _rows

    scorer = _batch.Scorer(toy_model, 1)
    scorer.cache = _rows.DedupCache(size=cache_size)
    key = [(f"Arsenal have made a £{i}m bid for player {i}.", "Sky Sports" if i % 2 else None, "2024-07-01")
           for i in range(8)]  # fmt: skip
    first = scorer.submit([key[0], key[1], key[2], key[0]])
    second = scorer.submit([key[3], key[1], key[4], key[3], key[0], key[5]])  # key 1 and 0: on their way
    chunks = [(first, [0, 1, 2, 0]), (second, [3, 1, 4, 3, 0, 5])]
    for pending, rows in chunks:
        got = scorer.collect(pending)
        alone = pd.concat([scorer.collect(_batch.Scorer(toy_model, 1).submit([key[i]])) for i in rows],
                          ignore_index=True)  # fmt: skip
        pd.testing.assert_frame_equal(got, alone)
    third = scorer.collect(scorer.submit([key[6], key[2], key[6], key[5], key[7]]))  # cached, unless evicted
    alone = pd.concat([scorer.collect(_batch.Scorer(toy_model, 1).submit([key[i]])) for i in (6, 2, 6, 5, 7)],
                      ignore_index=True)  # fmt: skip
    pd.testing.assert_frame_equal(third, alone)
    assert scorer.collect(scorer.submit([])).shape == (0, len(scorer.columns))


def test_worker_processes_collect_cyclic_garbage_less_often_and_the_parent_keeps_its_settings(toy_model):
    import gc

    from rumourscore import _batch, _workers

    before = gc.get_threshold()
    scorer = _batch.Scorer(toy_model, 2)
    try:
        assert scorer.pool.submit(gc.get_threshold).result() == _workers.WORKER_GC_THRESHOLDS
    finally:
        scorer.close()
    assert gc.get_threshold() == before


def test_the_progress_bar_leaves_no_monitor_thread_behind():
    """tqdm's monitor thread outlives the bars; once none is open it is stopped (a feed's walk forks only alone)."""
    import io
    import weakref
    from typing import ClassVar

    tqdm = pytest.importorskip("tqdm").tqdm
    from rumourscore._batch import stop_monitor

    class Bar(tqdm):  # bars and a monitor of their own, apart from any other test's
        _instances: ClassVar[weakref.WeakSet] = weakref.WeakSet()
        monitor = None

    bar, other = Bar(total=3, file=io.StringIO()), Bar(total=3, file=io.StringIO())
    monitor = Bar.monitor
    assert monitor is not None and monitor.is_alive()
    bar.close()
    stop_monitor(Bar)
    assert Bar.monitor is monitor and monitor.is_alive()  # another bar is still open
    other.close()
    stop_monitor(Bar)
    assert Bar.monitor is None and not monitor.is_alive()


def test_a_model_that_is_not_a_model_is_a_clear_type_error(toy_csv, tmp_path):
    """score_file and the feed took any object as the model and failed deep inside on it."""
    from rumourscore._feed_stream import score_feed_file

    for run_file in (score_file, score_feed_file):
        with pytest.raises(TypeError, match="model must be a RumourModel"):
            run_file(str(toy_csv), str(tmp_path / "o.csv"), model="models/rumourscore-model.joblib", jobs=1)
    assert not (tmp_path / "o.csv").exists()
