"""Throughput of the rumour tagger, in sentences per second on one core.

Usage (from the repository root)::

    python benchmarks/bench_tag.py [--input PATH] [--repeat 5] [--limit N]

The input is ``../shared/real/rumours_unlabelled.csv`` (next to the repository root, or next
to the folder of a git worktree) when it is present: its texts are split with
:func:`rumourscore.split_sentences` and every sentence is tagged. Otherwise generated
rumour-like sentences are used. The same sentences also go through a plain
``str.lower().split()`` pass in the same run, as a floor for what any per-sentence Python
work costs on this machine; the ratio of the two rates is printed too, as it travels between
machines better than the rates. ``scan()`` (the tags plus the clubs and signal terms the
features need, in the same pass) is timed as well. The process is pinned to one CPU where the
OS allows it; the passes of the three functions are interleaved, and the best (least disturbed
by other load) and the median of ``--repeat`` passes are reported.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = next(
    (
        p
        for p in (d / "shared" / "real" / "rumours_unlabelled.csv" for d in (REPO.parent, REPO.parent.parent))
        if p.is_file()
    ),
    REPO.parent / "shared" / "real" / "rumours_unlabelled.csv",
)
sys.path.insert(0, str(REPO))  # run against the source tree, installed or not

from rumourscore import split_sentences, tag  # noqa: E402
from rumourscore._tagger import scan  # noqa: E402

_CLUBS = ["Arsenal", "Chelsea", "Real Madrid", "Bayern Munich", "Napoli", "Juventus", "Benfica", "Lyon"]
_PLAYERS = ["Tom Baker", "Luis Ortega", "Marco Bellini", "Jan Vogel", "Paul Girard", "Sam Okoro"]
_TEMPLATES = [
    "{c} are keeping tabs on {p}, {a}, according to Marca.",
    "{c} have made a £{f}m bid for {p}, whose contract runs until 20{y}. (Sun - subscription required)",
    "Here we go! {p} joins {c} on a five-year contract, medical booked for tomorrow.",
    "{c} could move for the {a}-year-old {p} if the price is right, reports in Spain suggest.",
    "{p} has rejected a new deal worth €{w}0,000 a week and is not for sale, per Sky Sports.",
    "{c} want {p} on a loan with an option to buy for €{f} million plus add-ons.",
    "{p}'s release clause of €{f}0m has put off {c}, who are considering other targets.",
    "{c} won 2-1 at home in front of 50,000 fans on Saturday.",
    "Sources close to {p} say talks have broken down over personal terms.",
    "{c} are closing in on a three-and-a-half-year deal for {p}, who was born in 1998.",
]


def generated_sentences(n: int = 20_000, seed: int = 0) -> list[str]:
    """Rumour-like sentences from templates (used when the real corpus is absent)."""
    rng = random.Random(seed)
    return [
        rng.choice(_TEMPLATES).format(
            c=rng.choice(_CLUBS),
            p=rng.choice(_PLAYERS),
            a=rng.randint(17, 35),
            f=rng.randint(5, 99),
            w=rng.randint(5, 40),
            y=rng.randint(24, 30),
        )
        for _ in range(n)
    ]


def real_sentences(path: Path) -> list[str]:
    """Every sentence of every text in a CSV with a ``text`` column."""
    with path.open(encoding="utf-8", newline="") as fh:
        texts = [row["text"] or "" for row in csv.DictReader(fh)]
    return [text[s:e] for text in texts for s, e in split_sentences(text)]


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity on this OS)"


def rates(fns: dict[str, Callable[[str], object]], sentences: list[str], repeat: int) -> dict[str, tuple[float, float]]:
    """Sentences per second of each function: (best, median) of ``repeat`` interleaved passes."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            for s in sentences:
                fn(s)
            times[name].append(time.perf_counter() - start)
    return {name: (len(sentences) / min(t), len(sentences) / statistics.median(t)) for name, t in times.items()}


def _lower_split(s: str) -> list[str]:
    return s.lower().split()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--input", type=Path, default=DEFAULT_INPUT, help="CSV with a text column")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes; the best and the median are reported")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N sentences (0: all)")
    args = parser.parse_args(argv)

    pinned = pin_to_one_core()
    if args.input.is_file():
        sentences, origin = real_sentences(args.input), str(args.input)
    else:
        sentences, origin = generated_sentences(), "generated sentences (real corpus not found)"
    if args.limit:
        sentences = sentences[: args.limit]
    if not sentences:
        print("no sentences to measure", file=sys.stderr)
        return 1

    scan("warm up: build the automaton, load the lexicons")
    n_tags = sum(len(tag(s)) for s in sentences)
    found = rates({"tag": tag, "scan": scan, "split": _lower_split}, sentences, args.repeat)
    (tag_best, tag_median), (scan_best, scan_median), (split_best, split_median) = found.values()

    chars = sum(map(len, sentences)) / len(sentences)
    print(f"input      : {origin}")
    print(f"sentences  : {len(sentences):,} (mean {chars:.0f} chars), {n_tags:,} tags")
    print(f"machine    : Python {platform.python_version()} on {platform.machine()}, {pinned}, {args.repeat} passes")
    print("             sentences/s     best       median")
    print(f"tag()      : {tag_best:>20,.0f} {tag_median:>12,.0f}")
    print(f"scan()     : {scan_best:>20,.0f} {scan_median:>12,.0f}   (tags + clubs + signal terms)")
    print(f"lower+split: {split_best:>20,.0f} {split_median:>12,.0f}")
    print(
        f"ratio      : tag() is {split_best / tag_best:.1f}x (median {split_median / tag_median:.1f}x) "
        "slower than str.lower().split()"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
