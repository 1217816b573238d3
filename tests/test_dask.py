import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from rumourscore import score_frame  # noqa: E402
from rumourscore.dask import score_dataframe  # noqa: E402


@pytest.fixture(scope="module")
def feed():
    texts = [
        "Here we go! Medical booked for the winger.", "Arsenal are keeping tabs on the striker. (Sun)", "",
        "Juventus had a bid rejected, per Gazzetta dello Sport.", None, "Bayern in advanced talks, Bild reports.",
    ] * 7  # fmt: skip
    return pd.DataFrame({"text": texts, "source": ["Mirror", None] * 21, "n": range(42)}, index=range(100, 142))


def test_local_cluster_matches_single_process(feed, toy_model):
    expected = score_frame(feed, model=toy_model)
    ddf = dd.from_pandas(feed, npartitions=4)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            scored = score_dataframe(ddf, model=toy_model, client=client)
            assert scored.divisions == ddf.divisions
            result = scored.compute()
    pd.testing.assert_frame_equal(result, expected, check_dtype=False)


def test_without_a_cluster_and_missing_column(feed, toy_model):
    ddf = dd.from_pandas(feed, npartitions=3)
    result = score_dataframe(ddf, model=toy_model).compute(scheduler="sync")
    pd.testing.assert_frame_equal(result, score_frame(feed, model=toy_model), check_dtype=False)
    with pytest.raises(ValueError, match="columns found"):
        score_dataframe(ddf, text_col="body", model=toy_model)


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
