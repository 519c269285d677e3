"""`lantern backup` and `lantern restore`: the whole library (database and stored
files, WARC snapshots included) in one checksummed archive, and back.

A backup reads the database as one consistent snapshot, writes the archive beside
its final name and renames it into place only once it has been read back and
every member matched its checksum. A restore checks every member before it
changes anything, then writes the files, replaces every table in one transaction,
and rebuilds the search index. See docs/backup.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from lantern import __version__
from lantern.backup import database
from lantern.backup.archive import (
    CHUNK,
    DATA_PREFIX,
    FILES_PREFIX,
    MANIFEST,
    BackupError,
    Manifest,
    Member,
    lines,
    member_chunks,
    open_archive,
    read_manifest,
    verify,
    write_member,
)

Progress = Callable[[str, int, int], None]  # (step, members done, members in all)


@dataclass(frozen=True)
class Summary:
    """What a backup wrote, a check found or a restore put back."""

    path: Path
    manifest: Manifest
    seconds: float
    warnings: tuple[str, ...] = ()
    removed_files: int = 0  # restore: stored files that were not in the backup
    search_indexed: int | None = None  # restore: entries in the rebuilt index

    @property
    def rows(self) -> dict[str, int]:
        return {m.model: m.rows for m in self.manifest.data_members()}

    @property
    def files(self) -> int:
        return len(self.manifest.file_members())

    @property
    def file_bytes(self) -> int:
        return sum(m.size for m in self.manifest.file_members())

    @property
    def data_bytes(self) -> int:
        return sum(m.size for m in self.manifest.data_members())


# ------------------------------------------------------------------ stored files


def stored_files(folder: str = "") -> Iterator[str]:
    """Every file in the default storage, by name, in sorted order. Reads storage."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_files(f"{folder}/{sub}" if folder else sub)


def _inside_storage(path: Path) -> bool:
    """Whether `path` lies in the storage's folder (storages on disk only)."""
    try:
        root = Path(default_storage.path("")).resolve()
    except NotImplementedError:  # not on this machine's disk (S3, …)
        return False
    return path.resolve().is_relative_to(root)


def _storage_chunks(name: str) -> Iterator[bytes]:
    with default_storage.open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def _missing_warcs(kept: set[str]) -> list[str]:
    """Snapshots whose WARC file the storage does not hold."""
    from lantern.capture.models import Snapshot

    return [
        f"snapshot {pk}: its WARC {path} is not in the storage"
        for pk, path in Snapshot.objects.exclude(warc_path="")
        .order_by("pk")
        .values_list("pk", "warc_path")
        if path not in kept
    ]


# ------------------------------------------------------------------------ backup


def back_up(
    path: Path, *, force: bool = False, progress: Progress | None = None
) -> Summary:
    """Write the whole library to the archive at `path`. Reads the database and the
    storage, writes `path` (through a temporary file beside it, renamed into place
    once read back and checked: a failed backup leaves no file under that name).
    Refuses an existing `path` unless `force`."""
    started = time.monotonic()
    path = Path(path)
    if path.exists() and not force:
        raise BackupError(f"{path}: already exists (use --force to replace it)")
    if path.is_dir():
        raise BackupError(f"{path}: is a folder; give the name of a file to write")
    if not path.parent.is_dir():
        raise BackupError(f"{path}: folder {path.parent} does not exist")
    if _inside_storage(path):
        raise BackupError(
            f"{path}: inside the storage folder, which the backup copies; "
            "write it somewhere else"
        )
    handle, name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
    )
    os.close(handle)
    partial = Path(name)
    try:
        manifest, warnings = _write_archive(partial, progress)
        with open_archive(partial) as archive:
            _verify(archive, partial, read_manifest(archive, partial), progress)
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Summary(
        path=path,
        manifest=manifest,
        seconds=time.monotonic() - started,
        warnings=tuple(warnings),
    )


def _write_archive(
    partial: Path, progress: Progress | None
) -> tuple[Manifest, list[str]]:
    created = timezone.now().astimezone(dt.UTC)
    members: list[Member] = []
    with (
        zipfile.ZipFile(partial, "w", allowZip64=True) as archive,
        database.read_snapshot(),
    ):
        migrations = database.applied_migrations()
        models = database.backed_up_models()
        counts = {database.label(m): m._base_manager.count() for m in models}
        files = list(stored_files())
        total = sum(1 for rows in counts.values() if rows) + len(files)
        for model in models:
            label = database.label(model)
            if not counts[label]:
                continue
            name = f"{DATA_PREFIX}{label}.jsonl"
            written = _Lines(database.dump_rows(model))
            digest, size = write_member(
                archive, name, written, compress=True, when=created
            )
            if written.count != counts[label]:  # outside a snapshot only
                raise BackupError(
                    f"{partial}: member {name}: {written.count:,} rows written where "
                    f"the table held {counts[label]:,} (was it written to during "
                    "the backup?)"
                )
            members.append(
                Member(name, "data", digest, size, model=label, rows=written.count)
            )
            if progress is not None:
                progress("Writing", len(members), total)
        for stored in files:
            name = f"{FILES_PREFIX}{stored}"
            digest, size = write_member(
                archive, name, _storage_chunks(stored), compress=False, when=created
            )
            members.append(Member(name, "file", digest, size))
            if progress is not None:
                progress("Writing", len(members), total)
        warnings = _missing_warcs(set(files))
        manifest = Manifest(
            lantern_version=__version__,
            created_at=created.isoformat().replace("+00:00", "Z"),
            vendor=connection.vendor,
            migrations=tuple(migrations),
            members=tuple(members),
            counts=counts,
        )
        archive.writestr(MANIFEST, manifest.to_json(), zipfile.ZIP_DEFLATED)
    return manifest, warnings


class _Lines:
    """Chunks of JSON Lines passed through, their lines counted."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.count = 0

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self.chunks:
            self.count += chunk.count(b"\n")
            yield chunk


# ------------------------------------------------------------------ check, restore


def _verify(
    archive: zipfile.ZipFile, path: Path, manifest: Manifest, progress: Progress | None
) -> None:
    total = len(manifest.members)
    done = 0

    def step(member: Member) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress("Checking", done, total)

    verify(archive, path, manifest, step)


def check(path: Path, *, progress: Progress | None = None) -> Summary:
    """Verify every member of the archive against its manifest and tell whether it
    can be restored into this database (same migrations, same models). Reads the
    archive and the database; changes nothing."""
    started = time.monotonic()
    path = Path(path)
    with open_archive(path) as archive:
        manifest = read_manifest(archive, path)
        _check_fits(path, manifest)
        _verify(archive, path, manifest, progress)
    return Summary(path=path, manifest=manifest, seconds=time.monotonic() - started)


def _check_fits(path: Path, manifest: Manifest) -> None:
    """The archive's tables are this database's tables: the same migrations are
    applied, and every model it holds is one this installation backs up."""
    here = set(database.applied_migrations())
    there = set(manifest.migrations)
    if there - here:
        raise BackupError(
            f"{path}: made by a newer Lantern ({manifest.lantern_version}); this "
            f"database lacks migrations {', '.join(sorted(there - here)[:5])}. "
            "Upgrade Lantern, then restore."
        )
    if here - there:
        raise BackupError(
            f"{path}: made by an older Lantern ({manifest.lantern_version}), before "
            f"migrations {', '.join(sorted(here - there)[:5])}. Restore it with that "
            "version, then upgrade (docs/backup.md)."
        )
    known = {database.label(m) for m in database.backed_up_models()}
    for member in manifest.data_members():
        if member.model not in known:
            raise BackupError(
                f"{path}: member {member.name}: model {member.model} is not one "
                "this Lantern backs up"
            )


def restore(
    path: Path, *, force: bool = False, progress: Progress | None = None
) -> Summary:
    """Replace the library with the archive's: refuse a database that holds a
    library unless `force`, check every member (nothing is touched when one
    fails), write the stored files, replace every table in one transaction, then
    remove stored files the backup does not have and rebuild the search index.
    Touches the database, the storage and the search index."""
    started = time.monotonic()
    path = Path(path)
    with open_archive(path) as archive:
        manifest = read_manifest(archive, path)
        _check_fits(path, manifest)
        wanted = {m.storage_name for m in manifest.file_members()}
        extra = [name for name in stored_files() if name not in wanted]
        existing = database.library_data()
        if (existing or extra) and not force:
            biggest = sorted(existing.items(), key=lambda item: (-item[1], item[0]))
            held = [f"{label} {rows:,}" for label, rows in biggest]
            if extra:
                held.append(f"stored files not in the backup {len(extra):,}")
            raise BackupError(
                f"{path}: not restored: this database already holds a library "
                f"({'; '.join(held[:6])}{'; …' if len(held) > 6 else ''}). Restore "
                "with --force to replace it."
            )
        _verify(archive, path, manifest, progress)
        total = len(manifest.members)
        done = 0
        for member in manifest.file_members():
            _restore_file(archive, path, member)
            done += 1
            if progress is not None:
                progress("Restoring", done, total)
        models = {database.label(m): m for m in database.backed_up_models()}
        with transaction.atomic():
            database.empty_database()
            for member in manifest.data_members():
                loaded = database.load_rows(
                    models[member.model],
                    lines(member_chunks(archive, path, member)),
                    f"{path}: member {member.name}",
                )
                if loaded != member.rows:
                    raise BackupError(
                        f"{path}: member {member.name}: {loaded:,} rows where the "
                        f"manifest lists {member.rows:,}"
                    )
                done += 1
                if progress is not None:
                    progress("Restoring", done, total)
            database.finish_load(list(models.values()), str(path))
    for name in extra:
        default_storage.delete(name)
    try:
        from lantern.search import index

        indexed = index.rebuild()
    except Exception as exc:
        raise BackupError(
            f"{path}: restored, but the search index could not be rebuilt ({exc}); "
            "run `lantern reindex`"
        ) from exc
    return Summary(
        path=path,
        manifest=manifest,
        seconds=time.monotonic() - started,
        removed_files=len(extra),
        search_indexed=indexed,
    )


def _restore_file(archive: zipfile.ZipFile, path: Path, member: Member) -> None:
    """Put one stored file back (an identical one already there is left alone)."""
    name = member.storage_name
    if default_storage.exists(name):
        if default_storage.size(name) == member.size and _same_file(name, member):
            return
        default_storage.delete(name)
    with archive.open(member.name) as handle:
        content = File(handle, name=name)
        content.size = member.size  # not a file on disk: say what the manifest says
        saved = default_storage.save(name, content)
    if saved != name:
        raise BackupError(f"{path}: member {member.name}: stored as {saved} instead")
    if not _same_file(name, member):
        default_storage.delete(name)
        raise BackupError(
            f"{path}: member {member.name}: the stored copy does not match its "
            "checksum (was the archive changed during the restore?)"
        )


def _same_file(name: str, member: Member) -> bool:
    digest = hashlib.sha256()
    for chunk in _storage_chunks(name):
        digest.update(chunk)
    return digest.hexdigest() == member.sha256
