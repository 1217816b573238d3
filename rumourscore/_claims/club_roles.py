"""Club roles: is a club mention where the subject goes, where he is, a former club, or neither?

The words before a mention are tried against ``_BEFORE_RULES`` in order ("to X", "join X",
"interest from X" make a destination; "from X", "leave X", "contract at X" an origin;
"the former X midfielder" a former club); then the words after it ("X are keeping tabs
on", "X want", "X's interest in" a destination; "X are ready to sell", "X striker" an
origin). Descriptions such as "the German champions" resolve to the subject's current
club when the country fits (:func:`~rumourscore._claims.mentions.resolve_desc_club`).
"""

from __future__ import annotations

import re

from .._scan import fold_case_twins, folded_twin
from .coreference import AFTER_POSSESSIVE, AGENT_VERB_AFTER
from .types import DEST, FORMER, NEUTRAL, ORIGIN, WITH, ClubMention, Segment
from .vocabulary import CLUB_STAFF, ROLE_COACH, ROLE_NOUNS, ROLE_PLAYER

__all__ = ["classify_club"]

# --- the words before a club mention ---------------------------------------------------
_FILLER = (
    r"(?:\s{1,3}(?:the|fellow|league|title|local|city|rivals?|newly-promoted|promoted|relegated|ambitious|"
    r"struggling|cash-rich|big-spending|giants|side|club|outfit|champions|leaders|his|their|former|boyhood|new|"
    r"parent|feeder|sister|second|third|division|tier|top-flight|non-league|newly|both|the\s{1,3}likes\s{1,3}of|\d{1,2}|"
    r"(?-i:[A-Z][\w.'\u2019-]*))){0,5}\s{1,3}$"
)


def _opening(source: str) -> str:
    """The opening of a rule's pattern, ``\\b`` and its first group: every match starts with a match of it."""
    assert source.startswith("\\b(?:"), source
    depth, i = 0, 2
    while True:  # to the parenthesis that closes the first group (an escaped character is skipped)
        depth += {"(": 1, ")": -1}.get(source[i], 0)
        i += 2 if source[i] == "\\" else 1
        if depth == 0:
            break
    assert source[i : i + 1] not in ("?", "*", "{"), source  # an optional group opens nothing
    return source[:i]


class _Rule:
    """A case-blind pattern of the words before a club (``source`` + ``_FILLER``), searched in two steps.

    Its opening (:func:`_opening`, lower-case words only) is searched first, case-sensitively on
    the folded text (:func:`~rumourscore._scan.folded_twin`): a match of the pattern starts with
    a match of its opening. Most texts have none of a rule's opening words, so the pattern itself
    is rarely run.
    """

    __slots__ = ("opening", "pattern")

    def __init__(self, source: str) -> None:
        self.opening = folded_twin(re.compile(_opening(source), re.IGNORECASE))
        self.pattern = re.compile(source + _FILLER, re.IGNORECASE)

    def search(self, before: str, folded: str) -> bool:
        """True if the pattern matches ``before`` (``folded`` is its folded form)."""
        return self.opening.search(folded) is not None and self.pattern.search(before) is not None


_BEFORE_RULES: tuple[tuple[str, _Rule], ...] = tuple(
    (role, _Rule(pattern))
    for role, pattern in (
        (
            DEST,
            r"\b(?:with|to|join|joining|rejoin|rejoining|back\s{1,3}to|return\s{1,3}to|returning\s{1,3}to|"
            r"reunion\s{1,3}with)\s{1,3}(?:his\s{1,3}|her\s{1,3}|their\s{1,3}|the\s{1,3})?(?:former|ex|ex-|"
            r"one-time|boyhood|old)\s{1,3}(?:club|side|team|employers?)",
        ),
        (FORMER, r"\b(?:former|ex|ex-|one-time|onetime|erstwhile)"),
        (
            DEST,
            r"\b(?:will|would|could|(?<!used\s)to|wants\s{1,3}to|want\s{1,3}to)\s{1,3}(?:\w+\s{1,3})?play\s{1,3}for",
        ),
        (  # "will earn £200,000 a week at Chelsea": pay at a club the subject is not at yet
            DEST,
            r"\b(?:will|would|could|(?<!used\s)to)\s{1,3}(?:\w+\s{1,3})?(?:earn|pocket|be\s{1,3}paid)\s{1,3}"
            r"(?:[\w£€$.,'-]+\s{1,3}){0,6}?(?:at|by)",
        ),
        (DEST, r"\b(?:dreams?)\s{1,3}of\s{1,3}(?:playing\s{1,3}for|joining|moving\s{1,3}to|a\s{1,3}move\s{1,3}to)"),
        (DEST, r"\b(?:sign\w*)\s{1,3}(?:his|a|the|her|their)\s{1,3}(?:[\w-]+\s{1,3})?contract\s{1,3}(?:at|with)"),
        (
            DEST,
            r"\b(?:(?:caught|catches|catching|caught)\s{1,3}the\s{1,3}eye\s{1,3}of|interesting|(?:on|onto)\s{1,3}"
            r"(?:the\s{1,3})?(?:radar|shortlist|wishlist|list)\s{1,3}of)",
        ),
        (DEST, r"\b(?:bidding\s{1,3}war|battle|race|tug-of-war|scramble|fight)\s{1,3}between"),
        (
            DEST,
            r"\b(?:become|becomes|becoming|be\s{1,3}appointed|been\s{1,3}appointed|be\s{1,3}named|"
            r"be\s{1,3}installed\s{1,3}as)",
        ),
        (
            DEST,
            r"\b(?:set|due|poised|close|ready|heading|bound|lined\s{1,3}up)\s{1,3}for\s{1,3}(?:an?\s{1,3})?"
            r"(?:[\w-]+\s{1,3}){0,2}?(?:spell|stint|move|switch|transfer|homecoming|return)\s{1,3}(?:at|to|with)",
        ),
        (DEST, r"\b(?:spend)\s{1,3}(?:(?:the\s{1,3}rest\s{1,3}of\s{1,3})?(?:the|next|this|a)\s{1,3})?(?:[\w-]+\s{1,3})?"
               r"(?:season|campaign|months?|year|spell|half)\s{1,3}(?:on\s{1,3}loan\s{1,3})?(?:at|with)"),  # future
        (DEST, r"\b(?:in)\s{1,3}favou?r\s{1,3}of"),  # "rejected Chelsea in favour of Arsenal"
        (DEST, r"\b(?:chose|choose|chooses|choosing|opted\s{1,3}for|opts\s{1,3}for|opt\s{1,3}for)"),  # over Y
        (ORIGIN, r"\b(?:commit\w*)\s{1,3}(?:his|her)\s{1,3}(?:long-term\s{1,3})?future\s{1,3}to"),  # staying
        (DEST, r"\b(?:plus|and)\s{1,3}[£€$][\d.,]+\s{0,2}(?:m|bn|k|million)?\s{1,3}from"),
        (
            DEST,
            r"\b(?:los(?:e|es|ing|t))\s{1,3}(?:him|them|(?-i:[A-Z])[\w'\u2019-]*"
            r"(?:\s{1,3}(?-i:[A-Z])[\w'\u2019-]*){0,3})\s{1,3}to",
        ),
        (DEST, r"\b(?:link|links|linked|linking)\s{1,3}(?:(?-i:[A-Z])[\w'\u2019-]*\s{1,3}){1,4}(?:with|to)"),
        (
            DEST,
            r"\b(?:turned\s{1,3}down|turn\s{1,3}down|turns\s{1,3}down|turning\s{1,3}down|rejected|rejects|"
            r"reject|rejecting|snubbed|snubs|snub|snubbing|rebuffed|spurned|declined|said\s{1,3}no\s{1,3}to|"
            r"outbid|outbidding|fend\s{1,3}off|fending\s{1,3}off|see\s{1,3}off|seeing\s{1,3}off|"
            r"competition\s{1,3}from|compete\s{1,3}with|competing\s{1,3}with|battle\s{1,3}with|"
            r"fight\s{1,3}off|fighting\s{1,3}off|hijack|hijacking|gazump|ahead\s{1,3}of|(?:target|priority|"
            r"option|candidate|alternative|frontrunner|front-runner|favourite|top\s{1,3}choice|first\s{1,3}choice|"
            r"wanted\s{1,3}man)\s{1,3}(?:\w+\s{1,3})?for)",
        ),
        (
            DEST,
            r"\b(?:interest|offers?|bids?|approach(?:es)?|enquir(?:y|ies)|inquir(?:y|ies)|proposals?|"
            r"attention|advances|overtures|calls?|contact|swoop|links?|suitors?|admirers?|talks|pursuit)"
            # (not "talks to sign X from", "a bid for X from": that club is the player's)
            r"(?:\s{1,3}(?!to\s{1,3}(?:sign|buy|bring|lure|land|prise|take|get)|for\s)[\w£€$.,-]+){0,5}?\s{1,3}from",
        ),
        (
            ORIGIN,
            r"\b(?:move|switch|transfer|exit|departure|arrival|arrived|signed|joined|joins|join|joining|"
            r"moved|moving|sold|loaned|released|recalled|leave|leaving|escape|prised|lured|poached|"
            r"snatched|signing|returned|returns|return|returning)\b(?:\s{1,3}\w+){0,5}?\s{1,3}from",
        ),
        (
            DEST,
            r"\b(?:wanted|targeted|tracked|monitored|scouted|courted|chased|coveted|eyed|approached|watched|"
            r"admired|sought|pursued|signed|bought|hired|appointed|snapped\s{1,3}up|offered|tipped|"
            r"considered|shortlisted|identified|earmarked|recruited|acquired|linked|prepared|made|lodged|submitted|"
            r"tabled|launched|planned|readied|used|followed)\s{1,3}(?:[\w-]+\s{1,3}){0,4}?by",
        ),
        (
            ORIGIN,
            r"\b(?:released|sold|sacked|dismissed|fired|axed|loaned\s{1,3}out|let\s{1,3}go|frozen\s{1,3}out|"
            r"rejected|turned\s{1,3}down|refused|knocked\s{1,3}back|blocked|"
            r"discarded|deemed\s{1,3}surplus\s{1,3}to\s{1,3}requirements)\s{1,3}by",
        ),
        (
            ORIGIN,
            r"\b(?:leave|leaves|leaving|left|quit|quits|quitting|exit|exits|exiting|depart|departs|"
            r"departing|ditch|ditches|ditching|snub|snubs|snubbing|abandon|abandons|"
            r"walk\s{1,3}out\s{1,3}on|walks\s{1,3}out\s{1,3}on|part\s{1,3}ways\s{1,3}with|"
            r"parts\s{1,3}ways\s{1,3}with|parting\s{1,3}ways\s{1,3}with)",
        ),
        (
            DEST,
            r"\b(?:replace|replacing|succeed|succeeding|replacement|successor|take\s{1,3}over|takeover|"
            r"taking\s{1,3}over|takes\s{1,3}over|took\s{1,3}over|job|post|role|position|vacancy|hot\s{1,3}seat|"
            r"dugout|reins|helm|appointment|unveiling|unveiled|arrival|arrive|arrives|arriving|debut|"
            r"medical|reunion|homecoming|second\s{1,3}spell|next\s{1,3}manager|new\s{1,3}manager|new\s{1,3}coach|new\s{1,3}boss)"
            r"(?:\s{1,3}[\w'\u2019-]+){0,4}?\s{1,3}(?:at|with|in)",
        ),
        (
            DEST,
            r"\b(?:join|joins|joined|joining|rejoin|rejoins|rejoining|rejoined|sign\s{1,3}for|signs\s{1,3}for|"
            r"signed\s{1,3}for|signing\s{1,3}for|bound\s{1,3}for|destined\s{1,3}for|headed\s{1,3}for|"
            r"heading\s{1,3}for|set\s{1,3}for|leave\s{1,3}for|leaves\s{1,3}for|left\s{1,3}for|"
            r"linked\s{1,3}with|link\s{1,3}with|links\s{1,3}with|linked\s{1,3}to|links\s{1,3}to|"
            r"commit\s{1,3}to|committed\s{1,3}to|agreed\s{1,3}to\s{1,3}join|"
            r"take\s{1,3}charge\s{1,3}(?:of|at)|takes\s{1,3}charge\s{1,3}(?:of|at)|taking\s{1,3}charge\s{1,3}(?:of|at)|"
            r"took\s{1,3}charge\s{1,3}(?:of|at)|in\s{1,3}the\s{1,3}frame\s{1,3}(?:for|at)|favourite\s{1,3}for|"
            r"frontrunner\s{1,3}for|front-runner\s{1,3}for|candidate\s{1,3}for|in\s{1,3}line\s{1,3}for|"
            r"consider(?:ing)?\s{1,3}(?:an?\s{1,3})?offer\s{1,3}from)",
        ),
        (
            DEST,
            r"\b(?:move|moves|moving|moved|switch|switches|switching|switched|transfer|transferred|"
            r"return|returns|returning|returned|go|goes|going|went|head|heads|heading|headed|loan|loaned|"
            r"sold|sell|selling|sale|swap|defect|jump|leap|way|door|path|route|exit|move\s{1,3}back|"
            r"come\s{1,3}back|coming\s{1,3}back|bring\s{1,3}\w+\s{1,3}back|back|lured|relocate|emigrate|"
            r"close|closer|closing|nearing|edging|keen|open|tempted|attracted|drawn|offered|available|"
            r"pushing|push|agreed|agreement|personal\s{1,3}terms)(?:\s{1,3}[\w'\u2019£€$.-]+){0,6}?"
            r"\s{1,3}(?:to|towards)",
        ),
        (
            WITH,
            r"\b(?:talks|terms|agreement|deal|contact|negotiations|discussions|conversations|meeting|"
            r"fee|negotiating|talking|chats|dialogue)(?:\s{1,3}(?:done|agreed|reached|sealed|in\s{1,3}place))?\s{1,3}with",
        ),
        (
            ORIGIN,
            r"\b(?:contract|deal|stay|spell|career|future|situation|stint|time|days|role|place|seasons?|years?|"
            r"campaigns?|months|"
            r"minutes|chances|happy|settled|unsettled|stay|staying|stays|remain|remains|remaining|"
            r"now|currently|still|starring|thriving|shining|playing|plays|on\s{1,3}loan|loan|tied\s{1,3}down|"
            r"contract\s{1,3}expires|struggling)(?:\s{1,3}[\w'\u2019-]+){0,3}?\s{1,3}(?:at|with|in)",
        ),
        (
            ORIGIN,
            r"\b(?:in\s{1,3}charge\s{1,3}of|manager\s{1,3}of|coach\s{1,3}of|boss\s{1,3}of|captain\s{1,3}of|"
            r"player\s{1,3}of|star\s{1,3}of|striker\s{1,3}of|part\s{1,3}of|plays\s{1,3}for|playing\s{1,3}for|"
            r"plays\s{1,3}his\s{1,3}football\s{1,3}(?:at|for)|under\s{1,3}contract\s{1,3}(?:at|with)|"
            r"contract\s{1,3}with|future\s{1,3}at|tenure\s{1,3}at|reign\s{1,3}at)",
        ),
        (
            DEST,
            r"\b(?:clubs|sides|teams|suitors|admirers|interest|options|destinations|bidders)\b[^.;:]{0,50}?"
            r"\b(?:including|such\s{1,3}as|namely|notably|especially|led\s{1,3}by)",
        ),
        (
            ORIGIN,
            r"\b(?:way\s{1,3}out\s{1,3}of|out\s{1,3}of|exit\s{1,3}door\s{1,3}at|"
            r"departure\s{1,3}from|exit\s{1,3}from|farewell\s{1,3}to)",
        ),
        (ORIGIN, r"\b(?:his|her)"),
        (ORIGIN, r"\b(?:from)"),
    )
)
_TO_BEFORE = _Rule(r"\b(?:to|join|towards)")
_NOT_A_MOVE_TO = re.compile(
    r"(?:\b(?:lost|losing|lose|loses|beaten|defeat|defeated|compared|similar|next|rivals|adrift|behind|points|"
    r"goals?|due|travel|travels|travelling|trip|visit|game|match|fixture|clash|tie|draw|drew|conceded|prior)"
    r"\s{1,3}(?:(?-i:[a-z0-9])\w*\s{1,3}){0,2}|\b(?:sources?|people|those|someone|insiders?|figures?|friends?|"
    r"family|camp|source)\s{1,3}close\s{1,3}|\b(?:clear|known|aware|explained|message|letter|complaint|reply|"
    r"response|talking|talked|spoke|spoken|speaking|said|say|says|belong|belongs|belonged)\s{1,3})to" + _FILLER,
    re.IGNORECASE,
)
_OF_BEFORE = _Rule(r"\b(?:of)")

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
    r"becoming|emerged|emerge|emerging|as|firm|clear|big|early|leading|main|top|genuine|possible|potential|always|"
    r"constantly|continually|never)"
)
_DEST_VERBS = (
    r"(?:keeping\s{1,3}tabs|keep\s{1,3}tabs|kept\s{1,3}tabs|monitor\w*|track\w*|watch\w*|scout\w*|eye\w*|"
    r"want\w*|keen|interest\w*|target\w*|consider\w*|plot\w*|pursu\w*|chas\w*|court\w*|identif\w*|"
    r"earmark\w*|line\w*\s{1,3}up|lining\s{1,3}up|approach\w*|contact\w*|enquir\w*|inquir\w*|"
    r"open\w*\s{1,3}(?:talks|discussions|negotiations|dialogue)|talks|negotiat\w*|bid\w*|offer\w*|submit\w*|tabl\w*|make\s{1,3}a\s{1,3}move|"
    r"(?:make|makes|making|made)\s{1,3}(?:[\w£€$.-]+\s{1,3}){0,3}?(?:enquiry|enquiries|inquiry|approach|bid|offer|"
    r"move|contact|proposal|request|push|attempt|swoop)|lodg\w*|move\s{1,3}for|swoop\w*|agree\w*|sign\b|signs\b|signed\b|signing\b|"
    r"complet\w*|confirm\w*|announc\w*|appoint\w*|hire\w*|"
    r"swap\w*\s{1,3}(?:[\w'\u2019.-]+\s{1,3}){1,4}?for\b|nam(?:e|es|ing)\s{1,3}(?:[\w'\u2019.-]+\s{1,3}){1,4}?as\s{1,3}(?:their|the|its|a|new|next|interim|permanent|head)\b|land\w*|snap\w*\s{1,3}up|nab\w*|poach\w*|lure\w*|"
    r"raid\w*|clos\w*\s{1,3}in|near\w*|edg\w*\s{1,3}closer|join\w*\s{1,3}the\s{1,3}(?:race|chase|queue|hunt)|"
    r"lead\w*\s{1,3}the\s{1,3}(?:race|chase|queue|hunt)|in\s{1,3}pole\s{1,3}position|favourites|"
    r"frontrunners|front-runners|in\s{1,3}the\s{1,3}(?:running|hunt|race|mix|market)|push\w*\s{1,3}for|"
    r"step\w*\s{1,3}up|battl\w*|compet\w*|fight\w*|dream\w*|sound\w*\s{1,3}out|register\w*|reignit\w*|"
    r"reviv\w*|return\w*\s{1,3}(?:for|with)|look\w*\s{1,3}at|meet\w*\s{1,3}(?:[\w'\u2019£€$.,-]+\s{1,3}){0,3}?(?:asking\s{1,3}price|"
    r"valuation|demands|release\s{1,3}clause|buy-out)|follow\w*\s{1,3}up|win\w*\s{1,3}the\s{1,3}(?:race|fight|battle|chase)|"
    r"(?:express|show|register|declar|signal)\w*\s{1,3}(?:\w+\s{1,3})?interest|outbid\w*|hijack\w*|made\s{1,3}contact|make\s{1,3}contact|bring\b|brought\b|acquir\w*|buy\b|"
    r"buying\b|purchas\w*|secur\w*|wrap\w*\s{1,3}up|finalis\w*|finaliz\w*|tie\w*\s{1,3}up|admir\w*|fancy|"
    r"rate\b|rated\b|like\b|love\b|enter\w*\s{1,3}the\s{1,3}race|test\w*|launch\w*|prepar\w*\s{1,3}(?:a|an)|"
    r"ask\w*\s{1,3}about|send\w*\s{1,3}scouts|sent\s{1,3}scouts|shortlist\w*|splash\w*|spend\b|"
    r"pay\b|paying\b|trigger\w*|activat\w*|meet\w*\s{1,3}(?:the|his)\s{1,3}(?:release|buy-out|asking)|"
    r"on\s{1,3}the\s{1,3}verge|close\s{1,3}to|closer\s{1,3}to|in\s{1,3}advanced|in\s{1,3}contact|"
    r"in\s{1,3}discussions|in\s{1,3}negotiations|deny\w*|denied|dismiss\w*|rul\w*\s{1,3}out|pull\w*\s{1,3}out|"
    r"walk\w*\s{1,3}away|cool\w*|abandon\w*|withdr\w*|linked\s{1,3}(?:with|to)\b|turn\w*\s{1,3}(?:their|its)\s{1,3}attention|reunion|propos\w*|prise\b|prize\b|"
    r"come\s{1,3}in\s{1,3}for|comes\s{1,3}in\s{1,3}for|came\s{1,3}in\s{1,3}for|fac\w*\s{1,3}(?:\w+\s{1,3})?competition|"
    r"one\s{1,3}of\s{1,3}(?:a\s{1,3}|the\s{1,3})?(?:host|number|handful|raft|string|series|several|many|list|clutch|clubs|"
    r"sides|teams|suitors)\b|follow\w*\s{1,3}(?:the\s{1,3})?(?:progress|situation|development)|turn\w*\s{1,3}to\b|"
    r"draw\w*\s{1,3}up\s{1,3}(?:an?\s{1,3})?(?:[\w-]+\s{1,3})?(?:shortlist|list)|"
    r"ask\w*\s{1,3}(?:[\w'\u2019.-]+\s{1,3}){0,4}?about\s{1,3}(?:borrowing|signing|taking|buying|loaning|the\s{1,3}availability)|"
    r"includ\w*\s{1,3}(?:[\w'\u2019-]+\s{1,3}){1,4}?in\s{1,3}(?:any|a|the|their|an)\s{1,3}(?:[\w-]+\s{1,3})?(?:deal|bid|offer|swap)|"
    r"see\w*\s{1,3}(?:\w+\s{1,3}){0,2}?as\s{1,3}(?:an?|the|their)\s{1,3}(?:[\w-]+\s{1,3}){0,2}?(?:option|target|replacement|"
    r"successor|candidate|solution|alternative)|favour\w*|prefer\w*|explor\w*|"
    r"(?:reject\w*|turn\w*\s{1,3}down|pass\w*\s{1,3}up|declin\w*)\s{1,3}(?:the\s{1,3})?(?:chance|opportunity)\s{1,3}to|"
    r"discuss\w*\s{1,3}(?:an?\s{1,3}|the\s{1,3})?(?:[\w-]+\s{1,3})?(?:transfer|move|deal|switch|loan)|"
    r"reach\w*\s{1,3}(?:an?\s{1,3})?(?:[\w-]+\s{1,3}){0,2}?(?:agreement|deal|accord)|"
    r"(?:beat\w*|rival\w*|join\w*|overt[ao]k\w*|challeng\w*)\s{1,3}(?:[\w'\u2019.-]+,?\s{1,3}){1,6}?(?:to|for|in)"
    r"\s{1,3}the\s{1,3}(?:[\w£€$.,-]+\s{1,3})?(?:signing|signature|capture|deal|race|chase|battle|fight|hunt|running)|"
    r"(?:rival\w*|challeng\w*)\s{1,3}(?:(?-i:[A-Z])[\w'\u2019.-]*\s{1,3}){1,4}for\b|"
    r"join\w*\s{1,3}(?:[\w'\u2019.-]+,?\s{1,3}){1,6}?in\s{1,3}(?:\w+ly\s{1,3})?(?:being\s{1,3}linked|monitoring|tracking|"
    r"chasing|pursuing|watching|scouting|eyeing|targeting|showing\s{1,3}interest|expressing\s{1,3}interest))"
)
_SELL_VERBS = (
    r"(?:sell\w*|sold|confirm\w*\s{1,3}the\s{1,3}(?:sale|departure|exit)|agree\w*\s{1,3}to\s{1,3}(?:loan|sell|let)\b|loan\w*\s{1,3}(?:out\b|\w+\s{1,3}out\b|(?:[\w'-]+\s{1,3}){1,4}to\b)|rul\w*\s{1,3}out\s{1,3}(?:an?\s{1,3}|any\s{1,3})?(?:sale|selling|letting|offloading)\b|(?:send|sends|sending|sent)\s{1,3}(?:[\w'-]+\s{1,3}){1,4}?out\s{1,3}on\s{1,3}loan\b|offload\w*|off-load\w*|releas\w*|sack\w*|fire\b|"
    r"fired|dismiss\w*\s{1,3}(?:their|the)\s{1,3}(?:manager|coach|boss)|part\w*\s{1,3}ways|cash\w*\s{1,3}in|"
    r"listen\w*\s{1,3}to\s{1,3}offers|accept\w*|(?:reject\w*|turn\w*\s{1,3}down)(?!\s{1,3}(?:the\s{1,3})?"
    r"(?:chance|opportunity)\s{1,3}to\s{1,3}(?:re-?)?sign)|refus\w*|block\w*|"
    r"demand\w*|want\w*\s{1,3}(?:£|€|\$)|valu\w*|slap\w*|insist\w*|keep\w*\s{1,3}hold|"
    r"(?:extend\w*|renew\w*)\b(?!\s{1,3}(?:their|its|the)\s{1,3}interest)|"
    r"tie\w*\s{1,3}down|hand\w*\s{1,3}\w+\s{1,3}(?:a\s{1,3})?new|put\w*\s{1,3}\w+\s{1,3}up\s{1,3}for\s{1,3}sale|"
    r"make\w*\s{1,3}\w+\s{1,3}available|made\s{1,3}\w+\s{1,3}available|let\w*\s{1,3}\w+\s{1,3}go|"
    r"loss\b|lose\b|losing\b|(?:hold\w*|open\w*|enter\w*|begin\w*|start\w*)\s{1,3}(?:\w+\s{1,3})?contract\s{1,3}talks|"
    r"offer\w*\s{1,3}(?:[\w£€$.,'-]+\s{1,3}){0,5}?(?:new|improved|bumper|extended|fresh)\s{1,3}(?:contract|deal)|"
    r"(?:rejected|turned\s{1,3}down|knocked\s{1,3}back)\b(?!\s{1,3}(?:the\s{1,3})?(?:chance|opportunity)))"
)
_AFTER_SELL = re.compile(rf"^\s{{1,3}}(?:{_AUX}\s{{1,3}}){{0,6}}?{_SELL_VERBS}", re.IGNORECASE)
_AFTER_DEST = re.compile(rf"^\s{{1,3}}(?:{_AUX}\s{{1,3}}){{0,6}}?{_DEST_VERBS}", re.IGNORECASE)
_AFTER_DEST_LENIENT = re.compile(
    r"^\s{1,3}(?:[^\s,;.:!?]+\s{1,3}){0,8}?(?:to\s{1,3}(?:re-)?sign\b|signing\b|sign\b|to\s{1,3}bring\b|to\s{1,3}land\b|"
    r"to\s{1,3}secure\b|to\s{1,3}capture\b|(?:an?|their)\s{1,3}(?:[\w£€$.,-]+\s{1,3}){0,3}?(?:bid|offer|move|approach|"
    r"deal|swoop|enquiry|proposal)\s{1,3}for\b|interest\s{1,3}in\b|pursuit\s{1,3}of\b|their\s{1,3}(?:first|next|top|main|priority)\s{1,3}(?:signing|target)\b|(?:moves|bids|offers)\s{1,3}for\b|efforts?\s{1,3}to\b|race\s{1,3}(?:to|for)\b|"
    r"approach\w*\b|talks\s{1,3}(?:with|over|for)\b|(?:top\s{1,3}|main\s{1,3}|number\s{1,3}one\s{1,3}|no\s{1,3}1\s{1,3})?"
    r"(?:target|priority)\b|lead\w*\s{1,3}the\s{1,3}(?:charge|race|chase)|monitoring\b|"
    r"tracking\b|watching\b|chasing\b|keen\b|interested\b|eyeing\b|targeting\b|pursuing\b|circling\b|quoted\b)"
    r"|^\s{1,3}(?:need|needs|lack|lacks)\s{0,3}(?:[,.;:!?)\u201d\"]|$)",
    re.IGNORECASE,
)
_AFTER_DEST_HEADLINE = re.compile(
    r"^\s{1,3}(?:to\s{1,3})?(?:sign|signs|seal|seals|land|lands|complete|completes|capture|captures|"
    r"unveil|unveils|announce|announces|appoint|appoints|name|names|hire|hires|swoop|swoops|move|moves|"
    r"eye|eyes|target|targets|want|wants|chase|chases|plot|plots|bid|bids|rival|rivals|join|snap)\b",
    re.IGNORECASE,
)
_INTEREST_NOUNS = (
    r"(?:interest|bid|offer|approach|pursuit|move|deal\s{1,3}for|attempts?|efforts?|hopes?|plans?|chase|swoop|target|"
    r"top\s{1,3}target|priority|search|hunt|shortlist|radar|wishlist|wish\s{1,3}list|list|proposal|"
    r"advances|recruitment|scouts?|new\s{1,3}signing|signing|record\s{1,3}signing|next\s{1,3}manager|"
    r"next\s{1,3}coach|new\s{1,3}manager|new\s{1,3}coach|(?:new|next)\s{1,3}(?:head\s{1,3}coach|boss)|manager(?:ial)?\s{1,3}(?:search|shortlist|hunt)|"
    r"coaching\s{1,3}job|job|vacancy|hot\s{1,3}seat|dugout|project)"
)
_AFTER_POSSESSIVE_DEST = re.compile(
    rf"^['\u2019]s?\s{{1,3}}(?:[\w£€$.-]+\s{{1,3}}){{0,2}}?{_INTEREST_NOUNS}\b"
    r"(?!\s{1,3}to\s{1,3}(?:keep|retain|extend|hold|tie|renew))",
    re.IGNORECASE,
)
_AFTER_ROLE = re.compile(
    rf"^(?:\s{{1,3}}and\s{{1,3}}[A-Z][\w-]+)?(?:\s{{1,3}}[\w£€$.-]+-rated|\s{{1,3}}(?:first-team|young|"
    rf"academy|record|star|veteran|former|new|current|captain|club|first-choice|back-up|reserve|loaned-out|"
    rf"out-of-favour|injured|highly-rated|teenage|title-winning)){{0,2}}\s{{1,3}}(?P<role>{ROLE_NOUNS})s?\b",
    re.IGNORECASE,
)
#: "Sampdoria's Denmark midfielder ...", "Lille's Jonathan David": the club owns the player who follows.
_AFTER_POSSESSIVE_PLAYER = re.compile(
    rf"^['\u2019]s?\s{{1,3}}(?:(?:[\w£€$.-]+\s{{1,3}}){{0,4}}?(?:{ROLE_PLAYER})s?\b|(?-i:[A-Z])[\w'\u2019-]+"
    rf"\s{{1,3}}(?-i:[A-Z])|(?:\d{{2}}-year-old|young|teenage)\b)",
    re.IGNORECASE,
)
_AFTER_STAFF = re.compile(rf"^(?:['\u2019]s?)?\s{{1,3}}(?:{CLUB_STAFF})\b", re.IGNORECASE)
_NT_COACH_CUE = re.compile(
    r"^\s{1,3}(?:national\s{1,3}team\s{1,3})?(?:manager|boss|head\s{1,3}coach|coach|job|hot\s{1,3}seat|post|"
    r"role|vacancy|dugout)\b",
    re.IGNORECASE,
)


_EXIT_BEFORE = re.compile(
    r"\b(?:leave|leaves|leaving|quit|quits|quitting|exit|exits|exiting|depart|departs|departing|ditch|"
    r"ditches|ditching|abandon|abandons|walk\s{1,3}out|part\w*\s{1,3}ways)\W+(?:\w+\W+){0,6}$",
    re.IGNORECASE,
)
_NT_JOB_BEFORE = re.compile(
    r"\b(?:manager|boss|head\s{1,3}coach|coach|job|charge|helm|reins)\s{1,3}(?:of|at|with)\s{1,3}(?:the\s{1,3})?$",
    re.IGNORECASE,
)
_NAME_OR_ROLE_OF = re.compile(rf"(?:(?-i:[A-Z][\w'\u2019-]+)|\b(?:{ROLE_NOUNS}))\s{{1,3}}of" + _FILLER, re.IGNORECASE)
_AGENT_NAME = re.compile(r"^\s{1,3}(?:[A-Z][\w'\u2019-]+\s{0,3}){1,3}")
_SELL_FEE = re.compile(r"[£€$]|\bfee\b")
_SELL_NOT_EXIT = re.compile(
    r"\b(?:accept\w*|reject\w*|turn\w*\s{1,3}down|refus\w*|block\w*|insist\w*|keep\w*|"
    r"extend\w*|renew\w*|tie\w*\s{1,3}down|hand\w*|demand\w*|valu\w*|want\w*|slap\w*)\b",
    re.IGNORECASE,
)
_OFFERED_MAKEWEIGHT = re.compile(
    r"^\s{1,3}(?:have|has|had|were|was)\s{1,3}(?:been\s{1,3})?offered\s{1,3}(?:(?-i:[A-Z])[\w'\u2019-]*\s{1,3}){1,4}"
    r"(?:as\s{1,3}part\s{1,3}of|in\s{1,3}(?:a|any|the)\s{1,3}(?:[\w-]+\s{1,3})?(?:swap|exchange|deal)|plus\b)",
    re.IGNORECASE,
)
_NEW_ROLE_BEFORE = re.compile(
    r"(?:\b(?:as|(?:will|to)\s{1,3}be|is\s{1,3}now|becomes?|becoming)|(?:\b(?:is|was|been|being|be|he|she)"
    r"|(?-i:[A-Z])[\w'\u2019-]*)\s{1,3}(?:named|appointed))\s{1,3}(?:an?\s{1,3}|the\s{1,3})?(?:(?:new|next)\s{1,3})?$|"
    r"(?:^|[,;:!]\s{0,3}|\s[\u2013\u2014-]\s{1,3})new\s{1,3}$",
    re.IGNORECASE,
)
#: ... unless the role is one he leaves ("has stepped down as", "was sacked as") or held ("his time as").
_ROLE_LEFT_BEFORE = re.compile(
    r"\b(?:sacked|dismissed|fired|axed|resign\w*|quit|quits|left|leaves|leaving|leave|stepp?\w*\s{1,3}down|"
    r"relieved\s{1,3}of\s{1,3}(?:his|her)\s{1,3}duties|ousted|removed|(?P<past>time|spell|stint|tenure|reign))\b"
    r"(?:\s{1,3}\S+){0,4}?\s{1,3}as\s{1,3}(?:an?\s{1,3}|the\s{1,3})?$",
    re.IGNORECASE,
)
_EX_PREFIX = re.compile(r"\b(?:ex|former)-$", re.IGNORECASE)
_WANT_TO = re.compile(r"^\s{1,3}wants?\s{1,3}to\s", re.IGNORECASE)
_CONTRACT_TALK = re.compile(r"\bcontract\b|\bnew\s{1,3}deal\b|\bextension\b", re.IGNORECASE)


def classify_club(text: str, c: ClubMention, seg: Segment, previous_end: int = 0) -> None:
    """Decide whether a club mention is a destination, an origin, a former club or neutral.

    Sets ``c.role`` (and ``c.exit``, ``c.agent``, ``c.modifier``) from the words before the
    mention (never past the previous club mention: its own cue is not ours) and after it.
    """
    before = text[max(seg.start, previous_end, c.start - 90) : c.start]
    after = text[c.end : min(seg.end, c.end + 90)]
    if c.kind == "national_team":
        coach_job = _NT_COACH_CUE.match(re.sub(r"^['\u2019]s?", "", after)) or _NT_JOB_BEFORE.search(before)
        c.role = DEST if coach_job else NEUTRAL
        return
    if _AFTER_POSSESSIVE_DEST.match(after):
        c.role = DEST
        return
    role_m = _AFTER_ROLE.match(after)
    if role_m is not None and _NEW_ROLE_BEFORE.search(before):
        c.role = DEST  # "signs in as new AC Milan manager", "will be Manchester United player"
        left = _ROLE_LEFT_BEFORE.search(before)
        if left and left["past"]:  # "during his time as Lyon manager": a former club
            c.role = FORMER
        elif left:  # "stepped down as Lyon manager": the club he leaves
            c.role, c.exit = ORIGIN, True
        c.modifier = "coach" if re.fullmatch(ROLE_COACH, role_m.group("role"), re.IGNORECASE) else "player"
        return
    _role_from_before(c, before, after, role_m)
    if c.role == FORMER:
        return
    if c.role in (DEST, WITH) and _AFTER_POSSESSIVE_PLAYER.match(after):
        c.role = ORIGIN  # "linked with Sampdoria's Denmark midfielder X": his club, not where he goes
        return
    if role_m is not None:
        _role_from_role_noun(c, after, role_m)
    elif c.role == NEUTRAL:
        _role_from_after(c, after)


def _role_from_before(c: ClubMention, before: str, after: str, role_m: re.Match[str] | None) -> None:
    """The role given by the words before the mention: the first rule that matches wins."""
    if not before or before.isspace():  # (a third of the mentions: every rule needs a word)
        return
    if _EX_PREFIX.search(before):
        c.role = FORMER  # "Ex-Juventus centre-back"
        return
    folded = fold_case_twins(before)
    for role, rule in _BEFORE_RULES:
        if not rule.search(before, folded):
            continue
        if role == DEST and _NOT_A_MOVE_TO.search(before):
            continue
        if role == ORIGIN and role_m is None and _AFTER_STAFF.match(after) is None and _EXIT_BEFORE.search(before):
            c.exit = True
        c.role = role
        return
    if _TO_BEFORE.search(before, folded) and not _NOT_A_MOVE_TO.search(before):
        c.role = DEST
    elif _OF_BEFORE.search(before, folded) and _NAME_OR_ROLE_OF.search(before):
        c.role = ORIGIN


def _role_from_role_noun(c: ClubMention, after: str, role_m: re.Match[str]) -> None:
    """A club before a role noun ("Everton striker", "Arsenal boss Mikel Arteta wants ...")."""
    kind = "coach" if re.fullmatch(ROLE_COACH, role_m.group("role"), re.IGNORECASE) else "player"
    c.modifier = kind
    if kind == "player" and c.role in (DEST, WITH):
        c.role = ORIGIN  # "a move to Barcelona and France forward X": the club modifies the player
        return
    rest = after[role_m.end() :]
    # "Everton boss Sean Dyche wants ...": the club acts through its coach
    agent = _AGENT_NAME.match(rest)
    if kind == "coach" and agent and AGENT_VERB_AFTER.match(rest[agent.end() - 1 :] if agent.end() else rest):
        c.role, c.agent = DEST, True
    elif kind == "coach" and AGENT_VERB_AFTER.match(rest):
        c.role, c.agent = DEST, True
    elif c.role == NEUTRAL:
        c.role = ORIGIN


def _role_from_after(c: ClubMention, after: str) -> None:
    """The role of a still-neutral club from the words after it ("X are ready to sell", "X want")."""
    if _OFFERED_MAKEWEIGHT.match(after):
        return  # "Lens have been offered X as part of Y's bid for Z": the offer is about the makeweight
    staff = _AFTER_STAFF.match(after)
    if staff:
        rest = after[staff.end() :]
        if _AFTER_DEST.match(rest) or AGENT_VERB_AFTER.match(rest):
            c.role, c.agent = DEST, True
        return
    sell = _AFTER_SELL.match(after)
    if sell and (not _AFTER_DEST_HEADLINE.match(after) or _SELL_FEE.search(sell.group(0)) or _WANT_TO.match(after)):
        want_to = _WANT_TO.match(after)
        if not _SELL_NOT_EXIT.search(sell.group(0)[want_to.end() if want_to else 0 :]):
            c.exit = True
        c.role = ORIGIN
        return
    if _AFTER_DEST.match(after) or _AFTER_DEST_HEADLINE.match(after):
        c.role = DEST
        return
    lenient = _AFTER_DEST_LENIENT.match(after)
    if lenient and not _CONTRACT_TALK.search(lenient.group(0)):
        c.role = DEST
        return
    if AFTER_POSSESSIVE.match(after):
        c.role = ORIGIN
