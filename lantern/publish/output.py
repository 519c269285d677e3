"""Writing the static site's files only when their bytes change, with a manifest.

The manifest (`OUT_DIR/.lantern-publish.json`) maps every file a run produced to the
SHA-256 of its bytes, and names the pages the search index covers. The next run
writes a file only when its hash differs (or the file is missing), leaves the rest
alone (their modification times too) and deletes what it no longer produces.
Pure file handling: no Django.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

MANIFEST_NAME = ".lantern-publish.json"
MANIFEST_VERSION = 1
# Pagefind writes its bundle here itself; the manifest does not track it.
PAGEFIND_DIR = "pagefind"


class OutputError(Exception):
    """OUT_DIR cannot be used; the message names it and says why."""


def check_relative(rel: str) -> str:
    """A file's path inside OUT_DIR, refused when it could leave the folder."""
    path = PurePosixPath(rel)
    if not rel or path.is_absolute() or ".." in path.parts or rel.startswith("."):
        raise ValueError(f"not a path inside the site: {rel!r}")
    return str(path)


@dataclass
class Output:
    """One run's writes into `root`, compared with the previous run's manifest."""

    root: Path
    previous: dict[str, str] = field(default_factory=dict)
    previous_indexed: set[str] = field(default_factory=set)
    files: dict[str, str] = field(default_factory=dict)
    indexed: set[str] = field(default_factory=set)
    written: int = 0
    unchanged: int = 0
    deleted: int = 0
    bytes_total: int = 0
    index_changed: bool = False

    @classmethod
    def open(cls, root: Path, *, force: bool = False) -> Output:
        """Prepare `root` for a run: created when missing; refused when it holds
        files but no manifest (a typo must not clobber a folder) unless `force`."""
        if root.exists() and not root.is_dir():
            raise OutputError(f"OUT_DIR {root} exists and is not a folder.")
        try:
            root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=root, prefix=".probe-"):
                pass
        except OSError as exc:
            raise OutputError(
                f"OUT_DIR {root} cannot be written: {exc.strerror or exc}."
            ) from exc
        manifest = root / MANIFEST_NAME
        previous: dict[str, str] = {}
        previous_indexed: set[str] = set()
        if manifest.is_file():
            try:
                data: Any = json.loads(manifest.read_text(encoding="utf-8"))
                previous = {str(k): str(v) for k, v in data["files"].items()}
                previous_indexed = {str(p) for p in data.get("indexed", [])}
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise OutputError(
                    f"{manifest} cannot be read ({exc}); delete it and publish with "
                    "--force to rebuild the site."
                ) from exc
        elif any(root.iterdir()) and not force:
            raise OutputError(
                f"OUT_DIR {root} is not empty and was not written by `lantern "
                "publish` (no manifest). Choose an empty folder, or add --force to "
                "publish into it anyway (files not produced by the site are kept)."
            )
        return cls(root=root, previous=previous, previous_indexed=previous_indexed)

    def write(self, rel: str, data: bytes, *, indexed: bool = False) -> bool:
        """Write one file when its bytes changed; returns whether it was written."""
        rel = check_relative(rel)
        digest = hashlib.sha256(data).hexdigest()
        self.files[rel] = digest
        self.bytes_total += len(data)
        if indexed:
            self.indexed.add(rel)
        target = self.root / rel
        if self.previous.get(rel) == digest and target.is_file():
            self.unchanged += 1
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            Path(tmp).chmod(0o644)
            Path(tmp).replace(target)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()
            raise
        self.written += 1
        if indexed or rel in self.previous_indexed:
            self.index_changed = True
        return True

    def has(self, rel: str) -> bool:
        return rel in self.files

    def finish(self) -> None:
        """Delete what the previous run wrote and this one did not; save the manifest."""
        for rel in sorted(set(self.previous) - set(self.files)):
            try:
                rel = check_relative(rel)
            except ValueError:
                continue
            target = self.root / rel
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
                self.deleted += 1
            if rel in self.previous_indexed:
                self.index_changed = True
            self._prune(target.parent)
        if self.indexed != self.previous_indexed:
            self.index_changed = True
        manifest = {
            "version": MANIFEST_VERSION,
            "files": dict(sorted(self.files.items())),
            "indexed": sorted(self.indexed),
        }
        data = json.dumps(manifest, indent=0, ensure_ascii=False).encode()
        (self.root / MANIFEST_NAME).write_bytes(data)

    def _prune(self, folder: Path) -> None:
        """Remove folders left empty by deletions, up to OUT_DIR."""
        root = self.root.resolve()
        while folder.resolve() != root and root in folder.resolve().parents:
            try:
                folder.rmdir()
            except OSError:
                return
            folder = folder.parent
