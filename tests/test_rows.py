"""Row keys of batch scoring: plain text cells are their own key, missing values one key, objects an error."""

from __future__ import annotations

import gc

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rumourscore._rows import paused_gc, row_key, row_keys

CELLS = st.one_of(st.text(max_size=5), st.none(), st.just(float("nan")), st.just(pd.NA), st.integers(-3, 3),
                  st.just([1]), st.just({"a": 1}))  # fmt: skip


def _one_by_one(columns, names):
    """The rule cell by cell: a row with an unhashable cell gets an error and an empty key."""
    keys, errors = [], []
    for row in zip(*columns):
        try:
            keys.append(tuple(row_key(v) for v in row))
            errors.append(None)
        except TypeError:
            keys.append((None,) * len(columns))
            errors.append(next(n for n, v in zip(names, row) if isinstance(v, list | dict)))
    return keys, errors


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 6).flatmap(lambda n: st.tuples(*[st.lists(st.text(max_size=4), min_size=n, max_size=n)] * 2,
                                                      st.lists(CELLS, min_size=n, max_size=n))))  # fmt: skip
def test_row_keys_follow_the_cell_rule_on_plain_and_mixed_columns(columns):
    names = ("text", "source", "date")
    for cols in (columns[:2], columns):  # all text (the whole-column path), and with odd cells
        errors: list = [None] * len(cols[0])
        keys = row_keys(cols, names[: len(cols)], errors)
        expected, bad = _one_by_one(cols, names)
        assert len(keys) == len(expected)
        for got, want in zip(keys, expected):
            assert len(got) == len(want)
            assert all(g is w is None or (g is not None and g == w) for g, w in zip(got, want))
        assert [e is not None for e in errors] == [b is not None for b in bad]
        assert all(b in e for e, b in zip(errors, bad) if b)


def test_paused_gc_pauses_the_collector_and_restores_its_state():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(KeyError), paused_gc():  # restored after an error too
        raise KeyError("x")
    assert gc.isenabled()
    gc.disable()
    try:  # a collector the caller had turned off stays off
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_scoring_a_chunk_leaves_no_cyclic_garbage_for_the_paused_collector():
    """What makes the pause safe: scoring frees everything it allocates by reference counting."""
    import rumourscore as rs

    frame = pd.DataFrame({"text": ["Arsenal are in talks to sign Jan Vogel, 23, for £40m (Sun).",
                                   "Here we go! Medical booked, five-year contract.", "", None] * 50,
                          "source": ["Sky Sports", None, "Sun", "Mail"] * 50, "date": ["2024-07-01"] * 200})
    text = " ".join(frame["text"].dropna()[:8])
    rs.score_frame(frame), rs.claims(text)  # (first use builds the lexicons and caches)
    gc.collect()
    with paused_gc():
        rs.score_frame(frame), rs.claims(text)
        assert gc.collect() == 0
