"""`lantern tag`: tag entries with topics from the vocabulary, keeping the evidence
for curators (see `library/tagging_services.py`)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lantern.core.setup import prepare_database
from lantern.library.models import Country, Entry
from lantern.library.tagging_services import CHUNK, TagSummary, tag_entries


class Command(BaseCommand):
    help = (
        "Tag entries with topics from the vocabulary, keeping the evidence for "
        "curators. Reads only entries changed since their last tagging unless "
        "--retag; topics a curator rejected stay off, topics given by hand stay on."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="every entry")
        which.add_argument(
            "--entry", type=int, nargs="+", metavar="ID", help="these entries"
        )
        which.add_argument(
            "--country",
            metavar="CC",
            help="entries about this country (ISO alpha-2 code)",
        )
        parser.add_argument(
            "--retag",
            action="store_true",
            help="read every chosen entry again, changed or not",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="say what would change, write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        ids = self._chosen(options)
        big = len(ids) > CHUNK and sys.stderr.isatty()
        if big:
            from rich.progress import Progress

            with Progress(transient=True) as bar:
                task = bar.add_task("tagging", total=len(ids))
                summary = tag_entries(
                    ids,
                    retag=options["retag"],
                    dry_run=options["dry_run"],
                    progress=lambda done: bar.update(task, completed=done),
                )
        else:
            summary = tag_entries(
                ids, retag=options["retag"], dry_run=options["dry_run"]
            )
        for line in summary_lines(summary):
            self.stdout.write(line)

    def _chosen(self, options: dict[str, Any]) -> list[int]:
        entries = Entry.objects.all()
        if options["entry"]:
            wanted = set(options["entry"])
            found = set(entries.filter(pk__in=wanted).values_list("pk", flat=True))
            if missing := sorted(wanted - found):
                raise CommandError(
                    "no entry with id " + ", ".join(str(pk) for pk in missing)
                )
            return sorted(found)
        if options["country"]:
            code = options["country"].strip().upper()
            if not Country.objects.filter(code=code).exists():
                raise CommandError(
                    f"no country with code {options['country']!r} (use ISO alpha-2, "
                    "e.g. PE)"
                )
            entries = entries.in_country(code)
        return list(entries.order_by("pk").values_list("pk", flat=True))


def summary_lines(summary: TagSummary) -> list[str]:
    """The run in a few lines: entries, topics added and removed, then per topic."""
    prefix = "dry run · " if summary.dry_run else ""
    lines = [
        f"{prefix}entries {summary.entries:,} · tagged {summary.tagged:,} · "
        f"unchanged {summary.unchanged:,} · topics added {summary.topics_added:,} · "
        f"removed {summary.topics_removed:,} · kept off (rejected) "
        f"{summary.kept_off:,} · {summary.seconds:.1f} s "
        f"({summary.rate:,.0f} entries/s)"
    ]
    slugs = sorted(
        set(summary.added) | set(summary.removed),
        key=lambda s: (-summary.added[s], s),
    )
    if slugs:
        width = max(len(s) for s in slugs)
        lines.append(f"{'topic':<{width}}  added  removed")
        lines += [
            f"{s:<{width}}  {summary.added[s]:>5,}  {summary.removed[s]:>7,}"
            for s in slugs
        ]
    if summary.dry_run:
        lines.append("dry run · nothing written")
    return lines
