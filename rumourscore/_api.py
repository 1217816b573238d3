"""The scoring API: ``score``, ``explain``, ``score_frame`` and the default-model cache."""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from ._explanation import Explanation, why_text
from ._features import to_eur
from ._lexicons import sources
from ._model import DEFAULT_BASE_RATE, RumourModel, check_base_rate
from ._notes import note
from ._report import Report, make_report
from ._tagger import Money, resolve_source
from ._text import MAX_TEXT_CHARS, check_date, check_source, check_text, date_problem, parse_date

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["explain", "load_model", "model_or_default", "score", "score_frame"]

_LOCK = threading.Lock()
_DEFAULT: dict[str, RumourModel] = {}


def load_model(path: str | os.PathLike[str] | None = None) -> RumourModel:
    """Load a model: the shipped one by default (cached), or the one saved at ``path``.

    Parameters
    ----------
    path : str or path-like, optional
        The model file written by :meth:`RumourModel.save` (its ``.weights.npz`` and
        ``.manifest.json`` beside it). Each call with a path reads the files again.

    Returns
    -------
    RumourModel
        The shipped model is read once and the same object returned on every later call.

    Raises
    ------
    ModelLoadError
        If the file is missing, does not match its manifest, or needs other versions.
    """
    if path is not None:
        return RumourModel.load(path)
    with _LOCK:
        if "default" not in _DEFAULT:
            _DEFAULT["default"] = RumourModel.load()
        return _DEFAULT["default"]


def model_or_default(model: Any) -> RumourModel:
    """``model``, or the shipped model when it is None.

    Raises
    ------
    TypeError
        If ``model`` is neither None nor a :class:`RumourModel` (a path is read with :func:`load_model`).
    """
    if model is None:
        return load_model()
    if not isinstance(model, RumourModel):
        raise TypeError(f"model must be a RumourModel (rumourscore.load_model(path) reads a saved one), "
                        f"got {type(model).__name__}")  # fmt: skip
    return model


def _validated(text: Any) -> str:
    """``text`` itself; raises for a non-string or an empty one, and warns when it will be cut short."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("text is empty")
    if len(text) > MAX_TEXT_CHARS:  # (score() and explain() call this: the caller's line is two up)
        warnings.warn(f"the text has {len(text):,} characters: only its first {MAX_TEXT_CHARS:,} are scored "
                      "(rumourscore.claims scores a long article claim by claim)", stacklevel=3)  # fmt: skip
    return text


def score(text: str, *, source: str | None = None, date: Any = None, model: RumourModel | None = None,
          base_rate: float | None = DEFAULT_BASE_RATE, monthfirst: bool = False) -> float:  # fmt: skip
    """Likelihood in [0, 1] that the rumour in ``text`` comes true.

    "Comes true" follows the project's label: the subject joins the named destination
    club (permanent, loan or appointment) from 7 days before the report date to 365 days
    after it.

    Parameters
    ----------
    text : str
        The rumour: a sentence, a gossip line or a short report.
    source : str, optional
        The outlet or journalist, when the text does not name it ("Mail", "Sky Sports").
    date : str or datetime.date, optional
        The report date: a date, or a string in a common form (``2024-11-20``, ``20/11/2024``,
        ``Nov 20, 2024``; a year or month alone counts as its first day).
    model : RumourModel, optional
        Defaults to the shipped model.
    base_rate : float or None, default=DEFAULT_BASE_RATE (0.30)
        The share of rumours that come true in your feed. Calibrated likelihoods are moved to
        it (Saerens et al. 2002 prior shift); ``None`` keeps the training corpus's own rate.
    monthfirst : bool, default=False
        Read an ambiguous date such as ``05/06/2024`` as 6 May (default: 5 June).

    Raises
    ------
    TypeError
        If ``text`` is not a string, ``source`` is neither a string nor missing, or ``model`` is
        not a :class:`RumourModel`. ``ValueError`` if ``text`` is empty, the date cannot be read,
        or ``base_rate`` is not strictly between 0 and 1.

    Examples
    --------
    >>> low = score("Arsenal are monitoring the striker", source="Daily Star")
    >>> high = score("Here we go! Medical booked, contracts being signed", source="Fabrizio Romano")
    >>> 0.0 <= low < high <= 1.0
    True
    """
    text = _validated(text)
    check_source(source, "score")
    model = model_or_default(model)
    check_date(date, monthfirst=monthfirst)
    return model.contributions(make_report(text, source, date, monthfirst=monthfirst), base_rate=base_rate)[0]


def explain(text: str, *, source: str | None = None, date: Any = None, model: RumourModel | None = None,
            base_rate: float | None = DEFAULT_BASE_RATE, monthfirst: bool = False) -> Explanation:  # fmt: skip
    """Score ``text`` and say why: its tags and what moved the score, per group of features.

    Parameters and errors are those of :func:`score`.

    Returns
    -------
    Explanation
        ``likelihood`` (the number :func:`score` gives), ``tags``, the signed per-feature
        ``contributions`` against the ``reference`` likelihood, the resolved ``source``, and
        ``source_given`` when the source passed was not recognised.

    Examples
    --------
    >>> e = explain("Chelsea have agreed personal terms with the striker, per Sky Sports")
    >>> e.likelihood == score("Chelsea have agreed personal terms with the striker, per Sky Sports")
    True
    >>> "likelihood" in str(e)
    True
    """
    text = _validated(text)
    check_source(source, "explain")
    check_date(date, monthfirst=monthfirst)
    model = model_or_default(model)
    report = make_report(text, source, date, monthfirst=monthfirst)
    likelihood, parts = model.contributions(report, base_rate=base_rate)
    unrecognised = source if isinstance(source, str) and source.strip() and report.source != source else None
    if unrecognised and report.source is not None and resolve_source(source) is not None:
        unrecognised = None
    return Explanation(text, likelihood, list(report.tags), parts, report.source,
                       model.reference_likelihood(base_rate=base_rate), unrecognised,
                       model.top_words(report.text))  # fmt: skip


#: dtypes of the summary columns (nullable integers: a failed row has no count).
SUMMARY_DTYPES = {"best_source": object, "error": object, "source_tier": "Int64", "max_stage": "Int64",
                   "hedges": "Int64", "denials": "Int64", "fee_eur": "float64", "note": object,
                   "why": object}  # fmt: skip
SUMMARY_COLUMNS = ("likelihood", "best_source", "source_tier", "max_stage", "hedges", "denials", "fee_eur", "error",
                   "note")  # fmt: skip
#: The column ``explain=True`` adds.
WHY_COLUMN = "why"


def score_frame(df: pd.DataFrame, *, text_col: str = "text", source_col: str = "source", date_col: str = "date",
                model: RumourModel | None = None, base_rate: float | None = DEFAULT_BASE_RATE,
                monthfirst: bool = False, explain: bool = False) -> pd.DataFrame:  # fmt: skip
    """Score every row of ``df``; return a copy with the likelihood and summary columns.

    Rows keep their index and order. A NaN, empty or non-string text gives a NaN
    likelihood and an ``error`` entry; it never raises. Texts longer than
    ``MAX_TEXT_CHARS`` are truncated (and say so in ``error``).

    Parameters
    ----------
    df : DataFrame
        Must hold ``text_col``; ``source_col`` and ``date_col`` are optional.
    text_col, source_col, date_col : str
        Column names.
    model : RumourModel, optional
        Defaults to the shipped model.
    base_rate, monthfirst
        See :func:`score`. A date that cannot be read is reported in ``error`` and the row is
        scored without a date.
    explain : bool, default=False
        Add a ``why`` column: the two or three groups of features that moved each score most,
        in words (:meth:`Explanation.why`), from the same tagging pass.

    Returns
    -------
    DataFrame
        ``df`` plus ``likelihood``, ``best_source``, ``source_tier``, ``max_stage``,
        ``hedges``, ``denials``, ``fee_eur``, ``error`` and ``note`` (``"not English?"``,
        ``"no tag found"``: see :mod:`rumourscore._notes`), and ``why`` when asked; where
        ``df`` already has a column of that name, it is kept and ours is ``rumourscore_<name>``
        (with a warning).

    Raises
    ------
    ValueError
        If ``text_col`` is missing (the message lists the columns found), a column name repeats,
        or ``base_rate`` is not strictly between 0 and 1.
    TypeError
        If ``df`` is not a pandas DataFrame or ``model`` not a :class:`RumourModel`.

    Examples
    --------
    >>> import pandas as pd
    >>> out = score_frame(pd.DataFrame({"text": ["Here we go!", None]}))
    >>> out["error"].tolist()
    [None, 'empty text']
    """
    import pandas as pd

    check_frame(df, text_col, "score_frame")
    check_base_rate(base_rate)
    model = model_or_default(model)
    texts = df[text_col].tolist()
    src = df[source_col].tolist() if source_col in df.columns else [None] * len(df)
    dates = df[date_col].tolist() if date_col in df.columns else [None] * len(df)
    likelihood, summary, _ = score_columns(texts, src, dates, model, base_rate=base_rate, monthfirst=monthfirst,
                                           explain=explain)  # fmt: skip
    out = df.copy()
    names = summary_names(df.columns, extra=(WHY_COLUMN,) if explain else ())
    out[names["likelihood"]] = likelihood
    for column, values in summary.items():
        out[names[column]] = pd.Series(values, index=df.index, dtype=SUMMARY_DTYPES[column])
    return out


def score_columns(texts: list[Any], src: list[Any], dates: list[Any], model: RumourModel, *,
                  base_rate: float | None = DEFAULT_BASE_RATE, monthfirst: bool = False, explain: bool = False
                  ) -> tuple[np.ndarray, dict[str, list[Any]], dict[int, Report]]:  # fmt: skip
    """The work of :func:`score_frame` on plain columns: likelihoods, summary columns and each row's report.

    Each text is tagged once; the reports (row -> :class:`Report`, scored rows only) let a
    caller reuse the tags (``rumourscore score --feed`` does).
    """
    texts = list(texts)
    n = len(texts)
    likelihood = np.full(n, np.nan)
    columns = SUMMARY_COLUMNS + ((WHY_COLUMN,) if explain else ())
    summary = {c: [None] * n for c in columns if c != "likelihood"}
    ok, errors = [], summary["error"]
    days: list[Any] = [None] * n  # each date read once: the reports take the day
    for i, text in enumerate(texts):
        problem = check_text(text)
        if problem:
            errors[i] = problem
            continue
        days[i] = day = parse_date(dates[i], monthfirst=monthfirst)
        problem = None if day is not None else date_problem(dates[i], monthfirst=monthfirst)
        if len(text) > MAX_TEXT_CHARS:
            cut = f"too long: truncated at {MAX_TEXT_CHARS} chars"
            problem = f"{problem}; {cut}" if problem else cut
            texts[i] = text[:MAX_TEXT_CHARS]
        errors[i] = problem
        ok.append(i)
    if ok:
        reports = [make_report(texts[i], src[i], days[i], monthfirst=monthfirst) for i in ok]
        if explain:
            scored = [model.contributions(report, base_rate=base_rate) for report in reports]
            likelihood[ok] = [p for p, _ in scored]
            why = dict(zip(ok, (why_text(parts) for _, parts in scored)))
            summary[WHY_COLUMN] = [why.get(i) for i in range(n)]
        else:
            likelihood[ok] = model.score_reports(reports, base_rate=base_rate)
        for i, report in zip(ok, reports):
            _summarise(summary, i, report)
    return likelihood, summary, dict(zip(ok, reports)) if ok else {}


def check_frame(df: Any, text_col: str, caller: str) -> None:
    """Raise a clear error unless ``df`` is a DataFrame holding ``text_col``.

    Raises
    ------
    TypeError
        If ``df`` is not a pandas DataFrame.
    ValueError
        If ``text_col`` is missing (the message lists the columns found) or a column name repeats.
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{caller} expects a pandas DataFrame, got {type(df).__name__}")
    check_unique_columns(df, caller)
    if text_col not in df.columns:
        raise ValueError(f"text column {text_col!r} not found; columns found: {[str(c) for c in df.columns]}")


def check_unique_columns(df: Any, caller: str) -> None:
    """Raise ``ValueError`` naming the repeated column names of ``df`` (a column must be one Series)."""
    from ._rows import repeated_names  # (with pandas: not on import)

    repeated = repeated_names(df.columns)
    if repeated:
        raise ValueError(f"{caller}: duplicate column names {[str(c) for c in repeated]}; rename them first")


def summary_names(columns: Iterable[Any], *, warn: bool = True, extra: Iterable[str] = (),
                  ours: Iterable[str] = SUMMARY_COLUMNS, stacklevel: int = 3) -> dict[str, str]:  # fmt: skip
    """Where each summary column goes: its own name, or ``rumourscore_<name>`` if the input has it.

    A user's column is never overwritten. The one rule for :func:`score_frame`, batch files,
    feeds and Dask.

    Parameters
    ----------
    columns : iterable
        The input's column names.
    warn : bool
        Issue a ``UserWarning`` naming the renamed columns.
    extra : iterable of str
        Further columns of ours (``why``, ``model``, a feed's claim columns) placed by the same rule.
    ours : iterable of str, default=SUMMARY_COLUMNS
        The summary columns written (a feed without its summary writes ``likelihood`` alone);
        only the columns placed are named, and warned about.
    stacklevel : int, default=3
        The warning's, as :func:`warnings.warn` takes it (3: the caller of this function's caller).

    Examples
    --------
    >>> summary_names(["text", "error"], warn=False)["error"]
    'rumourscore_error'
    """
    taken = {str(c) for c in columns}
    names = {}
    for column in (*ours, *extra):
        name = column
        while name in taken:
            name = f"rumourscore_{name}"
        names[column] = name
    renamed = {c: n for c, n in names.items() if c != n}
    if renamed and warn:
        warnings.warn(f"the input already has column(s) {list(renamed)}: they are kept, and rumourscore's are "
                      f"written as {list(renamed.values())}", UserWarning, stacklevel=stacklevel)  # fmt: skip
    return names


def _summarise(summary: dict[str, list], i: int, report: Report) -> None:
    tags, source = report.tags, report.source
    summary["best_source"][i] = source
    summary["source_tier"][i] = sources()[source].tier if source else None
    top = hedges = denials = 0  # (one pass over the tags: a generator per column cost a twelfth of a row)
    fee = None
    for t in tags:
        kind = t.kind
        if kind == "stage":
            top = max(top, t.value)
        elif kind == "hedge":
            hedges += 1
        elif kind == "denial":
            denials += 1
        elif (kind == "fee" or kind == "release_clause") and isinstance(t.value, Money):
            fee = to_eur(t.value) if fee is None else max(fee, to_eur(t.value))
    summary["max_stage"][i], summary["hedges"][i], summary["denials"][i] = top, hedges, denials
    summary["fee_eur"][i] = fee
    summary["note"][i] = note(report.text, tags)
