"""What a command-line argument is: literal text, an article file, a table file, or stdin.

The rules, so that a mistyped file name is never scored as a rumour:

* ``-`` is stdin; ``--text`` makes the argument literal text whatever it looks like.
* An existing file is read if its extension is supported (else the error lists those that are).
* An argument with no whitespace that has a file extension or a path separator, and is not an
  existing file, is a usage error naming the closest existing file in its folder.
* Anything else ("Man Utd/Chelsea keen") is literal text.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import sys
from pathlib import Path

__all__ = ["ARTICLE_SUFFIXES", "TABLE_SUFFIXES", "CLIError", "classify", "read_text_arg"]

#: Input extensions scored as tables.
TABLE_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq", ".jsonl", ".ndjson")
#: Extensions read as one article ("" is a file without an extension).
ARTICLE_SUFFIXES = (".txt", ".text", ".md", "")
#: Longest argument that is looked up as a file name.
MAX_PATH_CHARS = 4096
_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")


class CLIError(Exception):
    """A user-facing error: printed without a traceback, exit code 2."""


def _looks_like_path(arg: str) -> bool:
    if any(ch.isspace() for ch in arg):
        return False
    return "/" in arg or os.sep in arg or bool(_EXTENSION.search(arg))


def _closest(arg: str) -> str:
    """`` (closest existing file: X)`` for a mistyped path, or ``""``."""
    path = Path(arg)
    folder = path.parent
    try:
        names = [p.name for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    except OSError:
        names = []
    match = difflib.get_close_matches(path.name, names, n=1, cutoff=0.5)
    if not match:
        return ""
    shown = str(folder / match[0]) if str(folder) != "." else match[0]
    return f"; closest existing file: {shown}"


def _mode(path: Path) -> int | None:
    """The file mode of ``path``, or None when there is no such file (or the name is too long to be one)."""
    try:
        return path.stat().st_mode
    except (OSError, ValueError):
        return None


def _supported(command: str) -> tuple[str, ...]:
    return ARTICLE_SUFFIXES + TABLE_SUFFIXES if command == "score" else ARTICLE_SUFFIXES


def classify(arg: str, command: str, *, force_text: bool = False) -> str:
    """``"stdin"``, ``"text"``, ``"article"`` or ``"table"`` for the input argument of ``command``.

    Parameters
    ----------
    arg : str
        The argument as typed.
    command : str
        ``"score"`` (reads tables too), ``"claims"`` or ``"tag"``.
    force_text : bool
        ``--text``: the argument is literal text.

    Raises
    ------
    CLIError
        For a path that does not exist (naming the closest file) or has an unsupported extension.

    Examples
    --------
    >>> classify("Man Utd/Chelsea keen", "score")
    'text'
    >>> classify("feed.csv", "score", force_text=True)
    'text'
    """
    if force_text or not arg.strip():  # ("" is no path: Path("") is the current folder)
        return "text"
    if arg == "-":
        return "stdin"
    if len(arg) >= MAX_PATH_CHARS or "\n" in arg:
        return "text"
    path = Path(arg)
    suffix = path.suffix.lower() if _EXTENSION.search(path.name) else ""
    supported = _supported(command)
    listed = ", ".join(s for s in supported if s)
    mode = _mode(path)
    if mode is not None and stat.S_ISDIR(mode):
        raise CLIError(f"{arg} is a folder, not a file")
    if mode is not None and not stat.S_ISREG(mode):  # /dev/stdin, a pipe such as <(cmd): read as it comes
        return "article"
    if mode is not None:
        if suffix in TABLE_SUFFIXES and command == "score":
            return "table"
        if suffix in ARTICLE_SUFFIXES:
            return "article"
        hint = "; to score a table: rumourscore score FILE -o OUT" if suffix in TABLE_SUFFIXES else ""
        raise CLIError(f"{arg}: {command} cannot read {suffix or 'this'} files; it reads {listed}{hint}")
    if _looks_like_path(arg):
        if suffix and suffix not in supported:
            raise CLIError(f"input file not found: {arg} ({suffix} is not supported: use {listed}){_closest(arg)}")
        raise CLIError(f"input file not found: {arg}{_closest(arg)} (use --text to read it as text)")
    return "text"


def read_text_arg(arg: str, kind: str) -> tuple[str, str | None]:
    """Return (text, filename) for an argument of kind ``"text"``, ``"article"`` or ``"stdin"``.

    Raises
    ------
    CLIError
        If the file cannot be read, or it or the text is not UTF-8.
    """
    if kind == "text":
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError as exc:  # bytes the terminal's encoding could not decode
            raise CLIError(f"the text is not valid UTF-8 (character {exc.start}); check the terminal's encoding"
                           ) from None
        return arg, None
    if kind == "stdin":
        data, name = sys.stdin.buffer.read(), None
    else:
        try:
            data, name = Path(arg).read_bytes(), arg
        except OSError as exc:
            raise CLIError(f"cannot read {arg}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError as exc:
        raise CLIError(f"{name or 'stdin'} is not valid UTF-8 (byte {exc.start}); convert it first") from None
