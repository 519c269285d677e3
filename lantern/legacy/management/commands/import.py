"""`lantern import PATH…`: import legacy pages and Lantern JSON exports."""

from __future__ import annotations

import contextlib
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lantern.core.setup import prepare_database
from lantern.legacy.report import PageResult
from lantern.legacy.services import expand_paths, import_files
from lantern.library.tagging_services import untagged_imports


class Command(BaseCommand):
    help = (
        "Import pages of the original site (HTML or text; files or folders) or a "
        "Lantern JSON export. Safe to run twice."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
        parser.add_argument(
            "--dry-run", action="store_true", help="parse and report, write nothing"
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="exit with status 1 when any line could not be parsed",
        )
        parser.add_argument(
            "--quiet", action="store_true", help="print only problems and the summary"
        )
        parser.add_argument(
            "--no-tag",
            action="store_true",
            help="do not tag the imported entries with topics (run `lantern tag --all` "
            "later); imports of many pages run about twice as fast",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        paths = options["paths"]
        missing = [p for p in paths if not _exists(p)]
        if missing:
            raise CommandError("no such file or folder: " + ", ".join(missing))
        files = expand_paths(paths)
        if not files:
            raise CommandError("no page files found in " + ", ".join(paths))
        quiet = options["quiet"]
        progress = _Progress(len(files), enabled=not quiet and sys.stderr.isatty())

        def on_page(result: PageResult) -> None:
            progress.advance()
            if not quiet and not progress.enabled:
                self.stdout.write(_page_line(result))

        tagging = untagged_imports() if options["no_tag"] else contextlib.nullcontext()
        with progress, tagging:
            report = import_files(files, dry_run=options["dry_run"], on_page=on_page)
        for result in report.pages:
            for warning in result.warnings:
                self.stderr.write(
                    f"{result.path}:{warning['line']}: warning: {warning['message']}"
                )
            for item in result.unparsed:
                self.stdout.write(
                    f"{result.path}:{item['line']}: unparsed: {item['text']}"
                )
            if result.error:
                self.stderr.write(f"{result.path}: error: {result.error}")
        prefix = "dry run · " if options["dry_run"] else ""
        self.stdout.write(prefix + report.summary())
        failed = [p for p in report.pages if p.status == "error" or p.kind == "unknown"]
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(report.pages)} files could not be imported "
                "(see the messages above; nothing from them was half-stored)"
            )
        if options["strict"] and report.unparsed_count:
            raise CommandError(f"{report.unparsed_count} lines could not be parsed")


def _exists(path: str) -> bool:
    from pathlib import Path

    return Path(path).exists()


def _page_line(result: PageResult) -> str:
    if result.status == "error":
        return f"{result.path}: error"
    where = f" {result.country}" if result.country else ""
    return (
        f"{result.path}: {result.kind}{where} · {result.status} · entries {result.entries} · "
        f"accesses {result.accesses} · unparsed {len(result.unparsed)}"
    )


class _Progress:
    """A rich progress bar on a terminal; nothing otherwise."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled and total > 1
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.progress import Progress

            self._progress = Progress(transient=True)
            self._progress.__enter__()
            self._task = self._progress.add_task("importing", total=self.total)
        return self

    def advance(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)
