"""Report: one text tagged once, with its resolved source and date."""

import datetime as dt

import pytest

from rumourscore import tag
from rumourscore._report import make_report
from rumourscore._text import MAX_TEXT_CHARS


def test_the_source_given_wins_over_one_named_in_the_text():
    r = make_report("Liverpool want the midfielder, according to the Mirror.", source="Guardian")
    assert r.source == "Guardian" and r.named_in_text and r.source_given == "Guardian"
    assert make_report("Liverpool want the midfielder, according to the Mirror.").source == "Mirror"


def test_the_most_reliable_named_outlet_is_the_source():
    r = make_report("Liverpool want him (Mirror). Sky Sports News say talks are under way.")
    assert r.source == "Sky Sports"  # tier 1 beats the Mirror's tier 4


def test_unknown_source_and_anonymous_attribution():
    r = make_report("Reports suggest Liverpool want the midfielder.", source="My Cousin's Blog")
    assert r.source is None and r.anonymous and not r.named_in_text


def test_tags_given_are_reused_not_recomputed(monkeypatch):
    import rumourscore._report as report_module

    text = "Chelsea have agreed a £50m fee."
    tags = tag(text)
    monkeypatch.setattr(report_module, "scan", lambda *_: pytest.fail("tagged again"))
    assert make_report(text, tags=tags).tags == tuple(tags)


@pytest.mark.parametrize("bad", [None, float("nan"), 3, b"bytes"])
def test_non_text_is_an_empty_report(bad):
    r = make_report(bad)
    assert r.text == "" and r.tags == () and r.source is None


def test_long_text_is_truncated_and_dates_are_read():
    r = make_report("x " * MAX_TEXT_CHARS, date="20/11/2024")
    assert len(r.text) == MAX_TEXT_CHARS and r.date == dt.date(2024, 11, 20)
    assert make_report("x", date="05/06/2024", monthfirst=True).date == dt.date(2024, 5, 6)
    assert make_report("x", date="someday").date is None
