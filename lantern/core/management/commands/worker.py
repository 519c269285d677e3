"""`lantern worker`: run background jobs (link checks, captures) claimed from the
database, so any number of workers on any number of machines can share one library.

The command is an adapter over `lantern.core.jobs`: `schedule_due_work()` enqueues
what is due, `Worker` loops `jobs.run_one()`. Handlers for each kind of job are
registered by the apps that own the work (`lantern.linkcheck`: "check",
`lantern.capture`: "capture").
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import threading
import time
from argparse import ArgumentParser, ArgumentTypeError
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections
from django.db.models import Exists, OuterRef
from django.utils import timezone

from lantern.capture.models import Snapshot
from lantern.core import jobs
from lantern.core.models import Job
from lantern.core.setup import prepare_database
from lantern.library.models import Access, Entry, EntryQuerySet

log = logging.getLogger(__name__)

# A kind of job whose handler keeps failing is not scheduled again for this long
# (the failed job stays in the table, with its error, for the curator to read).
FAILED_COOL_OFF = dt.timedelta(days=1)
# Jobs whose worker has held them this long are taken to be orphaned by a dead worker.
STALE_AFTER = dt.timedelta(hours=1)


def due_checks(now: dt.datetime) -> EntryQuerySet:
    """Entries whose link is due to be checked again."""
    return Entry.objects.due_for_check(
        now, every_days=settings.LANTERN_CHECK_EVERY_DAYS
    )


def due_captures(now: dt.datetime) -> EntryQuerySet:
    """Entries with an address and no snapshot yet, once a check has found the page
    there and saying what was cited (alive, or moved to a live page): a capture
    before that could archive a "not found" page or one that no longer has the
    excerpt, and readers would be sent to it."""
    return (
        Entry.objects.checkable()
        .filter(cached_link_status__in=Access.VERIFIED)
        .filter(~Exists(Snapshot.objects.filter(entry=OuterRef("pk"))))
        .order_by("id")
    )


# What the worker schedules by itself, by job kind. Other kinds are only run.
DUE_WORK: dict[str, Callable[[dt.datetime], EntryQuerySet]] = {
    Job.Kind.CHECK: due_checks,
    Job.Kind.CAPTURE: due_captures,
}


def schedule_due_work(*, kinds: list[str], now: dt.datetime) -> dict[str, int]:
    """Enqueue a job for every entry with work due, for each kind in `kinds` that
    `DUE_WORK` knows. Skips entries with an open job of that kind, and entries whose
    last job of that kind failed less than `FAILED_COOL_OFF` ago. Returns how many
    jobs were added per kind. Touches the database; safe to run from several
    workers at once (enqueue skips a job another worker has just added)."""
    # SQLite's clock in `Job.objects.ready()` has millisecond precision; a run_after
    # with microseconds could hide a fresh job for up to a millisecond.
    run_after = now.replace(microsecond=0)
    added: dict[str, int] = {}
    for kind in kinds:
        if kind not in DUE_WORK:
            continue
        open_job = Job.objects.filter(
            entry=OuterRef("pk"),
            kind=kind,
            status__in=[Job.Status.PENDING, Job.Status.RUNNING],
        )
        failed_lately = Job.objects.filter(
            entry=OuterRef("pk"),
            kind=kind,
            status=Job.Status.FAILED,
            finished_at__gte=now - FAILED_COOL_OFF,
        )
        due = list(
            DUE_WORK[kind](now)
            .filter(~Exists(open_job), ~Exists(failed_lately))
            .values_list("pk", flat=True)
        )
        added[kind] = sum(
            1
            for entry_id in due
            if jobs.enqueue(kind, entry_id=entry_id, run_after=run_after) is not None
        )
    return added


@dataclass
class WorkerReport:
    """What a worker did, for its closing line."""

    ran: Counter[str] = field(default_factory=Counter)  # done, retrying, failed
    scheduled: Counter[str] = field(default_factory=Counter)  # by kind
    requeued: int = 0

    def summary(self) -> str:
        total = sum(self.ran.values())
        states = ", ".join(f"{s} {self.ran[s]}" for s in ("done", "retrying", "failed"))
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.scheduled.items()) if n)
        scheduled = sum(self.scheduled.values())
        return (
            f"jobs {total} ({states}) · scheduled {scheduled}"
            + (f" ({kinds})" if kinds else "")
            + f" · requeued {self.requeued}"
        )


def _state(job: Job) -> str:
    if job.status == Job.Status.DONE:
        return "done"
    if job.status == Job.Status.PENDING:
        return "retrying"
    return "failed"


class Worker:
    """Runs ready jobs of some kinds until stopped; every `schedule_every` seconds
    also enqueues due work and puts back jobs of dead workers. Touches the database;
    the handlers do the rest (network, storage)."""

    def __init__(
        self,
        *,
        kinds: list[str],
        sleep: float = 2.0,
        schedule_every: float | None = 300.0,
        say: Callable[[str], None] = print,
        name: str | None = None,
    ) -> None:
        self.kinds = kinds
        self.sleep = sleep
        self.schedule_every = schedule_every
        self.say = say
        self.name = name or jobs.worker_name()
        self.report = WorkerReport()
        self._stopping = False

    @property
    def stopping(self) -> bool:
        return self._stopping

    def stop(self) -> None:
        """Finish the current job, then return from `run()`."""
        self._stopping = True

    def schedule(self) -> None:
        requeued = jobs.requeue_stale(older_than=STALE_AFTER)
        added = schedule_due_work(kinds=self.kinds, now=timezone.now())
        self.report.requeued += requeued
        self.report.scheduled.update(added)
        if requeued or any(added.values()):
            parts = [f"{kind} {n}" for kind, n in sorted(added.items()) if n]
            self.say(f"scheduled {', '.join(parts) or 'nothing'} · requeued {requeued}")

    def run_next(self) -> Job | None:
        started = time.monotonic()
        job = jobs.run_one(kinds=self.kinds, worker=self.name)
        if job is None:
            return None
        state = _state(job)
        self.report.ran[state] += 1
        about = f" entry {job.entry_id}" if job.entry_id else ""
        took = time.monotonic() - started
        line = f"{job.kind} #{job.pk}{about}: {state} ({took:.1f}s)"
        if state == "retrying":
            line += (
                f", attempt {job.attempts} of {job.max_attempts}, "
                f"next at {job.run_after:%Y-%m-%d %H:%M} UTC"
            )
        if job.error:
            line += f" · {job.error.splitlines()[0]}"
        self.say(line)
        return job

    def run(self, *, once: bool = False) -> WorkerReport:
        """Work until `stop()`; with `once`, until no job is ready."""
        next_schedule = 0.0
        while not self._stopping:
            if self.schedule_every is not None and time.monotonic() >= next_schedule:
                self.schedule()
                next_schedule = time.monotonic() + self.schedule_every
            try:
                job = self.run_next()
            except DatabaseError:
                if once:
                    raise
                # The database went away (restart, network): try again later.
                log.exception("worker %s: database error", self.name)
                close_old_connections()
                self._idle()
                continue
            if job is not None:
                continue
            if once:
                break
            close_old_connections()
            self._idle()
        return self.report

    def _idle(self) -> None:
        # Short naps, so a stop request is seen quickly (a signal interrupts the
        # handler, not the nap).
        deadline = time.monotonic() + self.sleep
        while not self._stopping and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, 0.2))


def _kinds(value: str) -> list[str]:
    kinds = [k.strip() for k in value.split(",") if k.strip()]
    if not kinds:
        raise ArgumentTypeError("name at least one kind of job")
    return kinds


def _non_negative(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 0:
        raise ArgumentTypeError("must be 0 or more")
    return number


class Command(BaseCommand):
    help = (
        "Run background jobs (link checks, captures) from the database queue; "
        "several workers may share one library."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="schedule due work once, run every ready job, then exit",
        )
        parser.add_argument(
            "--kinds",
            type=_kinds,
            metavar="KIND,…",
            help="kinds of job to run and schedule (default: every registered kind: "
            "check, capture)",
        )
        parser.add_argument(
            "--sleep",
            type=_non_negative,
            default=2.0,
            metavar="SECONDS",
            help="pause when no job is ready (default: 2)",
        )
        parser.add_argument(
            "--schedule-every",
            type=_non_negative,
            default=5.0,
            metavar="MINUTES",
            help="how often to enqueue due checks and captures and requeue jobs of "
            "dead workers (default: 5; 0: never, only run what others enqueue)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        registered = jobs.handlers()
        kinds = options["kinds"] or sorted(registered)
        if not kinds:
            raise CommandError(
                "no job handlers are registered (lantern.linkcheck registers "
                "'check', lantern.capture registers 'capture')"
            )
        unknown = [k for k in kinds if k not in registered]
        if unknown:
            raise CommandError(
                f"--kinds: no handler registered for {', '.join(unknown)} "
                f"(registered: {', '.join(sorted(registered)) or 'none'})"
            )
        every = options["schedule_every"]
        quiet = options["verbosity"] < 1
        worker = Worker(
            kinds=kinds,
            sleep=options["sleep"],
            schedule_every=every * 60 if every else None,
            say=(lambda line: None) if quiet else self.stdout.write,
        )
        if not quiet:
            mode = "until no job is ready" if options["once"] else "until stopped"
            self.stdout.write(f"worker {worker.name}: {', '.join(kinds)}, {mode}")
        with StopOnSignals(worker, self.stderr.write):
            report = worker.run(once=options["once"])
        self.stdout.write(report.summary())


class StopOnSignals:
    """SIGTERM or SIGINT: stop after the current job; a second one: stop now."""

    SIGNALS = (signal.SIGTERM, signal.SIGINT)

    def __init__(self, worker: Worker, say: Callable[[str], None]) -> None:
        self.worker = worker
        self.say = say
        self.previous: dict[int, Any] = {}

    def __enter__(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # signals reach the main thread only
        for signum in self.SIGNALS:
            self.previous[signum] = signal.signal(signum, self._handle)

    def __exit__(self, *exc: object) -> None:
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.worker.stopping:
            raise KeyboardInterrupt
        self.worker.stop()
        self.say(
            f"{signal.Signals(signum).name}: stopping after the current job "
            "(send it again to stop at once)"
        )
