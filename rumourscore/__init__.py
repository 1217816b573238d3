"""rumourscore: how likely is a football transfer rumour to come true?

The package tags rumour text (sources, hedges, deal stages, denials, contract details),
turns the tags into features, and scores them with a trained, calibrated classifier.
"""

__version__ = "0.1.0"

from ._api import Explanation, explain, load_model, score, score_frame
from ._batch import BatchError, BatchSummary, score_csv, score_file
from ._evaluate import chronological_split, evaluate, metrics, reliability_table
from ._features import RumourFeatures
from ._lexicons import SourceInfo
from ._model import ModelLoadError, RumourModel, TextChannel, train
from ._tagger import TAG_KINDS, Money, Tag, resolve_source, tag
from ._text import article_date, mask_names, split_sentences

__all__ = [
    "TAG_KINDS",
    "BatchError",
    "BatchSummary",
    "Explanation",
    "ModelLoadError",
    "Money",
    "RumourFeatures",
    "RumourModel",
    "SourceInfo",
    "Tag",
    "TextChannel",
    "__version__",
    "article_date",
    "chronological_split",
    "evaluate",
    "explain",
    "load_model",
    "mask_names",
    "metrics",
    "reliability_table",
    "resolve_source",
    "score",
    "score_csv",
    "score_file",
    "score_frame",
    "split_sentences",
    "tag",
    "train",
]
