"""``Report``: one rumour text tagged once, with its resolved source and date.

The tagging layer builds a :class:`Report` once per scored span and hands it upward:
features, the model, explanations, claims and pooling all read ``report.tags`` instead of
tagging the same text again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from ._lexicons import sources
from ._scan import TermHit
from ._tagger import Tag, resolve_source, scan
from ._text import MAX_TEXT_CHARS, parse_date

__all__ = ["Report", "make_report"]


@dataclass(frozen=True)
class Report:
    """A rumour text with its tags, its resolved source and its date.

    Attributes
    ----------
    text : str
        The text as scored (at most ``MAX_TEXT_CHARS`` characters).
    tags : tuple of Tag
        ``tag(text)``; offsets index ``text``.
    source : str or None
        Canonical name of the source: the one given (a column value) when the lexicon knows
        it, else the most reliable outlet the text names, else None.
    source_given : Any
        The source as given by the caller, before resolution.
    named_in_text : bool
        The text names an outlet or journalist.
    anonymous : bool
        The text has an anonymous attribution ("reports suggest").
    date : datetime.date or None
        The report date, when one was given and could be read.
    clubs, signals : tuple of TermHit or None
        The club names and ``signals.csv`` terms found in the same pass as the tags (see
        :func:`rumourscore._tagger.scan`); ``None`` when the tags were given, and the
        features then look them up.
    """

    text: str
    tags: tuple[Tag, ...]
    source: str | None
    source_given: Any
    named_in_text: bool
    anonymous: bool
    date: dt.date | None
    clubs: tuple[TermHit, ...] | None = None
    signals: tuple[TermHit, ...] | None = None


def make_report(text: Any, source: Any = None, date: Any = None, *, tags: Sequence[Tag] | None = None,
                monthfirst: bool = False) -> Report:  # fmt: skip
    """Tag ``text`` once (finding its clubs and signal terms in the same pass) and resolve its source and date.

    Parameters
    ----------
    text : str
        The rumour text; anything else counts as empty. It is truncated at ``MAX_TEXT_CHARS``.
    source : str, optional
        The outlet or journalist given alongside the text (wins over one the text names).
    date : str, datetime.date or pandas.Timestamp, optional
        The report date.
    tags : sequence of Tag, optional
        The tags of ``text`` when the caller already has them (e.g. a sentence of an article
        that was tagged once); they are not computed again.
    monthfirst : bool, default=False
        Read an ambiguous date such as ``05/06/2024`` month first (default: day first).
    """
    text = text[:MAX_TEXT_CHARS] if isinstance(text, str) else ""
    clubs = signals = None
    if tags is None:
        found_tags, found_clubs, found_signals = scan(text)
        found, clubs, signals = tuple(found_tags), tuple(found_clubs), tuple(found_signals)
    else:
        found = tuple(tags)
    named = []  # the outlets and journalists the text names
    anonymous = False
    for t in found:
        if t.kind == "source":
            if t.value is None:
                anonymous = True
            else:
                named.append(t.value)
    info = resolve_source(source)
    if info is None and named:
        info = min((sources()[n] for n in named), key=lambda s: s.tier)
    return _new_report(text, found, info.name if info else None, source, bool(named), anonymous,
                       parse_date(date, monthfirst=monthfirst), clubs, signals)  # fmt: skip


_FIELDS = tuple(field.name for field in fields(Report))


def _new_report(*values: Any) -> Report:
    """``Report(*values)`` without the frozen dataclass's ``__init__`` (a call of ``object.__setattr__``
    per field): the fields go into the new object's ``__dict__`` at once. The same object: equal,
    hashable, immutable afterwards."""
    report = object.__new__(Report)
    report.__dict__.update(zip(_FIELDS, values))
    return report
