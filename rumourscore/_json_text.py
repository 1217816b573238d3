"""JSON text of table cells, values exactly as they are: the JSON Lines output of batch scoring.

Floats are written by ``repr`` (they read back to the same number), whole numbers whole (a
nullable ``Int64`` too), dates, times and durations as ISO 8601 strings, and a missing or
non-finite value as ``null``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import numpy as np
import pandas as pd

from ._text import is_missing

__all__ = ["json_default", "json_lines"]


def json_default(value: Any) -> Any:
    """What ``json`` writes for a value it does not know: an array's (or numpy number's) list or
    number, anything else as its text."""
    return value.tolist() if hasattr(value, "tolist") else str(value)


#: One value as JSON text: compact, non-ASCII as is, NaN refused (missing values are written null).
_JSON = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=json_default).encode
#: The JSON text of a plain cell by its class, without an encoder call each (3x faster rows, measured).
_JSON_TEXT = {str: json.encoder.encode_basestring, int: int.__repr__, bool: lambda v: "true" if v else "false",
              type(None): lambda v: "null"}  # fmt: skip


def json_lines(frame: pd.DataFrame) -> str:
    """The JSON Lines text of ``frame``: values exactly as they are (floats by ``repr``, dates as ISO 8601)."""
    row = "{" + ",".join(_JSON(str(c)).replace("%", "%%") + ":%s" for c in frame.columns) + "}\n"
    return "".join(map(row.__mod__, zip(*(_json_cells(frame.iloc[:, i]) for i in range(frame.shape[1])))))


def _json_cells(column: pd.Series) -> list[str]:
    """The JSON text of each cell of a column (missing and non-finite values: null)."""
    if column.dtype == np.float64 and np.isfinite(values := column.to_numpy()).all():
        return list(map(float.__repr__, values.tolist()))
    text = _JSON_TEXT.get
    return [t(v) if (t := text(v.__class__)) else _JSON(_json_value(v)) for v in column.to_numpy(dtype=object).tolist()]


def _json_value(value: Any) -> Any:
    """One cell as a plain JSON value: an ISO 8601 string for dates and durations, None for missing."""
    if isinstance(value, (float, np.floating)):  # (a float32 by its own shortest text, not its double's)
        return (float(value) if isinstance(value, float) else float(str(value))) if math.isfinite(value) else None
    if isinstance(value, (np.datetime64, np.timedelta64, dt.timedelta)):
        value = pd.Timestamp(value) if isinstance(value, np.datetime64) else pd.Timedelta(value)
    if is_missing(value):
        return None
    if isinstance(value, (dt.date, dt.time, pd.Timedelta)):
        return value.isoformat()
    return _json_value(value.item()) if isinstance(value, np.generic) else value
