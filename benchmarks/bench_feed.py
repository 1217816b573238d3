"""Feed throughput: ``rumourscore score FEED.csv -o OUT.csv --feed`` against plain batch scoring of the same file.

Builds an N-row feed (default 500,000) from the real lines (``../shared/real/rumours_dev.csv``
and ``rumours_unlabelled.csv``, else ``/work/shared/real``; else the shipped corpus
``data/reports.csv``), repeated with each copy's dates moved on by one day per copy, so every
(text, source, date) is distinct and de-duplication does not help. The rows are shuffled
(a feed need not be sorted) and keep their ``subject`` and ``to_club`` columns (``--distinct``:
each copy's texts end in " ref <copy>", so no two texts are the same); by default
only the lines where both are given are used (``--all-lines`` keeps the others too: their
claims then come from the claim extractor). The files are temporary timing loads, deleted at
the end.

Times, in the same run and on the same file:

1. plain batch scoring (``rumourscore score FEED.csv -o OUT.csv``);
2. feed scoring (``... --feed``), with the subject and destination columns given;
3. feed scoring with the name columns ignored (``--subject-col - --to-club-col -``): every
   row's claim comes from the claim extractor (on the first ``--extract-rows`` rows, default
   100,000: the rate is what is measured).

Runs 1 and 2 are interleaved ``--repeat`` times (default 3), so both see the same machine load;
prints rows/s of each run, the medians, the feed/batch ratio of the medians (target >= 0.8)
and the peak resident memory (VmHWM, sampled from /proc) of every process of each run
(target < 1 GB each).

Run: ``python benchmarks/bench_feed.py [--rows 5000000] [--jobs 0] [--repeat 3] [--all-lines] [--distinct]
[--extract-rows N]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REAL_FOLDERS = (REPO.parent / "shared" / "real", Path("/work/shared/real"))
REAL_FILES = ("rumours_dev.csv", "rumours_unlabelled.csv")
#: Seconds between two samples of the process tree's memory.
SAMPLE_SECONDS = 0.2


def load_lines(all_lines: bool) -> tuple[object, str]:
    """The real lines (text, source, date, subject, to_club), or the corpus's; and where they came from."""
    import pandas as pd

    columns = ["text", "source", "date", "subject", "to_club"]
    for folder in REAL_FOLDERS:
        if all((folder / name).exists() for name in REAL_FILES):
            frames = [pd.read_csv(folder / name, usecols=columns) for name in REAL_FILES]
            lines, origin = pd.concat(frames, ignore_index=True), f"real lines ({folder})"
            break
    else:
        lines, origin = pd.read_csv(REPO / "data" / "reports.csv", usecols=columns), "the corpus (data/reports.csv)"
    if not all_lines:
        lines, origin = lines.dropna(subset=["subject", "to_club"]), origin + " with subject and to_club given"
    return lines, origin


def build(rows: int, path: Path, all_lines: bool, distinct: bool = False) -> str:
    """Write the feed; return a description of its lines (``distinct``: each copy's texts end in " ref <copy>")."""
    import pandas as pd

    base, origin = load_lines(all_lines)
    base = base.dropna(subset=["date"]).reset_index(drop=True)
    days = pd.to_datetime(base["date"], errors="coerce", format="mixed")
    copies = rows // len(base) + 1
    with open(path, "w", encoding="utf-8", newline="") as fh:
        written = 0
        for copy in range(copies):
            part = base.assign(date=(days + dt.timedelta(days=copy)).dt.strftime("%Y-%m-%d"))
            if distinct:  # every text distinct, and so every name-masked text
                part = part.assign(text=part["text"] + f" ref {copy}")
            part = part.iloc[: rows - written].sample(frac=1.0, random_state=copy)
            part.to_csv(fh, index=False, header=copy == 0)
            written += len(part)
    return f"{origin}, {len(base)} lines x {copies} copies" + (", every text distinct" if distinct else "")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def _hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def timed(cmd: list[str]) -> tuple[float, dict[int, float]]:
    """Wall seconds and the peak RSS (MB) of every process of the command's tree, sampled from /proc."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peaks: dict[int, float] = {}
    while proc.poll() is None:
        tree, todo = _children(), [proc.pid]
        while todo:
            pid = todo.pop()
            hwm = _hwm_mb(pid)
            if hwm is not None:
                peaks[pid] = max(peaks.get(pid, 0.0), hwm)
            todo += tree.get(pid, [])
        time.sleep(SAMPLE_SECONDS)
    seconds = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode()[-2000:]}")
    return seconds, peaks


def report(name: str, rows: int, seconds: float, peaks: dict[int, float]) -> float:
    rate = rows / seconds
    memory = ", ".join(f"{mb:.0f}" for mb in sorted(peaks.values(), reverse=True))
    print(f"{name}: {rate:,.0f} rows/s ({seconds:.1f} s); peak RSS per process (MB): {memory}", flush=True)
    return rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--jobs", default="0", help="worker processes (0: all cores)")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved runs of batch and feed scoring")
    parser.add_argument("--all-lines", action="store_true", help="also the lines without a subject or to_club")
    parser.add_argument("--distinct", action="store_true", help="make every text distinct (memory of the copy check)")
    parser.add_argument("--extract-rows", type=int, default=100_000, help="rows of the claim-extraction run")
    args = parser.parse_args()
    cli = [sys.executable, "-m", "rumourscore.cli", "score", "--quiet", "--jobs", args.jobs]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        feed = folder / "feed.csv"
        origin = build(args.rows, feed, args.all_lines, args.distinct)
        print(f"{args.rows:,} rows, {feed.stat().st_size / 1e6:.0f} MB: {origin}", flush=True)
        rates: dict[str, list[float]] = {"batch  ": [], "--feed ": []}
        for run in range(args.repeat):  # interleaved, so that both see the same machine load
            print(f"run {run + 1} of {args.repeat}", flush=True)
            batch = timed([*cli, str(feed), "-o", str(folder / "batch.csv")])
            rates["batch  "].append(report("batch  ", args.rows, *batch))
            rates["--feed "].append(report("--feed ", args.rows, *timed(
                [*cli, str(feed), "-o", str(folder / "feed_out.csv"), "--feed"])))  # fmt: skip
        ratios = sorted(f / b for b, f in zip(rates["batch  "], rates["--feed "]))
        for name, values in rates.items():
            print(f"{name}: median {statistics.median(values):,.0f} rows/s, best {max(values):,.0f}", flush=True)
        ratio = statistics.median(rates["--feed "]) / statistics.median(rates["batch  "])
        print(f"feed / batch rate ratio: {ratio:.2f} of the medians (target >= 0.8); per run "
              f"{', '.join(f'{r:.2f}' for r in ratios)}", flush=True)  # fmt: skip
        head = folder / "head.csv"
        build(min(args.extract_rows, args.rows), head, args.all_lines)
        names = [str(head), "-o", str(folder / "extract.csv"), "--feed", "--subject-col", "-", "--to-club-col", "-"]
        extracted = report(f"--feed, names from the text ({min(args.extract_rows, args.rows):,} rows)",
                           min(args.extract_rows, args.rows), *timed([*cli, *names]))  # fmt: skip
        print(f"claim extraction / median batch rate ratio: {extracted / statistics.median(rates['batch  ']):.2f}",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
