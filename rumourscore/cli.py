"""The ``rumourscore`` command line: thin sub-commands over the Python API."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ._extras import MissingExtra
from ._tagger import tag
from ._version import __version__

#: Where ``rumourscore evaluate`` writes its reliability diagram unless told otherwise.
DEFAULT_PLOT = "reliability.png"
#: Input extensions scored as tables (anything else is text or a .txt article).
TABLE_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq", ".jsonl", ".ndjson")

__all__ = ["main"]


class CLIError(Exception):
    """A user-facing error: printed without a traceback, exit code 2."""


def _read_text_arg(arg: str) -> tuple[str, str | None]:
    """Return (text, filename) for a TEXT argument: literal text, a file path, or ``-``."""
    if arg == "-":
        data = sys.stdin.buffer.read()
        name = None
    elif len(arg) < 4096 and "\n" not in arg and Path(arg).is_file():
        try:
            data = Path(arg).read_bytes()
        except OSError as exc:
            raise CLIError(f"cannot read {arg}: {exc.strerror or exc}") from None
        name = arg
    else:
        return arg, None
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError as exc:
        raise CLIError(f"{name or 'stdin'} is not valid UTF-8 (byte {exc.start}); convert it first") from None


def _format_value(value: object) -> str:
    return "-" if value is None else str(value)


def _cmd_tag(args: argparse.Namespace) -> int:
    text, _ = _read_text_arg(args.text)
    tags = tag(text)
    if args.json:
        json.dump([t.to_dict() for t in tags], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not tags:
        print("no tags")
        return 0
    rows = [("start", "end", "kind", "value", "text")]
    rows += [(str(t.start), str(t.end), t.kind, _format_value(t.value), t.text.replace("\n", " ")) for t in tags]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print(
            "  ".join(c.ljust(w) if i >= 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r[:4], widths))) + "  " + r[4]
        )
    return 0


def _load(path: str | None):
    from ._api import load_model
    from ._model import ModelLoadError

    try:
        return load_model(path)
    except ModelLoadError as exc:
        raise CLIError(str(exc)) from None


def _cmd_score(args: argparse.Namespace) -> int:
    is_table = (args.input == "-" and args.output) or args.input.lower().endswith(TABLE_SUFFIXES)
    if is_table:
        from ._tables import BatchError

        if not args.output:
            raise CLIError("scoring a table needs -o OUT (a .csv, .parquet or .jsonl path, or - for stdout)")
        try:
            _score_table(args)
        except BatchError as exc:
            raise CLIError(str(exc)) from None
        return 0
    from ._api import explain

    text, filename = _read_text_arg(args.input)
    if not text.strip():
        raise CLIError("the text is empty")
    result = explain(text, source=args.source, date=_date_of(args, text, filename), model=_load(args.model))
    if args.json:
        json.dump(result.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(result)
        if filename:
            print(f"(the whole file scored as one report; `rumourscore claims {filename}` scores each claim)")
    return 0


def _score_table(args: argparse.Namespace) -> None:
    """Score a table with the engine asked for: this machine's processes, or a Dask cluster."""
    model = _load(args.model)
    if args.engine == "dask":
        from ._extras import require

        require("dask", "--engine dask")
        from .dask import score_files

        score_files(args.input, args.output, text_col=args.text_col, source_col=args.source_col,
                    date_col=args.date_col, model=model, scheduler=args.scheduler, quiet=args.quiet,
                    escape_formulas=not args.no_escape_formulas)  # fmt: skip
        return
    from ._batch import BatchOptions, score_file

    score_file(args.input, args.output, BatchOptions(
        text_col=args.text_col, source_col=args.source_col, date_col=args.date_col, id_col=args.id_col, model=model,
        jobs=args.jobs, encoding=args.encoding, strict=args.strict, quiet=args.quiet, claims_path=args.claims,
        escape_formulas=not args.no_escape_formulas,
    ))  # fmt: skip


def _date_of(args: argparse.Namespace, text: str, filename: str | None) -> str | None:
    """The --date given (checked), else the article's own date header or file-name date."""
    from ._text import article_date, parse_date

    if args.date and parse_date(args.date) is None:
        raise CLIError(f"--date {args.date!r} is not a date (use YYYY-MM-DD)")
    return args.date or article_date(text, filename)


def _cmd_train(args: argparse.Namespace) -> int:
    import pandas as pd

    from ._model import train

    try:
        reports = pd.read_csv(args.reports)
    except (OSError, ValueError) as exc:
        raise CLIError(f"cannot read {args.reports}: {exc}") from None
    try:
        model = train(reports)
        path = model.save(args.output)
    except (ValueError, TypeError, FileNotFoundError) as exc:
        raise CLIError(str(exc)) from None
    print(f"trained on {len(reports)} reports -> {path} (+ {path.name}.manifest.json)")
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    import pandas as pd

    from ._evaluate import chronological_split, evaluate, plot_reliability
    from ._model import default_corpus_path, train

    try:
        labelled = pd.read_csv(args.labelled)
        train_frame = pd.read_csv(args.train or default_corpus_path())
    except (OSError, ValueError) as exc:
        raise CLIError(f"cannot read input: {exc}") from None
    if args.split_date:
        train_frame, labelled = chronological_split(labelled, args.split_date)
        model = train(train_frame)
        name = f"{args.labelled}: trained before {args.split_date} ({len(train_frame)}), tested after"
    else:
        model = _load(args.model)
        name = f"{args.labelled} (baselines trained on {args.train or 'the shipped corpus'})"
    try:
        report = evaluate(model, labelled, train_frame, name=name)
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    if args.json:
        json.dump({"name": report.name, "scores": report.scores.to_dict(orient="index"),
                   "reliability": report.reliability.to_dict(orient="records")}, sys.stdout, indent=2)  # fmt: skip
        sys.stdout.write("\n")
    else:
        print(report)
    if args.plot != "none":
        try:
            print(f"reliability diagram -> {plot_reliability(report, args.plot)}", file=sys.stderr)
        except ImportError as exc:
            if args.plot != DEFAULT_PLOT:  # asked for by name: an error; by default: a note
                raise CLIError(str(exc)) from None
            print(f"rumourscore: note: no reliability diagram ({exc})", file=sys.stderr)
    return 0


def _cmd_claims(args: argparse.Namespace) -> int:
    from ._claims import claims, format_claims, render_html

    text, filename = _read_text_arg(args.article)
    if not text.strip():
        raise CLIError("the article is empty")
    date = _date_of(args, text, filename)
    model = _load(args.model)
    found = claims(text, source=args.source, date=date, model=model)
    if args.json:
        json.dump([c.to_dict() for c in found], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(format_claims(found))
    if args.html:
        from ._io import atomic_write_text

        atomic_write_text(args.html, render_html(text, found, source=args.source, date=date, model=model))
        print(f"highlighted article -> {args.html}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="rumourscore", description="Score how likely football transfer rumours are to come true."
    )
    parser.add_argument("--version", action="version", version=f"rumourscore {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("tag", help="tag a text: sources, hedges, stages, denials, contract details")
    p.add_argument("text", help="the text, a path to a .txt file, or - for stdin")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(func=_cmd_tag)

    p = sub.add_parser("score", help="score a text, a .txt article, or a table (CSV/Parquet/JSON Lines)")
    p.add_argument("input", help="text, .txt article, table file, or - (stdin)")
    p.add_argument("-o", "--output", help="output table (.csv, .parquet, .jsonl) or - for stdout")
    p.add_argument("--source", help="outlet/journalist of a single text")
    p.add_argument("--date", help="report date of a single text (YYYY-MM-DD)")
    p.add_argument("--json", action="store_true", help="single text: print the explanation as JSON")
    p.add_argument("--model", help="model file (default: the shipped model)")
    p.add_argument("--text-col", default="text")
    p.add_argument("--source-col", default="source")
    p.add_argument("--date-col", default="date")
    p.add_argument("--id-col", help="column passed through first in the output")
    p.add_argument("--encoding", default="utf-8", help="input text encoding (e.g. latin-1)")
    p.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores)")
    p.add_argument("--strict", action="store_true", help="stop at the first bad row with a non-zero exit")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--claims", help="also write one row per (subject, to_club) claim to this CSV")
    p.add_argument(
        "--no-escape-formulas",
        action="store_true",
        help="CSV output: keep cells starting with = + - @ as they are (default: prefix them with ')",
    )
    p.add_argument("--engine", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", help="Dask scheduler address (with --engine dask)")
    p.set_defaults(func=_cmd_score)

    p = sub.add_parser("claims", help="pull the claims out of an article and score each")
    p.add_argument("article", help="a .txt article, literal text, or - for stdin")
    p.add_argument("--source", help="the outlet that published the article")
    p.add_argument("--date", help="publication date (YYYY-MM-DD); default: the article's date header")
    p.add_argument("--html", help="write the article with highlighted tags and the claim table here")
    p.add_argument("--json", action="store_true")
    p.add_argument("--model", help="model file (default: the shipped model)")
    p.set_defaults(func=_cmd_claims)

    p = sub.add_parser("train", help="train a model on labelled reports")
    p.add_argument("reports", help="CSV with text, source, date, outcome columns")
    p.add_argument("-o", "--output", required=True, help="model file to write (a manifest goes next to it)")
    p.set_defaults(func=_cmd_train)

    p = sub.add_parser("evaluate", help="metrics, calibration and baselines on a labelled CSV")
    p.add_argument("labelled", help="CSV with text, source, date, outcome columns")
    p.add_argument("--model", help="model file (default: the shipped model)")
    p.add_argument("--train", help="training CSV for the baselines (default: the shipped corpus)")
    p.add_argument("--split-date", help="train on LABELLED before this date, test on the rest")
    p.add_argument(
        "--plot",
        default=DEFAULT_PLOT,
        help=f"reliability diagram PNG (default {DEFAULT_PLOT}; 'none' for no file; needs matplotlib)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_cmd_evaluate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code: 0 success, 2 an error (printed, no traceback)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except (CLIError, MissingExtra) as exc:
        print(f"rumourscore: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rumourscore: interrupted: nothing written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
