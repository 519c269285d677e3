"""Backing up the library and restoring it: the same rows and files come back, and a
damaged archive or a database that holds a library is refused with nothing changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from lantern.backup.archive import MANIFEST, BackupError
from lantern.backup.services import back_up, check, restore
from lantern.backup.tests.conftest import Library, everything, files_in, rewrite
from lantern.capture.models import Snapshot
from lantern.capture.warc import read_warc
from lantern.library.models import Entry
from lantern.search.services import run_search

pytestmark = pytest.mark.django_db(transaction=True)


def empty_everything(library: Library) -> None:
    """What a new machine has: an emptied database, no files, an empty index (in a
    folder of its own: the process keeps the old index open)."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(library.media)
    settings.LANTERN_SEARCH_DIR = str(library.media.parent / "new-search")


def test_restore_into_an_emptied_database_reproduces_the_library(
    library: Library, tmp_path: Path
) -> None:
    before = everything()
    files = files_in(library.media)
    # Times keep their microseconds (Django's JSON keeps only milliseconds).
    assert Snapshot.objects.get().captured_at.microsecond == 123456
    assert before["auth.user"] and before["library.entry_countries"]
    archive = tmp_path / "library.zip"

    written = back_up(archive)
    empty_everything(library)
    assert not Entry.objects.exists()
    restored = restore(archive)

    assert everything() == before
    assert files_in(library.media) == files
    assert set(files) == {library.warc_path}
    assert read_warc(library.warc_path).payload.startswith(b"<!DOCTYPE html>")
    assert restored.rows == written.rows
    assert written.rows["library.entry"] == len(before["library.entry"])
    assert written.files == 1
    assert restored.search_indexed == len(before["library.entry"])


def test_search_finds_the_restored_entries(library: Library, tmp_path: Path) -> None:
    archive = tmp_path / "library.zip"
    back_up(archive)
    empty_everything(library)

    restore(archive)

    found = run_search("Peru")
    assert found.total > 0
    assert {f.entry.pk for f in found.found} <= set(
        Entry.objects.values_list("pk", flat=True)
    )


def test_new_rows_get_fresh_ids_after_a_restore(
    library: Library, tmp_path: Path
) -> None:
    archive = tmp_path / "library.zip"
    back_up(archive)
    highest = Entry.objects.order_by("-pk").values_list("pk", flat=True)[0]
    empty_everything(library)
    restore(archive)

    entry = Entry.objects.create(title="Added after the restore", format="web")

    assert entry.pk > highest


def test_restore_refuses_a_database_that_holds_a_library(
    library: Library, tmp_path: Path
) -> None:
    archive = tmp_path / "library.zip"
    back_up(archive)
    Entry.objects.filter(pk=Entry.objects.order_by("pk")[0].pk).delete()
    before = everything()
    files = files_in(library.media)

    with pytest.raises(BackupError, match=r"already holds a library.*--force"):
        restore(archive)

    assert everything() == before
    assert files_in(library.media) == files


def test_restore_with_force_replaces_the_library(
    library: Library, tmp_path: Path
) -> None:
    archive = tmp_path / "library.zip"
    before = everything()
    files = files_in(library.media)
    back_up(archive)
    Entry.objects.filter(pk=Entry.objects.order_by("pk")[0].pk).delete()
    Entry.objects.create(title="Not in the backup", format="web")
    stray = library.media / "warcs" / "stray.warc.gz"
    stray.write_bytes(b"not in the backup")

    summary = restore(archive, force=True)

    assert everything() == before
    assert files_in(library.media) == files
    assert summary.removed_files == 1


def _flip_one_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]


@pytest.mark.parametrize(
    "member", ["data/library.entry.jsonl", "data/auth.user.jsonl", "files/"]
)
def test_a_changed_member_is_refused_by_name_and_nothing_changes(
    library: Library, tmp_path: Path, member: str
) -> None:
    archive = tmp_path / "library.zip"
    back_up(archive)
    name = f"files/{library.warc_path}" if member == "files/" else member
    rewrite(archive, lambda n, data: _flip_one_byte(data) if n == name else data)
    Entry.objects.create(title="Added after the backup", format="web")
    before = everything()
    files = files_in(library.media)

    with pytest.raises(BackupError, match=rf"member {name}: SHA-256 .* does not match"):
        check(archive)
    with pytest.raises(BackupError, match=rf"member {name}: SHA-256"):
        restore(archive, force=True)

    assert everything() == before
    assert files_in(library.media) == files


def test_a_byte_changed_on_disk_is_refused_by_name(
    library: Library, tmp_path: Path
) -> None:
    archive = tmp_path / "library.zip"
    back_up(archive)
    name = f"files/{library.warc_path}"
    with zipfile.ZipFile(archive) as opened:
        info = opened.getinfo(name)
    raw = bytearray(archive.read_bytes())
    # The member is stored as it is: its data follow the local header.
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + info.compress_size // 2] ^= 0x01
    archive.write_bytes(bytes(raw))
    before = everything()

    with pytest.raises(BackupError, match=rf"member {name}: damaged"):
        restore(archive, force=True)

    assert everything() == before


def test_a_cut_short_archive_is_refused(library: Library, tmp_path: Path) -> None:
    archive = tmp_path / "library.zip"
    back_up(archive)
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    with pytest.raises(BackupError, match=r"not a Lantern backup, or cut short"):
        check(archive)


def test_a_member_added_to_the_archive_is_refused(
    library: Library, tmp_path: Path
) -> None:
    archive = tmp_path / "library.zip"
    back_up(archive)
    with zipfile.ZipFile(archive, "a") as opened:
        opened.writestr("files/warcs/extra.warc.gz", b"slipped in")

    with pytest.raises(
        BackupError, match=r"member files/warcs/extra.warc.gz: not listed"
    ):
        check(archive)


def test_an_archive_from_another_schema_is_refused(
    library: Library, tmp_path: Path
) -> None:
    archive = tmp_path / "library.zip"
    back_up(archive)

    def newer(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["migrations"].append("library.9999_from_the_future")
        return json.dumps(manifest).encode()

    rewrite(archive, newer)

    with pytest.raises(
        BackupError, match=r"newer Lantern.*library.9999_from_the_future"
    ):
        check(archive)


def test_backup_refuses_to_replace_a_file_without_force(
    library: Library, tmp_path: Path
) -> None:
    archive = tmp_path / "library.zip"
    archive.write_bytes(b"an older backup")

    with pytest.raises(BackupError, match=r"already exists.*--force"):
        back_up(archive)
    assert archive.read_bytes() == b"an older backup"

    back_up(archive, force=True)
    assert check(archive).rows["library.entry"] == Entry.objects.count()


def test_a_backup_warns_of_a_snapshot_whose_warc_is_missing(
    library: Library, tmp_path: Path
) -> None:
    (library.media / library.warc_path).unlink()

    summary = back_up(tmp_path / "library.zip")

    assert summary.warnings == (
        f"snapshot {library.snapshot_id}: its WARC {library.warc_path} is not in "
        "the storage",
    )


def test_a_backup_inside_the_storage_folder_is_refused(library: Library) -> None:
    with pytest.raises(BackupError, match=r"inside the storage folder"):
        back_up(library.media / "library.zip")
    assert not (library.media / "library.zip").exists()


def test_an_interrupted_backup_leaves_no_file(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    archive = folder / "library.zip"
    archive.write_bytes(b"yesterday's backup")

    def interrupt(step: str, done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        back_up(archive, force=True, progress=interrupt)

    assert [p.name for p in folder.iterdir()] == ["library.zip"]
    assert archive.read_bytes() == b"yesterday's backup"


def test_the_manifest_lists_every_member_with_its_checksum(
    library: Library, tmp_path: Path
) -> None:
    archive = tmp_path / "library.zip"
    back_up(archive)

    with zipfile.ZipFile(archive) as opened:
        manifest = json.loads(opened.read(MANIFEST))
        names = set(opened.namelist()) - {MANIFEST}
        for member in manifest["members"]:
            data = opened.read(member["name"])
            assert hashlib.sha256(data).hexdigest() == member["sha256"]
            assert len(data) == member["size"]
    assert names == {m["name"] for m in manifest["members"]}
    assert manifest["format"] == "lantern-backup"
    assert manifest["counts"]["library.entry"] == Entry.objects.count()
    assert dt.datetime.fromisoformat(manifest["created_at"]).tzinfo is not None


def _with_manifest_fitted(
    path: Path, name: str, change: Callable[[bytes], bytes]
) -> None:
    """Change one member and make the manifest's checksum fit: what a bug (not
    damage) would write. Only the database can refuse it."""
    changed: dict[str, bytes] = {}

    def member(n: str, data: bytes) -> bytes:
        if n == name:
            changed[n] = change(data)
            return changed[n]
        return data

    rewrite(path, member)

    def manifest(n: str, data: bytes) -> bytes:
        if n != MANIFEST:
            return data
        body = json.loads(data)
        for listed in body["members"]:
            if listed["name"] == name:
                listed["sha256"] = hashlib.sha256(changed[name]).hexdigest()
                listed["size"] = len(changed[name])
        return json.dumps(body).encode()

    rewrite(path, manifest)


def test_rows_that_do_not_fit_together_leave_the_old_library(
    library: Library, tmp_path: Path
) -> None:
    archive = tmp_path / "library.zip"
    back_up(archive)
    _with_manifest_fitted(
        archive,
        "data/library.access.jsonl",
        lambda data: re.sub(rb'"entry": \d+', b'"entry": 999999', data, count=1),
    )
    Entry.objects.create(title="Added after the backup", format="web")
    before = everything()

    with pytest.raises(
        BackupError, match=r"(?s)library.zip: the rows do not fit together.*999999"
    ):
        restore(archive, force=True)

    assert everything() == before


def test_a_member_name_leading_out_of_the_storage_is_refused(
    library: Library, tmp_path: Path
) -> None:
    archive = tmp_path / "library.zip"
    back_up(archive)

    def escape(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        body = json.loads(data)
        body["members"][-1]["name"] = "files/../../outside"
        return json.dumps(body).encode()

    rewrite(archive, escape)

    with pytest.raises(BackupError, match=r"member name 'files/../../outside' is not"):
        check(archive)
