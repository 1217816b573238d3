"""Load the lexicon CSV files shipped in ``rumourscore/lexicons`` (once per process).

Every lexicon is a UTF-8 CSV whose header starts with ``term, kind, value, note``.
Extra columns carry per-file data (sources: country, hit rate, aliases; clubs: league,
aliases). Files are read through :mod:`importlib.resources`, so they work from a wheel.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

__all__ = [
    "ClubAlias",
    "ClubInfo",
    "LexiconEntry",
    "SourceInfo",
    "club_aliases",
    "club_countries",
    "club_matcher",
    "clubs",
    "fold_spacing",
    "normalise_term",
    "read_lexicon",
    "signal_terms",
    "sources",
    "term_lexicon",
    "trie_pattern",
]

#: Columns every lexicon file must start with.
REQUIRED_COLUMNS = ("term", "kind", "value", "note")

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]+")


def fold_spacing(text: str) -> str:
    """Map curly apostrophes to ``'`` and fold runs of white space and hyphens to one space."""
    return _SEPARATORS.sub(" ", text.replace("\u2019", "'")).strip()


def normalise_term(text: str) -> str:
    """Return the lookup key of a lexicon term or of matched text.

    Lower-cases and applies :func:`fold_spacing`, so "Add-ons", "add ons" and
    "add  ons" share one key.
    """
    return fold_spacing(text.lower())


@dataclass(frozen=True, slots=True)
class LexiconEntry:
    """One row of a graded lexicon (hedges, stages, denials, contract terms, cues)."""

    term: str
    kind: str
    value: str
    note: str


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """An outlet or journalist from ``sources.csv``."""

    name: str
    kind: str
    tier: int
    country: str
    hit_rate: float | None
    note: str
    #: surface forms: (alias, needs_cue). An alias needing a cue is an everyday word
    #: ("Sun", "Sport") and is only tagged after "according to", in brackets, etc.
    aliases: tuple[tuple[str, bool], ...]


@dataclass(frozen=True, slots=True)
class ClubInfo:
    """A club or national team from ``clubs.csv``."""

    name: str
    kind: str
    country: str
    league: str
    aliases: tuple[tuple[str, bool], ...]


@cache
def read_lexicon(filename: str) -> tuple[dict[str, str], ...]:
    """Read one lexicon file from the package and return its rows as dicts.

    Raises
    ------
    ValueError
        If the header does not start with ``term, kind, value, note``.
    """
    raw = resources.files("rumourscore").joinpath("lexicons", filename).read_text("utf-8")
    reader = csv.DictReader(io.StringIO(raw))
    header = tuple(reader.fieldnames or ())
    if header[: len(REQUIRED_COLUMNS)] != REQUIRED_COLUMNS:
        raise ValueError(f"lexicon {filename!r} must start with columns {REQUIRED_COLUMNS}, got {header}")
    return tuple(reader)


def _split_aliases(name: str, field: str) -> tuple[tuple[str, bool], ...]:
    """The name and each alias with whether it needs a cue ("~"). Spellings of one key are all kept
    ("talkSPORT" beside "Talksport"): a text must spell a name as one of them (capitals count)."""
    out: list[tuple[str, bool]] = []
    seen: set[str] = {name}
    bare_needs_cue = False
    own = normalise_term(name)
    for raw in (field or "").split("|"):
        alias = raw.strip()
        if not alias:
            continue
        needs_cue = alias.startswith("~")
        alias = alias.lstrip("~").strip()
        if normalise_term(alias) == own:
            bare_needs_cue = bare_needs_cue or needs_cue
        if alias not in seen:
            seen.add(alias)
            out.append((alias, needs_cue))
    return ((name, bare_needs_cue), *out)


@cache
def term_lexicon(filename: str) -> tuple[LexiconEntry, ...]:
    """Rows of a graded term lexicon (``hedges.csv``, ``stages.csv``, ...)."""
    return tuple(
        LexiconEntry(r["term"].strip(), r["kind"].strip(), (r["value"] or "").strip(), r["note"] or "")
        for r in read_lexicon(filename)
        if r["term"] and r["term"].strip()
    )


@cache
def sources() -> dict[str, SourceInfo]:
    """All outlets and journalists, keyed by canonical name."""
    out: dict[str, SourceInfo] = {}
    for r in read_lexicon("sources.csv"):
        name = r["term"].strip()
        rate = (r.get("hit_rate") or "").strip()
        out[name] = SourceInfo(
            name=name,
            kind=r["kind"].strip(),
            tier=int(r["value"]),
            country=(r.get("country") or "").strip(),
            hit_rate=float(rate) if rate else None,
            note=r["note"] or "",
            aliases=_split_aliases(name, r.get("aliases") or ""),
        )
    return out


@cache
def clubs() -> dict[str, ClubInfo]:
    """All clubs and national teams, keyed by canonical name."""
    out: dict[str, ClubInfo] = {}
    for r in read_lexicon("clubs.csv"):
        name = r["term"].strip()
        out[name] = ClubInfo(
            name=name,
            kind=r["kind"].strip(),
            country=(r["value"] or "").strip(),
            league=(r.get("league") or "").strip(),
            aliases=_split_aliases(name, r.get("aliases") or ""),
        )
    return out


@cache
def club_countries() -> Mapping[str, str]:
    """Each club's country code by canonical name (read-only; built once)."""
    return MappingProxyType({c.name: c.country for c in clubs().values()})


def _escape_char(ch: str) -> str:
    if ch == " ":
        return r"[\s\-\u2010-\u2015]{1,3}"
    if ch == "'":
        return "['\u2019]"
    return re.escape(ch)


def trie_pattern(keys: list[str]) -> str:
    """Compile normalised terms into one regex alternation built from a character trie.

    Shared prefixes are factored out and longer continuations are tried first, so one
    scan finds the longest term at each position. A space in a key matches any run of
    white space or hyphens; an apostrophe matches straight or curly quotes.
    """
    trie: dict[str, dict] = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def render(node: dict[str, dict]) -> str:
        ends_here = "" in node
        branches = [_escape_char(ch) + render(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends_here:
            return "(?:" + body + ")?" if len(branches) == 1 else body + "?"
        return body

    return render(trie)


@dataclass(frozen=True, slots=True)
class ClubAlias:
    """One surface form of a club: the club, its kind and country, and whether it needs context."""

    club: str
    kind: str
    country: str
    needs_cue: bool
    cased: str


@cache
def club_aliases() -> dict[str, ClubAlias]:
    """``normalise_term(alias) -> ClubAlias`` for every surface form in ``clubs.csv`` (first row wins)."""
    table: dict[str, ClubAlias] = {}
    for info in clubs().values():
        for alias, needs_cue in info.aliases:
            key = normalise_term(alias)
            if key and key not in table:
                table[key] = ClubAlias(info.name, info.kind, info.country, needs_cue, alias)
    return table


@cache
def signal_terms() -> dict[str, tuple[str, float]]:
    """``normalise_term(term) -> (kind, weight)`` for the rows of ``signals.csv``."""
    return {normalise_term(r.term): (r.kind, float(r.value)) for r in term_lexicon("signals.csv")}


@cache
def club_matcher() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, ClubAlias]]:
    """One trie pattern over every club alias, and ``normalise_term(alias) -> ClubAlias``.

    Returns the pattern for lower-cased text, the same pattern with ``IGNORECASE`` (for the
    rare text whose lower-case form changes length), and the lookup table. Aliases marked
    ``~`` in ``clubs.csv`` (everyday words: "Real", "Milan") are matched too; callers decide
    whether ``needs_cue`` ones count. The tagger finds clubs without it, in its one pass
    (:func:`rumourscore._tagger.scan`).
    """
    table = club_aliases()
    pattern = rf"(?<![\w@#&])(?:{trie_pattern(sorted(table))})(?![\w&]|-\w)"
    return re.compile(pattern), re.compile(pattern, re.IGNORECASE), table
