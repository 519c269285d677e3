"""`lantern backup` and `lantern restore` as commands: a summary of what was done,
and refusals as command errors that name the member at fault."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.backup.tests.conftest import Library, rewrite
from lantern.library.models import Entry

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_backup_check_and_restore_print_what_they_did(
    library: Library, tmp_path: Path
) -> None:
    archive = tmp_path / "library.zip"
    entries = Entry.objects.count()

    written = run("backup", str(archive))
    checked = run("restore", "--check", str(archive))
    restored = run("restore", "--force", str(archive))

    assert re.search(rf"^library\.entry +{entries}$", written, re.MULTILINE)
    assert "files 1 " in written and f"wrote {archive}" in written
    assert "every member matches its checksum" in checked
    assert f"search index {entries} entries" in restored


def test_restore_without_force_is_a_command_error(
    library: Library, tmp_path: Path
) -> None:
    archive = tmp_path / "library.zip"
    run("backup", str(archive))

    with pytest.raises(CommandError, match=r"already holds a library.*--force"):
        run("restore", str(archive))


def test_a_damaged_archive_is_a_command_error_naming_the_member(
    library: Library, tmp_path: Path
) -> None:
    archive = tmp_path / "library.zip"
    run("backup", str(archive))
    name = "data/library.entry.jsonl"
    rewrite(
        archive, lambda n, data: data.replace(b"Peru", b"Pera") if n == name else data
    )

    with pytest.raises(CommandError, match=rf"{archive}: member {name}: SHA-256"):
        run("restore", "--check", str(archive))


def test_backup_into_a_missing_folder_is_a_command_error(
    library: Library, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match=r"folder .*nowhere does not exist"):
        run("backup", str(tmp_path / "nowhere" / "library.zip"))
