"""A library backed up on a laptop (SQLite, by the `lantern` script in a process of
its own) is restored into the test database: SQLite again, or PostgreSQL when the
suite runs there, which is how an organisation moves to several machines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from lantern.backup.services import restore
from lantern.library.export import export_library
from lantern.search.services import run_search


def lantern(data_dir: Path, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANTERN_")}
    env.pop("DATABASE_URL", None)
    env["LANTERN_DATA_DIR"] = str(data_dir)
    done = subprocess.run(
        [sys.executable, "-m", "lantern.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.django_db(transaction=True)
def test_a_library_backed_up_on_sqlite_is_restored_here(
    settings: Any, tmp_path: Path
) -> None:
    media = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    settings.LANTERN_SEARCH_DIR = str(tmp_path / "search")
    laptop = tmp_path / "laptop"
    archive = tmp_path / "laptop.zip"
    lantern(laptop, "demo")
    lantern(laptop, "backup", str(archive))
    lantern(laptop, "export", "--format", "json", "-o", str(tmp_path / "laptop.json"))

    summary = restore(archive)

    exported = json.loads((tmp_path / "laptop.json").read_text())
    here = json.loads(json.dumps(export_library(), default=str))
    for document in (exported, here):
        document.pop("exported_at")
    assert here == exported
    for label, rows in summary.manifest.counts.items():
        model = apps.get_model(label)
        assert model._base_manager.count() == rows, label
    assert run_search("Peru").total > 0
