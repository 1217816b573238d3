"""What the tagger still misses: real rumour lines with no deal-stage tag, and their verbs.

Usage (from the repository root)::

    python benchmarks/untagged_real.py [--input PATH] [--top 40]

The input is ``rumours_unlabelled.csv`` in ``shared/real`` next to the repository (or next
to the folder that holds it, for a git worktree); the script says so and exits cleanly when
it is absent. The lines are real published text, used here for evaluation only: nothing of
them is written anywhere, only counts and the commonest lower-case words.

It prints how many lines carry no ``stage`` tag at all, then the commonest verbs and verb
phrases in those lines: the lower-case words right after a club name ("Arsenal *want*",
"Chelsea have *loaned*") and the words right before "to"/"for" plus a club ("*move* to
Arsenal", "*swoop* for Chelsea"). Those are the words a next lexicon row or rule should look at.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run against the source tree, installed or not

from rumourscore import tag  # noqa: E402
from rumourscore._lexicons import club_matcher  # noqa: E402

CANDIDATES = [REPO.parent / "shared" / "real", REPO.parent.parent / "shared" / "real"]

#: Auxiliaries after a club name: the verb phrase runs on to the next word ("have agreed").
AUXILIARIES = frozenset(
    "have has had are is was were will would could may might must can should shall be been being "
    "also now still already reportedly set ready".split()
)
#: Words after a club name that are no verb ("Arsenal and Chelsea", "Arsenal's").
NOT_VERBS = frozenset(
    "and or the a an of in on at from with by as but if than that who which to for this after when next "
    "transfer transfers target targets news fans".split()
)
#: Nouns that follow a club name as a title ("Arsenal midfielder", "Chelsea boss"): no verbs.
ROLES = frozenset(
    "midfielder striker forward defender winger goalkeeper keeper centre-back centre-forward full-back "
    "left-back right-back wing-back playmaker captain star boss manager coach head director president "
    "chairman owner owners international team-mate teammate youngster academy player players squad "
    "under-21 under-23 loanee legend".split()
)
_WORD = re.compile(r"^[a-z][a-z'\u2019-]*$")
_BEFORE = re.compile(r"([a-z][a-z'\u2019-]*)(?:\s+(?:a|an|the|his|their))?\s+(?:to|for)\s+$")


def default_input() -> Path | None:
    """The first ``rumours_unlabelled.csv`` found in the candidate ``shared/real`` folders."""
    for folder in CANDIDATES:
        path = folder / "rumours_unlabelled.csv"
        if path.is_file():
            return path
    return None


def read_texts(path: Path) -> list[str]:
    """The ``text`` column of a CSV file."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [row.get("text") or "" for row in csv.DictReader(fh)]


def verb_phrases(text: str) -> list[str]:
    """Lower-case words after a club name, and before "to"/"for" plus a club, in one text."""
    lower_pattern, any_case_pattern, _ = club_matcher()
    folded = text.lower()
    matches = lower_pattern.finditer(folded) if len(folded) == len(text) else any_case_pattern.finditer(text)
    out: list[str] = []
    for m in matches:
        words = text[m.end() : m.end() + 40].split()[:2]
        if text[m.end() : m.end() + 1] == " " and words and _is_verb(words[0]):
            aux = words[0] in AUXILIARIES and len(words) > 1 and _WORD.match(words[1])
            out.append(" ".join(words if aux else words[:1]))
        before = _BEFORE.search(text, max(0, m.start() - 40), m.start())
        if before and before.group(1) not in NOT_VERBS:
            out.append(f"{before.group(1)} {'for' if 'for' in before.group(0)[-5:] else 'to'}")
    return out


def _is_verb(word: str) -> bool:
    return bool(_WORD.match(word)) and word not in NOT_VERBS and word not in ROLES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=None, help="CSV with a text column")
    parser.add_argument("--top", type=int, default=40, help="how many phrases to print")
    args = parser.parse_args(argv)
    path = args.input or default_input()
    if path is None or not path.is_file():
        print("real lines not found (shared/real/rumours_unlabelled.csv): nothing to measure")
        return 0

    texts = read_texts(path)
    untagged = [t for t in texts if not any(x.kind == "stage" for x in tag(t))]
    counts = Counter(p for t in untagged for p in verb_phrases(t))
    share = len(untagged) / len(texts) if texts else 0.0
    print(f"input          : {path}")
    print(f"lines          : {len(texts):,}")
    print(f"no stage tag   : {len(untagged):,} ({share:.1%})")
    print(f"top {args.top} verbs and verb phrases next to a club in those lines:")
    for phrase, n in counts.most_common(args.top):
        print(f"  {n:5d}  {phrase}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
