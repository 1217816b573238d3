"""Text helpers: sentence splitting, name masking, article dates."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import threading

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rumourscore import article_date, mask_names, split_sentences
from rumourscore._text import _CAPITALISED, MAX_TEXT_CHARS, date_problem, parse_date


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


# --------------------------------------------------------------------------- split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Arsenal bid £47.5m. Chelsea bid more.", ["Arsenal bid £47.5m.", "Chelsea bid more."]),
        ("He earns €1.2m a year. Talks go on.", ["He earns €1.2m a year.", "Talks go on."]),
        ("Mr. Smith met Dr. Jones. They agreed.", ["Mr. Smith met Dr. Jones.", "They agreed."]),
        ("St. Pauli beat Man Utd. in a friendly. Next up.", ["St. Pauli beat Man Utd. in a friendly.", "Next up."]),
        (
            "Talks with Real Madrid vs. Barcelona stalled. Next.",
            ["Talks with Real Madrid vs. Barcelona stalled.", "Next."],
        ),
        ("A. Smith joined Arsenal. B. Jones left.", ["A. Smith joined Arsenal.", "B. Jones left."]),
        ("He joined in Jan. 2020 from Lyon.", ["He joined in Jan. 2020 from Lyon."]),
        ("The U.S. striker signs. Next one.", ["The U.S. striker signs.", "Next one."]),
        ("He left at 3 p.m. on Monday. Then he flew.", ["He left at 3 p.m. on Monday.", "Then he flew."]),
    ],
)
def test_abbreviations_and_decimals_do_not_split(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"He wants to go," said the agent. "Soon!" he added.',
            ['"He wants to go," said the agent.', '"Soon!" he added.'],
        ),
        ('"Is he going?" asked a fan. "Yes."', ['"Is he going?" asked a fan.', '"Yes."']),
        ("He said: “I am staying.” The club agreed.", ["He said: “I am staying.”", "The club agreed."]),
        ("It is done (finally.) Then the medical.", ["It is done (finally.)", "Then the medical."]),
        ("Wait... Here we go! Done? Yes.", ["Wait...", "Here we go!", "Done?", "Yes."]),
        ("Deal done. 🚨 Chelsea next.", ["Deal done.", "🚨 Chelsea next."]),
        ("Deal done. @FabrizioRomano confirms.", ["Deal done.", "@FabrizioRomano confirms."]),
        ("Bid rejected. £60m was not enough.", ["Bid rejected.", "£60m was not enough."]),
        ("They won 2-1. 30 goals in 2023 for him.", ["They won 2-1.", "30 goals in 2023 for him."]),
    ],
)
def test_quotes_and_terminal_punctuation(text, expected):
    assert sentences(text) == expected


def test_lower_case_after_a_full_stop_continues_the_sentence():
    assert sentences("arsenal bid. chelsea too") == ["arsenal bid. chelsea too"]


def test_newlines_always_end_a_sentence():
    assert sentences("Line one\nline two\r\n\n  Line three  ") == ["Line one", "line two", "Line three"]
    assert sentences("Headline without a stop\nBody starts here.") == ["Headline without a stop", "Body starts here."]


def test_spans_strip_white_space_and_cover_the_text_in_order():
    text = "  \t Arsenal bid.   Chelsea bid.  \n\n "
    spans = split_sentences(text)
    assert sentences(text) == ["Arsenal bid.", "Chelsea bid."]
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in spans)
    assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_empty_and_blank_text():
    assert split_sentences("") == []
    assert split_sentences(" \n\t ") == []
    assert sentences("No punctuation at all") == ["No punctuation at all"]


@pytest.mark.parametrize("bad", [None, b"text", 3.0, float("nan")])
def test_split_sentences_rejects_non_str(bad):
    with pytest.raises(TypeError, match="split_sentences"):
        split_sentences(bad)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_split_sentences_properties(text):
    spans = split_sentences(text)
    previous = 0
    for s, e in spans:
        assert previous <= s < e <= len(text)
        assert not text[s].isspace() and not text[e - 1].isspace()
        previous = e
    # nothing but white space is left out
    covered = set()
    for s, e in spans:
        covered.update(range(s, e))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


def test_split_sentences_on_a_long_text_finishes():
    text = ("Mr. " * 10_000) + ("a. " * 10_000) + ("£1.5m. " * 10_000) + "\n" * 10_000
    done: list = []
    worker = threading.Thread(target=lambda: done.append(split_sentences(text)), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive()


# --------------------------------------------------------------------------- mask_names


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Arsenal are keen on Lille's Victor Osimhen, 21.", "NAME are keen on NAME's NAME, 21."),
        ("Reports suggest Real Madrid want the striker.", "Reports suggest NAME want the striker."),
        ("According to Marca, the deal is close.", "According to NAME, the deal is close."),
        ("Kevin De Bruyne and Virgil van Dijk stay.", "NAME and NAME stay."),
        ("N'Golo Kante and Dara O'Shea", "NAME and NAME"),
        ("Trent Alexander-Arnold, 25, is wanted.", "NAME, 25, is wanted."),
        ("Ángel Di María and Øystein are linked.", "NAME and NAME are linked."),
        ("the 42-year-old joined on loan.", "the 42-year-old joined on loan."),
        ("The winger is keen. Sources say so.", "The winger is keen. Sources say so."),
        ("Here we go!", "Here we go!"),
    ],
)
def test_mask_names(text, expected):
    assert mask_names(text) == expected


#: The capitalised runs as first written, the start check before the first capital.
_PLAIN_CAPITALISED = re.compile(
    r"(?<![\w'\u2019])[A-Z\u00c0-\u00de][\w\-]*(?:['\u2019][A-Z\u00c0-\u00de][\w\-]*)*(?:\s+(?:(?:de|da|van|von|"
    r"der|di|del|dos|la|le)\s+)?[A-Z\u00c0-\u00de][\w\-]*(?:['\u2019][A-Z\u00c0-\u00de][\w\-]*)*)*"
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["A", "b", "É", "é", "_", "1", "-", "'", "\u2019", " ", "\n", "de ", "Van", "O'N"]),
                max_size=24).map("".join))
def test_capitalised_runs_are_those_of_the_plain_pattern(text):
    assert [m.span() for m in _CAPITALISED.finditer(text)] == [m.span() for m in _PLAIN_CAPITALISED.finditer(text)]


def test_mask_names_keeps_everything_but_the_names():
    assert mask_names("") == ""
    assert mask_names("no capitals here, £50m and 2-1.") == "no capitals here, £50m and 2-1."


@pytest.mark.parametrize("bad", [None, b"Arsenal", 1.0])
def test_mask_names_rejects_non_str(bad):
    with pytest.raises(TypeError, match="mask_names"):
        mask_names(bad)


# --------------------------------------------------------------------------- article_date


@pytest.mark.parametrize(
    ("text", "filename", "expected"),
    [
        (" date 2024-11-14 Xabi Alonso has been dubbed ...", None, "2024-11-14"),
        ("Date: 2023-01-31\nArsenal bid.", None, "2023-01-31"),
        ("DATE=2022-08-01 text", None, "2022-08-01"),
        ("\ufeffdate 2021-06-30 text", None, "2021-06-30"),
        ("No header here.", "seeds/2024-11-14_alonso_leverkusen_real_madrid.txt", "2024-11-14"),
        ("date 2020-02-02 header wins", "2024-11-14_other.txt", "2020-02-02"),
        ("date 2024-13-45 is no date", "2024-11-14_x.txt", "2024-11-14"),
        ("date 2024-02-30 is no date", None, None),
        ("No header here.", "notes.txt", None),
        ("No header here.", "20241114.txt", None),
        ("The match on 2024-11-14 was tight.", None, None),
        ("", None, None),
    ],
)
def test_article_date(text, filename, expected):
    assert article_date(text, filename) == expected


def test_article_date_reads_the_file_name_not_its_folders():
    from pathlib import Path

    assert article_date("No header.", "/feeds/2023-01-01/2024-11-14_x.txt") == "2024-11-14"
    assert article_date("No header.", Path("2023-01-01") / "notes.txt") is None
    assert article_date("No header.", "C:\\feeds\\2023-01-01\\2024-11-14_x.txt") == "2024-11-14"
    assert article_date("No header.", b"/feeds/2024-11-14_x.txt") == "2024-11-14"


@pytest.mark.parametrize("year", ["1800", "9999"])
def test_article_date_is_a_date_score_reads(year):
    # a header date parse_date refuses is no date (score() then raised on the CLI's article date)
    text = f"date {year}-01-01\nArsenal have agreed a fee with Lille."
    assert article_date(text) is None
    assert article_date(text, "2024-11-14_x.txt") == "2024-11-14"


def test_article_date_of_the_seed():
    from pathlib import Path

    seed = Path(__file__).resolve().parent.parent / "seeds" / "2024-11-14_alonso_leverkusen_real_madrid.txt"
    assert article_date(seed.read_text(encoding="utf-8"), seed.name) == "2024-11-14"


def test_article_date_rejects_non_str():
    with pytest.raises(TypeError, match="article_date"):
        article_date(None)  # type: ignore[arg-type]


def test_max_text_chars_is_a_sane_limit():
    assert 1_000 <= MAX_TEXT_CHARS <= 1_000_000


@pytest.mark.parametrize("value, expected", [
    ("2024-11-14", dt.date(2024, 11, 14)), (dt.date(2020, 1, 2), dt.date(2020, 1, 2)),
    (pd.Timestamp("2021-05-06 10:00"), dt.date(2021, 5, 6)), ("2024-11-14T10:00:00Z", dt.date(2024, 11, 14)),
    ("20/11/2024", dt.date(2024, 11, 20)), ("Nov 20, 2024", dt.date(2024, 11, 20)),
    ("20 November 2024", dt.date(2024, 11, 20)), ("2024/11/20", dt.date(2024, 11, 20)),
    ("20.11.2024", dt.date(2024, 11, 20)), ("05/06/2024", dt.date(2024, 6, 5)),
    ("2024", dt.date(2024, 1, 1)), ("2024-11", dt.date(2024, 11, 1)), ("November 2024", dt.date(2024, 11, 1)),
    ("garbage", None), ("20 November", None), ("31/02/2024", None), ("9999-01-01", None), ("1" * 500, None),
    (None, None), (float("nan"), None), (pd.NaT, None), (pd.NA, None), (3, None),
])  # fmt: skip
def test_parse_date_reads_the_common_forms(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2024/06/05", "2024.06.05", "2024 06 05", "2024/6/5", "2024/06/05 10:00"])
@pytest.mark.parametrize("monthfirst", [False, True])
def test_a_year_first_date_is_year_month_day_whatever_its_separator(value, monthfirst):
    assert parse_date(value, monthfirst=monthfirst) == dt.date(2024, 6, 5)
    assert parse_date(value.replace("06", "13").replace("/6/", "/13/"), monthfirst=monthfirst) is None  # no 13th month


def test_a_year_as_a_number_and_numpy_dates_are_read():
    import datetime as dt

    import numpy as np

    from rumourscore._text import parse_date

    for value in (2024, 2024.0, np.int64(2024), np.float64(2024.0)):
        assert parse_date(value) == dt.date(2024, 1, 1), value
    assert parse_date(np.datetime64("2024-03-05T10:00")) == dt.date(2024, 3, 5)
    for value in (2024.5, 99, 1_700_000_000, True, np.datetime64("NaT"), np.datetime64("20000-01-01")):
        assert parse_date(value) is None, value


def test_monthfirst_flips_ambiguous_dates_only():
    assert parse_date("05/06/2024", monthfirst=True) == dt.date(2024, 5, 6)
    assert parse_date("20/11/2024", monthfirst=True) == dt.date(2024, 11, 20)


def test_date_problem_names_unreadable_dates_only():
    assert date_problem("2024-11-20") is None and date_problem(None) is None and date_problem(float("nan")) is None
    assert "unreadable date 'someday'" in date_problem("someday")


def test_check_date_quotes_a_date_with_a_colon_whole():
    from rumourscore._text import check_date

    with pytest.raises(ValueError, match=r"^unreadable date '2024-13-01 10:30': give the date as"):
        check_date("2024-13-01 10:30")
    check_date("2024-11-20")  # readable: nothing raised
    check_date(None)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab c", max_size=12), st.lists(st.text(alphabet="ab c", max_size=12), max_size=8))
def test_first_similar_is_the_first_text_a_pairwise_ratio_accepts(text, others):
    from rapidfuzz import fuzz

    from rumourscore._text import NEAR_DUPLICATE_RATIO, first_similar

    expected = next((k for k, other in enumerate(others) if fuzz.ratio(text, other) >= NEAR_DUPLICATE_RATIO), None)
    assert first_similar(text, others) == expected


def test_copy_finder_looks_at_the_latest_originals_only(monkeypatch):
    from rumourscore import _text

    monkeypatch.setattr(_text, "MAX_DUPLICATE_COMPARISONS", 2)
    copies = _text.CopyFinder()
    read = []

    def text_of(masked):
        return lambda: read.append(masked) or masked

    for k, masked in enumerate(["chelsea have bid for name", "name joins arsenal", "name out on loan", ""]):
        assert copies.copy_of(masked, text_of(masked), k) is None  # an original (or empty: copies nothing)
    assert copies.copy_of("y", text_of("name joins arsenal!"), 4) == 1  # a near duplicate: not recorded
    assert copies.copy_of("x", text_of("chelsea have bid for name."), 5) is None  # the first is out of reach
    read.clear()
    assert copies.copy_of("name out on loan", text_of("name out on loan"), 6) == 2  # found by its key
    assert copies.copy_of("x", text_of("chelsea have bid for name."), 7) == 5  # recorded as an original
    assert read == []  # the text is read only when the key is new
    assert copies.copy_of("", text_of(""), 8) is None  # an empty text is never recorded


def test_one_test_of_a_missing_cell_and_one_of_a_blank_one():
    import decimal

    import numpy as np

    from rumourscore._text import check_text, is_blank, is_missing

    missing = [None, float("nan"), np.float32("nan"), pd.NA, pd.NaT, np.datetime64("NaT"), decimal.Decimal("NaN")]
    present = ["", "  ", "x", 0, 0.0, [], [1], {}, np.array([1.0, np.nan]), np.datetime64("2024-01-01")]
    assert all(is_missing(v) for v in missing) and not any(is_missing(v) for v in present)
    assert all(is_blank(v) for v in [*missing, "", " \t "]) and not any(is_blank(v) for v in present[2:])
    assert {check_text(v) for v in missing} == {"empty text"}  # every missing cell alike (a numpy NaN too)
