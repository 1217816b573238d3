"""One pass over an article: sentences tagged once, mentions, people, and the draft claims.

:func:`analyse` splits the article into sentences and tags each sentence once (offsets are
shifted to the article); every later step - club and person mentions, the
sentence-by-sentence pass of :mod:`.sentences`, the evidence tags and scores of
:mod:`.scoring`, the highlights of :mod:`.render` - reads those tags. The last few
analyses are kept, so ``claims(text)`` followed by ``render_html(text, found)`` (what
``rumourscore claims FILE --html OUT`` does) analyses the article once.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .._lexicons import club_countries
from .._tagger import Tag, tag
from .._text import date_header, parse_date, split_sentences
from .coreference import anaphors, entities, mark_objects
from .mentions import find_clubs, name_runs, within
from .sentences import State, process_sentence
from .status import draft_status
from .types import ClubMention, Draft, PersonMention
from .vocabulary import fold, lexicon_words, source_alias_keys

__all__ = ["MAX_ARTICLE_CHARS", "Analysis", "analyse", "claim_day_key", "primary_claim"]

#: Longest article processed (characters); the rest is ignored. A real article is far shorter.
MAX_ARTICLE_CHARS = 200_000
#: How many recent analyses are kept for reuse (claims() then render_html() of one article).
RECENT_ANALYSES = 4

Span = tuple[int, int]


@dataclass
class Analysis:
    """Everything :func:`claims` and :func:`render_html` need from one pass over an article."""

    text: str
    body_start: int
    date: str | None
    sentences: list[Span]
    sentence_tags: list[list[Tag]]  # per sentence, offsets into ``text``
    clubs: list[ClubMention]
    persons: list[PersonMention]
    names: dict[str, str]  # entity key -> display name
    drafts: list[Draft]
    roles: dict[str, str]
    current_club: dict[str, str]

    @property
    def tags(self) -> list[Tag]:
        """Every tag of the article body, in text order."""
        return [t for tags in self.sentence_tags for t in tags]

    def span_tags(self, start: int, end: int) -> tuple[Tag, ...]:
        """The tags inside ``text[start:end]``, a sentence or a segment of one (never tagged again)."""
        i = bisect.bisect_right(self.sentences, (start, float("inf"))) - 1
        if i < 0:
            return ()
        # the sentence's tags are sorted by start: only those starting inside the span are read
        return tuple(t for t in within(self.sentence_tags[i], start, end) if t.end <= end)


_recent: OrderedDict[tuple[str, str | None], Analysis] = OrderedDict()
_recent_lock = threading.Lock()


def claim_day_key(date: Any) -> int | None:
    """What of a report's date its claims depend on: the year of the day :func:`analyse` reads.

    The date counts only through the year (:func:`rumourscore._claims.status.is_background`:
    a move of an earlier year is background), so two reports of one text dated in the same
    year have the same claims; ``None`` for a missing or unreadable date (then the text's own
    date header counts, and it is part of the text).
    """
    day = parse_date(date) if date is not None else None
    return day.year if day is not None else None


def analyse(text: str, date: Any = None, *, tags: Sequence[Tag] | None = None) -> Analysis:
    """Find the mentions and the draft claims of an article (no model involved).

    Parameters
    ----------
    text : str
        The article; a leading ``date ...`` header line gives the date when ``date`` is None.
    date : str or datetime.date, optional
        Publication date.
    tags : sequence of Tag, optional
        The tags of ``text`` when the caller already has them (offsets into ``text``); by
        default each sentence is tagged once here.
    """
    text = text[:MAX_ARTICLE_CHARS]
    body_start, header_date = date_header(text)
    day = parse_date(date) if date is not None else None
    if day is None and header_date:
        day = parse_date(header_date)
    key = (text, day.isoformat() if day else None)
    if tags is None:
        with _recent_lock:
            if key in _recent:
                _recent.move_to_end(key)
                return _recent[key]
    sentences = [(s + body_start, e + body_start) for s, e in split_sentences(text[body_start:])]
    if tags is None:
        sentence_tags = [_tag_sentence(text, s, e) for s, e in sentences]
    else:
        sentence_tags = _by_sentence(sorted((t for t in tags if t.start >= body_start), key=lambda t: t.start),
                                     sentences)  # fmt: skip
    analysis = _analyse_sentences(text, body_start, day, sentences, sentence_tags)
    if tags is None:
        with _recent_lock:
            _recent[key] = analysis
            while len(_recent) > RECENT_ANALYSES:
                _recent.popitem(last=False)
    return analysis


def _tag_sentence(text: str, s: int, e: int) -> list[Tag]:
    """Tag one sentence; offsets into ``text``."""
    return [Tag(t.kind, t.start + s, t.end + s, t.text, t.value) for t in tag(text[s:e])]


def _by_sentence(items: Sequence[Any], sentences: list[Span]) -> list[list[Any]]:
    """Items (sorted by ``.start``) grouped by the sentence their start lies in; others dropped."""
    out: list[list[Any]] = [[] for _ in sentences]
    si = 0
    for item in items:
        while si < len(sentences) and sentences[si][1] <= item.start:
            si += 1
        if si < len(sentences) and sentences[si][0] <= item.start:
            out[si].append(item)
    return out


def _analyse_sentences(text: str, body_start: int, day: Any, sentences: list[Span],
                       sentence_tags: list[list[Tag]]) -> Analysis:  # fmt: skip
    """Mentions, people and the sentence-by-sentence pass, from the tagged sentences."""
    source_spans = [(t.start, t.end) for tags in sentence_tags for t in tags if t.kind == "source"]
    club_list = [c for c in find_clubs(text, source_spans) if c.start >= body_start]
    persons_by_sentence, names = _people(text, sentences, club_list, source_spans)
    clubs_by_sentence = _by_sentence(club_list, sentences)
    state = State(text=text, day=day, club_country=club_countries())
    all_persons: list[PersonMention] = []
    for si, (s, e) in enumerate(sentences):
        people = persons_by_sentence[si]
        mark_objects(text, s, people)
        _mark_club_owners(text, people, clubs_by_sentence[si])
        found_anaphors = anaphors(text, s, e, people)
        all_persons.extend(people)
        all_persons.extend(found_anaphors)
        process_sentence(state, s, e, clubs_by_sentence[si], people, found_anaphors, sentence_tags[si])
    all_persons.sort(key=lambda p: p.start)
    return Analysis(text, body_start, day.isoformat() if day else None, sentences, sentence_tags, club_list,
                    all_persons, names, state.drafts, state.roles(), state.current_club)  # fmt: skip


def _mark_club_owners(text: str, people: list[PersonMention], club_mentions: list[ClubMention]) -> None:
    """ "Mikel Arteta's Arsenal are keen on X": a person whose club follows his name is not the subject."""
    starts = {c.start for c in club_mentions}
    for p in people:
        m = _POSSESSIVE_GAP.match(text, p.end)
        if m and m.end() in starts:
            p.obj = True


_POSSESSIVE_GAP = re.compile(r"['\u2019]s?\s{1,3}")


def _people(text: str, sentences: list[Span], club_list: list[ClubMention],
            source_spans: list[Span]) -> tuple[list[list[PersonMention]], dict[str, str]]:  # fmt: skip
    """The named people of each sentence (grouped into entities) and each entity's display name."""
    words = lexicon_words()
    lower_words = frozenset(w for w in re.findall(r"\b[a-z][a-z'-]+\b", text) if len(w) > 1)
    blocked = sorted([(c.start, c.end) for c in club_list] + source_spans)
    raw_names: list[tuple[int, int, int]] = []  # (start, end, sentence index)
    for si, (s, e) in enumerate(sentences):
        for ns, ne in name_runs(text, s, e, s, blocked, words, lower_words):
            raw_names.append((ns, ne, si))
    source_keys = source_alias_keys()
    raw_names = [r for r in raw_names if fold(text[r[0] : r[1]]) not in source_keys]
    display, keys = entities([text[s:e] for s, e, _ in raw_names])
    persons_by_sentence: list[list[PersonMention]] = [[] for _ in sentences]
    for (s, e, si), key in zip(raw_names, keys):
        persons_by_sentence[si].append(PersonMention(s, e, key, text[s:e]))
    return persons_by_sentence, display


def _same_person(subject: str, name: str) -> bool:
    """A known subject matches a claim's subject by full name, by surname, or surname to surname."""
    wanted, found = fold(subject), fold(name)
    return wanted in (found, found.split(" ")[-1]) or wanted.split(" ")[-1] == found.split(" ")[-1]


def primary_claim(text: str, date: Any = None, subject: str | None = None, to_club: str | None = None, *,
                  tags: Sequence[Tag] | None = None) -> tuple[str | None, str | None, str | None]:  # fmt: skip
    """(subject, to_club, from_club) of the main claim of a short report, found without the model.

    The first live claim with a destination wins (then any claim with one, then an exit
    claim, then - with no ``to_club`` asked for - the first person named who is no object,
    with no destination); a known ``subject`` or ``to_club`` narrows the choice. ``tags`` (offsets into
    ``text``) are used instead of tagging the text again.
    """
    analysis = analyse(text, date, tags=tags)
    ranked = []
    for d in analysis.drafts:
        if not d.evidence:
            continue
        name = analysis.names.get(d.subject, d.subject)
        if (subject and not _same_person(subject, name)) or (to_club and d.to_club != to_club):
            continue
        status = draft_status([r for _, _, r, _ in sorted(d.evidence)])
        from_club = d.from_club or (analysis.current_club.get(d.subject) if status != "background" else None)
        rank = (d.to_club is None, status == "background", d.first_pos)
        ranked.append((rank, name, d.to_club, from_club if from_club != d.to_club else None))
    if not ranked:
        return _subject_only(analysis, subject) if to_club is None else (None, None, None)
    ranked.sort(key=lambda r: r[0])
    return ranked[0][1], ranked[0][2], ranked[0][3]


def _subject_only(analysis: Analysis, subject: str | None) -> tuple[str | None, str | None, str | None]:
    """No claim at all: the first person the report is about, with no destination ("X is on the transfer list")."""
    for p in analysis.persons:
        if p.anaphor or p.obj:
            continue
        name = analysis.names.get(p.key, p.text)
        if subject is None or _same_person(subject, name):
            return name, None, analysis.current_club.get(p.key)
    return None, None, None
