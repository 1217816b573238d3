"""The long fuzzing campaign: ``tests/test_fuzz.py`` under the ``long`` Hypothesis profile.

Usage (from the repository root)::

    python benchmarks/fuzz_long.py [--tests test_tag,test_score] [--examples 20000]

Each fuzz test (each entry point) runs in its own ``pytest --hypothesis-profile=long``
process, one after another, with Hypothesis' statistics on; the script prints, per test,
the examples run (passing, failing, invalid), the seconds spent and the outcome. The
``long`` profile runs at least 20,000 examples per test (``--examples`` sets the count
through ``RUMOURSCORE_FUZZ_EXAMPLES``, read by ``tests/conftest.py``). By default every
fuzz test runs; the slow ones (whole files through the CLI, ``aggregate``) take the longest.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEST_FILE = "tests/test_fuzz.py"
#: The fuzz tests, fastest first (one per entry point; the CLI test once per input format).
FUZZ_TESTS = (
    "test_resolve_source", "test_tag", "test_split_sentences", "test_score", "test_score_rejects_non_text",
    "test_explain", "test_claims", "test_render_html", "test_score_frame", "test_score_feed", "test_aggregate",
    "test_cli_files[csv]", "test_cli_files[tsv]", "test_cli_files[jsonl]", "test_cli_files[parquet]",
)  # fmt: skip
_COUNTS = re.compile(r"(\d+) passing(?: examples?)?, (\d+) failing(?: examples?)?,? (?:and )?(\d+) invalid")


def parse_statistics(output: str) -> dict[str, int]:
    """Examples per outcome summed over the phases of Hypothesis' ``--hypothesis-show-statistics`` text."""
    totals = {"passing": 0, "failing": 0, "invalid": 0}
    for m in _COUNTS.finditer(output):
        totals["passing"] += int(m[1])
        totals["failing"] += int(m[2])
        totals["invalid"] += int(m[3])
    return totals


def run_test(name: str, examples: int | None) -> tuple[dict[str, int], float, str]:
    """Run one fuzz test under the long profile: its example counts, seconds and outcome."""
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if examples:
        env["RUMOURSCORE_FUZZ_EXAMPLES"] = str(examples)
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--hypothesis-profile=long",
               "--hypothesis-show-statistics", f"{TEST_FILE}::{name}"]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    tail = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()[-200:]
    return parse_statistics(done.stdout), seconds, tail


def main(argv: list[str] | None = None) -> int:
    """Run the campaign and print the examples run per entry point; exit 1 if a test failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tests", help="comma-separated subset of: " + ", ".join(FUZZ_TESTS))
    parser.add_argument("--examples", type=int, help="examples per test (default: the long profile's 20,000)")
    args = parser.parse_args(argv)
    names = args.tests.split(",") if args.tests else list(FUZZ_TESTS)
    print(f"{'test':<32} {'passing':>8} {'failing':>8} {'invalid':>8} {'seconds':>8}  outcome", flush=True)
    failed = False
    for name in names:
        counts, seconds, outcome = run_test(name, args.examples)
        failed |= "failed" in outcome or "error" in outcome
        print(f"{name:<32} {counts['passing']:>8} {counts['failing']:>8} {counts['invalid']:>8} {seconds:>8.0f}  "
              f"{outcome}", flush=True)  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
