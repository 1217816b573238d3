"""rumourscore: how likely is a football transfer rumour to come true?

The package tags rumour text (sources, hedges, deal stages, denials, contract details),
turns the tags into features, and scores them with a trained, calibrated classifier.

Scoring needs only numpy; the names that need scikit-learn, pandas or Dask (training,
evaluation, estimators, batch files, claims) are imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from ._api import explain, load_model, score, score_frame
from ._explanation import Explanation
from ._lexicons import SourceInfo
from ._model import RumourModel, train
from ._persist import ModelLoadError
from ._tagger import TAG_KINDS, Money, Tag, resolve_source, tag
from ._text import article_date, mask_names, split_sentences
from ._version import __version__

#: Public names imported lazily: name -> private module.
_LAZY = {
    "RumourFeatures": "._estimators", "SignedLogisticRegression": "._estimators",
    "evaluate": "._evaluate", "metrics": "._evaluate", "reliability_table": "._evaluate",
    "chronological_split": "._evaluate",
    "BatchError": "._tables", "BatchSummary": "._tables", "score_csv": "._batch", "score_file": "._batch",
    "Claim": "._claims", "Evidence": "._claims", "claims": "._claims", "aggregate": "._pool",
    "render_html": "._claims", "format_claims": "._claims", "evaluate_aggregate": "._evaluate",
    "score_feed": "._feed",
}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'rumourscore' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "TAG_KINDS",
    "BatchError",
    "BatchSummary",
    "Claim",
    "Evidence",
    "Explanation",
    "ModelLoadError",
    "Money",
    "RumourFeatures",
    "RumourModel",
    "SignedLogisticRegression",
    "SourceInfo",
    "Tag",
    "__version__",
    "aggregate",
    "article_date",
    "chronological_split",
    "claims",
    "evaluate",
    "evaluate_aggregate",
    "explain",
    "format_claims",
    "load_model",
    "mask_names",
    "metrics",
    "reliability_table",
    "render_html",
    "resolve_source",
    "score",
    "score_csv",
    "score_feed",
    "score_file",
    "score_frame",
    "split_sentences",
    "tag",
    "train",
]
