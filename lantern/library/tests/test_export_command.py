"""`lantern export` writes the documented JSON to a file or standard output."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.legacy.services import import_files

pytestmark = pytest.mark.django_db


def test_export_to_file(seed_path: Path, tmp_path: Path) -> None:
    import_files([seed_path])
    target = tmp_path / "out.json"
    err = io.StringIO()
    call_command(
        "export", "--format", "json", "--country", "pe", "-o", str(target), stderr=err
    )
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["format"] == "lantern-export"
    assert len(data["entries"]) == 15
    assert "entries 15" in err.getvalue()


def test_export_to_stdout_is_json() -> None:
    out = io.StringIO()
    call_command("export", stdout=out)
    data = json.loads(out.getvalue())
    assert len(data["countries"]) == 250
    assert data["entries"] == []


def test_export_unknown_country_is_an_error() -> None:
    with pytest.raises(CommandError, match="unknown country code 'zz'"):
        call_command("export", "--country", "zz", stdout=io.StringIO())
