"""The regular-expression tagger of rumourscore 0.2.0, kept as the reference for the one-pass tagger.

Not part of the package: the tests check that :func:`rumourscore.tag` gives exactly the tags
this implementation gave (one master pattern of the lexicon trie and the structural patterns,
run with ``finditer``), and that the features count clubs and signal terms as the two regex
scans of ``_features.row_features`` did.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache

from rumourscore._lexicons import (
    SourceInfo,
    club_matcher,
    normalise_term,
    sources,
    term_lexicon,
    trie_pattern,
)
from rumourscore._tag_patterns import (
    _BRACKET_TAIL,
    _CONTRACT_WORDS,
    _SUFFIX_GAP,
    AGE,
    AGE_AFTER_NAME,
    CLAUSE_GAP,
    CURRENCY_SYMBOLS,
    CURRENCY_WORDS,
    DEAL_BEFORE,
    EXPIRY,
    EXPIRY_CONTEXT_CHARS,
    LENGTH,
    MAX_AGE,
    MAX_CONTRACT_YEAR,
    MIN_AGE,
    MIN_CONTRACT_YEAR,
    MONEY_GAP_AFTER,
    MONEY_SYMBOL,
    MONEY_WORD,
    MULTIPLIERS,
    NAME_AFTER,
    NUMBER_WORDS,
    PERIODS,
    SALARY_WORDS,
    SUFFIX_JOIN,
    VALUE_GAP,
    VALUED_OBJECT,
    _player_words,
    checked_stage,
    condition_holds,
    decimal_point,
    first_name_before,
    is_month,
    spelled,
)
from rumourscore._tagger import (
    _CONDITIONAL_DENIALS,
    _CONDITIONAL_STAGES,
    _KIND_OF_ROW,
    CLAUSE_MONEY_GAP,
    MIN_FEE,
    Money,
    Tag,
    _converts,
    _Entry,
    _parse_value,
)


def _after_name_loop(text: str, comma: int) -> bool:
    """``_tag_patterns._after_name`` as first written: a loop back over the word before the comma."""
    i = comma
    while i > 0 and (text[i - 1].isalpha() or text[i - 1] in "'\u2019-."):
        i -= 1
    return i < comma and (text[i].isupper() or text[i:comma].lower() in _player_words())


@cache
def _reference_compiled() -> tuple[
    tuple[re.Pattern[str], re.Pattern[str]], dict[str, _Entry], re.Pattern[str], dict[str, tuple[SourceInfo, bool]]
]:
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
    lexicon = trie_pattern(sorted(table))
    master = (
        rf"(?P<money>{MONEY_SYMBOL})|(?P<ageall>{AGE_AFTER_NAME})"
        rf"|(?<![\w@.,£€$])(?:(?P<moneyw>{MONEY_WORD})|(?P<length>{LENGTH})|(?P<agew>{AGE})"
        rf"|(?P<expiry>{EXPIRY})|(?P<lex>{lexicon})(?![\w@]|\.\w))"
    )
    suffix = re.compile(rf"(?:'s?)?\s{{0,3}}(?::|(?:{trie_pattern(sorted(suffix_terms))})(?!\w))", re.IGNORECASE)
    # The text is lower-cased before the scan (faster than IGNORECASE); the IGNORECASE twin
    # serves the rare texts whose lower-case form changes length ("İ").
    return (re.compile(master), re.compile(master, re.IGNORECASE)), table, suffix, alias_table


PREFIX_JOIN = re.compile(r"\s{1,3}(?:the\s{1,3})?", re.IGNORECASE)


def _money(m: re.Match[str]) -> Money:
    num = m["num"] or m["num2"]
    amount = float(decimal_point(num))  # ("€50,5m": a decimal comma, as the tagger reads it since session 17)
    mult = (m["mult"] or m["mult2"] or "").lower()
    amount *= MULTIPLIERS.get(mult, 1.0)
    cur = m["cur"]  # a sign, or a code before the number ("EUR 50m")
    currency = (CURRENCY_SYMBOLS.get(cur) or CURRENCY_WORDS[cur.lower()]) if cur else CURRENCY_WORDS[m["curw"].lower()]
    period = m["pers"] or m["pws"] if m["cur"] else m["perw"] or m["pww"]
    return Money(amount, currency, PERIODS[period.lower()] if period else None)


def _number(word: str) -> float:
    word = word.lower()
    return float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float(word)


def source_cued(text: str, start: int, end: int, suffix: re.Pattern[str]) -> tuple[int, int] | None:
    """Return the (start, end) of the source tag if an attribution cue surrounds it."""
    if start > 0 and text[start - 1] in "([":
        tail = _BRACKET_TAIL.match(text, end)
        if tail:
            return start - 1, tail.end()
    after = _SUFFIX_GAP.match(text, end)
    if after and suffix.match(text, after.end()):
        return start, end
    return None


def reference_tag(text: str) -> list[Tag]:
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
    (lower_master, any_case_master), table, suffix, _ = _reference_compiled()
    folded = text.lower()
    matches = lower_master.finditer(folded) if len(folded) == len(text) else any_case_master.finditer(text)
    tags: list[Tag] = []
    prefix_cue: tuple[int, int] | None = None
    value_cue = -1  # end of the last valuation_prefix row ("valued at"), if one may still apply
    for m in matches:
        start, end = m.span()
        if tags and start < tags[-1].end:  # inside a tag that grew past its match ("(Sun - ...)")
            continue
        group = m.lastgroup
        if group == "lex":
            raw = m["lex"]
            # the scanned text is lower case: most matches are their own key, so skip the folding
            entry = table.get(raw) or table.get(normalise_term(raw))
            if entry is None:  # pragma: no cover - the trie only matches table keys
                continue
            if entry.kind == "cue_prefix":
                prefix_cue = (start, end)
                continue
            if entry.kind in ("ignore", "valuation_prefix", "valuation_suffix", "valuation_verb"):
                if entry.kind == "valuation_prefix" and not DEAL_BEFORE.search(text, max(0, start - 40), start):
                    value_cue = end
                elif entry.kind != "ignore" and (valued := VALUED_OBJECT.match(text, end)):  # "value X at"
                    value_cue = valued.end()
                if entry.kind != "ignore" and tags and tags[-1].kind == "fee":  # "a £60m valuation of"
                    if SUFFIX_JOIN.fullmatch(text, tags[-1].end, start):  # "£40m-rated", "a £40m valuation"
                        tags[-1] = replace(tags[-1], kind="valuation")
                        if len(tags) > 1 and tags[-2].kind == "fee" and _converts(text, tags[-2], tags[-1]):
                            tags[-2] = replace(tags[-2], kind="valuation")  # "€50m (£42.5m) price tag"
                continue
            if entry.kind == "denial" and entry.check:
                value = entry.value
                if not condition_holds(entry.check, text, start, end):
                    continue
            else:
                value = checked_stage(entry.check, text, start, end, entry.value) if entry.check else entry.value
                if value is None and entry.check:
                    continue
            if entry.kind == "source" and entry.source is not None:
                joined = prefix_cue is not None and PREFIX_JOIN.fullmatch(text, prefix_cue[1], start)
                # "Ole Gunnar Solskjaer says": a one-word alias before a capitalised word is a first
                # name; "Mateu Alemany says": a journalist's one-word surname after another first name
                if " " not in entry.cased and (
                    (NAME_AFTER.match(text, end) and not suffix.match(text, end))
                    or (not joined and entry.source.kind == "journalist" and first_name_before(text, start))
                ):
                    continue
                span = (prefix_cue[0], end) if joined and prefix_cue else source_cued(text, start, end, suffix)
                if span is None and entry.needs_cue:
                    continue
                # all-lower-case text (slug headlines) has no capitals to check: a cue must do
                if not spelled(text[start:end], entry.spellings) and (span is None or folded != text):
                    continue
                start, end = span or (start, end)
            elif entry.kind == "hedge" and text[start] == "M" and is_month(text, start, end):
                continue
            kind = entry.kind
        elif group in ("money", "moneyw"):
            value = _money(m)
            kind = "wage" if value.per else "fee"
            if kind == "fee" and SALARY_WORDS.search(text, max(0, start - 40), start):
                window = text[max(0, start - 40) : start].lower()
                per = "week" if "week" in window else "month" if "month" in window else "year"
                value, kind = Money(value.amount, value.currency, per), "wage"
            if (kind == "fee" and value.amount < MIN_FEE) or MONEY_GAP_AFTER.match(text, end):
                continue
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
            if kind == "fee" and value_cue >= 0 and VALUE_GAP.fullmatch(text, value_cue, start):
                kind = "valuation"  # "valued at around €30m": what a club asks, not what is paid
            elif kind == "fee" and tags and tags[-1].kind in ("valuation", "release_clause") and _converts(
                text, tags[-1], start
            ):
                kind = tags[-1].kind  # "valued at €50m (£42.5m)", "a release clause of €80m (£68m)"
        elif group == "length":
            years = _number(m["lnum"]) + (0.5 if m["lhalf"] else 0.0)
            if m["lunit"].lower() == "month":
                years = years / 12
            if m["lleft"]:  # "18 months left on his contract": the time left, always a float
                kind, value = "contract_left", round(years, 2)
            else:
                kind, value = "contract_length", (int(years) if float(years).is_integer() else round(years, 2))
        elif group == "expiry":
            year = int(m["eyear"])
            if m["eyear2"]:
                year = (year // 100) * 100 + int(m["eyear2"])
            if not MIN_CONTRACT_YEAR <= year <= MAX_CONTRACT_YEAR:
                continue
            # only "expires" and "out of contract" name a contract themselves
            if not m["everb"] or not m["everb"].lower().startswith(("exp", "out")):
                window = text[max(0, start - EXPIRY_CONTEXT_CHARS) : start]
                if not _CONTRACT_WORDS.search(window):
                    continue
            kind, value = "contract_expiry", year
        else:  # age
            raw = m["age"] or m["age2"] or m["age3"]
            value = int(raw)
            if not MIN_AGE <= value <= MAX_AGE:
                continue
            if m["age3"]:
                start, end = m.span("age3")
                if not _after_name_loop(text, start - 2):
                    continue
            kind = "age"
        if kind == "release_clause" and value is None and tags and tags[-1].kind == "fee":
            prev = tags[-1]
            if start - prev.end <= 3 and not text[prev.end : start].strip(" -"):
                tags.pop()
                kind, value, start = "release_clause", prev.value, prev.start
        prefix_cue, value_cue = None, -1
        tags.append(Tag(kind, start, end, text[start:end], value))
    return tags


@cache
def _reference_signals() -> tuple[re.Pattern[str], dict[str, tuple[str, float]]]:
    table = {normalise_term(r.term): (r.kind, float(r.value)) for r in term_lexicon("signals.csv")}
    return re.compile(rf"(?<![\w@.])(?:{trie_pattern(sorted(table))})(?![\w@])"), table


def reference_terms(text: str) -> tuple[set[str], dict[str, float]]:
    """Clubs named (no cue needed) and signal weight per kind, as the old row_features scanned them."""
    lowered = text.lower()
    matcher, table = _reference_signals()
    weights: dict[str, float] = {}
    for m in matcher.finditer(lowered):
        kind, weight = table[normalise_term(m.group(0))]
        weights[kind] = weights.get(kind, 0.0) + weight
    pattern, _, aliases = club_matcher()
    named = (aliases[normalise_term(m.group(0))] for m in pattern.finditer(lowered))
    return {a.club for a in named if not a.needs_cue}, weights
