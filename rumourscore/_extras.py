"""Optional extras: one check that names the extra to install when a module is missing."""

from __future__ import annotations

import importlib

__all__ = ["EXTRAS", "MissingExtra", "require"]

#: The modules each extra of ``pyproject.toml`` provides.
EXTRAS = {"parquet": ("pyarrow",), "dask": ("dask.dataframe", "distributed"), "plot": ("matplotlib",),
          "progress": ("tqdm",)}  # fmt: skip


class MissingExtra(ImportError):
    """An optional dependency is not installed; the message names the extra that installs it."""


def require(extra: str, purpose: str) -> None:
    """Import the modules of ``extra`` or raise :class:`MissingExtra` naming it.

    Parameters
    ----------
    extra : str
        A key of :data:`EXTRAS` (``"parquet"``, ``"dask"``, ...).
    purpose : str
        What needs it, for the message ("Parquet output").

    Raises
    ------
    MissingExtra
        If one of the modules cannot be imported.
    """
    for module in EXTRAS[extra]:
        try:
            importlib.import_module(module)
        except ImportError:
            raise MissingExtra(f"{purpose} needs {module.split('.')[0]}: pip install 'rumourscore[{extra}]'") from None
