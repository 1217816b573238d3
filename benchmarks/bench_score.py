"""Latency of the scoring API (a measurement, not a test).

- ``score()`` of one sentence with the model already loaded (target: median under 0.5 ms);
- ``import rumourscore`` plus the first score, in a fresh interpreter (target: median under
  0.5 s, timed inside the interpreter; the time with its start-up is printed too). The first
  score loads the lexicons and builds the tagger's automaton.

Run: ``python benchmarks/bench_score.py``
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run against the source tree, installed or not
#: Targets: warm score() median (seconds) and import + first score median (seconds).
WARM_TARGET, COLD_TARGET = 0.5e-3, 0.5

SENTENCES = [
    "Arsenal are keeping tabs on the Lille striker, 23. (Sun)",
    "Here we go! Medical booked for Monday, five-year contract, fee agreed at €60m plus add-ons.",
    "Juventus have had a bid rejected for the midfielder, according to Gazzetta dello Sport.",
    "Bayern are considering a loan with an option to buy, Bild reports.",
]


def main() -> None:
    import rumourscore

    model = rumourscore.load_model()
    for s in SENTENCES:  # warm up
        rumourscore.score(s, model=model)
    runs = []
    for _ in range(300):
        for s in SENTENCES:
            t0 = time.perf_counter()
            rumourscore.score(s, source="Mirror", date="2024-08-20", model=model)
            runs.append(time.perf_counter() - t0)
    runs.sort()
    warm = statistics.median(runs)
    print(f"score() one sentence, model loaded: median {warm * 1e3:.2f} ms, "
          f"p95 {runs[int(len(runs) * 0.95)] * 1e3:.2f} ms over {len(runs)} calls "
          f"(target < {WARM_TARGET * 1e3:.1f} ms: {'met' if warm < WARM_TARGET else 'NOT met'})")  # fmt: skip
    code = (
        "import time; t=time.perf_counter(); import rumourscore; "
        "rumourscore.score('Chelsea want the winger'); print(time.perf_counter()-t)"
    )
    cold = []
    for _ in range(5):
        wall = time.perf_counter()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
        cold.append((float(out.stdout.strip()), time.perf_counter() - wall))
    inner = statistics.median(c[0] for c in cold)
    outer = statistics.median(c[1] for c in cold)
    print(
        f"import rumourscore + first score: median {inner:.2f} s in-process ({outer:.2f} s with interpreter start) "
        f"(target < {COLD_TARGET:.1f} s: {'met' if inner < COLD_TARGET else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
