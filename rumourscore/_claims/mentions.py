"""Mentions: the clubs (gazetteer trie, ambiguous aliases only with context) and the runs of
capitalised words that name people."""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Mapping, Sequence
from typing import Any

from .._lexicons import ClubAlias, club_matcher, clubs, fold_spacing, normalise_term
from .types import ClubMention
from .vocabulary import DEMONYM_COUNTRY, DESCRIPTION_HEADS, PARTICLES, STOP_BEFORE, STOP_CAPS

__all__ = ["CLUB_DESC", "find_clubs", "name_runs", "overlaps", "resolve_desc_club", "within"]

#: A character span ``(start, end)``.
Span = tuple[int, int]

#: The sort key of mentions and tags: their start offset.
_START = operator.attrgetter("start")

_NAME_TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|-)*(?:['\u2019](?![sS]\b)[^\W\d_](?:[^\W\d_]|-)*)*\d*")


def _same_case(matched: str, alias: str) -> bool:
    if matched == alias or (matched.isupper() and len(matched) > 1):
        return True
    m_words, a_words = fold_spacing(matched).split(" "), fold_spacing(alias).split(" ")
    if len(m_words) != len(a_words):
        return True  # spacing variants: accept, the trie already matched the letters
    return all(not (a[:1].isupper() and not m[:1].isupper()) for m, a in zip(m_words, a_words))


#: "Sierra Leone-born", "Cup-winning", "Premier League-bound": a hyphenated adjective, not a name.
_NOT_NAME_SUFFIX = re.compile(r"-(?:born|bound|based|winning|promoted|crowned|owned|rated|raised|year-old)$")
_CLUB_CUE_BEFORE = re.compile(
    r"\b(?:club|side|outfit|to|from|join|joins|joining|joined|at|for|leave|leaves|leaving|left|rivals|against|by|with|"
    r"beat|beats|face|faces|facing|over|sign\s{1,3}for|move\s{1,3}to|switch\s{1,3}to|return\s{1,3}to)\s{1,3}"
    r"(?:the\s{1,3})?$",
    re.IGNORECASE,
)
_CLUB_CUE_AFTER = re.compile(
    r"^(?:['\u2019]s?\b|\s{1,3}(?:are|is|have|has|were|was|will|would|could|want|wants|boss|manager|coach|"
    r"head\s{1,3}coach|fans|supporters|star|striker|midfielder|defender|winger|forward|goalkeeper|keeper|"
    r"captain|side|chiefs|director|president|officials|board|hierarchy|academy|target|bid|offer|interest|"
    r"squad|team-mate|teammate|loanee|owners|scouts|transfer|job|contract|deal)\b)",
    re.IGNORECASE,
)
_NT_CUE_AFTER = re.compile(
    r"^(?:['\u2019]s?\s{1,3}(?:manager|boss|coach|head\s{1,3}coach|job|national\s{1,3}team)\b|\s{1,3}(?:"
    r"national\s{1,3}team|manager|boss|head\s{1,3}coach|coach|job|squad|international|team-mate|teammate|"
    r"captain|midfielder|striker|defender|winger|forward|goalkeeper|keeper|star|players?|debut|caps?|call-up|"
    r"side|team|shirt|career)\b)",
    re.IGNORECASE,
)
_NT_CUE_BEFORE = re.compile(
    r"\b(?:for|coach\s{1,3}of|manage|managing|manager\s{1,3}of|boss\s{1,3}of|charge\s{1,3}of|represent|"
    r"representing|capped\s{1,3}by|switch\s{1,3}allegiance\s{1,3}to)\s{1,3}(?:the\s{1,3})?$",
    re.IGNORECASE,
)


def overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """True if ``[start, end)`` overlaps one of ``spans`` (sorted, non-overlapping)."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    for j in (i, i + 1):
        if 0 <= j < len(spans) and spans[j][0] < end and start < spans[j][1]:
            return True
    return False


def within(items: list[Any], start: int, end: int) -> list[Any]:
    """The items (sorted by ``.start``) whose start lies in ``[start, end)``.

    Bisected on the items themselves (no list of starts is built), so a call costs
    O(log n + k) for k items found: a sentence of many segments stays linear.
    """
    return items[bisect.bisect_left(items, start, key=_START) : bisect.bisect_left(items, end, key=_START)]


def find_clubs(text: str, blocked: Sequence[tuple[int, int]]) -> list[ClubMention]:
    """All club mentions in ``text`` (ambiguous aliases only with context), left to right."""
    lower_pattern, any_case_pattern, table = club_matcher()
    folded = text.lower()
    matches = lower_pattern.finditer(folded) if len(folded) == len(text) else any_case_pattern.finditer(text)
    found: list[tuple[int, int, ClubAlias]] = []
    for m in matches:
        start, end = m.span()
        entry = table.get(normalise_term(m.group(0)))
        if entry is None or not _same_case(text[start:end], entry.cased):
            continue
        if overlaps(blocked, start, end):
            continue
        found.append((start, end, entry))
    plain = {entry.club for _, _, entry in found if not entry.needs_cue}
    out: list[ClubMention] = []
    for start, end, entry in found:
        if entry.needs_cue:
            before = text[max(0, start - 40) : start]
            after = text[end : end + 40]
            if entry.kind == "national_team":
                if not (_NT_CUE_AFTER.match(after) or _NT_CUE_BEFORE.search(before)):
                    continue
            elif entry.club not in plain and not (_CLUB_CUE_BEFORE.search(before) or _CLUB_CUE_AFTER.match(after)):
                continue
            # "David Villa": a capitalised name right before an ambiguous alias makes it a surname
            prev = re.search(r"([A-Z][\w'\u2019-]*)\s{1,3}$", before)
            if prev and prev.group(1).lower() not in STOP_CAPS and entry.kind != "national_team":
                continue
        out.append(ClubMention(start, end, entry.club, entry.kind, entry.country, text[start:end]))
    return out


def _is_name_word(word: str) -> bool:
    """A capitalised word that may be part of a name (not shouted, an acronym or numbered: "VAR", "Under-21")."""
    if not word[:1].isupper() or ("-" in word and _NOT_NAME_SUFFIX.search(word)):
        return False
    return not ((word.isupper() and len(word) > 1) or any(map(str.isdigit, word)))


def _capitalised_runs(text: str, start: int, end: int, blocked: Sequence[tuple[int, int]]) -> list[list[Span]]:
    """Runs of capitalised words joined by single spaces, with lower-case particles inside them."""
    runs: list[list[Span]] = []
    current: list[Span] = []
    pending_particles: list[Span] = []
    last_end = -1
    for m in _NAME_TOKEN.finditer(text, start, end):
        s, e = m.span()
        word = m.group(0)
        joined = last_end >= 0 and text[last_end:s] in (" ", "\u00a0")
        if _is_name_word(word) and not overlaps(blocked, s, e):  # (most words fail the cheap test first)
            if current and joined:
                current.extend(pending_particles)
                current.append((s, e))
            else:
                if current:
                    runs.append(current)
                current = [(s, e)]
            pending_particles = []
        elif word.lower() in PARTICLES and current and joined and not overlaps(blocked, s, e):
            pending_particles.append((s, e))
        else:
            if current:
                runs.append(current)
            current, pending_particles = [], []
        last_end = e
    if current:
        runs.append(current)
    return runs


def _run_names(text: str, run: list[Span], sentence_start: int, lexicon_words: frozenset[str],
               lower_words: frozenset[str]) -> list[Span]:  # fmt: skip
    """The names inside one capitalised run: stop words stripped at both ends and split at inside."""
    tokens = list(run)
    # strip stop words at both ends (sentence openers, months, "Reports", "Champions League")
    while tokens and _is_stop(text, tokens[0], sentence_start, lexicon_words, lower_words):
        tokens.pop(0)
    while tokens and (_is_stop(text, tokens[-1], -1, lexicon_words, lower_words)
                      or text[tokens[-1][0]:tokens[-1][1]].lower() in PARTICLES):  # fmt: skip
        tokens.pop()
    # a stop word inside a run splits it ("Champions League" is gone, "Bellingham and" ...)
    spans: list[Span] = []
    piece: list[Span] = []
    for t in tokens:
        word = text[t[0] : t[1]]
        if word.islower() and word in PARTICLES:
            piece.append(t)
            continue
        if _is_stop(text, t, -1, lexicon_words, lower_words):
            if piece:
                spans.append((piece[0][0], piece[-1][1]))
            piece = []
        else:
            piece.append(t)
    if piece and len(piece) <= 5:
        spans.append((piece[0][0], piece[-1][1]))
    return spans


def name_runs(text: str, start: int, end: int, sentence_start: int, blocked: Sequence[tuple[int, int]],
              lexicon_words: frozenset[str], lower_words: frozenset[str]) -> list[Span]:  # fmt: skip
    """Spans of capitalised word runs in ``text[start:end]`` that look like people's names.

    Parameters
    ----------
    text : str
        The article.
    start, end : int
        The stretch to search (a sentence).
    sentence_start : int
        Where the sentence starts: a sentence-initial common word is not a name.
    blocked : sequence of (int, int)
        Sorted spans that are not names (club and source mentions).
    lexicon_words, lower_words : frozenset of str
        Words of the lexicons and lower-case words of the text: not names at a sentence start.
    """
    spans: list[Span] = []
    for run in _capitalised_runs(text, start, end, blocked):
        spans.extend(_run_names(text, run, sentence_start, lexicon_words, lower_words))
    return spans


def _is_stop(text: str, token: tuple[int, int], sentence_start: int, lexicon_words: frozenset[str],
             lower_words: frozenset[str]) -> bool:  # fmt: skip
    word = text[token[0] : token[1]]
    low = word.lower()
    if low in STOP_CAPS:
        return True
    if low in STOP_BEFORE:
        following = re.match(r"\s{1,3}([^\W\d_]+)", text[token[1] : token[1] + 30])
        return bool(following) and following.group(1).lower() in STOP_BEFORE[low]
    if token[0] == sentence_start or _after_opening_punct(text, token[0], sentence_start):
        # a sentence-initial word is a name only if it is not a common word of the text or the lexicons
        return low in lexicon_words or low in lower_words
    return False


def _after_opening_punct(text: str, pos: int, sentence_start: int) -> bool:
    """True if only quotes/brackets/dashes stand between the sentence start and ``pos``."""
    if sentence_start < 0 or pos <= sentence_start:
        return False
    between = text[sentence_start:pos]
    return len(between) <= 3 and not any(ch.isalnum() for ch in between)


#: A club described by its country or league ("the German champions", "the Premier League side").
CLUB_DESC = re.compile(
    r"\bthe\s{1,3}(?:reigning\s{1,3}|defending\s{1,3}|current\s{1,3}|former\s{1,3})?"
    r"(?P<adj>premier\s{1,3}league|la\s{1,3}liga|laliga|serie\s{1,3}a|bundesliga|ligue\s{1,3}1|eredivisie|"
    r"primeira\s{1,3}liga|mls|saudi\s{1,3}pro\s{1,3}league|scottish\s{1,3}premiership|super\s{1,3}lig|"
    + "|".join(k for k in DEMONYM_COUNTRY if " " not in k)
    + rf")\s{{1,3}}(?:{DESCRIPTION_HEADS})\b",
    re.IGNORECASE,
)


def resolve_desc_club(text: str, s: int, e: int, subject: str | None, current_club: dict[str, str],
                      club_country: Mapping[str, str]) -> list[ClubMention]:  # fmt: skip
    """Club descriptions ("the German champions") mapped to the subject's club when the country fits."""
    out: list[ClubMention] = []
    for m in CLUB_DESC.finditer(text, s, e):
        country = DEMONYM_COUNTRY.get(normalise_term(m.group("adj")))
        club = current_club.get(subject or "") if subject else None
        if club is None or (country and club_country.get(club) != country):
            continue
        info = clubs()[club]
        out.append(ClubMention(m.start(), m.end(), club, info.kind, info.country, m.group(0)))
    return out
