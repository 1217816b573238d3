"""Batch throughput: ``rumourscore score BIG.csv -o OUT.csv`` against a plain baseline.

Builds a 500,000-row CSV (``../shared/real/rumours_unlabelled.csv`` repeated when present,
else generated lines), then times in the same run:

1. the rumourscore CLI end to end (full tagging, features, calibrated model, all cores);
2. the same CLI on a file of *distinct* lines (no de-duplication help);
3. a plain baseline: ``pandas.read_csv`` -> HashingVectorizer + LogisticRegression
   ``predict_proba`` -> ``to_csv`` (single process);
4. with ``--dask``: the distinct lines split into four files, ``--engine dask`` over the glob
   (a local cluster; partitions are scored concurrently and written in order).

Prints rows/s for each, the ratio, and peak RSS of each process tree.

Run: ``python benchmarks/bench_batch.py [--rows 500000] [--dask]``
"""

from __future__ import annotations

import argparse
import random
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
    import pandas as pd

    path = folder / ("distinct.csv" if distinct else "feed.csv")
    if REAL.exists() and not distinct:
        base = pd.read_csv(REAL, usecols=["text", "source", "date"])
        reps = rows // len(base) + 1
        pd.concat([base] * reps, ignore_index=True).iloc[:rows].to_csv(path, index=False)
        return path
    rnd = random.Random(0)
    clubs = ["Arsenal", "Chelsea", "Napoli", "Bayern", "Lyon", "Benfica", "Ajax", "Sevilla"]
    verbs = ["are keeping tabs on", "have opened talks for", "had a £{f}m bid rejected for",
             "agreed personal terms with", "could move for", "are set to complete a deal for"]  # fmt: skip
    srcs = ["Mirror", "Guardian", "Fabrizio Romano", "Marca", "Bild", "Daily Star"]
    with open(path, "w") as fh:
        fh.write("text,source,date\n")
        for i in range(rows):
            v = rnd.choice(verbs).format(f=rnd.randint(5, 120))
            date = f"2024-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}"
            fh.write(f'"{rnd.choice(clubs)} {v} player {i}, {rnd.randint(18, 34)}.",{rnd.choice(srcs)},{date}\n')
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--dask", action="store_true", help="also time --engine dask over four files")
    args = parser.parse_args()
    cli = [sys.executable, "-m", "rumourscore.cli", "score"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        feed = build(args.rows, folder, distinct=False)
        distinct = build(args.rows, folder, distinct=True)
        kind = "real lines repeated" if REAL.exists() else "generated"
        print(f"{args.rows} rows; input {feed.stat().st_size / 1e6:.0f} MB ({kind})")
        base_s, base_rss = timed([sys.executable, "-c", BASELINE, str(feed), str(folder / "base.csv")])
        print(f"baseline (read_csv + hashing + LR + to_csv): {args.rows / base_s:,.0f} rows/s, {base_s:.1f} s, "
              f"peak RSS {base_rss:.0f} MB")  # fmt: skip
        ours_s, ours_rss = timed([*cli, str(feed), "-o", str(folder / "out.csv"), "--quiet"])
        print(f"rumourscore CLI, real feed: {args.rows / ours_s:,.0f} rows/s, {ours_s:.1f} s, "
              f"peak RSS (largest process) {ours_rss:.0f} MB; ratio vs baseline {base_s / ours_s:.2f}")  # fmt: skip
        uniq_s, uniq_rss = timed([*cli, str(distinct), "-o", str(folder / "out2.csv"), "--quiet"])
        print(f"rumourscore CLI, all-distinct lines: {args.rows / uniq_s:,.0f} rows/s, {uniq_s:.1f} s, "
              f"peak RSS {uniq_rss:.0f} MB; ratio vs baseline {base_s / uniq_s:.2f}")  # fmt: skip
        if args.dask:
            lines = distinct.read_text().splitlines(keepends=True)
            quarter = (len(lines) - 1) // 4 + 1
            for k in range(4):
                (folder / f"part{k}.csv").write_text(lines[0] + "".join(lines[1 + k * quarter : 1 + (k + 1) * quarter]))
            dask_s, _ = timed([*cli, str(folder / "part*.csv"), "-o", str(folder / "out3.csv"), "--engine", "dask",
                               "--quiet"])  # fmt: skip
            print(f"rumourscore CLI --engine dask, 4 files of distinct lines: {args.rows / dask_s:,.0f} rows/s, "
                  f"{dask_s:.1f} s (cluster start included)")  # fmt: skip


if __name__ == "__main__":
    main()
