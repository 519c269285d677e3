"""`lantern worker`: schedules due checks and captures, runs ready jobs, puts back
jobs of dead workers, and stops cleanly on SIGTERM or SIGINT after the current job.

The "check" and "capture" handlers here are the test's own, registered through the
jobs registry as the apps register theirs."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import threading
import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lantern.capture.models import Snapshot
from lantern.core import jobs
from lantern.core.management.commands.worker import (
    FAILED_COOL_OFF,
    Worker,
    schedule_due_work,
)
from lantern.core.models import Job
from lantern.library.models import Access, Entry
from lantern.library.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def check(job: Job) -> None:
    """What a link check leaves behind: a checker access and the cached status."""
    entry = Entry.objects.get(pk=job.entry_id)
    now = timezone.now()
    Access.objects.create(
        entry=entry,
        position=entry.accesses.count(),
        url=entry.url,
        origin=Access.Origin.CHECKER,
        checked_at=now,
        outcome=Access.Outcome.ALIVE,
        http_status=200,
    )
    Entry.objects.filter(pk=entry.pk).update(
        cached_link_status="alive", cached_last_checked_at=now
    )


def capture(job: Job) -> None:
    """What a capture leaves behind: a snapshot."""
    entry = Entry.objects.get(pk=job.entry_id)
    Snapshot.objects.create(
        entry=entry,
        url=entry.url,
        captured_at=timezone.now(),
        http_status=200,
        warc_path=f"warcs/{entry.pk}.warc.gz",
    )


def run_worker(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("worker", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def a_second_ago() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=1)


@pytest.fixture
def library() -> dict[str, Entry]:
    now = timezone.now()
    long_ago = now - dt.timedelta(days=90)
    entries = {
        "new": EntryFactory(),  # never checked: a check, then a capture
        "fresh": EntryFactory(  # checked lately, captured: nothing
            cached_link_status="alive", cached_last_checked_at=now
        ),
        "stale": EntryFactory(  # checked long ago, captured: a check
            cached_link_status="alive", cached_last_checked_at=long_ago
        ),
        "uncaptured": EntryFactory(  # checked lately, no snapshot: a capture
            cached_link_status="moved", cached_last_checked_at=now
        ),
        "no-url": EntryFactory(url=""),  # nothing to fetch: nothing
    }
    for name in ("fresh", "stale"):
        Snapshot.objects.create(
            entry=entries[name],
            url=entries[name].url,
            captured_at=now,
            http_status=200,
            warc_path=f"warcs/{name}.warc.gz",
        )
    return entries


def checked_ids() -> list[int]:
    return sorted(
        Access.objects.filter(origin="checker").values_list("entry_id", flat=True)
    )


def captured_ids() -> set[int]:
    return set(Snapshot.objects.values_list("entry_id", flat=True))


def test_once_schedules_due_work_runs_it_and_exits(library, job_handler) -> None:
    job_handler("check", check)
    job_handler("capture", capture)

    out, _ = run_worker("--once", "--kinds", "check,capture")

    assert checked_ids() == sorted([library["new"].pk, library["stale"].pk])
    assert captured_ids() == {library[n].pk for n in ("fresh", "stale", "uncaptured")}
    assert Job.objects.filter(status=Job.Status.DONE).count() == 3
    first = Job.objects.filter(kind="check").order_by("id").first()
    assert f"check #{first.pk} entry {first.entry_id}: done (" in out
    assert out.rstrip().endswith(
        "jobs 3 (done 3, retrying 0, failed 0) · scheduled 3 (capture 1, check 2)"
        " · requeued 0"
    )

    # The new entry, now found alive, is captured on the next pass.
    again, _ = run_worker("--once", "--kinds", "check,capture")

    assert "scheduled 1 (capture 1)" in again
    assert library["new"].pk in captured_ids()

    # Then nothing is due any more, and nothing is done twice.
    last, _ = run_worker("--once", "--kinds", "check,capture")

    assert last.rstrip().endswith(
        "jobs 0 (done 0, retrying 0, failed 0) · scheduled 0 · requeued 0"
    )
    assert len(checked_ids()) == 2
    assert Snapshot.objects.count() == 4  # one per entry with an address


def test_links_found_gone_or_blocked_are_not_captured() -> None:
    now = timezone.now()
    for status in ("dead", "soft-dead", "drifted", "blocked", "timeout", ""):
        EntryFactory(cached_link_status=status, cached_last_checked_at=now)
    alive = EntryFactory(cached_link_status="alive", cached_last_checked_at=now)

    added = schedule_due_work(kinds=["capture"], now=now)

    assert added == {"capture": 1}
    assert Job.objects.get(kind="capture").entry == alive


def test_once_runs_only_the_kinds_asked_for(library, job_handler) -> None:
    job_handler("check", check)
    job_handler("capture", capture)

    run_worker("--once", "--kinds", "capture")

    assert not Job.objects.filter(kind="check").exists()
    assert not Access.objects.filter(origin="checker").exists()
    assert Job.objects.get(kind="capture", status="done").entry == library["uncaptured"]


def test_once_requeues_a_job_whose_worker_died_and_runs_it(job_handler) -> None:
    job_handler("check", check)
    entry = EntryFactory(cached_link_status="alive", cached_last_checked_at=None)
    orphan = jobs.enqueue("check", entry_id=entry.pk, run_after=a_second_ago())
    assert jobs.claim(kinds=["check"], worker="crashed-host:99") == orphan
    Job.objects.filter(pk=orphan.pk).update(
        claimed_at=timezone.now() - dt.timedelta(hours=3)
    )

    out, _ = run_worker("--once", "--kinds", "check")

    orphan.refresh_from_db()
    assert orphan.status == Job.Status.DONE
    assert orphan.claimed_by != "crashed-host:99"
    assert Job.objects.filter(kind="check").count() == 1  # not enqueued twice
    assert "requeued 1" in out
    assert entry.accesses.filter(origin="checker").count() == 1


def test_a_failing_job_is_retried_later_and_not_rescheduled_meanwhile(
    job_handler,
) -> None:
    def unreachable(job: Job) -> None:
        raise TimeoutError("no answer")

    job_handler("check", unreachable)
    entry = EntryFactory()

    out, _ = run_worker("--once", "--kinds", "check")

    job = Job.objects.get(kind="check")
    assert (job.status, job.attempts) == (Job.Status.PENDING, 1)
    assert job.run_after > timezone.now() + dt.timedelta(minutes=4)
    assert f"check #{job.pk} entry {entry.pk}: retrying (" in out
    assert "attempt 1 of 3, next at " in out
    assert "TimeoutError: no answer" in out
    assert "jobs 1 (done 0, retrying 1, failed 0)" in out
    # Still open: the next pass adds nothing.
    assert schedule_due_work(kinds=["check"], now=timezone.now()) == {"check": 0}

    # Given up after its last attempt: not scheduled again until the cool-off ends.
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, finished_at=timezone.now()
    )
    assert schedule_due_work(kinds=["check"], now=timezone.now()) == {"check": 0}
    later = timezone.now() + FAILED_COOL_OFF + dt.timedelta(minutes=1)
    assert schedule_due_work(kinds=["check"], now=later) == {"check": 1}


def test_schedule_every_zero_only_runs_what_others_enqueued(job_handler) -> None:
    job_handler("check", check)
    due = EntryFactory()
    queued = EntryFactory()
    jobs.enqueue("check", entry_id=queued.pk, run_after=a_second_ago())

    out, _ = run_worker("--once", "--kinds", "check", "--schedule-every", "0")

    assert not due.accesses.exists()
    assert queued.accesses.filter(origin="checker").count() == 1
    assert "scheduled 0" in out


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_worker_after_the_current_job(signum, job_handler) -> None:
    finished: list[int] = []

    def slow(job: Job) -> None:
        os.kill(os.getpid(), signum)  # arrives while the job is running
        time.sleep(0.05)
        finished.append(job.pk)

    job_handler("test-slow", slow)
    first = jobs.enqueue("test-slow", priority=1, run_after=a_second_ago())
    second = jobs.enqueue("test-slow", priority=2, run_after=a_second_ago())
    before = signal.getsignal(signum)

    out, err = run_worker(
        "--kinds", "test-slow", "--sleep", "0.05", "--schedule-every", "0"
    )

    assert finished == [first.pk]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Job.Status.DONE, Job.Status.PENDING)
    assert f"{signal.Signals(signum).name}: stopping after the current job" in err
    assert "jobs 1 (done 1, retrying 0, failed 0)" in out
    assert signal.getsignal(signum) == before


def test_an_idle_worker_stops_on_sigterm(job_handler) -> None:
    job_handler("test-idle", lambda job: None)
    default = signal.getsignal(signal.SIGTERM)

    def terminate_once_listening() -> None:
        deadline = time.monotonic() + 10
        while signal.getsignal(signal.SIGTERM) == default:
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)
        time.sleep(0.2)  # let it fall asleep waiting for work
        os.kill(os.getpid(), signal.SIGTERM)

    sender = threading.Thread(target=terminate_once_listening)
    started = time.monotonic()
    sender.start()
    out, _ = run_worker("--kinds", "test-idle", "--sleep", "5", "--schedule-every", "0")
    sender.join()

    assert time.monotonic() - started < 3  # did not finish its 5-second nap
    assert "jobs 0" in out


def test_worker_loop_picks_up_work_as_it_arrives(job_handler) -> None:
    ran: list[int] = []
    worker = Worker(kinds=["test-chain"], sleep=0.01, schedule_every=None,
                    say=lambda line: None)  # fmt: skip

    def chain(job: Job) -> None:
        ran.append(job.payload["n"])
        if job.payload["n"] < 3:
            jobs.enqueue("test-chain", payload={"n": job.payload["n"] + 1},
                         run_after=a_second_ago())  # fmt: skip
        else:
            worker.stop()

    job_handler("test-chain", chain)
    jobs.enqueue("test-chain", payload={"n": 1}, run_after=a_second_ago())

    report = worker.run()

    assert ran == [1, 2, 3]
    assert report.ran["done"] == 3


def test_unknown_kind_is_refused(job_handler) -> None:
    job_handler("check", check)

    with pytest.raises(CommandError, match="no handler registered for nonsense"):
        run_worker("--once", "--kinds", "check,nonsense")
