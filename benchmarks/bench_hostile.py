"""Hostile-input scaling: does any entry point go quadratic on a pathological text?

Usage (from the repository root)::

    python benchmarks/bench_hostile.py [--start 10000] [--stop 640000] [--timeout 30]
                                       [--shapes dots,cues] [--entries tag,claims]

For each hostile *shape* (a long run of dots, of separators, of repeated cue words, one long token,
currency signs, digits, open brackets, line breaks, pronouns, descriptions of a person, names, club
names, denials of reports and past times, and a long source name such as ``"a." * n`` passed as
``source=``) and each entry point, the input is doubled from ``--start`` to ``--stop`` characters
and the time of one call is measured at each size (the best of a few calls while a call takes under
0.2 s). The table prints the time at the first size and the ratio at each doubling: near 2 is
linear, near 4 quadratic (times are the child's CPU time, ``time.process_time``, so that other load
on the machine counts less); ratios above :data:`FLAG_RATIO` are flagged with ``!``. ``score`` and
``score_frame`` truncate a text at ``MAX_TEXT_CHARS`` (20,000), so their ratios should fall to about
1 past it.

A steep step (ratio above the flag) of calls under a third of ``--timeout`` is timed again,
both sizes, and the smaller times kept, so that a burst of load on a shared machine is not
reported as a quadratic. Every series runs in a forked child process; a size whose time
does not arrive within ``--timeout`` seconds is reported as ``>T s`` and the larger sizes of that series are
skipped, so a quadratic case is reported, not waited for. Memoising caches (source resolution, the
article analysis) are cleared before each call so that repeats measure real work.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run against the source tree, installed or not

import pandas as pd  # noqa: E402

import rumourscore as rs  # noqa: E402

#: A doubling whose time ratio is above this is flagged (2 is linear, 4 quadratic).
FLAG_RATIO = 3.0
#: While a call takes less than this, it is repeated and the best time kept.
REPEAT_BELOW_S = 0.2
#: Most calls timed per size.
MAX_REPEATS = 5


def _cycle(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


#: Hostile text shapes: name -> function of the length.
SHAPES: dict[str, Callable[[int], str]] = {
    "dots": _cycle("."),
    "separators": _cycle(", ;"),
    "cues": _cycle("according to "),
    "long_token": _cycle("a"),
    "currency": _cycle("£€$"),
    "digits": _cycle("1234567890"),
    "brackets": _cycle("(["),
    "newlines": _cycle("x\n"),
    "pronouns": _cycle("he "),
    "descriptions": _cycle("the Spaniard "),
    "names": _cycle("Tom Reed "),
    "clubs": _cycle("Arsenal "),
    "denials": _cycle("Arsenal deny reports that they signed him and "),  # (each denial's clause)
    "past_times": _cycle("He signed last summer and in 2019 and "),  # (each past time's clause)
    "conditions": _cycle("unless they agree a fee and if he signs "),  # (each stage's condition)
    "questions": _cycle("Has he signed for Arsenal and will he join Chelsea "),  # (one long question, no "?" yet)
    "question_marks": _cycle("Has he signed? "),  # (many short questions)
    "signings": _cycle("Leeds, who signed Tom Reed in 2031, "),  # (earlier signings, later years)
    "source_name": _cycle("a."),
}
#: The shape passed as ``source=`` (the others are passed as the text).
SOURCE_SHAPE = "source_name"
#: A short rumour scored with a long source.
SHORT_TEXT = "Arsenal are keeping tabs on the striker, 24, and have had a £40m bid rejected."


def _clear_caches() -> None:
    """Forget memoised results so a repeated call does the work again."""
    from rumourscore import _tagger
    from rumourscore._claims import extraction

    resolve = getattr(_tagger, "_resolve_source", None)
    if resolve is not None and hasattr(resolve, "cache_clear"):
        resolve.cache_clear()
    recent = getattr(extraction, "_recent", None)
    if recent is not None:
        recent.clear()


def _score_frame(text: str) -> None:
    rs.score_frame(pd.DataFrame({"text": [text]}))


#: Entry points on a text: name -> call.
TEXT_ENTRIES: dict[str, Callable[[str], object]] = {
    "tag": rs.tag,
    "split_sentences": rs.split_sentences,
    "claims": rs.claims,
    "score": rs.score,
    "score_frame": _score_frame,
}
#: Entry points on a long source name.
SOURCE_ENTRIES: dict[str, Callable[[str], object]] = {
    "resolve_source": rs.resolve_source,
    "score(source=)": lambda s: rs.score(SHORT_TEXT, source=s),
    "claims(source=)": lambda s: rs.claims(SHORT_TEXT, source=s),
}


def _time_one(call: Callable[[str], object], value: str) -> float:
    best = float("inf")
    spent = 0.0
    for _ in range(MAX_REPEATS):
        _clear_caches()
        started = time.process_time()
        call(value)
        took = time.process_time() - started
        best = min(best, took)
        spent += took
        if spent >= REPEAT_BELOW_S:
            break
    return best


def _series(shape: str, entry: str, sizes: list[int], timeout: float, conn) -> None:
    """Child process: time ``entry`` on ``shape`` at each size, sending each time as it is measured."""
    call = {**TEXT_ENTRIES, **SOURCE_ENTRIES}[entry]
    make = SHAPES[shape]
    try:
        call(make(100))  # warm up: lexicons, compiled patterns, the model
        times: dict[int, float] = {}
        for i, n in enumerate(sizes):
            times[n] = _time_one(call, make(n))
            steep = i and times[n] > FLAG_RATIO * times[sizes[i - 1]]
            if steep and times[n] < timeout / 3:  # confirm a steep step (a short one may be load): time both again
                before = sizes[i - 1]
                times[before] = min(times[before], _time_one(call, make(before)))
                times[n] = min(times[n], _time_one(call, make(n)))
                conn.send((before, times[before]))
            conn.send((n, times[n]))
    except Exception as exc:  # reported as a failed call, not a traceback
        conn.send((None, f"{type(exc).__name__}: {exc}"))
    conn.close()


def run_series(shape: str, entry: str, sizes: list[int], timeout: float) -> list[float | None]:
    """Times at each size; ``None`` for a call that timed out or failed, and for every size after it."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_series, args=(shape, entry, sizes, timeout, child), daemon=True)
    proc.start()
    child.close()
    times: dict[int, float] = {}
    warmup = 60.0  # the first call loads the model and lexicons
    while len(times) < len(sizes):
        if not parent.poll(timeout + warmup):
            break
        warmup = 0.0
        try:
            n, took = parent.recv()
        except EOFError:
            break
        if n is None:
            print(f"  {shape}/{entry} failed: {took}", file=sys.stderr)
            break
        times[n] = took
    if proc.is_alive():
        proc.kill()
    proc.join()
    return [times.get(n) for n in sizes]


def _fmt_time(t: float) -> str:
    return f"{t * 1000:.1f} ms" if t < 1 else f"{t:.2f} s"


def format_row(shape: str, entry: str, times: list[float | None], timeout: float) -> tuple[str, list[str]]:
    """One table line, and the flagged doublings of the series."""
    cells = [shape, entry, _fmt_time(times[0]) if times[0] is not None else f">{timeout:g} s"]
    flags = []
    for i in range(1, len(times)):
        before, now = times[i - 1], times[i]
        if now is None:
            cells.append(f">{timeout:g}s" if before is not None else "-")
            if before is not None:
                flags.append(f"{shape}/{entry}: timed out at step {i}")
            continue
        ratio = now / before if before else float("inf")
        flagged = ratio > FLAG_RATIO
        cells.append(f"{ratio:.2f}{'!' if flagged else ''}")
        if flagged:
            flags.append(f"{shape}/{entry}: x{ratio:.1f} at step {i} ({_fmt_time(before)} -> {_fmt_time(now)})")
    return " | ".join(cells), flags


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table of doubling ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=int, default=10_000)
    parser.add_argument("--stop", type=int, default=640_000)
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds allowed for one call")
    parser.add_argument("--shapes", help="comma-separated subset of: " + ", ".join(SHAPES))
    parser.add_argument("--entries", help="comma-separated subset of: " + ", ".join([*TEXT_ENTRIES, *SOURCE_ENTRIES]))
    args = parser.parse_args(argv)
    sizes = []
    n = args.start
    while n <= args.stop:
        sizes.append(n)
        n *= 2
    shapes = args.shapes.split(",") if args.shapes else list(SHAPES)
    entries = args.entries.split(",") if args.entries else [*TEXT_ENTRIES, *SOURCE_ENTRIES]
    header = ["shape", "entry", f"t({sizes[0] // 1000}k)"] + [
        f"{a // 1000}k->{b // 1000}k" for a, b in zip(sizes, sizes[1:])
    ]
    print(f"time ratios per doubling (~2 linear, ~4 quadratic; '!' > {FLAG_RATIO:g})")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    flags: list[str] = []
    for shape in shapes:
        pool = SOURCE_ENTRIES if shape == SOURCE_SHAPE else TEXT_ENTRIES
        for entry in entries:
            if entry not in pool:
                continue
            line, found = format_row(shape, entry, run_series(shape, entry, sizes, args.timeout), args.timeout)
            print(line, flush=True)
            flags += found
    print()
    print("flagged:" if flags else "flagged: none")
    for flag in flags:
        print("  " + flag)
    return 0


if __name__ == "__main__":
    sys.exit(main())
