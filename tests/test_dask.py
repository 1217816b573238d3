import uuid

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
