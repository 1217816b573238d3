"""Numbers for the data card (``data/README.md``): counts, leakage check, real-world yardstick.

Not a speed benchmark: an evaluation script kept next to them so that every number in the
data card can be reproduced. The real gossip lines (``../shared/real/rumours_dev.csv``)
are used for evaluation only.

Run: ``python benchmarks/corpus_card.py``
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

from rumourscore import chronological_split, metrics, tag
from rumourscore._evaluate import baselines, tier_labels

REPO = Path(__file__).resolve().parent.parent
REAL = REPO.parent / "shared" / "real" / "rumours_dev.csv"


STAGE_BUCKETS = {0: "none", 1: "interest 1-2", 2: "interest 1-2", 3: "talks 3-5", 4: "talks 3-5", 5: "talks 3-5",
                 6: "agreed 6-7", 7: "agreed 6-7", 8: "medical 8-9", 9: "medical 8-9", 10: "done 10"}  # fmt: skip
BUCKET_ORDER = ["interest 1-2", "talks 3-5", "agreed 6-7", "medical 8-9", "done 10", "none"]
TIER_ORDER = ["1", "2", "3", "4", "5", "unknown"]


def max_stage(text: str) -> int:
    return max((t.value for t in tag(text) if t.kind == "stage"), default=0)


def stage_tier_table(reports: pd.DataFrame) -> pd.DataFrame:
    """Reports per deal-stage bucket (furthest stage the tagger finds) x source tier, as "false / true" counts.

    Parameters
    ----------
    reports : pandas.DataFrame
        Labelled reports with ``text``, ``source`` and ``outcome`` columns.

    Returns
    -------
    pandas.DataFrame
        One row per stage bucket (plus ``all``), one column per tier (plus ``all``); each cell reads
        ``"<false> / <true>"``.
    """
    frame = pd.DataFrame({
        "bucket": reports["text"].fillna("").map(max_stage).map(STAGE_BUCKETS).to_numpy(),
        "tier": tier_labels(reports)["tier"].to_numpy(),
        "outcome": reports["outcome"].astype(int).to_numpy(),
    })  # fmt: skip
    table = pd.DataFrame(index=[*BUCKET_ORDER, "all"], columns=[*TIER_ORDER, "all"], dtype=object)
    for row in table.index:
        for col in table.columns:
            keep = np.ones(len(frame), dtype=bool)
            if row != "all":
                keep &= (frame["bucket"] == row).to_numpy()
            if col != "all":
                keep &= (frame["tier"] == col).to_numpy()
            outcome = frame.loc[keep, "outcome"]
            table.loc[row, col] = f"{int((outcome == 0).sum())} / {int((outcome == 1).sum())}"
    return table


def markdown(table: pd.DataFrame, corner: str = "") -> str:
    """A DataFrame as a GitHub markdown table (index as the first column)."""
    lines = ["| " + " | ".join([corner, *map(str, table.columns)]) + " |", "|---" * (len(table.columns) + 1) + "|"]
    lines += ["| " + " | ".join([str(i), *map(str, row)]) + " |" for i, row in zip(table.index, table.to_numpy())]
    return "\n".join(lines)


def source_stage(frame: pd.DataFrame) -> pd.DataFrame:
    """Source tier and furthest stage, as categories (the "what a reader would use" model)."""
    return tier_labels(frame).assign(stage=frame["text"].fillna("").map(max_stage).astype(str).to_numpy())


def source_stage_model(train: pd.DataFrame) -> object:
    model = make_pipeline(OneHotEncoder(handle_unknown="ignore"), LogisticRegression(max_iter=2000))
    return model.fit(source_stage(train), train["outcome"])


def main() -> None:
    reports = pd.read_csv(REPO / "data" / "reports.csv")
    moves = pd.read_csv(REPO / "data" / "moves.csv")
    years = pd.to_datetime(reports["date"]).dt.year
    print(f"reports {len(reports)}, moves {len(moves)}, subjects {reports['subject'].nunique()}, "
          f"sources {reports['source'].nunique()}, positive share {reports['outcome'].mean():.3f}")  # fmt: skip
    both = (reports.groupby("subject")["outcome"].nunique() == 2).sum()
    print(f"subjects with both true and false reports: {both}")
    print("\nby year\n", pd.crosstab(years, reports["outcome"], margins=True).to_string())
    print(
        "\nby tier\n",
        pd.crosstab(tier_labels(reports)["tier"].to_numpy(), reports["outcome"], margins=True).to_string(),
    )
    print("\nby max stage\n", pd.crosstab(reports["text"].map(max_stage), reports["outcome"], margins=True).to_string())
    print("\nby style\n", pd.crosstab(reports["style"], reports["outcome"], margins=True).to_string())
    print("\nby stage bucket x source tier (false / true)\n", markdown(stage_tier_table(reports), "stage \\ tier"))

    train, test = chronological_split(reports)
    print(f"\nchronological split: train {len(train)} (before 2023-07-01, subjects in test removed), test {len(test)}")
    words = "tf-idf + logistic regression"  # the word-only baseline of `rumourscore evaluate`
    rows = {
        "words only (TF-IDF + LR), corpus test split": metrics(test["outcome"], baselines(train)[words](test)),
        "source tier + max stage (LR), corpus test split": metrics(
            test["outcome"], source_stage_model(train).predict_proba(source_stage(test))[:, 1]
        ),
    }
    if REAL.exists():
        real = pd.read_csv(REAL)
        rows["words only, trained on the corpus, real gossip lines"] = metrics(
            real["outcome"], baselines(reports)[words](real)
        )
        rows["source tier + max stage, trained on the corpus, real gossip lines"] = metrics(
            real["outcome"], source_stage_model(reports).predict_proba(source_stage(real))[:, 1]
        )
        rows["base rate of the corpus, real gossip lines"] = metrics(
            real["outcome"], np.full(len(real), reports["outcome"].mean())
        )
    print(pd.DataFrame(rows).T[["n", "roc_auc", "brier", "log_loss", "ece"]].round(3).to_string())


if __name__ == "__main__":
    main()
