"""`lantern backup FILE`: the whole library in one checksummed archive."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lantern.backup.report import megabytes, progress_bar, summary_table
from lantern.backup.services import BackupError, back_up
from lantern.core.setup import prepare_database


class Command(BaseCommand):
    help = (
        "Back up the library (every table and every stored file, WARC snapshots "
        "included) into one zip archive with a SHA-256 per member; see docs/backup.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE", type=Path, help="archive to write")
        parser.add_argument(
            "--force", action="store_true", help="replace FILE if it exists"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        path: Path = options["file"]
        try:
            with progress_bar(sys.stdout, options["verbosity"]) as progress:
                summary = back_up(path, force=options["force"], progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for warning in summary.warnings:
            self.stderr.write(f"warning: {warning}")
        if options["verbosity"] > 0:
            self.stdout.write(
                summary_table(summary, f"Backed up into {path}"), ending=""
            )
        self.stdout.write(
            f"wrote {path} · {megabytes(path.stat().st_size)} · every member checked"
        )
