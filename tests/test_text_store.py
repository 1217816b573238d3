"""TextStore: texts by slot, in memory or spilled to a file, with content keys."""

from __future__ import annotations

import os

import numpy as np
import pytest

from rumourscore import _text_store
from rumourscore._text_store import NO_SLOT, TextStore

TEXTS = ["NAME have bid for NAME.", "", None, "NAME joins NAME on loan", "NAME have bid for NAME.",
         "é “quoted” \U0001f600", "lone surrogate \ud800 kept", float("nan")]  # fmt: skip


@pytest.fixture(params=["memory", "spilled"])
def store(request, tmp_path):
    if request.param == "memory":
        yield TextStore()
        return
    with open(tmp_path / "spill.bin", "w+b") as handle:
        yield TextStore(handle)


def test_slots_texts_and_keys(store):
    slots = store.slots(TEXTS)
    assert slots.dtype == np.int32 and len(slots) == len(TEXTS)
    assert [int(s) for s in slots[[1, 2, 7]]] == [NO_SLOT] * 3  # empty or not a str
    assert slots[0] == slots[4] and len(store) == 4  # a repeat keeps its slot
    for text, slot in zip(TEXTS, slots.tolist()):
        if slot != NO_SLOT:
            assert store.text(slot) == text
    assert store.key(slots[0]) != store.key(slots[3])


def test_reads_and_writes_interleave(store):
    first = store.slots(["one text", "two texts"])
    assert store.text(int(first[1])) == "two texts"
    more = store.slots(["three", "four"])  # written after a read moved the file's position
    assert [store.text(int(s)) for s in [*first, *more]] == ["one text", "two texts", "three", "four"]


def test_a_full_window_starts_afresh_and_equal_texts_keep_equal_keys(store, monkeypatch):
    monkeypatch.setattr(_text_store, "DEDUP_WINDOW", 2)
    slots = store.slots(["a", "b", "c", "a"]).tolist()
    assert len(set(slots)) == 4  # "a" fell out of the window: a new slot
    assert store.key(slots[0]) == store.key(slots[3]) and store.text(slots[3]) == "a"


@pytest.mark.skipif(not hasattr(os, "pread"), reason="positional reads need os.pread (not on Windows)")
def test_spilled_reads_leave_the_files_position_alone(tmp_path):
    """A spilled text is read by position: a fork sharing the file (the feed's split walk) moves nothing."""
    import io

    with open(tmp_path / "spill.bin", "w+b") as handle:
        store = TextStore(handle)
        slots = store.slots(["one text", "two texts"])
        handle.flush()
        where = os.lseek(handle.fileno(), 0, os.SEEK_CUR)
        assert store.text(int(slots[0])) == "one text"
        assert os.lseek(handle.fileno(), 0, os.SEEK_CUR) == where
        assert store.text(int(store.slots(["three"])[0])) == "three"  # written after, read back at once
    memory_file = TextStore(io.BytesIO())  # no descriptor: read by seeking
    assert memory_file.text(int(memory_file.slots(["four"])[0])) == "four"


def test_flush_writes_out_the_buffered_texts(tmp_path):
    with open(tmp_path / "spill.bin", "w+b") as handle:
        store = TextStore(handle)
        store.slots(["kept in the buffer", "so far"])
        assert (tmp_path / "spill.bin").read_bytes() == b""  # still buffered
        store.flush()
        assert (tmp_path / "spill.bin").read_bytes() == b"kept in the bufferso far"
        assert store.text(int(store.slots(["after"])[0])) == "after"  # storing goes on at the end
