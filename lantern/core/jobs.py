"""Background jobs shared by any number of workers on any number of machines.

A worker claims a job with one conditional UPDATE (`… WHERE id = %s AND status =
'pending'`), stamped with the database's clock; only one UPDATE can win, on SQLite and
PostgreSQL alike. Apps register what each kind of job does (`register("check", fn)`)
in their `AppConfig.ready()`. Touches the database only; handlers do the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models.functions import Now
from django.utils import timezone

from lantern.core.models import Job

log = logging.getLogger(__name__)

Handler = Callable[[Job], None]
_HANDLERS: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    """Say what a kind of job does. Called from an app's `ready()`."""
    _HANDLERS[kind] = handler


def unregister(kind: str) -> None:
    """Forget what a kind of job does (tests that register their own handlers)."""
    _HANDLERS.pop(kind, None)


def _now_to_the_second() -> dt.datetime:
    """Now, without the microseconds SQLite's clock (milliseconds) would compare
    as later than itself."""
    return timezone.now().replace(microsecond=0)


def handlers() -> dict[str, Handler]:
    return dict(_HANDLERS)


def worker_name() -> str:
    """Who is claiming: host and process, for the record."""
    return f"{socket.gethostname()}:{os.getpid()}"


def enqueue(
    kind: str,
    *,
    entry_id: int | None = None,
    payload: dict[str, object] | None = None,
    priority: int = 100,
    run_after: dt.datetime | None = None,
) -> Job | None:
    """Add a job, unless the same kind of job for the entry is already open.

    Returns the job, or None when one was already waiting or running."""
    try:
        with transaction.atomic():
            return Job.objects.create(
                kind=kind,
                entry_id=entry_id,
                payload=payload or {},
                priority=priority,
                run_after=run_after or _now_to_the_second(),
            )
    except IntegrityError:
        return None


def claim(*, kinds: list[str] | None = None, worker: str | None = None) -> Job | None:
    """Take the next ready job for this worker, or None when there is none.

    Candidates are read without locks; each is claimed by an UPDATE that only
    succeeds while it is still pending, so two workers never get the same job."""
    worker = worker or worker_name()
    ready = Job.objects.ready()
    if kinds:
        ready = ready.filter(kind__in=kinds)
    for candidate in ready.values_list("pk", flat=True)[:20]:
        won = Job.objects.filter(pk=candidate, status=Job.Status.PENDING).update(
            status=Job.Status.RUNNING, claimed_by=worker, claimed_at=Now()
        )
        if won:
            return Job.objects.get(pk=candidate)
    return None


def finish(job: Job, *, error: str = "", retry_in: float = 300.0) -> None:
    """Record how a job ended. A failed job with attempts left goes back in the
    queue after `retry_in` seconds (doubling each time)."""
    job.attempts += 1
    if not error:
        job.status = Job.Status.DONE
    elif job.attempts < job.max_attempts:
        job.status = Job.Status.PENDING
        job.run_after = _now_to_the_second() + dt.timedelta(
            seconds=retry_in * 2 ** (job.attempts - 1)
        )
    else:
        job.status = Job.Status.FAILED
    job.error = error[:2000]
    job.finished_at = timezone.now() if job.status != Job.Status.PENDING else None
    job.save(update_fields=["attempts", "status", "run_after", "error", "finished_at"])


def run_one(*, kinds: list[str] | None = None, worker: str | None = None) -> Job | None:
    """Claim one job and run its handler. Returns the job, or None if none was ready."""
    job = claim(kinds=kinds, worker=worker)
    if job is None:
        return None
    handler = _HANDLERS.get(job.kind)
    if handler is None:
        finish(job, error=f"no handler for job kind {job.kind!r}")
        return job
    try:
        handler(job)
    except Exception as exc:  # a job's failure must not stop the worker
        # The message is enough for the expected failures (a site or API that does
        # not answer); the traceback is there when debugging.
        log.warning("job %s (%s) failed: %s", job.pk, job.kind, exc,
                    exc_info=log.isEnabledFor(logging.DEBUG))  # fmt: skip
        finish(job, error=f"{type(exc).__name__}: {exc}")
    else:
        finish(job)
    return job


def requeue_stale(*, older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Put back jobs whose worker died while running them. Returns how many."""
    return Job.objects.filter(
        status=Job.Status.RUNNING, claimed_at__lt=timezone.now() - older_than
    ).update(status=Job.Status.PENDING, claimed_by="", claimed_at=None)
