"""Rows of a batch run: which input rows are blank lines, and how scored rows are rounded for writing."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["BLANK_LINE_ERROR", "LIKELIHOOD_DECIMALS", "blank_rows", "for_output"]

#: Decimals of the likelihoods written to CSV and JSON Lines outputs.
LIKELIHOOD_DECIMALS = 6
#: The read error of a blank line (a CSV record of no field, or one blank field).
BLANK_LINE_ERROR = re.compile(r"malformed row: [01] fields?,")


def for_output(frame: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Round for writing: likelihoods to :data:`LIKELIHOOD_DECIMALS` decimals, ``fee_eur`` to whole euros.

    Parameters
    ----------
    frame : DataFrame
        A scored frame.
    names : dict
        Where each summary column is in ``frame`` (:func:`rumourscore._api.summary_names`).

    Returns
    -------
    DataFrame
        ``frame``, changed in place: ``fee_eur`` becomes a nullable integer column.
    """
    frame[names["likelihood"]] = frame[names["likelihood"]].astype(float).round(LIKELIHOOD_DECIMALS)
    frame[names["fee_eur"]] = frame[names["fee_eur"]].astype(float).round().astype("Int64")
    return frame


def blank_rows(frame: pd.DataFrame, errors: list[str | None]) -> np.ndarray:
    """Blank lines: rows whose every cell is missing or blank, read as such (not rows of data).

    A CSV reader reports a blank line as a row of 0 fields (1 for a line of spaces); a row it
    could not read at all (a malformed JSON line) is kept, with its error.
    """
    blank = np.array([e is None or BLANK_LINE_ERROR.match(e) is not None for e in errors], dtype=bool)
    for column in frame.columns:
        values = frame[column].tolist()
        blank &= np.array([v is None or v is pd.NA or (isinstance(v, float) and v != v)
                           or (isinstance(v, str) and not v.strip()) for v in values], dtype=bool)  # fmt: skip
    return blank
