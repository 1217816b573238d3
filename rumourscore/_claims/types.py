"""The values of the claims package: public ``Claim`` and ``Evidence``, and the mentions and drafts
that the extraction passes between its steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .._tagger import Tag

__all__ = [
    "CLAIM_STATUSES",
    "DEST",
    "FORMER",
    "NEUTRAL",
    "ORIGIN",
    "ROLES",
    "WITH",
    "Claim",
    "ClubMention",
    "Draft",
    "Evidence",
    "PersonMention",
    "Segment",
]

#: The statuses a claim can have.
CLAIM_STATUSES = ("rumour", "completed", "denied", "background")
#: The roles of a claim's subject.
ROLES = ("player", "coach")
#: Roles of a club mention: where the subject goes, where he is, talks "with" it, a former club, none.
DEST, ORIGIN, WITH, FORMER, NEUTRAL = "dest", "origin", "with", "former", "neutral"


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
        Combined score of a rumour or denied claim (see the package docs); ``None`` for
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

    def _repr_html_(self) -> str:
        """Jupyter: the claim's sentences highlighted as in the HTML view, with their scores."""
        from .render import claim_html

        return claim_html(self)


@dataclass(slots=True)
class ClubMention:
    """A club named in the text, with the role the words around it give it."""

    start: int
    end: int
    club: str
    kind: str
    country: str
    text: str
    role: str = NEUTRAL
    exit: bool = False  # an exit verb governs this origin ("leave X", "X ready to sell")
    agent: bool = False  # the club acts through its coach/staff ("X boss Y wants")
    modifier: str | None = None  # "player"/"coach" when the club modifies a role noun ("X striker")


@dataclass(slots=True)
class PersonMention:
    """A person named in the text, or a pronoun or description standing for one."""

    start: int
    end: int
    key: str  # entity key (folded full name)
    text: str
    obj: bool = False  # object of a succession, agent, passive agent: never a claim subject
    anaphor: bool = False  # "he", "the 42-year-old", ...
    head: str = ""  # for descriptions: the head noun ("midfielder", "boss")


@dataclass(slots=True)
class Segment:
    """A stretch of a sentence between contrastive joints (", though", ", while", ";")."""

    start: int
    end: int


@dataclass
class Draft:
    """A claim being assembled: subject key, destination and its evidence."""

    subject: str
    to_club: str | None
    from_club: str | None = None
    # (start, end, role, starts of the denials in the span that do not concern this claim)
    evidence: list[tuple[int, int, str, tuple[int, ...]]] = field(default_factory=list)
    first_pos: int = 0
