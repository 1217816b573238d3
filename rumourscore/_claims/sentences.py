"""One sentence at a time: segments, club roles, subjects, and the evidence each claim gets.

A sentence is cut into segments at contrastive joints (", though", ", but", ", while",
", who", ";" ...). In each segment the club mentions get their roles, the subjects are
found (named people, else the last named subject), and a claim is drafted for every
(subject, destination) pair - or an exit claim when the subject only leaves a club.
Segments that name no club but carry deal stages support the subject's latest claim;
denials without a club count against all his claims. A sentence naming no one and no club
("Here we go!") supports the one live claim of the sentence before it (of the sentence after
it, for the first sentence of the text), the same way. At the end of the sentence each
drafted claim gets the sentence (or, when one sentence names several destinations, its
segment) as evidence, with the role :func:`status.evidence_role` gives it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .._lexicons import clubs
from .._scan import fold_case_twins, folded_twin
from .._tagger import Tag
from .club_roles import classify_club
from .coreference import club_owner, segment_subjects
from .mentions import resolve_desc_club, within
from .status import evidence_role, negated, set_aside, tag_role
from .types import DEST, FORMER, NEUTRAL, ORIGIN, WITH, ClubMention, Draft, PersonMention, Segment
from .vocabulary import COACH_CUES, PLAYER_CUES, ROLE_PLAYER, TEAM_NOUNS

__all__ = ["State", "process_sentence", "segments"]

#: Searched on ``State.folded``, as the role cues below.
_SUCCESSION = folded_twin(re.compile(
    r"\b(?:replace|replacing|succeed|succeeding|take\s{1,3}over|takeover|taking\s{1,3}over|takes\s{1,3}over|"
    r"successor|replacement|take\s{1,3}the\s{1,3}reins|take\s{1,3}charge)\b",
    re.IGNORECASE,
))
_ARRIVAL_NOUN = folded_twin(re.compile(
    r"(?:['\u2019]s?|\bhis|\bher|\bthe)\s{1,3}(?:\w+\s{1,3})?(?:arrival|signing|capture|acquisition|unveiling|"
    r"move|switch|transfer|appointment)\b",
    re.IGNORECASE,
))
#: A coach's words of interest in a player ("would love to sign", "a big admirer of", "asked about").
_COACH_INTEREST = re.compile(
    r"\b(?:asked\s{1,3}about|would\s{1,3}(?:love|like)\s{1,3}to\s{1,3}(?:sign|have|bring|work\s{1,3}with)|"
    r"(?:big|huge|great)\s{1,3}(?:admirer|fan)\s{1,3}of|fits?\s{1,3}(?:his|our|the|my)\s{1,3}(?:system|style|team)|"
    r"exactly\s{1,3}the\s{1,3}(?:type|kind|sort)\s{1,3}of|(?:I|we)\s{1,3}(?:really\s{1,3})?(?:like|want|admire)\s{1,3}him|"
    r"refused\s{1,3}to\s{1,3}rule\s{1,3}out|did\s{1,3}not\s{1,3}rule\s{1,3}out|would\s{1,3}welcome)\b",
    re.IGNORECASE,
)
#: "a second spell at the club", "a return to the club": back to the former club named in the segment.
_BACK_TO_THE_CLUB = folded_twin(re.compile(
    r"\b(?:second|another|fresh|new)\s{1,3}spell\s{1,3}(?:at|with)\s{1,3}the\s{1,3}club|\b(?:return|back|homecoming)"
    r"\s{1,3}(?:to|at)\s{1,3}the\s{1,3}club|\bre-?join(?:s|ing)?\s{1,3}the\s{1,3}club",
    re.IGNORECASE,
))
_FOR_JOINT = re.compile(r"\s{1,3}(?:only\s{1,3})?(?:for|to)\s{1,3}(?:the\s{1,3})?", re.IGNORECASE)
_LIST_OPENING = re.compile(r"(?:with|including|namely|led\s{1,3}by)\s", re.IGNORECASE)
_CLUB_PRONOUN = re.compile(rf"\b(?:the\s{{1,3}}(?:{TEAM_NOUNS})|they)\b", re.IGNORECASE)
_TEAM_ANAPHOR = folded_twin(re.compile(rf"\bthe\s{{1,3}}(?:{TEAM_NOUNS})\b", re.IGNORECASE))
#: Role cues, searched on ``State.folded`` (:func:`~rumourscore._scan.folded_twin`).
_COACH_CUE = folded_twin(re.compile(rf"\b(?:{COACH_CUES})\b", re.IGNORECASE))
_PLAYER_CUE = folded_twin(re.compile(rf"\b(?:{ROLE_PLAYER}|{PLAYER_CUES})\b", re.IGNORECASE))
_FORMER_CUE = folded_twin(re.compile(r"\b(?:former|ex|ex-|one-time)\s{1,3}(?:[\w'\u2019.-]+\s{1,3}){0,3}$",
                                     re.IGNORECASE))  # fmt: skip
#: Segments: contrastive joints inside a sentence.
_SEGMENT_SPLIT = re.compile(
    r"\s{0,3}(?:;|\s[\u2013\u2014-]\s|,\s{1,3}(?=(?:though|although|but|while|whilst|whereas|however|meanwhile|"
    r"and\s{1,3}(?![a-z]+\s{1,3}(?:from|to)\b)|with|who|which|as|yet|amid|despite|even\s{1,3}though|"
    r"with\s{1,3}both)\b))\s{0,3}",
    re.IGNORECASE,
)
_CLUB_LIST_JOINT = re.compile(r"\s{1,3}(?:and|or|&)\s{1,3}(?:the\s{1,3})?|,\s{1,3}", re.IGNORECASE)
#: The last joint of a closed list of clubs ("..., Arsenal and Lyon", "..., Arsenal, or Lyon") ...
_LIST_CLOSE = re.compile(r",?\s{1,3}(?:and|or|&)\s{1,3}(?:the\s{1,3})?", re.IGNORECASE)
#: ... and any joint of one.
_LIST_JOINT = re.compile(rf"{_CLUB_LIST_JOINT.pattern}|{_LIST_CLOSE.pattern}", re.IGNORECASE)
_SENTENCE_OPENING = re.compile(r"\W{0,3}(?:the\s{1,3}|but\s{1,3}|and\s{1,3}|however,?\s{1,3})?", re.IGNORECASE)

#: A role noun at most this many characters before a person's name is his ("Everton boss Sean Dyche").
_ROLE_NOUN_GAP = 3

#: What a segment contributes to a claim: (draft, segment, kind, trigger start, trigger end).
Found = tuple[Draft, Segment, str, int, int]


@dataclass
class State:
    """What the sentence-by-sentence pass remembers."""

    text: str
    day: dt.date | None
    club_country: Mapping[str, str]
    folded: str = field(init=False)  # the text as folded twins of case-blind patterns search it
    topic: str | None = None  # the last named subject
    topic_club: str | None = None
    drafts: list[Draft] = field(default_factory=list)
    current_club: dict[str, str] = field(default_factory=dict)
    coach_cues: dict[str, int] = field(default_factory=dict)
    player_cues: dict[str, int] = field(default_factory=dict)

    index: dict[tuple[str, str | None], Draft] = field(default_factory=dict)
    by_subject: dict[str, list[Draft]] = field(default_factory=dict)  # each subject's drafts, in order made
    # the claims the previous sentence gave evidence to, with their roles (None before the first sentence)
    reach: list[tuple[Draft, str]] | None = None
    opening: tuple[int, int, list[Tag]] | None = None  # a first sentence naming no one, waiting for the next

    def __post_init__(self) -> None:
        self.folded = fold_case_twins(self.text)

    def draft(self, subject: str, to_club: str | None, pos: int) -> Draft:
        """The draft claim of ``subject`` moving to ``to_club``, made at ``pos`` if new."""
        d = self.index.get((subject, to_club))
        if d is None:
            d = self.index[(subject, to_club)] = Draft(subject, to_club, first_pos=pos)
            self.drafts.append(d)
            self.by_subject.setdefault(subject, []).append(d)
        return d

    def roles(self) -> dict[str, str]:
        """Subject key -> ``"coach"`` when coach cues outnumber player cues, else ``"player"``."""
        return {key: "coach" if self.coach_cues.get(key, 0) > self.player_cues.get(key, 0) else "player"
                for key in self.coach_cues.keys() | self.player_cues.keys()}  # fmt: skip


def segments(text: str, s: int, e: int) -> list[Segment]:
    """The segments of the sentence ``text[s:e]`` (the whole sentence when it has no joint)."""
    out: list[Segment] = []
    start = s
    for m in _SEGMENT_SPLIT.finditer(text, s, e):
        if m.start() > start:
            out.append(Segment(start, m.start()))
        start = m.end()
    if start < e:
        out.append(Segment(start, e))
    return out or [Segment(s, e)]


def process_sentence(state: State, s: int, e: int, club_mentions: list[ClubMention], people: list[PersonMention],
                     anaphors: list[PersonMention], sentence_tags: list[Tag]) -> None:  # fmt: skip
    """Classify the clubs of one sentence, find each claim's subject and record the evidence.

    Parameters
    ----------
    state : State
        The pass over the article; its drafts, topic and current clubs are updated.
    s, e : int
        The sentence, ``state.text[s:e]``.
    club_mentions, people, anaphors : list
        The sentence's club mentions, named people and pronouns/descriptions, by start.
    sentence_tags : list of Tag
        The sentence's tags, offsets into ``state.text``.
    """
    if not club_mentions and not people and not anaphors:
        _unnamed_sentence(state, s, e, sentence_tags)
        return
    text = state.text
    found: list[Found] = []
    made_claim = False
    last_person_key: str | None = None
    previous_subjects: list[str] = []
    pending: list[ClubMention] = []  # destinations of a segment with no subject
    for seg in segments(text, s, e):
        seg_clubs = _classify_segment_clubs(text, seg, club_mentions)
        seg_people = within(people, seg.start, seg.end)
        seg_anaphors = within(anaphors, seg.start, seg.end)
        subjects = segment_subjects(text, seg, seg_people, seg_anaphors, state.topic, last_person_key)
        if not subjects and previous_subjects:
            subjects = list(previous_subjects)
        previous_subjects = subjects
        if seg_people:
            last_person_key = seg_people[-1].key
        all_clubs = _with_descriptions(state, seg, seg_clubs, subjects)
        dest, origins = _destinations_and_origins(all_clubs)
        _note_roles_and_clubs(state, seg, subjects, seg_people, seg_anaphors, origins)
        if not dest and not any(c.exit for c in origins):
            dest = _implied_destination(state, s, e, seg, subjects, all_clubs) or _listed_after(text, seg, pending)
        pending = [] if subjects else dest
        seg_tags = within(sentence_tags, seg.start, seg.end)
        seg_found, made = _segment_claims(state, seg, subjects, dest, origins, seg_tags)
        found.extend(seg_found)
        made_claim = made_claim or made
        if subjects:
            state.topic = subjects[-1]
        elif not made_claim:
            free = [p for p in seg_people if not p.obj and not p.anaphor]
            if free:
                state.topic = free[0].key
    _update_topic_club(state, s, club_mentions)
    state.reach = _record_evidence(state, s, e, found, sentence_tags)
    if state.opening is not None:  # the first sentence named no one: this sentence's claim is the one in its reach
        (a, b, opening_tags), state.opening = state.opening, None
        claim = _claim_in_reach(state, state.reach)
        if claim is not None:
            _attach(state, a, b, opening_tags, claim)


def _unnamed_sentence(state: State, s: int, e: int, sentence_tags: list[Tag]) -> None:
    """A sentence naming no one and no club ("Here we go!", "Medical booked."): evidence for the claim in reach.

    Its deal stages support the one live claim the previous sentence gave evidence to; the first
    sentence of the text waits for the next sentence's claim. Several claims in reach, none, or no
    live stage (a denial, "no agreement yet"): the sentence is evidence for no claim.
    """
    first, state.opening = state.reach is None, None
    live = any(t.kind == "stage" and not negated(state.text, t) for t in sentence_tags)
    claim = _claim_in_reach(state, state.reach or [])
    if not live or tag_role(state.text, sentence_tags) != "support":
        state.reach = []
    elif claim is not None:
        state.reach = _attach(state, s, e, sentence_tags, claim)
    else:
        state.reach = []
        state.opening = (s, e, sentence_tags) if first else None


def _claim_in_reach(state: State, reach: list[tuple[Draft, str]]) -> Draft | None:
    """The one live claim (support or completed) a sentence gave evidence to, if it is its subject's latest."""
    if len({id(d) for d, _ in reach}) != 1 or any(role not in ("support", "completed") for _, role in reach):
        return None
    claim = reach[0][0]
    # the evidence goes the pronoun's way (_clubless_evidence): to the subject's latest claim
    return claim if state.by_subject[claim.subject][-1] is claim else None


def _attach(state: State, s: int, e: int, sentence_tags: list[Tag], claim: Draft) -> list[tuple[Draft, str]]:
    """Record a sentence naming no one as evidence about the subject of ``claim``, as "he" would be."""
    found: list[Found] = []
    for seg in segments(state.text, s, e):
        found.extend(_clubless_evidence(state, seg, [claim.subject], within(sentence_tags, seg.start, seg.end)))
    return _record_evidence(state, s, e, found, sentence_tags)


def _classify_segment_clubs(text: str, seg: Segment, club_mentions: list[ClubMention]) -> list[ClubMention]:
    """Give the clubs of a segment their roles; a neutral club listed with a destination is one too."""
    seg_clubs = within(club_mentions, seg.start, seg.end)
    previous_end = 0
    for c in seg_clubs:
        classify_club(text, c, seg, previous_end)
        previous_end = c.end
    for first, second in zip(seg_clubs, seg_clubs[1:]):
        if first.exit and second.role in (NEUTRAL, ORIGIN) and _FOR_JOINT.fullmatch(text[first.end : second.start]):
            second.role = DEST  # "would only leave Barcelona for Chelsea"
    for first, second in reversed(list(zip(seg_clubs, seg_clubs[1:]))):
        if first.role == NEUTRAL and second.role == DEST and _CLUB_LIST_JOINT.fullmatch(text[first.end : second.start]):
            first.role, first.agent = DEST, second.agent
    _share_list_destination(text, seg_clubs)
    return seg_clubs


def _share_list_destination(text: str, seg_clubs: list[ClubMention]) -> None:
    """A list closed by "and"/"or" after a destination's cue shares it ("wanted by Chelsea, Arsenal and Lyon")."""
    start = 0
    while start < len(seg_clubs):
        end = start  # the list runs from seg_clubs[start] to seg_clubs[end]
        while end + 1 < len(seg_clubs) and _LIST_JOINT.fullmatch(text[seg_clubs[end].end : seg_clubs[end + 1].start]):
            end += 1
        head, rest = seg_clubs[start], seg_clubs[start + 1 : end + 1]
        closed = rest and _LIST_CLOSE.fullmatch(text[seg_clubs[end - 1].end : seg_clubs[end].start])
        if closed and head.role == DEST and all(c.role == NEUTRAL for c in rest):
            for c in rest:
                c.role, c.agent = DEST, head.agent
        start = end + 1


def _with_descriptions(state: State, seg: Segment, seg_clubs: list[ClubMention],
                       subjects: list[str]) -> list[ClubMention]:  # fmt: skip
    """The segment's clubs plus the club descriptions ("the German champions") that resolve, by start."""
    desc = resolve_desc_club(state.text, seg.start, seg.end, subjects[0] if subjects else None, state.current_club,
                             state.club_country)  # fmt: skip
    for d in desc:
        classify_club(state.text, d, Segment(seg.start, seg.end))
    extra = [d for d in desc if not any(c.start <= d.start < c.end for c in seg_clubs)]
    return sorted(seg_clubs + extra, key=lambda c: c.start)


def _destinations_and_origins(all_clubs: list[ClubMention]) -> tuple[list[ClubMention], list[ClubMention]]:
    """Destinations and origins; "talks with X" is a destination only when no other club is one."""
    dest = [c for c in all_clubs if c.role == DEST]
    origins = [c for c in all_clubs if c.role == ORIGIN]
    withs = [c for c in all_clubs if c.role == WITH]
    if dest:
        origins += withs
    else:
        dest = withs
    dest_names = {c.club for c in dest}
    return dest, [c for c in origins if c.club not in dest_names]


def _note_roles_and_clubs(state: State, seg: Segment, subjects: list[str], seg_people: list[PersonMention],
                          seg_anaphors: list[PersonMention], origins: list[ClubMention]) -> None:  # fmt: skip
    """Count the role cues of the subjects and remember whose club each origin is."""
    _role_cues(state, seg, subjects, seg_people)
    for c in origins:
        owner = club_owner(state.text, c, seg_people, seg_anaphors, subjects, state.topic)
        if owner:
            state.current_club[owner] = c.club


def _implied_destination(state: State, s: int, e: int, seg: Segment, subjects: list[str],
                         all_clubs: list[ClubMention]) -> list[ClubMention]:  # fmt: skip
    """A destination the segment implies without naming it as one (or none).

    A succession with no named destination ("was tipped to take over from Klopp") takes the
    only other club of the segment; an arrival with no club ("after Mbappe's arrival, the
    side ...") takes the topic club.
    """
    text, folded = state.text, state.folded
    if not subjects:
        return []
    if _SUCCESSION.search(folded, seg.start, seg.end):
        others = [c for c in all_clubs if c.role in (FORMER, NEUTRAL) and c.kind == "club"]
        if len({c.club for c in others}) == 1:
            others[0].role = DEST
            return [others[0]]
    spoken = _club_of_speaker(state, seg, subjects, all_clubs)
    if spoken:
        return [spoken]
    former = [c for c in all_clubs if c.role == FORMER and c.kind == "club"]
    back = _BACK_TO_THE_CLUB.search(folded, seg.start, seg.end)
    if back and len({c.club for c in former}) == 1:
        former[0].role = DEST  # "Ex-Juventus defender X is considered for a second spell at the club"
        return [former[0]]
    arrival = _ARRIVAL_NOUN.search(folded, seg.start, seg.end)
    team = _TEAM_ANAPHOR.search(folded, s, e) if arrival else None
    if team and state.topic_club and arrival:
        info = clubs()[state.topic_club]
        a0, a1 = arrival.span()
        return [ClubMention(a0, a1, info.name, info.kind, info.country, text[team.start() : team.end()], DEST)]
    return []


def _listed_after(text: str, seg: Segment, pending: list[ClubMention]) -> list[ClubMention]:
    """ "X have drawn up a shortlist, with Y at the top": the subjectless destination before a "with" segment."""
    return pending if pending and _LIST_OPENING.match(text, seg.start) else []


def _club_of_speaker(state: State, seg: Segment, subjects: list[str],
                     all_clubs: list[ClubMention]) -> ClubMention | None:  # fmt: skip
    """The coach's club when he talks about another player's move to it, a destination.

    "United boss X says the club are keen on Y" ("the club" or "they" with interest words), "Genoa
    boss X says he would love to sign Y", "asked about Y, Napoli boss X said ...".
    """
    owners = [c for c in all_clubs if c.modifier == "coach" and c.role != DEST and c.kind == "club"]
    if len({c.club for c in owners}) != 1:
        return None
    if any(state.current_club.get(key) == owners[0].club for key in subjects):
        return None  # the subject is the coach himself, or one of his players
    cue = _COACH_INTEREST.search(state.text, seg.start, seg.end)
    if cue:
        info = clubs()[owners[0].club]
        return ClubMention(cue.start(), cue.end(), info.name, info.kind, info.country, cue.group(0), DEST)
    for m in _CLUB_PRONOUN.finditer(state.text, owners[0].end, seg.end):
        info = clubs()[owners[0].club]
        mention = ClubMention(m.start(), m.end(), info.name, info.kind, info.country, m.group(0))
        classify_club(state.text, mention, seg, owners[0].end)
        if mention.role == DEST:
            return mention
    return None


def _segment_claims(state: State, seg: Segment, subjects: list[str], dest: list[ClubMention],
                    origins: list[ClubMention], seg_tags: list[Tag]) -> tuple[list[Found], bool]:  # fmt: skip
    """The claims a segment makes (destination, exit, or clubless evidence) and whether it drafted one."""
    if not subjects:
        return [], False
    found: list[Found] = []
    if dest:
        for c in dest:
            if c.kind == "national_team" and not _national_ok(state, subjects, seg):
                continue
            for key in subjects:
                draft = state.draft(key, c.club, c.start)
                origin = next((o.club for o in origins if o.club != c.club), None)
                if origin and draft.from_club is None:
                    draft.from_club = origin
                found.append((draft, seg, "dest", c.start, c.end))
        return found, bool(found)
    exits = [c for c in origins if c.exit]
    if exits:
        for key in subjects:
            draft = state.draft(key, None, exits[0].start)
            if draft.from_club is None:
                draft.from_club = exits[0].club
            found.append((draft, seg, "exit", exits[0].start, exits[0].end))
        return found, True
    if seg_tags:
        # no club: stages support the subject's latest claim, denials count against all of them
        return _clubless_evidence(state, seg, subjects, seg_tags), False
    return [], False


def _update_topic_club(state: State, s: int, club_mentions: list[ClubMention]) -> None:
    """The topic club is the club a sentence opens with ("Madrid are only six points off ...")."""
    first = min(club_mentions, key=lambda c: c.start, default=None)
    if first is not None and _SENTENCE_OPENING.fullmatch(state.text[s : first.start]):
        state.topic_club = first.club
    elif any(c.role == DEST for c in club_mentions):
        state.topic_club = next(c.club for c in club_mentions if c.role == DEST)


def _record_evidence(state: State, s: int, e: int, found: list[Found],
                     sentence_tags: list[Tag]) -> list[tuple[Draft, str]]:  # fmt: skip
    """One evidence entry per (draft, span); a sentence holding several destinations is cut into segments.

    Returns the (draft, role) of every entry recorded, in order.

    The role of a span for a trigger reads only the tags inside the span (bisected out of the
    sentence's tags, which are sorted by start) and is worked out once per (span, trigger), so a
    long sentence of many segments or many subjects costs each of them its own span, not the sentence.
    """
    several = len({id(d) for d, *_ in found}) > 1 and len({seg.start for _, seg, *_ in found}) > 1
    seen: set[tuple[int, int]] = set()
    roles: dict[tuple[int, int, int, int], tuple[str, tuple[int, ...]]] = {}  # (span, trigger) -> (role, aside)
    recorded: list[tuple[Draft, str]] = []
    for draft, seg, kind, a, b in found:
        span = (seg.start, seg.end) if several else (s, e)
        if (id(draft), span[0]) in seen:
            continue
        seen.add((id(draft), span[0]))
        if kind in ("denial", "support"):
            role, aside = kind, ()
        elif (span[0], span[1], a, b) in roles:
            role, aside = roles[(span[0], span[1], a, b)]
        else:
            span_tags = within(sentence_tags, span[0], span[1])
            aside = set_aside(state.text, span, a, span_tags)
            role = evidence_role(state.day, state.text, span, (a, b), span_tags, aside)
            roles[(span[0], span[1], a, b)] = role, aside
        draft.evidence.append((span[0], span[1], role, aside))
        recorded.append((draft, role))
    return recorded


def _national_ok(state: State, subjects: list[str], seg: Segment) -> bool:
    """National teams are destinations for coaches only."""
    return any(state.coach_cues.get(k, 0) > state.player_cues.get(k, 0) for k in subjects) or bool(
        _COACH_CUE.search(state.folded, seg.start, seg.end)
    )


def _role_cues(state: State, seg: Segment, subjects: list[str], seg_people: list[PersonMention]) -> None:
    """Count coach and player cues near the subjects of a segment (a former role does not count).

    A role noun right before another person's name is that person's ("Everton boss Sean Dyche").
    Each cue is read once, with the people named right after it, so a segment of many subjects
    and many cues costs their sum, not their product.
    """
    folded = state.folded
    named = [p for p in seg_people if not p.anaphor]  # by start, as seg_people
    for pattern, counts in ((_COACH_CUE, state.coach_cues), (_PLAYER_CUE, state.player_cues)):
        anyone = 0  # cues before no one's name: they count for every subject
        own: dict[str, int] = {}  # cues before the name of one person only: they count for him alone
        for m in pattern.finditer(folded, seg.start, seg.end):
            if _FORMER_CUE.search(folded, max(seg.start, m.start() - 40), m.start()):
                continue
            close = {p.key for p in within(named, m.end(), m.end() + _ROLE_NOUN_GAP + 1)}
            if not close:
                anyone += 1
            elif len(close) == 1:
                key = next(iter(close))
                own[key] = own.get(key, 0) + 1
        for key in subjects:
            if anyone + own.get(key, 0):
                counts[key] = counts.get(key, 0) + anyone + own.get(key, 0)


def _clubless_evidence(state: State, seg: Segment, subjects: list[str], seg_tags: list[Tag]) -> list[Found]:
    """Evidence of a segment naming no club: a denial for all the subject's claims, stages for his latest."""
    text = state.text
    out: list[Found] = []
    role = tag_role(text, seg_tags)
    for key in subjects:
        live = state.by_subject.get(key, [])
        if not live:
            continue
        if role == "denial":
            out.extend((d, seg, "denial", seg.start, seg.start) for d in live)
        elif role == "support" and any(t.kind == "stage" and not negated(text, t) for t in seg_tags):
            out.append((live[-1], seg, "support", seg.start, seg.start))
    return out
