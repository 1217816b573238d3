"""Numbers for the model card (``models/README.md``), measured in one run.

Not a speed benchmark: the evaluation behind the model card, kept next to the benchmarks so
that every figure can be reproduced.

1. The corpus's chronological split (train before 2023-07-01, subjects that straddle the cut
   dropped from training), the model against the base rate, a source-tier model and TF-IDF + LR
   fit on the same training rows.
2. The real published gossip lines (``../shared/real/rumours_dev.csv``, evaluation only, never
   trained on), scored by the shipped model: per family and on the whole file, at the default
   base rate and at the file's own labelled base rate (the ``base_rate`` prior shift), with the
   same baselines fit on the whole corpus. Design choices are made on the ``bbc_gossip_2020_22``
   family; ``bbc_gossip_2021`` is the reporting family.
3. The explanations of the five examples of issue #11.

Run: ``python benchmarks/model_card.py [--family F]`` (about a minute).
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import pandas as pd

from rumourscore import chronological_split, evaluate, explain, load_model, train
from rumourscore._evaluate import reliability_table

REPO = Path(__file__).resolve().parent.parent
REAL = REPO.parent / "shared" / "real" / "rumours_dev.csv"
#: The family design choices are made on, and the one figures are reported on.
TUNING_FAMILY, REPORTING_FAMILY = "bbc_gossip_2020_22", "bbc_gossip_2021"
EXAMPLES = [
    ("OFFICIAL: Chelsea complete the signing of the striker on a five-year deal.", "Daily Star"),
    ("OFFICIAL: Chelsea complete the signing of the striker on a five-year deal.", "BBC Sport"),
    ("Chelsea are monitoring the striker.", "Fabrizio Romano"),
    ("Leeds have completed the signing of the winger from Celtic for £12m.", "The Sun"),
    ("Leeds have completed the signing of the winger from Celtic for £12m.", None),
]
EXAMPLE_DATE = "2024-07-15"


def _table(evaluation) -> str:
    return evaluation.to_markdown_table()


def corpus_split(corpus: pd.DataFrame) -> None:
    train_rows, test_rows = chronological_split(corpus)
    model = train(train_rows)
    print(f"## Corpus, chronological split (train {len(train_rows)}, test {len(test_rows)})\n")
    print(_table(evaluate(model, test_rows, train_rows, name="corpus split", base_rate=None)))
    print()


def real_lines(corpus: pd.DataFrame, families: list[str | None]) -> None:
    if not REAL.exists():
        print(f"({REAL} not found: real-line evaluation skipped)")
        return
    real = pd.read_csv(REAL, dtype={"text": object, "source": object, "date": object})
    model = load_model()
    for family in families:
        part = real if family is None else real[real["family"] == family]
        rate = float(part["outcome"].mean())
        for base_rate, label in ((0.30, "default base rate 0.30"), (rate, f"its own base rate {rate:.3f}")):
            ev = evaluate(model, part, corpus, name=f"real lines: {family or 'whole file'}", base_rate=base_rate)
            print(f"## Real lines, {family or 'whole file'} ({len(part)} rows), {label}\n")
            print(_table(ev))
            print()
        ev = evaluate(model, part, name="reliability", base_rate=0.30)
        rel = reliability_table(part["outcome"], ev.likelihood)
        print("reliability at the default base rate:\n")
        print("| bin | n | mean predicted | observed |\n|---|---|---|---|")
        for row in rel.itertuples():
            print(f"| {row.bin} | {row.n} | {row.mean_predicted:.3f} | {row.observed:.3f} |")
        print()


def examples() -> None:
    print("## The five examples (date 2024-07-15)\n")
    for text, source in EXAMPLES:
        print("```text")
        print(f"{text}  [source: {source}]")
        print(explain(text, source=source, date=EXAMPLE_DATE))
        print("```\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", action="append", help="real-line family (repeatable; default: both and all)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", category=UserWarning)
    corpus = pd.read_csv(REPO / "data" / "reports.csv")
    corpus_split(corpus)
    real_lines(corpus, args.family or [TUNING_FAMILY, REPORTING_FAMILY, None])
    examples()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
