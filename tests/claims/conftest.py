"""Fixtures of the claims tests: the seed article and its claims, scored with the shipped model."""

from __future__ import annotations

from pathlib import Path

import pytest

from rumourscore._claims import claims

SEED = Path(__file__).resolve().parents[2] / "seeds" / "2024-11-14_alonso_leverkusen_real_madrid.txt"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text("utf-8")


@pytest.fixture(scope="session")
def seed_claims(shipped_model, seed_text):
    return claims(seed_text, model=shipped_model)
