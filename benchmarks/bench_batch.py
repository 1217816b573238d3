"""Batch throughput: ``rumourscore score FILE -o OUT.csv`` against a plain baseline on the same file.

Builds two 500,000-row CSVs from the real lines (``../shared/real/rumours_unlabelled.csv``;
generated lines when absent): the lines *repeated*, and the same lines made *all distinct* by
appending a name, the row number and a fee (real length, no de-duplication help). On each file,
in the same run, interleaved ``--repeat`` times (default 3):

- the baseline: ``pandas.read_csv`` -> HashingVectorizer + LogisticRegression ``predict_proba``
  -> ``to_csv`` (single process);
- the rumourscore CLI end to end (tagging, features, calibrated model; ``--jobs``, default 2).

Prints the median rows/s of each, the peak RSS, and the min / median / best of the per-run
ratio (baseline seconds / rumourscore seconds). With ``--dask``: the distinct lines split into
four files, ``--engine dask`` over the glob against the plain CLI on the one file (interleaved
``--repeat`` times too; ``--dask-only`` skips the other comparisons).

Run: ``python benchmarks/bench_batch.py [--rows 500000] [--repeat 3] [--jobs 2] [--dask | --dask-only]``
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REAL = REPO.parent / "shared" / "real" / "rumours_unlabelled.csv"

BASELINE = r"""
import sys, time, numpy as np, pandas as pd
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression
src, dst = sys.argv[1], sys.argv[2]
rng = np.random.default_rng(0)
vec = HashingVectorizer(n_features=2**18, ngram_range=(1, 2), alternate_sign=False)
train = [f"sample rumour {i} keen bid medical" for i in range(2000)]
clf = LogisticRegression(max_iter=200).fit(vec.transform(train), rng.integers(0, 2, 2000))
t = time.perf_counter()
df = pd.read_csv(src)
df["likelihood"] = clf.predict_proba(vec.transform(df["text"].fillna("").astype(str)))[:, 1]
df.to_csv(dst, index=False)
"""


def build(rows: int, folder: Path, distinct: bool) -> Path:
    """The repeated file (real lines, repeated) or the all-distinct one (each line made distinct).

    The distinct file holds the same real lines with a name, a row number and a fee appended, so
    that rows keep a real length and no two are alike (de-duplication cannot help). Without the
    real lines, generated rumour lines are used for both.
    """
    import pandas as pd

    path = folder / ("distinct.csv" if distinct else "feed.csv")
    rnd = random.Random(0)
    if REAL.exists():
        base = pd.read_csv(REAL, usecols=["text", "source", "date"])
        reps = rows // len(base) + 1
        frame = pd.concat([base] * reps, ignore_index=True).iloc[:rows]
        if distinct:
            names = ["Tom Baker", "Luis Ortega", "Marco Bellini", "Jan Vogel", "Paul Girard", "Sam Okoro"]
            frame = frame.assign(text=[f"{t} {rnd.choice(names)} {i} \u00a3{rnd.randint(1, 90)}m"
                                       for i, t in enumerate(frame["text"].fillna(""))])  # fmt: skip
        frame.to_csv(path, index=False)
        return path
    clubs = ["Arsenal", "Chelsea", "Napoli", "Bayern", "Lyon", "Benfica", "Ajax", "Sevilla"]
    verbs = ["are keeping tabs on", "have opened talks for", "had a £{f}m bid rejected for",
             "agreed personal terms with", "could move for", "are set to complete a deal for"]  # fmt: skip
    srcs = ["Mirror", "Guardian", "Fabrizio Romano", "Marca", "Bild", "Daily Star"]
    with open(path, "w") as fh:
        fh.write("text,source,date\n")
        for i in range(rows):
            v = rnd.choice(verbs).format(f=rnd.randint(5, 120))
            date = f"2024-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}"
            player = f"player {i}" if distinct else f"player {i % 500}"
            fh.write(f'"{rnd.choice(clubs)} {v} {player}, {rnd.randint(18, 34)}.",{rnd.choice(srcs)},{date}\n')
    return path


#: Runs a command and prints the peak RSS (kB) of the largest process in its tree.
_PEAK = (
    "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, largest single process) of one command."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _PEAK, *cmd], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    return seconds, int(out.stdout.strip().splitlines()[-1]) / 1024


def compare(name: str, path: Path, rows: int, folder: Path, repeat: int, jobs: str) -> None:
    """Baseline and CLI on the same file, interleaved ``repeat`` times; min and median of each and of the ratio."""
    cli = [sys.executable, "-m", "rumourscore.cli", "score", str(path), "-o", str(folder / "out.csv"), "--quiet",
           "--jobs", jobs]  # fmt: skip
    base_runs, ours_runs = [], []
    for _ in range(repeat):
        base_runs.append(timed([sys.executable, "-c", BASELINE, str(path), str(folder / "base.csv")]))
        ours_runs.append(timed(cli))
    base_s = [s for s, _ in base_runs]
    ours_s = [s for s, _ in ours_runs]
    ratios = [b / o for b, o in zip(base_s, ours_s)]
    print(f"{name}: baseline {rows / statistics.median(base_s):,.0f} rows/s (median; peak RSS "
          f"{max(m for _, m in base_runs):.0f} MB), rumourscore {rows / statistics.median(ours_s):,.0f} rows/s "
          f"(peak RSS, largest process, {max(m for _, m in ours_runs):.0f} MB); ratio min "
          f"{min(ratios):.2f} / median {statistics.median(ratios):.2f} / best {max(ratios):.2f}",
          flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs of each command")
    parser.add_argument("--jobs", default="2", help="worker processes of the CLI")
    parser.add_argument("--dask", action="store_true", help="also time --engine dask over four files")
    parser.add_argument("--dask-only", action="store_true", help="time only --engine dask against the plain CLI")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        feed = build(args.rows, folder, distinct=False)
        distinct = build(args.rows, folder, distinct=True)
        kind = "real lines" if REAL.exists() else "generated lines"
        print(f"{args.rows} rows of {kind}; repeated file {feed.stat().st_size / 1e6:.0f} MB, distinct file "
              f"{distinct.stat().st_size / 1e6:.0f} MB; --jobs {args.jobs}, {args.repeat} runs each",
              flush=True)  # fmt: skip
        if not args.dask_only:
            compare("repeated lines", feed, args.rows, folder, args.repeat, args.jobs)
            compare("all-distinct lines", distinct, args.rows, folder, args.repeat, args.jobs)
        if args.dask or args.dask_only:
            compare_dask(distinct, args.rows, folder, args.repeat)


def compare_dask(distinct: Path, rows: int, folder: Path, repeat: int) -> None:
    """``--engine dask`` over the distinct lines in four files against the plain CLI on the one file, interleaved."""
    cli = [sys.executable, "-m", "rumourscore.cli", "score", "--quiet"]
    lines = distinct.read_text().splitlines(keepends=True)
    quarter = (len(lines) - 1) // 4 + 1
    for k in range(4):
        (folder / f"part{k}.csv").write_text(lines[0] + "".join(lines[1 + k * quarter : 1 + (k + 1) * quarter]))
    plain, dask = [], []
    for _ in range(repeat):
        plain.append(timed([*cli, str(distinct), "-o", str(folder / "out2.csv")])[0])
        dask.append(timed([*cli, str(folder / "part*.csv"), "-o", str(folder / "out3.csv"), "--engine", "dask"])[0])
    ratios = sorted(p / d for p, d in zip(plain, dask))
    print(f"--engine dask, the distinct lines in 4 files: {rows / statistics.median(dask):,.0f} rows/s against "
          f"{rows / statistics.median(plain):,.0f} for the plain CLI on one file (medians; cluster start included); "
          f"ratio min {ratios[0]:.2f} / median {statistics.median(ratios):.2f} / best {ratios[-1]:.2f}")  # fmt: skip

if __name__ == "__main__":
    main()
