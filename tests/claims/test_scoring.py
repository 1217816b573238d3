"""Scoring (``rumourscore._claims.scoring``): the combination rule and the claim values."""

from __future__ import annotations

import doctest
import importlib
import json
import pkgutil

import pytest

import rumourscore._claims
from rumourscore._claims import Claim, Evidence, combine_evidence
from rumourscore._tagger import Tag


def test_combination_rule():
    def ev(start, score, role="support", tags=()):
        return Evidence("x", start, start + 1, tuple(tags), role, score)

    assert combine_evidence([]) is None
    assert combine_evidence([ev(0, None, "background")]) is None
    assert combine_evidence([ev(0, 0.3), ev(5, 0.6)]) == pytest.approx(0.6)
    denial = Tag("denial", 10, 15, "denied", None)
    later = combine_evidence([ev(0, 0.6), ev(10, 0.5, "denial", [denial])])
    earlier = combine_evidence([ev(10, 0.6), ev(0, 0.5, "denial", [denial])])
    assert later < 0.6 and earlier == pytest.approx(0.6)


def test_to_dict_is_json(seed_claims):
    data = json.loads(json.dumps([c.to_dict() for c in seed_claims]))
    assert {"subject", "from_club", "to_club", "role", "status", "likelihood", "evidence"} <= set(data[0])
    assert {"text", "start", "end", "role", "likelihood", "source", "tags"} <= set(data[0]["evidence"][0])


def test_claims_are_frozen(seed_claims):
    with pytest.raises(AttributeError):
        seed_claims[0].status = "rumour"
    assert isinstance(seed_claims[0], Claim)


def test_evidence_scores_are_the_models_scores_of_the_spans(seed_claims, seed_text, shipped_model):
    from rumourscore import score

    for claim in seed_claims:
        for ev in claim.evidence:
            if ev.likelihood is not None:
                assert ev.likelihood == pytest.approx(
                    score(seed_text[ev.start : ev.end], source=ev.source, date="2024-11-14", model=shipped_model),
                    abs=1e-12,
                )


@pytest.mark.parametrize(
    "name", sorted(m.name for m in pkgutil.iter_modules(rumourscore._claims.__path__, "rumourscore._claims."))
)
def test_docstring_examples_of_the_claims_modules(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_an_article_read_only_in_part_says_so(shipped_model):
    # claims() and render_html() read the first MAX_ARTICLE_CHARS characters: a claim after them was lost silently
    import warnings

    from rumourscore._claims import claims, render_html
    from rumourscore._claims.extraction import MAX_ARTICLE_CHARS

    line = "The weather was fine and nothing else happened.\n"
    long = line * (MAX_ARTICLE_CHARS // len(line) + 1) + "Arsenal are keen on Lille striker Jonathan David."
    for function in (claims, render_html):
        with pytest.warns(UserWarning, match=f"reads only its first {MAX_ARTICLE_CHARS:,}") as caught:
            function(long, model=shipped_model)
        assert caught[0].filename == __file__  # (pointed at the caller's line)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        claims(long[:MAX_ARTICLE_CHARS], model=shipped_model)  # (not a character too many: no warning)
