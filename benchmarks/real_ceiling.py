"""How much can *any* name-blind model get out of real gossip lines? (numbers for the model card)

Not a speed benchmark: an evaluation study kept next to them so that its numbers can be
reproduced. It reads ``../shared/real/rumours_dev.csv`` (published gossip-column lines by
other authors; evaluation only) and fits throw-away models on it *inside cross-validation*
to measure the ceiling that the real-data target is judged against. Nothing fitted here is
saved, and the shipped model never sees these lines.

It answers three questions:

1. The issue's reference figure, "TF-IDF + LR trained on the real lines scores about 0.79",
   comes from random folds. How much of it is the same player's lines on both sides of the
   fold? (Random folds versus folds grouped by subject, with and without masking names.)
2. What does rumourscore's own design reach when trained on real lines, under the project's
   no-leak rule (grouped by subject)? That is the most a better corpus could buy.
3. Does more of the project's corpus help on real lines? (A learning curve over subjects.)

Run: ``python benchmarks/real_ceiling.py`` (about two minutes on two cores).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold, KFold, cross_val_predict

from rumourscore import metrics
from rumourscore._evaluate import tfidf_baseline
from rumourscore._model import RumourModel, build_pipeline
from rumourscore._text import mask_names

REPO = Path(__file__).resolve().parent.parent
REAL = REPO.parent / "shared" / "real" / "rumours_dev.csv"
#: Folds of every cross-validation below.
FOLDS = 5
#: Shares of the corpus's subjects in the learning curve, and draws per share.
CURVE_SHARES = (0.25, 0.5, 0.75, 1.0)
CURVE_DRAWS = 3


def tfidf_oof(texts: np.ndarray, y: np.ndarray, cv: object, groups: np.ndarray | None = None) -> np.ndarray:
    """Out-of-fold probabilities of the evaluation's TF-IDF + LR baseline."""
    return cross_val_predict(tfidf_baseline(), texts, y, cv=cv, groups=groups, method="predict_proba")[:, 1]


def main() -> int:
    if not REAL.exists():
        print(f"{REAL} not found: this study needs the real evaluation lines", file=sys.stderr)
        return 1
    warnings.filterwarnings("ignore", category=UserWarning)
    real = pd.read_csv(REAL, dtype={"text": object, "source": object, "date": object, "subject": object})
    real = real[real["text"].notna()].reset_index(drop=True)
    y = real["outcome"].astype(int).to_numpy()
    groups = real["subject"].fillna("").to_numpy()
    source = real["source"].fillna("").astype(str)
    raw = np.array([f"{t} {s}" for t, s in zip(real["text"], source)], dtype=object)
    masked = np.array([f"{mask_names(t)} {s}" for t, s in zip(real["text"], source)], dtype=object)
    random_folds = KFold(FOLDS, shuffle=True, random_state=0)

    rows = {
        "TF-IDF + LR, random folds (subjects leak)": metrics(y, tfidf_oof(raw, y, random_folds)),
        "TF-IDF + LR, folds grouped by subject": metrics(y, tfidf_oof(raw, y, GroupKFold(FOLDS), groups)),
        "TF-IDF + LR, names masked, random folds": metrics(y, tfidf_oof(masked, y, random_folds)),
        "TF-IDF + LR, names masked, grouped by subject": metrics(y, tfidf_oof(masked, y, GroupKFold(FOLDS), groups)),
    }
    oof = np.zeros(len(real))
    for train_idx, test_idx in GroupKFold(FOLDS).split(real, groups=groups):
        oof[test_idx] = RumourModel(build_pipeline()).fit(real.iloc[train_idx]).predict_proba(real.iloc[test_idx])[:, 1]
    rows["rumourscore design trained on real lines, grouped by subject"] = metrics(y, oof)
    print(f"Trained and tested on the real lines ({len(real)}; {FOLDS}-fold out-of-fold scores):")
    print(pd.DataFrame(rows).T[["n", "roc_auc", "brier", "log_loss", "ece"]].round(3).to_string())

    reports = pd.read_csv(REPO / "data" / "reports.csv")
    subjects = reports["subject"].unique()
    print("\nTrained on the project's corpus, tested on the real lines (learning curve over subjects):")
    for share in CURVE_SHARES:
        draws = 1 if share == 1.0 else CURVE_DRAWS
        aucs = []
        for seed in range(draws):
            keep = np.random.default_rng(seed).choice(subjects, int(len(subjects) * share), replace=False)
            part = reports[reports["subject"].isin(keep)]
            aucs.append(metrics(y, RumourModel(build_pipeline()).fit(part).predict_proba(real)[:, 1])["roc_auc"])
        print(f"  {share:4.0%} of subjects ({int(len(subjects) * share)}): ROC-AUC "
              f"{np.mean(aucs):.3f} (draws: {', '.join(f'{a:.3f}' for a in aucs)})")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
