"""Feeds scored claim by claim, as of each row's date.

:func:`score_feed` scores every line of a feed alone (as :func:`rumourscore.score_frame`
does) and, for every row, the claim it is about *as known on that row's date*: only the
reports of the same (subject, destination) claim dated on or before that day count, the
same day's included. Each text is tagged once (one :func:`make_report` per row); the tags
serve the model, the claim extractor, the deal stage, the denials and the cited outlets.

Each row is reduced to a few numbers (:mod:`rumourscore._feed_rows`) and the as-of walk
(:mod:`rumourscore._feed_walk`) runs on those arrays: the same code scores a DataFrame here
and a file streamed in chunks by ``rumourscore score --feed``.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from ._api import SUMMARY_COLUMNS, SUMMARY_DTYPES, check_frame, model_or_default, score_columns, summary_names
from ._claims.scoring import logit
from ._feed_rows import FeedBuilder, row_states
from ._feed_walk import NOTES, FeedArrays, FeedRule, as_of
from ._model import DEFAULT_BASE_RATE, RumourModel, check_base_rate

__all__ = ["FEED_COLUMNS", "FEED_RULE", "FeedRule", "claim_columns", "feed_names", "score_feed"]

#: Columns :func:`score_feed` adds to its input, in order.
FEED_COLUMNS = ("likelihood", "claim_subject", "claim_to_club", "claim_likelihood", "claim_n_reports",
                "claim_n_sources", "claim_first_date", "claim_latest_stage", "claim_note")  # fmt: skip


#: The rule :func:`score_feed` uses, chosen by measurement (``benchmarks/feed_fit.py``). The line
#: likelihoods of ``data/reports.csv`` were scored out of fold (5 models, each trained on the other
#: subjects' reports, at the corpus's own base rate) and every report's as-of claim likelihood was
#: computed with candidate rules. All parameters were chosen together by a coordinate search (3
#: passes over the grid ``feed_fit.GRID``) for the lowest log loss on the 1,367 reports dated
#: before 2022; the 1,852 reports from 2022 on were only used to check. A denial, a rival move and
#: an escalation must move the claim the documented way, so their grids left out the neutral
#: value; the corpus chose the mildest denial and rival factors (0.9). Terms tried and dropped
#: (weight 0 chosen): a bonus per extra source whatever its score, a penalty per other club the
#: subject is linked with; an offset only for claims of two or more reports made a confirming
#: source lower the claim and was dropped for the offset on every claim.
#: The corpus prefers short memory: with the other parameters fixed, log loss falls steadily as the
#: half-life shortens (365 -> 7 days: 0.5521 -> 0.5458 before 2022, 0.5391 -> 0.5325 from 2022 on;
#: still a little lower at 1-3 days). The grid stops at 7 days by design: pooling is meant to carry
#: a claim's evidence across the weeks of a window, not only the same day's reports.
#: Check, reports from 2022 on (line alone -> claim): ROC-AUC 0.785 -> 0.790, Brier 0.1773 ->
#: 0.1780, log loss 0.5320 -> 0.5327; SAG sagas from 2022 on: ROC-AUC 0.761 -> 0.761, Brier
#: 0.1965 -> 0.2001. Fit period: ROC-AUC 0.752 -> 0.765, Brier 0.1863 -> 0.1833.
FEED_RULE = FeedRule(
    half_life_days=7.0,  # grid 7 ... 730 and never: old evidence fades fast (see above)
    extra_weight=0.25,  # grid 0 ... 1.5
    extra_decay=0.9,  # grid 0.3 ... 0.9
    max_gain=1.5,  # grid 0.5 ... 2.5 (hardly binding)
    denial=math.log(0.9),  # odds x0.9 per later denying source (grid x0.9 ... x0.25)
    rival=math.log(0.9),  # odds x0.9 (grid x0.9 ... x0.25)
    rival_done=math.log(0.1),  # odds x0.1 when the move elsewhere is done (grid x0.9 ... x0.1)
    escalation=0.2,  # grid 0.05 ... 0.6
    max_escalations=5,  # grid 1 ... 5
    shrink=1.1,  # grid 0.7 ... 1.3
    offset=-0.1,  # grid -0.6 ... 0.1
    max_share=0.5,  # grid 0 ... 1: half the strongest source, half the mean over sources
)


# --------------------------------------------------------------------------- preparation
def _column(df: pd.DataFrame, name: str | None) -> list[Any]:
    return df[name].tolist() if name is not None and name in df.columns else [None] * len(df)


def _prepare(df: pd.DataFrame, cols: dict[str, str], model: RumourModel, base_rate: float | None) -> FeedArrays:
    """Tag every row once, score it, and reduce it to the arrays of the as-of walk."""
    return _prepare_with_summary(df, cols, model, base_rate)[0]


def _prepare_with_summary(df: pd.DataFrame, cols: dict[str, str], model: RumourModel, base_rate: float | None
                          ) -> tuple[FeedArrays, dict[str, list[Any]]]:  # fmt: skip
    """The arrays of the as-of walk and the summary columns of :func:`rumourscore.score_frame`."""
    texts, src, dates = _column(df, cols["text"]), _column(df, cols["source"]), _column(df, cols["date"])
    likelihood, summary, reports = score_columns(texts, src, dates, model, base_rate=base_rate)
    states = row_states(texts, src, dates, _column(df, cols["subject"]), _column(df, cols["to_club"]), reports)
    builder = FeedBuilder()
    builder.add(likelihood, states)
    return builder.arrays(), summary


def _as_of(prep: FeedArrays, rule: FeedRule) -> dict[str, np.ndarray]:
    """The claim columns of every row, as of its date (see :func:`rumourscore._feed_walk.as_of`)."""
    return as_of(prep, rule)


def claim_columns(prep: FeedArrays, claim: dict[str, np.ndarray], rows: slice | None = None, *, iso_dates: bool = False
                  ) -> dict[str, pd.Series]:  # fmt: skip
    """The claim columns of rows ``rows`` (all by default) as Series of their output dtypes, in order.

    Parameters
    ----------
    prep : FeedArrays
        The feed's arrays (the claim's names come from them).
    claim : dict
        The result of :func:`rumourscore._feed_walk.as_of` on ``prep``.
    rows : slice, optional
        A block of consecutive rows.
    iso_dates : bool, default=False
        ``claim_first_date`` as ISO text ("2024-07-15") instead of ``datetime.date``.

    Returns
    -------
    dict
        ``FEED_COLUMNS[1:]`` -> Series (index 0, 1, ...).
    """
    rows = rows if rows is not None else slice(0, prep.n)

    def named(ids: np.ndarray, names: list[str]) -> pd.Series:
        table = np.asarray([*names, None], dtype=object)  # -1 -> None
        return pd.Series(table[ids], dtype=object)

    n_reports, n_sources = claim["claim_n_reports"][rows], claim["claim_n_sources"][rows]
    days, day_of = np.unique(claim["claim_first_day"][rows], return_inverse=True)  # each distinct day made once
    dates = [dt.date.fromordinal(d) if d >= 0 else None for d in days.tolist()]
    dates = [d.isoformat() if d is not None else None for d in dates] if iso_dates else dates
    return {
        "claim_subject": named(prep.subject[rows], prep.subjects),
        "claim_to_club": named(prep.to_club[rows], prep.clubs),
        "claim_likelihood": pd.Series(claim["claim_likelihood"][rows], dtype="float64"),
        "claim_n_reports": _counts(n_reports),
        "claim_n_sources": _counts(n_sources),
        "claim_first_date": pd.Series(np.asarray(dates, dtype=object)[day_of], dtype=object),
        "claim_latest_stage": pd.Series(claim["claim_latest_stage"][rows], dtype="float64"),
        "claim_note": named(claim["claim_note"][rows].astype(np.int64), list(NOTES)),
    }  # fmt: skip


# --------------------------------------------------------------------------- the public function
def score_feed(df: pd.DataFrame, *, text_col: str = "text", source_col: str = "source", date_col: str = "date",
               subject_col: str = "subject", to_club_col: str = "to_club",
               base_rate: float | None = DEFAULT_BASE_RATE,
               model: RumourModel | None = None, summary: bool = False) -> pd.DataFrame:  # fmt: skip
    """Score every line of a feed alone and as part of its claim, as of the line's date.

    Parameters
    ----------
    df : DataFrame
        One report per row; must hold ``text_col``. ``source_col``, ``date_col``,
        ``subject_col`` and ``to_club_col`` are optional: where the subject or destination
        is missing or empty, the row's main claim comes from the claim extractor
        (:func:`rumourscore._claims.extraction.primary_claim`). The rows need not be sorted.
    text_col, source_col, date_col, subject_col, to_club_col : str
        Column names.
    base_rate : float or None, default=DEFAULT_BASE_RATE (0.30)
        As in :func:`rumourscore.score_frame`: the share of rumours that come true in the feed;
        None keeps the training corpus's own rate. Pooling measures evidence from it.
    model : RumourModel, optional
        Defaults to the shipped model.
    summary : bool, default=False
        Also add the summary columns of :func:`rumourscore.score_frame` (``best_source`` ...
        ``note``) after ``likelihood``, from the same tagging pass.

    Returns
    -------
    DataFrame
        The rows of ``df`` (same index and order, every column kept) plus ``likelihood``
        (the line alone, as ``score_frame``), ``claim_subject``, ``claim_to_club``,
        ``claim_likelihood``, ``claim_n_reports``, ``claim_n_sources`` (independent sources),
        ``claim_first_date``, ``claim_latest_stage`` (the highest stage reported on the row's
        day) and ``claim_note``. The claim columns count only the claim's reports dated on or
        before the row's day (the same day's included); they do not depend on the order of the
        rows (see Notes). A row without text, a usable date, a
        subject or a destination keeps the line's own likelihood and says why in
        ``claim_note``; nothing raises on bad rows.

    Raises
    ------
    TypeError
        If ``df`` is not a DataFrame or ``model`` not a :class:`RumourModel`.
    ValueError
        If ``text_col`` is missing (the message lists the columns found), a column name
        repeats, or ``base_rate`` is not strictly between 0 and 1.

    See Also
    --------
    rumourscore.dask.score_feed : the same on a Dask DataFrame.
    rumourscore._feed_stream.score_feed_file : a file of any size (``rumourscore score FEED -o OUT --feed``).

    Notes
    -----
    Names are canonicalised before grouping: clubs through ``canonical_club`` ("Man Utd" is
    "Manchester United"), subjects with accents and case folded, and a surname alone joins
    the full name of the same claim when the feed has exactly one. A year or month alone
    counts as its first day. A claim's reports are read in date order and, within a day, in
    an order of their own values, never the input's: supporting reports before denials, each
    by deal stage (lowest first), line likelihood (highest first), then a hash of source and
    masked text. The rule (parameters in :data:`FEED_RULE`), with ``c`` the log-odds of the
    base rate:

    1. Repeats count once: a report citing an outlet counts as that outlet, a copy of an
       earlier report as the earlier report's source.
    2. Each independent source's evidence is its best ``logit(likelihood) - c``, faded by
       ``0.5 ** (age / half_life_days)`` at the row's date. The claim's base is
       ``max_share`` times the strongest source's evidence plus ``1 - max_share`` times the
       mean over sources; each further source k (strongest first) adds
       ``extra_weight * tier weight * extra_decay**k`` times its (positive) evidence, at most
       ``max_gain`` in all.
    3. Each escalation (a report reaching a stage no earlier report reached) adds
       ``escalation`` (at most ``max_escalations``).
    4. Each independent source denying the claim after its best report (the same day's
       included) adds ``denial``. A claim of denials only is its strongest denial's log-odds
       (the lowest line likelihood, not faded), plus ``denial`` for each further denying
       source: a further denial never raises it. A report of the subject moving elsewhere,
       dated after the best report's day, adds ``rival`` when it scores above the best,
       ``rival_done`` when it says the move is done.
    5. Calibration: the pooled log-odds' distance from ``c`` is multiplied by ``shrink`` and
       ``offset`` is added (so even a claim of one report is recalibrated).

    Examples
    --------
    >>> import pandas as pd
    >>> feed = pd.DataFrame({"text": ["Chelsea are monitoring Everton winger Tom Reed (Sun)",
    ...                               "Chelsea have agreed a fee with Everton for Tom Reed (Sky Sports)"],
    ...                      "date": ["2024-06-02", "2024-06-01"]})
    >>> out = score_feed(feed)
    >>> out["claim_n_reports"].tolist()
    [2, 1]
    """
    check_frame(df, text_col, "score_feed")
    check_base_rate(base_rate)
    model = model_or_default(model)
    cols = {"text": text_col, "source": source_col, "date": date_col, "subject": subject_col, "to_club": to_club_col}
    names = feed_names(df.columns, summary=summary)  # (a user's column is never overwritten)
    prep, columns = _prepare_with_summary(df.reset_index(drop=True), cols, model, base_rate)
    prep.center = feed_center(model, base_rate)
    return _frame(df, prep, as_of(prep, FEED_RULE), columns if summary else None, names)


def feed_names(columns: Any, *, summary: bool = False, warn: bool = True, extra: tuple[str, ...] = ()
               ) -> dict[str, str]:  # fmt: skip
    """Where :func:`score_feed` writes its columns (``likelihood``, the summary ones when asked, ``extra``
    and the claim columns), by the rule of :func:`rumourscore._api.summary_names`; warns only about
    the columns written under another name (the warning points at the line calling the caller)."""
    ours = SUMMARY_COLUMNS if summary else SUMMARY_COLUMNS[:1]
    return summary_names(columns, warn=warn, ours=ours, extra=(*extra, *FEED_COLUMNS[1:]), stacklevel=4)


def feed_center(model: RumourModel, base_rate: float | None) -> float:
    """``logit`` of the base rate pooling measures evidence from: ``base_rate``, else the model's training rate."""
    return logit(base_rate if base_rate is not None else model._weights().train_rate)


def _counts(values: np.ndarray) -> pd.Series:
    """Nullable integers; -1 is missing."""
    return pd.Series(pd.array(np.where(values >= 0, values, 0), dtype="Int64")).mask(values < 0)


def _frame(df: pd.DataFrame, prep: FeedArrays, claim: dict[str, np.ndarray], summary: dict[str, list[Any]] | None,
           names: dict[str, str]) -> pd.DataFrame:  # fmt: skip
    out = df.copy()
    out[names["likelihood"]] = pd.Series(prep.likelihood, index=df.index, dtype="float64")
    if summary is not None:
        for column in SUMMARY_COLUMNS[1:]:
            out[names[column]] = pd.Series(summary[column], index=df.index, dtype=SUMMARY_DTYPES[column])
    for column, values in claim_columns(prep, claim).items():
        out[names[column]] = values.set_axis(df.index)
    return out
