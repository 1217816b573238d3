"""Scoring: each live evidence span scored once by the model, and the claim's combined likelihood.

Each live evidence sentence (or segment, when one sentence holds several destinations) is
scored with the sentence's own named source ("As per Eurosport") or else the article's
``source``, and the article date. Its tags are the ones the article pass found (the
sentence is not tagged again). The claim's likelihood is the score of its
**best-supported sentence**; every denial sentence that comes *after* it multiplies the
odds by ``DENIAL_ODDS_FACTOR ** strength`` (strength = the denial's weight in
``denials.csv``, 0.5-1.0), at most ``MAX_DENIALS_APPLIED`` times (:func:`combine_evidence`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .._api import model_or_default
from .._lexicons import normalise_term, sources
from .._model import DEFAULT_BASE_RATE, RumourModel, check_base_rate
from .._report import Report, make_report
from .._tagger import Tag, resolve_source
from .._text import MAX_TEXT_CHARS, check_date, check_source, is_missing
from .extraction import MAX_ARTICLE_CHARS, Analysis, analyse
from .status import draft_status
from .types import Claim, Draft, Evidence
from .vocabulary import denial_strengths

__all__ = ["DENIAL_ODDS_FACTOR", "MAX_DENIALS_APPLIED", "claims", "combine_evidence", "expit", "expits", "logit",
           "logits", "validate_text"]  # fmt: skip

#: Odds multiplier for one full-strength denial that comes after the best-supported sentence.
DENIAL_ODDS_FACTOR = 0.35
#: At most this many later denials lower a claim (the rest add nothing).
MAX_DENIALS_APPLIED = 2
#: Probabilities are clipped this far from 0 and 1 before taking log-odds.
LOGIT_CLIP = 1e-6

Span = tuple[int, int]
#: An evidence span and the starts of the denials set aside in it for one claim.
Key = tuple[int, int, tuple[int, ...]]


def _denial_strength(tags: Iterable[Tag]) -> float:
    """The weight of the strongest denial among ``tags`` (0.5 for an unknown one)."""
    weights = denial_strengths()
    values = [weights.get(normalise_term(t.text), 0.5) for t in tags if t.kind == "denial"]
    return max(values, default=0.5)


def logit(p: float) -> float:
    """Log-odds of ``p``, clipped to [LOGIT_CLIP, 1 - LOGIT_CLIP]."""
    p = min(max(p, LOGIT_CLIP), 1 - LOGIT_CLIP)
    return math.log(p / (1 - p))


def logits(p: np.ndarray) -> np.ndarray:
    """:func:`logit` of every element of an array."""
    p = np.clip(p, LOGIT_CLIP, 1 - LOGIT_CLIP)
    return np.log(p / (1 - p))


def expits(x: np.ndarray) -> np.ndarray:
    """:func:`expit` of every element of an array."""
    return 1.0 / (1.0 + np.exp(-x))


def expit(x: float) -> float:
    """The probability of log-odds ``x``."""
    return 1.0 / (1.0 + math.exp(-x))


def combine_evidence(evidence: Sequence[Evidence]) -> float | None:
    """The likelihood of a claim from its scored evidence (the documented combination rule).

    The best-supported sentence's score, lowered for each later denial: the odds are
    multiplied by ``DENIAL_ODDS_FACTOR ** strength`` per denial after that sentence
    (at most ``MAX_DENIALS_APPLIED``). Background evidence is ignored.

    Parameters
    ----------
    evidence : sequence of Evidence
        A claim's evidence.

    Returns
    -------
    float or None
        The combined likelihood; ``None`` when no evidence is scored.
    """
    scored = [ev for ev in evidence if ev.role in ("support", "denial", "completed") and ev.likelihood is not None]
    if not scored:
        return None
    support = [ev for ev in scored if ev.role != "denial"] or scored
    best = max(support, key=lambda ev: (ev.likelihood, -ev.start))
    log_odds = logit(float(best.likelihood))
    later = [ev for ev in scored if ev.role == "denial" and ev.start > best.start][:MAX_DENIALS_APPLIED]
    for ev in later:
        log_odds += _denial_strength(ev.tags) * math.log(DENIAL_ODDS_FACTOR)
    return expit(log_odds)


def validate_text(text: Any, function: str) -> str | None:
    """The text to analyse, ``None`` for a missing/empty one; TypeError for anything else.

    Warns when the text is longer than :data:`MAX_ARTICLE_CHARS` (only its start is read).
    """
    if is_missing(text):
        return None
    if not isinstance(text, str):
        raise TypeError(f"{function}() expects a str, got {type(text).__name__}")
    if len(text) > MAX_ARTICLE_CHARS:  # (claims() and render_html() call this: the caller's line is two up)
        warnings.warn(f"the article has {len(text):,} characters: {function}() reads only its first "
                      f"{MAX_ARTICLE_CHARS:,}", stacklevel=3)  # fmt: skip
    return text if text.strip() else None


def claims(text: str, *, source: str | None = None, date: Any = None, model: RumourModel | None = None,
           base_rate: float | None = DEFAULT_BASE_RATE) -> list[Claim]:  # fmt: skip
    """Pull every transfer claim out of an article and score each.

    Parameters
    ----------
    text : str
        An article, a gossip column or one line. A leading ``date 2024-11-14`` header line
        is skipped and gives the date when ``date`` is not passed.
    source : str, optional
        The outlet that published the article. A sentence that names its own source
        ("As per Eurosport") is scored with that one instead.
    date : str or datetime.date, optional
        Publication date; decides which years are "the past" and feeds the model.
    model : RumourModel, optional
        Defaults to the shipped model (:func:`rumourscore.load_model`).
    base_rate : float or None, default=DEFAULT_BASE_RATE (0.30)
        The share of rumours that come true in your feed (see :func:`rumourscore.score`).

    Returns
    -------
    list of Claim
        In order of first mention. Empty for an empty or ``None`` text.

    Raises
    ------
    TypeError
        If ``text`` is neither a string nor ``None``, ``source`` neither a string nor missing, or
        ``model`` not a :class:`RumourModel`. ``ValueError`` if ``date`` is given but
        cannot be read, or ``base_rate`` is not strictly between 0 and 1.

    Examples
    --------
    >>> found = claims("Arsenal are keen on Lille striker Jonathan David, 24, according to L'Equipe.")
    >>> [(c.subject, c.from_club, c.to_club, c.status) for c in found]
    [('Jonathan David', 'Lille', 'Arsenal', 'rumour')]
    """
    text = validate_text(text, "claims")
    check_source(source, "claims")
    check_date(date)  # (as score() does: a date given must be read, not dropped)
    check_base_rate(base_rate)
    if model is not None:  # (the shipped model is loaded only when a claim is scored)
        model = model_or_default(model)
    if text is None:
        return []
    analysis = analyse(text, date)
    if not analysis.drafts:
        return []
    return finish_claims(analysis, source, model, base_rate=base_rate)


def _sentence_source(tags: Sequence[Tag], source: str | None) -> tuple[str | None, str | None]:
    """(source passed to the model, name reported): a source named in the sentence wins."""
    named = [sources()[t.value] for t in tags if t.kind == "source" and t.value is not None]
    if named:
        best = min(named, key=lambda s: s.tier)
        return best.name, best.name
    info = resolve_source(source)
    return source, (info.name if info else (source if isinstance(source, str) and source.strip() else None))


def _span_report(analysis: Analysis, span: Span, tags: tuple[Tag, ...], source: str | None) -> Report:
    """The report the model scores for one evidence span, built from the tags the article pass found."""
    a, b = span
    relative = [Tag(t.kind, t.start - a, t.end - a, t.text, t.value) for t in tags if t.end - a <= MAX_TEXT_CHARS]
    return make_report(analysis.text[a:b], source, analysis.date, tags=relative)


def _score_spans(analysis: Analysis, to_score: list[Key], span_tags: dict[Key, tuple[Tag, ...]],
                 source: str | None, model: RumourModel | None, base_rate: float | None = DEFAULT_BASE_RATE
                 ) -> dict[Key, tuple[float, str | None]]:  # fmt: skip
    """Score every live evidence span in one batch: span key -> (likelihood, source reported)."""
    if not to_score:
        return {}
    model = model_or_default(model)
    rows = [_sentence_source(span_tags[key], source) for key in to_score]
    reports = [_span_report(analysis, key[:2], span_tags[key], used) for key, (used, _) in zip(to_score, rows)]
    values = model.score_reports(reports, base_rate=base_rate)
    return {sp: (float(v), r[1]) for sp, v, r in zip(to_score, values, rows)}


def _evidence(analysis: Analysis, draft: Draft, span_tags: dict[Key, tuple[Tag, ...]],
              scores: dict[Key, tuple[float, str | None]]) -> tuple[Evidence, ...]:  # fmt: skip
    """A draft's evidence in text order, one entry per span, with its tags and score."""
    evidence = []
    seen: set[Span] = set()
    for a, b, role, aside in sorted(draft.evidence):
        if (a, b) in seen:
            continue
        seen.add((a, b))
        key = (a, b, aside)
        likelihood, used = scores.get(key, (None, None)) if role != "background" else (None, None)
        evidence.append(Evidence(analysis.text[a:b], a, b, span_tags[key], role, likelihood, used))
    return tuple(evidence)


def _claim(analysis: Analysis, draft: Draft, status: str, evidence: tuple[Evidence, ...]) -> Claim:
    """The finished claim of a draft: display name, origin, role and combined likelihood."""
    likelihood = combine_evidence(evidence) if status in ("rumour", "denied") else None
    from_club = draft.from_club
    if from_club is None and status != "background":
        from_club = analysis.current_club.get(draft.subject)
    if from_club == draft.to_club:
        from_club = None
    name = analysis.names.get(draft.subject, draft.subject)
    role = analysis.roles.get(draft.subject, "player")
    return Claim(name, from_club, draft.to_club, role, status, likelihood, evidence)


def finish_claims(analysis: Analysis, source: str | None, model: RumourModel | None, *,
                  base_rate: float | None = DEFAULT_BASE_RATE) -> list[Claim]:  # fmt: skip
    """Score the drafts of an analysed article and turn them into claims, in order of first mention."""
    drafts = [d for d in analysis.drafts if d.evidence]
    statuses = {id(d): draft_status([r for _, _, r, _ in sorted(d.evidence)]) for d in drafts}
    # the tags of every evidence span come from its sentence's tags, less the denials set aside for the
    # claim ("turned down Liverpool to join Real Madrid"); all live spans are scored in one batch
    span_tags = {
        (a, b, aside): tuple(t for t in analysis.span_tags(a, b) if t.start not in aside)
        for d in drafts for a, b, _, aside in d.evidence
    }  # fmt: skip
    to_score = sorted({(a, b, aside) for d in drafts for a, b, r, aside in d.evidence
                       if r != "background" and statuses[id(d)] != "background"})  # fmt: skip
    scores = _score_spans(analysis, to_score, span_tags, source, model, base_rate)
    out = [(d.first_pos, _claim(analysis, d, statuses[id(d)], _evidence(analysis, d, span_tags, scores)))
           for d in drafts]  # fmt: skip
    out.sort(key=lambda item: item[0])
    return [c for _, c in out]
