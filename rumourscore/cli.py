"""The ``rumourscore`` command line: thin sub-commands over the Python API.

Errors are one line on stderr and exit code 2 (130 after Ctrl-C); the library's messages
(logger ``"rumourscore"``) are shown on stderr unless ``--quiet``.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._cli_input import CLIError, classify, read_text_arg
from ._cli_parser import DEFAULT_PLOT, build_parser, table_options
from ._extras import MissingExtra
from ._tagger import tag

__all__ = ["CLIError", "build_parser", "main"]

#: Values of a training label read as 1 and as 0 (case-insensitive).
TRUE_LABELS = ("1", "1.0", "yes", "y", "true", "t")
FALSE_LABELS = ("0", "0.0", "no", "n", "false", "f")


def _format_value(value: object) -> str:
    return "-" if value is None else str(value)


def _input_text(args: argparse.Namespace, command: str) -> tuple[str, str | None]:
    return read_text_arg(args.input, classify(args.input, command, force_text=args.text))


def _cmd_tag(args: argparse.Namespace) -> int:
    text, _ = _input_text(args, "tag")
    tags = tag(text)
    if args.json:
        _print_json([t.to_dict() for t in tags])
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


def _print_json(data: Any) -> None:
    """Print ``data`` as strict JSON: a NaN or infinite number (an undefined metric) is ``null``."""
    json.dump(_finite(data), sys.stdout, ensure_ascii=False, indent=2, allow_nan=False)
    sys.stdout.write("\n")


def _finite(data: Any) -> Any:
    """``data`` with every non-finite float replaced by None (in dicts and lists, at any depth)."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [_finite(value) for value in data]
    return data


def _load(path: str | None):
    from ._api import load_model
    from ._model import ModelLoadError

    try:
        return load_model(path)
    except ModelLoadError as exc:
        raise CLIError(str(exc)) from None


def _cmd_score(args: argparse.Namespace) -> int:
    if args.engine == "dask" or (args.input == "-" and args.output and not args.text):
        kind = "table"  # Dask reads a glob of CSV files
    else:
        kind = classify(args.input, "score", force_text=args.text)
    _check_options_for(kind, args)
    if kind == "table":
        from ._tables import BatchError

        if not args.output:
            raise CLIError("scoring a table needs -o OUT (a .csv, .parquet or .jsonl path, or - for stdout)")
        try:
            _score_table(args)
        except BatchError as exc:
            raise CLIError(str(exc)) from None
        return 0
    if args.output:
        raise CLIError(f"-o is for tables (.csv, .tsv, .parquet, .jsonl), and {_read_as(kind, args.input)}")
    from ._api import explain

    text, filename = read_text_arg(args.input, kind)
    if not text.strip():
        raise CLIError("the text is empty")
    model = _load(args.model)
    result = explain(text, source=args.source, date=_date_of(args, text, filename), model=model,
                     base_rate=args.base_rate)  # fmt: skip
    if args.json:
        _print_json({**result.to_dict(), "model": model.name})
    else:
        print(result)
        if filename:
            print(f"(the whole file scored as one report; `rumourscore claims {filename}` scores each claim)")
    return 0


#: Options of ``score`` that change nothing for a single text (so never an error there).
_HARMLESS_FOR_TEXT = ("quiet", "explain")


def _check_options_for(kind: str, args: argparse.Namespace) -> None:
    """A usage error for options that do not apply to this kind of input (they would be ignored silently)."""
    if kind == "table":
        given = [option for option, value in (("--source", args.source), ("--date", args.date), ("--json", args.json))
                 if value]  # fmt: skip
        if given:
            raise CLIError(f"{', '.join(given)}: for a single text only; {args.input!r} is read as a table "
                           "(its --source-col and --date-col columns are used)")  # fmt: skip
        return
    given = [option for dest, (option, default) in table_options().items()
             if dest not in _HARMLESS_FOR_TEXT and getattr(args, dest) != default]  # fmt: skip
    if given:
        raise CLIError(f"{', '.join(given)}: for tables only, and {_read_as(kind, args.input)} "
                       "(a table is a .csv, .tsv, .parquet or .jsonl file, or - with -o)")  # fmt: skip


def _read_as(kind: str, arg: str) -> str:
    """What a single-text input is read as, in words (a literal text is not quoted: it may be long)."""
    return {"text": "the argument is read as literal text", "stdin": "stdin without -o is read as one text"
            }.get(kind, f"{arg} is read as an article")  # fmt: skip


def _score_table(args: argparse.Namespace) -> None:
    """Score a table with the engine asked for: this machine's processes, or a Dask cluster."""
    model = _load(args.model)
    if args.engine == "dask":
        from ._extras import require
        from ._model import DEFAULT_BASE_RATE

        require("dask", "--engine dask")
        if args.explain or args.monthfirst or (args.base_rate != DEFAULT_BASE_RATE and not args.feed):
            raise CLIError("--explain, --monthfirst and --base-rate are not supported with --engine dask"
                           + ("" if args.feed else " (--base-rate is, with --feed)"))  # fmt: skip
        from .dask import score_feed_files, score_files

        local_only = {"--id-col": args.id_col, "--claims": args.claims, "--strict": args.strict,
                      "--jobs": args.jobs, "--encoding": args.encoding.lower() not in ("utf-8", "utf8")}  # fmt: skip
        unsupported = [option for option, given in local_only.items() if given]
        if unsupported:
            raise CLIError(f"{', '.join(unsupported)} not supported with --engine dask")

        common = {"text_col": args.text_col, "source_col": args.source_col, "date_col": args.date_col,
                  "model": model, "scheduler": args.scheduler, "quiet": args.quiet,
                  "escape_formulas": not args.no_escape_formulas}  # fmt: skip
        if args.feed:
            score_feed_files(args.input, args.output, subject_col=args.subject_col, to_club_col=args.to_club_col,
                             base_rate=args.base_rate, **common)  # fmt: skip
        else:
            score_files(args.input, args.output, **common)
        return
    from ._batch import BatchOptions, score_file

    options = BatchOptions(
        text_col=args.text_col, source_col=args.source_col, date_col=args.date_col, id_col=args.id_col, model=model,
        jobs=args.jobs, encoding=args.encoding, strict=args.strict, quiet=args.quiet, claims_path=args.claims,
        escape_formulas=not args.no_escape_formulas, base_rate=args.base_rate, monthfirst=args.monthfirst,
        explain=args.explain,
    )  # fmt: skip
    if args.feed:
        from ._feed_stream import score_feed_file

        score_feed_file(args.input, args.output, options, subject_col=args.subject_col, to_club_col=args.to_club_col)
        return
    score_file(args.input, args.output, options)


def _date_of(args: argparse.Namespace, text: str, filename: str | None) -> str | None:
    """The --date given (read in any common form, as ISO), else the article's date header or file-name date."""
    from ._text import article_date, parse_date

    if args.date:
        parsed = parse_date(args.date, monthfirst=args.monthfirst)
        if parsed is None:
            raise CLIError(f"--date {args.date!r} is not a date (e.g. 2024-11-20, 20/11/2024 or 'Nov 20, 2024')")
        return parsed.isoformat()
    return article_date(text, filename)


def _check_output(path: str | None, *inputs: str) -> None:
    """A usage error, before any work, when ``path`` cannot be written (a folder, a missing folder, an input)."""
    from ._tables import BatchError, check_output

    if path:
        try:
            check_output(path, inputs)
        except BatchError as exc:
            raise CLIError(str(exc)) from None


def _cmd_claims(args: argparse.Namespace) -> int:
    from ._claims import claims, format_claims, render_html

    if args.html == "-":
        raise CLIError("--html needs a file name (stdout carries the claims)")
    _check_output(args.html, args.input)
    text, filename = _input_text(args, "claims")
    if not text.strip():
        raise CLIError("the article is empty")
    date = _date_of(args, text, filename)
    model = _load(args.model)
    found = claims(text, source=args.source, date=date, model=model, base_rate=args.base_rate)
    if args.json:
        _print_json([c.to_dict() for c in found])
    else:
        print(format_claims(found))
    if args.html:
        from ._io import atomic_write_text

        try:
            atomic_write_text(args.html, render_html(text, found, source=args.source, date=date, model=model))
        except OSError as exc:
            raise CLIError(f"cannot write {args.html}: {exc.strerror or exc}") from None
        print(f"highlighted article -> {args.html}", file=sys.stderr)
    return 0


def _read_csv(path: str) -> Any:
    import pandas as pd

    try:
        return pd.read_csv(sys.stdin.buffer if path == "-" else path)
    except (OSError, ValueError) as exc:
        raise CLIError(f"cannot read {path}: {exc}") from None


def training_frame(frame: Any, *, text_col: str = "text", source_col: str = "source", date_col: str = "date",
                   label_col: str = "outcome") -> Any:  # fmt: skip
    """``frame`` with the columns renamed to text/source/date/outcome and the labels as 0/1.

    Labels may be 1/0, yes/no, y/n, true/false or t/f (any case).

    Raises
    ------
    CLIError
        If the text or label column is missing, or a label is none of those (the values found are listed).
    """
    for role, column in (("text", text_col), ("label", label_col)):
        if column not in frame.columns:
            raise CLIError(f"{role} column {column!r} not found; columns found: {[str(c) for c in frame.columns]}")
    names = {text_col: "text", source_col: "source", date_col: "date", label_col: "outcome"}
    keep = [c for c in names if c in frame.columns]
    out = frame[keep].rename(columns=names)
    out["outcome"] = _labels(out["outcome"], label_col)
    return out


def _labels(raw: Any, label_col: str) -> Any:
    """The outcomes of a label column as 0/1 integers (``CLIError`` listing any other values)."""
    words = raw.map(lambda v: str(v).strip().lower() if v == v and v is not None else "")
    labels = words.map(lambda w: 1 if w in TRUE_LABELS else 0 if w in FALSE_LABELS else None)
    if labels.isna().any():
        found = sorted(set(raw[labels.isna()].map(str)))[:8]
        raise CLIError(f"label column {label_col!r} must hold 1/0, yes/no or true/false; also found: {found}")
    return labels.astype(int)


def _cmd_train(args: argparse.Namespace) -> int:
    from ._model import train
    from ._persist import manifest_path, weights_path

    if not args.output.strip() or args.output == "-":
        raise CLIError("-o needs the model's file name, e.g. models/my.joblib (a model is three files, never stdout)")
    _check_output(args.output, args.reports)
    for beside in (weights_path(Path(args.output)), manifest_path(Path(args.output))):  # (written next to it)
        if args.reports != "-" and Path(args.reports).resolve() == beside.resolve():
            raise CLIError(f"the model's file {beside} would be written over the input: name the model otherwise")
    reports = training_frame(_read_csv(args.reports), text_col=args.text_col, source_col=args.source_col,
                             date_col=args.date_col, label_col=args.label_col)  # fmt: skip
    try:
        model = train(reports)
        path = model.save(args.output)
    except (ValueError, TypeError, OSError) as exc:
        raise CLIError(str(exc)) from None
    print(f"trained on {len(reports)} reports -> {path} (+ {weights_path(path).name}, {manifest_path(path).name})")
    return 0


def _in_sample(model: Any, labelled: Any) -> bool:
    """Whether ``labelled`` is the very data ``model`` was trained on (by the training-data hash)."""
    from ._model import frame_sha256

    saved = getattr(model, "_saved", None)
    expected = model.metadata.get("training_data_sha256") or (saved[1].get("training_data_sha256") if saved else None)
    if not expected or "outcome" not in labelled.columns:
        return False
    cols = [c for c in ("text", "source", "date") if c in labelled.columns]
    try:
        return frame_sha256(labelled[cols].assign(outcome=labelled["outcome"].astype(float))) == expected
    except (TypeError, ValueError):
        return False


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from ._evaluate import check_plot_path, chronological_split, evaluate, plot_reliability
    from ._model import default_corpus_path, train
    from ._text import parse_date

    split = parse_date(args.split_date) if args.split_date else None
    if args.split_date and split is None:
        raise CLIError(f"--split-date needs a date (e.g. 2023-07-01; got {args.split_date!r})")
    if args.split_date and (args.model or args.train):
        raise CLIError("--split-date trains its own model and baselines on the reports before the date: "
                       "leave out --model and --train")  # fmt: skip
    if args.plot != "none":
        _check_output(args.plot, args.labelled)
        try:
            check_plot_path(args.plot)
        except ValueError as exc:
            raise CLIError(f"--plot: {exc} (or 'none')") from None
    labelled = _read_csv(args.labelled)
    train_frame = _read_csv(args.train or str(default_corpus_path()))
    for frame, path in ((labelled, args.labelled), (train_frame, args.train or "the shipped corpus")):
        if "outcome" not in frame.columns:
            raise CLIError(f"{path}: no 'outcome' column; columns found: {[str(c) for c in frame.columns]}")
        frame["outcome"] = _labels(frame["outcome"], "outcome")
    if split is not None:
        if "date" not in labelled.columns:
            raise CLIError(f"--split-date needs a 'date' column; columns found: {[str(c) for c in labelled.columns]}")
        train_frame, labelled = chronological_split(labelled, split.isoformat())
        try:
            model = train(train_frame)
        except ValueError as exc:
            raise CLIError(f"cannot train on the reports before {args.split_date}: {exc}") from None
        name = f"{args.labelled}: trained before {args.split_date} ({len(train_frame)}), tested after"
    else:
        model = _load(args.model)
        name = f"{args.labelled} (baselines trained on {args.train or 'the shipped corpus'})"
        if _in_sample(model, labelled):
            logging.getLogger("rumourscore").warning(
                "%s is the model's own training data: these figures are in-sample, not a test",
                args.labelled)  # fmt: skip
            name += " [IN-SAMPLE: the model's own training data]"
    try:
        report = evaluate(model, labelled, train_frame, name=name)
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    if args.json:
        _print_json({"name": report.name, "scores": report.scores.to_dict(orient="index"),
                     "reliability": report.reliability.to_dict(orient="records")})  # fmt: skip
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


COMMANDS = {"tag": _cmd_tag, "score": _cmd_score, "claims": _cmd_claims, "train": _cmd_train,
            "evaluate": _cmd_evaluate}  # fmt: skip


class _MessageFormatter(logging.Formatter):
    """A log message as is (a run's summary), and a warning as ``rumourscore: warning: ...`` like the warnings."""

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return f"rumourscore: warning: {text}" if record.levelno >= logging.WARNING else text


def _show_messages(quiet: bool) -> tuple[logging.Handler, int]:
    """Show the library's log messages on stderr (warnings only with ``--quiet``); (handler, former level)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_MessageFormatter("%(message)s"))
    handler.setLevel(logging.WARNING if quiet else logging.INFO)
    logger = logging.getLogger("rumourscore")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler, level


def _one_line_warning(message: Warning | str, *_: Any, **__: Any) -> None:
    print(f"rumourscore: warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 success (``--help`` and ``--version`` too), 2 an error (one line on stderr, no traceback; a
        usage error found by the parser too), 130 interrupted (nothing written). It never raises
        ``SystemExit``: the caller exits (``sys.exit(main())``).
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # argparse ends --help, --version and its usage errors so: return the code
        return stop.code if isinstance(stop.code, int) else 0 if stop.code is None else 2
    handler, level = _show_messages(getattr(args, "quiet", False))
    try:
        with warnings.catch_warnings():  # (the library's warnings as one line each, like its log messages)
            warnings.showwarning = _one_line_warning
            return int(COMMANDS[args.command](args))
    except (CLIError, MissingExtra) as exc:
        print(f"rumourscore: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rumourscore: interrupted: nothing written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except OSError as exc:  # writing the output failed (a full disk, ...): the checks before the run cannot see it
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"rumourscore: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        logging.getLogger("rumourscore").removeHandler(handler)
        logging.getLogger("rumourscore").setLevel(level)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
