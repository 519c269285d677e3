"""What the backup commands print: progress while they work, and a summary table of
rows per model, files and bytes when they are done."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from lantern.backup.services import Summary


@contextmanager
def progress_bar(
    stream: TextIO, verbosity: int
) -> Iterator[Callable[[str, int, int], None]]:
    """A progress callback: a bar on a terminal, nothing otherwise (the summary
    follows at the end)."""
    show = stream.isatty() and verbosity > 0
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(file=stream, highlight=False),
        disable=not show,
        transient=True,
    ) as bar:
        task = bar.add_task("Starting", total=None)

        def advance(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield advance


def megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def summary_table(summary: Summary, title: str) -> str:
    """The rows of every model in the archive, then the files and their bytes."""
    console = Console(file=io.StringIO(), highlight=False, width=100)
    console.print(title)
    table = Table(box=None, pad_edge=False)
    table.add_column("model")
    table.add_column("rows", justify="right")
    for label, rows in sorted(summary.rows.items()):
        table.add_row(label, f"{rows:,}")
    console.print(table)
    console.print(
        f"rows {sum(summary.rows.values()):,} · models {len(summary.rows)} · "
        f"files {summary.files:,} ({megabytes(summary.file_bytes)}) · "
        f"data {megabytes(summary.data_bytes)} · {summary.seconds:.1f} s"
    )
    return console.file.getvalue()  # type: ignore[attr-defined]
