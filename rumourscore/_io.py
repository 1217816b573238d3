"""Files: one atomic-write context manager for every output file, file modes, hashing, shipped paths.

Every file rumourscore writes (model files, manifests, batch outputs, HTML views) goes through
:func:`atomic_file`: the content is written to a temporary file next to the target and renamed
into place only when the block ends without an exception, so a reader never sees half a file
and a failed run leaves the old file (or none) behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import IO, Any

__all__ = ["PART_SUFFIX", "atomic_file", "atomic_write_bytes", "atomic_write_text", "file_sha256", "new_file_mode",
           "shipped_path"]  # fmt: skip

#: Suffix of the temporary file an output is written to before it is renamed into place.
PART_SUFFIX = ".part"


def new_file_mode() -> int:
    """Permissions an ordinary new file gets here (0666 less the umask); temp files start at 0600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_file(path: str | os.PathLike[str], mode: str = "wb", **open_kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path``; rename it onto ``path`` when the block succeeds.

    Parameters
    ----------
    path : str or os.PathLike
        The final file. Its folder must exist.
    mode : str
        ``"wb"`` (default) or ``"w"``; text mode takes ``encoding``/``newline`` in ``open_kwargs``.

    Raises
    ------
    FileNotFoundError
        If the folder of ``path`` does not exist.
    IsADirectoryError
        If ``path`` is a folder.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(f"directory {path.parent} does not exist")
    if path.is_dir():
        raise IsADirectoryError(f"{path} is a directory")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=PART_SUFFIX)
    try:
        with os.fdopen(fd, mode, **open_kwargs) as fh:
            yield fh
        os.chmod(tmp, new_file_mode())  # mkstemp creates 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_file`)."""
    with atomic_file(path, "wb") as fh:
        fh.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically (see :func:`atomic_file`)."""
    atomic_write_bytes(path, text.encode("utf-8"))


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def shipped_path(folder: str, filename: str) -> Path:
    """Path of a file shipped in a top-level folder (``models``, ``data``).

    Installed, the folders are package data (``rumourscore.models``, ``rumourscore.data``);
    in a source checkout they sit next to the package.
    """
    try:
        candidate = Path(str(resources.files(f"rumourscore.{folder}").joinpath(filename)))
        if candidate.is_file():
            return candidate
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / folder / filename
