"""Rendering: a plain-text table of claims, and an HTML page of the article with its claims.

The page comes from the template file ``claims.html.tmpl`` next to this module (its CSS
inline in the template, nothing loaded from outside); every piece of text put into it is
escaped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from string import Template
from typing import Any

from .._api import model_or_default
from .._explanation import why_text
from .._highlight import KIND_COLOURS, KIND_NAMES, TAG_CSS, Mark, fragment_html, highlight, non_overlapping, tag_marks
from .._model import RumourModel
from .._report import make_report
from .._tagger import Tag
from .._text import check_date, check_source
from .extraction import Analysis, analyse
from .scoring import finish_claims, validate_text
from .types import Claim, Evidence

__all__ = ["claim_html", "format_claims", "render_html"]

#: The tag kinds shown in the legend, in order (each has its own colour).
LEGEND_KINDS = tuple(KIND_COLOURS)


@cache
def _template() -> Template:
    """The page template, read once from the package."""
    return Template(resources.files(__package__).joinpath("claims.html.tmpl").read_text("utf-8"))


def format_claims(found: Sequence[Claim], *, evidence: bool = False) -> str:
    """A plain-text table of claims for a terminal.

    Parameters
    ----------
    found : sequence of Claim
    evidence : bool, default=False
        Also list each claim's sentences with their scores under the table.

    Raises
    ------
    TypeError
        If ``found`` is not a sequence of :class:`Claim`.

    Examples
    --------
    >>> print(format_claims([]))
    no claims found
    """
    found = claim_list(found, "format_claims")
    if not found:
        return "no claims found"
    header = ("#", "subject", "from", "to", "role", "status", "likelihood", "sentences")
    rows = [
        (str(i), c.subject, c.from_club or "-", c.to_club or "(leaving)", c.role, c.status,
         "-" if c.likelihood is None else f"{c.likelihood:.1%}", str(len(c.evidence)))
        for i, c in enumerate(found, 1)
    ]  # fmt: skip
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    numeric = {0, 6, 7}

    def line(cells: Sequence[str]) -> str:
        padded = (c.rjust(w) if k in numeric else c.ljust(w) for k, (c, w) in enumerate(zip(cells, widths)))
        return "  ".join(padded).rstrip()

    lines = [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]
    if evidence:
        for i, c in enumerate(found, 1):
            lines.append("")
            lines.append(f"[{i}] {c.subject} -> {c.to_club or '(leaving)'}")
            for ev in c.evidence:
                score = "     -" if ev.likelihood is None else f"{ev.likelihood:6.1%}"
                sentence = ev.text if len(ev.text) <= 110 else ev.text[:107] + "..."
                lines.append(f"  {score}  {ev.role:<10}  {sentence}")
    return "\n".join(lines)


def claim_list(found: Any, caller: str) -> list[Claim]:
    """``found`` as a list of claims (``None`` is none); a ``TypeError`` naming ``caller`` for anything else."""
    if found is None:
        return []
    if isinstance(found, Claim):
        raise TypeError(f"{caller}() expects a list of claims, got one Claim: pass [claim]")
    if isinstance(found, str | bytes) or not isinstance(found, Iterable):
        raise TypeError(f"{caller}() expects a list of claims (as rumourscore.claims returns), "
                        f"got {type(found).__name__}")  # fmt: skip
    found = list(found)
    bad = next((c for c in found if not isinstance(c, Claim)), None)
    if bad is not None:
        raise TypeError(f"{caller}() expects Claim objects (as rumourscore.claims returns), got a {type(bad).__name__}")
    return found


def _marks(analysis: Analysis) -> list[Mark]:
    """Non-overlapping highlighted spans: (start, end, css class, data-kind, title). Tags win."""
    items: list[Mark] = tag_marks(analysis.tags)
    for c in analysis.clubs:
        items.append((c.start, c.end, "ent ent-club", "club", f"club: {c.club}"))
    for p in analysis.persons:
        if p.anaphor:
            continue
        items.append((p.start, p.end, "ent ent-person", "person", f"person: {analysis.names.get(p.key, p.text)}"))
    items.sort(key=lambda x: (x[0], 0 if x[2].startswith("tag") else 1, -(x[1] - x[0])))
    out: list[Mark] = []
    last_end = -1
    for item in items:
        if item[0] >= last_end and item[1] > item[0]:
            out.append(item)
            last_end = item[1]
    return out


def render_html(text: str, found: Sequence[Claim] | None = None, *, source: str | None = None, date: Any = None,
                model: RumourModel | None = None, title: str = "rumourscore: claims") -> str:  # fmt: skip
    """A self-contained HTML page: the article with its tags and mentions highlighted, and the claims.

    Tagged spans become ``<mark class="tag tag-KIND" data-kind="KIND" title="KIND=VALUE">``;
    club and person mentions become ``<mark class="ent ent-club" data-kind="club">`` and
    ``<mark class="ent ent-person" data-kind="person">``. The claim table lists subject, from,
    to, role, status and likelihood, with each claim's sentences and scores below it. All
    CSS is inline, nothing is loaded from outside, and every piece of text is escaped.

    Parameters
    ----------
    text : str
        The article (a ``date ...`` header line is shown as the date).
    found : sequence of Claim, optional
        Claims already extracted from ``text``, shown as they are; by default they are
        extracted here, from the same pass over the article that gives the highlights.
    source, date, model
        As for :func:`claims`.
    title : str
        The page title.

    Returns
    -------
    str
        The page.

    Raises
    ------
    TypeError
        If ``text`` is neither a string nor ``None``, ``found`` is not a sequence of :class:`Claim`,
        ``source`` is neither a string nor missing, or ``title`` is not a string. ``ValueError``
        if ``date`` is given but cannot be read.
    """
    checked = validate_text(text, "render_html")
    check_source(source, "render_html")
    check_date(date)
    if not isinstance(title, str):
        raise TypeError(f"render_html: title must be a str, got {type(title).__name__}")
    if model is not None:
        model = model_or_default(model)
    body_text = checked or ""
    analysis = analyse(body_text, date)
    if found is not None:
        found = claim_list(found, "render_html")
    else:
        found = finish_claims(analysis, source, model) if checked and analysis.drafts else []
    meta = []
    if analysis.date:
        meta.append(f"date {html.escape(analysis.date)}")
    if source:
        meta.append(f"source {html.escape(str(source))}")
    moved = _what_moved(found, analysis.date, model) if found else {}
    return _template().substitute(
        title=html.escape(title), meta=" &middot; ".join(meta), legend=_legend(), tag_css=TAG_CSS,
        paragraphs=_paragraphs(body_text, analysis), table=_claim_table(found),
        evidence=_evidence_blocks(found, moved),
    )  # fmt: skip


def _paragraphs(body_text: str, analysis: Analysis) -> str:
    """The article body, paragraph by paragraph, with its marks."""
    marks = _marks(analysis)
    paragraphs: list[str] = []
    start = analysis.body_start
    for m in re.finditer(r"\n\s*\n", body_text[: len(analysis.text)] + "\n\n"):
        end = min(m.start(), len(analysis.text))
        if start < end and body_text[start:end].strip():
            paragraphs.append(f"<p>{highlight(analysis.text, start, end, marks)}</p>")
        start = max(start, m.end())
    return "".join(paragraphs)


def _legend() -> str:
    """One sample mark per tag kind and per mention kind."""
    return "".join(
        f'<mark class="tag tag-{k}" data-legend="{k}">{html.escape(KIND_NAMES.get(k, k))}</mark>' for k in LEGEND_KINDS
    ) + ('<mark class="ent ent-club" data-legend="club">club</mark>'
         '<mark class="ent ent-person" data-legend="person">person</mark>')  # fmt: skip


def _claim_table(found: Sequence[Claim]) -> str:
    """The claims table (or a line saying there is none)."""
    rows = []
    for i, c in enumerate(found, 1):
        likelihood = "&ndash;" if c.likelihood is None else f"{c.likelihood:.1%}"
        rows.append(
            f'<tr class="claim status-{html.escape(c.status)}" data-status="{html.escape(c.status)}">'
            f'<td class="num">{i}</td><td>{html.escape(c.subject)}</td><td>{html.escape(c.from_club or "-")}</td>'
            f"<td>{html.escape(c.to_club or '(leaving)')}</td><td>{html.escape(c.role)}</td>"
            f'<td><span class="status">{html.escape(c.status)}</span></td><td class="num">{likelihood}</td></tr>'
        )
    if not rows:
        return "<p>No claims found.</p>"
    return ('<table class="claims"><thead><tr><th>#</th><th>subject</th><th>from</th><th>to</th><th>role</th>'
            f"<th>status</th><th>likelihood</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")  # fmt: skip


def _best_evidence(claim: Claim) -> Evidence | None:
    """The sentence a claim's likelihood starts from (the rule of :func:`combine_evidence`)."""
    scored = [ev for ev in claim.evidence if ev.role != "background" and ev.likelihood is not None]
    support = [ev for ev in scored if ev.role != "denial"] or scored
    return max(support, key=lambda ev: (ev.likelihood, -ev.start)) if support else None


def _what_moved(found: Sequence[Claim], date: Any, model: RumourModel | None) -> dict[int, str]:
    """Per claim (by position): what moved its score, in words, from the sentence it starts from."""
    model = model_or_default(model)
    moved = {}
    for i, claim in enumerate(found):
        best = _best_evidence(claim)
        if best is None or claim.likelihood is None:
            continue
        tags = [Tag(t.kind, t.start - best.start, t.end - best.start, t.text, t.value) for t in best.tags]
        report = make_report(best.text, best.source, date, tags=tags)
        why = why_text(model.contributions(report)[1])
        denials = sum(ev.role == "denial" and ev.start > best.start for ev in claim.evidence)
        moved[i] = why + ("; a later denial lowered it" if denials == 1 else f"; {denials} later denials lowered it"
                          if denials else "")  # fmt: skip
    return moved


def _evidence_blocks(found: Sequence[Claim], moved: dict[int, str] | None = None) -> str:
    """Each claim's what-moved-it line and its sentences, highlighted, with their roles and scores."""
    blocks = []
    for i, c in enumerate(found, 1):
        why = (moved or {}).get(i - 1)
        blocks.append(
            f"<h2>{i}. {html.escape(c.subject)} &rarr; {html.escape(c.to_club or '(leaving)')}</h2>"
            + (f'<p class="why">what moved it: {html.escape(why)}</p>' if why else "")
            + f'<ol class="evidence">{_evidence_items(c)}</ol>'
        )
    return "".join(blocks)


def _evidence_items(claim: Claim) -> str:
    """A claim's sentences as list items: role, score, and the sentence with its tags highlighted."""
    items = []
    for ev in claim.evidence:
        score = "&ndash;" if ev.likelihood is None else f"{ev.likelihood:.1%}"
        text = highlight(ev.text, 0, len(ev.text), non_overlapping(tag_marks(ev.tags, ev.start)))
        items.append(f'<li><span class="score">[{html.escape(ev.role)} {score}]</span> {text}</li>')
    return "".join(items)


def claim_html(claim: Claim) -> str:
    """A Jupyter view of one claim: its sentences highlighted as in the HTML view, with their scores.

    Parameters
    ----------
    claim : Claim

    Returns
    -------
    str
        A self-contained HTML fragment.
    """
    likelihood = "no likelihood" if claim.likelihood is None else f"likelihood {claim.likelihood:.1%}"
    head = (f"{claim.subject}: {claim.from_club or '?'} -> {claim.to_club or '(leaving)'} "
            f"({claim.role}, {claim.status}, {likelihood})")  # fmt: skip
    return fragment_html("", (), head, [], extra_html=f'<ol class="evidence">{_evidence_items(claim)}</ol>')
