"""Delimiter guessing on a hostile sample: ``guess_delimiter`` against ``csv.Sniffer``.

A line of ``,"a`` repeated makes ``csv.Sniffer`` super-linear (about a minute on 64 KiB);
rumourscore guesses by counting over at most 4 KiB. The tests check that the Sniffer is
never used; this script shows the times.

Run: ``python benchmarks/bench_tables.py``
"""

from __future__ import annotations

import csv
import time

from rumourscore._readers import SNIFF_BYTES, guess_delimiter


def sniffer(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def main() -> None:
    for size in (1024, 2048, 4096, 8192):
        sample = ',"a' * (size // 3)
        t0 = time.perf_counter()
        sniffer(sample)
        print(f"csv.Sniffer on {size:>6} hostile characters: {time.perf_counter() - t0:8.3f} s")
    sample = ',"a' * (SNIFF_BYTES // 3)
    t0 = time.perf_counter()
    guess_delimiter(sample)
    print(f"guess_delimiter on {SNIFF_BYTES} hostile characters: {time.perf_counter() - t0:8.5f} s")


if __name__ == "__main__":
    main()
