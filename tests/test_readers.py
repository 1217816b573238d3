import csv
import json

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rumourscore._readers import csv_records, read_table
from rumourscore._tables import BatchError


def frames(path, **kw):
    chunks = list(read_table(str(path), **kw))
    return pd.concat([c.frame for c in chunks], ignore_index=True), [e for c in chunks for e in c.errors]


def test_csv_reader_sniffs_delimiter_and_keeps_bad_rows(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(b"\xef\xbb\xbftext;n\nfine;1\nsemi, colon;3\n")
    assert frames(src)[0].to_dict("list") == {"text": ["fine", "semi, colon"], "n": ["1", "3"]}
    src.write_bytes(b"\xef\xbb\xbftext,n\nfine,1\ntoo,many,cells\nbroken \xff,2\n")
    frame, errors = frames(src)
    assert frame.columns.tolist() == ["text", "n"]
    assert frame["text"].tolist() == ["fine", "too", "broken \ufffd"]
    assert errors == [None, "malformed row: 3 fields, header has 2", "undecodable bytes"]


def test_csv_reader_chunks_and_header_only(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("text,,n\n" + "".join(f"row {i},x,{i}\n" for i in range(7)))
    chunks = list(read_table(str(src), chunk_rows=3))
    assert [len(c.frame) for c in chunks] == [3, 3, 1]
    assert chunks[0].frame.columns.tolist() == ["text", "column_1", "n"]  # an unnamed column gets a name
    src.write_text("text,source\n")
    (chunk,) = read_table(str(src))
    assert chunk.frame.empty and chunk.frame.columns.tolist() == ["text", "source"]
    src.write_bytes(b"")
    assert list(read_table(str(src))) == []
    with pytest.raises(BatchError, match="input file not found"):
        read_table(str(tmp_path / "missing.csv"))


def test_jsonl_and_parquet_readers(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"text": "a"}) + "\n\n[1, 2]\n{bad\n" + json.dumps({"text": "b"}) + "\n")
    frame, errors = frames(src)
    assert len(frame) == 4 and frame["text"].tolist()[::3] == ["a", "b"]
    assert errors[0] is None and errors[1] == "malformed JSON line: not an object"
    assert errors[2].startswith("malformed JSON line")
    pq = tmp_path / "in.parquet"
    pd.DataFrame({"text": ["x", "y", "z"], "n": [1, 2, 3]}).to_parquet(pq)
    chunks = list(read_table(str(pq), chunk_rows=2))
    assert [c.frame["n"].tolist() for c in chunks] == [[1, 2], [3]] and chunks[0].errors == [None, None]
    (tmp_path / "bad.parquet").write_bytes(b"not parquet")
    with pytest.raises(BatchError, match="cannot read Parquet"):
        list(read_table(str(tmp_path / "bad.parquet")))


def test_a_json_lone_surrogate_escape_becomes_a_replacement_character_and_a_read_error(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "fee \\ud800 agreed", "source": "Sky"}\n{"text": "a \\ud83d\\ude00 pair"}\n')
    frame, errors = frames(src)
    assert frame["text"].tolist() == ["fee \ufffd agreed", "a \U0001f600 pair"]  # a surrogate pair is one character
    assert errors == ["invalid Unicode: a lone surrogate", None]


def test_jsonl_keys_that_change_order_or_appear_later_land_under_the_right_headers(tmp_path):
    src = tmp_path / "in.jsonl"
    lines = [{"text": "a", "n": 1}, {"n": 2, "text": "b"}, {"text": "c", "n": 3, "extra": "x"}, {"n": 4}]
    src.write_text("".join(json.dumps(line) + "\n" for line in lines))
    chunks = list(read_table(str(src), chunk_rows=1))
    assert all(c.frame.columns.tolist() == ["text", "n"] for c in chunks)
    frame = pd.concat([c.frame for c in chunks], ignore_index=True)
    assert frame["text"].tolist()[:3] == ["a", "b", "c"] and frame["n"].tolist() == [1, 2, 3, 4]
    errors = [e for c in chunks for e in c.errors]
    assert errors[:2] == [None, None] and errors[2] == "keys not in the header (set by the first rows): ['extra']"
    assert errors[3] is None  # a missing key is only an empty cell


@pytest.mark.parametrize(("broken", "cells"), [('"never closed,2', ["never closed,2", ""]),
                                               ('last column,"never closed', ["last column", "never closed"])])
@pytest.mark.parametrize("fast", [True, False])
def test_a_quote_never_closed_is_one_bad_row_and_the_rows_after_it_are_read(tmp_path, broken, cells, fast):
    src = tmp_path / "in.csv"
    src.write_text("text,n\nok,1\n" + broken + "\n" + "".join(f"row {i},{i}\n" for i in range(5)))
    with src.open(newline="") as text:
        chunks = list(csv_records(text, 3, fast=fast))
    frame, errors = pd.concat([c[1] for c in chunks], ignore_index=True), [e for c in chunks for e in c[2]]
    assert frame.values.tolist() == [["ok", "1"], cells] + [[f"row {i}", str(i)] for i in range(5)]
    bad = "malformed row: a quote opened in this row is never closed (the lines after it are read as rows)"
    assert errors == [None, bad, None, None, None, None, None]
    src.write_text("text,n\nok,1\n" + broken + "\n")  # on the last line
    assert frames(src)[1] == [None, bad]


@pytest.mark.parametrize("fast", [True, False])
def test_a_quote_left_open_never_swallows_the_next_row(tmp_path, fast):
    src = tmp_path / "in.csv"
    good = "".join(f"{i},row {i},Sky\n" for i in range(5))
    src.write_text("id,text,source\n" + good + '5,"open quote,Sky\n6,"Chelsea keen",Sun\n7,fine,Sun\n' + good)
    with src.open(newline="") as text:
        chunks = list(csv_records(text, 20_000, fast=fast))
    frame, errors = pd.concat([c[1] for c in chunks], ignore_index=True), [e for c in chunks for e in c[2]]
    assert frame["id"].tolist() == [str(i) for i in range(5)] + ["5", "6", "7"] + [str(i) for i in range(5)]
    assert frame["text"].tolist()[6] == "Chelsea keen" and frame["source"].tolist()[6] == "Sun"
    assert [i for i, e in enumerate(errors) if e] == [5]
    assert errors[5].startswith("malformed row: its quote is closed only 1 line(s) later, inside another row")


def test_closed_multiline_quotes_are_not_reported(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('text,n\n"two\nlines",1\nx,"also\ntwo ""quoted"" lines"')  # no final newline
    frame, errors = frames(src)
    assert errors == [None, None] and frame["n"].tolist() == ["1", 'also\ntwo "quoted" lines']
    src.write_text('text\n"a ""quoted"" word\nover two lines"\n')
    assert frames(src)[1] == [None]
    src.write_text('text,n\n"two\nlines" ,1\nx,2\n')  # spaces after the closing quote: still one record
    frame, errors = frames(src)
    assert errors == [None, None] and frame["n"].tolist() == ["1", "2"]


def test_a_cell_spanning_many_lines_is_reported(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text('text,n\n"opened' + "\nrow,1" * 150 + '\nand closed",2\nok,3\n')  # well-formed, but 151 lines
    frame, errors = frames(src)
    assert len(frame) == 2 and errors == ["malformed row: a cell spans more than 100 lines (a quote left open?)", None]
    # closed by a stray quote inside a later row: the rows in between are rows again
    src.write_text('text,n\n"opened' + "\nrow,1" * 150 + '\nand closed by a stray" quote,2\nok,3\n')
    frame, errors = frames(src)
    assert len(frame) == 153 and frame["n"].tolist()[1:] == ["1"] * 150 + ["2", "3"]
    assert errors[0].startswith("malformed row: its quote is closed only 151 line(s) later") and not any(errors[1:])


@pytest.mark.parametrize("cut", [-1, 0, 1])
def test_crlf_split_by_the_sniffing_sample_adds_no_phantom_row(tmp_path, cut):
    from rumourscore._readers import SNIFF_BYTES

    header = "text,n\r\n"
    line = "Chelsea keen on the winger,1\r\n"
    rows = (SNIFF_BYTES - len(header)) // len(line) + 2
    body = header + line * rows
    # pad the first row so that the sample ends between a \r and its \n (or one character either side)
    pad = (SNIFF_BYTES - len(header) + 1 + cut) % len(line)
    body = header + "x" * pad + body[len(header) :]
    assert cut != 0 or body[SNIFF_BYTES - 1 : SNIFF_BYTES + 1] == "\r\n"
    src = tmp_path / "in.csv"
    src.write_bytes(body.encode())
    frame, errors = frames(src)
    assert len(frame) == rows and set(errors) == {None} and set(frame["n"]) == {"1"}


def test_cr_only_line_endings_are_read(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(b"text,n\rHere we go,1\rBid rejected,2\r")
    frame, errors = frames(src)
    assert frame.to_dict("list") == {"text": ["Here we go", "Bid rejected"], "n": ["1", "2"]} and errors == [None] * 2


def test_hostile_sniffing_sample_is_never_handed_to_csv_sniffer(tmp_path, monkeypatch):
    from rumourscore._readers import guess_delimiter

    monkeypatch.setattr(csv, "Sniffer", None)  # csv.Sniffer is super-linear on such a line: it must not be used
    hostile = ',"a' * 30_000
    assert guess_delimiter(hostile) == ","
    src = tmp_path / "in.csv"
    src.write_text("text,n\n" + hostile + "\nok,1\n")
    frame, _ = frames(src)
    assert frame.columns.tolist() == ["text", "n"] and frame["text"].tolist()[-1] == "ok"
    assert [guess_delimiter(s) for s in ("a\tb\nc, d\te\n", "a|b\n1|2\n", "a;b\nx;y;z\n1;2\n", "")] == [
        "\t",
        "|",
        ";",
        ",",
    ]


_CSV_PIECES = st.sampled_from(['"', '""', ",", ";", "\n", "\r\n", "\r", " ", "x", "Ab", "\x00", "\ufeff", "\udc80",
                               "é", "\t", "|", '"a,b"', '"multi\nline"', "1", ""])  # fmt: skip


def _read(text: str, fast: bool, block_chars: int, chunk_rows: int, delimiter: str | None):
    import io

    from rumourscore._readers import csv_records

    chunks = list(csv_records(io.StringIO(text, newline=""), chunk_rows, delimiter, fast=fast,
                              block_chars=block_chars))  # fmt: skip
    rows = [list(row) for _, frame, _ in chunks for row in frame.itertuples(index=False, name=None)]
    return [c[0] for c in chunks[:1]], rows, [e for _, _, e in chunks for e in e]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    header=st.sampled_from(["text,source,date\n", "a;b\n", "a,b\r\n", '"x,y",z\n', "t\tn\n", "one\n"]),
    body=st.lists(st.lists(_CSV_PIECES, max_size=8).map("".join), max_size=12).map("\n".join),
    plain=st.lists(st.sampled_from(['a,"b, c",d\n', "e,f,g\n", 'h,"i\n""j""",k\r\n', ",,\n"]), max_size=6),
    block_chars=st.sampled_from([1, 3, 16, 1 << 20]),
    chunk_rows=st.sampled_from([1, 2, 1000]),
)
def test_fast_csv_path_reads_exactly_what_the_careful_reader_reads(header, body, plain, block_chars, chunk_rows):
    """Plain rows, then anything (stray quotes, blank lines, bare \\r, NUL, BOM, bad bytes): the rows,
    cells and errors are the same with pandas' C parser on plain blocks as record by record."""
    text = header + "".join(plain) + body
    for delimiter in (None, ","):
        careful = _read(text, False, 1 << 20, chunk_rows, delimiter)
        assert _read(text, True, block_chars, chunk_rows, delimiter) == careful


def test_fast_csv_path_reads_plain_files_with_pandas(tmp_path, monkeypatch):
    """A plain file is read in blocks by pandas (no record goes through the csv module), and the
    first block that is not plain hands the rest to the careful reader."""
    from rumourscore import _readers

    calls = []
    monkeypatch.setattr(_readers, "_records", lambda *a: calls.append(a) or iter(()))
    src = tmp_path / "in.csv"
    src.write_text("text,source\n" + "".join(f'"Bid, {i} ""now""",Sky\n' for i in range(5000)))
    frame, errors = frames(src)
    assert len(frame) == 5000 and frame.loc[4999, "text"] == 'Bid, 4999 "now"' and errors == [None] * 5000 and not calls
    monkeypatch.undo()
    src.write_text("text,source\n" + "".join(f"Bid {i},Sky\n" for i in range(3000)) + "too,many,cells\n")
    frame, errors = frames(src)
    assert len(frame) == 3001 and errors[-1] == "malformed row: 3 fields, header has 2" and errors[:-1] == [None] * 3000


@pytest.mark.parametrize(("encoding", "message"), [
    ("hex", "'hex' is not a text encoding"), ("rot13", "'rot13' is not a text encoding"),
    ("base64", "'base64' is not a text encoding"), ("idna", "encoding 'idna' cannot read a table"),
    ("klingon", "unknown encoding 'klingon'"),
    ("utf-16", "does not start with a UTF-16 byte-order mark: pass --encoding utf-16-le or utf-16-be"),
    ("utf-32", "does not start with a UTF-32 byte-order mark: pass --encoding utf-32-le or utf-32-be"),
])  # fmt: skip
def test_an_encoding_that_cannot_read_the_file_is_one_clear_error(tmp_path, encoding, message):
    src = tmp_path / "in.csv"
    src.write_bytes(b"text\nArsenal keen\n")
    with pytest.raises(BatchError, match=message):
        list(read_table(str(src), encoding=encoding))


@pytest.mark.parametrize("order", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named_by_its_byte_order(tmp_path, order):
    src = tmp_path / "in.csv"
    src.write_bytes("id,text\n1,Arsenal keen\n".encode(order))
    for encoding, message in (("utf-8", f"looks like UTF-16 .*: pass --encoding {order}$"),
                              ("utf-16", f"pass --encoding utf-16-le or utf-16-be \\(this looks like {order}\\)")):
        with pytest.raises(BatchError, match=message):
            list(read_table(str(src), encoding=encoding))
    assert frames(src, encoding=order)[0]["text"].tolist() == ["Arsenal keen"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_a_byte_order_mark_the_codec_keeps_is_not_part_of_the_first_column_name(tmp_path, encoding):
    src = tmp_path / "in.csv"
    src.write_bytes("\ufeffid,text\n1,Arsenal keen\n".encode(encoding))
    frame = frames(src, encoding=encoding)[0]
    assert list(frame.columns) == ["id", "text"] and frame["id"].tolist() == ["1"]


def test_utf32_with_a_byte_order_mark_is_named_utf32_not_utf16(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes("id,text\n1,Arsenal keen\n".encode("utf-32"))
    with pytest.raises(BatchError, match=r"looks like UTF-32 \(a byte-order mark\): pass --encoding utf-32$"):
        list(read_table(str(src)))
    assert frames(src, encoding="utf-32")[0]["text"].tolist() == ["Arsenal keen"]


def test_undecodable_utf16_units_are_per_row_errors(tmp_path):
    src = tmp_path / "in.csv"
    lone_surrogate = b"\x00\xd8"  # a high surrogate followed by a letter, not by a low surrogate
    src.write_bytes("id,text\n1,Arsenal keen\n2,Chelsea ".encode("utf-16") + lone_surrogate
                    + "x agree\n3,Spurs bid\n4,odd".encode("utf-16-le") + b"A")  # fmt: skip
    frame, errors = frames(src, encoding="utf-16")
    assert frame["id"].tolist() == ["1", "2", "3", "4"]
    assert frame["text"].tolist() == ["Arsenal keen", "Chelsea \ufffdx agree", "Spurs bid", "odd\ufffd"]
    assert errors == [None, "undecodable bytes", None, "undecodable bytes"]


def test_nul_bytes_in_utf8_text_are_not_taken_for_utf16(tmp_path):
    src = tmp_path / "in.csv"
    src.write_bytes(b"id,text\n1,Arsenal keen " + b"\x00" * 100 + b"\n2,Chelsea agree\n")
    frame, errors = frames(src)
    assert frame["id"].tolist() == ["1", "2"] and frame["text"][0] == "Arsenal keen " + "\x00" * 100
    assert errors == [None, None]


def test_parquet_integer_and_boolean_columns_with_nulls_stay_exact_in_every_chunk(tmp_path, toy_model):
    from rumourscore import score_file

    pa = pytest.importorskip("pyarrow")
    big = 9007199254740993  # 2**53 + 1: no float holds it
    src = tmp_path / "in.parquet"
    table = pa.table({"id": pa.array([1, 2, big, None, 5], pa.int64()), "ok": pa.array([True, None, False, True, True]),
                      "n": pa.array([1, 2, 3, 4, None], pa.uint8()), "text": ["Arsenal keen"] * 5})  # fmt: skip
    import pyarrow.parquet as pq

    pq.write_table(table, src)
    chunks = list(read_table(str(src), chunk_rows=2))  # the first chunk has no null: the same dtypes in every one
    assert [str(c.frame["id"].dtype) for c in chunks] == ["Int64"] * 3
    assert [str(c.frame["ok"].dtype) for c in chunks] == ["boolean"] * 3
    frame = pd.concat([c.frame for c in chunks], ignore_index=True)
    assert frame["id"].tolist()[:3] == [1, 2, big] and frame["id"].isna().tolist() == [False] * 3 + [True, False]
    for out in ("o.csv", "o.jsonl", "o.parquet"):
        score_file(str(src), str(tmp_path / out), model=toy_model, quiet=True, jobs=1, chunk_rows=2)
    assert pd.read_csv(tmp_path / "o.csv", dtype=str, keep_default_na=False)["id"].tolist() == [
        "1", "2", str(big), "", "5"]  # fmt: skip
    lines = [json.loads(line) for line in (tmp_path / "o.jsonl").read_text().splitlines()]
    assert [r["id"] for r in lines] == [1, 2, big, None, 5]
    assert [r["ok"] for r in lines] == [True, None, False, True, True]
    written = pq.read_table(tmp_path / "o.parquet")
    assert str(written.schema.field("id").type) == "int64" and written.column("id").to_pylist() == [1, 2, big, None, 5]
    assert str(written.schema.field("ok").type) == "bool"


@pytest.mark.parametrize("blank", ["\n", "\r\n\n\r", "\n" * (70 * 1024)])  # the last longer than the sniffed sample
def test_blank_lines_before_the_header_are_skipped_and_row_numbers_count_from_it(tmp_path, toy_model, blank):
    from rumourscore import score_file

    src = tmp_path / "in.csv"
    src.write_text(blank + "id;text\n1;Arsenal keen\n\n2;Chelsea agree;extra\n", newline="")
    frame, errors = frames(src)
    assert frame.columns.tolist() == ["id", "text"] and frame["id"].tolist() == ["1", "", "2"]
    assert errors[2] == "malformed row: 3 fields, header has 2"
    with pytest.raises(BatchError, match=r"^row 3 \(data row, after the header\): malformed row: 3 fields"):
        score_file(str(src), str(tmp_path / "o.csv"), model=toy_model, quiet=True, jobs=1, strict=True)
    src.write_text(blank)
    assert list(read_table(str(src))) == []


def test_an_empty_or_wholly_malformed_jsonl_file_is_one_clear_error(tmp_path, toy_model):
    from rumourscore import score_file

    src = tmp_path / "in.jsonl"
    for empty in ("", "\n\n"):
        src.write_text(empty)
        assert list(read_table(str(src))) == []
        with pytest.raises(BatchError, match=r"in.jsonl is empty: no header row"):
            score_file(str(src), str(tmp_path / "o.csv"), model=toy_model, quiet=True, jobs=1)
    for lines, first in (("{bad\n[1]\n", "malformed JSON line: Expecting property name"), ("{}\n", "an empty object")):
        src.write_text(lines)
        with pytest.raises(BatchError, match=rf"^no line of .*in.jsonl is a JSON object with keys \(the first: {first}"
                           ):  # fmt: skip
            list(read_table(str(src)))
    src.write_text("{bad\n" + json.dumps({"text": "Arsenal keen"}) + "\n")  # one good line: per-row errors
    assert frames(src, chunk_rows=1)[1] == ["malformed JSON line: Expecting property name enclosed in double quotes",
                                            None]  # fmt: skip


def test_a_blank_header_cell_is_named_apart_from_the_real_columns(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("column_1,,column_1_1,text\na,b,c,Arsenal keen\n")
    frame, errors = frames(src)
    assert frame.columns.tolist() == ["column_1", "column_1_2", "column_1_1", "text"]
    assert frame.iloc[0].tolist() == ["a", "b", "c", "Arsenal keen"] and errors == [None]
