"""Tag once: every scored text, every row of a feed and every sentence of an article is tagged once.

``rumourscore._tagger.tag`` and ``rumourscore._tagger.scan`` (tags plus clubs and signal terms
in the same pass) are wrapped in every module that imported them, and the calls are counted
by their text.
"""

from __future__ import annotations

import sys
from collections import Counter

import pandas as pd
import pytest

import rumourscore
import rumourscore._claims.extraction
import rumourscore._feed
import rumourscore._pool
import rumourscore.cli
from rumourscore import _tagger
from rumourscore._text import date_header, split_sentences

ARTICLE = (
    "date 2024-06-03\n"
    "Chelsea are keeping tabs on Everton winger Tom Reed, 24, according to the Daily Star. "
    "The youngster has also been watched by Napoli, though Everton want £40m for him.\n\n"
    "Reed, whose contract expires in 2026, is open to a move to Stamford Bridge. "
    "Everton have denied receiving a bid. Arsenal are also monitoring the situation."
)
ROWS = [
    "Chelsea are keeping tabs on Everton winger Tom Reed, 24. (Daily Star)",
    "Tom Reed is wanted by Chelsea, according to the Guardian.",
    "Arsenal have made an enquiry for Lille striker Jonathan David.",
    "Here we go! Jonathan David to Arsenal, medical booked. Contracts being signed.",
]


@pytest.fixture
def calls(monkeypatch):
    """The texts ``tag`` or ``scan`` was called with, in order.

    The ``tag`` and ``scan`` names of every module that imported them are wrapped (all of them are imported
    above, before any test runs, so none keeps a wrapper of an earlier test).
    """
    seen: list[str] = []

    def counting(original):
        def counted(text, *args, **kwargs):
            seen.append(text)
            return original(text, *args, **kwargs)

        return counted

    for attr in ("tag", "scan"):
        original = getattr(_tagger, attr)
        wrapper = counting(original)
        for name, module in list(sys.modules.items()):
            ours = name == "rumourscore" or (name.startswith("rumourscore.") and name != "rumourscore._tagger")
            if ours and getattr(module, attr, None) is original:
                monkeypatch.setattr(module, attr, wrapper)
    return seen


def _sentences(article: str) -> list[str]:
    start = date_header(article)[0]
    body = article[start:]
    return [body[s:e] for s, e in split_sentences(body)]


def _fresh(label: str) -> str:
    """The article with a distinct last sentence, so that no earlier analysis of it is reused."""
    return f"{ARTICLE} The {label} window is open."


def test_score_and_explain_tag_their_text_once(calls, shipped_model):
    text = "Chelsea have agreed a fee for Tom Reed, medical booked, per Sky Sports."
    rumourscore.score(text, model=shipped_model)
    assert calls == [text]
    calls.clear()
    rumourscore.explain(text, model=shipped_model)
    assert calls == [text]


def test_score_frame_tags_each_row_once(calls, shipped_model):
    rumourscore.score_frame(pd.DataFrame({"text": [*ROWS, None, ""]}), model=shipped_model)
    assert Counter(calls) == Counter(ROWS)


@pytest.mark.parametrize("source", [None, "Sky Sports"])
def test_claims_tags_each_sentence_once(calls, shipped_model, source):
    article = _fresh(f"claims-{source}")
    found = rumourscore.claims(article, source=source, model=shipped_model)
    assert found and any(ev.likelihood is not None for c in found for ev in c.evidence)
    assert sorted(calls) == sorted(_sentences(article))
    assert len(calls) == len(set(calls)) == 6


def test_render_html_tags_each_sentence_once(calls, shipped_model):
    article = _fresh("render")
    rumourscore.render_html(article, model=shipped_model)
    assert sorted(calls) == sorted(_sentences(article))
    calls.clear()
    article = _fresh("render-after-claims")
    found = rumourscore.claims(article, model=shipped_model)
    rumourscore.render_html(article, found, model=shipped_model)  # reuses the pass claims() made
    assert sorted(calls) == sorted(_sentences(article))


def test_cli_claims_with_html_tags_each_sentence_once(calls, tmp_path, capsys):
    from rumourscore.cli import main

    article = _fresh("cli")
    path = tmp_path / "article.txt"
    path.write_text(article, encoding="utf-8")
    out = tmp_path / "page.html"
    assert main(["claims", str(path), "--html", str(out)]) == 0  # the shipped model
    assert "Tom Reed" in capsys.readouterr().out
    assert "<mark" in out.read_text("utf-8")
    assert sorted(calls) == sorted(_sentences(article))


def test_aggregate_tags_each_row_once(calls, shipped_model):
    scored = rumourscore.score_frame(pd.DataFrame({"text": ROWS, "date": "2024-06-01"}), model=shipped_model)
    calls.clear()
    # no subject, destination, stage or denial columns: all derived from the one tagging of each row
    out = rumourscore.aggregate(scored[["text", "date", "likelihood", "best_source", "source_tier"]])
    assert set(zip(out["subject"], out["to_club"])) == {("Tom Reed", "Chelsea"), ("Jonathan David", "Arsenal")}
    assert Counter(calls) == Counter(ROWS)
    calls.clear()
    out = rumourscore.aggregate(pd.DataFrame({"text": ROWS, "source": "Mail"}), model=shipped_model)  # scored here
    assert len(out) == 2
    assert Counter(calls) == Counter(ROWS)


def test_score_feed_tags_each_row_once(calls):
    feed = pd.DataFrame({"text": [*ROWS, ROWS[0]], "date": ["2024-06-01"] * (len(ROWS) + 1)})
    rumourscore.score_feed(feed)
    assert Counter(calls) == Counter(feed["text"])
