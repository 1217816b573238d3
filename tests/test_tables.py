import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rumourscore._tables import (
    BatchError,
    BatchSummary,
    TableWriter,
    check_output,
    escape_formula,
    open_output,
    table_format,
    write_table,
)


def test_format_is_decided_by_the_extension():
    assert [table_format(p) for p in ("a.csv", "a.TSV", "a.txt", "-", "a.weird", "a.pq", "a.parquet", "a.ndjson",
                                      "a.jsonl")] == ["csv"] * 5 + ["parquet"] * 2 + ["jsonl"] * 2  # fmt: skip
    assert table_format("-", output=True) == "csv"
    with pytest.raises(BatchError, match=r"unknown output format '\.xlsx'"):
        table_format("out.xlsx", output=True)


def test_escape_formula():
    assert escape_formula("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert escape_formula("-3") == "-3" and escape_formula("-x") == "'-x" and escape_formula("ok") == "ok"
    assert escape_formula("@SUM(A1)") == "'@SUM(A1)" and escape_formula("-1.5e3") == "-1.5e3"
    assert escape_formula(None) is None and escape_formula(3) == 3


@pytest.mark.parametrize("dtype", [object, "string", "category"])
def test_csv_writer_escapes_every_text_cell_like_escape_formula(tmp_path, dtype):
    cells = ["=1+1", None, "+x", "12", "-2", "@a,b", '-"q"', 7]
    path = tmp_path / "out.csv"
    with open_output(str(path)) as sink:
        sink.write(pd.DataFrame({"a": pd.Series(cells, dtype=object).astype(dtype)}))
    expected = ["" if c is None else str(escape_formula(str(c))) for c in cells]
    with open(path, newline="") as fh:
        assert [row[0] for row in csv.reader(fh)][1:] == expected


_RNG = np.random.default_rng(0)
_FLOATS = [_RNG.random(300), _RNG.standard_normal(300) * 10.0 ** _RNG.integers(-300, 300, 300),
           [np.nan, np.inf, -np.inf, -0.0, 5e-324, 1e16, 1e-5]]  # fmt: skip
_NUMBER_COLUMNS = [
    pd.Series(np.concatenate(_FLOATS)),
    pd.Series([1, None, -5], dtype="Int64"), pd.Series([2**63 - 1, -(2**63)], dtype=np.int64),
    pd.Series([2**64 - 1, 0], dtype=np.uint64), pd.Series([None, None], dtype="Int32"),
    pd.Series([True, False]), pd.Series([1.5, None], dtype="Float64"), pd.Series([0.1, np.nan], dtype=np.float32),
    pd.Series(pd.to_datetime(["2024-01-02", None])), pd.Series([], dtype=np.float64),
]


@pytest.mark.parametrize("column", _NUMBER_COLUMNS, ids=lambda c: str(c.dtype))
def test_number_cells_are_written_as_pandas_writes_them(column):
    text = column.to_frame().to_csv(index=False, header=False, lineterminator="\n", na_rep="")
    expected = [cell if cell != '""' else "" for cell in text.split("\n")[:-1]]
    assert TableWriter(io.BytesIO(), "csv", escape=True).cells(column) == expected


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_writer_appends_chunks_in_every_format(tmp_path, suffix):
    path = tmp_path / f"out{suffix}"
    with open_output(str(path)) as sink:
        sink.write(pd.DataFrame({"a": ["x", "y"], "b": [None, None]}))
        sink.write(pd.DataFrame({"a": ["z"], "b": ["set"]}))
    if suffix == ".csv":
        out = pd.read_csv(path, dtype=str)
    elif suffix == ".jsonl":
        out = pd.read_json(path, lines=True, dtype=str)
    else:
        out = pd.read_parquet(path)  # an all-null first column is typed as strings, so "set" fits later
    assert out["a"].tolist() == ["x", "y", "z"] and out["b"].tolist()[2] == "set"


def test_output_is_atomic(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old\n")
    with pytest.raises(RuntimeError), open_output(str(path)) as sink:
        sink.write(pd.DataFrame({"a": ["half"]}))
        raise RuntimeError("interrupted")
    assert path.read_text() == "old\n" and sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    write_table(pd.DataFrame({"a": ["=1"]}, dtype=object), str(path))
    assert path.read_text() == "a\n'=1\n"
    with pytest.raises(BatchError, match="output folder does not exist"):
        check_output(str(tmp_path / "no" / "out.csv"))


def test_summary_line():
    assert str(BatchSummary(10, 1, 2.0, "o.csv")) == "scored 10 rows (1 failure) in 2.0 s (5 rows/s) -> o.csv"
    summary = BatchSummary(10, 5, 2.0, "o.csv", 2, [(1, "empty text"), (4, "not text"), (7, "empty text")])
    assert str(summary) == ("scored 10 rows (5 failures, 2 blank lines skipped) in 2.0 s (5 rows/s) -> o.csv\n"
                            "failed: row 1: empty text; row 4: not text; row 7: empty text; and 2 more")  # fmt: skip


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_bare_carriage_return_in_a_cell_is_quoted(tmp_path, suffix):
    path = tmp_path / f"out{suffix}"
    cells = ["bare\rreturn", "crlf\r\ninside", "new\nline", 'a "quote"', "a,comma", "a\ttab", "plain"]
    write_table(pd.DataFrame({"text": cells, "n": range(7)}), str(path))
    delimiter = "\t" if suffix == ".tsv" else ","
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh, delimiter=delimiter))
    assert rows[0] == ["text", "n"] and [r[0] for r in rows[1:]] == cells
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(7)]
    assert path.read_bytes().count(b'"bare\rreturn"') == 1


def test_writer_reorders_or_refuses_changed_columns(tmp_path):
    path = tmp_path / "out.csv"
    with pytest.raises(BatchError, match="the columns changed"), open_output(str(path)) as sink:
        sink.write(pd.DataFrame({"a": ["1"], "b": ["2"]}))
        sink.write(pd.DataFrame({"b": ["4"], "a": ["3"]}))
        assert path.exists() is False
        sink.write(pd.DataFrame({"a": ["5"], "c": ["6"]}))
    assert not path.exists()
    with open_output(str(path)) as sink:
        sink.write(pd.DataFrame({"a": ["1"], "b": ["2"]}))
        sink.write(pd.DataFrame({"b": ["4"], "a": ["3"]}))
    assert path.read_text() == "a,b\n1,2\n3,4\n"


def test_stale_part_file_from_a_killed_run_is_removed_but_not_one_in_use(tmp_path):
    import fcntl
    import os

    path = tmp_path / "out.csv"
    stale, in_use, fresh = (tmp_path / f".out.csv.{name}.part" for name in ("killed", "running", "justmade"))
    for part in (stale, in_use, fresh):
        part.write_text("half a file")
    for part in (stale, in_use):
        os.utime(part, (1_000_000_000, 1_000_000_000))  # written long ago
    with open(in_use, "rb") as holder:
        fcntl.flock(holder.fileno(), fcntl.LOCK_EX)  # a live run holds its temporary file
        write_table(pd.DataFrame({"a": ["1"]}), str(path))
        assert not stale.exists() and in_use.exists() and fresh.exists()
    assert path.read_text() == "a\n1\n"


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.one_of(st.none(), st.just(float("nan")), st.just(pd.NA), st.sampled_from([-3, 2.5]),
                          st.text(alphabet='=+-@\t\r\n",;x1. ', max_size=6)), max_size=8),
       st.sampled_from([",", "\t", ";"]), st.booleans())  # fmt: skip
def test_text_cells_fast_paths_match_the_cell_by_cell_rules(values, delimiter, escape):
    """Whole-column shortcuts (missing values as "", formula escapes, quoting) give what the rules give cell by cell."""
    writer = TableWriter(io.BytesIO(), "csv", escape=escape, delimiter=delimiter)
    expected = []
    for v in values:
        v = "" if v is None or v is pd.NA or v != v else str(v)
        v = escape_formula(v) if escape else v
        expected.append('"' + v.replace('"', '""') + '"' if any(c in v for c in delimiter + '"\n\r') else v)
    assert writer.cells(pd.Series(values, dtype=object)) == expected


def test_json_lines_output_keeps_every_value_exactly(tmp_path):
    import datetime as dt
    import json

    floats = [0.1 + 0.2, 1e-300, 0.123456789012345, 2.0**-1074, -0.0]
    frame = pd.DataFrame({
        "x": floats,
        "big": pd.Series([2**53 + 1, None, -(2**63), 2**63 - 1, 0], dtype="Int64"),
        "day": [dt.date(2024, 1, 5), None, dt.date(1999, 12, 31), None, None],
        "utc": pd.to_datetime(["2024-01-05T10:00Z", None, "2024-01-05T10:00:00.5Z", None, None], format="ISO8601"),
        "naive": pd.to_datetime(["2024-01-05T10:00", None, None, None, "2024-01-05"], format="ISO8601"),
        "text": ["Ødegaard → Arsenal 💥", None, float("nan"), pd.NA, "x"],
        "mixed": [np.int64(5), np.float32(0.1), pd.NaT, float("inf"), True],
    })  # fmt: skip
    path = tmp_path / "out.jsonl"
    write_table(frame, str(path))
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]  # (no NaN: strict JSON)
    assert [r["x"] for r in rows] == floats and all(type(r["x"]) is float for r in rows)
    assert [r["big"] for r in rows] == [2**53 + 1, None, -(2**63), 2**63 - 1, 0]
    assert [r["day"] for r in rows] == ["2024-01-05", None, "1999-12-31", None, None]
    assert [r["utc"] for r in rows][:3] == ["2024-01-05T10:00:00+00:00", None, "2024-01-05T10:00:00.500000+00:00"]
    assert [r["naive"] for r in rows] == ["2024-01-05T10:00:00", None, None, None, "2024-01-05T00:00:00"]
    assert [r["text"] for r in rows] == ["Ødegaard → Arsenal 💥", None, None, None, "x"]
    assert [r["mixed"] for r in rows] == [5, 0.1, None, None, True]
    assert "Ødegaard" in path.read_text(encoding="utf-8")  # written as it is, not \u-escaped
