"""Rows of a batch run: blank lines, de-duplication keys and cache, and how scored rows are rounded for writing."""

from __future__ import annotations

import difflib
import gc
import re
import signal
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd

from ._tables import BatchError
from ._text import is_blank, is_missing

__all__ = ["BLANK_LINE_ERROR", "LIKELIHOOD_DECIMALS", "DedupCache", "Key", "blank_rows", "check_columns", "for_output",
           "hashable", "paused_gc", "repeated_names", "row_key", "row_keys", "sigterm_interrupts"]  # fmt: skip

#: A row's de-duplication key: (text, source, date).
Key = tuple[Any, Any, Any]

#: Most distinct (text, source, date) results remembered across chunks for de-duplication.
DEDUP_CACHE_SIZE = 200_000
#: The cache judges itself on the first this many rows: if fewer than DEDUP_MIN_HIT_RATE of
#: them were found in it (a file of distinct rows), it is emptied and switched off for the run
#: (rows repeated inside a chunk are still scored once).
DEDUP_PROBE_ROWS = 100_000
DEDUP_MIN_HIT_RATE = 0.01

#: Decimals of the likelihoods written to CSV and JSON Lines outputs.
LIKELIHOOD_DECIMALS = 6
#: The read error of a blank line (a CSV record of no field, or one blank field).
BLANK_LINE_ERROR = re.compile(r"malformed row: [01] fields?,")


def for_output(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Round for writing: likelihoods to :data:`LIKELIHOOD_DECIMALS` decimals, ``fee_eur`` to whole euros.

    Parameters
    ----------
    frame : DataFrame
        A scored frame, or a claims table (:func:`rumourscore.aggregate`).
    names : dict
        Where each of its columns to round is in ``frame`` (:func:`rumourscore._api.summary_names`):
        ``likelihood`` (and a feed's ``claim_likelihood``, a claims table's ``max_likelihood`` and
        ``mean_likelihood``, where present) and ``fee_eur``.

    Returns
    -------
    DataFrame
        ``frame``, changed in place: ``fee_eur`` becomes a nullable integer column.
    """
    for column in ("likelihood", "claim_likelihood", "max_likelihood", "mean_likelihood"):
        if column in names and names[column] in frame.columns:
            frame[names[column]] = frame[names[column]].astype(float).round(LIKELIHOOD_DECIMALS)
    if "fee_eur" in names:
        frame[names["fee_eur"]] = frame[names["fee_eur"]].astype(float).round().astype("Int64")
    return frame


def blank_rows(frame: pd.DataFrame, errors: list[str | None]) -> np.ndarray:
    """Blank physical lines: not rows of data (as in pandas), skipped and counted.

    The CSV reader reports a blank line as a record of 0 fields (1 blank field for a line of
    spaces). A line of delimiters ("\t") is a row of empty cells, kept (and failed as empty
    text); a row that could not be read at all (a malformed JSON line) is kept, with its error.
    """
    blank = np.array([e is not None and BLANK_LINE_ERROR.match(e) is not None for e in errors], dtype=bool)
    if blank.any():  # the blank line's cells must be blank too (a one-column file's line of text is data)
        for column in frame.columns:
            values = frame[column].tolist()
            blank &= np.array([is_blank(v) for v in values], dtype=bool)
    return blank


def row_key(value: Any) -> Any:
    """A cell as part of a de-duplication key: any missing value (None, NaN, NA, NaT) is None.

    Raises
    ------
    TypeError
        If the cell is a list, an object or an array (JSON Lines, Parquet): it cannot be scored.
    """
    if is_missing(value):
        return None
    hash(value)
    return value


#: Cell types that are their own de-duplication key (a missing name column is all None).
_PLAIN = frozenset({str, type(None)})


def row_keys(columns: tuple[list[Any], ...], names: tuple[str, ...], errors: list[str | None]) -> list[Key]:
    """The (text, source, date) key of each row; a row with a list or object in them gets an error instead."""
    if all(set(map(type, column)) <= _PLAIN for column in columns):  # every cell text or None: its own key
        return list(zip(*columns))
    keys: list[Key] = []
    for i, row in enumerate(zip(*columns)):
        try:
            if all(v.__class__ is str or v is None for v in row):  # the usual row: its cells are their own key
                keys.append(row)
            else:
                keys.append(tuple(row_key(v) for v in row))  # type: ignore[arg-type]
        except TypeError:
            bad = next(name for name, v in zip(names, row) if not hashable(v))
            errors[i] = errors[i] or f"not a plain value: column {bad!r} holds a list or an object"
            keys.append((None,) * len(columns))
    return keys


def hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def repeated_names(columns: Iterable[Any]) -> list[Any]:
    """The column names that stand more than once, sorted (as text)."""
    return sorted((name for name, n in Counter(columns).items() if n > 1), key=str)


def check_columns(columns: list[str], text_col: str, id_col: str | None) -> None:
    duplicates = repeated_names(columns)
    if duplicates:
        raise BatchError(f"duplicate column names in the header: {duplicates}; rename them")
    if text_col not in columns:
        close = difflib.get_close_matches(text_col, columns, n=1, cutoff=0.5)
        hint = f"; did you mean {close[0]!r} (--text-col {close[0]})?" if close else ""
        raise BatchError(f"text column {text_col!r} not found; columns found: {columns}{hint}")
    if id_col and id_col not in columns:
        raise BatchError(f"id column {id_col!r} not found; columns found: {columns}")


# ------------------------------------------------------------------------------ processes
@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block, then restore its state.

    Scoring a chunk allocates many short-lived containers and frees every one of them by
    reference counting (on 20,000 distinct real lines the collector finds no garbage), so its
    young-generation passes are pure cost: about 1.6 % of the instructions per scored row. The
    batch, feed and Dask workers score each piece of work inside this block. (Where threads of
    one process overlap in it, the collector is on again once the first that paused it is done.)
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


# ------------------------------------------------------------------------------ signals
def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """Turn SIGTERM into KeyboardInterrupt for the block (main thread only), so outputs are cleaned up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class DedupCache(OrderedDict):
    """Values by key across chunks (oldest forgotten first); off for good once keys prove distinct.

    The batch keeps scored rows in one; a feed worker keeps its lines' feed values in another.
    ``size`` is the most entries it holds.
    """

    def __init__(self, size: int = DEDUP_CACHE_SIZE) -> None:
        super().__init__()
        self.size = size
        self.on = True
        self.probed = self.hits = 0  # rows seen, and rows found cached or on their way, while probing

    def probe(self, rows: int, hits: int) -> None:
        """Count a chunk of ``rows`` rows of which ``hits`` were found; switch off if too few were."""
        if self.on and self.probed < DEDUP_PROBE_ROWS:
            self.probed += rows
            self.hits += hits
            if self.probed >= DEDUP_PROBE_ROWS and self.hits < DEDUP_MIN_HIT_RATE * self.probed:
                self.on = False
                self.clear()

    def store(self, key: Key, row: tuple) -> None:
        """Remember a scored row (while on)."""
        if self.on:
            self[key] = row
            if len(self) > self.size:
                self.popitem(last=False)
