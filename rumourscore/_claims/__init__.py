"""Claims: pull each transfer claim out of an article and score it, sentence by sentence.

An article mixes rumours, facts and background. :func:`claims` finds every
*(subject, from club, to club)* claim in a text, decides whether it is a live rumour, a
completed move, a denied move or background, and scores the live ones with the rumour
model, sentence by sentence (:func:`rumourscore.aggregate`, in ``rumourscore._pool``, turns a
scored feed of many reports of one claim into one row per claim). No language model is downloaded:
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
   When another person is named, speakers ("X says ...", "X wants Arsenal to sign Y"),
   coaches, agents and officials named with their title ("Genoa boss X", "X, agent of Y")
   and the makeweights of a swap ("offer X in a swap deal for Y", "swap X for Y") are not
   subjects; a coach's club is a destination when he shows interest in the player ("says he
   would love to sign", "asked about").
4. A segment that only says the subject will leave a club ("Alonso will leave the German
   champions") makes an *exit* claim with ``to_club=None``. Descriptions such as "the
   German champions" map to the subject's current club when its country matches.
5. Sentences about the subject that name no club but carry deal stages ("the midfielder
   will undergo a medical on Friday") support the subject's latest claim; denials
   without a club ("he has no intention of leaving") count against all his claims. A
   sentence that names no one and no club ("Here we go!", "Medical booked.") goes the same
   way when the sentence before it gave evidence to exactly one live claim (for the first
   sentence of the text: the sentence after it), and its deal stages are live; with several
   claims in reach, or none, it supports none.
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

Modules
-------
``types``
    ``Claim``, ``Evidence`` and the mentions and drafts passed between the steps.
``vocabulary``
    the word lists, read once from ``lexicons/claims_vocabulary.csv``.
``mentions``
    club mentions (gazetteer, ambiguous aliases only with context) and name runs.
``coreference``
    people grouped into entities, objects flagged, pronouns and descriptions.
``club_roles``
    destination, origin, former club or neutral, from the words around a club.
``status``
    support, denial, completed or background, and a claim's status.
``sentences``
    the sentence-by-sentence pass that drafts claims and records their evidence.
``extraction``
    one pass over an article (each sentence tagged once), and the main claim of a report.
``scoring``
    the model's score of each evidence span, the combination rule, :func:`claims`.
``render``
    the plain-text table and the HTML page (from ``claims.html.tmpl``).
"""

from __future__ import annotations

from .render import format_claims, render_html
from .scoring import DENIAL_ODDS_FACTOR, MAX_DENIALS_APPLIED, claims, combine_evidence
from .types import CLAIM_STATUSES, ROLES, Claim, Evidence

__all__ = [
    "CLAIM_STATUSES",
    "DENIAL_ODDS_FACTOR",
    "MAX_DENIALS_APPLIED",
    "ROLES",
    "Claim",
    "Evidence",
    "claims",
    "combine_evidence",
    "format_claims",
    "render_html",
]
