"""The rumour tagger: one pass over the text finds every tag.

How it works
------------
All lexicon terms (hedges, stages, denials, contract terms, attribution cues and every
outlet/journalist alias), every club alias and every ``signals.csv`` term go into one
Aho-Corasick automaton (:mod:`rumourscore._scan`), together with the words and characters at
which a structural pattern (money, contract length or time left, contract expiry, age; see
:mod:`rumourscore._tag_patterns`) can start: digits, currency signs, number words, "aged",
"until" and the other expiry words. One pass of the automaton gives the candidate terms; the
structural patterns run only at their trigger positions. :func:`tag` turns the matches into
:class:`Tag` objects; :func:`scan` also returns the club names and signal terms found in the
same pass, which the features read instead of scanning the text again. The matches are exactly
those of the earlier design, one master regular expression (the lexicon trie joined with the
structural patterns, run with ``finditer``); the tests compare the two on every corpus line.

Overlap rule
------------
Tags never overlap. The scan goes left to right; at each position the first structural
pattern that matches wins, then the longest lexicon term. A tag that would start inside
an earlier match is never produced. Two kinds of adjacent matches are *merged* into one
tag, because together they are one phrase: an attribution cue before a source and the
source it names ("according to Marca" and "(Sun - subscription required)" each become one
``source`` tag), and a release clause with the money next to it ("a release clause of
€80m" becomes one ``release_clause`` tag whose value is the money). An attribution verb
*after* a source ("Marca claims"), or before one ending its clause ("..., says the Sun."), is
not merged: it only licenses the source, and is tagged on its own if it is a hedge.

Lexicon rows of kind ``ignore`` are false friends ("on target", "denied by the post"):
they take part in the longest match like any term but produce no tag, so the term inside
them is not tagged either. Matches that fail a check produce no tag and hide nothing
beyond their own span: amounts under :data:`MIN_FEE` with no pay period (ticket prices),
a gap between two figures ("£10m apart", "£5m short of"),
years outside the contract range or with no contract word before them, "May" written as
a month, a source alias without its cue or capitals, a one-word source alias followed by a
capitalised word (a first name: "Ole Gunnar Solskjaer says" names no Argentine paper), a
journalist's one-word surname after another capitalised first name ("Mateu Alemany says").

Conditional rows
----------------
Some stage terms count only in context; their row kind in ``stages.csv`` names the check,
run on the text around the match (a failed check hides nothing beyond the term's span):

* ``stage_before_move`` - "complete a", "seal a", "finalising": only when a move word
  (move, deal, switch, transfer, loan, signing, return, sale, terms, fee) follows within three
  words: "to complete a loan move" is an imminent move (stage 5), "to complete a medical"
  is not. ``stage_done_before_move`` ("complete", "seal"): the same, and never after "to" or a
  modal: "Leeds complete Lloris signing" is a completed move, "hope to complete" is not.
* ``stage_not_after_to`` - "agree terms": never after "to" or a modal ("a race to agree terms").
* ``stage_after_name`` - the headline present "sign": only right after a capitalised name
  ("Lyon sign X on loan"), never "want to sign", "a sign of", "Will Lyon sign", "Keen To Sign".
* ``stage_done_or_imminent`` - "complete the signing": done, but imminent (stage 5) after "to"
  or a modal ("want to complete the signing"). ``stage_before_price`` ("triggered", "paid",
  "met"): the same, only before a release clause or the seller's price ("met the asking price").
* ``stage_not_before_money`` - "close to": no step before an amount or a number ("closer to £20m").
  ``stage_before_signing`` - "beaten": done before "to the signing" ("beaten Chelsea to the signing").
* ``stage_before_loan`` - "sent": a completed loan (stage 10) only when an on-loan phrase
  with a club follows in the clause ("sent the striker out on loan to Nice"), never after
  "be" ("will be sent out on loan").
* ``stage_not_after_be`` - "loaned": a completed loan, except after "be" ("could be loaned").
* ``stage_not_before_step`` - "official", "officially", "confirmed", "announced": an
  announcement (stage 10) except before a deal step or a refusal ("official £30m bid",
  "confirmed talks", "officially rejected"), before a clause ("confirmed they are in talks",
  "announced X will not join"), after "a"/"an" or before "said" (a person).
  "Official bid(s)", "official offer(s)" and "official approach" are bid rows (stage 4).
* ``stage_not_before_renewal`` - "signed": a completed move, except before a new contract or
  an extension ("has signed a new five-year deal" is a renewal). The denial rows of kind
  ``denial_not_before_renewal`` ("rejected", "refused", "turned down") likewise deny no move
  before one ("refused to sign a new contract").

Valuations are money a club asks or a player is rated at, not money offered or paid: the
amount after a ``valuation_prefix`` row of ``contract.csv`` ("valued at around €30m",
"priced at", "are demanding"), after a ``valuation_verb`` row, the thing valued and "at"
("Juventus value Vlahovic at €120m"), or right before either kind of row ("£40m-rated", "a
£40m valuation of", "a £70m price tag", "a £100m-plus valuation") is a ``valuation`` tag,
unless the thing valued is a deal ("a bid valued at £40m" stays a fee) or a release clause
(merged as above). The conversion in brackets of a valuation or a release clause ("€50m
(£43m)") is of the same kind.

Tag kinds and values
--------------------
``source`` (canonical name, or ``None`` for unnamed sources), ``hedge`` (float weight),
``stage`` (int 1-10, from watching to announced), ``denial`` (``None``), ``fee``, ``wage``,
``valuation`` and ``release_clause`` (:class:`Money`; a clause without an amount is
``None``), ``contract_expiry`` (int year), ``contract_length`` (years, int when whole),
``contract_left`` (float years left on the current contract: "18 months left on his
contract" is 1.5, "the final year of his contract" 1.0), ``loan`` ("loan", "option" or
"obligation"), ``add_ons`` (``None``), ``age`` (int).

The automaton pass is linear in the text; the structural patterns have bounded quantifiers and
run only at trigger positions, so hostile input (100 kB of one character, 10,000 currency
signs) runs in linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from typing import Any, NamedTuple

from ._lexicons import SourceInfo, club_aliases, normalise_term, signal_terms, sources, term_lexicon, trie_pattern
from ._scan import TermHit, TermMatcher, fold_case, lower, structural_triggers
from ._tag_patterns import (
    AGE,
    AGE_AFTER_NAME,
    CLAUSE_GAP,
    CONVERSION_GAP,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    DEAL_BEFORE,
    DOMAIN,
    EXPIRY,
    LENGTH,
    MAX_SOURCE_CHARS,
    MONEY_GAP_AFTER,
    MONEY_SYMBOL,
    MONEY_WORD,
    MULTIPLIERS,
    NAME_AFTER,
    NUMBER_WORDS,
    PERIODS,
    PREFIX_JOIN,
    SUFFIX_JOIN,
    VALUE_GAP,
    VALUED_OBJECT,
    checked_stage,
    condition_holds,
    decimal_point,
    first_name_before,
    is_month,
    pay_period_before,
    source_cued,
    spelled,
    structural_value,
)
from ._tag_types import Money, Tag, new_tag

__all__ = ["TAG_KINDS", "Money", "Scan", "Tag", "resolve_source", "scan", "tag", "term_hits"]

#: Words at which a structural pattern may start besides digits and number words (contract expiry).
_TRIGGER_WORDS = ("aged", "run", "expir", "end", "is up", "up", "out of contract", "until", "till", "through", "beyond",
                  "to 19", "to 20", "eur", "gbp", "usd")  # ("a deal to 2028", "EUR 50m")
#: The tag kinds, in the order they are documented.
TAG_KINDS = (
    "source", "hedge", "stage", "denial", "fee", "wage", "contract_expiry", "contract_length",
    "contract_left", "release_clause", "loan", "add_ons", "age", "valuation",
)  # fmt: skip

#: Longest gap (characters) between a release clause and its money to count as one phrase.
CLAUSE_MONEY_GAP = 24
#: Kinds of money whose conversion in brackets right after them is of the same kind ("€80m (£68m)").
_CONVERTED = ("valuation", "release_clause")
#: One-off amounts below this are prices (tickets, shirts), not transfer fees.
MIN_FEE = 10_000


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str  # a tag kind, or "cue_prefix"
    value: Any
    source: SourceInfo | None = None
    needs_cue: bool = False
    cased: str = ""  # original spelling of a cue-needing alias (its capitals must match)
    spellings: tuple[str, ...] = ()  # every listed spelling of the alias (a text's must be one of them)
    check: str = ""  # a conditional row's kind: the condition its neighbourhood must meet
    plain: bool = field(init=False, default=False)  # a tag as it stands: no check, no merge

    def __post_init__(self) -> None:
        # (a release clause is a plain kind, but may merge with the fee before it)
        plain = self.kind in _PLAIN_KINDS and self.kind != "release_clause" and not self.check
        object.__setattr__(self, "plain", plain)


#: Lexicon row kinds that produce a tag of another kind.
_KIND_OF_ROW = {"hedge_cue": "hedge"}
#: Lexicon row kinds whose match is a tag as it stands (no context check, no merge).
_PLAIN_KINDS = frozenset({"stage", "denial", "loan", "add_ons", "release_clause", "contract_left"})
#: Conditional stage rows of ``stages.csv``: a ``stage`` tag only where the condition holds.
_CONDITIONAL_STAGES = (
    "stage_before_move", "stage_done_before_move", "stage_not_after_to", "stage_after_name",
    "stage_before_loan", "stage_not_after_be", "stage_not_before_step", "stage_done_or_imminent",
    "stage_not_before_renewal", "stage_before_price", "stage_not_before_money", "stage_before_signing",
)
#: Conditional denial rows of ``denials.csv``: a ``denial`` tag only where the condition holds.
_CONDITIONAL_DENIALS = ("denial_not_before_renewal",)


def _parse_value(kind: str, raw: str) -> Any:
    if kind in ("hedge", "hedge_cue"):
        return float(raw)
    if kind == "stage" or kind in _CONDITIONAL_STAGES:
        return int(raw)
    if kind == "loan":
        return raw
    if kind == "contract_left":
        return float(raw)
    return None


def _converts(text: str, before: Tag, after: Tag | int) -> bool:
    """True if the money at ``after`` is the money ``before`` converted, in brackets right after it."""
    start = after if isinstance(after, int) else after.start
    return CONVERSION_GAP.fullmatch(text, before.end, start) is not None


@cache
def _compiled() -> tuple[TermMatcher, dict[str, _Entry], re.Pattern[str], dict[str, tuple[SourceInfo, bool]]]:
    table: dict[str, _Entry] = {}
    suffix_terms: list[str] = []
    for filename in ("hedges.csv", "stages.csv", "denials.csv", "contract.csv"):
        for row in term_lexicon(filename):
            key = normalise_term(row.term)
            if row.kind == "hedge_cue":  # a hedge that, right after a source, also names it
                suffix_terms.append(key)
            value = _parse_value(row.kind, row.value)
            if row.kind in _CONDITIONAL_STAGES:
                table[key] = _Entry("stage", value, check=row.kind)
            elif row.kind in _CONDITIONAL_DENIALS:
                table[key] = _Entry("denial", value, check=row.kind)
            else:
                table[key] = _Entry(_KIND_OF_ROW.get(row.kind, row.kind), value)
    for row in term_lexicon("cues.csv"):
        key = normalise_term(row.term)
        if row.kind == "prefix":
            table[key] = _Entry("cue_prefix", None)
        elif row.kind == "anonymous":
            table[key] = _Entry("source", None)
        else:
            suffix_terms.append(key)
    alias_table: dict[str, tuple[SourceInfo, bool]] = {}
    for info in sources().values():
        for alias, needs_cue in info.aliases:
            key = normalise_term(alias)
            alias_table.setdefault(key, (info, needs_cue))
            entry = table.get(key)
            if entry is not None and entry.source is info:  # another spelling of a name already in
                table[key] = replace(entry, spellings=(*entry.spellings, alias))
            elif entry is None or entry.kind == "source":
                table[key] = _Entry("source", info.name, info, needs_cue, alias, spellings=(alias,))
    structural = re.compile(
        rf"(?P<money>{MONEY_SYMBOL})|(?P<ageall>{AGE_AFTER_NAME})"
        rf"|(?<![\w@.,£€$])(?:(?P<moneyw>{MONEY_WORD})|(?P<length>{LENGTH})|(?P<agew>{AGE})|(?P<expiry>{EXPIRY}))"
    )
    triggers = structural_triggers((*NUMBER_WORDS, *_TRIGGER_WORDS))
    matcher = TermMatcher(table, club_aliases(), signal_terms(), triggers, structural)
    suffix = re.compile(rf"(?:'s?)?\s{{0,3}}(?::|(?:{trie_pattern(sorted(suffix_terms))})(?!\w))", re.IGNORECASE)
    return matcher, table, suffix, alias_table


def _money(m: re.Match[str]) -> Money:
    num, num2, mult, mult2, cur, curw, pers, pws, perw, pww = m.group(*_MONEY_GROUPS)  # (one call: faster)
    amount = float(decimal_point(num or num2))
    amount *= MULTIPLIERS.get((mult or mult2 or "").lower(), 1.0)
    currency = (CURRENCY_SYMBOLS.get(cur) or CURRENCY_WORDS[cur.lower()]) if cur else CURRENCY_WORDS[curw.lower()]
    period = pers or pws if cur else perw or pww
    return Money(amount, currency, PERIODS[period.lower()] if period else None)


_MONEY_GROUPS = ("num", "num2", "mult", "mult2", "cur", "curw", "pers", "pws", "perw", "pww")


def tag(text: str) -> list[Tag]:
    """Tag a rumour text: sources, hedges, deal stages, denials and contract details.

    Parameters
    ----------
    text : str
        Any text: one sentence, a gossip line or a whole article. An empty string
        gives an empty list.

    Returns
    -------
    list of Tag
        Non-overlapping tags sorted by ``start``; ``text[t.start:t.end] == t.text``.

    Raises
    ------
    TypeError
        If ``text`` is not a ``str`` (``None``, bytes, numbers, NaN ...).

    Examples
    --------
    >>> [(t.kind, t.value) for t in tag("Chelsea have agreed a £50m fee, per Sky Sports.")]
    [('stage', 6), ('fee', Money(amount=50000000.0, currency='GBP', per=None)), ('source', 'Sky Sports')]
    """
    if not isinstance(text, str):
        raise TypeError(f"tag() expects a str, got {type(text).__name__}")
    matcher, _, suffix, _ = _compiled()
    lowered = lower(text)
    if len(lowered) != len(text):  # ("İ": see fold_case)
        lowered = fold_case(text)[0]
    return _build_tags(text, lowered != text, matcher.matches(lowered), suffix)


class Scan(NamedTuple):
    """What one pass over a text finds: its tags, the clubs it names and its signal terms.

    ``clubs`` values are :class:`~rumourscore._lexicons.ClubAlias`; ``signals`` values are
    ``(kind, weight)`` rows of ``signals.csv``. Their offsets index ``text.lower()``.
    """

    tags: list[Tag]
    clubs: list[TermHit]
    signals: list[TermHit]


def scan(text: str) -> Scan:
    """Tag ``text`` and find its club names and signal terms in the same pass.

    ``scan(text).tags == tag(text)``. Raises ``TypeError`` for a non-``str``, like :func:`tag`.
    """
    if not isinstance(text, str):
        raise TypeError(f"scan() expects a str, got {type(text).__name__}")
    matcher, _, suffix, _ = _compiled()
    lowered, same = fold_case(text)
    if same:
        found, clubs, signals = matcher.scan(lowered)
    else:  # clubs and signals are read on text.lower() itself, as the features always did
        found = matcher.matches(lowered)
        _, clubs, signals = matcher.scan(text.lower(), tags=False)
    return Scan(_build_tags(text, lowered != text, found, suffix), clubs, signals)


def term_hits(text: str) -> tuple[list[TermHit], list[TermHit]]:
    """The club hits and signal hits of :func:`scan`, without tagging."""
    return _compiled()[0].scan(text.lower(), tags=False)[1:]


def _build_tags(
    text: str, not_lower: bool, matches: list[tuple[int, int, str, Any]], suffix: re.Pattern[str]
) -> list[Tag]:
    """Turn the scanner's matches into tags (the checks and merges of the module docstring)."""
    if not matches:
        return []
    tags: list[Tag] = []
    builder = None  # the cues and checks of the matches that need more than their lexicon row, made on first need
    last_end = 0  # the end of the last tag, which may have grown past its match ("(Sun - ...)")
    for start, end, group, m in matches:
        if start < last_end:
            continue
        if group == "lex" and m.plain:
            kind, value = m.kind, m.value
        else:
            if builder is None:
                builder = _Builder(text, not_lower, suffix, tags)
            if group == "lex":
                found = builder.lexicon(start, end, m)
            elif group in ("money", "moneyw"):
                found = builder.money(start, end, m)
            else:
                found = structural_value(group, m, text, start, end)
            if found is None:
                continue
            kind, value, start, end = found
            if kind == "release_clause" and value is None and tags and tags[-1].kind == "fee":
                prev = tags[-1]
                if start - prev.end <= 3 and not text[prev.end : start].strip(" -"):
                    tags.pop()
                    value, start = prev.value, prev.start
        if builder is not None:
            builder.prefix_cue, builder.value_cue = None, -1
        tags.append(new_tag(kind, start, end, text[start:end], value))
        last_end = end
    return tags


class _Builder:
    """The tags of one text so far, and the cues that may still apply to the next match."""

    __slots__ = ("not_lower", "prefix_cue", "suffix", "tags", "text", "value_cue")

    def __init__(self, text: str, not_lower: bool, suffix: re.Pattern[str], tags: list[Tag]) -> None:
        self.text, self.not_lower, self.suffix = text, not_lower, suffix
        self.tags = tags
        self.prefix_cue: tuple[int, int] | None = None
        self.value_cue = -1  # end of the last valuation_prefix row ("valued at"), if one may still apply

    def lexicon(self, start: int, end: int, entry: _Entry) -> tuple[str, Any, int, int] | None:
        text, tags = self.text, self.tags
        if entry.kind == "cue_prefix":
            self.prefix_cue = (start, end)
            return None
        if entry.kind in ("ignore", "valuation_prefix", "valuation_suffix", "valuation_verb"):
            if entry.kind == "valuation_prefix" and not DEAL_BEFORE.search(text, max(0, start - 40), start):
                self.value_cue = end
            elif entry.kind != "ignore" and (valued := VALUED_OBJECT.match(text, end)):  # "value X at"
                self.value_cue = valued.end()
            if entry.kind != "ignore" and tags and tags[-1].kind == "fee":  # "a £60m valuation of"
                if SUFFIX_JOIN.fullmatch(text, tags[-1].end, start):  # "£40m-rated", "a £40m valuation"
                    tags[-1] = replace(tags[-1], kind="valuation")
                    if len(tags) > 1 and tags[-2].kind == "fee" and _converts(text, tags[-2], tags[-1]):
                        tags[-2] = replace(tags[-2], kind="valuation")  # "€50m (£42.5m) price tag"
            return None
        value = entry.value
        if entry.kind == "denial" and entry.check:  # "rejected a new contract" denies no move
            if not condition_holds(entry.check, text, start, end):
                return None
        elif entry.check:
            value = checked_stage(entry.check, text, start, end, entry.value)
            if value is None:
                return None
        if entry.kind == "source" and entry.source is not None:
            span = self._source_span(start, end, entry)
            if span is None:
                return None
            start, end = span
        elif entry.kind == "hedge" and text[start] == "M" and is_month(text, start, end):
            return None
        return entry.kind, value, start, end

    def _source_span(self, start: int, end: int, entry: _Entry) -> tuple[int, int] | None:
        text, suffix, prefix_cue = self.text, self.suffix, self.prefix_cue
        assert entry.source is not None
        # in a text with capitals, a name without its capitals ("as", "star") is no source, cue or none
        if self.not_lower and not spelled(text[start:end], entry.spellings):
            return None
        joined = prefix_cue is not None and PREFIX_JOIN.fullmatch(text, prefix_cue[1], start)
        # "Ole Gunnar Solskjaer says": a one-word alias before a capitalised word is a first
        # name; "Mateu Alemany says": a journalist's one-word surname after another first name
        if " " not in entry.cased and (
            (NAME_AFTER.match(text, end) and not suffix.match(text, end))
            or (not joined and entry.source.kind == "journalist" and first_name_before(text, start))
        ):
            return None
        span = (prefix_cue[0], end) if joined and prefix_cue else source_cued(text, start, end, suffix)
        if span is None and entry.needs_cue:
            return None
        # all-lower-case text (slug headlines) has no capitals to check: a cue must do
        if span is None and not self.not_lower and not spelled(text[start:end], entry.spellings):
            return None
        return span or (start, end)

    def money(self, start: int, end: int, m: re.Match[str]) -> tuple[str, Any, int, int] | None:
        text, tags = self.text, self.tags
        value = _money(m)
        kind = "wage" if value.per else "fee"
        per = pay_period_before(text, start) if kind == "fee" else None
        if per is not None:
            value, kind = Money(value.amount, value.currency, per), "wage"
        if (kind == "fee" and value.amount < MIN_FEE) or MONEY_GAP_AFTER.match(text, end):
            return None
        if (
            tags
            and tags[-1].kind == "release_clause"
            and tags[-1].value is None
            and CLAUSE_GAP.fullmatch(text, tags[-1].end, start)
            and start - tags[-1].end <= CLAUSE_MONEY_GAP
            and kind == "fee"
        ):
            start = tags.pop().start
            kind = "release_clause"
        if kind == "fee" and self.value_cue >= 0 and VALUE_GAP.fullmatch(text, self.value_cue, start):
            kind = "valuation"  # "valued at around €30m": what a club asks, not what is paid
        elif kind == "fee" and tags and tags[-1].kind in _CONVERTED and _converts(text, tags[-1], start):
            kind = tags[-1].kind  # "valued at €50m (£42.5m)", "a release clause of €80m (£68m)"
        return kind, value, start, end


def resolve_source(name: object) -> SourceInfo | None:
    """Map a free-form source string to a known outlet or journalist.

    Accepts canonical names, aliases, handles and web domains, case-insensitively:
    ``"Mail"``, ``"dailymail.co.uk"`` and ``"@FabrizioRomano"`` all resolve. Longer
    strings ("Fabrizio Romano (@FabrizioRomano, X/Twitter)") are searched for an alias.

    Returns
    -------
    SourceInfo or None
        ``None`` for anything unknown, empty or not a string.
    """
    if not isinstance(name, str) or not name.strip():
        return None
    return _resolve_source(name[:MAX_SOURCE_CHARS])


#: A gossip column's note after an outlet's name ("Sport - in Spanish", "Times - subscription required").
_SOURCE_TAIL = re.compile(r"\s[-\u2013\u2014]\s.*\Z", re.DOTALL)


@lru_cache(maxsize=4096)
def _resolve_source(name: str) -> SourceInfo | None:
    """:func:`resolve_source` for a non-empty string, remembered: a feed repeats its outlets."""
    _, _, _, aliases = _compiled()
    key = normalise_term(name)
    # a gossip column's own tail after the name: "Times - subscription required", "AS - in Spanish"
    bare = normalise_term(_SOURCE_TAIL.sub("", name))
    for candidate in (key, key.removeprefix("the "), key.removeprefix("www."), bare, bare.removeprefix("the ")):
        if candidate in aliases:
            return aliases[candidate][0]
    domain = DOMAIN.search(key)
    if domain:
        host = domain.group(0).removeprefix("www.")
        if host in aliases:
            return aliases[host][0]
    for t in tag(name):
        if t.kind == "source" and t.value is not None:
            return sources()[t.value]
    return None
