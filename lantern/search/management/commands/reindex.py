"""`lantern reindex`: rebuild the search index from the library."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from lantern.search import index


class Command(BaseCommand):
    help = "Rebuild the search index from every entry in the library."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        name = index.backend_name()

        def progress(n: int) -> None:
            self.stderr.write(f"  {n:,} entries indexed")

        count = index.rebuild(progress)
        self.stdout.write(
            f"search index ({name}) · entries {count:,} · "
            f"{time.perf_counter() - started:.1f} s"
        )
