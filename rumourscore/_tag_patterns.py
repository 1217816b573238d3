"""Structural patterns and text checks of the tagger: money, contract terms, ages, context.

Every pattern here is a regular-expression *string* that :mod:`rumourscore._tagger` joins
into its one structural pattern (tried only where the automaton of :mod:`rumourscore._scan`
found a trigger: a digit, a currency sign, a number word, an expiry word), or a small compiled
check it runs on a match's neighbourhood. All quantifiers are bounded and every alternative
starts at a literal, so the patterns stay linear on hostile input. They run on lower-cased
text, so the literals here are lower case.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from ._lexicons import fold_spacing, term_lexicon

#: Plausible ages of players and coaches; other two-digit numbers after a name are not ages.
MIN_AGE, MAX_AGE = 15, 80
#: Contract years outside this range are not contract dates.
MIN_CONTRACT_YEAR, MAX_CONTRACT_YEAR = 1990, 2045
#: How far back (characters) a bare "until 2027" may look for a contract word.
EXPIRY_CONTEXT_CHARS = 80

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18,
}  # fmt: skip
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mil": 1e6, "million": 1e6,
                "bn": 1e9, "billion": 1e9}  # fmt: skip
CURRENCY_SYMBOLS = {"£": "GBP", "€": "EUR", "$": "USD"}
CURRENCY_WORDS = {"euro": "EUR", "euros": "EUR", "eur": "EUR", "pound": "GBP", "pounds": "GBP",
                   "gbp": "GBP", "dollar": "USD", "dollars": "USD", "usd": "USD"}  # fmt: skip
PERIODS = {"week": "week", "wk": "week", "weekly": "week", "p/w": "week", "pw": "week",
            "month": "month", "monthly": "month", "year": "year", "annum": "year",
            "season": "year", "annually": "year", "yearly": "year"}  # fmt: skip

# Every structural pattern either starts at a currency sign, a currency code ("EUR", not inside
# a word) or a comma, or sits behind the shared word-start guard of the structural pattern, so
# mid-word positions fail at once.
#: A number: grouped by commas or not (up to ten digits, a billion written out), never cut short
#: before a digit ("£100000000" is £100m, not £1m with "00" left over), with decimals after a point,
#: or after a comma when one or two digits and a multiplier (or a range's dash) follow ("€50,5m", as
#: European outlets write; :func:`decimal_point` reads it).
_MULT = r"(?:million|mil|mn|m|billion|bn|thousand|k)(?![a-z])"
_NUM = (
    r"(?:\d{1,3}(?:,\d{3}){1,4}(?!\d)(?:\.\d{1,3})?"
    rf"|\d{{1,10}}(?!\d)(?:\.\d{{1,3}}|,\d{{1,2}}(?!\d)(?=\s?(?:{_MULT}|[-–]\s?[£€$]?\d)))?)"
)


def decimal_point(number: str) -> str:
    """A number :data:`_NUM` matched, as ``float`` reads it: a comma before three digits groups them
    ("50,000"); one before one or two digits at the end is a decimal comma ("50,5" is 50.5)."""
    comma = number.rfind(",")
    if comma >= 0 and len(number) - comma <= 3:
        number = number[:comma] + "." + number[comma + 1 :]
    return number.replace(",", "")


def _per(suffix: str) -> str:
    """The optional pay period after an amount ("a week", "-a-week", "per year", "p/w", "net per season")."""
    return (
        rf"(?:\s{{0,2}}[-/]?\s{{0,2}}{_NET}(?:a|per|an|each|every|/)[-\s]{{0,2}}(?P<per{suffix}>week|wk|month|year|annum|season)"
        rf"|\s{{0,2}}{_NET}(?P<pw{suffix}>weekly|monthly|annually|yearly|p/w|pw)(?![a-z]))?"
    )


#: "Net" or "gross" between an amount and its pay period ("€9m net per season", "£150,000 gross a week").
_NET = r"(?:(?:net|gross)\s{1,2})?"


# A range with one multiplier ("€20-25m") is tagged at its lower bound.
_RANGE = rf"(?:\s?[-–]\s?[£€$]?{_NUM}(?=\s?{_MULT}))?"
MONEY_SYMBOL = (  # (a currency code before the number too: "EUR 50m")
    rf"(?P<cur>[£€$]|(?<![a-z])(?:eur|gbp|usd)(?=\s?\d))\s?(?P<num>{_NUM}){_RANGE}(?:\s?(?P<mult>{_MULT}))?(?:\s?(?:euros?|pounds?|dollars?)(?![a-z]))?"
    rf"{_per('s')}"
)
MONEY_WORD = (
    rf"(?P<num2>{_NUM}){_RANGE}\s?(?P<mult2>{_MULT})?\s?(?P<curw>euros?|eur|pounds?|gbp|dollars?|usd)(?![a-z])"
    rf"{_per('w')}"
)
# A contract's length ("a five-year deal") or, with "left"/"remaining", the time left on it
# ("18 months left on his contract"): one pattern, as both start at the same number. "A year
# left on his deal" has no number: those phrases are contract_left rows of contract.csv.
LENGTH = (
    rf"(?P<lnum>\d{{1,2}}(?:\.5)?|{'|'.join(NUMBER_WORDS)})(?P<lhalf>[-\s]and[-\s]a[-\s]half)?(?:-|\s{{1,3}})"
    r"(?P<lunit>year|month)s?(?:(?:-|\s{1,3})(?:long[-\s])?(?:contract|deal|agreement|extension|terms|pact|renewal)s?(?!\w)"
    r"|\s{1,3}(?P<lleft>left|remaining|to\s{1,3}run|to\s{1,3}go)\s{1,3}(?:on|of|in)\s{1,3}(?:his|her|their|its|the|a)\s{1,3}"
    r"(?:[a-z'-]{1,15}\s{1,3}){0,2}?(?:contract|deal|agreement|terms)(?!\w))"
)
EXPIRY = (
    r"(?:(?P<everb>run(?:s|ning)?(?:\s{1,3}out)?|expir(?:es?|ing)|end(?:s|ing)?|is\s{1,3}up"
    r"|up(?:(?<=contract\sup)|(?<=deal\sup))|out\s{1,3}of\s{1,3}contract(?:\s{1,3}at\s{1,3}[\w.'-]{1,20}){0,1})\s{1,3}"
    r"(?:until|till|to|in|after|at\s+the\s+end\s+of)\s{1,3}|(?P<euntil>until|till|through|beyond|to(?=\s{1,3}(?:19|20)\d\d))\s{1,3})"
    r"(?:the\s{1,3})?(?:(?:end|summer|start|spring|autumn|winter|close)\s{1,3}(?:of\s{1,3})?(?:the\s{1,3})?"
    rf"|(?:\d{{1,2}}(?:st|nd|rd|th)?\s{{1,3}})?(?:{_MONTHS})\s{{1,3}}(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s{{1,3}})?)?"
    r"(?P<eyear>(?:19|20)\d\d)(?:[-/](?P<eyear2>\d\d)(?!\d))?(?!\d)"
)
AGE = r"(?:the\s)?(?P<age>\d{2})[-\s]year[-\s]old(?!\w)|aged\s(?P<age2>\d{2})(?!\d)"
AGE_AFTER_NAME = (
    r",\s(?P<age3>\d{2})(?=[,.;](?!\d)|\)|\s*$|\s\(|\s(?:is|has|are|was|could|will|would|and|who|to|in|on|for"
    r"|after|as|but|may|might|remains|wants)\b)"
)
_CONTRACT_WORDS = re.compile(
    r"\b(?:contract(?:ed|s)?|deal|terms|extension|extend(?:s|ed)?|renew\w*|tied|sign(?:s|ed|ing)?|commit\w*|agreement|pact"
    r"|stay(?:s|ing)?|loan)\b",
    re.IGNORECASE,
)
# Pay words before an amount with no period make it a wage ("to pay" is a fee's verb).
SALARY_WORDS = re.compile(
    r"(?:salar(?:y|ies)|wages?|earn(?:s|ing)?|pay\s+packet|weekly|annual|yearly)\W{1,3}(?:\w+\W{1,3}){0,3}$",
    re.IGNORECASE,
)


def _has_salary_stem(window: str) -> bool:
    """True if ``window`` holds a stem of a pay word: every word :data:`SALARY_WORDS` starts with
    holds one of these (a cheap test before the regex; written out, it is faster than ``any()``)."""
    return (
        "pay" in window
        or "wage" in window
        or "earn" in window
        or "salar" in window
        or "weekly" in window
        or "annual" in window
        or "yearly" in window
    )


#: How far before an amount a pay word may stand.
SALARY_WINDOW = 40


def pay_period_before(text: str, start: int) -> str | None:
    """The pay period of an amount at ``start`` that pay words make a wage, else ``None``.

    A pay word must end just before ``start`` (:data:`SALARY_WORDS` on the window before it);
    the period is the first of "week" or "month" the window holds, else "year". The regex is
    slow where it fails (no literal it could look for); most windows are plain ASCII with none
    of the words' stems, and for those it is not run. A window that is not ASCII always gets
    the regex (case-insensitive matching knows "ſ" as "s").
    """
    begin = max(0, start - SALARY_WINDOW)
    window = text[begin:start]
    plain = window.isascii()
    window = window.lower()
    if plain and not _has_salary_stem(window):
        return None
    if SALARY_WORDS.search(text, begin, start) is None:
        return None
    return "week" if "week" in window else "month" if "month" in window else "year"


CLAUSE_GAP = re.compile(
    r"[\s,]{0,3}(?:(?:is|was|which is|that is)\s{1,2})?(?:of|worth|set at|at|valued at|standing at|stands at|of around"
    r"|of about|around|about|[-–:(])?[\s,]{0,3}$",
    re.IGNORECASE,
)
_SUFFIX_GAP = re.compile(
    r"\s{0,3}(?:(?:the\s)?(?:[\w'\u2019]+\s){0,2}(?:journalist|reporter|newspaper|outlet|correspondent)\s)?",
    re.IGNORECASE,
)
# "(Telegraph - subscription required)": what may follow a source inside its brackets.
_BRACKET_TAIL = re.compile(r"\s{0,2}(?:[-–—:]\s{0,2}[^()\[\]\n]{0,40})?[)\]]")
# Checks of conditional stage rows (see the row kinds in stages.csv), run at the end of the term.
#: One word (an amount among them) and its spaces, of the few a check lets stand between its term and
#: what must follow it.
_GAP_WORD = r"[\w£€$.,'\u2019-]{1,20}\s{1,3}"
#: ``stage_before_move``: "complete a" counts only before a move ("complete a loan move").
BEFORE_MOVE = re.compile(
    rf"\s{{1,3}}(?:{_GAP_WORD}){{0,2}}?(?:move|deal|switch|transfer|loan|signing|return|sale|terms|fee)(?!\w)",
    re.IGNORECASE,
)
#: ``stage_before_price``: "triggered", "paid", "met" count only before a release or buyout clause or the
#: seller's price ("triggered the €60m release clause", "have met Atletico's asking price"; up to three words,
#: the amount among them, may stand between).
BEFORE_PRICE = re.compile(
    rf"\s{{1,3}}(?:{_GAP_WORD}){{0,3}}?(?:(?:release|buy-?out|exit)\s{{1,3}}clause|asking\s{{1,3}}price"
    r"|valuation|price\s{1,3}tag)(?!\w)",
    re.IGNORECASE,
)
#: ``stage_not_before_money``: "close to" is no deal step before an amount or a number ("holding out for
#: closer to £20m", "close to 100 games") unless a move word follows it ("close to £25m Sessegnon deal").
MONEY_AFTER = re.compile(r"\s{1,3}(?:(?:around|about)\s{1,3})?[£€$\d]", re.IGNORECASE)
#: ``stage_before_signing``: "beaten" counts only before the signing it won ("have beaten Chelsea to the signing").
BEFORE_SIGNING = re.compile(
    r"\s{1,3}(?:[\w.,'\u2019&-]{1,20}\s{1,3}){1,5}?to\s{1,3}(?:the|his|her)\s{1,3}(?:signing|signature)(?!\w)",
    re.IGNORECASE,
)
#: ``stage_before_loan``: "sent" counts only when an on-loan phrase with a club follows.
_LOAN = r"on\s{1,3}(?:a\s{1,3})?(?:[\w-]{1,15}\s{1,3})?loan"
BEFORE_LOAN = re.compile(
    rf"[^.;!?\n]{{0,60}}?\b(?:{_LOAN}\s{{1,3}}(?:to|at|with)\b|to\s[^.;!?\n]{{1,40}}?\b{_LOAN}\b)", re.IGNORECASE
)
#: ``stage_not_before_step``: "official" is no announcement before a deal step ("official bid")
#: or as a person ("a club official said").
BEFORE_STEP = re.compile(
    r"\s{1,3}(?:[\w£€$.,-]{1,15}\s{1,3})?(?:bids?|offers?|approach(?:es)?|proposals?|enquir(?:y|ies)|inquir(?:y|ies)"
    r"|requests?|talks|negotiations|contact|interest|said|says|told|to|from|who"
    r"|rejected|rejects?|turned|asked|made|submitted|opened|lodged|tabled|approached|contacted)(?!\w)",
    re.IGNORECASE,
)
#: ``stage_not_before_step`` also fails before a clause: "confirmed they are in talks", "announced X will
#: not join" report what the clause says, not an announced move.
CLAUSE_AFTER = re.compile(
    r"\s{1,3}(?:(?:that|they|he|she|it|we|there)(?!\w)|(?:(?-i:[A-Z])[\w'\u2019.-]*\s{1,3}){1,3}(?:is|are|was|were|has"
    r"|have|had|will|would|wants?|won't|could|can|may|might|does|did)(?!\w))",
    re.IGNORECASE,
)
#: ``stage_not_before_renewal`` and ``denial_not_before_renewal``: signing, rejecting or refusing a new
#: contract or an extension is about the player's own club, no move ("signed a new five-year deal",
#: "rejected a contract extension", "refused to sign a new contract").
RENEWAL_AFTER = re.compile(
    r"(?:\s{1,3}to\s{1,3}sign)?\s{1,3}(?:(?:a|an|his|her|their|the|any)\s{1,3})?(?:(?:new|fresh)\s{1,3}"
    r"(?:[\w-]+\s{1,3}){0,2}?(?:contract|deal|terms)|(?:contract\s{1,3})?(?:extension|renewal))(?!\w)",
    re.IGNORECASE,
)
#: ``stage_done_before_move`` and ``stage_not_after_to``: "complete", "agree" after "to" or a modal are still
#: to come ("hope to complete", "expected to agree a deal").
_MODAL_OR_TO = "to|will|would|could|can|may|might|should|must"
AFTER_TO = re.compile(rf"(?<![\w'])(?:{_MODAL_OR_TO}|cannot|can't|won't)\s{{1,3}}$", re.IGNORECASE)
#: How far before a term :data:`AFTER_TO` is looked for (characters).
AFTER_TO_CHARS = 8
#: ``stage_after_name``: the headline present "sign" counts right after a capitalised name ("Lyon sign") ...
AFTER_NAME = re.compile(r"(?<![\w'\u2019])[A-Z][\w.'\u2019-]{0,30}\s{1,3}$")
#: ... unless a modal or "to" stands before the name: a question or a wish ("Will Manchester United sign").
AUX_BEFORE_NAME = re.compile(
    rf"(?<![\w'\u2019])(?i:{_MODAL_OR_TO}|do|does|did)\s{{1,3}}"
    r"(?:[A-Z][\w.'\u2019-]{0,30}\s{1,3}){1,3}$"
)
#: ``stage_done_or_imminent``: after "to" or a modal a completed move's words are an imminent move.
IMMINENT_STAGE = 5
AFTER_ARTICLE = re.compile(r"(?<![\w'])an?\s{1,3}$", re.IGNORECASE)
#: ``stage_not_after_be`` (and ``stage_before_loan``): "could be loaned" is no completed loan.
AFTER_BE = re.compile(r"(?<![\w'])be\s{1,3}$", re.IGNORECASE)

# Valuations: the money after a valuation_prefix row ("valued at around €30m") ...
VALUE_GAP = re.compile(
    r"\s{0,3}(?:(?:around|about|roughly|some|approximately|up\s{1,3}to|in\s{1,3}excess\s{1,3}of|more\s{1,3}than"
    r"|over|at\s{1,3}least|less\s{1,3}than|under|below|nearly|almost|at)\s{1,3})?",
    re.IGNORECASE,
)
# ... unless the thing valued is a deal ("a bid valued at £40m" is a fee) ...
DEAL_BEFORE = re.compile(
    r"\b(?:bids?|offers?|deals?|package|fee|move|transfer|switch|proposal|contract|agreement)(?:\W{1,3}\w+){0,2}\W{1,3}$",
    re.IGNORECASE,
)
# ... and the money right before a valuation_suffix row ("£40m-rated", "a £40m valuation",
# "a £100m-plus valuation").
SUFFIX_JOIN = re.compile(r"\)?(?:[\s-]{0,2}plus)?[\s-]{0,2}", re.IGNORECASE)
#: After a valuation verb ("value", "valued"), the thing valued and "at": the money after it is a
#: valuation ("Juventus value Vlahovic at €120m", "they valued the Brazil forward at £60m").
VALUED_OBJECT = re.compile(
    r"\s{1,3}(?:(?:him|her|them)\s{1,3}|the\s{1,3}(?:[\w'\u2019-]{1,20}\s{1,3}){1,3}|(?:[A-Z][\w'\u2019.-]{0,20}\s{1,3}){1,3})at\s"
)
#: After money, a gap between two figures, not money offered or paid ("still £10m apart", "£5m short of").
MONEY_GAP_AFTER = re.compile(r"\s{1,3}(?:apart|short\s{1,3}of)(?!\w)", re.IGNORECASE)
#: The gap before an amount in brackets: a conversion of the amount before it ("€50m (£42.5m)").
CONVERSION_GAP = re.compile(r"\s{0,2}\(")
#: An attribution verb after a comma, naming the source that ends the clause ("..., says the Sun.").
INVERTED_CUE = re.compile(
    r"[,;:\u2013\u2014-]\s{0,3}(?:says|said|reports|reported|claims|claimed|writes|wrote|reveals|revealed|adds|added"
    r"|understands|insists)\s{1,3}(?:the\s{1,3})?$",
    re.IGNORECASE,
)
#: How far before a source :data:`INVERTED_CUE` is looked for.
INVERTED_CUE_CHARS = 30
#: What may follow the source of an inverted attribution: the end of its clause.
CLAUSE_END = re.compile(r"\s{0,3}(?:$|[.,;:!?)\]'\"\u2019\u201d])")
#: Between an attribution cue and the source it names ("according to the").
PREFIX_JOIN = re.compile(r"\s{1,3}(?:the\s{1,3})?", re.IGNORECASE)
#: Longest first name looked at before a journalist's surname.
MAX_NAME_CHARS = 20
#: Capitalised words before a journalist's surname that are no first names ("Journalist Ornstein").
NOT_FIRST_NAMES = frozenset(
    "journalist reporter correspondent insider expert writer columnist presenter pundit and but as says said "
    "reports reported claims via per".split()
)
#: A capitalised word: after a one-word outlet alias it makes the alias a first name ("Ole Gunnar").
NAME_AFTER = re.compile(r"\s{1,2}[A-Z][a-z]")


def checked_stage(check: str, text: str, start: int, end: int, stage: int) -> int | None:
    """The stage a conditional row (``check`` is its row kind, ``stage`` its value) counts as at
    ``text[start:end]``; ``None`` where it does not count."""
    if check == "stage_done_or_imminent":  # "Spurs complete the signing of X"; "want to complete the signing"
        return IMMINENT_STAGE if _after_to(text, start) else stage
    if check == "stage_before_price":  # "triggered his release clause"; "ready to meet the asking price"
        if BEFORE_PRICE.match(text, end) is None:
            return None
        return IMMINENT_STAGE if _after_to(text, start) else stage
    return stage if condition_holds(check, text, start, end) else None


def _after_to(text: str, start: int) -> bool:
    """Whether "to" or a modal stands right before ``start`` (:data:`AFTER_TO`)."""
    return AFTER_TO.search(text, max(0, start - AFTER_TO_CHARS), start) is not None


def condition_holds(check: str, text: str, start: int, end: int) -> bool:
    """Whether a conditional stage row (``check`` is its row kind) counts at ``text[start:end]``."""
    if check == "stage_before_move":
        return BEFORE_MOVE.match(text, end) is not None
    if check == "stage_after_name":  # "Lyon sign X on loan", not "want to sign", "a sign of", "Will Lyon sign"
        window = max(0, start - 110)
        if _after_to(text, start):  # a headline's capitals: "Keen To Sign", "COULD SIGN"
            return False
        return AFTER_NAME.search(text, window, start) is not None and not AUX_BEFORE_NAME.search(text, window, start)
    if check in ("stage_not_after_to", "stage_done_before_move"):  # "a race to agree terms", "hope to complete"
        if _after_to(text, start):
            return False
        return check == "stage_not_after_to" or BEFORE_MOVE.match(text, end) is not None  # "Leeds complete X signing"
    if check in ("stage_before_loan", "stage_not_after_be"):  # "could be loaned", "will be sent" are no moves
        if AFTER_BE.search(text, max(0, start - 4), start):
            return False
        return check == "stage_not_after_be" or BEFORE_LOAN.match(text, end) is not None
    if check == "stage_before_signing":  # "have beaten Chelsea to the signing", not "hope to have beaten"
        return not _after_to(text, start) and BEFORE_SIGNING.match(text, end) is not None
    if check == "stage_not_before_money":  # "holding out for closer to £20m"
        return MONEY_AFTER.match(text, end) is None or BEFORE_MOVE.match(text, end) is not None  # "£25m X deal"
    if check in ("stage_not_before_renewal", "denial_not_before_renewal"):  # "signed a new contract"
        return RENEWAL_AFTER.match(text, end) is None
    # stage_not_before_step: "official" but not "official bid", "an official", "official said", "confirmed they"
    return (
        BEFORE_STEP.match(text, end) is None
        and CLAUSE_AFTER.match(text, end) is None
        and AFTER_ARTICLE.search(text, max(0, start - 4), start) is None
    )


def same_spelling(matched: str, alias: str) -> bool:
    """A source name must keep its capitals ("the sun" is no outlet) unless shouted.

    Lower-case aliases, handles and web domains match in any case, and a leading article
    may differ ("according to the Guardian" names "The Guardian").
    """
    if matched == alias or alias.islower() or matched.isupper() or alias.startswith("@") or "." in alias:
        return True
    return _drop_article(fold_spacing(matched)) == _drop_article(fold_spacing(alias))


def spelled(matched: str, spellings: tuple[str, ...]) -> bool:
    """:func:`same_spelling` against any of a name's listed spellings ("talkSPORT", "Talksport")."""
    return any(same_spelling(matched, spelling) for spelling in spellings)


def _drop_article(name: str) -> str:
    return name[4:] if name[:4].lower() == "the " else name


def is_month(text: str, start: int, end: int) -> bool:
    """True for "May" written as the month: capitalised and not opening a sentence."""
    if text[start:end] != "May":
        return False
    i = start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i > 0 and text[i - 1] not in ".!?:;\"'\u201c\u2018(\u2022-\u2013\u2014"


#: How far back :func:`_after_name` looks for the space before the word (a longer word is walked back).
_WORD_WINDOW = 32


def _after_name(text: str, comma: int) -> bool:
    """True if the comma at ``comma`` follows a capitalised word (a name or a club) or a word for a
    player ("the Lille striker, 23": the ``player`` rows of ``signals.csv``)."""
    space = text.rfind(" ", max(0, comma - _WORD_WINDOW), comma)  # most are a short word after a space
    i = space + 1
    if space < 0 or not text[i:comma].isalpha():
        i = comma
        while i > 0 and (text[i - 1].isalpha() or text[i - 1] in "'\u2019-."):
            i -= 1
    return i < comma and (text[i].isupper() or text[i:comma].lower() in _player_words())


@cache
def _player_words() -> frozenset[str]:
    return frozenset(row.term for row in term_lexicon("signals.csv") if row.kind == "player")


def first_name_before(text: str, start: int) -> bool:
    """True if a capitalised word ("Mateu") and one space stand right before ``start``."""
    if start < 3 or text[start - 1] != " ":
        return False
    i = end = start - 1
    while i > 0 and end - i < MAX_NAME_CHARS and text[i - 1].isalpha():
        i -= 1
    word = text[i:end]
    if len(word) < 2 or not word[0].isupper() or word[1:].isupper() or word.lower() in NOT_FIRST_NAMES:
        return False
    return i == 0 or not text[i - 1].isalnum()


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
    if INVERTED_CUE.search(text, max(0, start - INVERTED_CUE_CHARS), start) and CLAUSE_END.match(text, end):
        return start, end  # "Arsenal want the striker, says the Sun."
    return None


def structural_value(group: str, m: re.Match[str], text: str, start: int, end: int) -> tuple[str, Any, int, int] | None:
    """Kind, value and span of a contract length, contract expiry or age match; ``None`` if it fails its checks."""
    if group == "length":
        years = _number(m["lnum"]) + (0.5 if m["lhalf"] else 0.0)
        if m["lunit"].lower() == "month":
            years = years / 12
        if m["lleft"]:  # "18 months left on his contract": the time left, always a float
            return "contract_left", round(years, 2), start, end
        return "contract_length", (int(years) if float(years).is_integer() else round(years, 2)), start, end
    if group == "expiry":
        year = int(m["eyear"])
        if m["eyear2"]:
            year = (year // 100) * 100 + int(m["eyear2"])
        if not MIN_CONTRACT_YEAR <= year <= MAX_CONTRACT_YEAR:
            return None
        # only "expires" and "out of contract" name a contract themselves
        if not m["everb"] or not m["everb"].lower().startswith(("exp", "out")):
            window = text[max(0, start - EXPIRY_CONTEXT_CHARS) : start]
            if not _CONTRACT_WORDS.search(window):
                return None
        return "contract_expiry", year, start, end
    if group == "ageall":  # ", 23" after a name
        start, end = m.span("age3")
        value = int(text[start:end])
        if not MIN_AGE <= value <= MAX_AGE or not _after_name(text, start - 2):
            return None
        return "age", value, start, end
    value = int(m["age"] or m["age2"])  # "23-year-old", "aged 23"
    if not MIN_AGE <= value <= MAX_AGE:
        return None
    return "age", value, start, end


#: A web domain in a source name ("bbc.co.uk/sport"). It starts only where a host name can start
#: (not after a letter, digit, dot or hyphen), so a long run of "a.a.a..." is tried once: linear time.
DOMAIN = re.compile(r"(?<![a-z0-9.-])(?:[a-z0-9-]+\.)+(?:com|co\.uk|es|it|de|fr|pt|net|org|tv|nl)")
#: Longest source name resolved: an outlet or journalist name is short; a longer cell is cut.
MAX_SOURCE_CHARS = 200
