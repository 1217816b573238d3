"""Each row of a feed reduced to what the as-of walk needs, from its report (tagged once).

:func:`row_states` turns a block of rows (their texts, sources, dates, given subjects and
destinations, and their reports) into plain per-row values: the claim (from the columns, or
the claim extractor where one is missing), deal stage, denial flag, source and masked text,
and a content key (:func:`content_key`: a small hash of the last two, made here, where the
row is scored, so the walk never reads a text to order a day's reports).
:class:`FeedBuilder` collects such blocks, one after another, into the compact
:class:`~rumourscore._feed_walk.FeedArrays` (each distinct name kept once).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
import pandas as pd

from ._claims.extraction import claim_day_key
from ._claims.vocabulary import fold
from ._feed_walk import NO_DAY, FeedArrays
from ._lexicons import sources
from ._pool import Feed, is_denial_row, report_source, row_claim_columns, stage_columns
from ._report import Report
from ._rows import DedupCache
from ._scope import past_year_rank
from ._text import MAX_TEXT_CHARS, check_text, masked_key, parse_date
from ._text_store import TextStore

__all__ = ["STATE_COLUMNS", "FeedBuilder", "RowStates", "row_states", "subject_shards"]

#: The per-row values :func:`row_states` gives, as columns (with their dtypes).
STATE_COLUMNS = {"feed_day": "int64", "feed_subject": object, "feed_to_club": object, "feed_stage": "float64",
                 "feed_denial": "bool", "feed_source": object, "feed_masked": object,
                 "feed_content": "uint32"}  # fmt: skip
#: Bytes of a row's content key (:func:`content_key`): a uint32, the same in every process and run (it
#: only orders reports of one claim and day alike in every other value; 4 bytes keep a 5M-row feed small).
CONTENT_KEY_BYTES = 4


@dataclass
class RowStates:
    """Per-row values of a block of rows (lists of the same length), keyed as :data:`STATE_COLUMNS`."""

    columns: dict[str, list[Any]]

    def frame(self) -> pd.DataFrame:
        """The values as a DataFrame of :data:`STATE_COLUMNS`."""
        return pd.DataFrame({c: pd.Series(v, dtype=STATE_COLUMNS[c]) for c, v in self.columns.items()})


def row_states(texts: list[Any], srcs: list[Any], dates: list[Any], subjects: list[Any], to_clubs: list[Any],
               reports: dict[int, Report], *, monthfirst: bool = False, cache: DedupCache | None = None
               ) -> RowStates:  # fmt: skip
    """The per-row values of a block of rows.

    Rows that repeat a line (the same text, source and names, whatever their dates: a feed
    repeats its lines a lot) are worked out once; only their days differ. With a ``cache``
    (a worker's, kept across its blocks) a line worked out in an earlier block is taken from it.

    Parameters
    ----------
    texts, srcs, dates, subjects, to_clubs : list
        The rows' cells (any values; missing ones are None or NaN).
    reports : dict
        Row -> its report, for every row that was scored (a row without one is not scored).
    monthfirst : bool, default=False
        Read an ambiguous date of an unscored row month first (a report has its date already).
    cache : DedupCache, optional
        Line values by line key, from earlier blocks; this block's new lines are stored in it.

    Returns
    -------
    RowStates
    """
    n = len(texts)
    days = []
    for i in range(n):
        day = reports[i].date if i in reports else parse_date(dates[i], monthfirst=monthfirst)
        days.append(NO_DAY if day is None else day.toordinal())
    line_of: dict[tuple[Any, ...], int] = {}  # a distinct line's key -> its number
    lines: list[int] = []  # the first row of each line
    row_lines = []
    for i in range(n):
        line = line_of.setdefault(_line_key(i, texts, srcs, dates, subjects, to_clubs, reports), len(line_of))
        if line == len(lines):
            lines.append(i)
        row_lines.append(line)
    keys = list(line_of)
    known = {k: cache[key] for k, key in enumerate(keys) if key in cache} if cache is not None and cache.on else {}
    todo = [k for k in range(len(lines)) if k not in known]
    cells = (texts, srcs, dates, subjects, to_clubs)
    found = _line_states(*([c[lines[k]] for k in todo] for c in cells),
                         {j: reports[lines[k]] for j, k in enumerate(todo) if lines[k] in reports})  # fmt: skip
    line_values = dict(zip(todo, zip(*found.values()))) if todo else {}
    line_values.update(known)
    if cache is not None:
        cache.probe(len(lines), len(known))
        for k in todo:
            if len(keys[k]) > 1:  # a row's own key ("(i,)") means nothing outside its block
                cache.store(keys[k], line_values[k])
    out: dict[str, list[Any]] = {"feed_day": days}
    for column, name in enumerate(found):
        out[name] = [line_values[line][column] for line in row_lines]
    for i in range(n):  # a row without a usable day is not pooled
        if days[i] == NO_DAY:
            out["feed_source"][i] = out["feed_masked"][i] = ""
    return RowStates({c: out[c] for c in STATE_COLUMNS})


def _line_key(i: int, texts: list[Any], srcs: list[Any], dates: list[Any], subjects: list[Any],
              to_clubs: list[Any], reports: dict[int, Report]) -> tuple[Any, ...]:  # fmt: skip
    """What a row's values (its day aside) depend on; the row itself when a cell is not plain.

    The date counts only where a claim is extracted from the text (a name column missing), and
    then only its year (:func:`~rumourscore._claims.extraction.claim_day_key`); and, for the deal
    stages a clause set in the past or beyond the window takes away, through how many of the text's
    years lie before it and how many two or more years after it (:func:`~rumourscore._scope.past_year_rank`).
    """
    cells = (texts[i], srcs[i], subject := subjects[i], to_club := to_clubs[i])
    for cell in cells:  # (a loop, not all(): this runs for every row of a feed)
        if cell is not None and not isinstance(cell, (str, float)):
            return (i,)
    named = isinstance(subject, str) and isinstance(to_club, str) and subject.strip() and to_club.strip()
    report = reports.get(i)
    dated = report is not None and report.date is not None
    past = past_year_rank(report.text, report.date.year) if dated else (0, 0)
    return (*cells, report is not None, None if named else claim_day_key(dates[i]), past)


def _line_states(texts: list[Any], srcs: list[Any], dates: list[Any], subjects: list[Any], to_clubs: list[Any],
                 reports: dict[int, Report]) -> dict[str, list[Any]]:  # fmt: skip
    """:func:`row_states`' values but the day, of distinct lines; source and masked text as if dated."""
    n = len(texts)
    col: dict[str, list[Any]] = {
        "subject": subjects, "to_club": to_clubs, "from_club": [None] * n, "date": dates, "source": srcs,
        "likelihood": [None] * n, "max_stage": [None] * n, "denials": [None] * n,
        "text": [reports[i].text if i in reports else None for i in range(n)],
        "best_source": [reports[i].source if i in reports else None for i in range(n)],
        "source_tier": [sources()[reports[i].source].tier if i in reports and reports[i].source else None
                        for i in range(n)],
    }  # fmt: skip
    tags = {i: reports[i].tags if i in reports else () for i in range(n)}
    feed = Feed(n, col, np.full(n, np.nan), pd.Series([None] * n, dtype=object), tags, {})
    claim_subjects, claim_clubs, _ = row_claim_columns(feed)
    stages, denials = stage_columns(feed)
    poolable = [i in reports and claim_subjects[i] is not None and claim_clubs[i] is not None for i in range(n)]
    out: dict[str, list[Any]] = {
        "feed_subject": claim_subjects, "feed_to_club": claim_clubs, "feed_stage": stages,
        "feed_denial": [bool(is_denial_row(d, s)) for d, s in zip(denials, stages)],
        "feed_source": [report_source(feed, i)[0] if poolable[i] else "" for i in range(n)],
        "feed_masked": [masked_key(col["text"][i]) if poolable[i] else "" for i in range(n)],
    }  # fmt: skip
    out["feed_content"] = [content_key(s, m) for s, m in zip(out["feed_source"], out["feed_masked"])]
    return out


def content_key(source: str, masked: str) -> int:
    """A report's content key: a hash of its source and masked text, the same in every process and run.

    The walk puts a day's reports of a claim in an order of their own values; reports alike in
    every other value are ordered by this key (Python's ``hash`` of a string changes per process).
    """
    digest = hashlib.blake2b(f"{source}\0{masked}".encode("utf-8", "surrogatepass"), digest_size=CONTENT_KEY_BYTES)
    return int.from_bytes(digest.digest(), "little")


def subject_shards(texts: list[Any], dates: list[Any], subjects: list[Any], to_clubs: list[Any]) -> list[str]:
    """Each row's shard: the last word of its folded subject (as :func:`row_states` finds it), or "".

    Every report a claim's as-of values depend on (the same subject, its bare surname, the
    subject's moves elsewhere) has the same shard, so a feed split by shard can be scored
    shard by shard.
    """
    n = len(texts)
    text = [t[:MAX_TEXT_CHARS] if check_text(t) is None else None for t in texts]
    col = {"subject": subjects, "to_club": to_clubs, "from_club": [None] * n, "date": dates, "text": text}
    feed = Feed(n, col, np.full(n, np.nan), pd.Series([None] * n, dtype=object), {}, {})
    claim_subjects, _, _ = row_claim_columns(feed)
    keys = [fold(s).split(" ") if s else [""] for s in claim_subjects]
    return [k[-1] for k in keys]


class _Names:
    """Distinct strings, each kept once, by index."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.names: list[str] = []

    def ids(self, values: list[Any]) -> np.ndarray:
        """Each value's index (-1 for a value that is no string); a block's distinct values looked up once."""
        codes, uniques = pd.factorize(np.asarray(values, dtype=object))  # None and NaN: code -1
        table = np.full(len(uniques) + 1, -1, dtype=np.int32)  # the last entry answers code -1
        for k, value in enumerate(uniques):
            if isinstance(value, str):
                i = self.index.get(value)
                if i is None:
                    i = self.index[value] = len(self.names)
                    self.names.append(value)
                table[k] = i
        return table[codes]


class FeedBuilder:
    """Collects blocks of rows (in input order) into :class:`FeedArrays`.

    Parameters
    ----------
    spill : binary file, optional
        Where the rows' masked texts go (see :class:`~rumourscore._text_store.TextStore`);
        without one they stay in memory.
    """

    def __init__(self, spill: IO[bytes] | None = None) -> None:
        names = ("likelihood", "day", "subject", "to_club", "stage", "denial", "source", "masked", "content")
        self.parts: dict[str, list[np.ndarray]] = {name: [] for name in names}
        self.subjects, self.clubs, self.sources = _Names(), _Names(), _Names()
        self.texts = TextStore(spill)

    def add(self, likelihood: np.ndarray, states: pd.DataFrame | RowStates) -> None:
        """Append a block: the rows' line likelihoods (NaN: not scored) and their states."""
        cols = states.columns if isinstance(states, RowStates) else {c: states[c].tolist() for c in STATE_COLUMNS}
        parts = self.parts
        parts["likelihood"].append(np.array(likelihood, dtype=np.float64))  # a copy: the caller may change its own
        parts["day"].append(np.asarray(cols["feed_day"], dtype=np.int64))
        parts["subject"].append(self.subjects.ids(cols["feed_subject"]))
        parts["to_club"].append(self.clubs.ids(cols["feed_to_club"]))
        parts["stage"].append(np.asarray(cols["feed_stage"], dtype=np.float64))
        parts["denial"].append(np.asarray(cols["feed_denial"], dtype=bool))
        parts["source"].append(self.sources.ids(cols["feed_source"]))
        parts["masked"].append(self.texts.slots(cols["feed_masked"]))
        parts["content"].append(np.asarray(cols["feed_content"], dtype=np.uint32))

    def arrays(self, center: float = 0.0) -> FeedArrays:
        """The rows added so far."""
        empty = {"likelihood": np.float64, "day": np.int64, "stage": np.float64, "denial": bool, "content": np.uint32}
        cols = {}
        for name, pieces in self.parts.items():  # one column at a time: its pieces go as it is joined
            cols[name] = np.concatenate(pieces) if pieces else np.empty(0, dtype=empty.get(name, np.int32))
            self.parts[name] = [cols[name]]
        return FeedArrays(**cols, subjects=self.subjects.names, clubs=self.clubs.names, sources=self.sources.names,
                          texts=self.texts, center=center)  # fmt: skip
