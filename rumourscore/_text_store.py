"""Texts kept by slot for the as-of walk of a feed, in memory or spilled to a file.

A feed's walk compares each report's name-masked text with the earlier reports of its claim
(the copy check of :class:`rumourscore._text.CopyFinder`). A file of millions of distinct
rows would hold gigabytes of such texts in memory, so the streaming feed writes them to a
temporary file instead and reads each one back when its claim is walked; a feed held in
memory keeps them in a list. Either way a row holds one small integer (its slot), and a
slot has a content key (``hash`` of its text): equal texts have equal keys, whatever their
slots, so the exact-copy check never needs the text. Keys hold within one process (Python
salts string hashes per process), which is where a store lives; two different texts share a key
with odds of about 2**-64 per pair, and only texts of one claim are ever compared.

Recent texts are looked up before a new slot is made (a bounded table of
:data:`DEDUP_WINDOW` texts), so a feed that repeats its lines stores each line about once.
"""

from __future__ import annotations

import os
from array import array
from typing import IO, Any

import numpy as np

__all__ = ["DEDUP_WINDOW", "NO_SLOT", "TextStore"]

#: The slot of an empty text (it copies nothing and is never copied).
NO_SLOT = -1
#: Distinct recent texts looked up before a new slot is made; the table starts afresh when full.
DEDUP_WINDOW = 1 << 16
_MAX_SLOTS = 2**31 - 1  # slots are int32
#: ``os.pread`` where the system has it (not on Windows).
_PREAD = getattr(os, "pread", None)


class TextStore:
    """Texts by slot: each slot's content key, and its text from memory or from a spill file.

    Parameters
    ----------
    spill : binary file, optional
        A file open for reading and writing (``"w+b"``), owned by the caller, to hold the
        texts; without one they are kept in memory.
    """

    def __init__(self, spill: IO[bytes] | None = None) -> None:
        self._spill = spill
        self._fd = _descriptor(spill) if _PREAD is not None else None  # read by position when there is one
        self._recent: dict[str, int] = {}
        self._keys = array("q")  # hash of each slot's text
        self._offsets = array("q", [0])  # spilled: where each slot's UTF-8 bytes start (and the end)
        self._texts: list[str] = []  # in memory
        self._writing = False  # whether the spill file's position is at the end of its texts

    def __len__(self) -> int:
        return len(self._keys)

    def slots(self, values: list[Any]) -> np.ndarray:
        """The slot of each text (:data:`NO_SLOT` for an empty one or a non-``str``), storing new ones."""
        out = np.empty(len(values), dtype=np.int32)
        recent = self._recent
        for k, value in enumerate(values):
            if not isinstance(value, str) or not value:
                out[k] = NO_SLOT
                continue
            slot = recent.get(value)
            if slot is None:
                if len(recent) >= DEDUP_WINDOW:
                    recent.clear()
                slot = recent[value] = self._store(value)
            out[k] = slot
        return out

    def _store(self, text: str) -> int:
        slot = len(self._keys)
        if slot >= _MAX_SLOTS:  # pragma: no cover - two billion distinct texts
            raise OverflowError("a feed with more than 2**31 - 1 distinct texts")
        self._keys.append(hash(text))
        if self._spill is None:
            self._texts.append(text)
        else:
            data = text.encode("utf-8", "surrogatepass")
            if not self._writing:
                self._spill.seek(self._offsets[-1])
                self._writing = True
            self._spill.write(data)
            self._offsets.append(self._offsets[-1] + len(data))
        return slot

    def key(self, slot: int) -> int:
        """The content key of a slot's text: equal texts, equal keys."""
        return self._keys[slot]

    def flush(self) -> None:
        """Write out the texts the spill file's buffer still holds (before a fork shares the file)."""
        if self._spill is not None and self._writing:
            self._spill.flush()
            self._writing = False  # (the next text stored seeks to the end first)

    def text(self, slot: int) -> str:
        """The text of a slot."""
        if self._spill is None:
            return self._texts[slot]
        start, size = self._offsets[slot], self._offsets[slot + 1] - self._offsets[slot]
        if self._fd is not None:  # a positional read: the file's position, which a fork shares, stays
            self.flush()
            return _PREAD(self._fd, size, start).decode("utf-8", "surrogatepass")
        self._spill.seek(start)  # a buffered file writes what it holds before it moves
        self._writing = False
        return self._spill.read(size).decode("utf-8", "surrogatepass")


def _descriptor(spill: IO[bytes] | None) -> int | None:
    """The file descriptor of a spill file, or None (no file, or an in-memory one)."""
    try:
        return spill.fileno() if spill is not None else None
    except (AttributeError, OSError, ValueError):  # (io.UnsupportedOperation is an OSError and a ValueError)
        return None
