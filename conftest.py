"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("LANTERN_SHARED_DIR") or ROOT.parent / "shared")
SEED = SHARED / "seeds" / "000_7cac840d8231d509.txt"


@pytest.fixture
def seed_path() -> Path:
    """The original site's Peru page (read from ../shared, never copied here)."""
    assert SEED.exists(), f"the seed page is missing: {SEED}"
    return SEED


@pytest.fixture
def shared_dir() -> Path:
    return SHARED


@pytest.fixture(autouse=True)
def _data_dir(tmp_path_factory: pytest.TempPathFactory, settings) -> None:  # type: ignore[no-untyped-def]
    """Keep files a test writes out of the user's data directory."""
    settings.DATA_DIR = tmp_path_factory.getbasetemp() / "data"
