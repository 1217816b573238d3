"""Explanations: what pushed a score up or down, per group of features, in words."""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any

from ._features import FEATURES
from ._highlight import STAGE_NAMES, fragment_html
from ._lexicons import sources
from ._tagger import Tag

__all__ = ["FEATURE_GROUPS", "FEATURE_LABELS", "Explanation", "group_contributions", "why_text"]

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
        Most groups named (at least 1).

    Raises
    ------
    TypeError
        If ``n`` is not a whole number. ``ValueError`` if it is under 1.

    Examples
    --------
    >>> why_text([("stage_ge8", 1.0, 1.6), ("hedge_count", 1.0, -0.3)])
    'deal stage raised it a lot; hedging lowered it somewhat'
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"n must be a whole number of groups, got {type(n).__name__}")
    if n < 1:  # (0 said "nothing in the text moved it"; -1 dropped the last group of all)
        raise ValueError(f"n must be at least 1, got {n}")
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
