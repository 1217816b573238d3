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


def test_the_readme_floor_table_follows_the_import_contract():
    """Every module is on one floor of README.md's table, and no floor sits under a layer the
    ``[tool.importlinter]`` contract puts above it."""
    import re

    tomllib = pytest.importorskip("tomllib")
    repo = Path(__file__).resolve().parent.parent
    contract = tomllib.loads((repo / "pyproject.toml").read_text("utf-8"))["tool"]["importlinter"]["contracts"][0]
    layers = contract["layers"]
    layer_of = {m.strip(" ()").removeprefix("rumourscore."): len(layers) - i
                for i, line in enumerate(layers) for m in line.split("|")}  # fmt: skip
    floor_of = {}
    for floor, cells in re.findall(r"^\| (\d+) \| (.+?) \|", (repo / "README.md").read_text("utf-8"), re.M):
        for name in re.findall(r"`([\w/]+)(?:\.py|/)`", cells):
            floor_of[name] = int(floor)
    modules = {p.stem for p in (repo / "rumourscore").glob("*.py") if p.stem != "__init__"} | {"_claims"}
    assert modules - set(floor_of) == set(), "modules missing from the README's floor table"
    for a in layer_of:
        for b in layer_of:
            if layer_of[a] < layer_of[b]:
                assert floor_of[a] <= floor_of[b], f"{a} is on a floor above {b}'s, which the contract puts over it"
