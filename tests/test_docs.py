"""The package's source: the examples in the docstrings run (against the installed package), and no
module is over :data:`MAX_MODULE_LINES` lines (one job per module)."""

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import rumourscore

MODULES = sorted(
    name for _, name, _ in pkgutil.iter_modules(rumourscore.__path__, "rumourscore.") if not name.endswith("models")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} failing example(s) in {name}"


#: The design card's limit on a module's length.
MAX_MODULE_LINES = 500


def test_no_module_is_over_the_line_limit():
    sources = sorted(Path(rumourscore.__file__).parent.rglob("*.py"))
    assert len(sources) > 20
    too_long = {p.name: n for p in sources if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not too_long, too_long
