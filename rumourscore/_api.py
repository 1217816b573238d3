"""The scoring API: ``score``, ``explain``, ``score_frame`` and the default-model cache."""

from __future__ import annotations

import os
import threading
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ._features import TYPICAL_AGE, to_eur
from ._lexicons import sources
from ._model import RumourModel
from ._report import Report, make_report
from ._tagger import Money, Tag
from ._text import MAX_TEXT_CHARS, check_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FEATURE_GROUPS", "FEATURE_LABELS", "Explanation", "explain", "load_model", "score",
           "score_frame"]  # fmt: skip

_LOCK = threading.Lock()
_DEFAULT: dict[str, RumourModel] = {}

#: Plain-English names of the features, for explanations.
FEATURE_LABELS = {
    "source_known": "a known outlet/journalist", "source_tier": "source reliability tier",
    "source_prior": "source's published/tier hit rate", "source_track": "source's track record",
    "source_n_resolved": "size of the source's track record", "source_named_in_text": "source named in the text",
    "source_anonymous": "anonymous attribution", "source_journalist": "source is a journalist",
    "hedge_max": "strongest hedge", "hedge_mean": "average hedge strength", "hedge_count": "number of hedges",
    "stage_max": "furthest deal stage", "stage_last": "last deal stage mentioned", "stage_count": "stage mentions",
    "stage_negated": "negated stage ('no talks')", "stage_interest": "stage: interest/contact only",
    "stage_talks": "stage: talks/bid", "stage_agreed": "stage: fee or terms agreed",
    "stage_medical": "stage: medical / here we go", "stage_done": "stage: official",
    "denial_count": "denials", "denial_max": "strongest denial", "denial_negated": "negated denial",
    "denial_after_stage": "denial after the last stage", "fee_log_eur": "fee size", "has_fee": "fee stated",
    "wage_log_eur_year": "wage size", "has_wage": "wage stated", "expiry_years_left": "years left on contract",
    "has_expiry": "contract expiry stated", "contract_length": "contract length offered",
    "release_clause": "release clause", "release_clause_log_eur": "release clause size", "loan": "loan",
    "loan_option": "loan with option to buy", "loan_obligation": "loan with obligation to buy",
    "add_ons": "add-ons", "age": f"age (years from {TYPICAL_AGE:g}; 0 if not stated)", "red_flags": "red-flag phrases",
    "competition": "rival suitors mentioned", "free_agent": "free transfer / expiring contract",
    "renewal": "contract renewal talk", "return": "a return to a former club", "n_clubs": "clubs named",
    "question": "question mark", "exclusive": "'exclusive'", "has_date": "report date known",
    "days_to_deadline": "days to the window's close", "in_window": "inside a transfer window",
    "log_chars": "text length", "n_sentences": "number of sentences", "words": "wording (names masked)",
}  # fmt: skip

#: What each feature is about. Features of one group are correlated (the furthest and the
#: last stage of a one-stage text are equal), so their single contributions can have
#: opposite signs; an explanation reads them summed per group.
FEATURE_GROUPS = {
    **dict.fromkeys(("source_known", "source_tier", "source_prior", "source_track", "source_n_resolved",
                     "source_named_in_text", "source_anonymous", "source_journalist"), "source"),
    **dict.fromkeys(("hedge_max", "hedge_mean", "hedge_count"), "hedging"),
    **dict.fromkeys(("stage_max", "stage_last", "stage_count", "stage_negated", "stage_interest", "stage_talks",
                     "stage_agreed", "stage_medical", "stage_done"), "deal stage"),
    **dict.fromkeys(("denial_count", "denial_max", "denial_negated", "denial_after_stage"), "denials"),
    **dict.fromkeys(("fee_log_eur", "has_fee", "wage_log_eur_year", "has_wage", "expiry_years_left", "has_expiry",
                     "contract_length", "release_clause", "release_clause_log_eur", "loan", "loan_option",
                     "loan_obligation", "add_ons", "free_agent", "renewal"), "contract and fee"),
    **dict.fromkeys(("age", "return"), "the player"),
    **dict.fromkeys(("red_flags", "competition", "n_clubs", "question", "exclusive"), "other signals"),
    **dict.fromkeys(("has_date", "days_to_deadline", "in_window"), "timing"),
    **dict.fromkeys(("log_chars", "n_sentences"), "text length"),
    "words": "wording",
}  # fmt: skip
#: Contributions smaller than this (in log-odds) are left out of the printed explanation.
SHOW_MIN_CONTRIBUTION = 0.05
#: At most this many groups are printed.
SHOW_MAX_GROUPS = 6


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


def _validated(text: Any) -> str:
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("text is empty")
    return text


def score(text: str, *, source: str | None = None, date: Any = None, model: RumourModel | None = None) -> float:
    """Likelihood in [0, 1] that the rumour in ``text`` comes true.

    "Comes true" follows the project's label: the subject joins the named destination
    club (permanent, loan or appointment) within 365 days after the report date.

    Parameters
    ----------
    text : str
        The rumour: a sentence, a gossip line or a short report.
    source : str, optional
        The outlet or journalist, when the text does not name it ("Mail", "Sky Sports").
    date : str or datetime.date, optional
        The report date (ISO string or date); feeds the time features.
    model : RumourModel, optional
        Defaults to the shipped model.

    Raises
    ------
    TypeError
        If ``text`` is not a string. ``ValueError`` if it is empty.

    Examples
    --------
    >>> low = score("Arsenal are monitoring the striker", source="Daily Star")
    >>> high = score("Here we go! Medical booked, contracts being signed", source="Fabrizio Romano")
    >>> 0.0 <= low < high <= 1.0
    True
    """
    text = _validated(text)
    model = model or load_model()
    return model.contributions(make_report(text, source, date))[0]


@dataclass(frozen=True)
class Explanation:
    """A score with the tags it saw and what pushed it up or down.

    Attributes
    ----------
    likelihood : float
    tags : list of Tag
    contributions : list of (feature, value, contribution)
        Signed log-odds contributions, largest magnitude first, relative to an average
        training report.
    top_words : list of (n-gram, weight)
        The masked words of the text that weighed most in the ``words`` contribution.
    """

    text: str
    likelihood: float
    tags: list[Tag]
    contributions: list[tuple[str, float, float]]
    top_words: list[tuple[str, float]] = field(default_factory=list)
    source: str | None = None

    @property
    def groups(self) -> list[tuple[str, float, list[tuple[str, float, float]]]]:
        """Contributions summed per :data:`FEATURE_GROUPS` group, largest magnitude first.

        Each item is ``(group, total, members)``, ``members`` being that group's
        ``(feature, value, contribution)`` triples, largest magnitude first.
        """
        members: dict[str, list[tuple[str, float, float]]] = {}
        for item in self.contributions:
            members.setdefault(FEATURE_GROUPS.get(item[0], item[0]), []).append(item)
        totals = [(group, float(sum(c for _, _, c in items)), items) for group, items in members.items()]
        return sorted(totals, key=lambda g: -abs(g[1]))

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "text": self.text, "likelihood": self.likelihood, "source": self.source,
            "tags": [t.to_dict() for t in self.tags],
            "contributions": [{"feature": f, "label": FEATURE_LABELS.get(f, f), "group": FEATURE_GROUPS.get(f, f),
                               "value": v, "contribution": c} for f, v, c in self.contributions],
            "groups": [{"group": g, "contribution": total} for g, total, _ in self.groups],
            "top_words": [{"ngram": g, "weight": w} for g, w in self.top_words],
        }  # fmt: skip

    def __str__(self) -> str:
        lines = [f"likelihood {self.likelihood:.1%}" + (f"  (source: {self.source})" if self.source else "")]
        shown = [g for g in self.groups if abs(g[1]) >= SHOW_MIN_CONTRIBUTION][:SHOW_MAX_GROUPS]
        if shown:
            lines.append("what moved it (log-odds vs an average report):")
            for group, total, items in shown:
                arrow = "up  " if total > 0 else "down"
                parts = [f"{FEATURE_LABELS.get(name, name)} = {_fmt(value)} ({c:+.2f})"
                         for name, value, c in items if abs(c) >= SHOW_MIN_CONTRIBUTION]  # fmt: skip
                rest = sum(c for _, _, c in items if abs(c) < SHOW_MIN_CONTRIBUTION)
                if abs(rest) >= SHOW_MIN_CONTRIBUTION:
                    parts.append(f"smaller items ({rest:+.2f})")
                lines.append(f"  {arrow} {total:+.2f}  {group}: " + ", ".join(parts))
        if self.top_words:
            lines.append("words: " + ", ".join(f"{g} ({w:+.2f})" for g, w in self.top_words))
        if self.tags:
            lines.append("tags: " + "; ".join(f"{t.kind}={_fmt(t.value)} '{t.text}'" for t in self.tags))
        return "\n".join(lines)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return "-" if value is None else str(value)


def explain(text: str, *, source: str | None = None, date: Any = None, model: RumourModel | None = None) -> Explanation:
    """Score ``text`` and say why: tags, per-feature contributions and the weightiest words.

    Examples
    --------
    >>> e = explain("Chelsea have agreed personal terms with the striker, per Sky Sports")
    >>> e.likelihood == score("Chelsea have agreed personal terms with the striker, per Sky Sports")
    True
    >>> "likelihood" in str(e)
    True
    """
    text = _validated(text)
    model = model or load_model()
    report = make_report(text, source, date)
    likelihood, parts = model.contributions(report)
    return Explanation(text, likelihood, list(report.tags), parts, model.top_words(report.text), report.source)


#: dtypes of the summary columns (nullable integers: a failed row has no count).
SUMMARY_DTYPES = {"best_source": object, "error": object, "source_tier": "Int64", "max_stage": "Int64",
                   "hedges": "Int64", "denials": "Int64", "fee_eur": "float64"}  # fmt: skip
SUMMARY_COLUMNS = ("likelihood", "best_source", "source_tier", "max_stage", "hedges", "denials", "fee_eur", "error")


def score_frame(df: pd.DataFrame, *, text_col: str = "text", source_col: str = "source", date_col: str = "date",
                model: RumourModel | None = None) -> pd.DataFrame:  # fmt: skip
    """Score every row of ``df``; return a copy with the likelihood and summary columns.

    Rows keep their index and order. A NaN, empty or non-string text gives a NaN
    likelihood and an ``error`` entry; it never raises. Texts longer than
    ``MAX_TEXT_CHARS`` are truncated (and say so in ``error``).

    Parameters
    ----------
    df : DataFrame
        Must hold ``text_col``; ``source_col`` and ``date_col`` are optional.

    Returns
    -------
    DataFrame
        ``df`` plus ``likelihood``, ``best_source``, ``source_tier``, ``max_stage``,
        ``hedges``, ``denials``, ``fee_eur`` and ``error``; where ``df`` already has a column
        of that name, it is kept and ours is ``rumourscore_<name>`` (with a warning).

    Raises
    ------
    ValueError
        If ``text_col`` is missing (the message lists the columns found).

    Examples
    --------
    >>> import pandas as pd
    >>> import pandas as pd
    >>> out = score_frame(pd.DataFrame({"text": ["Here we go!", None]}))
    >>> out["error"].tolist()
    [None, 'empty text']
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"score_frame expects a pandas DataFrame, got {type(df).__name__}")
    if text_col not in df.columns:
        raise ValueError(f"text column {text_col!r} not found; columns found: {[str(c) for c in df.columns]}")
    model = model or load_model()
    texts = df[text_col].tolist()
    src = df[source_col].tolist() if source_col in df.columns else [None] * len(df)
    dates = df[date_col].tolist() if date_col in df.columns else [None] * len(df)
    n = len(df)
    likelihood = np.full(n, np.nan)
    summary = {c: [None] * n for c in SUMMARY_COLUMNS if c != "likelihood"}
    ok = []
    for i, text in enumerate(texts):
        problem = check_text(text)
        if problem:
            summary["error"][i] = problem
            continue
        if len(text) > MAX_TEXT_CHARS:
            summary["error"][i] = f"too long: truncated at {MAX_TEXT_CHARS} chars"
            texts[i] = text[:MAX_TEXT_CHARS]
        ok.append(i)
    if ok:
        reports = [make_report(texts[i], src[i], dates[i]) for i in ok]
        likelihood[ok] = model.score_reports(reports)
        for i, report in zip(ok, reports):
            _summarise(summary, i, report)
    out = df.copy()
    names = summary_names(df.columns)
    out[names["likelihood"]] = likelihood
    for column, values in summary.items():
        out[names[column]] = pd.Series(values, index=df.index, dtype=SUMMARY_DTYPES[column])
    return out


def summary_names(columns: Iterable[Any], *, warn: bool = True) -> dict[str, str]:
    """Where each summary column goes: its own name, or ``rumourscore_<name>`` if the input has it.

    A user's column is never overwritten. The one rule for :func:`score_frame`, batch files
    and Dask.

    Parameters
    ----------
    columns : iterable
        The input's column names.
    warn : bool
        Issue a ``UserWarning`` naming the renamed columns.

    Examples
    --------
    >>> summary_names(["text", "error"], warn=False)["error"]
    'rumourscore_error'
    """
    taken = {str(c) for c in columns}
    names = {}
    for column in SUMMARY_COLUMNS:
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
