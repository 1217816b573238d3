"""Choose the as-of pooling rule of ``score_feed`` by measurement on the corpus.

Line likelihoods of ``data/reports.csv`` are scored out of fold (5 models, each trained on
the reports of the other subjects, at the corpus's own base rate), so the pooling is fitted
on honest scores. Every report's as-of claim likelihood is computed with a candidate rule
and the rule's parameters are chosen by coordinate search for the lowest log loss on the
reports dated before 2022; the reports from 2022 on are only used to check.

Run: ``PYTHONPATH=. python benchmarks/feed_fit.py`` (about a minute).
"""

from __future__ import annotations

import dataclasses
import math
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

import rumourscore as rs
from rumourscore._claims.scoring import logit
from rumourscore._feed import FEED_RULE, FeedRule, _as_of, _prepare

REPO = Path(__file__).resolve().parent.parent
CUT = "2022-01-01"
FOLDS = 5
#: Candidate values of each parameter (the coordinate search picks one per parameter, in turn). A later
#: denial, a rival move and an escalation must move the claim the documented way, so their grids
#: leave out the neutral value (the search may still pick the mildest candidate).
GRID = {
    "shrink": [0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.05, 1.1, 1.15, 1.2, 1.3],
    "half_life_days": [7.0, 14.0, 30.0, 45.0, 60.0, 90.0, 180.0, 365.0, 730.0, 1e9],
    "extra_weight": [0.0, 0.25, 0.5, 0.75, 1.0, 1.5],
    "extra_decay": [0.3, 0.5, 0.7, 0.9],
    "max_gain": [0.5, 1.0, 1.5, 2.5],
    "denial": [math.log(f) for f in (0.9, 0.8, 0.6, 0.4, 0.25)],
    "rival": [math.log(f) for f in (0.9, 0.8, 0.6, 0.4, 0.25)],
    "rival_done": [math.log(f) for f in (0.9, 0.6, 0.4, 0.2, 0.1)],
    "escalation": [0.05, 0.1, 0.2, 0.4, 0.6],
    "max_escalations": [1, 2, 3, 5],
    "max_share": [0.0, 0.25, 0.5, 0.75, 1.0],
    "offset": [-0.6, -0.5, -0.4, -0.3, -0.2, -0.1, 0.0, 0.1],
}


def out_of_fold(reports: pd.DataFrame) -> tuple[np.ndarray, float]:
    """Line likelihoods of every report from a model that never saw its subject."""
    rate = float(reports["outcome"].mean())
    subjects = sorted(reports["subject"].unique())
    np.random.default_rng(0).shuffle(subjects)
    fold = reports["subject"].map({s: k % FOLDS for k, s in enumerate(subjects)}).to_numpy()
    oof = np.full(len(reports), np.nan)
    for k in range(FOLDS):
        model = rs.train(reports[fold != k])
        oof[fold == k] = rs.score_frame(reports[fold == k], model=model, base_rate=rate)["likelihood"].to_numpy()
    return oof, rate


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def scores(y: np.ndarray, p: np.ndarray) -> str:
    m = rs.metrics(y, p)
    return f"ROC-AUC {m['roc_auc']:.3f}  Brier {m['brier']:.4f}  log loss {log_loss(y, p):.4f}"


def main() -> int:
    reports = pd.read_csv(REPO / "data" / "reports.csv")
    started = time.time()
    oof, rate = out_of_fold(reports)
    prep = _prepare(reports, {"text": "text", "source": "source", "date": "date", "subject": "subject",
                              "to_club": "to_club"}, rs.load_model(), rate)  # fmt: skip
    prep.likelihood = oof
    prep.center = logit(rate)
    y = reports["outcome"].to_numpy()
    early = (reports["date"] < CUT).to_numpy()
    saga = reports["id"].str.startswith("SAG-").to_numpy()

    def loss(rule: FeedRule, rows: np.ndarray = early) -> float:
        return log_loss(y[rows], np.asarray(_as_of(prep, rule)["claim_likelihood"], dtype=float)[rows])

    rule = dataclasses.replace(FEED_RULE)
    best = loss(rule)
    for _ in range(3):
        for name, values in GRID.items():
            for value in values:
                candidate = dataclasses.replace(rule, **{name: value})
                trial = loss(candidate)
                if trial < best - 1e-5:
                    rule, best = candidate, trial
    print(f"out of fold, {time.time() - started:.0f}s; chosen on {early.sum()} reports before {CUT}:")
    print("  " + ", ".join(f"{f.name}={getattr(rule, f.name):.4g}" for f in dataclasses.fields(rule)))
    claim = np.asarray(_as_of(prep, rule)["claim_likelihood"], dtype=float)
    default = np.asarray(_as_of(prep, FEED_RULE)["claim_likelihood"], dtype=float)
    checks = {"before 2022 (fit)": early, "2022 on (check)": ~early, "SAG sagas, 2022 on": saga & ~early,
              "SAG sagas, all": saga}  # fmt: skip
    for label, rows in checks.items():
        print(f"{label} ({rows.sum()} reports)")
        print(f"  line alone      {scores(y[rows], oof[rows])}")
        print(f"  claim, chosen   {scores(y[rows], claim[rows])}")
        print(f"  claim, FEED_RULE {scores(y[rows], default[rows])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
