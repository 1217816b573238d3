"""Fuzzing campaign: rumour-like text mixed with hostile characters through every entry point.

Properties checked (strategies in ``fuzz_strategies.py``):

* nothing raises, except what the docstrings promise: ``score``/``explain`` raise
  ``TypeError`` for a non-string text and ``ValueError`` for an empty text or an unreadable
  date; ``claims``/``render_html`` raise only ``TypeError`` for a non-string text;
* every tag and evidence span is a slice of its text: ``text[t.start:t.end] == t.text``;
* every likelihood is in [0, 1], or NaN with an error saying why;
* tables (DataFrames and whole CSV/TSV/JSON Lines/Parquet files through the CLI): rows in =
  rows out, in order, the user's values unchanged (CSV output: a ``'`` before a formula cell).

Profiles (``tests/conftest.py``): ``ci`` by default (bounded: the file runs in well under a
minute), ``long`` with ``pytest --hypothesis-profile=long tests/test_fuzz.py`` (at least
20,000 examples per test); ``benchmarks/fuzz_long.py`` runs it and counts the examples.
"""

from __future__ import annotations

import csv
import json
import math
import re
import tempfile
import warnings
from pathlib import Path

import fuzz_strategies as fs  # registered by conftest.py
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rumourscore as rs
from rumourscore._api import summary_names
from rumourscore._claims import CLAIM_STATUSES
from rumourscore._feed import FEED_COLUMNS
from rumourscore._pool import AGGREGATE_COLUMNS
from rumourscore._text import date_problem
from rumourscore.cli import main as cli_main


def examples(ci: int) -> int:
    """Examples for a test: ``ci`` under the default profile, the profile's own count under ``long``."""
    current = settings().max_examples
    long = settings.get_profile("long").max_examples
    return current if current == long and current != settings.get_profile("ci").max_examples else ci


def fuzz(ci: int):
    """The settings of one fuzz test (no deadline: the machine is shared and loaded)."""
    return settings(max_examples=examples(ci), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])  # fmt: skip


def check_tags(text: str, tags) -> None:
    """Tags are slices of ``text``, of a known kind, sorted and not overlapping."""
    end = 0
    for t in tags:
        assert t.kind in rs.TAG_KINDS
        assert 0 <= t.start < t.end <= len(text), t
        assert text[t.start : t.end] == t.text, t
        assert t.start >= end, f"overlapping or unsorted tags at {t}"
        end = t.end


def check_likelihood(value: float) -> None:
    assert isinstance(value, float)
    assert 0.0 <= value <= 1.0, value


def _unreadable(date) -> bool:
    return date_problem(date) is not None


# ------------------------------------------------------------------------------ text entry points
@fuzz(100)
@given(fs.texts())
def test_tag(text):
    check_tags(text, rs.tag(text))


@fuzz(100)
@given(fs.texts())
def test_split_sentences(text):
    spans = rs.split_sentences(text)
    end = 0
    for s, e in spans:
        assert end <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace(), (s, e)
        end = e


@fuzz(100)
@given(st.one_of(fs.sources, fs.odd_cells()))
def test_resolve_source(name):
    found = rs.resolve_source(name)
    assert found is None or isinstance(found, rs.SourceInfo)


@fuzz(100)
@given(fs.texts(), fs.sources, fs.dates)
def test_score(text, source, date):
    try:
        likelihood = rs.score(text, source=source, date=date)
    except ValueError as exc:
        assert not text.strip() or _unreadable(date), exc
        return
    assert text.strip() and not _unreadable(date)
    check_likelihood(likelihood)


@fuzz(50)
@given(fs.odd_cells())
def test_score_rejects_non_text(value):
    with pytest.raises(TypeError):
        rs.score(value)
    with pytest.raises(TypeError):
        rs.explain(value)


@fuzz(100)
@given(fs.texts(), fs.sources, fs.dates)
def test_explain(text, source, date):
    try:
        e = rs.explain(text, source=source, date=date)
    except ValueError as exc:
        assert not text.strip() or _unreadable(date), exc
        return
    check_likelihood(e.likelihood)
    assert e.likelihood == rs.score(text, source=source, date=date)
    check_tags(text, e.tags)
    assert str(e) and isinstance(e.why(), str)
    json.dumps(e.to_dict(), ensure_ascii=False)


def check_claims(text: str, found) -> None:
    for c in found:
        assert c.status in CLAIM_STATUSES
        assert c.likelihood is None or (check_likelihood(c.likelihood) is None)
        for ev in c.evidence:
            assert text[ev.start : ev.end] == ev.text, ev
            check_tags(text, ev.tags)
            assert ev.likelihood is None or (check_likelihood(ev.likelihood) is None)
        json.dumps(c.to_dict(), ensure_ascii=False)
    assert isinstance(rs.format_claims(found, evidence=True), str)


@fuzz(100)
@given(fs.texts(max_pieces=30), fs.sources, fs.dates)
def test_claims(text, source, date):
    try:
        found = rs.claims(text, source=source, date=date)
    except ValueError as exc:  # (a date given must be readable, as for score)
        assert _unreadable(date), exc
        return
    assert not _unreadable(date)
    check_claims(text, found)


@fuzz(100)
@given(fs.texts(max_pieces=30), fs.sources, fs.dates)
def test_render_html(text, source, date):
    try:
        page = rs.render_html(text, source=source, date=date)
    except ValueError as exc:
        assert _unreadable(date), exc
        return
    assert page.startswith("<!") or "<html" in page
    assert fs.RAW_MARKER not in page  # every piece of text is escaped


# ------------------------------------------------------------------------------ frames
def _same(a, b) -> bool:
    """Cell equality where a missing value equals itself."""
    if a is b:
        return True
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


frame_rows = st.lists(
    st.fixed_dictionaries({
        "text": fs.frame_cells(), "source": st.one_of(fs.sources, fs.odd_cells()),
        "date": st.one_of(fs.dates, fs.odd_cells()), "note": fs.texts(max_pieces=4),
        "subject": st.sampled_from([None, "Jonathan David", "Xabi Alonso", "", "İlkay", "ſam"]),
        "to_club": st.sampled_from([None, "Arsenal", "the Gunners", "Real Madrid", "", "Atlantis FC", "ARSENAL"]),
    }),
    max_size=12,
)  # fmt: skip


#: Names of the user's free column: sometimes one of ours, which must be kept (ours is then renamed).
NOTE_NAMES = ("note", "error", "likelihood", "hedges", "rumourscore_error", "")


def _frame(rows, data) -> pd.DataFrame:
    index = data.draw(st.sampled_from(["range", "reversed", "strings"]))
    labels = {"range": list(range(len(rows))), "reversed": list(range(len(rows)))[::-1],
              "strings": [f"r{i}" for i in range(len(rows))]}[index]  # fmt: skip
    columns = ["text", "source", "date", "note", "subject", "to_club"]
    frame = pd.DataFrame(rows, columns=columns, index=labels, dtype=object)
    return frame.rename(columns={"note": data.draw(st.sampled_from(NOTE_NAMES), label="note column")})


@fuzz(60)
@given(frame_rows, st.data())
def test_score_frame(rows, data):
    df = _frame(rows, data)
    before = df.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a column named like ours
        out = rs.score_frame(df)
    names = summary_names(df.columns, warn=False)
    assert list(out.index) == list(df.index)
    assert list(out.columns[: df.shape[1]]) == list(df.columns)
    for column in df.columns:
        assert all(_same(a, b) for a, b in zip(out[column].tolist(), before[column].tolist())), column
    pd.testing.assert_frame_equal(df, before)  # the input is not changed
    for text, likelihood, error in zip(df["text"], out[names["likelihood"]], out[names["error"]]):
        if math.isnan(likelihood):
            assert isinstance(error, str) and error, (text, error)
        else:
            check_likelihood(float(likelihood))
        if isinstance(text, str) and text.strip():
            assert not math.isnan(likelihood), (text, error)


@fuzz(40)
@given(frame_rows, st.booleans(), st.data())
def test_aggregate(rows, scored, data):
    df = _frame(rows, data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        feed = rs.score_frame(df) if scored else df
    out = rs.aggregate(feed)
    assert tuple(out.columns) == AGGREGATE_COLUMNS
    assert out["n_reports"].sum() <= len(df)
    for row in out.itertuples(index=False):
        check_likelihood(float(row.likelihood))
        assert 1 <= row.n_sources <= row.n_reports
        assert row.mean_likelihood <= row.max_likelihood + 1e-12
    assert out["likelihood"].is_monotonic_decreasing


@fuzz(40)
@given(frame_rows, st.data())
def test_score_feed(rows, data):
    df = _frame(rows, data)
    before = df.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a column named like ours
        out = rs.score_feed(df)
    assert list(out.index) == list(df.index)  # every row, in input order
    for column in df.columns:
        assert all(_same(a, b) for a, b in zip(out[column].tolist(), before[column].tolist())), column
    pd.testing.assert_frame_equal(df, before)  # the input is not changed
    names = summary_names(df.columns, warn=False, extra=FEED_COLUMNS[1:])
    for likelihood, claim, n_reports in zip(out[names["likelihood"]], out[names["claim_likelihood"]],
                                            out[names["claim_n_reports"]]):  # fmt: skip
        if not math.isnan(likelihood):
            check_likelihood(float(likelihood))
        if not pd.isna(claim):
            check_likelihood(float(claim))
        if not pd.isna(n_reports):
            assert n_reports >= 1


# ------------------------------------------------------------------------------ whole files through the CLI
FORMATS = ("csv", "tsv", "jsonl", "parquet")
USER_COLUMNS = ("id", "text", "source", "date", "note")
#: A CSV cell starting with one of these runs as a formula in a spreadsheet (unless a plain number).
FORMULA_LEADS = ("=", "+", "-", "@")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")

file_rows = st.lists(
    st.fixed_dictionaries({
        "text": st.one_of(fs.table_text(), st.sampled_from(["", " ", "=SUM(A1)", "-1", "@x"])),
        "source": st.one_of(st.just(""), fs.sources.map(lambda s: s or "")),
        "date": fs.dates.map(lambda d: d or ""),
        "note": fs.texts(max_pieces=3),
    }),
    max_size=8,
)  # fmt: skip


def _write_input(path: Path, fmt: str, header: list[str], rows: list[dict], data) -> None:
    """Write ``rows`` (values keyed by USER_COLUMNS) under ``header`` (the names in the file)."""
    records = [dict(zip(header, [i] + [row[c] for c in USER_COLUMNS[1:]])) for i, row in enumerate(rows)]
    if fmt in ("csv", "tsv"):
        delimiter = "," if fmt == "csv" else "\t"
        ending = data.draw(st.sampled_from(["\n", "\r\n"]))
        quote_all = data.draw(st.booleans())
        lines = [header] + [[str(r[c]) for c in header] for r in records]
        body = "".join(delimiter.join(_csv_cell(c, delimiter, quote_all) for c in line) + ending for line in lines)
        path.write_bytes(body.encode("utf-8"))
    elif fmt == "jsonl":
        ascii_only = data.draw(st.booleans())
        path.write_text("".join(json.dumps(r, ensure_ascii=ascii_only) + "\n" for r in records), encoding="utf-8")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        columns = {c: [r[c] for r in records] for c in header}
        schema = pa.schema([("id", pa.int64())] + [(c, pa.string()) for c in header[1:]])
        pq.write_table(pa.table(columns, schema=schema), path)


def _csv_cell(cell: str, delimiter: str, quote_all: bool) -> str:
    """RFC 4180 quoting: a cell holding the delimiter, a quote or a line break is quoted."""
    if quote_all or any(ch in cell for ch in (delimiter, '"', "\r", "\n")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _read_output(path: Path, fmt: str) -> tuple[list[str], list[dict]]:
    if fmt in ("csv", "tsv"):
        with path.open(encoding="utf-8", newline="") as fh:
            table = list(csv.reader(fh, delimiter="," if fmt == "csv" else "\t"))
        header = table[0]
        return header, [dict(zip(header, row, strict=True)) for row in table[1:]]
    if fmt == "jsonl":
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        header = list(records[0]) if records else []
        return header, records
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    return table.column_names, table.to_pylist()


def _check_cell(value, got, fmt: str, escape: bool = True) -> None:
    """A user cell comes back unchanged; a CSV formula cell with a leading quote (unless not escaping)."""
    if fmt in ("csv", "tsv") and not escape:
        assert got == str(value), (value, got)
    elif fmt in ("csv", "tsv"):
        value = str(value)
        formula = value.startswith(FORMULA_LEADS) and not _PLAIN_NUMBER.fullmatch(value)
        if formula:
            assert got == "'" + value, (value, got)
        else:
            assert got in (value, "'" + value) and (got == value or value.startswith(("\t", "\r"))), (value, got)
    elif isinstance(value, int):
        assert got in (value, str(value)), (value, got)
    else:
        assert got == value, (value, got)


def _likelihood(value) -> float:
    if value is None or value == "":
        return math.nan
    return float(value)


def _run_file(in_fmt: str, out_fmt: str, rows, data) -> None:
    if in_fmt in ("csv", "tsv"):  # a NUL byte near the top makes the file "UTF-16": see test_csv_nul_byte_is_not_utf16
        rows = [{k: v.replace("\x00", " ") for k, v in row.items()} for row in rows]
    if in_fmt == "tsv":  # quoted tabs and quotes too: see test_tsv_quoted_tab
        rows = [{k: v.replace("\t", " ").replace('"', " ") for k, v in row.items()} for row in rows]
    with tempfile.TemporaryDirectory(prefix="rumourscore-fuzz-") as name:
        _run_in(Path(name), in_fmt, out_fmt, rows, data)


def _run_in(folder: Path, in_fmt: str, out_fmt: str, rows, data) -> None:
    source, target = folder / f"in.{in_fmt}", folder / f"out.{out_fmt}"
    header_in = [*USER_COLUMNS[:-1], data.draw(st.sampled_from(NOTE_NAMES[:-1]), label="note column")]
    _write_input(source, in_fmt, header_in, rows, data)
    escape = data.draw(st.booleans(), label="escape formulas")
    flags = [] if escape else ["--no-escape-formulas"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a column named like ours
        code = cli_main(["score", str(source), "-o", str(target), "--jobs", "1", "--quiet", *flags])
    if in_fmt == "jsonl" and not rows:  # an empty JSON Lines file names no column: exit 2 and no output
        assert code == 2 and not target.exists()
        return
    assert code == 0
    header, out = _read_output(target, out_fmt)
    assert len(out) == len(rows), "rows in != rows out"
    if not out and out_fmt == "jsonl":
        return  # JSON Lines has no header line: no rows, nothing to check
    assert header[: len(header_in)] == header_in
    names = summary_names(header_in, warn=False)
    for i, (row, got) in enumerate(zip(rows, out)):
        _check_cell(i, got["id"], out_fmt, escape)
        for column, name in zip(USER_COLUMNS[1:], header_in[1:]):
            _check_cell(row[column], got[name], out_fmt, escape)
        likelihood, error = _likelihood(got[names["likelihood"]]), got[names["error"]]
        assert not (error or "").startswith(("malformed", "undecodable")), (row, error)
        if math.isnan(likelihood):
            assert error, row
        else:
            check_likelihood(likelihood)
        if row["text"].strip():  # a row with an unreadable date is scored without it
            assert not math.isnan(likelihood), (row, error)


@pytest.mark.parametrize("in_fmt", FORMATS)
@fuzz(30)
@given(rows=file_rows, out_fmt=st.sampled_from(FORMATS), data=st.data())
def test_cli_files(in_fmt, rows, out_fmt, data):
    _run_file(in_fmt, out_fmt, rows, data)


# ------------------------------------------------------------------------------ bugs the fuzz found
# Each was a failure the campaign found; fixed, they stay as regression tests.
def _score_csv_text(tmp_path: Path, body: str) -> list[dict]:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(body, encoding="utf-8")
    assert cli_main(["score", str(source), "-o", str(target), "--jobs", "1", "--quiet"]) == 0
    return _read_output(target, "csv")[1]


def test_aggregate_far_future_date():
    feed = pd.DataFrame({"text": ["Arsenal are keen on the striker", "Arsenal have had a bid accepted"],
                         "date": ["9999-12-31", "2024-11-20"], "subject": ["Jonathan David"] * 2,
                         "to_club": ["Arsenal"] * 2})  # fmt: skip
    out = rs.aggregate(feed)
    assert len(out) == 1 and out["n_reports"][0] == 2


def test_batch_scores_rows_with_bad_date(tmp_path):
    (row,) = _score_csv_text(tmp_path, "text,date\nHere we go! Medical booked for tomorrow,yesterday\n")
    assert "date" in row["error"]
    assert row["likelihood"] != ""


def test_batch_empty_date_cell_is_missing(tmp_path):
    (row,) = _score_csv_text(tmp_path, "text,date\nHere we go! Medical booked for tomorrow,\n")
    assert row["error"] == ""
    assert row["likelihood"] != ""


def test_blank_csv_line_is_not_a_row(tmp_path):
    rows = _score_csv_text(tmp_path, "text,source\nHere we go,Sky Sports\n\nArsenal are keen,Mail\n")
    assert [r["text"] for r in rows] == ["Here we go", "Arsenal are keen"]


def test_tsv_quoted_line_breaks(tmp_path):
    source, target = tmp_path / "in.tsv", tmp_path / "out.tsv"
    source.write_text('text\tcomment\n\t"x\n"\n\t":\n"\n', encoding="utf-8")
    assert cli_main(["score", str(source), "-o", str(target), "--jobs", "1", "--quiet"]) == 0
    assert [r["comment"] for r in _read_output(target, "tsv")[1]] == ["x\n", ":\n"]


def test_csv_quoted_line_breaks(tmp_path):
    rows = _score_csv_text(tmp_path, 'id,text,comment\n0,,\n1,,"Arsenal are keeping tabs on\n"\n2,,";, "\n')
    assert [r["comment"] for r in rows] == ["", "Arsenal are keeping tabs on\n", ";, "]


@pytest.mark.parametrize("mark", ["\u2028", "\x85"])
def test_tsv_unicode_line_break(tmp_path, mark):
    source, target = tmp_path / "in.tsv", tmp_path / "out.tsv"
    source.write_text(f"text\tcomment\nHere we go\ta{mark}b\n", encoding="utf-8")
    assert cli_main(["score", str(source), "-o", str(target), "--jobs", "1", "--quiet"]) == 0
    assert [r["comment"] for r in _read_output(target, "tsv")[1]] == [f"a{mark}b"]


def test_tsv_quoted_tab(tmp_path):
    source, target = tmp_path / "in.tsv", tmp_path / "out.tsv"
    source.write_text('text\tcomment\n\t\nHere we go\t"a\tb "" "\n', encoding="utf-8")
    assert cli_main(["score", str(source), "-o", str(target), "--jobs", "1", "--quiet"]) == 0
    assert [r["comment"] for r in _read_output(target, "tsv")[1]] == ["", 'a\tb " ']


@pytest.mark.parametrize("suffix", ["csv", "tsv"])
def test_csv_nul_byte_is_not_utf16(tmp_path, suffix):
    delimiter = "," if suffix == "csv" else "\t"
    source, target = tmp_path / f"in.{suffix}", tmp_path / "out.csv"
    source.write_text(f"text{delimiter}comment\nHere we go! Medical booked{delimiter}a\x00b\n", encoding="utf-8")
    assert cli_main(["score", str(source), "-o", str(target), "--jobs", "1", "--quiet"]) == 0
    assert [r["comment"] for r in _read_output(target, "csv")[1]] == ["a\x00b"]
