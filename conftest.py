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
def _isolated(tmp_path_factory: pytest.TempPathFactory, settings) -> None:  # type: ignore[no-untyped-def]
    """Keep files a test writes out of the user's data directory, and let the
    fetcher reach the test servers on 127.0.0.1 (tests of the guard turn it off)."""
    base = tmp_path_factory.getbasetemp()
    settings.DATA_DIR = base / "data"
    settings.MEDIA_ROOT = base / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(base / "media")},
        },
    }
    settings.LANTERN_ALLOW_PRIVATE_NETWORKS = True
