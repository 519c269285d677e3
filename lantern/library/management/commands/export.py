"""`lantern export --format json`: the library as one JSON document."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lantern.core.setup import prepare_database
from lantern.library.export import export_library, write_export
from lantern.library.models import Country


class Command(BaseCommand):
    help = "Export the library (or one country) as JSON; see docs/export-format.md."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument("--country", metavar="CC", help="ISO 3166-1 alpha-2 code")
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help="write to FILE instead of standard output",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        country = options["country"]
        if country and not Country.objects.filter(code=country.upper()).exists():
            raise CommandError(f"--country: unknown country code {country!r}")
        data = export_library(country=country)
        output = Path(options["output"]) if options["output"] else None
        if output is not None and not output.parent.exists():
            raise CommandError(f"-o: folder {output.parent} does not exist")
        text = write_export(data, output)
        if output is None:
            self.stdout.write(text, ending="")
        else:
            self.stderr.write(
                f"wrote {output} · entries {len(data['entries'])} · "
                f"help-lines {len(data['helplines'])} · pages {len(data['pages'])}"
            )
