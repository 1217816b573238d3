"""The examples in the docstrings run (against the installed package)."""

import doctest
import importlib
import pkgutil

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
