"""The argument parser of the ``rumourscore`` command line: every option with its help and examples."""

from __future__ import annotations

import argparse
from typing import NoReturn

from ._model import DEFAULT_BASE_RATE
from ._version import __version__

__all__ = ["DEFAULT_PLOT", "build_parser", "table_options"]

#: Where ``rumourscore evaluate`` writes its reliability diagram unless told otherwise.
DEFAULT_PLOT = "reliability.png"

_EXAMPLES = {
    "tag": """examples:
  rumourscore tag "Chelsea have agreed a £50m fee, per Sky Sports"
  rumourscore tag article.txt --json
  cat article.txt | rumourscore tag -""",
    "score": """examples:
  rumourscore score "Here we go! Medical booked" --source "Fabrizio Romano" --date 2024-07-01
  rumourscore score article.txt --json
  rumourscore score feed.csv -o scored.csv --explain --claims claims.csv
  rumourscore score feed.csv -o scored.parquet --text-col body --date-col published --monthfirst
  rumourscore score feed.csv -o scored.csv --feed --subject-col player --to-club-col club
  rumourscore score "feed*.csv" -o scored.csv --engine dask --scheduler tcp://10.0.0.5:8786""",
    "claims": """examples:
  rumourscore claims article.txt --source Guardian --html claims.html
  rumourscore claims "Arsenal have opened talks with Lille over Jonathan David." --json""",
    "train": """examples:
  rumourscore train labelled.csv -o my-model.joblib
  rumourscore train labelled.csv -o my-model.joblib --text-col headline --label-col came_true

writes three files: my-model.joblib (the scikit-learn pipeline), my-model.joblib.weights.npz
(the plain weights scoring reads) and my-model.joblib.manifest.json (versions, SHA-256 hashes
of both files and of the training data, feature names). Keep the three together; use it with
--model my-model.joblib.""",
    "evaluate": """examples:
  rumourscore evaluate held-out.csv --model my-model.joblib --train labelled.csv
  rumourscore evaluate labelled.csv --split-date 2023-07-01 --plot none --json""",
}


TEXT_HELP = "read the argument as literal text, even if it looks like a file name"


def _base_rate(value: str) -> float | None:
    if value.lower() == "none":
        return None
    try:
        rate = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not 0 < rate < 1:
        raise argparse.ArgumentTypeError(f"{value} is not strictly between 0 and 1")
    return rate


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative (0 means all cores)")
    return jobs


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr (exit code 2), like every other error."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"rumourscore: error: {message} (see `{self.prog} --help`)\n")


def _sub(sub: argparse._SubParsersAction, name: str, help_text: str) -> argparse.ArgumentParser:
    return sub.add_parser(name, help=help_text, description=help_text[:1].upper() + help_text[1:] + ".",
                          epilog=_EXAMPLES[name], formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip


def _add_scoring_options(p: argparse.ArgumentParser, what: str) -> None:
    """Options shared by ``score`` and ``claims``."""
    p.add_argument("--text", action="store_true", help=TEXT_HELP)
    p.add_argument("--source", help=f"outlet or journalist of {what} (e.g. 'Sky Sports')")
    p.add_argument("--date", help=f"report date of {what}: 2024-11-20, 20/11/2024, 'Nov 20, 2024', ... "
                                  "(default: the article's 'date' header or a date in its file name)")  # fmt: skip
    p.add_argument("--monthfirst", action="store_true", help="read an ambiguous date such as 05/06/2024 as "
                                                             "6 May, US style (default: 5 June)")  # fmt: skip
    p.add_argument("--base-rate", type=_base_rate, default=DEFAULT_BASE_RATE, metavar="R",
                   help=f"share of rumours that come true in your feed; likelihoods are shifted to it "
                        f"(default {DEFAULT_BASE_RATE}; 'none' keeps the training corpus's rate)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print JSON instead of text")
    p.add_argument("--model", help="model file written by `rumourscore train` (default: the shipped model)")


def _add_table_options(p: argparse.ArgumentParser) -> None:
    """Options of ``score`` that only apply to tables."""
    p.add_argument("--text-col", default="text", help="table: column holding the rumour text (default: text)")
    p.add_argument("--source-col", default="source", help="table: column holding the outlet (default: source)")
    p.add_argument("--date-col", default="date", help="table: column holding the report date (default: date)")
    p.add_argument("--id-col", help="table: a column moved first in the output")
    p.add_argument("--encoding", default="utf-8", help="table: text encoding of a CSV input (e.g. latin-1)")
    p.add_argument("--jobs", type=_jobs, default=0, help="table: worker processes (default 0: all cores)")
    p.add_argument("--strict", action="store_true", help="table: stop at the first bad row, write nothing, exit 2")
    p.add_argument("--quiet", action="store_true", help="table: no progress bar and no summary on stderr")
    p.add_argument("--explain", action="store_true",
                   help="table: add a 'why' column: the groups that moved each score most, in words")  # fmt: skip
    p.add_argument("--claims", metavar="FILE", help="table: also write one row per (subject, to_club) claim here "
                   "(.csv, .tsv, .parquet or .jsonl; - for stdout, unless -o is -)")
    p.add_argument(
        "--feed",
        action="store_true",
        help="table: also score each row's claim as of its date (claim_* columns; see score_feed)",
    )
    p.add_argument(
        "--subject-col",
        default="subject",
        help="table, --feed: column holding the subject (default: subject; missing: from the text)",
    )
    p.add_argument(
        "--to-club-col",
        default="to_club",
        help="table, --feed: column holding the destination club (default: to_club; missing: from the text)",
    )
    p.add_argument("--no-escape-formulas", action="store_true",
                   help="table: CSV output keeps cells starting with = + - @ as they are "
                        "(default: prefix them with ' so a spreadsheet does not run them)")  # fmt: skip
    p.add_argument(
        "--engine",
        choices=("local", "dask"),
        default="local",
        help="table: score on this machine's cores (local) or on a Dask cluster (needs rumourscore[dask])",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="table, --engine dask: address of a running scheduler (default: start a local cluster)",
    )


def table_options() -> dict[str, tuple[str, object]]:
    """The options of ``score`` that apply to tables only: ``{dest: (option, default)}``."""
    p = argparse.ArgumentParser(add_help=False)
    _add_table_options(p)
    return {a.dest: (a.option_strings[0], a.default) for a in p._actions}


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (exposed for documentation and tests).

    Returns
    -------
    argparse.ArgumentParser
        Sub-commands ``tag``, ``score``, ``claims``, ``train`` and ``evaluate``; the chosen one
        is ``args.command``.
    """
    parser = _Parser(
        prog="rumourscore", description="Score how likely football transfer rumours are to come true.",
        epilog="run `rumourscore COMMAND --help` for the options and examples of a command",
    )  # fmt: skip
    parser.add_argument("--version", action="version", version=f"rumourscore {__version__}",
                        help="print the version and exit")  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = _sub(sub, "tag", "tag a text: sources, hedges, stages, denials, contract details")
    p.add_argument("input", metavar="TEXT", help="the text, a .txt file, or - for stdin")
    p.add_argument("--text", action="store_true", help=TEXT_HELP)
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")

    p = _sub(sub, "score", "score a text, a .txt article, or a table (CSV/TSV, Parquet, JSON Lines)")
    p.add_argument("input", metavar="INPUT", help="literal text, a .txt article, a table file, or - (stdin)")
    p.add_argument("-o", "--output", help="output table (.csv, .tsv, .parquet, .jsonl) or - for stdout (CSV)")
    _add_scoring_options(p, "a single text")
    _add_table_options(p)

    p = _sub(sub, "claims", "pull the claims out of an article and score each")
    p.add_argument("input", metavar="ARTICLE", help="a .txt article, literal text, or - for stdin")
    _add_scoring_options(p, "the article")
    p.add_argument("--html", metavar="FILE", help="write the article with highlighted tags and the claims here")

    p = _sub(sub, "train", "train a model on labelled reports")
    p.add_argument("reports", help="CSV with a text column, optional source and date columns, and a label column "
                                   "(- for stdin)")  # fmt: skip
    p.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="MODEL",
        help="model file to write, e.g. my-model.joblib (+ my-model.joblib.weights.npz, my-model.joblib.manifest.json)",
    )
    p.add_argument("--text-col", default="text", help="column holding the rumour text (default: text)")
    p.add_argument("--source-col", default="source", help="column holding the outlet (default: source)")
    p.add_argument("--date-col", default="date", help="column holding the report date (default: date)")
    p.add_argument("--label-col", default="outcome",
                   help="column holding the outcome: 1/0, yes/no or true/false (default: outcome)")  # fmt: skip

    p = _sub(sub, "evaluate", "metrics, calibration and baselines on a labelled CSV")
    p.add_argument("labelled", help="CSV with text, source, date and outcome columns (- for stdin)")
    p.add_argument("--model", help="model file (default: the shipped model)")
    p.add_argument("--train", help="training CSV for the baselines (default: the shipped corpus)")
    p.add_argument("--split-date", help="train a model on LABELLED before this date and test it on the rest")
    p.add_argument(
        "--plot",
        default=DEFAULT_PLOT,
        help=f"reliability diagram PNG (default {DEFAULT_PLOT}; 'none' for no file; needs matplotlib)",
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of tables")
    return parser
