"""Generators for the behavioural test suite (CheckList-style minimal pairs and floors).

Every check is built from templates written for this project, filled with invented player
names and real club names, and drawn with a fixed seed so that the suite is the same on
every run. A check is one floor (one text against a threshold) or one pair (two texts
whose scores must keep a stated relation). :func:`build_checks` makes them all;
:func:`evaluate` scores every distinct input once through the public ``rumourscore.score``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass

#: Report date used for every check.
DATE = "2024-07-15"
#: Seed of every draw.
SEED = 20240715

#: Floors: completed moves score at least ``FLOOR_HIGH``; bare interest at most ``FLOOR_LOW``.
FLOOR_HIGH = 0.80
FLOOR_LOW = 0.60
#: Slack allowed on the floors (none).
FLOOR_TOL = 0.0
#: Ladder: adjacent rungs may tie within ``LADDER_TOL``; non-adjacent rungs must rise by ``LADDER_GAP``.
LADDER_TOL = 0.005
LADDER_GAP = 0.01
#: Directional: "lower" means strictly lower by more than this; "no higher" allows this much.
DIRECTIONAL_TOL = 0.0
#: Invariance: the score may move by at most this much.
INVARIANCE_TOL = 0.03

TABLOID = ("The Sun", "Daily Star", "Daily Express", "Mirror")
TOP_TIER = ("Fabrizio Romano", "David Ornstein", "The Athletic", "BBC Sport")
#: Outlet names the source lexicon does not know (checked by a test).
UNKNOWN = ("Transfer Wire Daily", "Pitchside Whispers", "Goal Line Gazette", "Terrace Talk Weekly")
SOURCE_GROUPS: dict[str, tuple[str | None, ...]] = {
    "tabloid": TABLOID,
    "top": TOP_TIER,
    "unknown": UNKNOWN,
    "none": (None,),
}
ALL_SOURCES: tuple[str | None, ...] = TABLOID + TOP_TIER + UNKNOWN + (None,)

#: Invented names: first names and surnames per nationality, combined by the seeded draw.
_NAMES = {
    "English": (("Callum", "Reece", "Harvey", "Kieran", "Ollie"), ("Ashworth", "Pemberton", "Garside", "Thackeray")),
    "Spanish": (("Iker", "Adrián", "Unai", "Borja", "Rubén"), ("Arrieta", "Solana", "Echevarría", "Villaverde")),
    "French": (("Théo", "Mathis", "Yanis", "Enzo", "Loïc"), ("Ravenel", "Dufresne", "Castagnet", "Morvan")),
    "Italian": (("Lorenzo", "Matteo", "Nicolò", "Davide"), ("Bellandi", "Ferrucci", "Sartorelli", "Castagnoli")),
    "German": (("Jonas", "Lukas", "Finn", "Niklas"), ("Brandauer", "Kesselring", "Wendland", "Holtkamp")),
    "Brazilian": (("Thiago", "Caio", "Renan", "Igor"), ("Valadares", "Siqueira", "Bastos", "Nogueira")),
    "Nigerian": (("Chidi", "Emeka", "Tunde", "Obinna"), ("Nwachukwu", "Ogundele", "Akinyemi", "Eze-Okorie")),
    "Ghanaian": (("Kwame", "Kofi", "Yaw", "Kojo"), ("Asamoah-Boateng", "Ofori", "Amankwah", "Darko")),
    "Dutch": (("Daan", "Sem", "Bram", "Thijs"), ("Hoekstra", "van Dorsten", "Verbeek", "de Kruijf")),
    "Norwegian": (("Sindre", "Eirik", "Magnus"), ("Haugland", "Sørbø", "Lindvik")),
    "Japanese": (("Haruto", "Sota", "Ren"), ("Morikawa", "Ishizaki", "Takeuchi")),
    "Argentine": (("Facundo", "Thiago", "Gonzalo"), ("Etcheverry", "Maidana", "Quiroga")),
}
#: Every invented player name, in a fixed order.
PLAYERS = tuple(sorted({f"{f} {s}" for firsts, lasts in _NAMES.values() for f in firsts for s in lasts}))
#: Real clubs (Premier League, La Liga, Serie A, Bundesliga, Ligue 1).
CLUBS = (
    "Arsenal", "Aston Villa", "Brentford", "Brighton", "Chelsea", "Crystal Palace", "Everton", "Liverpool",
    "Manchester City", "Manchester United", "Newcastle United", "Nottingham Forest", "Tottenham Hotspur",
    "West Ham United", "Wolverhampton Wanderers", "Real Madrid", "Barcelona", "Atletico Madrid", "Sevilla",
    "Real Sociedad", "Villarreal", "Real Betis", "Athletic Bilbao", "Valencia", "Juventus", "Inter Milan",
    "AC Milan", "Napoli", "Roma", "Lazio", "Atalanta", "Fiorentina", "Bologna", "Bayern Munich",
    "Borussia Dortmund", "Bayer Leverkusen", "RB Leipzig", "Eintracht Frankfurt", "VfB Stuttgart",
    "VfL Wolfsburg", "Paris Saint-Germain", "Marseille", "Lyon", "Monaco", "Lille", "Nice", "Lens", "Rennes",
)  # fmt: skip
POSITIONS = ("striker", "winger", "midfielder", "centre-back", "full-back", "goalkeeper", "forward", "defender")


@dataclass(frozen=True)
class Input:
    """One call of ``rumourscore.score``."""

    text: str
    source: str | None
    date: str = DATE


#: relation -> (predicate on (score_a, score_b, bound), human wording)
RELATIONS: dict[str, tuple[Callable[[float, float | None, float], bool], str]] = {
    "at_least": (lambda a, b, t: a >= t - FLOOR_TOL, "A >= {t}"),
    "at_most": (lambda a, b, t: a <= t + FLOOR_TOL, "A <= {t}"),
    "b_rises": (lambda a, b, t: b - a >= t, "B >= A + {t}"),
    "b_not_below": (lambda a, b, t: b >= a - t, "B >= A - {t}"),
    "b_below": (lambda a, b, t: b < a - t, "B < A - {t}"),
    "b_above": (lambda a, b, t: b > a + t, "B > A + {t}"),
    "b_not_above": (lambda a, b, t: b <= a + t, "B <= A + {t}"),
    "close": (lambda a, b, t: abs(b - a) <= t, "|B - A| <= {t}"),
}


@dataclass(frozen=True)
class Check:
    """One floor (``b`` is None) or one pair, with the relation its scores must keep.

    Attributes
    ----------
    kind : str
        ``floors``, ``ladder``, ``directional`` or ``invariance``.
    shape : str
        The family the check belongs to ("high: has joined on loan", "negation: bid rejected").
    detail : str
        Where in the family (the ladder frame and source group), shown with a failure.
    a, b : Input
        The inputs; ``b`` is None for a floor.
    relation : str
        A key of :data:`RELATIONS`.
    bound : float
        The threshold or tolerance of the relation.
    """

    kind: str
    shape: str
    a: Input
    b: Input | None
    relation: str
    bound: float
    detail: str = ""

    def passes(self, scores: dict[Input, float]) -> bool:
        """Whether the check holds under ``scores``."""
        b = scores[self.b] if self.b is not None else None
        return RELATIONS[self.relation][0](scores[self.a], b, self.bound)

    def describe(self, scores: dict[Input, float]) -> str:
        """One line per input with its score, and the relation that was required."""
        need = RELATIONS[self.relation][1].format(t=self.bound)
        where = f" ({self.detail})" if self.detail else ""
        lines = [f"[{self.kind}] {self.shape}{where}: need {need}"]
        for tag, inp in (("A", self.a), ("B", self.b)):
            if inp is not None:
                lines.append(f"    {tag}={scores[inp]:.3f}  source={inp.source!r}  {inp.text!r}")
        return "\n".join(lines)


class _Draw:
    """Seeded draws of players, clubs, positions and sources."""

    def __init__(self, salt: str) -> None:
        self.rng = random.Random(f"{SEED}-{salt}")
        self.players = PLAYERS

    def slots(self) -> dict[str, str]:
        buyer, seller = self.rng.sample(CLUBS, 2)
        return {"p": self.rng.choice(self.players), "b": buyer, "s": seller, "pos": self.rng.choice(POSITIONS)}

    def source(self, pool: Iterable[str | None] = ALL_SOURCES) -> str | None:
        return self.rng.choice(tuple(pool))


def _fill(template: str, slots: dict[str, str]) -> str:
    text = template.format(**slots)
    return text[0].upper() + text[1:]


# --------------------------------------------------------------------------- floors
COMPLETED = (
    ("OFFICIAL: {b} have completed the signing of {p} from {s}.", "headline: completed the signing"),
    ("{b} have completed the signing of {s} {pos} {p}.", "have completed the signing of"),
    ("{p} has signed for {b} from {s} on a five-year contract.", "has signed for"),
    ("{b} announced the signing of {p} from {s} on Monday.", "announced the signing"),
    ("{b} have confirmed the arrival of {pos} {p} from {s}.", "have confirmed the arrival of"),
    ("OFFICIAL: {p} joins {b} from {s}.", "headline: joins"),
    ("{p} has joined {b} from {s} on a permanent deal.", "has joined (permanent)"),
    ("{p} completed his move from {s} to {b} on Sunday.", "completed his move (past)"),
    ("{s} have confirmed the sale of {pos} {p} to {b}.", "seller confirmed the sale"),
    ("{b} confirm the signing of {p} from {s}.", "headline: confirm the signing"),
    ("{p} was unveiled as a {b} player after completing his move from {s}.", "unveiled after completing"),
    ("Done deal: {p} signs for {b} from {s}.", "headline: done deal"),
    ("{b} have signed {p} from {s} on a four-year deal.", "have signed"),
    ("{p} has completed his move to {b} from {s}.", "has completed his move"),
    ("{p} has joined {b} on loan from {s}.", "loan: has joined on loan"),
    ("{b} sign {pos} {p} on loan from {s}.", "loan: headline sign on loan"),
    ("{p} has joined {b} on a season-long loan with an option to buy.", "loan: with option to buy"),
    ("OFFICIAL: {p} joins {b} on a season-long loan from {s}.", "loan: headline season-long loan"),
    ("{p} completed a loan move from {s} to {b}.", "loan: completed a loan move"),
    ("{s} have loaned {pos} {p} to {b} for the season.", "loan: have loaned X to Y"),
    ("{b} have completed the loan signing of {p} from {s}.", "loan: completed the loan signing"),
    ("{p} has signed for {b} on loan until the end of the season.", "loan: has signed on loan"),
    ("{b} have appointed {p} as their new head coach.", "coach: have appointed"),
    ("OFFICIAL: {b} appoint {p} as head coach on a three-year deal.", "coach: headline appoint"),
    ("{b} have confirmed the appointment of {p} as their new manager.", "coach: confirmed the appointment"),
)
INTEREST = (
    ("{b} are monitoring {p}.", "are monitoring"),
    ("{b} are monitoring {s} {pos} {p}.", "are monitoring (club, position)"),
    ("{b} are keeping tabs on {p} at {s}.", "are keeping tabs on"),
    ("{b} are keeping tabs on {s} {pos} {p}.", "are keeping tabs on (club, position)"),
    ("{b} are considering a move for {s} {pos} {p}.", "are considering a move for"),
    ("{b} are considering a move for {p}.", "are considering a move for (bare)"),
    ("{b} are interested in {p}.", "are interested in"),
    ("{b} are interested in signing {s} {pos} {p}.", "are interested in signing"),
)


def floor_checks() -> list[Check]:
    """Completed moves >= FLOOR_HIGH from any source; bare interest <= FLOOR_LOW even from the top tier."""
    draw, checks = _Draw("floors"), []
    for template, shape in COMPLETED:
        for source in draw.rng.sample(ALL_SOURCES, 6):
            inp = Input(_fill(template, draw.slots()), source)
            checks.append(Check("floors", f"high: {shape}", inp, None, "at_least", FLOOR_HIGH))
    for template, shape in INTEREST:
        for source in (*TOP_TIER, draw.source(TABLOID), draw.source(UNKNOWN), None):
            inp = Input(_fill(template, draw.slots()), source)
            checks.append(Check("floors", f"low: {shape}", inp, None, "at_most", FLOOR_LOW))
    return checks


# --------------------------------------------------------------------------- ladder
RUNGS = ("interest", "talks", "bid", "fee agreed", "personal terms", "medical", "here we go", "completed")
LADDER_FRAMES = (
    (
        "{b} are interested in signing {p} from {s}.",
        "{b} are in talks with {s} over signing {p}.",
        "{b} have made a bid to {s} for {p}.",
        "{b} have agreed a fee with {s} for {p}.",
        "{b} have agreed a fee with {s} and personal terms with {p}.",
        "{b} have agreed a fee with {s} and personal terms with {p}, who is having his medical.",
        "Here we go! {b} have agreed a fee with {s} and personal terms with {p}, who is having his medical.",
        "{b} have completed the signing of {p} from {s}.",
    ),
    (
        "{b} interested in {s} {pos} {p}.",
        "{b} in talks with {s} over {pos} {p}.",
        "{b} submit bid to {s} for {pos} {p}.",
        "{b} agree fee with {s} for {pos} {p}.",
        "{b} agree fee with {s} and personal terms with {pos} {p}.",
        "{b} agree fee with {s} and personal terms with {pos} {p}; medical under way.",
        "Here we go: {b} agree fee with {s} and personal terms with {pos} {p}; medical under way.",
        "{b} complete signing of {pos} {p} from {s}.",
    ),
)


def ladder_checks() -> list[Check]:
    """Every pair of rungs of each ladder: adjacent may tie within LADDER_TOL, others rise by LADDER_GAP."""
    draw, checks = _Draw("ladder"), []
    for frame_no, frame in enumerate(LADDER_FRAMES):
        for group, pool in SOURCE_GROUPS.items():
            source, slots = draw.source(pool), draw.slots()
            rungs = [Input(_fill(t, slots), source) for t in frame]
            for i in range(len(rungs)):
                for j in range(i + 1, len(rungs)):
                    adjacent = j == i + 1
                    shape = f"{RUNGS[i]} < {RUNGS[j]}" + (" (adjacent)" if adjacent else "")
                    relation, bound = ("b_not_below", LADDER_TOL) if adjacent else ("b_rises", LADDER_GAP)
                    detail = f"frame {frame_no + 1}, {group} source"
                    checks.append(Check("ladder", shape, rungs[i], rungs[j], relation, bound, detail))
    return checks


# --------------------------------------------------------------------------- directional
DENIAL_BASES = (
    "{b} are in talks with {s} over {p}.",
    "{b} have made a bid to {s} for {p}.",
    "{b} have agreed a fee with {s} for {pos} {p}.",
    "{b} have agreed personal terms with {s} {pos} {p}.",
    "{p} is having a medical at {b} ahead of his move from {s}.",
)
DENIALS = (
    (" {s} have denied the reports.", "seller denied the reports"),
    (" But {p} has said he will stay at {s}.", "player will stay"),
    (" {s} insist the {pos} is not for sale.", "not for sale"),
    (" {b} have since denied any interest in the player.", "buyer denied interest"),
    (" {b} have since pulled out of the deal.", "buyer pulled out"),
    (" {s} say the {pos} is going nowhere.", "seller: going nowhere"),
    (" But {p} has said he will not leave {s}.", "player will not leave"),
    (" {s} say the reports are wide of the mark.", "reports wide of the mark"),
)
#: A report that a club, player or agent calls untrue: (the claim, (the claim denied, its shape)). Its deal
#: stages were not reached, so it is below the claim, and below an early rumour of interest too.
DENIED_REPORTS = (
    ("{b} have signed {p} from {s}.",
     ("{b} have denied reports that they have signed {p} from {s}.", "denied reports")),
    ("{b} have agreed a fee with {s} for {p}.",
     ("{s} have denied that a fee has been agreed with {b} for {p}.", "denied that a fee has been agreed")),
    ("{p} has signed for {b}.", ("Reports that {p} has signed for {b} are untrue.", "reports ... are untrue")),
    ("{b} have agreed a fee with {s} for {p}.",
     ("Claims that {b} have agreed a fee with {s} for {p} are false.", "claims ... are false")),
    ("{b} have made a bid for {p}.",
     ("{s} say there is no truth in reports that {b} have made a bid for {p}.", "no truth in reports")),
    ("{b} have agreed personal terms with {p}.",
     ("{b} have rubbished claims that they have agreed personal terms with {p}.", "rubbished claims")),
)  # fmt: skip
NEGATIONS = (
    ("{b} have agreed a fee with {s} for {p}.", "{b} have not agreed a fee with {s} for {p}.", "have not agreed a fee"),
    ("{b} are in talks with {s} over {p}.", "Talks between {b} and {s} over {p} have collapsed.", "talks collapsed"),
    ("{b} have had a bid for {p} accepted by {s}.", "{b} have had a bid for {p} rejected by {s}.", "bid rejected"),
    ("{b} have agreed personal terms with {p}.", "{b} have failed to agree personal terms with {p}.",
     "failed to agree terms"),
    ("{p} has passed his medical at {b}.", "{p} has failed his medical at {b}.", "failed medical"),
    ("{b} are in advanced talks with {s} over {p}.", "{b} are no longer in talks with {s} over {p}.",
     "no longer in talks"),
    ("{b} have reached an agreement with {s} for {p}.", "{b} have failed to reach an agreement with {s} for {p}.",
     "failed to reach an agreement"),
    ("{s} accept {b} bid for {pos} {p}.", "{s} reject {b} bid for {pos} {p}.", "headline: bid rejected"),
    ("{b} have made an offer for {p}.", "{b} have not made an offer for {p}.", "have not made an offer"),
    ("Talks between {b} and {s} over {p} are ongoing.", "Talks between {b} and {s} over {p} have broken down.",
     "talks broken down"),
    ("{s} have accepted a bid from {b} for {pos} {p}.", "{s} have rejected a bid from {b} for {pos} {p}.",
     "seller rejected the bid"),
    ("A fee has been agreed between {b} and {s} for {p}.", "No fee has been agreed between {b} and {s} for {p}.",
     "no fee has been agreed"),
    ("An offer has been made by {b} for {p}.", "No offer has been made by {b} for {p}.", "no offer has been made"),
    ("{b} have agreed a deal with {s} for {p}.", "{b}'s deal with {s} for {p} has collapsed.", "deal collapsed"),
    ("{b} have signed {p} from {s}.", "{b} nearly signed {p} from {s} last summer.", "a move that nearly happened"),
    ("{b} have signed {p} from {s}.", "{b} should have signed {p} from {s}.", "a move that should have happened"),
    ("{b} have completed the signing of {p} from {s}.", "{b} want to complete the signing of {p} from {s}.",
     "a wish, not a done deal"),
    ("{p} has signed a five-year contract with {b}.", "{p} has signed a new five-year contract with {s}.",
     "a renewal, not a move"),
    ("{b} have agreed a deal with {s} for {p}.", "The deal between {b} and {s} for {p} is far from a done deal.",
     "far from a done deal"),
    ("{b} will sign {p} from {s}.", "{b} will not sign {p} from {s}.", "will not sign"),
    ("{b} are going to sign {p} from {s}.", "{b} are not going to sign {p} from {s}.", "not going to sign"),
    ("{b} plan to sign {s} {pos} {p}.", "{b} have no plans to sign {s} {pos} {p}.", "no plans to sign"),
    ("{b} are in the market for {s} {pos} {p}.", "{b} are not in the market for {s} {pos} {p}.",
     "not in the market for"),
    ("{b} have stepped up their pursuit of {p}.", "{b} have ended their pursuit of {p}.", "ended their pursuit"),
    ("{b} are in talks with {p}.", "Talks between {b} and {p} broke down over personal terms.",
     "broke down over personal terms (the cause, not a stage reached)"),
    ("{b} are in talks with {s} over {p}.", "{b}'s move for {p} has stalled over personal terms.",
     "stalled over personal terms"),
    ("{b} have agreed a fee with {s} for {p}.", "{b} haven't agreed a fee with {s} for {p}.", "haven't agreed a fee"),
    ("{p} has signed for {b}.", "{p} hasn’t signed for {b}.", "hasn’t signed (a curly apostrophe)"),
    ("{b} will sign {p} from {s}.", "{b} won't sign {p} from {s}.", "won't sign"),
    ("{b} are in talks with {s} over {p}.", "{b} aren't in talks with {s} over {p}.", "aren't in talks"),
    ("{b} are in talks with {s} over {p}.", "{b}'s move for {p} collapsed due to personal terms.",
     "collapsed due to personal terms"),
    *((claim, denied, f"a denied report: {shape}") for claim, (denied, shape) in DENIED_REPORTS),
    ("{b} have made a bid for {p}.", "{b} made a bid for {p} last summer.", "a bid made last summer"),
    ("{b} have agreed a fee with {s} for {p}.", "{b} agreed a fee with {s} for {p} in 2021.",
     "a fee agreed in 2021 (years before the report)"),
    ("{b} have agreed a fee with {s} for {p}.", "{b} were unable to agree a fee with {s} for {p}.", "unable to agree"),
    ("{b} have agreed personal terms with {p}.", "{b} are still to agree personal terms with {p}.", "still to agree"),
    ("{b} have agreed a fee with {s} for {p}.", "{b} are struggling to agree a fee with {s} for {p}.",
     "struggling to agree"),
    ("{b} are in talks with {s} over {p}.", "Talks between {b} and {s} over {p} have hit a snag.", "talks hit a snag"),
    ("{b} are in talks with {s} over {p}.", "Talks between {b} and {s} over {p} have reached an impasse.",
     "talks reached an impasse"),
    ("{b} remain interested in {p}.", "{b} have given up on signing {p}.", "given up on signing"),
    ("{b} remain interested in {p}.", "{b} have abandoned their pursuit of {p}.", "abandoned their pursuit"),
    ("{b} are interested in {s} {pos} {p}.", "{b} are interested in {p}, but {s} are unwilling to sell.",
     "the seller is unwilling to sell"),
    ("A move for {p} to {b} is imminent.", "A move for {p} to {b} is not imminent.", "not imminent"),
    ("{p} is having a medical at {b} after they agreed a fee with {s}.",
     "{b} have agreed a fee with {s} for {p}, subject to a medical.", "subject to a medical: still to come"),
    ("{b} have agreed a fee with {s} for {p}.",
     "{b} have agreed a fee with {s} for {p}, but the deal hinges on {s} finding a replacement.",
     "a condition: hinges on"),
    ("{p} is set to join {b} from {s}.", "{p} is set to join {b} from {s}, but the move depends on {s} signing a "
     "replacement.", "a condition: depends on"),
    ("{b} are in the race for {p}.", "{b} have lost out in the race for {p}.", "lost out"),
    ("{b} are in talks with {s} over {p}.", "The fee is a stumbling block in talks between {b} and {s} over {p}.",
     "a stumbling block"),
    ("{b} are ready to meet the release clause of {p}.", "{b} are unwilling to meet the release clause of {p}.",
     "unwilling to meet the release clause"),
    ("{b} have met {s}'s asking price for {p}.", "{b} have failed to meet {s}'s asking price for {p}.",
     "failed to meet the asking price"),
    ("{b} have made a £40m bid for {p}.", "{b}'s £40m bid for {p} is well below {s}'s £80m asking price.",
     "a bid well below the asking price"),
    ("{b} have met {s}'s asking price for {p}.", "Unless {b} meet {s}'s asking price, {p} is staying.",
     "a condition: unless they meet the asking price"),
    ("{p} will join {b} from {s}.", "{p} will join {b} if they agree a fee with {s}.",
     "a condition: if they agree a fee"),
    ("{p} is set to join {b} from {s}.", "{p} is set to join {b} from {s} in 2027.",
     "a move beyond the window (two years or more after the report)"),
    ("{b} are set to sign {s} {pos} {p} this summer.", "{b} are set to sign {s} {pos} {p} in two years' time.",
     "a move in two years' time"),
    ("{p} has completed his move to {b} from {s}.", "Has {p} completed his move to {b} from {s}?",
     "a question about a done move"),
    ("{b} have agreed a fee with {s} for {p}.", "Have {b} really agreed a fee with {s} for {p}?",
     "a question about an agreed fee"),
)  # fmt: skip
#: Words for a later deal step than the first text's: (earlier step, later step, shape).
ESCALATIONS = (
    ("{b} are interested in {s} {pos} {p}.", "{p} will join {b} from {s}.", "will join"),
    ("{b} are in talks with {s} over {p}.", "{b} are putting the finishing touches to a deal for {p}.",
     "finishing touches"),
    ("{b} are in talks with {s} over {p}.", "{b} and {s} have shaken hands on a fee for {p}.", "shaken hands"),
    ("{b} are in talks with {s} over {p}.", "A move for {p} to {b} is imminent.", "a move is imminent"),
    ("{b} have made a bid for {p}.", "{b} have made a bid for {p}, which {s} are expected to accept.",
     "a bid the seller is expected to accept"),
    ("{b} are interested in {s} {pos} {p}.", "{b} have triggered the release clause of {s} {pos} {p}.",
     "release clause triggered"),
    ("{b} have agreed a fee with {s} for {p}.", "{p} has flown in to complete his move to {b}.",
     "flown in to complete the move"),
    ("{b} are in the race for {p}.", "{b} have beaten {s} to the signing of {p}.", "beaten a rival to the signing"),
)  # fmt: skip
#: A finished move in the background (a relative clause, a past date) is no progress of this one.
BACKGROUNDS = (
    ("{b} are interested in {s} {pos} {p}.", "{b} are interested in {s} {pos} {p}, who signed for {s} in 2021."),
    ("{b} are in talks with {s} over {p}.",
     "{b}, who completed a club-record signing last summer, are in talks with {s} over {p}."),
    ("{b} have made a bid for {p}.", "{b} have made a bid for {p}, who joined {s} two years ago."),
    ("{b} are in talks with {s} over {p}.",
     "{b}, who completed the signing of Jonah Whitcombe on Monday, are in talks with {s} over {p}."),
    ("{b} are keeping tabs on {s} {pos} {p}.",
     "Having already signed Tomas Verleg this summer, {b} are keeping tabs on {s} {pos} {p}."),
)  # fmt: skip
HEDGE_FRAMES = (
    # (plain, hedged with could, hedged with might)
    ("{b} will sign {p} from {s}.", "{b} could sign {p} from {s}.", "{b} might sign {p} from {s}."),
    ("{b} will agree a fee with {s} for {p}.", "{b} could agree a fee with {s} for {p}.",
     "{b} might agree a fee with {s} for {p}."),
    ("{p} will join {b} from {s}.", "{p} could join {b} from {s}.", "{p} might join {b} from {s}."),
    ("{b} will make a bid for {s} {pos} {p}.", "{b} could make a bid for {s} {pos} {p}.",
     "{b} might make a bid for {s} {pos} {p}."),
    ("{b} have agreed a fee with {s} for {p}.", "{b} could have agreed a fee with {s} for {p}.",
     "{b} might have agreed a fee with {s} for {p}."),
)  # fmt: skip
EARLY_STAGE = (
    "{b} are interested in {s} {pos} {p}.",
    "{b} are monitoring {p} at {s}.",
    "{b} are keeping tabs on {s} {pos} {p}.",
    "{b} are considering a move for {p}.",
    "{b} are in talks with {s} over {p}.",
    "{b} have opened talks with {s} about {pos} {p}.",
    "{b} are in discussions with {s} over a deal for {p}.",
)


def directional_checks() -> list[Check]:
    """Denials and negations lower the score; hedges do not raise it; early on, top tier beats tabloid."""
    draw, checks = _Draw("directional"), []
    for base in DENIAL_BASES:
        for suffix, shape in DENIALS:
            for _ in range(2):
                slots, source = draw.slots(), draw.source()
                plain = Input(_fill(base, slots), source)
                denied = Input(plain.text + _fill(suffix, slots), source)
                checks.append(Check("directional", f"denial: {shape}", plain, denied, "b_below", DIRECTIONAL_TOL))
    for positive, negative, shape in NEGATIONS:
        for _ in range(5):
            slots, source = draw.slots(), draw.source()
            pair = Input(_fill(positive, slots), source), Input(_fill(negative, slots), source)
            checks.append(Check("directional", f"negation: {shape}", *pair, "b_below", DIRECTIONAL_TOL))
    for earlier, later, shape in ESCALATIONS:
        for _ in range(3):
            slots, source = draw.slots(), draw.source()
            pair = Input(_fill(earlier, slots), source), Input(_fill(later, slots), source)
            checks.append(Check("directional", f"a later step: {shape}", *pair, "b_above", DIRECTIONAL_TOL))
    for _, (denied, shape) in DENIED_REPORTS:
        for _ in range(3):
            slots, source = draw.slots(), draw.source()
            early = Input(_fill("{b} are interested in {s} {pos} {p}.", slots), source)
            checks.append(Check("directional", f"a denied report, not above interest: {shape}", early,
                                Input(_fill(denied, slots), source), "b_not_above", DIRECTIONAL_TOL))  # fmt: skip
    for plain_t, could_t, might_t in HEDGE_FRAMES:
        for _ in range(4):
            slots, source = draw.slots(), draw.source()
            plain = Input(_fill(plain_t, slots), source)
            rumoured = "It is rumoured that " + plain_t  # the template opens with a name: keep its capital
            for hedged, shape in ((could_t, "could"), (might_t, "might"), (rumoured, "it is rumoured that")):
                b = Input(_fill(hedged, slots), source)
                checks.append(Check("directional", f"hedge: {shape}", plain, b, "b_not_above", DIRECTIONAL_TOL))
    for template in EARLY_STAGE:
        for _ in range(10):
            text = _fill(template, draw.slots())
            tabloid, top = Input(text, draw.source(TABLOID)), Input(text, draw.source(TOP_TIER))
            checks.append(Check("directional", "source: top tier > tabloid (early stage)", tabloid, top, "b_above",
                                DIRECTIONAL_TOL))  # fmt: skip
    return checks


# --------------------------------------------------------------------------- invariance
INVARIANT_FRAMES = (
    "{b} are interested in {s} {pos} {p}.",
    "{b} are in talks with {s} over {p}.",
    "{b} have made a bid to {s} for {pos} {p}.",
    "{b} have agreed a fee with {s} for {p}.",
    "{p} is having a medical at {b} ahead of his move from {s}.",
    "{b} are considering a move for {p}, who has two years left on his contract at {s}.",
    "{s} have rejected a bid from {b} for {pos} {p}.",
    "{b} have completed the signing of {p} from {s}.",
    "{b} are keen to sign {s} {pos} {p}.",
    "{b} could sign {p} from {s} this summer.",
)


def _perturbations(template: str, slots: dict[str, str], draw: _Draw) -> list[tuple[str, str]]:
    """(shape, perturbed text) for one filled template."""
    text = _fill(template, slots)
    other = draw.slots()
    age = draw.rng.randint(21, 30)
    spaced = "  ".join(text.split(" "))
    return [
        ("swap player across rows", _fill(template, {**slots, "p": other["p"]})),
        ("swap clubs across rows", _fill(template, {**slots, "b": other["b"], "s": other["s"]})),
        ("swap player and clubs across rows", _fill(template, {**other, "pos": slots["pos"]})),
        (
            "ordinary age stated",
            _fill(template, {**slots, "p": f"{slots['p']}, {age},"}).replace(",,", ",").replace(",.", "."),
        ),
        ("final full stop dropped", text.removesuffix(".")),
        ("extra spaces", f" {spaced} "),
        ("headline capitals", " ".join(word[:1].upper() + word[1:] for word in text.split(" "))),
        ("all capitals", text.upper()),
    ]


#: A player refusing a new contract is not renewing: the refusal is no signal against his move.
REFUSED_RENEWALS = (
    ("{p} of {s} is set to join {b}.", "{p} has rejected a new contract at {s} and is set to join {b}."),
    ("{b} are in talks with {s} over {p}.", "{b} are in talks with {s} over {p}, who has refused to sign a new deal."),
    ("{p} of {s} wants to join {b}.", "{p} has turned down a contract extension at {s} and wants to join {b}."),
)
#: A contraction negates as the words in full do ("hasn't signed" is "has not signed").
CONTRACTIONS = (
    ("{p} has not signed for {b}.", "{p} hasn't signed for {b}."),
    ("{b} have not agreed a fee with {s} for {p}.", "{b} haven’t agreed a fee with {s} for {p}."),
    ("{b} will not sign {p} from {s}.", "{b} won't sign {p} from {s}."),
)


#: "Net" or "gross" before a pay period is still a wage, not a fee.
NET_PAY = (
    ("{p} has agreed personal terms with {b} worth £150,000 a week.",
     "{p} has agreed personal terms with {b} worth £150,000 net a week."),
    ("{p} has agreed personal terms with {b} worth €8m a season.",
     "{p} has agreed personal terms with {b} worth €8m net per season."),
)
#: An idiom that affirms what follows is no negation ("there is no doubt" the fee is agreed).
AFFIRMATIONS = (
    ("{b} have agreed a fee with {s} for {p}.", "There is no doubt {b} have agreed a fee with {s} for {p}."),
    ("{b} have agreed a fee with {s} for {p} and personal terms.",
     "{b} have agreed a fee with {s} for {p} and there are no problems with personal terms."),
    ("{b} have made a bid for {p}.", "It is no secret {b} have made a bid for {p}."),
    ("{p} has passed his medical at {b}.", "It is no surprise that {p} has passed his medical at {b}."),
)


def invariance_checks() -> list[Check]:
    """Names, an ordinary age, the final full stop, extra spaces, headline capitals, a refused renewal,
    a contraction ("hasn't" for "has not"), an affirming idiom ("there is no doubt that"), a net wage and a finished
    move in the background ("who signed for Spurs in 2021") move the score by <= INVARIANCE_TOL."""
    draw, checks = _Draw("invariance"), []
    for template in INVARIANT_FRAMES:
        for _ in range(3):
            slots, source = draw.slots(), draw.source()
            base = Input(_fill(template, slots), source)
            for shape, text in _perturbations(template, slots, draw):
                checks.append(Check("invariance", shape, base, Input(text, source), "close", INVARIANCE_TOL))
    for plain, refused in REFUSED_RENEWALS:
        for _ in range(5):
            slots, source = draw.slots(), draw.source()
            pair = Input(_fill(plain, slots), source), Input(_fill(refused, slots), source)
            checks.append(Check("invariance", "a refused renewal", *pair, "close", INVARIANCE_TOL))
    for full, short in CONTRACTIONS:
        for _ in range(3):
            slots, source = draw.slots(), draw.source()
            pair = Input(_fill(full, slots), source), Input(_fill(short, slots), source)
            checks.append(Check("invariance", "a contraction", *pair, "close", INVARIANCE_TOL))
    for pairs, shape in ((AFFIRMATIONS, "an affirming idiom"), (BACKGROUNDS, "a finished move in the background"),
                         (NET_PAY, "a net or gross wage")):
        for plain, changed in pairs:
            for _ in range(3):
                slots, source = draw.slots(), draw.source()
                pair = Input(_fill(plain, slots), source), Input(_fill(changed, slots), source)
                checks.append(Check("invariance", shape, *pair, "close", INVARIANCE_TOL))
    return checks


KINDS: dict[str, Callable[[], list[Check]]] = {
    "floors": floor_checks,
    "ladder": ladder_checks,
    "directional": directional_checks,
    "invariance": invariance_checks,
}


def build_checks() -> list[Check]:
    """All checks of every kind, in a fixed order."""
    return [check for make in KINDS.values() for check in make()]


def evaluate(checks: Iterable[Check], score: Callable[..., float]) -> dict[Input, float]:
    """Score every distinct input of ``checks`` once: ``score(text, source=..., date=...)``."""
    inputs = dict.fromkeys(inp for c in checks for inp in (c.a, c.b) if inp is not None)
    return {inp: score(inp.text, source=inp.source, date=inp.date) for inp in inputs}


def summarise(checks: Iterable[Check], scores: dict[Input, float]) -> str:
    """Pass counts per kind and per shape, worst shapes first within a kind."""
    table: dict[str, dict[str, list[int]]] = {}
    for c in checks:
        counts = table.setdefault(c.kind, {}).setdefault(c.shape, [0, 0])
        counts[0] += c.passes(scores)
        counts[1] += 1
    lines = []
    for kind, shapes in table.items():
        passed, total = sum(p for p, _ in shapes.values()), sum(n for _, n in shapes.values())
        lines.append(f"{kind}: {passed}/{total} pass ({100 * passed / total:.1f} %)")
        for shape, (p, n) in sorted(shapes.items(), key=lambda kv: kv[1][0] / kv[1][1]):
            if p < n:
                lines.append(f"    {p}/{n}  {shape}")
    return "\n".join(lines)
