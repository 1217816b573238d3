"""Claims: pull each transfer claim out of an article, score it, and pool many reports into one verdict.

An article mixes rumours, facts and background. :func:`claims` finds every
*(subject, from club, to club)* claim in a text, decides whether it is a live rumour, a
completed move, a denied move or background, and scores the live ones with the rumour
model, sentence by sentence. :func:`aggregate` turns a scored feed (many reports of the
same claim from many outlets) into one row per claim. No language model is downloaded:
clubs come from the gazetteer in ``lexicons/clubs.csv`` (one compiled trie regex), people
from runs of capitalised words, and roles from small, documented cue lists.

How a claim is found
--------------------
1. The text is split into sentences (:func:`rumourscore.split_sentences`), each sentence into
   *segments* at contrastive joints (", though", ", but", ", while", ", who", ";" ...).
2. Every club mention is classified by the words around it: **destination** ("to X",
   "join X", "move to X", "replace Y at X", "interest/bid from X", "wanted by X",
   "X are keeping tabs on", "X want", "X's interest in", "X boss Y wants"), **origin**
   ("from X", "leave X", "X's Y", "Y of X", "X striker Y", "contract at X",
   "manager of X", "X are ready to sell"), **former** ("the former X midfielder") or
   neutral (match reports, league tables). Ambiguous aliases ("Real", "Madrid", "Villa",
   "the Blues") count only when the club is also named plainly in the text or the words
   around them are club talk ("a move to Real", "Villa are keen").
3. The subject of each destination is a person named in the segment who is not the
   object of a succession ("replace Carlo Ancelotti"), an agent ("Arsenal boss Mikel
   Arteta wants ...") or a passive agent; otherwise a pronoun or description ("he",
   "the 42-year-old", "the Spaniard", "the former Liverpool midfielder") resolves to the
   last named subject. A one-word name ("Alonso") maps to the full name seen in the text.
4. A segment that only says the subject will leave a club ("Alonso will leave the German
   champions") makes an *exit* claim with ``to_club=None``. Descriptions such as "the
   German champions" map to the subject's current club when its country matches.
5. Sentences about the subject that name no club but carry deal stages ("the midfielder
   will undergo a medical on Friday") support the subject's latest claim; denials
   without a club ("he has no intention of leaving") count against all his claims.
6. ``from_club`` is the origin named with the claim, else the subject's current club
   from anywhere in the article ("in charge of Bayer Leverkusen", "X's contract at Y");
   background claims only take an origin named with them. ``role`` is ``"coach"`` when
   coach cues near the subject ("manager", "boss", "head coach", "in charge") outnumber
   player cues ("midfielder", "striker", "goals"); a *former* role does not count.

What it does not do: it has no world knowledge (who coaches whom, which club a player is
at unless the text says so), so a succession with no club named ("take over from Klopp")
falls back to the only other club in the sentence, and lists of many targets in one
sentence yield only the ones joined by "and".

Status of a claim (in this order)
---------------------------------
``background``
    every sentence about it is in the past: "joined X in 2019", "was tipped to",
    "after his arrival in the summer", "was close to joining", "previously".
``completed``
    a sentence reports the move as done: "has joined", "have completed the signing",
    "X sign Y", "has been appointed", "official" (and no "set to"/"expected to" before it).
``denied``
    the last live sentence about it is a denial ("have denied any interest",
    "has rejected a move", "not for sale") with no bid or agreement after the denial.
``rumour``
    otherwise.

Likelihood of a claim (the combination rule)
--------------------------------------------
Each live evidence sentence (or segment, when one sentence holds several destinations)
is scored by the model with the sentence's own named source ("As per Eurosport") or else
the article's ``source``, and the article date. The claim's likelihood is the score of
its **best-supported sentence**; every denial sentence that comes *after* it multiplies
the odds by ``DENIAL_ODDS_FACTOR ** strength`` (strength = the denial's weight in
``denials.csv``, 0.5-1.0), at most ``MAX_DENIALS_APPLIED`` times. ``background`` and
``completed`` claims are not rumours and get ``likelihood=None`` (not NaN); their
background sentences are not scored at all, their completed sentences are (shown per
sentence). The rule is :func:`combine_evidence`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from ._api import load_model, score_frame
from ._features import NEGATION
from ._lexicons import ClubAlias, club_matcher, clubs, fold_spacing, normalise_term, sources, term_lexicon
from ._model import RumourModel
from ._tagger import Money, Tag, resolve_source, tag
from ._text import date_header, mask_names, parse_date, split_sentences

__all__ = [
    "AGGREGATE_COLUMNS",
    "CLAIM_STATUSES",
    "Claim",
    "Evidence",
    "aggregate",
    "canonical_club",
    "claims",
    "combine_evidence",
    "evaluate_aggregate",
    "format_claims",
    "render_html",
]

#: The statuses a claim can have.
CLAIM_STATUSES = ("rumour", "completed", "denied", "background")
#: The roles of a claim's subject.
ROLES = ("player", "coach")
#: Odds multiplier for one full-strength denial that comes after the best-supported sentence.
DENIAL_ODDS_FACTOR = 0.35
#: At most this many later denials lower a claim (the rest add nothing).
MAX_DENIALS_APPLIED = 2
#: A stage this close after a denial is what was denied ("turned down an offer"), not progress.
DENIAL_OBJECT_CHARS = 30
#: Longest article processed (characters); the rest is ignored. A real article is far shorter.
MAX_ARTICLE_CHARS = 200_000

# --- aggregation constants (see :func:`aggregate`) --------------------------------------
#: Base rate the pooled evidence of extra sources is measured against (about one rumour in
#: three comes true; the README of the real evaluation data quotes the same figure).
AGGREGATE_BASE_RATE = 0.30
#: Weight of an extra independent source's log-odds evidence, by reliability tier.
TIER_WEIGHT = {1: 0.9, 2: 0.7, 3: 0.5, 4: 0.35, 5: 0.2}
#: Weight for a source whose tier is unknown.
UNKNOWN_TIER_WEIGHT = 0.25
#: Extra sources beyond the best one count with weight ``TIER_WEIGHT * POOL_DECAY**(k-1)``.
POOL_DECAY = 0.7
#: Cap on the log-odds that extra independent sources may add to the best source's score.
MAX_POOL_GAIN = 1.5
#: Odds multiplier for each independent source denying the claim after its best report.
LATER_DENIAL_ODDS_FACTOR = 0.4
#: Odds multiplier when the subject is later reported moving to another club with a higher
#: score, and when that later report says the other move is done (max stage >= 9).
RIVAL_MOVE_ODDS_FACTOR = 0.6
RIVAL_DONE_ODDS_FACTOR = 0.2
#: Two reports are copies when their name-masked texts have a rapidfuzz ratio at least this.
NEAR_DUPLICATE_RATIO = 90.0
#: A report is compared with at most this many earlier distinct reports of its claim (the latest ones).
MAX_DUPLICATE_COMPARISONS = 200

_DEST, _ORIGIN, _WITH, _FORMER, _NEUTRAL = "dest", "origin", "with", "former", "neutral"


# =========================================================================== data classes
@dataclass(frozen=True)
class Evidence:
    """One sentence (or clause) that bears on a claim.

    Attributes
    ----------
    text : str
        The sentence, or the clause of it that names this claim's club when one sentence
        names several destinations.
    start, end : int
        Character offsets into the text given to :func:`claims` (``text[start:end]``).
    tags : tuple of Tag
        Tags of ``text``, with offsets into the text given to :func:`claims`.
    role : str
        ``"support"``, ``"denial"``, ``"completed"`` or ``"background"``.
    likelihood : float or None
        The model's score of this sentence alone; ``None`` for background sentences.
    source : str or None
        The source the sentence was scored with: one it names itself, else the article's.
    """

    text: str
    start: int
    end: int
    tags: tuple[Tag, ...]
    role: str
    likelihood: float | None = None
    source: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict."""
        return {"text": self.text, "start": self.start, "end": self.end, "role": self.role,
                "likelihood": self.likelihood, "source": self.source,
                "tags": [t.to_dict() for t in self.tags]}  # fmt: skip


@dataclass(frozen=True)
class Claim:
    """A transfer claim found in an article.

    Attributes
    ----------
    subject : str
        The player or coach, as named in full in the text ("Xabi Alonso").
    from_club, to_club : str or None
        Canonical club names from ``clubs.csv``. ``to_club`` is ``None`` for an exit claim
        ("X will leave Y", destination unknown).
    role : str
        ``"player"`` or ``"coach"``.
    status : str
        ``"rumour"``, ``"completed"``, ``"denied"`` or ``"background"``.
    likelihood : float or None
        Combined score of a rumour or denied claim (see the module docs); ``None`` for
        background and completed claims, which are not rumours.
    evidence : tuple of Evidence
        The sentences about the claim, in text order.
    """

    subject: str
    from_club: str | None
    to_club: str | None
    role: str
    status: str
    likelihood: float | None
    evidence: tuple[Evidence, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly dict (evidence included)."""
        return {"subject": self.subject, "from_club": self.from_club, "to_club": self.to_club,
                "role": self.role, "status": self.status, "likelihood": self.likelihood,
                "evidence": [e.to_dict() for e in self.evidence]}  # fmt: skip


# =========================================================================== word lists
def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ROLE_PLAYER = (
    "player|striker|forward|centre-forward|center-forward|winger|midfielder|defender|centre-back|center-back|"
    "centre-half|full-back|fullback|left-back|right-back|wing-back|goalkeeper|keeper|goalie|stopper|playmaker|"
    "attacker|frontman|youngster|teenager|wonderkid|starlet|prospect|talent|star|ace|captain|skipper|"
    "international|veteran|loanee|academy graduate|number nine|no 9|schemer|anchorman|enforcer|target man"
)
_ROLE_COACH = "manager|head coach|coach|boss|tactician|gaffer|head trainer|trainer|manager-in-waiting"
_ROLE_NOUNS = f"{_ROLE_COACH}|{_ROLE_PLAYER}"
_DEMONYM_NOUNS = (
    "Spaniard|Frenchman|Englishman|Dutchman|Italian|German|Brazilian|Argentine|Argentinian|Portuguese|Belgian|"
    "Croatian|Croat|Norwegian|Dane|Swede|Pole|Serb|Serbian|Scot|Scotsman|Welshman|Irishman|Nigerian|Senegalese|"
    "Ghanaian|Ivorian|Cameroonian|Moroccan|Algerian|Egyptian|Uruguayan|Colombian|Chilean|Mexican|American|"
    "Canadian|Japanese|Korean|South Korean|Australian|Turk|Austrian|Swiss|Czech|Hungarian|Ukrainian|Georgian|"
    "Ecuadorian|Paraguayan|Peruvian|Venezuelan|Slovenian|Slovak|Greek|Albanian|Kosovan|Icelander|Finn|Malian|"
    "Guinean|Gabonese|Tunisian|Jamaican|Swedish|Danish|Dutch|French|English|Spanish|Scottish|Welsh|Irish"
)
#: Country adjectives and league names in descriptions ("the German champions") -> country code.
_DEMONYM_COUNTRY = {
    "english": "ENG", "spanish": "ESP", "german": "GER", "italian": "ITA", "french": "FRA", "portuguese": "POR",
    "dutch": "NED", "scottish": "SCO", "welsh": "WAL", "turkish": "TUR", "saudi": "KSA", "belgian": "BEL",
    "brazilian": "BRA", "argentine": "ARG", "argentinian": "ARG", "american": "USA", "austrian": "AUT",
    "swiss": "SUI", "danish": "DEN", "greek": "GRE", "russian": "RUS", "ukrainian": "UKR", "mexican": "MEX",
    "catalan": "ESP", "bavarian": "GER", "premier league": "ENG", "la liga": "ESP", "laliga": "ESP",
    "serie a": "ITA", "bundesliga": "GER", "ligue 1": "FRA", "eredivisie": "NED", "primeira liga": "POR",
    "mls": "USA", "saudi pro league": "KSA", "championship": "ENG", "scottish premiership": "SCO",
    "super lig": "TUR",
}  # fmt: skip
_CLUB_DESC = re.compile(
    r"\bthe\s{1,3}(?:reigning\s{1,3}|defending\s{1,3}|current\s{1,3}|former\s{1,3})?"
    r"(?P<adj>premier\s{1,3}league|la\s{1,3}liga|laliga|serie\s{1,3}a|bundesliga|ligue\s{1,3}1|eredivisie|"
    r"primeira\s{1,3}liga|mls|saudi\s{1,3}pro\s{1,3}league|scottish\s{1,3}premiership|super\s{1,3}lig|"
    + "|".join(k for k in _DEMONYM_COUNTRY if " " not in k)
    + r")\s{1,3}(?:champions|giants|side|club|outfit|team|holders|leaders|heavyweights|powerhouse|"
    r"title\s{1,3}holders)\b",
    re.IGNORECASE,
)

#: Capitalised words that are not (parts of) people's names.
_STOP_CAPS = _words(
    # function words and sentence openers
    "a an the this that these those there here it its it's he his him she her they them their we our you your i "
    "my me us one two three four five six seven eight nine ten eleven twelve first second third last next "
    "and or but if as at by for from in into of on onto to with without within after before since until while "
    "though although however meanwhile elsewhere despite amid also still now then so yet thus instead "
    "according per via reports report reported reportedly sources source understood understand believed "
    "exclusive breaking official confirmed update latest news transfer transfers gossip rumour rumours "
    "deal deals talks medical agreement bid offer fee here we go done what why how when where who which "
    "should could would will may might must can shall is are was were be been being has have had do does did "
    "not no never all both each every some many most more much several other others another such "
    "mr mrs ms dr sir st saint fc afc cf sc ac club clubs team teams side fans board chairman president "
    "owner owners director chief chiefs boss manager coach coaches head player players star striker forward "
    "midfielder defender winger goalkeeper keeper captain youngster teenager veteran international "
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight "
    "january february march april may june july august september october november december "
    "spring summer autumn winter christmas easter ramadan season window deadline day week weeks month "
    "league cup champions championship premier europa conference super world euro euros nations copa "
    "bundesliga liga laliga serie ligue eredivisie primeira mls uefa fifa fa efl epl ucl uel var "
    "final finals semi semi-final quarter-final derby trophy title golden ballon boot award awards "
    "galactico galacticos twitter instagram x facebook youtube tiktok podcast covid "
    "north south east west northern southern eastern western central united city real young "
    "europe european africa african asia asian america american south-american arab gulf middle "
    "england english spain spanish germany german italy italian france french portugal portuguese "
    "netherlands holland dutch belgium belgian scotland scottish wales welsh ireland irish brazil brazilian "
    "argentina argentine argentinian uruguay uruguayan colombia colombian chile chilean mexico mexican "
    "usa us uk gb britain british canada canadian japan japanese korea korean australia australian "
    "saudi arabia qatar qatari emirates uae turkey turkish croatia croatian serbia serbian poland polish "
    "norway norwegian sweden swedish denmark danish austria austrian switzerland swiss russia russian "
    "ukraine ukrainian greece greek morocco moroccan egypt egyptian nigeria nigerian senegal senegalese "
    "ghana ghanaian cameroon cameroonian algeria algerian tunisia tunisian ivory coast georgia georgian "
    "spaniard frenchman englishman dutchman croat scot pole dane swede turk "
    "catalan catalonia basque bavarian bavaria madrid london manchester liverpool milan turin rome paris "
    "munich lisbon porto istanbul riyadh jeddah glasgow "
    "reds blues whites gunners spurs magpies hammers toffees villans seagulls "
    "ok okay yes well oh wow ah god jesus lord good great big new old former ex young "
    "ceo cfo coo gm dfb rfef kfa sfa fai new relegated promoted long-serving experienced veteran "
    "mls side sides outfit giants pro"
) | _words(
    # nationalities and countries (players are described by them: "Ivorian forward Amad Diallo")
    "afghan albanian algerian andorran angolan armenian austrian azerbaijani bahraini bangladeshi belarusian "
    "beninese bolivian bosnian bulgarian burkinabe burundian chinese congolese cuban cypriot czech emirati "
    "equatorial guinean eritrean estonian ethiopian faroese finnish gabonese gambian haitian honduran "
    "icelandic indian indonesian iranian iraqi israeli ivorian jamaican jordanian kazakh kenyan kosovan kosovar "
    "kuwaiti latvian lebanese liberian libyan lithuanian macedonian malagasy malian maltese moldovan "
    "montenegrin mozambican namibian nigerien omani pakistani palestinian panamanian paraguayan peruvian "
    "romanian rwandan slovak slovakian slovenian somali sudanese surinamese syrian tanzanian thai togolese "
    "trinidadian ugandan uzbek venezuelan vietnamese zambian zimbabwean ecuadorian costa rican verdean "
    "albania algeria andorra angola armenia azerbaijan bahrain belarus benin bolivia bosnia herzegovina "
    "bulgaria burkina faso burundi china congo dr cuba cyprus czechia ecuador estonia ethiopia faroe "
    "finland gabon gambia haiti honduras iceland india indonesia iran iraq israel jamaica jordan kazakhstan "
    "kenya kosovo kuwait latvia lebanon liberia libya lithuania macedonia madagascar mali malta moldova "
    "montenegro mozambique namibia niger oman pakistan palestine panama paraguay peru romania rwanda "
    "slovakia slovenia somalia sudan suriname syria tanzania thailand togo trinidad tobago uganda "
    "uzbekistan venezuela vietnam zambia zimbabwe zealand cape verde guinea leone sierra bissau "
    "republic kingdom states islands emirates costa rica rican korea"
)
#: Lower-case name particles allowed inside a name ("Virgil van Dijk", "Erik ten Hag").
_PARTICLES = _words("de da das do dos di del della van von der den ten ter le la el al bin ibn du")
#: Words before a person that make him an object, not the subject of a move.
_OBJECT_BEFORE = re.compile(
    r"(?:\b(?:replace|replaces|replacing|replaced|replacement(?:\s{1,3}\S+){0,6}?\s{1,3}for|successor\s{1,3}to|succeed|succeeds|"
    r"succeeding|succeeded|take\s{1,3}over\s{1,3}from|takeover\s{1,3}from|took\s{1,3}over\s{1,3}from|"
    r"taking\s{1,3}over\s{1,3}from|takes\s{1,3}over\s{1,3}from|under|alongside|than|like|against|by|beside|"
    r"behind|instead\s{1,3}of|ahead\s{1,3}of|as\s{1,3}well\s{1,3}as|including|agent|representative|"
    r"father|brother|lawyer|intermediary|director|president|chairman|owner|executive|ceo|adviser|advisor|"
    r"journalist|reporter|pundit|insider|presenter|colleague|team-mate|teammate|compatriot|"
    r"(?<!talks\s)(?<!terms\s)(?<!contact\s)(?<!agreement\s)(?<!deal\s)(?<!negotiations\s)(?<!discussions\s)"
    r"(?<!talk\s)(?<!meeting\s)(?<!fee\s)with)\s{1,3}(?:the\s{1,3})?(?:[\w'\u2019-]+\s{1,3}){0,3})$",
    re.IGNORECASE,
)
_COACH_BEFORE = re.compile(rf"\b(?:{_ROLE_COACH})\s{{1,3}}$", re.IGNORECASE)
_AGENT_VERB_AFTER = re.compile(
    r"^(?:,\s{1,3}\d{2},?)?\s{1,3}(?:is\s{1,3}|has\s{1,3}|was\s{1,3}|had\s{1,3}|would\s{1,3}|will\s{1,3}|"
    r"reportedly\s{1,3}|also\s{1,3}|now\s{1,3}|still\s{1,3}){0,3}(?:wants?\b(?!ed)|keen\b|eager\b|identified\b|"
    r"earmarked\b|targeting\b|targets\b|asked\b|requested\b|told\b|pushing\b|a\s{1,3}fan\b|admires?\b|"
    r"likes?\b|would\s{1,3}like\b|hopes?\b|hoping\b|plotting\b|plans?\b|planning\b|looking\b|tracking\b|"
    r"monitoring\b|interested\b|sees\b|named\b|placed\b|set\s{1,3}his\s{1,3}sights\b|made\s{1,3}\w+\s{1,3}"
    r"(?:his|a)\s{1,3}(?:top\s{1,3})?(?:priority|target)|prioritis|prioritiz|sanctioned\b|green-lit\b|"
    r"given\s{1,3}the\s{1,3}green\s{1,3}light\b|approved\b|personally\b|called\b|phoned\b|spoke\b)",
    re.IGNORECASE,
)
_TEAM_OF_PERSON_AFTER = re.compile(
    r"^['\u2019]s?\s{1,3}(?:[\w-]+\s{1,3}){0,2}?(?:men|side|team|charges|squad|boys|players|troops|outfit|tenure|"
    r"reign|era|targets?|wishlist|shortlist|priority|priorities|plans|list|recruitment)\b",
    re.IGNORECASE,
)

# --- club roles: the words before a club mention ---------------------------------------
_FILLER = (
    r"(?:\s{1,3}(?:the|fellow|league|title|local|city|rivals?|newly-promoted|promoted|relegated|ambitious|"
    r"struggling|cash-rich|big-spending|giants|side|club|outfit|champions|leaders|his|their|former|boyhood|new|"
    r"parent|feeder|sister|(?-i:[A-Z][\w.'\u2019-]*))){0,3}\s{1,3}$"
)
_BEFORE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern + _FILLER, re.IGNORECASE))
    for role, pattern in (
        (
            _DEST,
            r"\b(?:with|to|join|joining|rejoin|rejoining|back\s{1,3}to|return\s{1,3}to|returning\s{1,3}to|"
            r"reunion\s{1,3}with)\s{1,3}(?:his\s{1,3}|her\s{1,3}|their\s{1,3}|the\s{1,3})?(?:former|ex|ex-|"
            r"one-time|boyhood|old)\s{1,3}(?:club|side|team|employers?)",
        ),
        (_FORMER, r"\b(?:former|ex|ex-|one-time|onetime|erstwhile)"),
        (
            _DEST,
            r"\b(?:turned\s{1,3}down|turn\s{1,3}down|turns\s{1,3}down|turning\s{1,3}down|rejected|rejects|"
            r"reject|rejecting|snubbed|snubs|snub|snubbing|rebuffed|spurned|declined|said\s{1,3}no\s{1,3}to|"
            r"outbid|outbidding|fend\s{1,3}off|fending\s{1,3}off|see\s{1,3}off|seeing\s{1,3}off|"
            r"competition\s{1,3}from|compete\s{1,3}with|competing\s{1,3}with|battle\s{1,3}with|"
            r"fight\s{1,3}off|fighting\s{1,3}off|hijack|hijacking|gazump|ahead\s{1,3}of|(?:target|priority|"
            r"option|candidate|alternative|frontrunner|front-runner|favourite|top\s{1,3}choice|first\s{1,3}choice|"
            r"wanted\s{1,3}man)\s{1,3}(?:\w+\s{1,3})?for)",
        ),
        (
            _DEST,
            r"\b(?:interest|offers?|bids?|approach(?:es)?|enquir(?:y|ies)|inquir(?:y|ies)|proposals?|"
            r"attention|advances|overtures|calls?|contact|swoop|links?|suitors?|admirers?|talks|pursuit)"
            r"(?:\s{1,3}[\w£€$.,-]+){0,5}?\s{1,3}from",
        ),
        (
            _ORIGIN,
            r"\b(?:move|switch|transfer|exit|departure|arrival|arrived|signed|joined|joins|join|joining|"
            r"moved|moving|sold|loaned|released|recalled|leave|leaving|escape|prised|lured|poached|"
            r"snatched|signing|returned|returns|return|returning)\b(?:\s{1,3}\w+){0,5}?\s{1,3}from",
        ),
        (
            _DEST,
            r"\b(?:wanted|targeted|tracked|monitored|scouted|courted|chased|coveted|eyed|approached|watched|"
            r"admired|sought|pursued|signed|bought|hired|appointed|snapped\s{1,3}up|offered|tipped|"
            r"considered|shortlisted|identified|earmarked|recruited|acquired|linked)\s{1,3}(?:\w+\s{1,3})?by",
        ),
        (
            _ORIGIN,
            r"\b(?:released|sold|sacked|dismissed|fired|axed|loaned\s{1,3}out|let\s{1,3}go|frozen\s{1,3}out|"
            r"rejected|turned\s{1,3}down|refused|knocked\s{1,3}back|blocked|"
            r"discarded|deemed\s{1,3}surplus\s{1,3}to\s{1,3}requirements)\s{1,3}by",
        ),
        (
            _ORIGIN,
            r"\b(?:leave|leaves|leaving|left|quit|quits|quitting|exit|exits|exiting|depart|departs|"
            r"departing|ditch|ditches|ditching|snub|snubs|snubbing|abandon|abandons|"
            r"walk\s{1,3}out\s{1,3}on|walks\s{1,3}out\s{1,3}on|part\s{1,3}ways\s{1,3}with|"
            r"parts\s{1,3}ways\s{1,3}with|parting\s{1,3}ways\s{1,3}with)",
        ),
        (
            _DEST,
            r"\b(?:replace|replacing|succeed|succeeding|replacement|successor|take\s{1,3}over|takeover|"
            r"taking\s{1,3}over|takes\s{1,3}over|took\s{1,3}over|job|post|role|position|vacancy|hot\s{1,3}seat|"
            r"dugout|reins|helm|appointment|unveiling|unveiled|arrival|arrive|arrives|arriving|debut|"
            r"medical|reunion|next\s{1,3}manager|new\s{1,3}manager|new\s{1,3}coach|new\s{1,3}boss)"
            r"(?:\s{1,3}[\w'\u2019-]+){0,4}?\s{1,3}(?:at|with|in)",
        ),
        (
            _DEST,
            r"\b(?:join|joins|joined|joining|rejoin|rejoins|rejoining|rejoined|sign\s{1,3}for|signs\s{1,3}for|"
            r"signed\s{1,3}for|signing\s{1,3}for|bound\s{1,3}for|destined\s{1,3}for|headed\s{1,3}for|"
            r"heading\s{1,3}for|set\s{1,3}for|leave\s{1,3}for|leaves\s{1,3}for|left\s{1,3}for|"
            r"linked\s{1,3}with|link\s{1,3}with|links\s{1,3}with|linked\s{1,3}to|links\s{1,3}to|"
            r"commit\s{1,3}(?:his\s{1,3}future\s{1,3})?to|committed\s{1,3}to|agreed\s{1,3}to\s{1,3}join|"
            r"take\s{1,3}charge\s{1,3}of|takes\s{1,3}charge\s{1,3}of|taking\s{1,3}charge\s{1,3}of|"
            r"took\s{1,3}charge\s{1,3}of|in\s{1,3}the\s{1,3}frame\s{1,3}(?:for|at)|favourite\s{1,3}for|"
            r"frontrunner\s{1,3}for|front-runner\s{1,3}for|candidate\s{1,3}for|in\s{1,3}line\s{1,3}for|"
            r"consider(?:ing)?\s{1,3}(?:an?\s{1,3})?offer\s{1,3}from)",
        ),
        (
            _DEST,
            r"\b(?:move|moves|moving|moved|switch|switches|switching|switched|transfer|transferred|"
            r"return|returns|returning|returned|go|goes|going|went|head|heads|heading|headed|loan|loaned|"
            r"sold|sell|selling|sale|swap|defect|jump|leap|way|door|path|route|exit|move\s{1,3}back|"
            r"come\s{1,3}back|coming\s{1,3}back|bring\s{1,3}\w+\s{1,3}back|back|lured|relocate|emigrate|"
            r"close|closer|closing|nearing|edging|keen|open|tempted|attracted|drawn|offered|available|"
            r"pushing|push|agreed|agreement|personal\s{1,3}terms)(?:\s{1,3}[\w'\u2019£€$.-]+){0,6}?"
            r"\s{1,3}(?:to|towards)",
        ),
        (
            _WITH,
            r"\b(?:talks|terms|agreement|deal|contact|negotiations|discussions|conversations|meeting|"
            r"fee|negotiating|talking|chats|dialogue)\s{1,3}with",
        ),
        (
            _ORIGIN,
            r"\b(?:contract|deal|stay|spell|career|future|situation|stint|time|days|role|place|seasons?|years?|"
            r"campaigns?|months|"
            r"minutes|chances|happy|settled|unsettled|stay|staying|stays|remain|remains|remaining|"
            r"now|currently|still|starring|thriving|shining|playing|plays|on\s{1,3}loan|loan|tied\s{1,3}down|"
            r"contract\s{1,3}expires|struggling)(?:\s{1,3}[\w'\u2019-]+){0,3}?\s{1,3}(?:at|with|in)",
        ),
        (
            _ORIGIN,
            r"\b(?:in\s{1,3}charge\s{1,3}of|manager\s{1,3}of|coach\s{1,3}of|boss\s{1,3}of|captain\s{1,3}of|"
            r"player\s{1,3}of|star\s{1,3}of|striker\s{1,3}of|part\s{1,3}of|plays\s{1,3}for|playing\s{1,3}for|"
            r"plays\s{1,3}his\s{1,3}football\s{1,3}(?:at|for)|under\s{1,3}contract\s{1,3}(?:at|with)|"
            r"contract\s{1,3}with|future\s{1,3}at|tenure\s{1,3}at|reign\s{1,3}at)",
        ),
        (
            _DEST,
            r"\b(?:clubs|sides|teams|suitors|admirers|interest|options|destinations|bidders)\b[^.;:]{0,50}?"
            r"\b(?:including|such\s{1,3}as|namely|notably|especially|led\s{1,3}by)",
        ),
        (
            _ORIGIN,
            r"\b(?:way\s{1,3}out\s{1,3}of|out\s{1,3}of|exit\s{1,3}door\s{1,3}at|"
            r"departure\s{1,3}from|exit\s{1,3}from|farewell\s{1,3}to)",
        ),
        (_ORIGIN, r"\b(?:his|her)"),
        (_ORIGIN, r"\bfrom"),
    )
)
_TO_BEFORE = re.compile(r"\b(?:to|join|towards)" + _FILLER, re.IGNORECASE)
_NOT_A_MOVE_TO = re.compile(
    r"(?:\b(?:lost|losing|lose|loses|beaten|defeat|defeated|compared|similar|next|rivals|adrift|behind|points|"
    r"goals?|due|travel|travels|travelling|trip|visit|game|match|fixture|clash|tie|draw|drew|conceded|prior)"
    r"\s{1,3}(?:\w+\s{1,3}){0,2}|\b(?:sources?|people|those|someone|insiders?|figures?|friends?|"
    r"family|camp|source)\s{1,3}close\s{1,3})to" + _FILLER,
    re.IGNORECASE,
)
_OF_BEFORE = re.compile(r"\bof" + _FILLER, re.IGNORECASE)

# --- club roles: the words after a club mention ----------------------------------------
_AUX = (
    r"(?:are|is|have|has|had|were|was|will|would|could|may|might|must|shall|also|still|now|reportedly|already|"
    r"remain|remains|believed|understood|said|thought|known|claimed|reported|rumoured|tipped|expected|set|"
    r"ready|prepared|poised|keen|eager|willing|determined|desperate|plotting|planning|looking|hoping|hope|"
    r"want|wants|intend|intent|likely|unlikely|to|be|being|been|in|the|a|an|their|its|very|really|seriously|"
    r"strongly|heavily|increasingly|actively|firmly|all|both|again|once|back|formally|officially|finally|"
    r"openly|quietly|secretly|reportedly|allegedly|apparently|not|n't|do|does|did|are't|aren't|haven't|"
    r"hasn't|one|of|several|clubs|among|many|currently|today|tonight|yesterday|this|week|summer|growing|grow|preparing|prepare|seen|quoted|viewed|regarded|labelled|named|need|needs|needed|"
    r"increasingly|confident|optimistic|hopeful|considering|weighing|improved|new|fresh|formal|opening|initial|"
    r"second|third|official|big-money|club-record|record|loan|permanent|january|late|bumper|huge|significant|"
    r"concrete|firm|renewed|serious|strong|[£€$][\d.,]+(?:m|bn|k|million)?|\d+(?:\.\d+)?m|"
    r"trying|try|tried|attempt|attempting|attempted|aim|aiming|close|closer|making|made|make|become|became|"
    r"becoming|emerged|emerge|emerging|as|firm|clear|big|early|leading|main|top|genuine|possible|potential)"
)
_DEST_VERBS = (
    r"(?:keeping\s{1,3}tabs|keep\s{1,3}tabs|kept\s{1,3}tabs|monitor\w*|track\w*|watch\w*|scout\w*|eye\w*|"
    r"want\w*|keen|interest\w*|target\w*|consider\w*|plot\w*|pursu\w*|chas\w*|court\w*|identif\w*|"
    r"earmark\w*|line\w*\s{1,3}up|lining\s{1,3}up|approach\w*|contact\w*|enquir\w*|inquir\w*|"
    r"open\w*\s{1,3}talks|talks|negotiat\w*|bid\w*|offer\w*|submit\w*|tabl\w*|make\s{1,3}a\s{1,3}move|"
    r"(?:make|makes|making|made)\s{1,3}(?:[\w£€$.-]+\s{1,3}){0,3}?(?:enquiry|enquiries|inquiry|approach|bid|offer|"
    r"move|contact|proposal|request|push|attempt|swoop)|lodg\w*|move\s{1,3}for|swoop\w*|agree\w*|sign\b|signs\b|signed\b|signing\b|"
    r"complet\w*|confirm\w*|announc\w*|appoint\w*|hire\w*|land\w*|snap\w*\s{1,3}up|nab\w*|poach\w*|lure\w*|"
    r"raid\w*|clos\w*\s{1,3}in|near\w*|edg\w*\s{1,3}closer|join\w*\s{1,3}the\s{1,3}(?:race|chase|queue|hunt)|"
    r"lead\w*\s{1,3}the\s{1,3}(?:race|chase|queue|hunt)|in\s{1,3}pole\s{1,3}position|favourites|"
    r"frontrunners|front-runners|in\s{1,3}the\s{1,3}(?:running|hunt|race|mix|market)|push\w*\s{1,3}for|"
    r"step\w*\s{1,3}up|battl\w*|compet\w*|fight\w*|dream\w*|sound\w*\s{1,3}out|register\w*|reignit\w*|"
    r"reviv\w*|return\w*\s{1,3}(?:for|with)|look\w*\s{1,3}at|meet\w*\s{1,3}(?:\w+\s{1,3}){0,2}?(?:asking\s{1,3}price|"
    r"valuation|demands|release\s{1,3}clause|buy-out)|follow\w*\s{1,3}up|win\w*\s{1,3}the\s{1,3}(?:race|fight|battle|chase)|"
    r"(?:express|show|register|declar|signal)\w*\s{1,3}(?:\w+\s{1,3})?interest|outbid\w*|hijack\w*|made\s{1,3}contact|make\s{1,3}contact|bring\b|brought\b|acquir\w*|buy\b|"
    r"buying\b|purchas\w*|secur\w*|wrap\w*\s{1,3}up|finalis\w*|finaliz\w*|tie\w*\s{1,3}up|admir\w*|fancy|"
    r"rate\b|rated\b|like\b|love\b|enter\w*\s{1,3}the\s{1,3}race|test\w*|launch\w*|prepar\w*\s{1,3}(?:a|an)|"
    r"ask\w*\s{1,3}about|send\w*\s{1,3}scouts|sent\s{1,3}scouts|shortlist\w*|splash\w*|spend\b|"
    r"pay\b|paying\b|trigger\w*|activat\w*|meet\w*\s{1,3}(?:the|his)\s{1,3}(?:release|buy-out|asking)|"
    r"on\s{1,3}the\s{1,3}verge|close\s{1,3}to|closer\s{1,3}to|in\s{1,3}advanced|in\s{1,3}contact|"
    r"in\s{1,3}discussions|in\s{1,3}negotiations|deny\w*|denied|dismiss\w*|rul\w*\s{1,3}out|pull\w*\s{1,3}out|"
    r"walk\w*\s{1,3}away|cool\w*|abandon\w*|withdr\w*)"
)
_SELL_VERBS = (
    r"(?:sell\w*|sold|loan\w*\s{1,3}(?:out\b|\w+\s{1,3}out\b|(?:[\w'-]+\s{1,3}){1,4}to\b)|offload\w*|off-load\w*|releas\w*|sack\w*|fire\b|"
    r"fired|dismiss\w*\s{1,3}(?:their|the)\s{1,3}(?:manager|coach|boss)|part\w*\s{1,3}ways|cash\w*\s{1,3}in|"
    r"listen\w*\s{1,3}to\s{1,3}offers|accept\w*|reject\w*|turn\w*\s{1,3}down|refus\w*|block\w*|"
    r"demand\w*|want\w*\s{1,3}(?:£|€|\$)|valu\w*|slap\w*|insist\w*|keep\w*\s{1,3}hold|extend\w*|renew\w*|"
    r"tie\w*\s{1,3}down|hand\w*\s{1,3}\w+\s{1,3}(?:a\s{1,3})?new|put\w*\s{1,3}\w+\s{1,3}up\s{1,3}for\s{1,3}sale|"
    r"make\w*\s{1,3}\w+\s{1,3}available|made\s{1,3}\w+\s{1,3}available|let\w*\s{1,3}\w+\s{1,3}go|"
    r"loss\b|lose\b|losing\b|(?:hold\w*|open\w*|enter\w*|begin\w*|start\w*)\s{1,3}(?:\w+\s{1,3})?contract\s{1,3}talks|"
    r"offer\w*\s{1,3}(?:[\w£€$.,'-]+\s{1,3}){0,5}?(?:new|improved|bumper|extended|fresh)\s{1,3}(?:contract|deal)|"
    r"(?:rejected|turned\s{1,3}down|knocked\s{1,3}back)\b)"
)
_AFTER_SELL = re.compile(rf"^\s{{1,3}}(?:{_AUX}\s{{1,3}}){{0,6}}?{_SELL_VERBS}", re.IGNORECASE)
_AFTER_DEST = re.compile(rf"^\s{{1,3}}(?:{_AUX}\s{{1,3}}){{0,6}}?{_DEST_VERBS}", re.IGNORECASE)
_AFTER_DEST_LENIENT = re.compile(
    r"^\s{1,3}(?:[^\s,;.:!?]+\s{1,3}){0,7}?(?:to\s{1,3}(?:re-)?sign\b|signing\b|sign\b|to\s{1,3}bring\b|to\s{1,3}land\b|"
    r"to\s{1,3}secure\b|to\s{1,3}capture\b|(?:an?|their)\s{1,3}(?:[\w£€$.,-]+\s{1,3}){0,3}?(?:bid|offer|move|approach|"
    r"deal|swoop|enquiry|proposal)\s{1,3}for\b|interest\s{1,3}in\b|efforts?\s{1,3}to\b|race\s{1,3}(?:to|for)\b|"
    r"approach\w*\b|talks\s{1,3}(?:with|over|for)\b|(?:top\s{1,3}|main\s{1,3}|number\s{1,3}one\s{1,3}|no\s{1,3}1\s{1,3})?"
    r"(?:target|priority)\b|lead\w*\s{1,3}the\s{1,3}(?:charge|race|chase)|monitoring\b|"
    r"tracking\b|watching\b|chasing\b|keen\b|interested\b|eyeing\b|targeting\b|pursuing\b|circling\b|quoted\b)",
    re.IGNORECASE,
)
_AFTER_DEST_HEADLINE = re.compile(
    r"^\s{1,3}(?:to\s{1,3})?(?:sign|signs|seal|seals|land|lands|complete|completes|capture|captures|"
    r"unveil|unveils|announce|announces|appoint|appoints|name|names|hire|hires|swoop|swoops|move|moves|"
    r"eye|eyes|target|targets|want|wants|chase|chases|plot|plots|bid|bids|rival|rivals|join|snap)\b",
    re.IGNORECASE,
)
_INTEREST_NOUNS = (
    r"(?:interest|bid|offer|approach|pursuit|move|attempts?|efforts?|hopes?|plans?|chase|swoop|target|"
    r"top\s{1,3}target|priority|search|hunt|shortlist|radar|wishlist|wish\s{1,3}list|list|proposal|"
    r"advances|recruitment|scouts?|new\s{1,3}signing|signing|record\s{1,3}signing|next\s{1,3}manager|"
    r"next\s{1,3}coach|new\s{1,3}manager|new\s{1,3}coach|manager(?:ial)?\s{1,3}(?:search|shortlist|hunt)|"
    r"coaching\s{1,3}job|job|vacancy|hot\s{1,3}seat|dugout|project)"
)
_AFTER_POSSESSIVE_DEST = re.compile(
    rf"^['\u2019]s?\s{{1,3}}(?:[\w£€$.-]+\s{{1,3}}){{0,2}}?{_INTEREST_NOUNS}\b", re.IGNORECASE
)
_AFTER_POSSESSIVE = re.compile(r"^['\u2019]s?\s", re.IGNORECASE)
_AFTER_ROLE = re.compile(
    rf"^(?:\s{{1,3}}and\s{{1,3}}[A-Z][\w-]+)?(?:\s{{1,3}}[\w£€$.-]+-rated|\s{{1,3}}(?:first-team|young|"
    rf"academy|record|star|veteran|former|new|current|captain|club|first-choice|back-up|reserve|loaned-out|"
    rf"out-of-favour|injured|highly-rated|teenage|title-winning)){{0,2}}\s{{1,3}}(?P<role>{_ROLE_NOUNS})s?\b",
    re.IGNORECASE,
)
_AFTER_STAFF = re.compile(
    r"^\s{1,3}(?:chiefs|officials|scouts|hierarchy|board|bosses|owners|recruitment\s{1,3}team|sporting\s{1,3}"
    r"director|director|technical\s{1,3}director|president|chairman|owner|ceo|executives|negotiators|"
    r"representatives|delegation|staff)\b",
    re.IGNORECASE,
)
_NT_COACH_CUE = re.compile(
    r"^\s{1,3}(?:national\s{1,3}team\s{1,3})?(?:manager|boss|head\s{1,3}coach|coach|job|hot\s{1,3}seat|post|"
    r"role|vacancy|dugout)\b",
    re.IGNORECASE,
)

# --- status cues (looked for in the clause around the trigger) -------------------------
_PAST_MOVE = re.compile(
    r"(?<!\bhas\s)(?<!\bhave\s)(?<!\bhad\s)(?<!\bjust\s)(?<!\bnow\s)\b(?:joined|moved|left|arrived|switched|"
    r"transferred|returned|rejoined|signed\s{1,3}for|signed\s{1,3}with|went|swapped|traded|came\s{1,3}to|"
    r"was\s{1,3}(?:sold|signed|bought|loaned|appointed|unveiled|hired|transferred|snapped\s{1,3}up|lured)|"
    r"were\s{1,3}(?:sold|signed|bought)|completed\s{1,3}(?:a|an|his|her|their|the)\s{1,3}(?:\w+\s{1,3})?"
    r"(?:move|switch|transfer)|spent|played|starred|managed|coached|had\s{1,3}(?:a\s{1,3})?(?:spell|stint))\b",
    re.IGNORECASE,
)
_OLD_LINK = re.compile(
    r"\b(?:(?:was|were)\s{1,3}(?:\w+\s{1,3}){0,2}?(?:linked|tipped|close|set|expected|poised|in\s{1,3}line|"
    r"interested|keen|wanted|targeted|in\s{1,3}talks|on\s{1,3}the\s{1,3}verge|the\s{1,3}subject|heavily|"
    r"rumoured|touted|favourite|frontrunner|approached|offered|chased|courted|tracked|monitored|near|"
    r"nearly|almost|reportedly)|had\s{1,3}been|had\s{1,3}(?:\w+\s{1,3})?(?:wanted|tried|bid|offered|agreed|"
    r"held|made|approached|hoped)|previously|formerly|once\s{1,3}(?:again\s{1,3})?(?:linked|tipped|close|"
    r"wanted|a\s{1,3}target)|back\s{1,3}in|at\s{1,3}the\s{1,3}time|years?\s{1,3}ago|months\s{1,3}ago|"
    r"years?\s{1,3}later|years?\s{1,3}earlier|last\s{1,3}(?:summer|season|year|january|window|campaign|"
    r"winter|spring)|in\s{1,3}the\s{1,3}past|nearly\s{1,3}joined|almost\s{1,3}joined|came\s{1,3}close)\b",
    re.IGNORECASE,
)
_NOMINAL_DONE = re.compile(
    r"\b(?:after|since|following|before)\s{1,3}(?:[\w'\u2019.-]+\s{1,3}){0,4}?(?:arrival|signing|move|switch|"
    r"transfer|departure|exit|capture|appointment|joining|arriving|moving|signing|leaving)\b|"
    r"\b(?:arrival|signing|move|switch|transfer|departure|appointment)\s{1,3}(?:\w+\s{1,3}){0,4}?"
    r"(?:in|during|last)\s{1,3}(?:the\s{1,3})?(?:summer|winter|january|window|season|(?:19|20)\d\d)\b|"
    r"\b(?:since|having|after)\s{1,3}(?:joining|signing|arriving|moving|leaving)\b|"
    r"(?:,\s{1,3}|\b)who\s{1,3}(?:\w+\s{1,3}){0,2}?(?:joined|signed|arrived|moved|left)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"\b(?:in|of|since|back\s{1,3}in|during|summer\s{1,3}of|january\s{1,3}of)\s{1,3}((?:19|20)\d\d)\b", re.IGNORECASE
)
_FUTURE_BEFORE = re.compile(
    r"\b(?:will|set\s{1,3}to|expected\s{1,3}to|poised\s{1,3}to|could|would|might|may|about\s{1,3}to|"
    r"ready\s{1,3}to|close\s{1,3}to|closer\s{1,3}to|on\s{1,3}the\s{1,3}verge|plan\w*\s{1,3}to|hope\w*\s{1,3}to|"
    r"(?:is|are)\s{1,3}to|to\s{1,3}be|to\s{1,3}(?:sign|complete|confirm|announce|join|appoint)|soon|"
    r"imminent\w*|want\w*\s{1,3}to|keen\s{1,3}to|likely|unlikely|if|unless|before|yet\s{1,3}to|"
    r"awaiting|await|waiting|pending|not|no|never|n't)\b",
    re.IGNORECASE,
)
_COMPLETED_HEADLINE = re.compile(
    r"\s{1,3}(?:sign|signs|seal|seals|land|lands|complete|completes|capture|captures|unveil|unveils|"
    r"announce|announces|appoint|appoints|hire|hires|snap\s{1,3}up|snaps\s{1,3}up)\b",
    re.IGNORECASE,
)
_SUCCESSION = re.compile(
    r"\b(?:replace|replacing|succeed|succeeding|take\s{1,3}over|takeover|taking\s{1,3}over|takes\s{1,3}over|"
    r"successor|replacement|take\s{1,3}the\s{1,3}reins|take\s{1,3}charge)\b",
    re.IGNORECASE,
)
_EXIT_TRIGGER = re.compile(
    r"\b(?:leave|leaves|leaving|quit|quits|quitting|exit|exits|exiting|depart|departs|departure|departing|"
    r"way\s{1,3}out|walk\s{1,3}out|part\s{1,3}ways|parting\s{1,3}ways|sell|selling|sale|offload|offloading|"
    r"cash\s{1,3}in|let\s{1,3}\w+\s{1,3}go|up\s{1,3}for\s{1,3}sale|available|axe|sack|sacked|released|"
    r"release|loan\s{1,3}out|listen\s{1,3}to\s{1,3}offers|ditch|ditching|snub|escape|farewell|swansong)\b",
    re.IGNORECASE,
)
_ARRIVAL_NOUN = re.compile(
    r"(?:['\u2019]s?|\bhis|\bher|\bthe)\s{1,3}(?:\w+\s{1,3})?(?:arrival|signing|capture|acquisition|unveiling|"
    r"move|switch|transfer|appointment)\b",
    re.IGNORECASE,
)
_TEAM_ANAPHOR = re.compile(r"\bthe\s{1,3}(?:side|club|team|squad|hosts|visitors|outfit)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:he|him|his|himself)\b", re.IGNORECASE)
_DESCRIPTOR = re.compile(
    r"\b(?:[Tt]he|[Tt]his|[Tt]hat)\s{1,3}(?P<mods>(?:(?:former|ex-|ex|current|experienced|talented|in-demand|"
    r"highly-rated|highly\s{1,3}rated|young|veteran|prolific|versatile|towering|tricky|out-of-favour|"
    r"unsettled|exciting|coveted|long-term|attacking|defensive|creative|powerful|pacey|energetic|teenage|"
    r"\d{2}-year-old|[£€$][\d.]+m-rated|[A-Z][\w.'\u2019-]*)\s{1,3}){0,4})"
    rf"(?P<head>\d{{2}}-year-old|{_ROLE_NOUNS}|{_DEMONYM_NOUNS}|player|man|star)\b",
)
_COACH_CUE = re.compile(
    r"\b(?:manager|managers|managerial|head\s{1,3}coach|coach|coaching|boss|tactician|gaffer|in\s{1,3}charge|"
    r"dugout|hot\s{1,3}seat|touchline|technical\s{1,3}area|sacked|appointed|appointment|trainer|"
    r"bench\s{1,3}boss|reins|helm)\b",
    re.IGNORECASE,
)
_PLAYER_CUE = re.compile(rf"\b(?:{_ROLE_PLAYER}|scored|goals|assists|caps|appearances)\b", re.IGNORECASE)
_FORMER_CUE = re.compile(r"\b(?:former|ex|ex-|one-time)\s{1,3}(?:[\w'\u2019.-]+\s{1,3}){0,3}$", re.IGNORECASE)

# Segments: contrastive joints inside a sentence.
_SEGMENT_SPLIT = re.compile(
    r"\s{0,3}(?:;|\s[\u2013\u2014-]\s|,\s{1,3}(?=(?:though|although|but|while|whilst|whereas|however|meanwhile|"
    r"and\s{1,3}(?![a-z]+\s{1,3}(?:from|to)\b)|with|who|which|as|yet|amid|despite|even\s{1,3}though|"
    r"with\s{1,3}both)\b))\s{0,3}",
    re.IGNORECASE,
)
# Clauses (finer): also commas and a few conjunctions, for the tense of a trigger.
_CLAUSE_SPLIT = re.compile(
    r"\s{0,3}(?:[,;:()]|\s[\u2013\u2014-]\s)\s{0,3}|\s(?=(?:before|after|while|whilst|whereas|but|since|"
    r"although|though|having|when|until)\s)",
    re.IGNORECASE,
)
_NAME_TOKEN = re.compile(r"[^\W\d_](?:[^\W\d_]|-)*(?:['\u2019](?![sS]\b)[^\W\d_](?:[^\W\d_]|-)*)*\d*")


def _fold(text: str) -> str:
    """Lower-case, strip accents and fold spacing: the key of a person's name."""
    decomposed = unicodedata.normalize("NFKD", text)
    return fold_spacing("".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower())


# =========================================================================== gazetteer
@cache
def _source_alias_keys() -> frozenset[str]:
    keys = set()
    for info in sources().values():
        for alias, _ in info.aliases:
            keys.add(_fold(alias))
    return frozenset(keys)


@cache
def _lexicon_words() -> frozenset[str]:
    words: set[str] = set()
    for name in ("hedges.csv", "stages.csv", "denials.csv", "contract.csv", "cues.csv"):
        for row in term_lexicon(name):
            words.update(normalise_term(row.term).split())
    return frozenset(words)


def canonical_club(name: Any) -> str | None:
    """Map a club name or alias ("Man Utd", "the Gunners", "Barça") to its canonical name.

    Parameters
    ----------
    name : object
        A club name, alias, nickname or stadium, in any case.

    Returns
    -------
    str or None
        The canonical name from ``clubs.csv``; ``None`` for anything that is not a known
        club (or not a string).

    Examples
    --------
    >>> canonical_club("the Gunners"), canonical_club("Man Utd"), canonical_club("Atlantis FC")
    ('Arsenal', 'Manchester United', None)
    """
    if not isinstance(name, str) or not name.strip():
        return None
    table = club_matcher()[2]
    key = normalise_term(name.strip())
    for candidate in (key, key.removeprefix("the ")):
        if candidate in table:
            return table[candidate].club
    return None


# =========================================================================== mentions
@dataclass(slots=True)
class _Club:
    start: int
    end: int
    club: str
    kind: str
    country: str
    text: str
    role: str = _NEUTRAL
    exit: bool = False  # an exit verb governs this origin ("leave X", "X ready to sell")
    agent: bool = False  # the club acts through its coach/staff ("X boss Y wants")
    modifier: str | None = None  # "player"/"coach" when the club modifies a role noun ("X striker")


@dataclass(slots=True)
class _Person:
    start: int
    end: int
    key: str  # entity key (folded full name)
    text: str
    obj: bool = False  # object of a succession, agent, passive agent: never a claim subject
    anaphor: bool = False  # "he", "the 42-year-old", ...
    head: str = ""  # for descriptions: the head noun ("midfielder", "boss")


def _same_case(matched: str, alias: str) -> bool:
    if matched.isupper() and len(matched) > 1:
        return True
    m_words, a_words = fold_spacing(matched).split(" "), fold_spacing(alias).split(" ")
    if len(m_words) != len(a_words):
        return True  # spacing variants: accept, the trie already matched the letters
    return all(not (a[:1].isupper() and not m[:1].isupper()) for m, a in zip(m_words, a_words))


_CLUB_CUE_BEFORE = re.compile(
    r"\b(?:to|from|join|joins|joining|joined|at|for|leave|leaves|leaving|left|rivals|against|by|with|"
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


def _overlaps(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """True if ``[start, end)`` overlaps one of ``spans`` (sorted, non-overlapping)."""
    i = bisect.bisect_right(spans, (start, float("inf"))) - 1
    for j in (i, i + 1):
        if 0 <= j < len(spans) and spans[j][0] < end and start < spans[j][1]:
            return True
    return False


def _within(items: list[Any], start: int, end: int) -> list[Any]:
    """The items (sorted by ``.start``) whose start lies in ``[start, end)``."""
    starts = [x.start for x in items]
    return items[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


def _find_clubs(text: str, blocked: Sequence[tuple[int, int]]) -> list[_Club]:
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
        if _overlaps(blocked, start, end):
            continue
        found.append((start, end, entry))
    plain = {entry.club for _, _, entry in found if not entry.needs_cue}
    out: list[_Club] = []
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
            if prev and prev.group(1).lower() not in _STOP_CAPS and entry.kind != "national_team":
                continue
        out.append(_Club(start, end, entry.club, entry.kind, entry.country, text[start:end]))
    return out


def _name_runs(text: str, start: int, end: int, sentence_start: int, blocked: Sequence[tuple[int, int]],
               lexicon_words: frozenset[str], lower_words: frozenset[str]) -> list[tuple[int, int]]:  # fmt: skip
    """Spans of capitalised word runs in ``text[start:end]`` that look like people's names."""
    runs: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    pending_particles: list[tuple[int, int]] = []
    last_end = -1
    for m in _NAME_TOKEN.finditer(text, start, end):
        s, e = m.span()
        word = m.group(0)
        gap = text[last_end:s] if last_end >= 0 else ""
        joined = last_end >= 0 and gap in (" ", "\u00a0")
        inside_block = _overlaps(blocked, s, e)
        is_cap = word[:1].isupper() and not inside_block
        if is_cap and ((word.isupper() and len(word) > 1) or any(ch.isdigit() for ch in word)):
            is_cap = False  # shouted words, acronyms and numbered words ("OFFICIAL", "VAR", "Under-21")
        if is_cap:
            if current and joined:
                current.extend(pending_particles)
                current.append((s, e))
            else:
                if current:
                    runs.append(current)
                current = [(s, e)]
            pending_particles = []
        elif word.lower() in _PARTICLES and current and joined and not inside_block:
            pending_particles.append((s, e))
        else:
            if current:
                runs.append(current)
            current, pending_particles = [], []
        last_end = e
    if current:
        runs.append(current)
    spans: list[tuple[int, int]] = []
    for run in runs:
        tokens = list(run)
        # strip stop words at both ends (sentence openers, months, "Reports", "Champions League")
        while tokens and _is_stop(text, tokens[0], sentence_start, lexicon_words, lower_words):
            tokens.pop(0)
        while tokens and (_is_stop(text, tokens[-1], -1, lexicon_words, lower_words)
                          or text[tokens[-1][0]:tokens[-1][1]].lower() in _PARTICLES):  # fmt: skip
            tokens.pop()
        # a stop word inside a run splits it ("Champions League" is gone, "Bellingham and" ...)
        piece: list[tuple[int, int]] = []
        for t in tokens:
            word = text[t[0] : t[1]]
            if word.islower() and word in _PARTICLES:
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


def _is_stop(text: str, token: tuple[int, int], sentence_start: int, lexicon_words: frozenset[str],
             lower_words: frozenset[str]) -> bool:  # fmt: skip
    word = text[token[0] : token[1]]
    low = word.lower()
    if low in _STOP_CAPS:
        return True
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


# =========================================================================== article analysis
@dataclass(slots=True)
class _Segment:
    start: int
    end: int


@dataclass
class _Draft:
    """A claim being assembled: subject key, destination and its evidence."""

    subject: str
    to_club: str | None
    from_club: str | None = None
    evidence: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, role)
    first_pos: int = 0


@dataclass
class _Analysis:
    """Everything :func:`claims` and :func:`render_html` need from one pass over an article."""

    text: str
    body_start: int
    date: str | None
    tags: list[Tag]
    clubs: list[_Club]
    persons: list[_Person]
    names: dict[str, str]  # entity key -> display name
    drafts: list[_Draft]
    roles: dict[str, str]
    current_club: dict[str, str]


def _analyse(text: str, date: Any = None) -> _Analysis:
    """Find the mentions and the draft claims of an article (no model involved)."""
    text = text[:MAX_ARTICLE_CHARS]
    body_start, header_date = date_header(text)
    day = parse_date(date) if date is not None else None
    if day is None and header_date:
        day = parse_date(header_date)
    tags = [t for t in tag(text[body_start:])]
    tags = [Tag(t.kind, t.start + body_start, t.end + body_start, t.text, t.value) for t in tags]
    source_spans = [(t.start, t.end) for t in tags if t.kind == "source"]
    club_list = [c for c in _find_clubs(text, source_spans) if c.start >= body_start]
    sentences = [(s + body_start, e + body_start) for s, e in split_sentences(text[body_start:])]

    # --- people -------------------------------------------------------------------------
    lexicon_words = _lexicon_words()
    lower_words = frozenset(w for w in re.findall(r"\b[a-z][a-z'-]+\b", text) if len(w) > 1)
    blocked = sorted([(c.start, c.end) for c in club_list] + source_spans)
    raw_names: list[tuple[int, int, int]] = []  # (start, end, sentence index)
    for si, (s, e) in enumerate(sentences):
        for ns, ne in _name_runs(text, s, e, s, blocked, lexicon_words, lower_words):
            raw_names.append((ns, ne, si))
    source_keys = _source_alias_keys()
    raw_names = [r for r in raw_names if _fold(text[r[0] : r[1]]) not in source_keys]
    names = _entities([text[s:e] for s, e, _ in raw_names])

    persons_by_sentence: list[list[_Person]] = [[] for _ in sentences]
    for (s, e, si), key in zip(raw_names, names[1]):
        persons_by_sentence[si].append(_Person(s, e, key, text[s:e]))
    clubs_by_sentence: list[list[_Club]] = [[] for _ in sentences]
    si = 0
    for c in club_list:
        while si < len(sentences) and sentences[si][1] <= c.start:
            si += 1
        if si < len(sentences) and sentences[si][0] <= c.start:
            clubs_by_sentence[si].append(c)
    tags_by_sentence: list[list[Tag]] = [[] for _ in sentences]
    si = 0
    for t in tags:
        while si < len(sentences) and sentences[si][1] <= t.start:
            si += 1
        if si < len(sentences) and sentences[si][0] <= t.start:
            tags_by_sentence[si].append(t)

    state = _State(text=text, day=day, club_country={c.name: c.country for c in clubs().values()})
    all_persons: list[_Person] = []
    for si, (s, e) in enumerate(sentences):
        people = persons_by_sentence[si]
        club_mentions = clubs_by_sentence[si]
        _mark_objects(text, s, people)
        anaphors = _anaphors(text, s, e, people)
        all_persons.extend(people)
        all_persons.extend(anaphors)
        _process_sentence(state, s, e, club_mentions, people, anaphors, tags_by_sentence[si])
    all_persons.sort(key=lambda p: p.start)

    roles = {}
    for key in state.coach_cues.keys() | state.player_cues.keys():
        roles[key] = "coach" if state.coach_cues.get(key, 0) > state.player_cues.get(key, 0) else "player"
    return _Analysis(text, body_start, day.isoformat() if day else None, tags, club_list, all_persons,
                     names[0], state.drafts, roles, state.current_club)  # fmt: skip


def _entities(mentions: list[str]) -> tuple[dict[str, str], list[str]]:
    """Group name mentions into people: "Alonso" joins "Xabi Alonso"; accents do not matter.

    Returns (key -> display name, key of each mention).
    """
    folded = [_fold(m) for m in mentions]
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


def _mark_objects(text: str, sentence_start: int, people: list[_Person]) -> None:
    """Flag people who cannot be the subject of a move: succession objects, agents, "X's men"."""
    previous_obj: _Person | None = None
    for p in people:
        before = text[max(sentence_start, p.start - 60) : p.start]
        after = text[p.end : p.end + 80]
        if _OBJECT_BEFORE.search(before):
            p.obj = True
        elif _TEAM_OF_PERSON_AFTER.match(after):
            p.obj = True
        elif _COACH_BEFORE.search(before) and _AGENT_VERB_AFTER.match(after):
            p.obj = True  # "Arsenal boss Mikel Arteta wants ...": the coach acts for the club
        elif previous_obj is not None and re.fullmatch(r",\s{1,3}|\s{1,3}and\s{1,3}|,\s{1,3}and\s{1,3}",
                                                        text[previous_obj.end : p.start]):  # fmt: skip
            p.obj = True  # lists continue: "with Bellingham, Vinicius and Rodrygo"
        elif re.match(r"^['\u2019]s?\s{1,3}(?:\w+\s{1,3})?(?:agent|representative|father|lawyer|entourage|camp)\b",
                      after, re.IGNORECASE):  # fmt: skip
            p.obj = False  # "Osimhen's agent": Osimhen is still the subject
        previous_obj = p if p.obj else None


def _anaphors(text: str, s: int, e: int, people: list[_Person]) -> list[_Person]:
    """Pronouns and descriptions that stand for a person ("he", "the 42-year-old", "the Spaniard")."""
    out: list[_Person] = []
    sentence = text[s:e]
    for m in _DESCRIPTOR.finditer(sentence):
        start, end = m.start() + s, m.end() + s
        head = m.group("head")
        if head[0].isupper() and head.lower() not in {d.lower() for d in _DEMONYM_NOUNS.split("|")}:
            continue
        follow = text[end : end + 3]
        if any(p.start >= end and p.start <= end + 2 for p in people) or re.match(r"\s[A-Z]", follow):
            continue  # an apposition: "the Napoli striker Victor Osimhen" names him
        if any(p.start <= start < p.end for p in people):
            continue
        out.append(_Person(start, end, "", text[start:end], anaphor=True, head=head.lower()))
    for m in _PRONOUN.finditer(sentence):
        start = m.start() + s
        if any(a.start <= start < a.end for a in out):
            continue
        out.append(_Person(start, m.end() + s, "", m.group(0), anaphor=True, head="pronoun"))
    out.sort(key=lambda p: p.start)
    return out


@dataclass
class _State:
    """What the sentence-by-sentence pass remembers."""

    text: str
    day: dt.date | None
    club_country: dict[str, str]
    topic: str | None = None  # the last named subject
    topic_club: str | None = None
    drafts: list[_Draft] = field(default_factory=list)
    current_club: dict[str, str] = field(default_factory=dict)
    coach_cues: dict[str, int] = field(default_factory=dict)
    player_cues: dict[str, int] = field(default_factory=dict)

    index: dict[tuple[str, str | None], _Draft] = field(default_factory=dict)

    def draft(self, subject: str, to_club: str | None, pos: int) -> _Draft:
        d = self.index.get((subject, to_club))
        if d is None:
            d = self.index[(subject, to_club)] = _Draft(subject, to_club, first_pos=pos)
            self.drafts.append(d)
        return d


def _segments(text: str, s: int, e: int) -> list[_Segment]:
    out: list[_Segment] = []
    start = s
    for m in _SEGMENT_SPLIT.finditer(text, s, e):
        if m.start() > start:
            out.append(_Segment(start, m.start()))
        start = m.end()
    if start < e:
        out.append(_Segment(start, e))
    return out or [_Segment(s, e)]


def _clause(text: str, lo: int, hi: int, a: int, b: int) -> tuple[int, int]:
    """The clause (comma- and conjunction-delimited) of ``text[lo:hi]`` holding ``[a, b)``."""
    start, end = lo, hi
    for m in _CLAUSE_SPLIT.finditer(text, lo, hi):
        if m.end() <= a:
            start = m.end()
        elif m.start() >= b:
            end = m.start()
            break
    return start, end


def _classify_club(text: str, c: _Club, seg: _Segment, previous_end: int = 0) -> None:
    """Decide whether a club mention is a destination, an origin, a former club or neutral."""
    # never look back past the previous club mention (its own cue is not ours)
    before = text[max(seg.start, previous_end, c.start - 90) : c.start]
    after = text[c.end : min(seg.end, c.end + 90)]
    if c.kind == "national_team":
        coach_job = _NT_COACH_CUE.match(re.sub(r"^['\u2019]s?", "", after)) or re.search(
            r"\b(?:manager|boss|head\s{1,3}coach|coach|job|charge|helm|reins)\s{1,3}(?:of|at|with)\s{1,3}(?:the\s{1,3})?$",
            before, re.IGNORECASE,
        )  # fmt: skip
        c.role = _DEST if coach_job else _NEUTRAL
        return
    if _AFTER_POSSESSIVE_DEST.match(after):
        c.role = _DEST
        return
    role_m = _AFTER_ROLE.match(after)
    for role, pattern in _BEFORE_RULES:
        if pattern.search(before):
            if role == _DEST and _NOT_A_MOVE_TO.search(before):
                continue
            if role == _ORIGIN and role_m is None and _AFTER_STAFF.match(after) is None and re.search(
                r"\b(?:leave|leaves|leaving|quit|quits|quitting|exit|exits|exiting|depart|departs|departing|ditch|"
                r"ditches|ditching|abandon|abandons|walk\s{1,3}out|part\w*\s{1,3}ways)\W+(?:\w+\W+){0,6}$",
                before, re.IGNORECASE,
            ):  # fmt: skip
                c.exit = True
            c.role = role
            break
    else:
        if _TO_BEFORE.search(before) and not _NOT_A_MOVE_TO.search(before):
            c.role = _DEST
        elif _OF_BEFORE.search(before) and re.search(rf"(?:(?-i:[A-Z][\w'\u2019-]+)|\b(?:{_ROLE_NOUNS}))\s{{1,3}}of"
                                                     + _FILLER, before, re.IGNORECASE):  # fmt: skip
            c.role = _ORIGIN
    if c.role == _FORMER:
        return
    if role_m is not None:
        kind = "coach" if re.fullmatch(_ROLE_COACH, role_m.group("role"), re.IGNORECASE) else "player"
        c.modifier = kind
        rest = after[role_m.end() :]
        # "Everton boss Sean Dyche wants ...": the club acts through its coach
        agent = re.match(r"^\s{1,3}(?:[A-Z][\w'\u2019-]+\s{0,3}){1,3}", rest)
        if kind == "coach" and agent and _AGENT_VERB_AFTER.match(rest[agent.end() - 1 :] if agent.end() else rest):
            c.role, c.agent = _DEST, True
        elif kind == "coach" and _AGENT_VERB_AFTER.match(rest):
            c.role, c.agent = _DEST, True
        elif c.role == _NEUTRAL:
            c.role = _ORIGIN
        return
    if c.role != _NEUTRAL:
        return
    if _AFTER_STAFF.match(after):
        rest = after[_AFTER_STAFF.match(after).end() :]
        if _AFTER_DEST.match(rest) or _AGENT_VERB_AFTER.match(rest):
            c.role, c.agent = _DEST, True
        return
    sell = _AFTER_SELL.match(after)
    if sell and (not _AFTER_DEST_HEADLINE.match(after) or re.search(r"[£€$]|\bfee\b", sell.group(0))):
        if not re.search(r"\b(?:accept\w*|reject\w*|turn\w*\s{1,3}down|refus\w*|block\w*|insist\w*|keep\w*|"
                         r"extend\w*|renew\w*|tie\w*\s{1,3}down|hand\w*|demand\w*|valu\w*|want\w*|slap\w*)\b",
                         sell.group(0), re.IGNORECASE):  # fmt: skip
            c.exit = True
        c.role = _ORIGIN
        return
    if _AFTER_DEST.match(after) or _AFTER_DEST_HEADLINE.match(after):
        c.role = _DEST
        return
    lenient = _AFTER_DEST_LENIENT.match(after)
    if lenient and not re.search(r"\bcontract\b|\bnew\s{1,3}deal\b|\bextension\b", lenient.group(0), re.IGNORECASE):
        c.role = _DEST
        return
    if _AFTER_POSSESSIVE.match(after):
        c.role = _ORIGIN
        return


def _resolve_desc_club(state: _State, text: str, s: int, e: int, subject: str | None) -> list[_Club]:
    """Club descriptions ("the German champions") mapped to the subject's club when the country fits."""
    out: list[_Club] = []
    for m in _CLUB_DESC.finditer(text, s, e):
        country = _DEMONYM_COUNTRY.get(normalise_term(m.group("adj")))
        club = state.current_club.get(subject or "") if subject else None
        if club is None or (country and state.club_country.get(club) != country):
            continue
        info = clubs()[club]
        out.append(_Club(m.start(), m.end(), club, info.kind, info.country, m.group(0)))
    return out


def _process_sentence(state: _State, s: int, e: int, club_mentions: list[_Club], people: list[_Person],
                      anaphors: list[_Person], sentence_tags: list[Tag]) -> None:  # fmt: skip
    """Classify the clubs of one sentence, find each claim's subject and record the evidence."""
    text = state.text
    segments = _segments(text, s, e)
    sentence_claims: list[tuple[_Draft, _Segment, str, int, int]] = []  # draft, segment, role, a, b
    made_claim = False
    mentioned_subjects: list[str] = []
    last_person_key: str | None = None
    previous_subjects: list[str] = []

    for seg in segments:
        seg_clubs = _within(club_mentions, seg.start, seg.end)
        previous_end = 0
        for c in seg_clubs:
            _classify_club(text, c, seg, previous_end)
            previous_end = c.end
        for first, second in reversed(list(zip(seg_clubs, seg_clubs[1:]))):
            if (
                first.role == _NEUTRAL
                and second.role == _DEST
                and re.fullmatch(
                    r"\s{1,3}(?:and|or|&)\s{1,3}(?:the\s{1,3})?|,\s{1,3}", text[first.end : second.start], re.IGNORECASE
                )
            ):
                first.role, first.agent = _DEST, second.agent
        seg_people = _within(people, seg.start, seg.end)
        seg_anaphors = _within(anaphors, seg.start, seg.end)
        subjects = _segment_subjects(text, seg, seg_people, seg_anaphors, state, last_person_key)
        if not subjects and previous_subjects:
            subjects = list(previous_subjects)
        previous_subjects = subjects
        if seg_people:
            last_person_key = seg_people[-1].key
        # club descriptions and former clubs inside descriptions
        desc = _resolve_desc_club(state, text, seg.start, seg.end, subjects[0] if subjects else None)
        for d in desc:
            seg_d = _Segment(seg.start, seg.end)
            _classify_club(text, d, seg_d)
        seg_clubs_all = sorted(seg_clubs + [d for d in desc if not any(c.start <= d.start < c.end for c in seg_clubs)],
                               key=lambda c: c.start)  # fmt: skip
        dest = [c for c in seg_clubs_all if c.role == _DEST]
        origins = [c for c in seg_clubs_all if c.role == _ORIGIN]
        withs = [c for c in seg_clubs_all if c.role == _WITH]
        if dest:
            origins += withs
        else:
            dest = withs
        dest_names = {c.club for c in dest}
        origins = [c for c in origins if c.club not in dest_names]

        # role cues and current clubs of the subjects
        for key in subjects:
            _role_cues(state, text, seg, key, seg_people, seg_anaphors)
        for c in origins:
            owner = _club_owner(text, c, seg_people, seg_anaphors, subjects, state)
            if owner:
                state.current_club[owner] = c.club

        seg_tags = _within(sentence_tags, seg.start, seg.end)
        if not dest and not any(c.exit for c in origins):
            # succession without a named destination: "the former Liverpool midfielder was tipped to take
            # over from Klopp" -> the only other club named in the segment is the job on offer
            if _SUCCESSION.search(text, seg.start, seg.end) and subjects:
                others = [c for c in seg_clubs_all if c.role in (_FORMER, _NEUTRAL) and c.kind == "club"]
                if len({c.club for c in others}) == 1:
                    others[0].role = _DEST
                    dest = [others[0]]
            # a completed arrival with no club: "after Mbappe's arrival", destination is "the side"
            if not dest and subjects and _ARRIVAL_NOUN.search(text, seg.start, seg.end):
                team = _TEAM_ANAPHOR.search(text, s, e)
                arrival = _ARRIVAL_NOUN.search(text, seg.start, seg.end)
                if team and state.topic_club and arrival:
                    info = clubs()[state.topic_club]
                    a0, a1 = arrival.span()
                    pseudo = _Club(a0, a1, info.name, info.kind, info.country, team.group(0), _DEST)
                    dest = [pseudo]
        if dest and subjects:
            for c in dest:
                if c.kind == "national_team" and not _national_ok(state, subjects, text, seg):
                    continue
                for key in subjects:
                    draft = state.draft(key, c.club, c.start)
                    origin = next((o.club for o in origins if o.club != c.club), None)
                    if origin and draft.from_club is None:
                        draft.from_club = origin
                    sentence_claims.append((draft, seg, "dest", c.start, c.end))
                    made_claim = True
                    mentioned_subjects.append(key)
        elif subjects and any(c.exit for c in origins):
            exits = [c for c in origins if c.exit]
            for key in subjects:
                draft = state.draft(key, None, exits[0].start)
                if draft.from_club is None:
                    draft.from_club = exits[0].club
                sentence_claims.append((draft, seg, "exit", exits[0].start, exits[0].end))
                made_claim = True
                mentioned_subjects.append(key)
        elif subjects and seg_tags:
            # no club: stages support the subject's latest claim, denials count against all of them
            sentence_claims.extend(_clubless_evidence(state, text, seg, subjects, seg_tags))
        if subjects:
            state.topic = subjects[-1]
        elif not made_claim:
            free = [p for p in seg_people if not p.obj and not p.anaphor]
            if free:
                state.topic = free[0].key
    # the topic club is the club a sentence opens with ("Madrid are only six points off ...")
    first = min(club_mentions, key=lambda c: c.start, default=None)
    if first is not None and re.fullmatch(r"\W{0,3}(?:the\s{1,3}|but\s{1,3}|and\s{1,3}|however,?\s{1,3})?",
                                          text[s : first.start], re.IGNORECASE):  # fmt: skip
        state.topic_club = first.club
    elif any(c.role == _DEST for c in club_mentions):
        state.topic_club = next(c.club for c in club_mentions if c.role == _DEST)

    # evidence: one entry per (draft, text span); a sentence holding several destinations is cut into segments
    several = len({id(d) for d, *_ in sentence_claims}) > 1 and len({seg.start for _, seg, *_ in sentence_claims}) > 1
    seen: set[tuple[int, int]] = set()
    for draft, seg, kind, a, b in sentence_claims:
        span = (seg.start, seg.end) if several else (s, e)
        if (id(draft), span[0]) in seen:
            continue
        seen.add((id(draft), span[0]))
        role = kind if kind in ("denial", "support") else _evidence_role(state, text, span, (a, b), sentence_tags)
        draft.evidence.append((span[0], span[1], role))


def _national_ok(state: _State, subjects: list[str], text: str, seg: _Segment) -> bool:
    """National teams are destinations for coaches only."""
    return any(state.coach_cues.get(k, 0) > state.player_cues.get(k, 0) for k in subjects) or bool(
        _COACH_CUE.search(text, seg.start, seg.end)
    )


def _segment_subjects(text: str, seg: _Segment, seg_people: list[_Person], seg_anaphors: list[_Person],
                      state: _State, last_person_key: str | None) -> list[str]:  # fmt: skip
    """The people a segment talks about: named non-objects, else a resolved pronoun/description."""
    opening = text[seg.start : seg.start + 12].lower()
    if re.match(r"(?:who|whose)\b", opening) and last_person_key:
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
    if seg_anaphors and state.topic:
        return [state.topic]
    return []


def _club_owner(text: str, c: _Club, seg_people: list[_Person], seg_anaphors: list[_Person],
                subjects: list[str], state: _State) -> str | None:  # fmt: skip
    """Whose club an origin mention is: the person it modifies ("Lille's David") or the subject."""
    after = text[c.end : c.end + 60]
    if c.modifier or _AFTER_POSSESSIVE.match(after):
        nxt = [p for p in seg_people if p.start >= c.end and p.start - c.end <= 60]
        if nxt:
            return nxt[0].key
        nxt_a = [a for a in seg_anaphors if a.start >= c.end - 40 and a.start <= c.end + 40]
        if nxt_a and state.topic:
            return state.topic
    return subjects[0] if subjects else None


def _role_cues(state: _State, text: str, seg: _Segment, key: str, seg_people: list[_Person],
               seg_anaphors: list[_Person]) -> None:  # fmt: skip
    """Count coach and player cues near a subject (a former role does not count)."""
    others = [p for p in seg_people if p.key != key and not p.anaphor]
    for m in _COACH_CUE.finditer(text, seg.start, seg.end):
        if _FORMER_CUE.search(text, max(seg.start, m.start() - 40), m.start()):
            continue
        # a role noun right before another person's name is that person's ("Everton boss Sean Dyche")
        if any(0 <= p.start - m.end() <= 3 for p in others):
            continue
        state.coach_cues[key] = state.coach_cues.get(key, 0) + 1
    for m in _PLAYER_CUE.finditer(text, seg.start, seg.end):
        if _FORMER_CUE.search(text, max(seg.start, m.start() - 40), m.start()):
            continue
        if any(0 <= p.start - m.end() <= 3 for p in others):
            continue
        state.player_cues[key] = state.player_cues.get(key, 0) + 1


def _clubless_evidence(state: _State, text: str, seg: _Segment, subjects: list[str],
                       seg_tags: list[Tag]) -> list[tuple[_Draft, _Segment, str, int, int]]:  # fmt: skip
    out: list[tuple[_Draft, _Segment, str, int, int]] = []
    role = _tag_role(text, seg_tags)
    for key in subjects:
        live = [d for d in state.drafts if d.subject == key]
        if not live:
            continue
        if role == "denial":
            out.extend((d, seg, "denial", seg.start, seg.start) for d in live)
        elif role == "support" and any(t.kind == "stage" and not _negated(text, t) for t in seg_tags):
            out.append((live[-1], seg, "support", seg.start, seg.start))
    return out


def _negated(text: str, t: Tag) -> bool:
    return NEGATION.search(text, max(0, t.start - 30), t.start) is not None


def _tag_role(text: str, seg_tags: list[Tag]) -> str:
    """``"denial"`` if a live denial is not followed by a bid or agreement, else ``"support"``."""
    denials = [t for t in seg_tags if t.kind == "denial" and not _negated(text, t)]
    if not denials:
        return "support"
    last = max(denials, key=lambda t: t.start)
    # a stage right after the denial is its object ("rejected a £40m bid", "denied any talks")
    later_stages = [
        t.value
        for t in seg_tags
        if t.kind == "stage"
        and t.start > last.end
        and not _negated(text, t)
        and (
            t.start - last.end > DENIAL_OBJECT_CHARS
            or re.search(r"[,;:]|\b(?:but|and|while)\b", text[last.end : t.start])
        )
    ]
    return "support" if later_stages and max(later_stages) >= 4 else "denial"


_CONTRAST = re.compile(r"\b(?:but|however|yet|although|though|whereas|now)\b", re.IGNORECASE)


def _evidence_role(state: _State, text: str, span: tuple[int, int], trigger: tuple[int, int],
                   sentence_tags: list[Tag]) -> str:  # fmt: skip
    """The role of a sentence for one claim: support, denial, completed or background."""
    lo, hi = span
    a, b = trigger
    c_start, c_end = _clause(text, lo, hi, a, b)
    # the trigger may sit just before the club ("joined Real Madrid" is one clause anyway)
    clause = text[c_start:c_end]
    span_tags = [
        t for t in sentence_tags
        if lo <= t.start < hi and not (t.kind == "denial" and t.end <= a and _CONTRAST.search(text, t.end, a))
    ]  # fmt: skip
    if _is_background(state, clause):
        return "background"
    if _tag_role(text, span_tags) == "denial":
        return "denial"
    clause_tags = [t for t in span_tags if c_start <= t.start < c_end]
    for t in clause_tags:
        if t.kind == "stage" and t.value >= 10 and not _negated(text, t):
            if not _FUTURE_BEFORE.search(text, max(c_start, t.start - 40), t.start):
                return "completed"
    # headline present tense: "Brighton sign Strand from Molde"
    if _COMPLETED_HEADLINE.match(text, b) and not _FUTURE_BEFORE.search(text, max(c_start, a - 40), a):
        return "completed"
    return "support"


def _is_background(state: _State, clause: str) -> bool:
    """True if the clause talks about a move in the past (an old link, a done deal of years ago)."""
    if _OLD_LINK.search(clause) or _NOMINAL_DONE.search(clause):
        return True
    past = _PAST_MOVE.search(clause)
    year_old = False
    for m in _YEAR.finditer(clause):
        year = int(m.group(1))
        if state.day is not None and year < state.day.year:
            year_old = True
        if state.day is None and year < dt.date.today().year - 1:
            year_old = True
    if past:
        recent = re.search(r"\b(?:on\s{1,3}(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|today|"
                           r"yesterday|this\s{1,3}(?:morning|afternoon|evening|week)|last\s{1,3}night|"
                           r"earlier\s{1,3}today|overnight)\b", clause, re.IGNORECASE)  # fmt: skip
        return not recent or year_old
    return year_old


# =========================================================================== claims
def _draft_status(roles: Sequence[str]) -> str:
    """Status of a claim from the roles of its evidence, in text order."""
    live = [r for r in roles if r != "background"]
    if not live:
        return "background"
    if "completed" in live:
        return "completed"
    if live[-1] == "denial":
        return "denied"
    return "rumour"


@cache
def _denial_strengths() -> dict[str, float]:
    return {normalise_term(r.term): float(r.value) for r in term_lexicon("denials.csv")}


def _denial_strength(tags: Iterable[Tag]) -> float:
    weights = _denial_strengths()
    values = [weights.get(normalise_term(t.text), 0.5) for t in tags if t.kind == "denial"]
    return max(values, default=0.5)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def combine_evidence(evidence: Sequence[Evidence]) -> float | None:
    """The likelihood of a claim from its scored evidence (the documented combination rule).

    The best-supported sentence's score, lowered for each later denial: the odds are
    multiplied by ``DENIAL_ODDS_FACTOR ** strength`` per denial after that sentence
    (at most ``MAX_DENIALS_APPLIED``). Background evidence is ignored. ``None`` when no
    evidence is scored.
    """
    scored = [ev for ev in evidence if ev.role in ("support", "denial", "completed") and ev.likelihood is not None]
    if not scored:
        return None
    support = [ev for ev in scored if ev.role != "denial"] or scored
    best = max(support, key=lambda ev: (ev.likelihood, -ev.start))
    logit = _logit(float(best.likelihood))
    later = [ev for ev in scored if ev.role == "denial" and ev.start > best.start][:MAX_DENIALS_APPLIED]
    for ev in later:
        logit += _denial_strength(ev.tags) * math.log(DENIAL_ODDS_FACTOR)
    return _expit(logit)


def _validate_text(text: Any, function: str) -> str | None:
    """The text to analyse, ``None`` for a missing/empty one; TypeError for anything else."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return None
    if not isinstance(text, str):
        raise TypeError(f"{function}() expects a str, got {type(text).__name__}")
    return text if text.strip() else None


def claims(text: str, *, source: str | None = None, date: Any = None, model: RumourModel | None = None) -> list[Claim]:
    """Pull every transfer claim out of an article and score each.

    Parameters
    ----------
    text : str
        An article, a gossip column or one line. A leading ``date 2024-11-14`` header line
        is skipped and gives the date when ``date`` is not passed.
    source : str, optional
        The outlet that published the article. A sentence that names its own source
        ("As per Eurosport") is scored with that one instead.
    date : str or datetime.date, optional
        Publication date; decides which years are "the past" and feeds the model.
    model : RumourModel, optional
        Defaults to the shipped model (:func:`rumourscore.load_model`).

    Returns
    -------
    list of Claim
        In order of first mention. Empty for an empty or ``None`` text.

    Raises
    ------
    TypeError
        If ``text`` is neither a string nor ``None``.

    Examples
    --------
    >>> found = claims("Arsenal are keen on Lille striker Jonathan David, 24, according to L'Equipe.")
    >>> [(c.subject, c.from_club, c.to_club, c.status) for c in found]
    [('Jonathan David', 'Lille', 'Arsenal', 'rumour')]
    """
    text = _validate_text(text, "claims")
    if text is None:
        return []
    analysis = _analyse(text, date)
    if not analysis.drafts:
        return []
    return _finish_claims(analysis, source, model)


def _sentence_source(tags: Sequence[Tag], source: str | None) -> tuple[str | None, str | None]:
    """(source passed to the model, name reported): a source named in the sentence wins."""
    named = [sources()[t.value] for t in tags if t.kind == "source" and t.value is not None]
    if named:
        best = min(named, key=lambda s: s.tier)
        return best.name, best.name
    info = resolve_source(source)
    return source, (info.name if info else (source if isinstance(source, str) and source.strip() else None))


def _finish_claims(analysis: _Analysis, source: str | None, model: RumourModel | None) -> list[Claim]:
    text = analysis.text
    drafts = [d for d in analysis.drafts if d.evidence]
    statuses = {id(d): _draft_status([r for _, _, r in sorted(d.evidence)]) for d in drafts}
    # tag every evidence span once, then score all live spans in one batch
    spans = sorted({(a, b) for d in drafts for a, b, _ in d.evidence})
    span_tags: dict[tuple[int, int], tuple[Tag, ...]] = {}
    for a, b in spans:
        span_tags[(a, b)] = tuple(Tag(t.kind, t.start + a, t.end + a, t.text, t.value) for t in tag(text[a:b]))
    to_score = sorted({(a, b) for d in drafts for a, b, r in d.evidence
                       if r != "background" and statuses[id(d)] != "background"})  # fmt: skip
    scores: dict[tuple[int, int], tuple[float, str | None]] = {}
    if to_score:
        model = model or load_model()
        rows = [_sentence_source(span_tags[sp], source) for sp in to_score]
        frame = pd.DataFrame({"text": [text[a:b] for a, b in to_score], "source": [r[0] for r in rows],
                              "date": [analysis.date] * len(to_score)})  # fmt: skip
        values = model.predict_proba(frame)[:, 1]
        scores = {sp: (float(v), r[1]) for sp, v, r in zip(to_score, values, rows)}
    out: list[tuple[int, Claim]] = []
    for d in drafts:
        evidence = []
        seen: set[tuple[int, int]] = set()
        for a, b, role in sorted(d.evidence):
            if (a, b) in seen:
                continue
            seen.add((a, b))
            likelihood, used = scores.get((a, b), (None, None)) if role != "background" else (None, None)
            evidence.append(Evidence(text[a:b], a, b, span_tags[(a, b)], role, likelihood, used))
        status = statuses[id(d)]
        likelihood = combine_evidence(evidence) if status in ("rumour", "denied") else None
        from_club = d.from_club
        if from_club is None and status != "background":
            from_club = analysis.current_club.get(d.subject)
        if from_club == d.to_club:
            from_club = None
        name = analysis.names.get(d.subject, d.subject)
        role = analysis.roles.get(d.subject, "player")
        out.append((d.first_pos, Claim(name, from_club, d.to_club, role, status, likelihood, tuple(evidence))))
    out.sort(key=lambda item: item[0])
    return [c for _, c in out]


# =========================================================================== plain text
def format_claims(found: Sequence[Claim], *, evidence: bool = False) -> str:
    """A plain-text table of claims for a terminal.

    Parameters
    ----------
    found : sequence of Claim
    evidence : bool, default=False
        Also list each claim's sentences with their scores under the table.

    Examples
    --------
    >>> print(format_claims([]))
    no claims found
    """
    if not found:
        return "no claims found"
    header = ("#", "subject", "from", "to", "role", "status", "likelihood", "sentences")
    rows = [
        (str(i), c.subject, c.from_club or "-", c.to_club or "(leaving)", c.role, c.status,
         "-" if c.likelihood is None else f"{c.likelihood:.1%}", str(len(c.evidence)))
        for i, c in enumerate(found, 1)
    ]  # fmt: skip
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    numeric = {0, 6, 7}

    def line(cells: Sequence[str]) -> str:
        padded = (c.rjust(w) if k in numeric else c.ljust(w) for k, (c, w) in enumerate(zip(cells, widths)))
        return "  ".join(padded).rstrip()

    lines = [line(header), line(["-" * w for w in widths])] + [line(r) for r in rows]
    if evidence:
        for i, c in enumerate(found, 1):
            lines.append("")
            lines.append(f"[{i}] {c.subject} -> {c.to_club or '(leaving)'}")
            for ev in c.evidence:
                score = "     -" if ev.likelihood is None else f"{ev.likelihood:6.1%}"
                sentence = ev.text if len(ev.text) <= 110 else ev.text[:107] + "..."
                lines.append(f"  {score}  {ev.role:<10}  {sentence}")
    return "\n".join(lines)


# =========================================================================== HTML
_CSS = """
body{font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
.wrap{display:flex;flex-wrap:wrap;gap:24px;padding:24px;max-width:1400px;margin:auto}
article{flex:3 1 520px;background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:20px 28px}
aside{flex:2 1 380px}
h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:18px 0 8px}
.meta{color:#5b6472;font-size:13px;margin-bottom:12px}
mark{border-radius:3px;padding:0 2px;color:inherit}
.tag-source{background:#d7e8ff}.tag-hedge{background:#fff1b8}.tag-stage{background:#c9f2d0}
.tag-denial{background:#ffd0d0}.tag-fee,.tag-wage,.tag-release_clause,.tag-add_ons{background:#e9dcff}
.tag-contract_expiry,.tag-contract_length{background:#ffe2c6}.tag-loan{background:#d4f4f4}.tag-age{background:#eee}
.ent{background:none;border-bottom:2px solid}.ent-club{border-color:#2f6fde}.ent-person{border-color:#c2410c}
table{border-collapse:collapse;width:100%;background:#fff;font-size:14px}
th,td{border:1px solid #dde1e7;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5}td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.status-background td,tr.status-completed td{color:#5b6472}
.status{font-size:12px;border-radius:10px;padding:1px 8px;background:#eef1f5}
.legend mark{display:inline-block;margin:2px 4px 2px 0}
ol.evidence{padding-left:20px;font-size:13px}ol.evidence li{margin:4px 0}
.score{font-variant-numeric:tabular-nums;color:#5b6472}
"""


def _tag_title(t: Tag) -> str:
    value = t.value
    if isinstance(value, Money):
        shown = str(value)
    elif value is None:
        shown = "anonymous" if t.kind == "source" else "yes"
    else:
        shown = str(value)
    return f"{t.kind}={shown}"


def _marks(analysis: _Analysis) -> list[tuple[int, int, str, str, str]]:
    """Non-overlapping highlighted spans: (start, end, css class, data-kind, title). Tags win."""
    items: list[tuple[int, int, str, str, str]] = [
        (t.start, t.end, f"tag tag-{t.kind}", t.kind, _tag_title(t)) for t in analysis.tags
    ]
    for c in analysis.clubs:
        items.append((c.start, c.end, "ent ent-club", "club", f"club: {c.club}"))
    for p in analysis.persons:
        if p.anaphor:
            continue
        items.append((p.start, p.end, "ent ent-person", "person", f"person: {analysis.names.get(p.key, p.text)}"))
    items.sort(key=lambda x: (x[0], 0 if x[2].startswith("tag") else 1, -(x[1] - x[0])))
    out: list[tuple[int, int, str, str, str]] = []
    last_end = -1
    for item in items:
        if item[0] >= last_end and item[1] > item[0]:
            out.append(item)
            last_end = item[1]
    return out


def _highlight(text: str, start: int, end: int, marks: list[tuple[int, int, str, str, str]]) -> str:
    parts: list[str] = []
    pos = start
    for a, b, css, kind, title in marks:
        if a < start or b > end:
            continue
        parts.append(html.escape(text[pos:a]))
        parts.append(f'<mark class="{html.escape(css)}" data-kind="{html.escape(kind)}" title="{html.escape(title)}">'
                     f"{html.escape(text[a:b])}</mark>")  # fmt: skip
        pos = b
    parts.append(html.escape(text[pos:end]))
    return "".join(parts)


def render_html(text: str, found: Sequence[Claim] | None = None, *, source: str | None = None, date: Any = None,
                model: RumourModel | None = None, title: str = "rumourscore: claims") -> str:  # fmt: skip
    """A self-contained HTML page: the article with its tags and mentions highlighted, and the claims.

    Tagged spans become ``<mark class="tag tag-KIND" data-kind="KIND" title="KIND=VALUE">``;
    club and person mentions become ``<mark class="ent ent-club" data-kind="club">`` and
    ``<mark class="ent ent-person" data-kind="person">``. The claim table lists subject, from,
    to, role, status and likelihood, with each claim's sentences and scores below it. All
    CSS is inline, nothing is loaded from outside, and every piece of text is escaped.

    Parameters
    ----------
    text : str
        The article (a ``date ...`` header line is shown as the date).
    found : sequence of Claim, optional
        Claims already extracted from ``text``; by default :func:`claims` is run.
    source, date, model
        As for :func:`claims`.
    title : str
        The page title.

    Raises
    ------
    TypeError
        If ``text`` is neither a string nor ``None``.
    """
    checked = _validate_text(text, "render_html")
    body_text = checked or ""
    if found is None:
        found = claims(body_text, source=source, date=date, model=model) if checked else []
    analysis = _analyse(body_text, date)
    marks = _marks(analysis)
    paragraphs: list[str] = []
    start = analysis.body_start
    for m in re.finditer(r"\n\s*\n", body_text[: len(analysis.text)] + "\n\n"):
        end = min(m.start(), len(analysis.text))
        if start < end and body_text[start:end].strip():
            paragraphs.append(f"<p>{_highlight(analysis.text, start, end, marks)}</p>")
        start = max(start, m.end())
    meta = []
    if analysis.date:
        meta.append(f"date {html.escape(analysis.date)}")
    if source:
        meta.append(f"source {html.escape(str(source))}")
    rows = []
    for i, c in enumerate(found, 1):
        likelihood = "&ndash;" if c.likelihood is None else f"{c.likelihood:.1%}"
        rows.append(
            f'<tr class="claim status-{html.escape(c.status)}" data-status="{html.escape(c.status)}">'
            f'<td class="num">{i}</td><td>{html.escape(c.subject)}</td><td>{html.escape(c.from_club or "-")}</td>'
            f"<td>{html.escape(c.to_club or '(leaving)')}</td><td>{html.escape(c.role)}</td>"
            f'<td><span class="status">{html.escape(c.status)}</span></td><td class="num">{likelihood}</td></tr>'
        )
    evidence_blocks = []
    for i, c in enumerate(found, 1):
        items = []
        for ev in c.evidence:
            score = "&ndash;" if ev.likelihood is None else f"{ev.likelihood:.1%}"
            items.append(f'<li><span class="score">[{html.escape(ev.role)} {score}]</span> {html.escape(ev.text)}</li>')
        evidence_blocks.append(
            f"<h2>{i}. {html.escape(c.subject)} &rarr; {html.escape(c.to_club or '(leaving)')}</h2>"
            f'<ol class="evidence">{"".join(items)}</ol>'
        )
    legend = "".join(
        f'<mark class="tag tag-{k}" data-legend="{k}">{k.replace("_", " ")}</mark>'
        for k in ("source", "hedge", "stage", "denial", "fee", "wage", "contract_expiry", "contract_length",
                  "release_clause", "loan", "add_ons", "age")
    ) + ('<mark class="ent ent-club" data-legend="club">club</mark>'
         '<mark class="ent ent-person" data-legend="person">person</mark>')  # fmt: skip
    table = (
        '<table class="claims"><thead><tr><th>#</th><th>subject</th><th>from</th><th>to</th><th>role</th>'
        f"<th>status</th><th>likelihood</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        if rows else "<p>No claims found.</p>"
    )  # fmt: skip
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f'<title>{html.escape(title)}</title><style>{_CSS}</style></head><body><div class="wrap">'
        f'<article><h1>Article</h1><div class="meta">{" &middot; ".join(meta)}</div>'
        f'<div class="legend">{legend}</div>{"".join(paragraphs)}</article>'
        f"<aside><h1>Claims</h1>{table}{''.join(evidence_blocks)}</aside></div></body></html>\n"
    )


# =========================================================================== aggregation
#: Columns of the frame :func:`aggregate` returns, in order.
AGGREGATE_COLUMNS = (
    "subject", "to_club", "likelihood", "n_reports", "n_sources", "first_date", "last_date", "latest_stage", "denied",
    "from_club", "best_source", "max_likelihood", "mean_likelihood",
)  # fmt: skip
#: Rows with a denial and no stage at or above this are denial reports.
DENIAL_REPORT_MAX_STAGE = 5
#: A later rival report whose max stage reaches this says the other move is done.
RIVAL_DONE_STAGE = 9


def _primary_claim(
    text: Any, date: Any, subject: str | None = None, to_club: str | None = None
) -> tuple[str | None, str | None, str | None]:
    """(subject, to_club, from_club) of the main claim of a report, found without the model.

    The first live claim with a destination wins (then any claim with one, then an exit
    claim); a known subject or destination narrows the choice.
    """
    if not isinstance(text, str) or not text.strip():
        return None, None, None
    analysis = _analyse(text, date)
    ranked = []
    for d in analysis.drafts:
        if not d.evidence:
            continue
        name = analysis.names.get(d.subject, d.subject)
        if subject and _fold(subject) not in (_fold(name), _fold(name).split(" ")[-1]) and \
                _fold(subject).split(" ")[-1] != _fold(name).split(" ")[-1]:  # fmt: skip
            continue
        if to_club and d.to_club != to_club:
            continue
        status = _draft_status([r for _, _, r in sorted(d.evidence)])
        from_club = d.from_club or (analysis.current_club.get(d.subject) if status != "background" else None)
        rank = (d.to_club is None, status == "background", d.first_pos)
        ranked.append((rank, name, d.to_club, from_club if from_club != d.to_club else None))
    if not ranked:
        return None, None, None
    ranked.sort(key=lambda r: r[0])
    return ranked[0][1], ranked[0][2], ranked[0][3]


def _missing(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, float) and math.isnan(value))
        or value is pd.NA
        or (isinstance(value, str) and not value.strip())
    )


def _masked_key(text: Any) -> str:
    if not isinstance(text, str):
        return ""
    return " ".join(mask_names(text).lower().split())


def _similarity(a: str, b: str) -> float:
    """Similarity of two strings on a 0-100 scale (rapidfuzz's ratio when installed)."""
    try:
        from rapidfuzz import fuzz
    except ImportError:  # pragma: no cover - rapidfuzz is optional
        import difflib

        return 100.0 * difflib.SequenceMatcher(None, a, b).ratio()
    return float(fuzz.ratio(a, b))


def _report_source(row: dict[str, Any]) -> tuple[str, int | None, str | None]:
    """(effective source key, tier, own source name) of one report.

    A report citing another outlet ("according to Marca", "as reported by AS") is that
    outlet's claim repeated, so its effective source is the cited outlet.
    """
    own = row.get("best_source")
    own = None if _missing(own) else str(own)
    if own is None:
        info = resolve_source(row.get("source"))
        own = info.name if info else (None if _missing(row.get("source")) else str(row.get("source")).strip())
    text = row.get("text")
    cited = []
    if isinstance(text, str) and text.strip():
        cited = [t.value for t in tag(text[:5000]) if t.kind == "source" and t.value is not None and t.value != own]
    name = cited[0] if cited else own
    tier = None
    if name is not None and name in sources():
        tier = sources()[name].tier
    elif name is not None and name == own and not _missing(row.get("source_tier")):
        try:
            tier = int(float(row["source_tier"]))
        except (TypeError, ValueError):
            tier = None
    return (name if name is not None else "(unknown source)"), tier, own


def _aggregate_groups(
    scored_df: pd.DataFrame, model: RumourModel | None = None
) -> tuple[pd.DataFrame, list[list[int]]]:
    """The work behind :func:`aggregate`; also returns the row positions of every group."""
    if not isinstance(scored_df, pd.DataFrame):
        raise TypeError(f"aggregate() expects a pandas DataFrame, got {type(scored_df).__name__}")
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in AGGREGATE_COLUMNS})
    if len(scored_df) == 0:
        return empty, []
    df = scored_df.reset_index(drop=True)
    if "likelihood" not in df.columns:
        if "text" not in df.columns:
            raise ValueError(f"aggregate() needs a 'likelihood' or a 'text' column; columns found: {list(df.columns)}")
        df = score_frame(df, model=model)
    n = len(df)
    col = {c: (df[c].tolist() if c in df.columns else [None] * n) for c in
           ("subject", "to_club", "from_club", "date", "source", "text", "likelihood", "max_stage", "denials",
            "best_source", "source_tier")}  # fmt: skip
    likelihood = pd.to_numeric(pd.Series(col["likelihood"]), errors="coerce").to_numpy(dtype=float)
    dates = pd.to_datetime(pd.Series(col["date"], dtype=object), errors="coerce", format="mixed")
    subjects, to_clubs, from_clubs = [], [], []
    derived: dict[tuple[Any, ...], tuple[str | None, str | None, str | None]] = {}
    stages, denials = [], []
    for i in range(n):
        subject = None if _missing(col["subject"][i]) else str(col["subject"][i]).strip()
        to_club = None if _missing(col["to_club"][i]) else str(col["to_club"][i]).strip()
        to_club = canonical_club(to_club) or to_club
        from_club = None if _missing(col["from_club"][i]) else str(col["from_club"][i]).strip()
        if subject is None or to_club is None:
            memo_key = (
                col["text"][i] if isinstance(col["text"][i], str) else None,
                str(col["date"][i]),
                subject,
                to_club,
            )
            if memo_key not in derived:
                derived[memo_key] = _primary_claim(col["text"][i], col["date"][i], subject, to_club)
            s2, t2, f2 = derived[memo_key]
            subject = subject or s2
            to_club = to_club or t2
            from_club = from_club or f2
        subjects.append(subject)
        to_clubs.append(to_club)
        from_clubs.append(canonical_club(from_club) or from_club)
        stage, denial = col["max_stage"][i], col["denials"][i]
        if _missing(stage) or _missing(denial):
            tags = tag(col["text"][i][:20_000]) if isinstance(col["text"][i], str) else []
            text = col["text"][i] if isinstance(col["text"][i], str) else ""
            if _missing(stage):
                stage = max((t.value for t in tags if t.kind == "stage" and not _negated(text, t)), default=0)
            if _missing(denial):
                denial = sum(t.kind == "denial" and not _negated(text, t) for t in tags)
        stages.append(float(stage))
        denials.append(float(denial))
    # subject keys: accents and case do not matter; a bare surname joins the full name of the same claim
    keys = [_fold(s) if s else None for s in subjects]
    full_by_club: dict[tuple[str, str | None], set[str]] = {}
    for k, t in zip(keys, to_clubs):
        if k and " " in k:
            full_by_club.setdefault((k.split(" ")[-1], t), set()).add(k)
    for i, (k, t) in enumerate(zip(keys, to_clubs)):
        if k and " " not in k and len(full_by_club.get((k, t), ())) == 1:
            keys[i] = next(iter(full_by_club[(k, t)]))
    groups: dict[tuple[str, str | None], list[int]] = {}
    for i in range(n):
        if keys[i] is None or np.isnan(likelihood[i]):
            continue
        groups.setdefault((keys[i], to_clubs[i]), []).append(i)
    if not groups:
        return empty, []
    rows_meta = [dict(zip(("best_source", "source", "text", "source_tier"),
                          (col["best_source"][i], col["source"][i], col["text"][i], col["source_tier"][i])))
                 for i in range(n)]  # fmt: skip
    order = np.argsort(np.asarray([(d.value if not pd.isna(d) else np.iinfo(np.int64).max) for d in dates]),
                       kind="stable")  # fmt: skip
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    by_subject: dict[str, list[int]] = {}
    for (k, t), members in groups.items():
        if t is not None:
            by_subject.setdefault(k, []).extend(members)

    records, positions = [], []
    for (key, to_club), members in groups.items():
        members = sorted(members, key=lambda i: rank[i])
        # effective sources: citations, then copies of an earlier report (exact or near-duplicate)
        source_of: dict[int, str] = {}
        tier_of: dict[str, int | None] = {}
        reps: list[tuple[str, int]] = []  # (masked text, row)
        exact: dict[str, int] = {}
        for i in members:
            name, tier, _ = _report_source(rows_meta[i])
            masked = _masked_key(col["text"][i])
            original = exact.get(masked) if masked else None
            if original is None and masked:
                for other_text, other in reps[-MAX_DUPLICATE_COMPARISONS:]:
                    if _similarity(masked, other_text) >= NEAR_DUPLICATE_RATIO:
                        original = other
                        break
            if original is not None:
                name = source_of[original]
            else:
                if masked:
                    exact[masked] = i
                    reps.append((masked, i))
                tier_of.setdefault(name, tier)
            source_of[i] = name
        is_denial = {i: denials[i] > 0 and stages[i] <= DENIAL_REPORT_MAX_STAGE for i in members}
        support = [i for i in members if not is_denial[i]] or members
        best_by_source: dict[str, int] = {}
        for i in support:
            s = source_of[i]
            if s not in best_by_source or likelihood[i] > likelihood[best_by_source[s]]:
                best_by_source[s] = i
        ranked = sorted(best_by_source.items(), key=lambda kv: -likelihood[kv[1]])
        best_row = ranked[0][1]
        logit = _logit(float(likelihood[best_row]))
        gain = 0.0
        base = _logit(AGGREGATE_BASE_RATE)
        for k, (s, i) in enumerate(ranked[1:]):
            weight = TIER_WEIGHT.get(tier_of.get(s) or -1, UNKNOWN_TIER_WEIGHT) * POOL_DECAY**k
            gain += weight * max(0.0, _logit(float(likelihood[i])) - base)
        logit += min(gain, MAX_POOL_GAIN)
        later_denial_sources = {source_of[i] for i in members if is_denial[i] and rank[i] > rank[best_row]}
        logit += min(len(later_denial_sources), MAX_DENIALS_APPLIED) * math.log(LATER_DENIAL_ODDS_FACTOR)
        last = members[-1]
        if to_club is not None:
            rivals = [j for j in by_subject.get(key, []) if to_clubs[j] != to_club and rank[j] > rank[last]
                      and likelihood[j] > likelihood[best_row]]  # fmt: skip
            if rivals:
                done = any(stages[j] >= RIVAL_DONE_STAGE and not is_denial_row(denials[j], stages[j]) for j in rivals)
                logit += math.log(RIVAL_DONE_ODDS_FACTOR if done else RIVAL_MOVE_ODDS_FACTOR)
        member_dates = dates.iloc[members]
        froms = [from_clubs[i] for i in members if from_clubs[i]]
        display = next((subjects[i] for i in members if subjects[i] and _fold(subjects[i]) == key),
                       subjects[members[0]])  # fmt: skip
        records.append({
            "subject": display, "to_club": to_club, "likelihood": _expit(logit), "n_reports": len(members),
            "n_sources": len(set(source_of.values())), "first_date": _day(member_dates.min()),
            "last_date": _day(member_dates.max()), "latest_stage": stages[last], "denied": bool(is_denial[last]),
            "from_club": max(set(froms), key=froms.count) if froms else None,
            "best_source": None if ranked[0][0] == "(unknown source)" else ranked[0][0],
            "max_likelihood": float(np.max(likelihood[members])),
            "mean_likelihood": float(np.mean(likelihood[members])),
        })  # fmt: skip
        positions.append(members)
    out = pd.DataFrame.from_records(records, columns=list(AGGREGATE_COLUMNS))
    order_out = np.argsort(-out["likelihood"].to_numpy(), kind="stable")
    out = out.iloc[order_out].reset_index(drop=True)
    return out, [positions[i] for i in order_out]


def _day(value: Any) -> dt.date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def is_denial_row(denials: float, max_stage: float) -> bool:
    """True if a scored report is a denial: it has a denial and no stage past talks."""
    return denials > 0 and max_stage <= DENIAL_REPORT_MAX_STAGE


def aggregate(scored_df: pd.DataFrame, *, model: RumourModel | None = None) -> pd.DataFrame:
    """One verdict per (subject, to_club) claim from a feed of scored reports.

    Parameters
    ----------
    scored_df : DataFrame
        Typically the output of :func:`rumourscore.score_frame`. Columns used when present:
        ``subject``, ``to_club``, ``from_club``, ``date``, ``source``, ``text``,
        ``likelihood``, ``max_stage``, ``denials``, ``best_source``, ``source_tier``. A
        missing (or empty) ``subject``/``to_club`` is derived per row from ``text`` with the
        claim extractor; a missing ``likelihood`` column is filled by scoring ``text`` with
        ``model``; missing ``max_stage``/``denials`` are tagged from ``text``.
    model : RumourModel, optional
        Only used when there is no ``likelihood`` column (default: the shipped model).

    Returns
    -------
    DataFrame
        One row per claim, most likely first: ``subject``, ``to_club``, ``likelihood``
        (combined), ``n_reports``, ``n_sources`` (independent), ``first_date``,
        ``last_date``, ``latest_stage``, ``denied``, plus ``from_club``, ``best_source``,
        ``max_likelihood`` and ``mean_likelihood``. Rows with no subject or no score are left
        out; an empty input gives an empty frame with these columns.

    Notes
    -----
    The pooling rule, with the module constants:

    1. **Repeats count once.** A report citing another outlet ("according to Marca") counts
       as that outlet. A report whose name-masked text equals, or has a rapidfuzz ratio of at
       least ``NEAR_DUPLICATE_RATIO`` with, an earlier report of the claim is a copy and
       counts as the earlier report's source.
    2. **Per-source best.** Each independent source contributes its best score (denial
       reports excluded unless there is nothing else).
    3. **Log-odds pooling with tier weights and a cap.** Start from the best source's
       log-odds; every further source *k* (by score, k = 1, 2, ...) adds
       ``TIER_WEIGHT[tier] * POOL_DECAY**(k-1) * max(0, logit(score) - logit(AGGREGATE_BASE_RATE))``,
       the total capped at ``MAX_POOL_GAIN``. Repeats from one outlet add nothing; a
       tier-1 source adds more than a tier-5 one.
    4. **Later denials** (a report with a denial and no stage past talks, dated after the
       best report) multiply the odds by ``LATER_DENIAL_ODDS_FACTOR`` per independent
       denying source (at most ``MAX_DENIALS_APPLIED``). ``denied`` is True when the latest
       report is a denial.
    5. **Later moves elsewhere.** A report of the same subject to another club, dated after
       the claim's last report and scored higher than the claim's best, multiplies the odds by
       ``RIVAL_MOVE_ODDS_FACTOR`` (``RIVAL_DONE_ODDS_FACTOR`` when that report has reached
       stage ``RIVAL_DONE_STAGE`` or more).

    Reports without a date sort after dated ones, in input order.
    """
    return _aggregate_groups(scored_df, model)[0]


def evaluate_aggregate(reports_df: pd.DataFrame | str, model: RumourModel | None = None, *,
                       split_date: str | None = None) -> pd.DataFrame:  # fmt: skip
    """Compare the pooled claim likelihood with the mean and the max of its reports' scores.

    Parameters
    ----------
    reports_df : DataFrame or str
        A labelled corpus (``id, date, text, source, subject, from_club, to_club, outcome``)
        or the path of one (CSV). Reports dated on or after ``split_date`` form the test split.
    model : RumourModel, optional
        A model that has not seen the test split. By default one is trained here on the
        reports before ``split_date`` (grouped by subject, see
        :func:`rumourscore.chronological_split`): the shipped model is trained on the whole
        corpus, test split included, so it would flatter every method.
    split_date : str, optional
        First day of the test split; defaults to the corpus' split,
        :data:`rumourscore._evaluate.SPLIT_DATE`.

    Returns
    -------
    DataFrame
        Indexed by method (``combined``, ``mean``, ``max``) with columns ``auc``, ``brier``,
        ``n_claims``, ``n_reports`` and ``positive_rate``. A claim's label is the outcome of
        its latest report (reports of one claim share an outcome only within one 365-day
        window, so the last one speaks for the claim).
    """
    from ._evaluate import SPLIT_DATE, chronological_split, metrics

    split_date = split_date or SPLIT_DATE
    frame = pd.read_csv(reports_df) if isinstance(reports_df, str) else reports_df
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"reports_df must be a DataFrame or a CSV path, got {type(reports_df).__name__}")
    missing = [c for c in ("date", "text", "subject", "to_club", "outcome") if c not in frame.columns]
    if missing:
        raise ValueError(f"evaluate_aggregate() needs columns {missing}; columns found: {list(frame.columns)}")
    days = pd.to_datetime(frame["date"], errors="coerce", format="mixed")
    test = frame[days >= pd.Timestamp(split_date)].reset_index(drop=True)
    if test.empty:
        raise ValueError(f"no reports dated on or after {split_date}")
    if model is None:
        from ._model import train

        model = train(chronological_split(frame, split_date)[0])
    scored = score_frame(test, model=model)
    result, groups = _aggregate_groups(scored)
    test_days = pd.to_datetime(test["date"], errors="coerce", format="mixed")
    labels, means, maxes = [], [], []
    for members in groups:
        last = max(members, key=lambda i: (test_days.iloc[i], i))
        labels.append(float(test["outcome"].iloc[last]))
        values = scored["likelihood"].to_numpy(dtype=float)[members]
        means.append(float(np.mean(values)))
        maxes.append(float(np.max(values)))
    y = np.asarray(labels)
    rows = []
    for method, p in (("combined", result["likelihood"].to_numpy(dtype=float)), ("mean", np.asarray(means)),
                      ("max", np.asarray(maxes))):  # fmt: skip
        scores = metrics(y, p)
        rows.append({"method": method, "auc": scores["roc_auc"], "brier": scores["brier"], "n_claims": len(y),
                     "n_reports": int(sum(len(m) for m in groups)),
                     "positive_rate": scores["positive_rate"]})  # fmt: skip
    return pd.DataFrame(rows).set_index("method")
