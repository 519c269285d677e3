"""`lantern publish OUT_DIR`: the public site as static files (see docs/publishing.md)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

from lantern.publish.services import PublishError, publish
from lantern.publish.workers import default_jobs


class Command(BaseCommand):
    help = (
        "Write the public site as static files into OUT_DIR, with client-side "
        "search; a re-run rewrites only what changed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("out_dir", metavar="OUT_DIR", type=Path)
        parser.add_argument(
            "--base-url",
            default="",
            help="the public address the site will have, for feeds and the sitemap "
            "(default: LANTERN_SITE_URL)",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="publish into a folder that is not empty and has no manifest",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="render in this many processes (default: one per CPU)",
        )
        parser.add_argument(
            "--no-search",
            action="store_true",
            help="do not build the Pagefind search index",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        console = Console(file=sys.stdout, highlight=False)
        show = sys.stdout.isatty() and options["verbosity"] > 0
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=not show,
            transient=True,
        ) as bar:
            task = bar.add_task("Rendering pages", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            try:
                result = publish(
                    options["out_dir"],
                    base_url=options["base_url"],
                    force=options["force"],
                    search=not options["no_search"],
                    jobs=default_jobs() if options["jobs"] is None else options["jobs"],
                    progress=advance,
                )
            except PublishError as exc:
                raise CommandError(str(exc)) from exc
        for warning in result.warnings[:50]:
            self.stderr.write(f"warning: {warning}")
        if len(result.warnings) > 50:
            self.stderr.write(f"… and {len(result.warnings) - 50} more warnings")
        search = (
            f"search index rebuilt ({result.indexed_pages:,} pages, "
            f"{result.search_seconds:.1f} s)"
            if result.search_ran
            else "search index unchanged"
        )
        self.stdout.write(
            f"Published {result.pages:,} pages into {result.out_dir}: "
            f"{result.files:,} files, {result.bytes / 1e6:,.1f} MB; "
            f"{result.written:,} written, {result.unchanged:,} unchanged, "
            f"{result.deleted:,} deleted; {search}; {result.seconds:.1f} s "
            f"({result.pages_per_second:,.0f} pages/s)."
        )
