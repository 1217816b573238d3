"""The package's source: the examples in the docstrings run (against the installed package), and no
module is over :data:`MAX_MODULE_LINES` lines (one job per module)."""

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import rumourscore
from rumourscore._extras import EXTRAS

MODULES = sorted(
    name for _, name, _ in pkgutil.iter_modules(rumourscore.__path__, "rumourscore.") if not name.endswith("models")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    try:
        module = importlib.import_module(name)
    except ImportError as exc:  # (a module that needs an optional extra not installed here)
        if (exc.name or "").split(".")[0] not in {m.split(".")[0] for ms in EXTRAS.values() for m in ms}:
            raise
        pytest.skip(f"{name} needs {exc.name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} failing example(s) in {name}"


#: The design card's limit on a module's length.
MAX_MODULE_LINES = 500


def test_no_module_is_over_the_line_limit():
    sources = sorted(Path(rumourscore.__file__).parent.rglob("*.py"))
    assert len(sources) > 20
    too_long = {p.name: n for p in sources if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not too_long, too_long
