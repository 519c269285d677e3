"""`lantern restore FILE`: the library back from a `lantern backup` archive."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lantern.backup.report import progress_bar, summary_table
from lantern.backup.services import BackupError, check, restore
from lantern.core.setup import prepare_database


class Command(BaseCommand):
    help = (
        "Restore the library from a `lantern backup` archive, after checking every "
        "member's SHA-256; --check only checks. See docs/backup.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE", type=Path, help="archive to read")
        parser.add_argument(
            "--check",
            action="store_true",
            help="only check the archive (every checksum, and that it fits this "
            "database): a dry run that changes nothing",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the library this database already holds",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        path: Path = options["file"]
        try:
            with progress_bar(sys.stdout, options["verbosity"]) as progress:
                if options["check"]:
                    summary = check(path, progress=progress)
                else:
                    summary = restore(path, force=options["force"], progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = summary.manifest
        made = (
            f"made {manifest.created_at} by Lantern {manifest.lantern_version} "
            f"on {manifest.vendor}"
        )
        if options["check"]:
            if options["verbosity"] > 0:
                self.stdout.write(summary_table(summary, f"{path}: {made}"), ending="")
            self.stdout.write(f"{path}: every member matches its checksum; {made}")
            return
        if options["verbosity"] > 0:
            self.stdout.write(
                summary_table(summary, f"Restored from {path} ({made})"), ending=""
            )
        self.stdout.write(
            f"restored {path} · removed stored files not in it "
            f"{summary.removed_files:,} · search index {summary.search_indexed:,} "
            "entries"
        )
