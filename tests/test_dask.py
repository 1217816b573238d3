import uuid

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from dask import delayed  # noqa: E402

from rumourscore import score_frame  # noqa: E402
from rumourscore.dask import compute_in_order, score_dataframe  # noqa: E402


@pytest.fixture(scope="module")
def feed():
    texts = [
        "Here we go! Medical booked for the winger.", "Arsenal are keeping tabs on the striker. (Sun)", "",
        "Juventus had a bid rejected, per Gazzetta dello Sport.", None, "Bayern in advanced talks, Bild reports.",
    ] * 7  # fmt: skip
    return pd.DataFrame({"text": texts, "source": ["Mirror", None] * 21, "n": range(42)}, index=range(100, 142))


@pytest.fixture
def threads_client():
    """An in-process cluster (one worker, two threads): starts in milliseconds, no pickling to other processes.

    The process cluster (model shipped to other processes) is exercised by the CLI test.
    """
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as client:
        yield client


def test_local_cluster_matches_single_process(feed, toy_model, threads_client):
    expected = score_frame(feed, model=toy_model)
    ddf = dd.from_pandas(feed, npartitions=4)
    scored = score_dataframe(ddf, model=toy_model, client=threads_client)
    assert scored.divisions == ddf.divisions
    result = scored.compute()
    pd.testing.assert_frame_equal(result, expected, check_dtype=False)
    in_order = pd.concat(compute_in_order(threads_client, scored))
    pd.testing.assert_frame_equal(in_order, expected, check_dtype=False)


def test_without_a_cluster_and_missing_column(feed, toy_model):
    ddf = dd.from_pandas(feed, npartitions=3)
    result = score_dataframe(ddf, model=toy_model).compute(scheduler="sync")
    pd.testing.assert_frame_equal(result, score_frame(feed, model=toy_model), check_dtype=False)
    with pytest.raises(ValueError, match="columns found"):
        score_dataframe(ddf, text_col="body", model=toy_model)
    with pytest.raises(TypeError, match="model must be a RumourModel"):  # (a path failed on the workers)
        score_dataframe(ddf, model="models/rumourscore-model.joblib")


def _meet(i: int, run: str) -> pd.DataFrame:
    """Partition ``i`` of two: says it started, then waits for the other one to start too."""
    mine, other = distributed.Event(f"{run}-{i}"), distributed.Event(f"{run}-{1 - i}")
    mine.set()
    if not other.wait(timeout=60):  # only a guard against hanging forever; nothing is timed
        raise RuntimeError(f"partition {i} ran alone: partitions are computed one after another")
    return pd.DataFrame({"i": [i]})


def test_two_partitions_run_at_once_and_come_back_in_order(threads_client):
    run = uuid.uuid4().hex
    meta = pd.DataFrame({"i": pd.Series(dtype="int64")})
    ddf = dd.from_delayed([delayed(_meet)(0, run), delayed(_meet)(1, run)], meta=meta, verify_meta=False)
    assert [part["i"].tolist() for part in compute_in_order(threads_client, ddf)] == [[0], [1]]


def test_cli_engine_dask_over_a_glob(feed, toy_model, tmp_path):
    from rumourscore.cli import main

    model_path = toy_model.save(tmp_path / "m.joblib")
    feed.iloc[:20].to_csv(tmp_path / "a.csv", index=False)
    feed.iloc[20:].to_csv(tmp_path / "b.csv", index=False)
    out = tmp_path / "scored.csv"
    code = main(["score", str(tmp_path / "*.csv"), "-o", str(out), "--engine", "dask", "--model", str(model_path),
                 "--quiet"])  # fmt: skip
    assert code == 0
    result = pd.read_csv(out)
    assert len(result) == len(feed) and result["n"].tolist() == list(range(42))
    # scored in worker processes (the model shipped to them) exactly as in this process
    expected = score_frame(pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False), model=toy_model)
    assert result["likelihood"].iloc[:20].tolist() == pytest.approx(
        expected["likelihood"].tolist(), nan_ok=True, abs=1e-6
    )
    with pytest.raises(ValueError):  # the local cluster and its client are gone
        distributed.default_client()


def test_dask_engine_refuses_input_it_would_misread_with_one_line_and_writes_the_model(toy_model, tmp_path):
    from rumourscore import BatchError
    from rumourscore.dask import score_files

    good = "id,text,source\n1,Arsenal agree fee,Sky\n2,Chelsea keen,Sun\n"
    cases = {
        "ragged": (b"id,text,source\n1,Arsenal agree fee,Sky,extra,more\n2,Chelsea\n", "not 3 fields on one line"),
        "latin1": (b"id,text,source\n1,Caf\xe9 bid,Sky\n", "is not UTF-8"),
        "quoted line break": (b'id,text,source\n1,"two\nlines",Sky\n', "not 3 fields on one line"),
        "other columns": (b"id,body,source\n1,x,Sky\n", "has other columns"),
        "repeated": (b"text,text\nx,y\n", "duplicate column names"),  # (the first file: its header sets the rest)
    }
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as c:
        for name, (data, message) in cases.items():
            folder = tmp_path / name.replace(" ", "_")
            folder.mkdir()
            first, second = ("a.csv", "b.csv") if name == "repeated" else ("b.csv", "a.csv")
            (folder / second).write_text(good)
            (folder / first).write_bytes(data)
            with pytest.raises(BatchError, match=message):
                score_files(str(folder / "*.csv"), str(folder / "out.csv"), model=toy_model,
                            scheduler=c.scheduler_address, quiet=True)  # fmt: skip
            assert not (folder / "out.csv").exists(), name
        score_files(str(tmp_path / "latin1" / "a.csv"), str(tmp_path / "ok.csv"), model=toy_model,
                    scheduler=c.scheduler_address, quiet=True)  # fmt: skip
    assert (pd.read_csv(tmp_path / "ok.csv")["model"] == toy_model.name).all()


def test_dask_engine_escapes_formulas_in_csv_output_only(toy_model, tmp_path):
    from rumourscore.dask import score_files

    pd.DataFrame({"text": ["=1+1 Chelsea bid", "Here we go!"], "note": ["@SUM(A1)", "-2"]}).to_csv(
        tmp_path / "in.csv", index=False
    )
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as c:
        for out, escape in (("o.csv", True), ("raw.csv", False), ("o.jsonl", True)):
            score_files(str(tmp_path / "in.csv"), str(tmp_path / out), model=toy_model, scheduler=c.scheduler_address,
                        quiet=True, escape_formulas=escape)  # fmt: skip
    escaped = pd.read_csv(tmp_path / "o.csv", dtype=str, keep_default_na=False)
    assert escaped["text"].tolist()[0] == "'=1+1 Chelsea bid" and escaped["note"].tolist() == ["'@SUM(A1)", "-2"]
    assert pd.read_csv(tmp_path / "raw.csv", dtype=str)["text"].tolist()[0] == "=1+1 Chelsea bid"
    assert pd.read_json(tmp_path / "o.jsonl", lines=True, dtype=str)["note"].tolist()[0] == "@SUM(A1)"


def test_user_columns_named_like_ours_are_kept_by_dask(feed, toy_model):
    named = feed.assign(error="mine", likelihood="user")
    with pytest.warns(UserWarning, match="already has column"):
        scored = score_dataframe(dd.from_pandas(named, npartitions=2), model=toy_model)
    result = scored.compute(scheduler="sync")
    assert (result["error"] == "mine").all() and (result["likelihood"] == "user").all()
    expected = score_frame(feed, model=toy_model)
    assert result["rumourscore_likelihood"].tolist() == pytest.approx(
        expected["likelihood"].tolist(), nan_ok=True, abs=1e-6
    )


def test_csv_input_is_split_into_at_least_two_partitions_per_worker_thread():
    from rumourscore.dask import MAX_BLOCK_BYTES, MIN_BLOCK_BYTES, PARTITIONS_PER_THREAD, block_size

    assert PARTITIONS_PER_THREAD >= 2
    for total, threads in ((100 * 2**20, 2), (1_000 * 2**20, 8), (64 * 2**20, 1)):
        assert -(-total // block_size(total, threads)) >= PARTITIONS_PER_THREAD * threads
    assert block_size(10**12, 2) == MAX_BLOCK_BYTES and block_size(10, 16) == MIN_BLOCK_BYTES


# --------------------------------------------------------------------------- feeds
TALKS = "Chelsea have opened talks with Everton over winger Tom Reed, 24."
FEE = "Chelsea have agreed a fee with Everton for winger Tom Reed, 24."


@pytest.fixture(scope="module")
def saga():
    """An unsorted made-up feed (fictional players): repeats, a rival move, missing names, bad rows."""
    rows = [
        (FEE, "Guardian", "2024-06-05", "Tom Reed", "Chelsea"),
        (TALKS, "Mirror", "2024-06-01", "Tom Reed", "Chelsea"),
        ("Here we go! Tom Reed to Arsenal, medical booked.", "Fabrizio Romano", "2024-06-08", "Tom Reed", "Arsenal"),
        ("Everton deny any agreement with Chelsea for Tom Reed.", "BBC Sport", "2024-06-06", "Reed", "Chelsea"),
        ("Arsenal have made an enquiry for Lille striker Jonas Weber.", "Sun", "2024-06-02", None, None),
        ("Arsenal have opened talks with Lille over Jonas Weber.", "Times", "2024-06-04", "Weber", "Arsenal"),
        (FEE, "Metro", "2024-06-05", "Tom Reed", "Chelsea"),
        (None, "Sun", "2024-06-01", "Tom Reed", "Chelsea"),
        ("Napoli are keen on Pablo Ruiz.", "Marca", "2024-06-03", "Pablo Ruiz", "Napoli"),
    ]  # fmt: skip
    frame = pd.DataFrame(rows * 3, columns=["text", "source", "date", "subject", "to_club"])
    return frame.assign(n=range(len(frame))).set_axis(range(500, 500 + len(frame))).rename_axis("row")


def test_score_feed_on_dask_equals_pandas(saga, toy_model, threads_client):
    from rumourscore import score_feed as pandas_score_feed
    from rumourscore._feed import FEED_COLUMNS
    from rumourscore.dask import score_feed

    expected = pandas_score_feed(saga, model=toy_model, base_rate=0.3)
    result = score_feed(dd.from_pandas(saga, npartitions=4), model=toy_model, base_rate=0.3,
                        client=threads_client).compute()  # fmt: skip
    assert list(result.index) == list(saga.index) and result.index.name == "row"  # input order and index
    assert list(result.columns) == list(expected.columns)
    assert result["n"].tolist() == saga["n"].tolist()
    ours = list(FEED_COLUMNS)
    pd.testing.assert_frame_equal(result[ours].astype(object).where(result[ours].notna(), None),
                                  expected[ours].astype(object).where(expected[ours].notna(), None))  # fmt: skip
    np.testing.assert_allclose(result["claim_likelihood"].to_numpy(float), expected["claim_likelihood"].to_numpy(float),
                               rtol=0, atol=1e-12)  # fmt: skip
    assert expected["claim_n_reports"].max() >= 6  # claims pooled across the input partitions


def test_score_feed_on_dask_of_shuffled_rows_gives_each_row_the_same_claim(saga, toy_model, threads_client):
    from rumourscore import score_feed as pandas_score_feed
    from rumourscore.dask import score_feed

    one_day = pd.DataFrame([("Chelsea are monitoring Everton winger Tom Reed.", "Sun", "2024-06-09"),
                            ("Chelsea have agreed a fee with Everton for Tom Reed.", "Sky Sports", "2024-06-09")],
                           columns=["text", "source", "date"], index=[900, 901]).assign(subject="Tom Reed",
                                                                                        to_club="Chelsea", n=-1)
    feed = pd.concat([saga, one_day]).rename_axis("row")  # fmt: skip
    expected = pandas_score_feed(feed, model=toy_model, base_rate=0.3)
    for order in (feed.iloc[::-1], feed.sample(frac=1, random_state=5)):
        result = score_feed(dd.from_pandas(order, npartitions=3, sort=False), model=toy_model, base_rate=0.3,
                            client=threads_client).compute().loc[feed.index]  # fmt: skip
        np.testing.assert_allclose(result["claim_likelihood"].to_numpy(float),
                                   expected["claim_likelihood"].to_numpy(float), rtol=0, atol=1e-12)  # fmt: skip
        for column in ("claim_n_sources", "claim_latest_stage"):
            got, want = (frame[column].astype(float).fillna(-1).tolist() for frame in (result, expected))
            assert got == want


def test_cli_engine_dask_feed(saga, toy_model, tmp_path):
    from rumourscore import score_feed as pandas_score_feed
    from rumourscore.cli import main

    model_path = str(toy_model.save(tmp_path / "m.joblib"))
    saga.iloc[:14].to_csv(tmp_path / "feed-1.csv", index=False)
    saga.iloc[14:].to_csv(tmp_path / "feed-2.csv", index=False)
    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=2,
                                  dashboard_address=None) as cluster:  # fmt: skip
        code = main(["score", str(tmp_path / "feed-*.csv"), "-o", str(tmp_path / "out.csv"), "--engine", "dask",
                     "--feed", "--scheduler", cluster.scheduler_address, "--model", model_path, "--quiet",
                     "--base-rate", "none"])  # fmt: skip
    assert code == 0
    got = pd.read_csv(tmp_path / "out.csv")
    expected = pandas_score_feed(saga.reset_index(drop=True), model=toy_model, base_rate=None)
    assert got["n"].tolist() == list(range(len(saga)))
    assert {"best_source", "error", "claim_note"} <= set(got.columns)
    pd.testing.assert_series_equal(got["claim_likelihood"], expected["claim_likelihood"], check_exact=False,
                                   rtol=0, atol=5e-7)  # fmt: skip  (written to six decimals)
    assert got["claim_n_reports"].fillna(-1).tolist() == expected["claim_n_reports"].astype(float).fillna(-1).tolist()


def test_the_local_cluster_rumourscore_starts_has_the_batch_workers_gc_settings():
    import gc

    from rumourscore._workers import WORKER_GC_THRESHOLDS
    from rumourscore.dask import _client

    before = gc.get_threshold()
    with _client(None) as client:
        assert {tuple(t) for t in client.run(gc.get_threshold).values()} == {WORKER_GC_THRESHOLDS}
    assert gc.get_threshold() == before  # this process keeps its own


@pytest.mark.parametrize("ext", ["csv", "tsv", "jsonl"])
def test_rows_formatted_on_the_workers_are_those_the_main_process_would_write(feed, toy_model, tmp_path, ext,
                                                                              monkeypatch):  # fmt: skip
    """The workers format CSV, TSV and JSON Lines rows (a few rows at a time); the bytes equal the
    partitions written here in one go."""
    monkeypatch.setattr("rumourscore.dask.ENCODE_ROWS", 7)  # (the in-process workers see it)
    from rumourscore._api import summary_names
    from rumourscore._feed import FEED_COLUMNS
    from rumourscore._tables import open_output
    from rumourscore.dask import _finished_partition, score_files

    notes = ["a,b", 'say "x"', "-2", "tab\there", "", "ok"] * 7  # (the Dask engine reads one-line records only)
    data = feed.assign(text=feed["text"].fillna("=HYPERLINK(1)"), remark=notes)
    data.iloc[:20].to_csv(tmp_path / "a.csv", index=False)
    data.iloc[20:].to_csv(tmp_path / "b.csv", index=False)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as c:
        score_files(str(tmp_path / "*.csv"), str(tmp_path / f"dask.{ext}"), model=toy_model,
                    scheduler=c.scheduler_address, quiet=True)  # fmt: skip
    parts = [pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False) for name in ("a.csv", "b.csv")]
    names = summary_names(parts[0].columns, warn=False, extra=[*FEED_COLUMNS[1:], "model"])
    with open_output(str(tmp_path / f"here.{ext}")) as sink:
        for part in parts:
            scored = score_frame(part, model=toy_model)
            sink.write(_finished_partition(scored, names=names, model_name=toy_model.name, fmt="parquet",
                                           escape=True, delimiter=",")[2])  # fmt: skip
    assert (tmp_path / f"dask.{ext}").read_bytes() == (tmp_path / f"here.{ext}").read_bytes()
