"""`lantern demo`: load the demo library into an empty library."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from lantern.core.setup import prepare_database
from lantern.library.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo library (Peru) when the library is empty."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="load even when entries exist (the demo's records overwrite ids 1-15)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        if load_demo(force=options["force"]):
            self.stdout.write("demo library loaded: Peru, 15 entries, 2 help-lines")
        else:
            self.stdout.write(
                "the library already has entries; demo not loaded (--force)"
            )
