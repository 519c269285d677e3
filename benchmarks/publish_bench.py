"""Static-site throughput: publish the synthetic library and publish it again.

    uv run python benchmarks/publish_bench.py --entries 100000 [--seed 1]
        [--data-dir DIR] [--out-dir OUT] [--no-search] [--jobs N] [--once]

Builds the corpus of `benchmarks/corpus.py` into a SQLite library in DIR (a new
temporary folder unless given; an existing corpus of the same size is reused),
then runs `lantern publish` twice into OUT (default DIR/site, emptied first): a
first full run and a second, incremental one that should write nothing (`--once`:
the first only); `--jobs N` renders in N processes. Prints
for each run the pages rendered, pages per second (rendering and writing), files,
bytes written and unchanged, the Pagefind time and the total. Nothing here is part
of the test run.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402


def record_checks() -> None:
    """Give every entry with a link status the checker's access behind it, as a
    link check would have written (the corpus sets only the cached status)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE library_access SET
                origin = 'checker',
                outcome = (SELECT e.cached_link_status FROM library_entry e
                           WHERE e.id = library_access.entry_id),
                checked_at = (SELECT e.cached_last_checked_at FROM library_entry e
                              WHERE e.id = library_access.entry_id)
            WHERE entry_id IN (SELECT id FROM library_entry
                               WHERE cached_link_status <> '')
            """
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--out-dir", type=Path)
    parser.add_argument("--no-search", action="store_true", help="skip Pagefind")
    parser.add_argument(
        "--once",
        action="store_true",
        help="publish once (skip the second, incremental run)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="rendering processes (lantern publish --jobs)",
    )
    args = parser.parse_args()

    os.environ["LANTERN_SEARCH_AUTO_UPDATE"] = "0"
    data_dir = corpus.setup_django(args.data_dir, None)
    from rich.console import Console
    from rich.table import Table

    from lantern.library.models import Entry
    from lantern.publish.services import publish

    built = 0.0
    if Entry.objects.count() != args.entries:
        built = float(corpus.build(args.entries, seed=args.seed)["seconds"])
        record_checks()
    out_dir = args.out_dir or data_dir / "site"
    if out_dir.exists():
        shutil.rmtree(out_dir)

    console = Console(width=120)
    table = Table(
        title=(
            f"lantern publish · {args.entries:,} entries · seed {args.seed} · "
            f"{os.cpu_count()} CPUs · Python {platform.python_version()}"
        )
    )
    for column in ("run", "pages", "pages/s", "files", "written", "unchanged",
                   "MB", "search s", "total s"):  # fmt: skip
        table.add_column(column, justify="left" if column == "run" else "right")
    for run in ("first",) if args.once else ("first", "again"):
        started = time.perf_counter()
        result = publish(out_dir, search=not args.no_search, jobs=args.jobs)
        total = time.perf_counter() - started
        table.add_row(
            run,
            f"{result.pages:,}",
            f"{result.pages_per_second:,.0f}",
            f"{result.files:,}",
            f"{result.written:,}",
            f"{result.unchanged:,}",
            f"{result.bytes / 1e6:,.0f}",
            f"{result.search_seconds:,.1f}" if result.search_ran else "skipped",
            f"{total:,.1f}",
        )
        console.print(
            f"{run}: {result.pages:,} pages, {result.pages_per_second:,.1f} pages/s, "
            f"{total:,.1f} s, {len(result.warnings)} warnings"
        )
    console.print(table)
    console.print(
        f"corpus {built:,.0f} s (0 = reused) · library {data_dir}/lantern.sqlite3 · "
        f"site {out_dir} · load {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
