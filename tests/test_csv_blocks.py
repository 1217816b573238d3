"""The checks of ``rumourscore._csv_blocks`` against Python's csv module."""

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from rumourscore._csv_blocks import one_line_records, record_end

#: Pieces of CSV text: cells, quoted cells (some with line breaks or doubled quotes), stray quotes.
_PIECES = st.lists(
    st.sampled_from(["a", "bé", ",", "\n", '"x"', '"y,z"', '"two\nlines"', '"a ""b"""', '"', "£5m", " ", "\r\n",
                     "\x00"]),
    max_size=30,
)


@settings(max_examples=400, deadline=None)
@given(_PIECES)
def test_record_end_is_the_same_on_text_and_on_its_utf8_bytes(pieces):
    text = "".join(pieces)
    assert record_end(text.encode()) == len(text[: record_end(text)].encode())


@settings(max_examples=400, deadline=None)
@given(_PIECES, st.integers(min_value=1, max_value=4))
def test_one_line_records_is_never_wrong_about_a_block_it_accepts(pieces, width):
    block = "".join(pieces)
    if not block.endswith("\n"):
        block += "\n"
    if not one_line_records(block.encode(), width, ","):
        return
    records = list(csv.reader(io.StringIO(block, newline="")))
    assert len(records) == block.count("\n")  # one record a line: no line break inside a cell
    assert all(len(record) == width or record == [] for record in records)  # the width (or a blank line, skipped)


def test_one_line_records_refuses_what_would_shift_or_split_cells():
    assert one_line_records(b'1,"a, b",x\n2,c,y\n', 3, ",")
    assert not one_line_records(b"1,a,x,extra\n", 3, ",")  # a field too many
    assert not one_line_records(b"1,a\n", 3, ",")  # one too few
    assert not one_line_records(b'1,"two\nlines",x\n', 3, ",")  # a line break inside quotes
    assert not one_line_records(b'1,"open,x\n', 3, ",")  # a quote never closed
    assert not one_line_records(b'1,"a"b,x\n', 3, ",")  # text after a closing quote
    assert not one_line_records(b'1,x"a",y\n', 3, ",")  # text before an opening quote
    assert one_line_records(b'"a","b""c",""\n', 3, ",") and one_line_records(b'"a"\t"b"\n', 2, "\t")


def test_block_frame_reads_only_quoted_fields_that_stand_alone():
    from rumourscore._csv_blocks import block_frame

    frame = block_frame('1,"a, b",""\n"x",y,"z"\r\n', 3, ",", 100)
    assert frame.values.tolist() == [["1", "a, b", ""], ["x", "y", "z"]]
    for touching in ('1,"a"b,x\n', '1,x"a",y\n', '1,"a" ,x\n', '1,"a""b"c,x\n'):
        assert block_frame(touching, 3, ",", 100) is None  # left to the careful reader, which reports it
