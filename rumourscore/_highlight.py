"""Highlighted text: the one place that turns tags into ``<mark>`` elements, colours and tooltips.

Used by the HTML view of :func:`rumourscore.render_html` and by the Jupyter views
(``Explanation._repr_html_``, ``Claim._repr_html_``), so a tag looks the same everywhere.
Every piece of text put into the markup is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from ._tagger import Money, Tag

__all__ = ["KIND_COLOURS", "KIND_NAMES", "STAGE_NAMES", "TAG_CSS", "Mark", "fragment_html", "highlight",
           "non_overlapping", "tag_marks", "tag_title"]  # fmt: skip

#: A highlighted span: (start, end, css class, data-kind, tooltip).
Mark = tuple[int, int, str, str, str]

#: Plain names of the deal-stage levels of ``stages.csv``.
STAGE_NAMES = {1: "monitoring", 2: "interest", 3: "contact or talks", 4: "a bid", 5: "close to a deal",
               6: "fee agreed", 7: "personal terms agreed", 8: "medical", 9: "here we go",
               10: "done or official"}  # fmt: skip
#: Words for each tag kind, in tooltips and legends.
KIND_NAMES = {"source": "source", "hedge": "hedge", "stage": "deal stage", "denial": "denial", "fee": "fee",
              "wage": "wage", "valuation": "valuation", "release_clause": "release clause", "add_ons": "add-ons",
              "contract_expiry": "contract expires", "contract_length": "contract length", "loan": "loan",
              "age": "age"}  # fmt: skip
#: One background colour per tag kind (and an underline per mention kind).
KIND_COLOURS = {"source": "#d7e8ff", "hedge": "#fff1b8", "stage": "#c9f2d0", "denial": "#ffd0d0",
                "fee": "#e9dcff", "wage": "#f9d7f0", "valuation": "#dcd3f5", "release_clause": "#ffd9b3",
                "add_ons": "#e2f0c4", "contract_expiry": "#ffe2c6", "contract_length": "#f5e6b8",
                "loan": "#d4f4f4", "age": "#eeeeee"}  # fmt: skip
#: The CSS of the marks (inline in every page and Jupyter view).
TAG_CSS = (
    "mark{border-radius:3px;padding:0 2px;color:inherit}"
    + "".join(f".tag-{kind}{{background:{colour}}}" for kind, colour in KIND_COLOURS.items())
    + ".ent{background:none;border-bottom:2px solid}.ent-club{border-color:#2f6fde}.ent-person{border-color:#c2410c}"
)


def _value_words(t: Tag) -> str:
    value = t.value
    if t.kind == "stage" and isinstance(value, int):
        return STAGE_NAMES.get(value, str(value))
    if t.kind == "source":
        return "anonymous" if value is None else str(value)
    if t.kind in ("hedge", "denial") and isinstance(value, float):
        return f"strength {value:g}"
    if t.kind == "contract_length" and isinstance(value, int | float):
        return f"{value:g} year" + ("" if value == 1 else "s")
    if t.kind == "contract_expiry":
        return f"in {value}" if value is not None else ""
    if t.kind == "loan":
        return {"option": "with an option to buy", "obligation": "with an obligation to buy"}.get(str(value), "")
    if isinstance(value, Money):
        return str(value)
    return "" if value is None else str(value)


def tag_title(t: Tag) -> str:
    """The tooltip of a tag, in words: ``"deal stage: fee agreed"``, ``"source: Sky Sports"``.

    Examples
    --------
    >>> tag_title(Tag("stage", 0, 4, "done", 10))
    'deal stage: done or official'
    >>> tag_title(Tag("denial", 0, 6, "denied", None))
    'denial'
    """
    name = KIND_NAMES.get(t.kind, t.kind.replace("_", " "))
    words = _value_words(t)
    if t.kind == "contract_expiry" and words:
        return f"{name} {words}"
    return f"{name}: {words}" if words else name


def tag_marks(tags: Iterable[Tag], offset: int = 0) -> list[Mark]:
    """Marks of ``tags``, shifted by ``-offset`` (for a sentence cut out of a longer text)."""
    return [(t.start - offset, t.end - offset, f"tag tag-{t.kind}", t.kind, tag_title(t)) for t in tags]


def highlight(text: str, start: int, end: int, marks: Sequence[Mark]) -> str:
    """``text[start:end]`` escaped, with the marks inside it wrapped in ``<mark>`` elements.

    Marks must not overlap and must be in text order; a mark outside the span is left out.

    Examples
    --------
    >>> highlight("a <b> bid", 0, 9, [(6, 9, "tag tag-stage", "stage", "deal stage: a bid")])
    'a &lt;b&gt; <mark class="tag tag-stage" data-kind="stage" title="deal stage: a bid">bid</mark>'
    """
    parts: list[str] = []
    pos = start
    for a, b, css, kind, title in marks:
        if a < pos or b > end:
            continue
        parts.append(html.escape(text[pos:a]))
        parts.append(f'<mark class="{html.escape(css)}" data-kind="{html.escape(kind)}" title="{html.escape(title)}">'
                     f"{html.escape(text[a:b])}</mark>")  # fmt: skip
        pos = b
    parts.append(html.escape(text[pos:end]))
    return "".join(parts)


def non_overlapping(marks: Iterable[Mark]) -> list[Mark]:
    """Marks in text order with overlaps dropped: the earlier, then the longer one wins."""
    out: list[Mark] = []
    last_end = -1
    for mark in sorted(marks, key=lambda m: (m[0], -(m[1] - m[0]))):
        if mark[0] >= last_end and mark[1] > mark[0]:
            out.append(mark)
            last_end = mark[1]
    return out


def fragment_html(text: str, tags: Sequence[Tag], head: str, lines: Sequence[str], offset: int = 0, *,
                  extra_html: str = "") -> str:  # fmt: skip
    """A self-contained HTML fragment for Jupyter: a heading, the highlighted text, and a list of lines.

    Parameters
    ----------
    text : str
        The text shown, with its ``tags`` highlighted.
    tags : sequence of Tag
        Tags of ``text`` (offsets into a longer text when ``offset`` is given).
    head : str
        The heading line (plain text; escaped here).
    lines : sequence of str
        Lines listed under the text (plain text; escaped here).
    offset : int
        Where ``text`` starts in the text the tags' offsets refer to.
    extra_html : str
        Markup (already escaped) placed after the text.
    """
    body = f"<p>{highlight(text, 0, len(text), non_overlapping(tag_marks(tags, offset)))}</p>" if text else ""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    scoped = "".join(f".rumourscore {rule}}}" for rule in TAG_CSS.split("}") if rule)
    return (f'<div class="rumourscore"><style>.rumourscore{{font:14px/1.5 system-ui,sans-serif}}{scoped}</style>'
            f"<p><strong>{html.escape(head)}</strong></p>{body}{extra_html}"
            + (f"<ul>{items}</ul>" if items else "") + "</div>")  # fmt: skip
