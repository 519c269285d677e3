"""`lantern check-links`: re-verify the library's links, one Access per check."""

from __future__ import annotations

import logging
import sys
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from lantern.core.setup import prepare_database
from lantern.library.models import Access
from lantern.linkcheck.services import Progress, RunReport, plan_checks, run_checks


class Command(BaseCommand):
    help = (
        "Re-verify the library's links politely, recording one access per check.\n\n"
        "Each check records the outcome (alive, moved, dead, soft-dead, drifted, "
        "blocked, server-error, timeout, network-error, redirect-loop), HTTP status, "
        "redirect chain, whether the excerpt is still on the page, and the time "
        "taken. A run stopped half-way resumes when started again with the same "
        "--country, --due and --limit."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        # Defaults name their settings rather than print them, so that this help
        # (and docs/cli.md, generated from it) does not depend on the environment.
        parser.add_argument(
            "--country", metavar="CC", help="only entries naming this country"
        )
        parser.add_argument(
            "--due",
            action="store_true",
            help="only entries due for a check (last checked more than "
            "LANTERN_CHECK_EVERY_DAYS days ago, or failing and checked over a week ago)",
        )
        parser.add_argument(
            "--limit", type=int, metavar="N", help="check at most N entries"
        )
        parser.add_argument(
            "--concurrency",
            type=int,
            metavar="N",
            help="requests in flight at once, all hosts together "
            "(default: LANTERN_CHECK_CONCURRENCY)",
        )
        parser.add_argument(
            "--per-host",
            type=int,
            metavar="N",
            help="requests in flight at once to one host "
            "(default: LANTERN_CHECK_PER_HOST)",
        )
        parser.add_argument(
            "--delay",
            type=float,
            metavar="SECONDS",
            help="least time between request starts to one host "
            "(default: LANTERN_CHECK_DELAY)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="say what would be checked; fetch and write nothing",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        for name, setting in (
            ("concurrency", settings.LANTERN_CHECK_CONCURRENCY),
            ("per_host", settings.LANTERN_CHECK_PER_HOST),
            ("delay", settings.LANTERN_CHECK_DELAY),
        ):
            if options[name] is None:
                options[name] = setting
        for name in ("concurrency", "per_host"):
            if options[name] < 1:
                raise CommandError(f"--{name.replace('_', '-')} must be at least 1")
        if options["delay"] < 0:
            raise CommandError("--delay cannot be negative")
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError("--limit must be at least 1")
        choice = {
            "country": options["country"],
            "due": options["due"],
            "limit": options["limit"],
        }
        try:
            plan = plan_checks(**choice)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if plan.resume_run_id is not None:
            self.stderr.write(
                f"resuming run #{plan.resume_run_id}: {plan.pending} of "
                f"{plan.targets} entries left to check"
            )
        if options["dry_run"]:
            self.stdout.write(
                f"dry run · would check {plan.pending} entries"
                + (f" (run #{plan.resume_run_id})" if plan.resume_run_id else "")
            )
            return
        http_log = logging.getLogger("httpx")
        http_level = http_log.level
        if options["verbosity"] < 2:
            # One log line per request would bury the progress and the results.
            http_log.setLevel(logging.WARNING)
        display = _Display(self, live=sys.stderr.isatty())
        try:
            with display:
                report = run_checks(
                    **choice,
                    concurrency=options["concurrency"],
                    per_host=options["per_host"],
                    delay=options["delay"],
                    progress=display.update,
                )
        except KeyboardInterrupt:
            self.stderr.write(
                f"\ninterrupted after {display.done} checks; what was checked is "
                "kept. Run the same command again to resume."
            )
            raise SystemExit(130) from None
        finally:
            http_log.setLevel(http_level)
        self._summary(report)

    def _summary(self, report: RunReport) -> None:
        console = Console(file=self.stdout, width=100, highlight=False)  # type: ignore[arg-type]
        if report.counts:
            outcomes = Table(title="Outcomes", title_justify="left")
            outcomes.add_column("outcome")
            outcomes.add_column("entries", justify="right")
            for choice in Access.Outcome:
                if choice.value in report.counts:
                    outcomes.add_row(choice.value, str(report.counts[choice.value]))
            console.print(outcomes)
        if report.slowest_hosts:
            hosts = Table(title="Slowest hosts", title_justify="left")
            hosts.add_column("host")
            hosts.add_column("checks", justify="right")
            hosts.add_column("mean", justify="right")
            hosts.add_column("slowest", justify="right")
            for row in report.slowest_hosts:
                hosts.add_row(
                    row.host,
                    str(row.checks),
                    f"{row.mean:.2f} s",
                    f"{row.slowest:.2f} s",
                )
            console.print(hosts)
        self.stdout.write(report.summary())


class _Display:
    """A rich progress bar on a terminal; a plain line per check otherwise."""

    def __init__(self, command: BaseCommand, *, live: bool) -> None:
        self.command = command
        self.live = live
        self.done = 0
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> _Display:
        if self.live:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                TextColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as Bar

            self._progress = Bar(
                TextColumn("checking"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                TextColumn("{task.description}"),
                console=Console(stderr=True),
                transient=True,
            )
            self._progress.__enter__()
        return self

    def update(self, event: Progress) -> None:
        self.done = event.done
        if self._progress is not None:
            if self._task is None:
                self._task = self._progress.add_task("", total=event.total)
            if event.result is not None:
                self._progress.update(
                    self._task,
                    completed=event.done,
                    description=f"{event.result.outcome}: {event.result.url[:60]}",
                )
            return
        if event.access is None:
            self.command.stdout.write(f"checking {event.total} entries")
            return
        result = event.result
        assert result is not None
        status = str(result.http_status or "-")
        line = (
            f"{result.outcome:<13} {status:>3}  {result.elapsed:6.2f} s  {result.url}"
        )
        if result.final_url and result.final_url != result.url:
            line += f" → {result.final_url}"
        notes = [result.error] if result.error else []
        if result.attempts > 1:
            notes.append(f"{result.attempts} attempts")
        if notes:
            line += f"  ({'; '.join(notes)})"
        self.command.stdout.write(line)

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)
