"""Word lists of the claims package, read once from ``lexicons/claims_vocabulary.csv``.

The file is a UTF-8 lexicon (``term,kind,value,note``) with these kinds, in the order the
patterns use them:

``stop``
    capitalised words that are not (parts of) people's names: sentence openers, months,
    competitions, countries and nationalities ("Reports", "Champions", "Ivorian"); with a
    ``value``, only when the next word is that value, or one of its "|"-separated words
    ("Costa" before "Rica"; "Jordan" before "forward", not before "Henderson").
``particle``
    lower-case particles allowed inside a name ("van" in "Virgil van Dijk").
``player_role`` / ``coach_role``
    nouns naming a player ("striker") or a coach ("manager"); regex alternatives.
``demonym``
    nationality nouns standing for a person ("the Spaniard"); regex alternatives.
``club_country``
    country adjectives and league names in a club description ("the German champions"),
    with the country code of the club as ``value``.
``coach_cue`` / ``player_cue``
    words near a subject that say he is a coach ("in charge") or a player ("scored").
``club_staff``
    people who act for a club ("Arsenal chiefs", "sporting director").
``team_noun``, ``description_head``, ``descriptor_modifier``
    "the side" standing for a club; the head of a club description ("the German
    *champions*"); adjectives inside a description of a person ("the *in-demand* midfielder").

A term of several words matches with one to three spaces between its words.

The other helpers here read the shared lexicons: the folded aliases of the sources, every
word of the graded term lexicons, and the denial weights.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from .._lexicons import fold_spacing, normalise_term, sources, term_lexicon

__all__ = [
    "CLUB_STAFF",
    "COACH_CUES",
    "DEMONYM_COUNTRY",
    "DEMONYM_NOUNS",
    "DESCRIPTION_HEADS",
    "DESCRIPTOR_MODIFIERS",
    "PARTICLES",
    "PLAYER_CUES",
    "ROLE_COACH",
    "ROLE_NOUNS",
    "ROLE_PLAYER",
    "STOP_BEFORE",
    "STOP_CAPS",
    "TEAM_NOUNS",
    "denial_strengths",
    "fold",
    "lexicon_words",
    "source_alias_keys",
]

VOCABULARY_FILE = "claims_vocabulary.csv"


@cache
def _terms(kind: str) -> tuple[str, ...]:
    """The terms of one kind, in file order."""
    return tuple(row.term for row in term_lexicon(VOCABULARY_FILE) if row.kind == kind)


_TERM = re.compile(r"[\w'\u2019 -]+")


def alternation(kind: str) -> str:
    """The terms of one kind as regex alternatives, in file order (spaces match one to three spaces).

    Raises
    ------
    ValueError
        If a term holds anything but letters, digits, apostrophes, hyphens and spaces.
    """
    terms = _terms(kind)
    bad = [t for t in terms if not _TERM.fullmatch(t)]
    if bad or not terms:
        raise ValueError(f"{VOCABULARY_FILE}: kind {kind!r} has no terms or bad ones: {bad}")
    return "|".join(t.replace(" ", r"\s{1,3}") for t in terms)


#: Stop words that are no name only before one of the given next words ("Costa" before "Rica", not "Diego
#: Costa"; "Jordan" before "forward", not "Jordan Henderson"); the value lists them, separated by "|".
STOP_BEFORE: dict[str, frozenset[str]] = {
    row.term: frozenset(row.value.split("|"))
    for row in term_lexicon(VOCABULARY_FILE)
    if row.kind == "stop" and row.value
}
#: Capitalised words that are not (parts of) people's names.
STOP_CAPS: frozenset[str] = frozenset(_terms("stop")) - frozenset(STOP_BEFORE)
#: Lower-case name particles allowed inside a name ("Virgil van Dijk", "Erik ten Hag").
PARTICLES: frozenset[str] = frozenset(_terms("particle"))
#: Regex alternatives: nouns naming a player, a coach, either, and a person by nationality.
ROLE_PLAYER = "|".join(_terms("player_role"))
ROLE_COACH = "|".join(_terms("coach_role"))
ROLE_NOUNS = f"{ROLE_COACH}|{ROLE_PLAYER}"
DEMONYM_NOUNS = "|".join(_terms("demonym"))
#: Regex alternatives of the cue lists (see the module docs).
COACH_CUES = alternation("coach_cue")
PLAYER_CUES = alternation("player_cue")
CLUB_STAFF = alternation("club_staff")
TEAM_NOUNS = alternation("team_noun")
DESCRIPTION_HEADS = alternation("description_head")
DESCRIPTOR_MODIFIERS = alternation("descriptor_modifier")
#: Country adjectives and league names in descriptions ("the German champions") -> country code.
DEMONYM_COUNTRY: dict[str, str] = {
    row.term: row.value for row in term_lexicon(VOCABULARY_FILE) if row.kind == "club_country"
}


#: Letters NFKD leaves whole (no accent to strip), as names are spelled without them ("Ødegaard":
#: "Odegaard"). Keys are casefolded letters (``casefold`` already turns "ß" into "ss").
UNDECOMPOSED_LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ð": "d", "æ": "ae", "œ": "oe", "þ": "th",
                                      "ħ": "h", "ı": "i", "ŀ": "l", "ŧ": "t"})  # fmt: skip


def fold(text: str) -> str:
    """Casefold, strip accents and fold spacing: the key of a person's name."""
    if text.isascii():  # (no accents to strip)
        return fold_spacing(text.lower())
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return fold_spacing(stripped.translate(UNDECOMPOSED_LETTERS))


@cache
def source_alias_keys() -> frozenset[str]:
    """Folded aliases of every source: a name run equal to one is an outlet, not a person."""
    keys = set()
    for info in sources().values():
        for alias, _ in info.aliases:
            keys.add(fold(alias))
    return frozenset(keys)


@cache
def lexicon_words() -> frozenset[str]:
    """Every word of the graded term lexicons (a sentence-initial one is not a name)."""
    words: set[str] = set()
    for name in ("hedges.csv", "stages.csv", "denials.csv", "contract.csv", "cues.csv"):
        for row in term_lexicon(name):
            words.update(normalise_term(row.term).split())
    return frozenset(words)


@cache
def denial_strengths() -> dict[str, float]:
    """Denial term -> its weight in ``denials.csv``."""
    return {normalise_term(r.term): float(r.value) for r in term_lexicon("denials.csv")}
