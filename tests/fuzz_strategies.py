"""Hypothesis strategies for the fuzzing campaign (``tests/test_fuzz.py``).

Texts are built from pieces of transfer-gossip wording written for this file (cue words,
fees, outlets, deal stages, ages, dates) mixed with hostile characters: look-alikes whose
case mapping changes length (``İ``, ``ß``, ``ſ``, ``ﬁ``), combining marks, bidirectional
controls, NUL, bare carriage returns, Unicode line separators, astral characters, emoji,
spreadsheet-formula leads and very long tokens. Nothing here is a claim about a real
transfer: the pieces are shuffled at random.
"""

from __future__ import annotations

import math

from hypothesis import strategies as st

#: Pieces of rumour wording (this project's own phrasing).
PHRASES = (
    "Arsenal are keeping tabs on", "here we go", "Here we go!", "£50m", "€80m", "$12.5m", "£47.5m", "£200k a week",
    "according to Marca", "according to", "per Sky Sports", "(Sun)", "as per Eurosport", "reports The Athletic",
    "medical booked", "medical booked for tomorrow", "release clause of €80m", "on loan with an option to buy",
    "personal terms agreed", "a bid has been rejected", "have denied any interest", "is not for sale",
    "could make a move for", "are monitoring", "close to a deal", "fee agreed", "contract until 2029",
    "a five-year contract", "Jonathan David, 24,", "the 31-year-old", "aged 19", "on 14 November 2024",
    "2024-11-20", "20/11/2024", "Nov 20, 2024", "Real Madrid", "Bayer Leverkusen", "Man Utd", "the Gunners",
    "Chelsea", "Napoli", "Xabi Alonso", "Fabrizio Romano", "Daily Star", "L'Equipe", "@FabrizioRomano",
    "dailymail.co.uk", "the German champions", "will leave", "has joined", "has been appointed", "official",
    "set to", "is expected to", "wants", "interest from", "a move to", "Mr. Smith", "St. Pauli", "A. Smith",
    "said:", '"He wants to go,"', "though", ", but", "; ", "who", "previously", "in 2019", "date 2024-11-14\n",
)  # fmt: skip

#: Hostile characters and short hostile strings.
HOSTILE = (
    "ſ", "İ", "ı", "ß", "ẞ", "ﬁ", "ǅ", "K", "Ω", "e\u0301", "\u0301", "\u0308\u0308\u0308", "\u200f", "\u200e",
    "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "\x00", "\r", "\r\n", "\n", "\n\n", "\t", "\x0b", "\x0c",
    "\x85", "\u2028", "\u2029", "\u00a0", "\u3000", "😀", "👍🏽", "🇬🇧", "👨\u200d👩\u200d👧", "𝐀𝐫𝐬𝐞𝐧𝐚𝐥",
    "\U0010fffd", "\U0001f600" * 3, "Ａｒｓｅｎａｌ", "٣٤", "²", "½", "¥", "₹", "£", "€", "$", "=1+1",
    "=HYPERLINK(\"x\")",
    "+44", "-3", "-", "@", '"', '""', "'", ",", ";", "|", "\\", "<zz>", "</textarea>", "&amp;", "(", "[", "{",
    "...", ".", "!?", "…", "\u2019", "\u201c", "\u00bf", "\ud7ff",
)  # fmt: skip

#: Date cells: readable dates, odd forms and junk (score/explain may raise ValueError for junk).
DATES = (
    None, "2024-11-20", "20/11/2024", "05/06/2024", "Nov 20, 2024", "2023", "2024-02", "2024-02-30", "31/31/2024",
    "yesterday", "", " ", "0000-00-00", "9999-12-31", "2024-11-20T10:00:00", "20\u200f24-11-20", "２０２４-１１-２０",
)  # fmt: skip

#: Text that never appears in the HTML template: if it shows up raw, the input was not escaped.
RAW_MARKER = "<zz>"

long_token = st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "9", "ß", "İ", "😀", ".", "£"]),
                       st.integers(50, 3000))  # fmt: skip
piece = st.one_of(
    st.sampled_from(PHRASES),
    st.sampled_from(HOSTILE),
    st.text(max_size=8),
    long_token,
)
separator = st.sampled_from([" ", " ", " ", "", ", ", ". ", "\n", "\r\n", "\r", "\t", "\u2028", " \u200f"])


@st.composite
def texts(draw: st.DrawFn, max_pieces: int = 20) -> str:
    """A rumour-like text: phrases and hostile pieces joined by drawn separators."""
    parts = draw(st.lists(piece, max_size=max_pieces))
    out = ""
    for p in parts:
        out += p + draw(separator)
    return out


#: Strings for a ``source=`` argument or cell: outlets, junk and long repeats.
sources = st.one_of(
    st.none(),
    st.sampled_from(["Mail", "Sky Sports", "Fabrizio Romano", "@FabrizioRomano", "dailymail.co.uk", "the Sun",
                     "a." * 40, "According to Marca", "sky sports\u200f", "MAİL", "ſky"]),
    texts(max_pieces=4),
)  # fmt: skip
dates = st.one_of(st.sampled_from(DATES), st.text(max_size=12))


def odd_cells() -> st.SearchStrategy:
    """Values a DataFrame cell may hold besides text: missing values and other types."""
    import pandas as pd

    return st.sampled_from([None, math.nan, pd.NA, 0, 7, -1.5, True, b"bytes"])


def frame_cells() -> st.SearchStrategy:
    """A text cell of a DataFrame: mostly text, sometimes missing or not text at all."""
    return st.one_of(texts(), texts(), odd_cells())


def table_text() -> st.SearchStrategy:
    """A text cell of a file (CSV/TSV/JSON Lines/Parquet): any text, including empty."""
    return texts(max_pieces=12)
