"""The backup archive: a zip file holding the database as JSON Lines (one member per
model under `data/`), every stored file (under `files/`) and `manifest.json`, which
lists every member with its SHA-256 and size. Writing and reading members streams
in chunks; every read checks the member against the manifest.

Zip rather than tar: the manifest (written last, once every checksum is known) can
be read without scanning the whole archive, each member is compressed on its own
(JSON deflated, WARCs stored as they are, already gzipped), and any laptop opens it.

Touches only the archive file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

FORMAT = "lantern-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_PREFIX = "data/"
FILES_PREFIX = "files/"
CHUNK = 1 << 20
KINDS = ("data", "file")

# What reading a damaged zip member raises: a bad CRC or header (BadZipFile), a
# broken deflate stream (zlib.error), a cut-off file (EOFError), the disk (OSError).
DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError)


class BackupError(Exception):
    """A backup, check or restore that cannot go on. The message names the archive
    and, where there is one, the member (and line) at fault."""


@dataclass(frozen=True)
class Member:
    """One member of the archive as the manifest lists it."""

    name: str
    kind: str  # "data" (rows of one model) or "file" (one file of the storage)
    sha256: str
    size: int
    model: str = ""  # data: the model's label, e.g. "library.entry"
    rows: int = 0  # data: the number of rows (lines)

    @property
    def storage_name(self) -> str:
        """The file's name in the storage (file members only)."""
        return self.name.removeprefix(FILES_PREFIX)


@dataclass(frozen=True)
class Manifest:
    """What the archive holds and where it came from."""

    lantern_version: str
    created_at: str  # ISO 8601, UTC
    vendor: str  # the database it was made from: "sqlite", "postgresql", …
    migrations: tuple[str, ...]  # "app.migration" applied in that database
    members: tuple[Member, ...]
    format: str = FORMAT
    format_version: int = FORMAT_VERSION
    counts: dict[str, int] = field(default_factory=dict)  # rows per model label

    def data_members(self) -> list[Member]:
        return [m for m in self.members if m.kind == "data"]

    def file_members(self) -> list[Member]:
        return [m for m in self.members if m.kind == "file"]

    def to_json(self) -> bytes:
        body = asdict(self)
        body["members"] = [asdict(m) for m in self.members]
        body["migrations"] = list(self.migrations)
        return json.dumps(body, indent=1, ensure_ascii=False).encode() + b"\n"


def _check_name(name: Any, where: str) -> str:
    """A member name that is a plain relative path inside `data/` or `files/`."""
    if not isinstance(name, str) or not name:
        raise BackupError(f"{where}: a member without a name")
    path = PurePosixPath(name)
    if (
        path.is_absolute()
        or "\\" in name
        or any(part in {"", ".", ".."} for part in name.split("/"))
        or not name.startswith((DATA_PREFIX, FILES_PREFIX))
        or name == MANIFEST
    ):
        raise BackupError(f"{where}: member name {name!r} is not allowed")
    return name


def parse_manifest(raw: bytes, where: str) -> Manifest:
    """The manifest from its bytes; `where` names it in errors ("FILE: manifest.json")."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{where}: not valid JSON ({exc})") from exc
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise BackupError(f"{where}: not a Lantern backup manifest")
    if body.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{where}: format version {body.get('format_version')!r} is not "
            f"supported (this Lantern reads version {FORMAT_VERSION})"
        )
    members: list[Member] = []
    seen: set[str] = set()
    try:
        for n, raw_member in enumerate(body["members"]):
            here = f"{where}, members[{n}]"
            name = _check_name(raw_member.get("name"), here)
            if name in seen:
                raise BackupError(f"{here}: member {name!r} is listed twice")
            seen.add(name)
            member = Member(
                name=name,
                kind=str(raw_member["kind"]),
                sha256=str(raw_member["sha256"]),
                size=int(raw_member["size"]),
                model=str(raw_member.get("model", "")),
                rows=int(raw_member.get("rows", 0)),
            )
            if member.kind not in KINDS or (member.kind == "data") != bool(
                member.model
            ):
                raise BackupError(f"{here}: member {name!r} has an unknown kind")
            members.append(member)
        return Manifest(
            lantern_version=str(body["lantern_version"]),
            created_at=str(body["created_at"]),
            vendor=str(body["vendor"]),
            migrations=tuple(str(m) for m in body["migrations"]),
            members=tuple(members),
            counts={str(k): int(v) for k, v in body.get("counts", {}).items()},
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BackupError(f"{where}: incomplete manifest ({exc!r})") from exc


# ------------------------------------------------------------------- writing


def zip_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    return moment.timetuple()[:6]


def write_member(
    archive: zipfile.ZipFile,
    name: str,
    chunks: Iterable[bytes],
    *,
    compress: bool,
    when: dt.datetime,
) -> tuple[str, int]:
    """Write one member from its chunks; returns (SHA-256, size) of what was written."""
    info = zipfile.ZipInfo(name, date_time=zip_time(when))
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    digest = hashlib.sha256()
    size = 0
    with archive.open(info, "w", force_zip64=True) as out:
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


# ------------------------------------------------------------------- reading


def open_archive(path: Path) -> zipfile.ZipFile:
    """The archive opened for reading; a missing, truncated or foreign file is refused."""
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise BackupError(
            f"{path}: not a Lantern backup, or cut short ({exc}: a zip archive "
            "ends with its table of contents)"
        ) from exc
    except OSError as exc:
        raise BackupError(f"{path}: cannot be read ({exc})") from exc


def read_manifest(archive: zipfile.ZipFile, path: Path) -> Manifest:
    where = f"{path}: {MANIFEST}"
    try:
        raw = archive.read(MANIFEST)
    except KeyError as exc:
        raise BackupError(f"{where}: missing (not a Lantern backup?)") from exc
    except DAMAGE as exc:
        raise BackupError(f"{where}: damaged ({exc})") from exc
    return parse_manifest(raw, where)


def member_chunks(
    archive: zipfile.ZipFile, path: Path, member: Member
) -> Iterator[bytes]:
    """The member's bytes in chunks. After the last chunk, its size and SHA-256 are
    compared with the manifest; a difference (or a damaged member) raises
    BackupError naming the member."""
    where = f"{path}: member {member.name}"
    digest = hashlib.sha256()
    size = 0
    try:
        with archive.open(member.name) as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if size > member.size:
                    raise BackupError(
                        f"{where}: longer than the {member.size:,} bytes the "
                        "manifest lists (changed after the backup?)"
                    )
                yield chunk
    except KeyError as exc:
        raise BackupError(f"{where}: listed in the manifest but missing") from exc
    except DAMAGE as exc:
        raise BackupError(f"{where}: damaged ({exc})") from exc
    if size != member.size:
        raise BackupError(
            f"{where}: {size:,} bytes where the manifest lists {member.size:,} "
            "(cut short or changed after the backup?)"
        )
    if digest.hexdigest() != member.sha256:
        raise BackupError(
            f"{where}: SHA-256 {digest.hexdigest()} does not match the manifest's "
            f"{member.sha256} (damaged or changed after the backup)"
        )


def lines(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The lines (without their ends) of a stream of chunks."""
    rest = b""
    for chunk in chunks:
        rest += chunk
        *complete, rest = rest.split(b"\n")
        yield from complete
    if rest:
        yield rest


def verify(
    archive: zipfile.ZipFile,
    path: Path,
    manifest: Manifest,
    progress: Callable[[Member], None] | None = None,
) -> None:
    """Read every member and compare it with the manifest; refuse members the
    manifest does not list. Raises BackupError naming the first member at fault."""
    listed = {m.name for m in manifest.members}
    for name in archive.namelist():
        if name != MANIFEST and name not in listed and not name.endswith("/"):
            raise BackupError(
                f"{path}: member {name}: not listed in the manifest (added after "
                "the backup?)"
            )
    for member in manifest.members:
        for _chunk in member_chunks(archive, path, member):
            pass
        if progress is not None:
            progress(member)
