"""score_feed on the real BBC gossip pool (evaluation only; skips without ``../shared/real``).

The BBC families of ``rumours_dev.csv`` plus the unlabelled BBC lines of
``rumours_unlabelled.csv`` form one feed. It is scored with :func:`rumourscore.score_feed`
twice: with the ``subject``/``to_club`` columns given, and with only text, source and date
(claims found by the extractor). The labelled rows' as-of ``claim_likelihood`` is compared
with the line's own ``likelihood`` (ROC-AUC, Brier) per family: ``bbc_gossip_2020_22`` is the
family choices were looked at on, ``bbc_gossip_2021`` the one reported. Nothing is fitted
on these labels.

Most ``bbc_gossip_2020_22`` lines carry a year only ("2021"), which the feed reads as
1 January: in the pool they stand before the reporting family's lines of that year although
most were published later, so they can pass later news back to earlier rows. A third run
leaves those year-only lines out of the feed, as a check of how much the reported figure owes
to them.

Run: ``PYTHONPATH=. python benchmarks/feed_real.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandas as pd

import rumourscore as rs

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real"
if not REAL.is_dir():
    REAL = Path("/work/shared/real")
#: The feed's base rate: the README of the real data quotes "about one in three" gossip rumours
#: coming true (a documented prior, not fitted on these labels).
BASE_RATE = 0.30
FAMILIES = ("bbc_gossip_2020_22", "bbc_gossip_2021")


def load_feed() -> pd.DataFrame | None:
    """The BBC feed: labelled dev rows then unlabelled rows (outcome NaN)."""
    dev, unlabelled = REAL / "rumours_dev.csv", REAL / "rumours_unlabelled.csv"
    if not dev.is_file() or not unlabelled.is_file():
        return None
    labelled = pd.read_csv(dev)
    extra = pd.read_csv(unlabelled)
    feed = pd.concat([labelled[labelled["family"].str.startswith("bbc_")],
                      extra[extra["family"].str.startswith("bbc_")]], ignore_index=True)  # fmt: skip
    return feed[["text", "source", "date", "subject", "to_club", "family", "outcome"]]


def year_only(feed: pd.DataFrame) -> pd.Series:
    """Rows whose date is a year alone (read as 1 January of that year)."""
    return feed["date"].astype(str).str.fullmatch(r"\d{4}")


def report(feed: pd.DataFrame, out: pd.DataFrame, setting: str) -> None:
    """Print ROC-AUC and Brier of the line and of the as-of claim, per family."""
    print(setting)
    for family in FAMILIES:
        rows = out[(out["family"] == family) & out["outcome"].notna() & out["likelihood"].notna()]
        y = rows["outcome"].astype(int)
        line, claim = rs.metrics(y, rows["likelihood"]), rs.metrics(y, rows["claim_likelihood"])
        pooled = rows["claim_note"].isna().mean()
        print(f"  {family:<20} n={len(rows):<5} line: ROC-AUC {line['roc_auc']:.3f} Brier {line['brier']:.5f}   "
              f"claim: ROC-AUC {claim['roc_auc']:.3f} Brier {claim['brier']:.5f}   pooled {pooled:.0%}, "
              f"mean claim reports {rows['claim_n_reports'].mean():.2f}")  # fmt: skip


def main() -> int:
    feed = load_feed()
    if feed is None:
        print(f"skipped: {REAL} not found")
        return 0
    print(f"{len(feed)} BBC lines ({feed['outcome'].notna().sum()} labelled), base rate {BASE_RATE}")
    started = time.time()
    given = rs.score_feed(feed, base_rate=BASE_RATE)
    report(feed, given, f"subject and to_club given ({time.time() - started:.0f}s)")
    started = time.time()
    text_only = rs.score_feed(feed, subject_col="-", to_club_col="-", base_rate=BASE_RATE)
    report(feed, text_only, f"text, source and date only ({time.time() - started:.0f}s)")
    dated = feed[~year_only(feed)]
    left_out = len(feed) - len(dated)
    started = time.time()
    report(dated, rs.score_feed(dated, base_rate=BASE_RATE),
           f"subject and to_club given, the {left_out} year-only lines left out ({time.time() - started:.0f}s)")
    started = time.time()
    report(dated, rs.score_feed(dated, subject_col="-", to_club_col="-", base_rate=BASE_RATE),
           f"text, source and date only, the year-only lines left out ({time.time() - started:.0f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
