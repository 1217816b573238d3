"""The scoring API: ``score``, ``explain``, ``score_frame`` and the default-model cache."""

from __future__ import annotations

import math
import os
import threading
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ._features import FEATURES, to_eur
from ._highlight import STAGE_NAMES, fragment_html
from ._lexicons import sources
from ._model import DEFAULT_BASE_RATE, RumourModel, check_base_rate
from ._notes import note
from ._report import Report, make_report
from ._tagger import Money, Tag, resolve_source
from ._text import MAX_TEXT_CHARS, check_text, date_problem

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FEATURE_GROUPS", "FEATURE_LABELS", "Explanation", "explain", "load_model", "score",
           "score_frame"]  # fmt: skip

_LOCK = threading.Lock()
_DEFAULT: dict[str, RumourModel] = {}

#: Plain-English names of the features, for explanations (from the one feature table).
FEATURE_LABELS = {**{f.name: f.label for f in FEATURES}, "words": "wording (names masked)"}
#: What each feature is about: an explanation reads contributions summed per group.
FEATURE_GROUPS = {**{f.name: f.group for f in FEATURES}, "words": "wording"}
#: Groups whose total moves the log-odds by less than this are left out of the printed explanation.
SHOW_MIN_CONTRIBUTION = 0.05
#: At most this many groups are printed.
SHOW_MAX_GROUPS = 6
#: Words for the size of a group's push (odds multiplied by at least this factor).
PUSH_WORDS = ((4.0, "a lot"), (2.0, "clearly"), (1.25, "somewhat"), (1.0, "slightly"))


def load_model(path: str | os.PathLike[str] | None = None) -> RumourModel:
    """Load a model: the shipped one by default (cached), or the one saved at ``path``.

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


def _check_date(date: Any, monthfirst: bool) -> None:
    problem = date_problem(date, monthfirst=monthfirst)
    if problem:
        raise ValueError(problem.split(":")[0] + ": give the date as 2024-11-20, 20/11/2024 or Nov 20, 2024")


def _validated(text: Any) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("text is empty")
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
        If ``text`` is not a string. ``ValueError`` if it is empty, the date cannot be read,
        or ``base_rate`` is not strictly between 0 and 1.

    Examples
    --------
    >>> low = score("Arsenal are monitoring the striker", source="Daily Star")
    >>> high = score("Here we go! Medical booked, contracts being signed", source="Fabrizio Romano")
    >>> 0.0 <= low < high <= 1.0
    True
    """
    text = _validated(text)
    model = model or load_model()
    _check_date(date, monthfirst)
    return model.contributions(make_report(text, source, date, monthfirst=monthfirst), base_rate=base_rate)[0]


@dataclass(frozen=True)
class Explanation:
    """A score with the tags it saw and what pushed it up or down.

    Attributes
    ----------
    text : str
    likelihood : float
    tags : list of Tag
    contributions : list of (feature, value, contribution)
        Signed contributions to the log-odds against the *reference report* (no source named,
        no deal stage, no tag at all), largest magnitude first; absent features are left out.
    source : str or None
        The canonical source the score used.
    reference : float
        The likelihood of the reference report at the same base rate.
    source_given : str or None
        The source passed by the caller, when it was not recognised (``source`` is then None).
    top_words : list of (term, contribution)
        The words and word pairs of the wording channel that weighed most.
    """

    text: str
    likelihood: float
    tags: list[Tag]
    contributions: list[tuple[str, float, float]]
    source: str | None = None
    reference: float = float("nan")
    source_given: str | None = None
    top_words: list[tuple[str, float]] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, float, list[tuple[str, float, float]]]]:
        """Contributions summed per :data:`FEATURE_GROUPS` group, largest magnitude first.

        Each item is ``(group, total, members)``, ``members`` being that group's
        ``(feature, value, contribution)`` triples, largest magnitude first.
        """
        return group_contributions(self.contributions)

    def why(self, n: int = 3) -> str:
        """The ``n`` groups that moved the score most, in words ("deal stage raised it a lot; ...")."""
        return why_text(self.contributions, n)

    def _repr_html_(self) -> str:
        """Jupyter: the text highlighted as in the HTML view, with the likelihood and what moved it."""
        head, *moved = self._lines()
        return fragment_html(self.text, self.tags, head, moved)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "text": self.text, "likelihood": self.likelihood, "source": self.source, "reference": self.reference,
            "tags": [t.to_dict() for t in self.tags],
            "contributions": [{"feature": f, "label": FEATURE_LABELS.get(f, f), "group": FEATURE_GROUPS.get(f, f),
                               "value": v, "contribution": c} for f, v, c in self.contributions],
            "groups": [{"group": g, "contribution": total, "odds_factor": math.exp(total)}
                       for g, total, _ in self.groups],
            "why": self.why(), "top_words": [{"term": t, "contribution": c} for t, c in self.top_words],
        }  # fmt: skip

    def __str__(self) -> str:
        lines = self._lines()
        if self.tags:
            lines.append("tags: " + "; ".join(f"{t.kind}={_fmt(t.value)} '{t.text}'" for t in self.tags))
        return "\n".join(lines)

    def _lines(self) -> list[str]:
        """The likelihood line, then what moved it."""
        head = f"likelihood {self.likelihood:.1%}"
        if self.source:
            head += f"  (source: {self.source})"
        elif self.source_given:
            head += (
                f"  (source {self.source_given!r} not recognised: scored as an unnamed source"
                f"{_closest(self.source_given)})"
            )
        lines = [head]
        shown = [g for g in self.groups if abs(g[1]) >= SHOW_MIN_CONTRIBUTION][:SHOW_MAX_GROUPS]
        if shown:
            lines.append(f"what moved it, from {self.reference:.0%} for a report with no source, stage or other sign:")
            for group, total, items in shown:
                lines.append(f"  {_push(group, total)} (odds x{math.exp(total):.2g}): {self._details(group, items)}")
        else:
            lines.append("nothing in the text moved it from the reference")
        return lines

    def _details(self, group: str, items: list[tuple[str, float, float]]) -> str:
        """What a group's line says: the furthest stage, the source, the weightiest words, or its features."""
        names = {name for name, _, _ in items}
        if group == "deal stage":
            steps = [int(n[len("stage_ge") :]) for n in names if n.startswith("stage_ge")]
            top = max(steps, default=int("stage_any" in names))
            found = [f"furthest stage: {STAGE_NAMES.get(top, top)}"] if top else []
            if "stage_negated" in names:
                found.append("a negated stage")
            return ", ".join(found) or "a stage is mentioned"
        if group == "source" and self.source:
            return f"{self.source}" + (", while no fee is agreed" if "source_early" in names else "")
        if group == "wording":
            return "words: " + ", ".join(f"'{term}'" for term, _ in self.top_words) if self.top_words else "words"
        return (
            ", ".join(
                FEATURE_LABELS.get(name, name) + ("" if value == 1 else f" = {_fmt(value)}")
                for name, value, c in items
                if abs(c) >= SHOW_MIN_CONTRIBUTION
            )
            or "small items"
        )


def group_contributions(contributions: list[tuple[str, float, float]]) -> list[tuple[str, float, list]]:
    """``(group, total, members)`` per :data:`FEATURE_GROUPS` group, largest total magnitude first.

    Parameters
    ----------
    contributions : list of (feature, value, contribution)
        As returned by :meth:`RumourModel.contributions`.
    """
    members: dict[str, list[tuple[str, float, float]]] = {}
    for item in contributions:
        members.setdefault(FEATURE_GROUPS.get(item[0], item[0]), []).append(item)
    totals = [(group, float(sum(c for _, _, c in items)), items) for group, items in members.items()]
    return sorted(totals, key=lambda g: -abs(g[1]))


def why_text(contributions: list[tuple[str, float, float]], n: int = 3) -> str:
    """The ``n`` groups of ``contributions`` that moved the score most, in words.

    Parameters
    ----------
    contributions : list of (feature, value, contribution)
        As returned by :meth:`RumourModel.contributions`.
    n : int
        Most groups named.

    Examples
    --------
    >>> why_text([("stage_ge8", 1.0, 1.6), ("hedge_count", 1.0, -0.3)])
    'deal stage raised it a lot; hedging lowered it somewhat'
    """
    groups = group_contributions(contributions)
    parts = [_push(group, total) for group, total, _ in groups if abs(total) >= SHOW_MIN_CONTRIBUTION][:n]
    return "; ".join(parts) if parts else "nothing in the text moved it"


def _push(group: str, total: float) -> str:
    factor = math.exp(abs(total))
    size = next(word for bound, word in PUSH_WORDS if factor >= bound)
    return f"{group} {'raised' if total > 0 else 'lowered'} it {size}"


def _closest(name: str) -> str:
    import difflib

    match = difflib.get_close_matches(name.lower(), [n.lower() for n in sources()], n=1, cutoff=0.6)
    if not match:
        return ""
    canonical = next(n for n in sources() if n.lower() == match[0])
    return f"; closest known source: {canonical!r}"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return "-" if value is None else str(value)


def explain(text: str, *, source: str | None = None, date: Any = None, model: RumourModel | None = None,
            base_rate: float | None = DEFAULT_BASE_RATE, monthfirst: bool = False) -> Explanation:  # fmt: skip
    """Score ``text`` and say why: its tags and what moved the score, per group of features.

    Parameters are those of :func:`score`.

    Examples
    --------
    >>> e = explain("Chelsea have agreed personal terms with the striker, per Sky Sports")
    >>> e.likelihood == score("Chelsea have agreed personal terms with the striker, per Sky Sports")
    True
    >>> "likelihood" in str(e)
    True
    """
    text = _validated(text)
    _check_date(date, monthfirst)
    model = model or load_model()
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
        If ``text_col`` is missing (the message lists the columns found).

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
    model = model or load_model()
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
    ok = []
    for i, text in enumerate(texts):
        problem = check_text(text)
        if problem:
            summary["error"][i] = problem
            continue
        notes = [date_problem(dates[i], monthfirst=monthfirst)]
        if len(text) > MAX_TEXT_CHARS:
            notes.append(f"too long: truncated at {MAX_TEXT_CHARS} chars")
            texts[i] = text[:MAX_TEXT_CHARS]
        summary["error"][i] = "; ".join(n for n in notes if n) or None
        ok.append(i)
    if ok:
        reports = [make_report(texts[i], src[i], dates[i], monthfirst=monthfirst) for i in ok]
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


def summary_names(columns: Iterable[Any], *, warn: bool = True, extra: Iterable[str] = ()) -> dict[str, str]:
    """Where each summary column goes: its own name, or ``rumourscore_<name>`` if the input has it.

    A user's column is never overwritten. The one rule for :func:`score_frame`, batch files
    and Dask.

    Parameters
    ----------
    columns : iterable
        The input's column names.
    warn : bool
        Issue a ``UserWarning`` naming the renamed columns.
    extra : iterable of str
        Further columns of ours (``why``, ``model``) placed by the same rule.

    Examples
    --------
    >>> summary_names(["text", "error"], warn=False)["error"]
    'rumourscore_error'
    """
    taken = {str(c) for c in columns}
    names = {}
    for column in (*SUMMARY_COLUMNS, *extra):
        name = column
        while name in taken:
            name = f"rumourscore_{name}"
        names[column] = name
    renamed = {c: n for c, n in names.items() if c != n}
    if renamed and warn:
        warnings.warn(f"the input already has column(s) {list(renamed)}: they are kept, and rumourscore's are "
                      f"written as {list(renamed.values())}", UserWarning, stacklevel=3)  # fmt: skip
    return names


def _summarise(summary: dict[str, list], i: int, report: Report) -> None:
    tags, source = report.tags, report.source
    summary["best_source"][i] = source
    summary["source_tier"][i] = sources()[source].tier if source else None
    stages = [t.value for t in tags if t.kind == "stage"]
    summary["max_stage"][i] = max(stages) if stages else 0
    summary["hedges"][i] = sum(t.kind == "hedge" for t in tags)
    summary["denials"][i] = sum(t.kind == "denial" for t in tags)
    fees = [t.value for t in tags if t.kind in ("fee", "release_clause") and isinstance(t.value, Money)]
    summary["fee_eur"][i] = max((to_eur(m) for m in fees), default=None)
    summary["note"][i] = note(report.text, tags)
