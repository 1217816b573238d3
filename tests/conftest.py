"""Shared fixtures: the shipped model, and a small labelled frame written for the tests.

The helper modules beside the tests (generated behaviour checks, fuzzing strategies, the
reference tagger) are registered here, so that a test imports them by name
(``import behaviour_cases``) although pytest runs with ``--import-mode=importlib``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parent.parent
REAL = REPO.parent / "shared" / "real"
#: Modules of ``tests/`` that tests import by name.
HELPER_MODULES = ("behaviour_cases", "fuzz_strategies", "tagger_reference")


def _register_helpers() -> None:
    for name in HELPER_MODULES:
        if name not in sys.modules:
            spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)


_register_helpers()


@pytest.fixture(scope="session")
def shipped_model():
    import rumourscore

    return rumourscore.load_model()


@pytest.fixture(scope="session")
def corpus() -> pd.DataFrame:
    return pd.read_csv(REPO / "data" / "reports.csv")


def toy_reports(n: int = 120) -> pd.DataFrame:
    """A small synthetic labelled frame: confident, well-sourced lines come true more often."""
    true_lines = [
        "Here we go! {p} joins {c}, medical booked for tomorrow.",
        "{c} have agreed a £{f}m fee for {p}, per Sky Sports.",
        "{c} agree personal terms with {p} on a five-year contract.",
    ]
    false_lines = [
        "{c} are keeping tabs on {p}. (Sun)",
        "{c} could make a move for {p}, 24, reportedly.",
        "{c} have had a bid for {p} rejected and pulled out.",
    ]
    players = ["Tom Baker", "Luis Ortega", "Marco Bellini", "Jan Vogel", "Paul Girard", "Sam Okoro"]
    clubs = ["Chelsea", "Arsenal", "Real Madrid", "Bayern Munich", "Napoli", "Juventus"]
    rows = []
    for i in range(n):
        outcome = int(i % 5 < 2)
        lines = true_lines if (outcome and i % 7) or (not outcome and i % 9 == 0) else false_lines
        rows.append({
            "text": lines[i % 3].format(p=players[i % 6], c=clubs[(i * 5) % 6], f=20 + i % 50),
            "source": ["Daily Star", "Fabrizio Romano", "Guardian", "Mail"][i % 4],
            "date": f"{2016 + i % 8}-0{1 + i % 8}-1{i % 9}",
            "subject": players[i % 6],
            "outcome": outcome,
        })  # fmt: skip
    return pd.DataFrame(rows)


@pytest.fixture(scope="session")
def toy_frame() -> pd.DataFrame:
    return toy_reports()


@pytest.fixture(scope="session")
def toy_model(toy_frame):
    from rumourscore import train

    return train(toy_frame)


@pytest.fixture(scope="session")
def model_path(toy_model, tmp_path_factory) -> str:
    """The toy model saved once (its three files), for tests that pass ``--model`` or a path."""
    return str(toy_model.save(tmp_path_factory.mktemp("model") / "toy.joblib"))


@pytest.fixture()
def toy_csv(tmp_path, toy_frame):
    """The first 16 toy reports as ``feed.csv`` in the test's own folder."""
    path = tmp_path / "feed.csv"
    toy_frame.head(16).to_csv(path, index=False)
    return path


# Hypothesis profiles: "ci" (the default; bounded, derandomized so that CI runs the same examples
# every time, no deadline on a shared machine) and "long"
# (the fuzzing campaign: `pytest --hypothesis-profile=long tests/test_fuzz.py`, at least 20,000
# examples per test, or RUMOURSCORE_FUZZ_EXAMPLES). Tests that set their own max_examples keep it.
import os  # noqa: E402

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile("ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "long", max_examples=int(os.environ.get("RUMOURSCORE_FUZZ_EXAMPLES", "20000")), deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)  # fmt: skip
settings.load_profile("ci")
