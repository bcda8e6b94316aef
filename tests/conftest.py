"""Shared fixtures: the seed report and its gold files from ``../shared`` (the spec for that report)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("REPORTMINE_SHARED", REPO.parent / "shared"))
SEED = SHARED / "corpus" / "000_532c37f9cf44e412.txt"
BUNDLED_SEED = REPO / "corpus" / "2023-shanghai-safety-month.txt"


def _gold(name: str) -> dict:
    path = SHARED / "gold" / name
    if not path.exists():
        pytest.skip(f"gold file {path} not found: these tests need ../shared beside the repository (or REPORTMINE_SHARED)")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"seed report {SEED} not found: these tests need ../shared beside the repository (or REPORTMINE_SHARED)")
    return SEED


@pytest.fixture(scope="session")
def seed_text(seed_path: Path) -> str:
    text = seed_path.read_text(encoding="utf-8")
    assert "沪安委办函" in text, f"{seed_path} is not the seed report"
    return text


@pytest.fixture(scope="session")
def gold_annex() -> dict:
    return _gold("seed-annex.json")


@pytest.fixture(scope="session")
def gold_document() -> dict:
    return _gold("seed-document.json")


@pytest.fixture(scope="session")
def gold_claims() -> dict:
    return _gold("seed-claims.json")


@pytest.fixture(scope="session")
def seed_report(seed_path: Path):
    import reportmine

    return reportmine.parse(seed_path)
