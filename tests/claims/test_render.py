"""Rendering (``rumourscore._claims.render``): the plain-text table, and the HTML page (structure, escaping,
a render in headless Chromium)."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from rumourscore._claims import claims, format_claims, render_html

SEED = Path(__file__).resolve().parents[2] / "seeds" / "2024-11-14_alonso_leverkusen_real_madrid.txt"
TAG_KINDS_IN_SEED = {"source", "stage", "hedge", "contract_expiry", "age"}
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


class _Page(HTMLParser):
    """Collects the <mark> spans and the claim table rows of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[dict[str, str], str]] = []
        self.rows: list[list[str]] = []
        self.external: list[str] = []
        self._mark: dict[str, str] | None = None
        self._mark_text: list[str] = []
        self._in_claims = False
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        for key in ("src", "href"):
            if key in a:
                self.external.append(a[key])
        if tag in ("script", "link", "img", "iframe"):
            self.external.append(tag)
        if tag == "mark":
            self._mark, self._mark_text = a, []
        elif tag == "table" and "claims" in a.get("class", ""):
            self._in_claims = True
        elif tag == "tr" and self._in_claims and "claim" in a.get("class", "").split():
            self._row = []
        elif tag == "td" and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "mark" and self._mark is not None:
            self.marks.append((self._mark, "".join(self._mark_text)))
            self._mark = None
        elif tag == "td" and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None
        elif tag == "table":
            self._in_claims = False

    def handle_data(self, data):
        if self._mark is not None:
            self._mark_text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


def _check_seed_page(parser: _Page, found) -> None:
    kinds = {m["data-kind"] for m, _ in parser.marks if "data-kind" in m}
    assert TAG_KINDS_IN_SEED <= kinds
    assert {"club", "person"} <= kinds
    by_kind = {}
    for attrs, text in parser.marks:
        by_kind.setdefault(attrs.get("data-kind"), []).append((attrs, text))
    assert any(t == "keeping tabs on" and a["title"] == "deal stage: monitoring" for a, t in by_kind["stage"])
    assert any(t == "As per Eurosport" and a["title"] == "source: Eurosport" for a, t in by_kind["source"])
    assert any(a["title"] == "contract expires in 2026" for a, _ in by_kind["contract_expiry"])
    assert any(a["title"] == "age: 42" for a, _ in by_kind["age"])
    assert all("tag" in a["class"].split() for k in TAG_KINDS_IN_SEED for a, _ in by_kind[k])
    assert any(t == "Santiago Bernabeu" and a["title"] == "club: Real Madrid" for a, t in by_kind["club"])
    assert any(t == "Kylian Mbappe" for _, t in by_kind["person"])
    assert len(parser.rows) == len(found)
    table = {(r[1], r[3], r[5]) for r in parser.rows}  # subject, to, status
    assert ("Xabi Alonso", "Real Madrid", "rumour") in table
    assert ("Xabi Alonso", "Bayern Munich", "rumour") in table
    assert ("Kylian Mbappe", "Real Madrid", "background") in table
    for row in parser.rows:
        assert len(row) == 7  # #, subject, from, to, role, status, likelihood
        assert row[6] == "–" or row[6].endswith("%")
    assert parser.external == []


def test_seed_page_structure(shipped_model):
    text = SEED.read_text("utf-8")
    found = claims(text, model=shipped_model)
    page = render_html(text, found, model=shipped_model)
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page and "http://" not in page and "https://" not in page
    _check_seed_page(_parse(page), found)


def test_render_runs_claims_itself(shipped_model):
    text = SEED.read_text("utf-8")
    assert render_html(text, model=shipped_model) == render_html(
        text, claims(text, model=shipped_model), model=shipped_model
    )


def test_everything_is_escaped(shipped_model):
    text = ('<script>alert("x")</script> Chelsea want "Tom <b>Reed</b>" & co, per Sky Sports. '
            "Arsenal are keen on Lille striker Jonathan David.")  # fmt: skip
    page = render_html(text, model=shipped_model, source='<img src=x onerror="alert(1)">', title="<i>t</i>")
    assert "<script>" not in page and "<b>" not in page and "<img" not in page and "<i>" not in page
    assert "&lt;script&gt;" in page and "&amp; co" in page
    parser = _parse(page)
    assert parser.external == []
    assert any(row[1] == "Jonathan David" for row in parser.rows)


@pytest.mark.parametrize("text", ["", None, "No transfers here at all."])
def test_empty_pages(text, shipped_model):
    page = render_html(text, model=shipped_model)
    assert "No claims found." in page
    with pytest.raises(TypeError):
        render_html(b"bytes", model=shipped_model)


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="no chromium binary on PATH (apt-get install -y chromium)")
def test_seed_page_renders_in_headless_chromium(shipped_model, tmp_path):
    text = SEED.read_text("utf-8")
    found = claims(text, model=shipped_model)
    page = tmp_path / "seed.html"
    page.write_text(render_html(text, found, model=shipped_model), encoding="utf-8")
    profile = tmp_path / "profile"
    profile.mkdir()
    command = [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert "<mark" in dom and 'class="claims"' in dom
    _check_seed_page(_parse(dom), found)


def test_format_claims(seed_claims):
    table = format_claims(seed_claims)
    lines = table.splitlines()
    assert lines[0].split()[:7] == ["#", "subject", "from", "to", "role", "status", "likelihood"]
    assert len(lines) == 2 + len(seed_claims)
    assert "Xabi Alonso" in table and "(leaving)" in table and "background" in table
    assert "keeping tabs" in format_claims(seed_claims, evidence=True)
    assert format_claims([]) == "no claims found"


def test_each_tag_kind_has_its_own_colour_and_claims_say_what_moved_them(shipped_model):
    import re

    from rumourscore._highlight import KIND_COLOURS, TAG_CSS

    colours = dict(re.findall(r"\.tag-(\w+)\{background:(#[0-9a-f]+)\}", TAG_CSS))
    assert set(colours) == set(KIND_COLOURS) >= {"fee", "wage", "release_clause", "add_ons", "valuation"}
    assert len(set(colours.values())) == len(colours)  # no two kinds share a colour
    text = SEED.read_text("utf-8")
    page = render_html(text, model=shipped_model)
    assert TAG_CSS in page
    found = claims(text, model=shipped_model)
    scored = [c for c in found if c.likelihood is not None]
    assert page.count('<p class="why">what moved it: ') == len(scored) > 0
    assert re.search(r"what moved it: [a-z ]+ (raised|lowered) it", page)


def test_jupyter_views_use_the_same_highlighting(shipped_model):
    from rumourscore import explain

    e = explain("Chelsea have agreed a £50m fee for the striker, per Sky Sports", model=shipped_model)
    view = _parse(e._repr_html_())
    assert {(a["data-kind"], a["title"]) for a, _ in view.marks} >= {("stage", "deal stage: fee agreed"),
                                                                      ("source", "source: Sky Sports")}  # fmt: skip
    assert f"likelihood {e.likelihood:.1%}" in e._repr_html_() and view.external == []
    claim = claims(SEED.read_text("utf-8"), model=shipped_model)[0]
    html_view = claim._repr_html_()
    assert claim.subject in html_view and 'class="tag tag-' in html_view
    assert "<script" not in explain("<script>x</script> bid", model=shipped_model)._repr_html_()


@pytest.mark.parametrize("bad", ["abc", 5, [1], ["Arsenal"], b"x"])
def test_format_claims_and_render_html_refuse_what_is_not_a_list_of_claims(bad):
    # (a str or a list of anything else was an AttributeError from inside: "'str' object has no attribute 'subject'")
    with pytest.raises(TypeError, match="format_claims\\(\\) expects"):
        format_claims(bad)
    with pytest.raises(TypeError, match="render_html\\(\\) expects"):
        render_html("Arsenal bid for Jonathan David.", found=bad)


def test_format_claims_takes_any_iterable_of_claims_and_names_a_lone_claim(seed_claims):
    assert format_claims(iter(seed_claims)) == format_claims(list(seed_claims)) == format_claims(tuple(seed_claims))
    assert format_claims(None) == "no claims found"
    with pytest.raises(TypeError, match="got one Claim: pass \\[claim\\]"):
        format_claims(seed_claims[0])
