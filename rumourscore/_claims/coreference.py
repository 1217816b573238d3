"""Coreference: who is who in an article.

Name mentions are grouped into people ("Alonso" joins "Xabi Alonso"), people who cannot
be the subject of a move are flagged (the object of a succession, an agent, "X's men"),
pronouns and descriptions ("he", "the 42-year-old", "the Spaniard") are found, and each
segment gets its subjects: named people first, else the last named subject.
"""

from __future__ import annotations

import bisect
import itertools
import re

from .._scan import fold_case_twins, folded_twin
from .types import ClubMention, PersonMention, Segment
from .vocabulary import DEMONYM_NOUNS, DESCRIPTOR_MODIFIERS, ROLE_COACH, ROLE_NOUNS, ROLE_PLAYER, fold

__all__ = ["AFTER_POSSESSIVE", "AGENT_VERB_AFTER", "anaphors", "club_owner", "entities", "mark_objects",
           "segment_subjects"]  # fmt: skip

#: Words before a person that make him an object, not the subject of a move (searched folded, as
#: :data:`_COACH_BEFORE`: :func:`~rumourscore._scan.folded_twin`).
_OBJECT_BEFORE = folded_twin(re.compile(
    r"(?:\b(?:sack|sacks|sacked|sacking|axe|axes|axed|"
    r"replace|replaces|replacing|replaced|replacement(?:\s{1,3}\S+){0,6}?\s{1,3}for|successor\s{1,3}to|succeed|succeeds|"
    r"succeeding|succeeded|take\s{1,3}over\s{1,3}from|takeover\s{1,3}from|took\s{1,3}over\s{1,3}from|"
    r"taking\s{1,3}over\s{1,3}from|takes\s{1,3}over\s{1,3}from|under|alongside|than|like|against|(?<!replaced\s)(?<!succeeded\s)by|beside|"
    r"behind|instead\s{1,3}of|ahead\s{1,3}of|as\s{1,3}well\s{1,3}as|including|agent(?!\s{1,3}of\b)|representative(?!\s{1,3}of\b)|(?:swap|exchange|part-exchange)\s{1,3}(?:involving|of)|"
    r"(?:swap|swaps|swapping)(?!\s{1,3}(?:[\w-]+\s{1,3})?(?:for|with)\b|\s{1,3}(?:that|which)\b)|"
    r"father|brother|lawyer|intermediary|director|president|chairman|owner|executive|ceo|adviser|advisor|"
    r"journalist|reporter|pundit|insider|presenter|colleague|team-mate|teammate|compatriot|"
    r"(?<!talks\s)(?<!terms\s)(?<!contact\s)(?<!agreement\s)(?<!deal\s)(?<!negotiations\s)(?<!discussions\s)"
    r"(?<!talk\s)(?<!meeting\s)(?<!fee\s)(?<!linked\s)(?<!links\s)(?<!link\s)(?<!reunion\s)(?<!,\s)with)\s{1,3}(?:the\s{1,3})?(?:[\w'\u2019-]+\s{1,3}){0,3})$",
    re.IGNORECASE,
))
_COACH_BEFORE = folded_twin(re.compile(rf"\b(?:{ROLE_COACH})\s{{1,3}}$", re.IGNORECASE))
AGENT_VERB_AFTER = re.compile(
    r"^(?:,\s{1,3}\d{2},?)?\s{1,3}(?:is\s{1,3}|has\s{1,3}|was\s{1,3}|had\s{1,3}|would\s{1,3}|will\s{1,3}|"
    r"could\s{1,3}|may\s{1,3}|might\s{1,3}|"
    r"reportedly\s{1,3}|also\s{1,3}|now\s{1,3}|still\s{1,3}){0,3}(?:wants?\b(?!ed)|look\s{1,3}to\s{1,3}(?:sign|bring|land|add)\b|"
    r"move\s{1,3}for\b|bid\s{1,3}for\b|turn\s{1,3}to\b|mak(?:e|es|ing)\s{1,3}a\s{1,3}(?:bid|move|offer|approach)\b|"
    r"(?:held|holds|holding|hold)\s{1,3}talks\b|try\s{1,3}to\s{1,3}(?:sign|bring|land|lure)\b|considering\b|keen\b|eager\b|identified\b|"
    r"earmarked\b|targeting\b|targets\b|asked\b|requested\b|told\b|pushing\b|a\s{1,3}fan\b|admires?\b|"
    r"likes?\b|would\s{1,3}like\b|hopes?\b|hoping\b|plotting\b|plans?\b|planning\b|looking\b|tracking\b|"
    r"monitoring\b|interested\b|sees\b|named\b|placed\b|set\s{1,3}his\s{1,3}sights\b|made\s{1,3}\w+\s{1,3}"
    r"(?:his|a)\s{1,3}(?:top\s{1,3})?(?:priority|target)|prioritis|prioritiz|sanctioned\b|green-lit\b|"
    r"given\s{1,3}the\s{1,3}green\s{1,3}light\b|approved\b|personally\b|called\b|phoned\b|spoke\b)",
    re.IGNORECASE,
)
_TEAM_OF_PERSON_AFTER = re.compile(
    rf"^['\u2019]s?\s{{1,3}}(?:[\w-]+\s{{1,3}}){{0,3}}?(?:{ROLE_PLAYER})\s{{1,3}}(?-i:[A-Z])|"
    r"^['\u2019]s?\s{1,3}(?:[\w-]+\s{1,3}){0,2}?(?:men|side|team|charges|squad|boys|players|troops|outfit|tenure|"
    r"reign|era|targets?|wishlist|shortlist|priority|priorities|plans|list|recruitment)\b",
    re.IGNORECASE,
)


#: A person who speaks: "X says", "X, 49, has admitted", "X told", "X wants Arsenal to sign".
_SPEAKER_AFTER = re.compile(
    r"^(?:,\s{1,3}\d{2},)?\s{1,3}(?:has\s{1,3}|have\s{1,3}|had\s{1,3}|also\s{1,3}|now\s{1,3}|reportedly\s{1,3}|"
    r"is\s{1,3}|was\s{1,3}){0,2}(?:says?|said|admit(?:s|ted)?|insist(?:s|ed)?|claim(?:s|ed)?|believes?|believed|"
    r"thinks?|thought|told|tells|reveal(?:s|ed)|confirm(?:s|ed)|explain(?:s|ed)|suggest(?:s|ed)|hint(?:s|ed)|"
    r"urge[sd]?|warn(?:s|ed)|dismiss(?:es|ed)|denie[sd]|deny|rule[sd]?\s{1,3}out|refuse[sd]?|hopes?|hoped|"
    r"expects?|expected\b(?!\s{1,3}to)|wants?\s{1,3}to\s{1,3}(?:sign|bring|add|keep|land)|aspires?|"
    r"wants?\s{1,3}(?:[\w'\u2019-]+\s{1,3}){1,3}to\s{1,3}(?:sign|bring|buy|land|move\s{1,3}for)|"
    r"advised|asked|questioned|frustrated|unhappy|keen\s{1,3}to\s{1,3}(?:sign|bring|add|keep|land)|"
    r"given\s{1,3}the\s{1,3}green\s{1,3}light|convinced|confident|optimistic|prepared\s{1,3}to\s{1,3}sanction|"
    r"personally|spoken|spoke|keeps?\s{1,3}in\s{1,3}touch|wary|defended|"
    r"(?:open|willing|ready|prepared|happy|reluctant|unwilling)\s{1,3}to\s{1,3}(?:sell|selling|let|letting|offload|loan))\b",
    re.IGNORECASE,
)
#: Titles after a name: "X, the Aston Villa manager,", "X, agent of Y", "X, who represents Y".
_OFFICIAL_AFTER = re.compile(
    rf"^,\s{{1,3}}(?:(?:the\s{{1,3}})?(?:[\w'\u2019.-]+\s{{1,3}}){{0,4}}?(?:{ROLE_COACH}|president|chairman|owner|"
    r"(?:sporting\s{1,3}|technical\s{1,3})?director)\s{0,3}[,;]|(?:the\s{1,3})?(?:agent|representative|adviser|"
    r"advisor|lawyer)\s{1,3}(?:of|for)\b|who\s{1,3}(?:represents|advises|acts\s{1,3}for))",
    re.IGNORECASE,
)
#: A player offered as part of a deal for another: "X in a swap deal for", "X plus £60m", "X as a makeweight".
_MAKEWEIGHT_AFTER = re.compile(
    r"^(?:,\s{1,3}\d{2},?)?\s{1,3}(?:in\s{1,3}(?:a|any|the)\s{1,3}(?:[\w-]+\s{1,3})?(?:swap|exchange|deal|bid|offer)|"
    r"as\s{1,3}(?:part\s{1,3}of|a\s{1,3}makeweight|a\s{1,3}sweetener|a\s{1,3}bargaining\s{1,3}chip)|"
    r"plus\s{1,3}[£€$]|(?:could|would|will|may|might)\s{1,3}be\s{1,3}(?:used|offered|included)\s{1,3}as|"
    r"(?:is|could\s{1,3}be|would\s{1,3}be)\s{1,3}(?:used|offered|included)\s{1,3}(?:as|in))",
    re.IGNORECASE,
)
_SELF_TALK = re.compile(r"\s{1,3}(?:that\s{1,3})?(?:he|his|him|i|i'm|my)\b", re.IGNORECASE)
#: A club official or coach named with his title: "Aston Villa boss Dean Smith", "Barca president Joan Laporta".
_OFFICIAL_BEFORE = re.compile(
    rf"\b(?:{ROLE_COACH}|co-owner|owner|chairman|president|presidential\s{{1,3}}(?:hopeful|candidate)|"
    r"(?:sporting|technical|football|executive)\s{1,3}director|director|chief\s{1,3}executive|ceo|executive|"
    r"vice-president|pundit|legend|assistant|chief|chiefs|team-mate|teammate|agent|representative|"
    r"adviser|advisor|intermediary)\s{1,3}$",
    re.IGNORECASE,
)
_APPOSITION = re.compile(r",\s{1,3}(?:the\s{1,3})?", re.IGNORECASE)
#: "X's ..." right after a mention.
AFTER_POSSESSIVE = re.compile(r"^['\u2019]s?\s", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)
_DESCRIPTOR = re.compile(
    rf"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s{{1,3}}(?P<mods>(?:(?:{DESCRIPTOR_MODIFIERS}|"
    r"\d{2}-year-old|[£€$][\d.]+m-rated|[A-Z][\w.'\u2019-]*)\s{1,3}){0,4})"
    rf"(?P<head>\d{{2}}-year-old|{ROLE_NOUNS}|{DEMONYM_NOUNS}|player|man|star)\b",
)


def entities(mentions: list[str]) -> tuple[dict[str, str], list[str]]:
    """Group name mentions into people: "Alonso" joins "Xabi Alonso"; accents do not matter.

    Returns (key -> display name, key of each mention).
    """
    folded = [fold(m) for m in mentions]
    full: dict[str, str] = {}
    for m, f in zip(mentions, folded):
        if " " in f and f not in full:
            full[f] = m
    by_last: dict[str, list[str]] = {}
    by_first: dict[str, list[str]] = {}
    for f in full:
        parts = f.split(" ")
        by_last.setdefault(parts[-1], []).append(f)
        by_first.setdefault(parts[0], []).append(f)
        if len(parts) > 2:  # "Trent Alexander-Arnold", "Kevin De Bruyne"
            by_last.setdefault(" ".join(parts[-2:]), []).append(f)
    keys: list[str] = []
    display: dict[str, str] = dict(full)
    for m, f in zip(mentions, folded):
        if f in full:
            keys.append(f)
            continue
        candidates = by_last.get(f) or by_first.get(f) or []
        if not candidates and " " in f:
            candidates = [k for k in full if k.endswith(" " + f)]
        if len(candidates) >= 1:
            keys.append(candidates[-1])
        else:
            keys.append(f)
            display.setdefault(f, m)
    return display, keys


def mark_objects(text: str, sentence_start: int, people: list[PersonMention]) -> None:
    """Flag people who cannot be the subject of a move: succession objects, agents, "X's men"."""
    previous_obj: PersonMention | None = None
    previous: PersonMention | None = None
    for p in people:
        before = fold_case_twins(text[max(sentence_start, p.start - 60) : p.start])
        after = text[p.end : p.end + 80]
        cue = _OBJECT_BEFORE.search(before)
        if previous is not None and cue and previous.end > p.start - len(before) + cue.start():
            cue = None  # the cue's own object is another name ("agent X says Y"): it does not count for Y
        previous = p
        if cue:
            p.obj = True
        elif _TEAM_OF_PERSON_AFTER.match(after):
            p.obj = True
        elif _COACH_BEFORE.search(before) and AGENT_VERB_AFTER.match(after):
            p.obj = True  # "Arsenal boss Mikel Arteta wants ...": the coach acts for the club
        elif previous_obj is not None and re.fullmatch(r",\s{1,3}|\s{1,3}and\s{1,3}|,\s{1,3}and\s{1,3}",
                                                        text[previous_obj.end : p.start]):  # fmt: skip
            p.obj = True  # lists continue: "with Bellingham, Vinicius and Rodrygo"
        elif re.match(r"^['\u2019]s?\s{1,3}(?:\w+\s{1,3})?(?:agent|representative|father|lawyer|entourage|camp)\b",
                      after, re.IGNORECASE):  # fmt: skip
            p.obj = False  # "Osimhen's agent": Osimhen is still the subject
        previous_obj = p if p.obj else None
    _mark_speakers(text, sentence_start, people)


def _is_official(text: str, sentence_start: int, p: PersonMention) -> bool:
    """A coach, an agent or a club official named with his title ("Genoa boss X", "X, the Villa manager,")."""
    after = text[p.end : p.end + 60]
    before = _OFFICIAL_BEFORE.search(text, max(sentence_start, p.start - 40), p.start)
    return bool(before or _OFFICIAL_AFTER.match(after))


def _mark_speakers(text: str, sentence_start: int, people: list[PersonMention]) -> None:
    """A speaker, an agent, a makeweight or a club official is no subject when another person is named.

    "Ole Gunnar Solskjaer says United will not sign Haaland", "Aston Villa boss Dean Smith has
    dismissed talk linking Konsa with Liverpool", "X, agent of Y, ...", "offer X in a swap for Y":
    the move is the other person's.
    """
    free = [p for p in people if not p.obj]
    official = [_is_official(text, sentence_start, p) for p in free]
    plain_keys = {p.key for p, o in zip(free, official) if not o}
    later: list[set[str]] = [set() for _ in free]  # up to two keys of the plain people after each one
    seen: set[str] = set()
    for i in range(len(free) - 1, -1, -1):
        later[i] = set(seen)
        if not official[i] and len(seen) < 2:
            seen.add(free[i].key)
    for i, p in enumerate(free):
        if len(plain_keys) - (p.key in plain_keys) == 0:
            continue  # nobody else to be the subject (counted, not a set built per person)
        after = text[p.end : p.end + 60]
        if official[i] or _MAKEWEIGHT_AFTER.match(after):
            p.obj = True
            continue
        speaker = _SPEAKER_AFTER.match(after)
        if speaker and _SELF_TALK.match(after, speaker.end()):
            continue  # "X says he is happy at the club": he speaks about himself
        if speaker and later[i] - {p.key}:
            p.obj = True


def anaphors(text: str, s: int, e: int, people: list[PersonMention]) -> list[PersonMention]:
    """Pronouns and descriptions that stand for a person ("he", "the 42-year-old", "the Spaniard")."""
    out: list[PersonMention] = []
    sentence = text[s:e]
    by_start = sorted(people, key=lambda p: p.start)  # (bisected, so that many people keep this linear)
    starts = [p.start for p in by_start]
    reach = list(itertools.accumulate((p.end for p in by_start), max))  # the furthest end of the first k people
    for m in _DESCRIPTOR.finditer(sentence):
        start, end = m.start() + s, m.end() + s
        head = m.group("head")
        if head[0].isupper() and head.lower() not in {d.lower() for d in DEMONYM_NOUNS.split("|")}:
            continue
        follow = text[end : end + 3]
        after = bisect.bisect_left(starts, end)  # the first person starting at or after the description's end
        if (after < len(starts) and starts[after] <= end + 2) or re.match(r"\s[A-Z]", follow):
            continue  # an apposition: "the Napoli striker Victor Osimhen" names him
        before = bisect.bisect_right(starts, start)  # people starting at or before it: is it inside one?
        if before and reach[before - 1] > start:
            continue
        out.append(PersonMention(start, end, "", text[start:end], anaphor=True, head=head.lower()))
    descriptions, k = out[:], 0  # by start, never overlapping: one pass beside the pronouns (linear time)
    for m in _PRONOUN.finditer(sentence):
        start = m.start() + s
        while k < len(descriptions) and descriptions[k].end <= start:
            k += 1
        if k < len(descriptions) and descriptions[k].start <= start:
            continue  # inside a description
        out.append(PersonMention(start, m.end() + s, "", m.group(0), anaphor=True, head="pronoun"))
    out.sort(key=lambda p: p.start)
    return out


def segment_subjects(text: str, seg: Segment, seg_people: list[PersonMention], seg_anaphors: list[PersonMention],
                     topic: str | None, last_person_key: str | None) -> list[str]:  # fmt: skip
    """The people a segment talks about: named non-objects, else a resolved pronoun/description."""
    opening = text[seg.start : seg.start + 30].lower()
    if re.match(r"(?:who|whose)\b(?!\s{1,3}(?:represents|advises|acts))", opening) and last_person_key:
        return [last_person_key]
    free = [p for p in seg_people if not p.obj]
    if free:
        keys = [free[0].key]
        for prev, p in zip(free, free[1:]):
            if re.fullmatch(r"\s{1,3}(?:and|or)\s{1,3}|,\s{1,3}", text[prev.end : p.start]) and p.key not in keys:
                keys.append(p.key)
            else:
                break
        return keys
    if seg_anaphors and topic:
        return [topic]
    return []


def club_owner(text: str, c: ClubMention, seg_people: list[PersonMention], seg_anaphors: list[PersonMention],
               subjects: list[str], topic: str | None) -> str | None:  # fmt: skip
    """Whose club an origin mention is: the person it modifies ("Lille's David") or the subject."""
    after = text[c.end : c.end + 60]
    if c.modifier or AFTER_POSSESSIVE.match(after):
        nxt = [p for p in seg_people if p.start >= c.end and p.start - c.end <= 60 and "," not in text[c.end : p.start]]
        if nxt:
            return nxt[0].key
        apposed = [p for p in seg_people if p.end <= c.start and _APPOSITION.fullmatch(text[p.end : c.start])]
        if apposed:
            return apposed[-1].key  # "X, the Aston Villa manager, says ..."
        nxt_a = [a for a in seg_anaphors if a.start >= c.end - 40 and a.start <= c.end + 40]
        if nxt_a and topic:
            return topic
    return subjects[0] if subjects else None
