"""Agreement of the claim extractor with the heuristic subject/to_club columns of the real lines.

Usage (from the repository root)::

    python benchmarks/claims_real_agreement.py [--limit N] [--show K] [--family NAME]

The input is ``rumours_dev.csv`` and ``rumours_unlabelled.csv`` in ``shared/real`` next to the
repository (or next to the folder that holds it, for a git worktree); the script says so and
exits cleanly when the folder is absent. The lines are real published text, used here for
evaluation only: nothing of them is written anywhere.

Their ``subject`` and ``to_club`` columns were parsed from the text by someone else's heuristic
and are sometimes wrong, so the rates printed here are a second opinion on the extractor, not
a target. For every line :func:`rumourscore._claims.extraction.primary_claim` gives the main
claim (no hint passed); the subject agrees when the two names are the same person (accents
folded, full name or surname), the destination when both map to the same canonical club
(``canonical_club``). Rates are printed per file and per family; ``--show K`` prints the first
K disagreements of each file to the terminal (never to a file) for reading.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run against the source tree, installed or not

from rumourscore._claims.extraction import primary_claim  # noqa: E402
from rumourscore._claims.vocabulary import fold  # noqa: E402
from rumourscore._pool import canonical_club  # noqa: E402

CANDIDATES = [REPO.parent / "shared" / "real", REPO.parent.parent / "shared" / "real"]
FILES = ("rumours_dev.csv", "rumours_unlabelled.csv")


def real_folder() -> Path | None:
    """The first ``shared/real`` folder holding the real lines, or None."""
    for folder in CANDIDATES:
        if any((folder / name).is_file() for name in FILES):
            return folder
    return None


def same_subject(expected: str, found: str | None) -> bool:
    """The same person: equal folded names, or one name's surname equal to the other's."""
    if not found:
        return False
    a, b = fold(expected), fold(found)
    if a == b:
        return True
    a_words, b_words = a.split(" "), b.split(" ")
    return a_words[-1] == b_words[-1] or a in b_words or b in a_words


def same_club(expected: str, found: str | None) -> bool:
    """The same club after canonicalisation (an unknown name compares folded)."""
    if not found:
        return False
    return (canonical_club(expected) or fold(expected)) == (canonical_club(found) or fold(found))


def measure(path: Path, limit: int | None, show: int, family: str | None) -> None:
    """Print the agreement rates of one file, per family and overall."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if family is None or r.get("family") == family]
    rows = rows[:limit] if limit else rows
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # subject n, agree, club n, agree
    shown = 0
    for row in rows:
        text = row.get("text") or ""
        subject, to_club, _ = primary_claim(text, row.get("date") or None)
        fam = row.get("family") or "?"
        subj_ok = club_ok = True
        for key in (fam, "all"):
            c = counts[key]
            if row.get("subject"):
                subj_ok = same_subject(row["subject"], subject)
                c[0] += 1
                c[1] += subj_ok
            if row.get("to_club"):
                club_ok = same_club(row["to_club"], to_club)
                c[2] += 1
                c[3] += club_ok
        if (not subj_ok or not club_ok) and shown < show:
            shown += 1
            print(f"  {row.get('id')}: {text[:200]!r}\n    columns: {row.get('subject')} -> {row.get('to_club')}"
                  f" | extractor: {subject} -> {to_club}")  # fmt: skip
    print(f"{path.name}: {len(rows)} lines")
    print(f"  {'family':<28}{'subject':>10}{'n':>7}{'to_club':>10}{'n':>7}")
    for key in sorted(counts, key=lambda k: (k == "all", k)):
        n_s, ok_s, n_c, ok_c = counts[key]
        rate_s = f"{ok_s / n_s:.1%}" if n_s else "-"
        rate_c = f"{ok_c / n_c:.1%}" if n_c else "-"
        print(f"  {key:<28}{rate_s:>10}{n_s:>7}{rate_c:>10}{n_c:>7}")


def main(argv: list[str] | None = None) -> int:
    """Run the comparison on the real files that are present."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N lines of each file only")
    parser.add_argument("--show", type=int, default=0, help="print the first K disagreements of each file")
    parser.add_argument("--family", default=None, help="only the lines of this family")
    args = parser.parse_args(argv)
    folder = real_folder()
    if folder is None:
        print("real lines not found (shared/real/rumours_dev.csv): nothing to measure")
        return 0
    print("agreement with heuristic columns (a second opinion, not a target)")
    for name in FILES:
        if (folder / name).is_file():
            measure(folder / name, args.limit, args.show, args.family)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
