"""A subject's moves elsewhere, as the as-of walk of a feed (:mod:`rumourscore._feed_walk`) asks about them.

A claim loses odds when a report has its subject moving to another club, dated after the
claim's best report's day (a day's order is not known: the same day is not after) and on or
before the row's day.
:class:`Rivals` answers that for every day of a claim at once.
"""

from __future__ import annotations

import numpy as np

from ._pool import RIVAL_DONE_STAGE

__all__ = ["Rivals", "range_max"]


class Rivals:
    """Reports of one subject moving elsewhere (its non-denial reports with another destination).

    Parameters are arrays over those reports in date order: day, likelihood and stage.
    """

    def __init__(self, day: np.ndarray, likelihood: np.ndarray, stage: np.ndarray) -> None:
        self.day, self.likelihood = day, likelihood
        self.done = np.concatenate([[0], np.cumsum(stage >= RIVAL_DONE_STAGE)])

    def __len__(self) -> int:
        return len(self.day)

    def query(self, after_day: np.ndarray, upto_day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per query: the strongest rival likelihood (-1 if none) and whether a rival move is done,
        over the rivals dated after ``after_day`` and on or before ``upto_day``.

        Those rivals are a run ``[lo, hi)`` of the date-ordered reports, so the maximum is a
        range-maximum query on a sparse table.
        """
        lo = np.searchsorted(self.day, after_day, side="right")
        hi = np.searchsorted(self.day, upto_day, side="right")
        return range_max(self.likelihood, lo, hi), self.done[hi] > self.done[lo]


def range_max(values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """``values[lo[q]:hi[q]].max()`` for each query ``q`` (-1 for an empty range), by a sparse table."""
    length = hi - lo
    out = np.full(len(lo), -1.0)
    level = np.zeros(len(lo), dtype=np.int64)
    level[length > 0] = np.frexp(length[length > 0])[1] - 1  # the largest k with 2**k <= length, exactly
    table, k = values, 0
    while True:  # table[i] = max(values[i : i + 2**k])
        pick = (level == k) & (length > 0)
        if pick.any():
            out[pick] = np.maximum(table[lo[pick]], table[hi[pick] - 2**k])
        if 2 ** (k + 1) > length.max(initial=0):
            return out
        table = np.maximum(table[: -(2**k)], table[2**k :])
        k += 1
