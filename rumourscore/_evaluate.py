"""Honest evaluation: metrics, calibration, baselines, and a leak-free chronological split."""

from __future__ import annotations

import datetime as dt
import io
import numbers
import os
import textwrap
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from ._api import check_unique_columns
from ._io import atomic_write_bytes
from ._model import DEFAULT_BASE_RATE, RumourModel
from ._tagger import resolve_source
from ._text import parse_date

__all__ = [
    "SPLIT_DATE",
    "Evaluation",
    "baselines",
    "check_plot_path",
    "chronological_split",
    "evaluate",
    "evaluate_aggregate",
    "metrics",
    "plot_reliability",
    "reliability_table",
]  # fmt: skip

#: Train on reports before this date, test on reports from it on (the corpus' split).
SPLIT_DATE = "2023-07-01"
#: Bins of the reliability table and of the expected calibration error.
CALIBRATION_BINS = 10
#: Probabilities are clipped to this margin before log loss (a 0 or 1 would be infinite).
EPS = 1e-6


def _checked(y: Any, p: Any) -> tuple[np.ndarray, np.ndarray]:
    """``y`` as 0/1 integers and ``p`` as floats; ``ValueError`` unless they are one outcome (0 or 1)
    and one likelihood (a number in [0, 1]) per row."""
    y, p = np.asarray(y), np.asarray(p)
    if y.ndim != 1 or p.ndim != 1 or len(y) != len(p):
        raise ValueError(f"expected one outcome and one likelihood per row (two 1-D arrays of one length), "
                         f"got shapes {y.shape} and {p.shape}")  # fmt: skip
    try:
        y_num, p_num = y.astype(float), p.astype(float)
    except (TypeError, ValueError):
        raise ValueError(f"outcomes and likelihoods must be numbers, got {y[:3].tolist()} and {p[:3].tolist()}"
                         ) from None  # fmt: skip
    if not np.isin(y_num, (0.0, 1.0)).all():
        bad = y_num[~np.isin(y_num, (0.0, 1.0))]
        raise ValueError(f"outcomes must be 0 or 1 (none missing), found {bad[:5].tolist()}")
    if not (np.isfinite(p_num).all() and (p_num >= 0).all() and (p_num <= 1).all()):
        bad = p_num[~(np.isfinite(p_num) & (p_num >= 0) & (p_num <= 1))]
        raise ValueError(f"likelihoods must be numbers in [0, 1] (none missing), found {bad[:5].tolist()}")
    return y_num.astype(int), p_num


def reliability_table(y: Any, p: Any, bins: int = CALIBRATION_BINS) -> pd.DataFrame:
    """Equal-width bins of predicted likelihood with their observed frequency of outcome 1.

    Parameters
    ----------
    y : array-like of 0/1
        Outcomes.
    p : array-like of float
        Predicted likelihoods of outcome 1, one per outcome.
    bins : int, default=CALIBRATION_BINS (10)
        Number of equal-width bins over [0, 1]; a likelihood of exactly 1 falls in the last.

    Returns
    -------
    DataFrame
        One row per bin, empty bins included: ``bin`` (its edges as text, with as many decimals
        as keep them apart), ``n``, ``mean_predicted`` and ``observed`` (NaN for an empty bin).

    Raises
    ------
    ValueError
        Unless ``y`` holds 0/1 outcomes and ``p`` one likelihood in [0, 1] per outcome, and
        ``bins`` is a positive int.

    Examples
    --------
    >>> reliability_table([0, 1, 1], [0.05, 0.95, 1.0], bins=2)
       bin  n  mean_predicted  observed
    0  0.0-0.5  1  0.050  0.0
    1  0.5-1.0  2  0.975  1.0
    """
    y, p = _checked(y, p)
    if isinstance(bins, bool) or not isinstance(bins, numbers.Integral) or bins < 1:
        raise ValueError(f"bins must be a positive int, got {bins!r}")
    return _reliability(y, p, bins)


def _reliability(y: np.ndarray, p: np.ndarray, bins: int) -> pd.DataFrame:
    """:func:`reliability_table` of outcomes and likelihoods already checked."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    which = np.clip(np.digitize(p, edges[1:-1]), 0, bins - 1)
    decimals = next(d for d in range(1, 17) if len({f"{e:.{d}f}" for e in edges}) == len(edges))  # labels apart
    rows = []
    for b in range(bins):
        mask = which == b
        rows.append({
            "bin": f"{edges[b]:.{decimals}f}-{edges[b + 1]:.{decimals}f}", "n": int(mask.sum()),
            "mean_predicted": float(p[mask].mean()) if mask.any() else float("nan"),
            "observed": float(y[mask].mean()) if mask.any() else float("nan"),
        })  # fmt: skip
    return pd.DataFrame(rows)


def metrics(y: Any, p: Any) -> dict[str, float]:
    """ROC-AUC, Brier score, log loss, expected calibration error, and the positive rate.

    Parameters
    ----------
    y : array-like of 0/1
        Outcomes.
    p : array-like of float
        Predicted likelihoods of outcome 1.

    Returns
    -------
    dict
        ``n`` (int), ``positive_rate``, ``roc_auc`` (NaN with one class only), ``brier``,
        ``log_loss`` and ``ece`` (expected calibration error over :data:`CALIBRATION_BINS` bins).
        Only the log loss clips the likelihoods (to :data:`EPS`): the others read them as given.

    Raises
    ------
    ValueError
        If there is no row, the lengths differ, an outcome is not 0 or 1, or a likelihood is
        missing or outside [0, 1].

    Examples
    --------
    >>> m = metrics([0, 1, 1, 0], [0.2, 0.8, 0.6, 0.4])
    >>> m["n"], m["roc_auc"]
    (4, 1.0)
    """
    y, p = _checked(y, p)
    if not len(y):
        raise ValueError("no outcomes to measure: metrics need at least one row")
    table = _reliability(y, p, CALIBRATION_BINS)  # (y and p are checked once, above)
    filled = table[table["n"] > 0]
    ece = float((filled["n"] * (filled["mean_predicted"] - filled["observed"]).abs()).sum() / len(y))
    return {
        "n": len(y),
        "positive_rate": float(y.mean()),
        "roc_auc": float(roc_auc_score(y, p)) if len(set(y.tolist())) == 2 else float("nan"),
        "brier": float(brier_score_loss(y, p)),
        "log_loss": float(log_loss(y, np.clip(p, EPS, 1 - EPS), labels=[0, 1])),  # (only here: a 0 or 1 is infinite)
        "ece": ece,
    }


def chronological_split(reports: pd.DataFrame, split_date: str = SPLIT_DATE,
                        group_col: str = "subject") -> tuple[pd.DataFrame, pd.DataFrame]:  # fmt: skip
    """Train: reports before ``split_date``; test: from it on. Grouped by subject:
    a subject with any test report is dropped from training, so no saga straddles the cut.

    Dates are read one by one as :func:`rumourscore.score` reads them (any common form, mixed in
    one column, with or without a time zone). Rows without a readable date go to neither side,
    with a warning that counts them. Rows without a subject are no saga: they are kept on their side.

    Parameters
    ----------
    reports : DataFrame
        Reports with a ``date`` column (and ``group_col`` to group by, when present).
    split_date : str, default=SPLIT_DATE ("2023-07-01")
        First day of the test split, in any form :func:`rumourscore.score` reads.
    group_col : str, default="subject"
        The column naming each report's saga; without it the split is by date only.

    Returns
    -------
    (DataFrame, DataFrame)
        The training and the test rows, each in input order with the input's index.

    Raises
    ------
    TypeError
        If ``reports`` is not a DataFrame.
    ValueError
        If ``split_date`` is no date, there is no ``date`` column, or a column name is repeated.
    """
    if not isinstance(reports, pd.DataFrame):
        raise TypeError(f"reports must be a DataFrame, got {type(reports).__name__}")
    if "date" not in reports.columns:
        raise ValueError(f"no column 'date' to split by; columns found: {[str(c) for c in reports.columns]}")
    check_unique_columns(reports, "chronological_split")  # (a repeated 'date' is no one column to split by)
    days, test_mask = _dated(reports, split_date)
    known = np.array([d is not None for d in days], dtype=bool)
    if not known.all():
        warnings.warn(f"{int((~known).sum())} of {len(days)} reports have no readable date: they are in neither "
                      "the training nor the test split", UserWarning, stacklevel=2)  # fmt: skip
    train, test = reports[known & ~test_mask], reports[test_mask]
    if group_col in reports.columns:
        train = train[~train[group_col].isin(set(test[group_col].dropna()))]  # (a missing subject is no saga)
    return train, test


def _dated(reports: pd.DataFrame, split_date: str) -> tuple[list[dt.date | None], np.ndarray]:
    """Each report's day, read as :func:`rumourscore.score` reads it, and whether it falls on or after
    ``split_date`` (a report without a readable day falls on neither side).

    Raises ``ValueError`` if ``split_date`` is no date.
    """
    cut = parse_date(split_date)
    if cut is None:
        raise ValueError(f"split_date {split_date!r} is not a date (e.g. 2023-07-01)")
    days = [parse_date(d) for d in reports["date"].tolist()]
    return days, np.array([d is not None and d >= cut for d in days], dtype=bool)


def tier_labels(frame: pd.DataFrame) -> pd.DataFrame:
    """One ``tier`` column: each row's source tier as text ("1" ... "5", or "unknown")."""
    sources = frame["source"].tolist() if "source" in frame.columns else [None] * len(frame)
    return pd.DataFrame({"tier": [str(info.tier) if (info := resolve_source(s)) else "unknown" for s in sources]})


def tfidf_baseline() -> Any:
    """The unfitted words-only baseline: TF-IDF of word 1-2-grams into logistic regression."""
    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
                         LogisticRegression(C=1.0, max_iter=2000))  # fmt: skip


def baselines(train: pd.DataFrame, label_col: str = "outcome") -> dict[str, Any]:
    """Fit the comparison models on ``train``: base rate, source tier only, TF-IDF + LR.

    Returns a dict of name -> callable(frame) -> probabilities.
    """
    y = train[label_col].astype(int).to_numpy()
    rate = float(y.mean())
    tier = make_pipeline(OneHotEncoder(handle_unknown="ignore"), LogisticRegression(max_iter=1000))
    tier.fit(tier_labels(train), y)
    tfidf = tfidf_baseline().fit(train["text"].fillna("").astype(str), y)
    return {
        "base rate": lambda f: np.full(len(f), rate),
        "source tier only": lambda f: tier.predict_proba(tier_labels(f))[:, 1],
        "tf-idf + logistic regression": lambda f: tfidf.predict_proba(f["text"].fillna("").astype(str))[:, 1],
    }


@dataclass
class Evaluation:
    """Metrics of the model and of each baseline on one labelled set."""

    name: str
    scores: pd.DataFrame  # one row per model: n, roc_auc, brier, log_loss, ece
    reliability: pd.DataFrame
    likelihood: np.ndarray

    def __str__(self) -> str:
        fmt = self.scores.to_string(float_format=lambda v: f"{v:.3f}")
        rel = self.reliability.to_string(index=False, float_format=lambda v: f"{v:.3f}")
        return f"{self.name}\n{fmt}\n\nreliability (model)\n{rel}"

    def to_markdown_table(self) -> str:
        """The score table as a Markdown table (for the model card)."""
        cols = ["roc_auc", "brier", "log_loss", "ece"]
        lines = ["| model | n | ROC-AUC | Brier | log loss | ECE |", "|---|---|---|---|---|---|"]
        for name, row in self.scores.iterrows():
            lines.append(f"| {name} | {int(row['n'])} | " + " | ".join(f"{row[c]:.3f}" for c in cols) + " |")
        return "\n".join(lines)


def evaluate(model: RumourModel, labelled: pd.DataFrame, train: pd.DataFrame | None = None, *,
             label_col: str = "outcome", name: str = "evaluation",
             base_rate: float | None = DEFAULT_BASE_RATE) -> Evaluation:  # fmt: skip
    """Score ``labelled`` with ``model`` and, when ``train`` is given, with baselines fit on it.

    Parameters
    ----------
    model : RumourModel
        The model to evaluate.
    labelled : DataFrame
        ``text`` (optional ``source``, ``date``) and the label column.
    train : DataFrame, optional
        The training data: when given, the base-rate, source-tier and TF-IDF baselines are fit
        on it and scored on ``labelled`` in the same run.
    label_col : str, default="outcome"
        The 0/1 label column; rows without a text or a label are left out.
    name : str
        Title of the evaluation.
    base_rate : float or None
        Passed to the model (see :func:`rumourscore.score`).

    Returns
    -------
    Evaluation
        ``scores`` (one row per model: ``n`` as an integer, then the :func:`metrics`),
        ``reliability`` (the model's reliability table) and the model's ``likelihood`` per row.

    Raises
    ------
    TypeError
        If ``model`` is not a :class:`RumourModel` or a set of reports not a DataFrame.
    ValueError
        If the label column or the ``text`` column is missing (from ``train`` too), no row has
        both, a label is not 0 or 1, or ``train`` has one outcome only.
    """
    if not isinstance(model, RumourModel):
        raise TypeError(f"model must be a RumourModel (rumourscore.load_model(path) loads one), "
                        f"got {type(model).__name__}")  # fmt: skip
    for frame, what in ((labelled, "the labelled reports"), (train, "the training reports")):
        if frame is not None and not isinstance(frame, pd.DataFrame):
            raise TypeError(f"{what} must be a DataFrame, got {type(frame).__name__}")
        for column in ("text", label_col) if frame is not None else ():
            if column not in frame.columns:
                raise ValueError(f"{what}: no {'label ' if column == label_col else ''}column {column!r}; "
                                 f"columns found: {[str(c) for c in frame.columns]}")  # fmt: skip
    labelled, y = _labelled_rows(labelled, label_col, "the labelled reports")
    p = model.predict_proba(labelled, base_rate=base_rate)[:, 1]
    rows = {"rumourscore": metrics(y, p)}
    if train is not None:
        train, y_train = _labelled_rows(train, label_col, "the training reports")
        if len(set(y_train.tolist())) < 2:
            raise ValueError("the training reports: the baselines need both outcomes (0 and 1)")
        for base_name, predict in baselines(train.assign(**{label_col: y_train}), label_col).items():
            rows[base_name] = metrics(y, predict(labelled))
    scores = pd.DataFrame(rows).T[["n", "positive_rate", "roc_auc", "brier", "log_loss", "ece"]].astype({"n": int})
    return Evaluation(name, scores, reliability_table(y, p), p)


def _labelled_rows(frame: pd.DataFrame, label_col: str, what: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The rows of ``frame`` with a text and a label, and their labels as 0/1 integers.

    Raises ``ValueError`` (naming ``what``) if no row is left or a label is not 0 or 1.
    """
    frame = frame[frame["text"].notna() & frame[label_col].notna()].reset_index(drop=True)
    if frame.empty:
        raise ValueError(f"{what}: no row has both a text and a {label_col!r} label")
    try:
        labels = frame[label_col].to_numpy(dtype=float)
        bad = ~np.isin(labels, (0.0, 1.0))
    except (TypeError, ValueError):  # (text such as "yes")
        labels, bad = np.zeros(len(frame)), np.ones(len(frame), dtype=bool)
    if bad.any():
        found = sorted(set(map(str, frame[label_col][bad].tolist())))[:5]
        raise ValueError(f"{what}: labels in {label_col!r} must be 0 or 1; found values such as {found}")
    return frame, labels.astype(int)


#: Image formats :func:`plot_reliability` writes, by file extension.
PLOT_SUFFIXES = (".png", ".svg", ".pdf")


def check_plot_path(path: str | os.PathLike[str]) -> Path:
    """``path`` as a ``Path``; ``ValueError`` unless its extension is one of :data:`PLOT_SUFFIXES`."""
    path = Path(path)
    if path.suffix.lower() not in PLOT_SUFFIXES:
        raise ValueError(f"the reliability diagram is written as {', '.join(PLOT_SUFFIXES)}; {path} has none of these")
    return path


def plot_reliability(report: Evaluation, path: str | os.PathLike[str]) -> Path:
    """Write a reliability diagram (PNG, SVG or PDF by the extension; needs the ``plot`` extra: matplotlib).

    The file is written atomically. Raises ``ValueError`` for another extension (:func:`check_plot_path`).
    """
    path = check_plot_path(path)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("the reliability diagram needs matplotlib: pip install 'rumourscore[plot]'") from exc
    table = report.reliability[report.reliability["n"] > 0]
    fig, ax = plt.subplots(figsize=(4.5, 4.5), dpi=120)
    ax.plot([0, 1], [0, 1], ls="--", color="grey", lw=1, label="perfectly calibrated")
    ax.plot(table["mean_predicted"], table["observed"], marker="o", label="rumourscore")
    for _, row in table.iterrows():
        ax.annotate(str(int(row["n"])), (row["mean_predicted"], row["observed"]), fontsize=7,
                    textcoords="offset points", xytext=(4, -8))  # fmt: skip
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="predicted likelihood", ylabel="observed share true")
    ax.set_title(textwrap.fill(report.name, 48), fontsize=8)
    ours = report.scores.loc["rumourscore"]
    ax.text(0.98, 0.03, f"ROC-AUC {ours['roc_auc']:.3f}\nBrier {ours['brier']:.3f}\nECE {ours['ece']:.3f}",
            ha="right", va="bottom", fontsize=8, transform=ax.transAxes)  # fmt: skip
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    image = io.BytesIO()
    fig.savefig(image, format=path.suffix.lower()[1:])
    plt.close(fig)
    atomic_write_bytes(path, image.getvalue())
    return path


def evaluate_aggregate(reports_df: pd.DataFrame | str | os.PathLike[str], model: RumourModel | None = None, *,
                       split_date: str | None = None) -> pd.DataFrame:  # fmt: skip
    """Compare the pooled claim likelihood with the mean and the max of its reports' scores.

    Parameters
    ----------
    reports_df : DataFrame, str or path-like
        A labelled corpus (``id, date, text, source, subject, from_club, to_club, outcome``)
        or the path of one (CSV). Reports dated on or after ``split_date`` form the test split;
        dates are read as :func:`rumourscore.chronological_split` reads them (so a report is
        never both in the default model's training split and in the test split).
    model : RumourModel, optional
        A model that has not seen the test split. By default one is trained here on the
        reports before ``split_date`` (grouped by subject, see
        :func:`rumourscore.chronological_split`): the shipped model is trained on the whole
        corpus, test split included, so it would flatter every method.
    split_date : str, optional
        First day of the test split; defaults to the corpus' split, :data:`SPLIT_DATE`.

    Returns
    -------
    DataFrame
        Indexed by method (``combined``, ``mean``, ``max``) with columns ``auc``, ``brier``,
        ``n_claims``, ``n_reports`` and ``positive_rate``. A claim's label is the outcome of
        its latest report (reports of one claim share an outcome only within one 365-day
        window, so the last one speaks for the claim).

    Raises
    ------
    TypeError
        If ``reports_df`` is neither a DataFrame nor a path.
    ValueError
        If a column of ``date, text, subject, to_club, outcome`` is missing, no report is dated
        on or after ``split_date``, or an outcome is not 0 or 1.
    """
    from ._api import score_frame
    from ._pool import aggregate_groups

    split_date = split_date or SPLIT_DATE
    frame = pd.read_csv(reports_df) if isinstance(reports_df, (str, os.PathLike)) else reports_df
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"reports_df must be a DataFrame or a CSV path, got {type(reports_df).__name__}")
    missing = [c for c in ("date", "text", "subject", "to_club", "outcome") if c not in frame.columns]
    if missing:
        raise ValueError(f"evaluate_aggregate() needs columns {missing}; columns found: {list(frame.columns)}")
    # (read as chronological_split reads them: pandas' own reading put "06/05/2023" on the other
    # side of a June cut, in the default model's training split and in the test split at once)
    days, in_test = _dated(frame, split_date)
    test = frame[in_test].reset_index(drop=True)
    test_days = [d for d, t in zip(days, in_test) if t]
    if test.empty:
        raise ValueError(f"no reports dated on or after {split_date}")
    if model is None:
        from ._model import train

        model = train(chronological_split(frame, split_date)[0])
    scored = score_frame(test, model=model)
    result, groups = aggregate_groups(scored)
    labels, means, maxes = [], [], []
    for members in groups:
        last = max(members, key=lambda i: (test_days[i], i))
        labels.append(float(test["outcome"].iloc[last]))
        values = scored["likelihood"].to_numpy(dtype=float)[members]
        means.append(float(np.mean(values)))
        maxes.append(float(np.max(values)))
    y = np.asarray(labels)
    rows = []
    for method, p in (("combined", result["likelihood"].to_numpy(dtype=float)), ("mean", np.asarray(means)),
                      ("max", np.asarray(maxes))):  # fmt: skip
        scores = metrics(y, p)
        rows.append({"method": method, "auc": scores["roc_auc"], "brier": scores["brier"], "n_claims": len(y),
                     "n_reports": int(sum(len(m) for m in groups)),
                     "positive_rate": scores["positive_rate"]})  # fmt: skip
    return pd.DataFrame(rows).set_index("method")
