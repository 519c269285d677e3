"""The job queue: a job is claimed by one worker only, failures come back later
with growing pauses, and jobs of dead workers are put back."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.utils import timezone

from lantern.core import jobs
from lantern.core.models import Job
from lantern.library.tests.factories import EntryFactory


def a_second_ago() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_workers_claim_every_job_exactly_once(own_connection) -> None:
    threads, queued = 8, 120
    with own_connection():
        created = {
            job.pk
            for n in range(queued)
            if (job := jobs.enqueue("test-race", payload={"n": n},
                                    run_after=a_second_ago())) is not None
        }  # fmt: skip
    assert len(created) == queued
    claims: list[tuple[str, int]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def worker(name: str) -> None:
        try:
            with own_connection():
                start.wait()
                while (job := jobs.claim(kinds=["test-race"], worker=name)) is not None:
                    with lock:
                        claims.append((name, job.pk))
        except BaseException as exc:  # reported below, with the thread's name
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=60)

    assert errors == []
    claimed = [pk for _, pk in claims]
    assert sorted(claimed) == sorted(created)  # every job, none twice
    with own_connection():
        rows = dict(Job.objects.filter(pk__in=created).values_list("pk", "claimed_by"))
        assert Job.objects.filter(status=Job.Status.RUNNING).count() == queued
    # The database agrees with each thread about who won each job.
    assert all(rows[pk] == name for name, pk in claims)
    assert len({name for name, _ in claims}) > 1


@pytest.mark.django_db
def test_claim_takes_ready_jobs_by_priority_then_age() -> None:
    later = jobs.enqueue("test-order", priority=100, run_after=a_second_ago())
    urgent = jobs.enqueue("test-order", priority=10, run_after=a_second_ago())
    jobs.enqueue(
        "test-order", run_after=timezone.now() + dt.timedelta(hours=1)
    )  # not yet

    assert jobs.claim(kinds=["test-order"]) == urgent
    assert jobs.claim(kinds=["test-order"]) == later
    assert jobs.claim(kinds=["test-order"]) is None
    assert jobs.claim(kinds=["another-kind"]) is None


@pytest.mark.django_db
def test_enqueue_skips_a_job_already_open_for_the_entry() -> None:
    entry = EntryFactory()
    first = jobs.enqueue("check", entry_id=entry.pk)

    assert first is not None
    assert jobs.enqueue("check", entry_id=entry.pk) is None
    assert jobs.enqueue("capture", entry_id=entry.pk) is not None
    jobs.finish(first)
    assert jobs.enqueue("check", entry_id=entry.pk) is not None


@pytest.mark.django_db
def test_failing_handler_is_retried_with_doubling_pauses_then_failed(
    job_handler,
) -> None:
    def broken(job: Job) -> None:
        raise ConnectionError("host went away")

    job_handler("test-flaky", broken)
    job = jobs.enqueue("test-flaky", run_after=a_second_ago())
    assert job is not None
    pauses = []
    for attempt in (1, 2):
        before = timezone.now()
        assert jobs.run_one(kinds=["test-flaky"]) == job
        job.refresh_from_db()
        assert (job.status, job.attempts) == (Job.Status.PENDING, attempt)
        assert job.error == "ConnectionError: host went away"
        assert job.finished_at is None
        pauses.append((job.run_after - before).total_seconds())
        # Not ready again until its pause is over …
        assert jobs.run_one(kinds=["test-flaky"]) is None
        # … which we let pass.
        Job.objects.filter(pk=job.pk).update(run_after=a_second_ago())

    assert pauses[0] == pytest.approx(300, abs=5)
    assert pauses[1] == pytest.approx(600, abs=5)
    jobs.run_one(kinds=["test-flaky"])
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Job.Status.FAILED, 3)
    assert job.finished_at is not None
    assert jobs.run_one(kinds=["test-flaky"]) is None


@pytest.mark.django_db
def test_a_job_without_a_handler_fails_without_stopping_anything() -> None:
    job = jobs.enqueue("test-nobody", run_after=a_second_ago())
    assert job is not None

    jobs.run_one(kinds=["test-nobody"])

    job.refresh_from_db()
    assert job.error == "no handler for job kind 'test-nobody'"


@pytest.mark.django_db
def test_requeue_stale_puts_back_only_jobs_of_dead_workers() -> None:
    stale = jobs.enqueue("test-stale", run_after=a_second_ago())
    fresh = jobs.enqueue("test-stale", run_after=a_second_ago())
    assert stale is not None and fresh is not None
    for _ in (stale, fresh):
        assert jobs.claim(kinds=["test-stale"], worker="dead-host:1") is not None
    Job.objects.filter(pk=stale.pk).update(
        claimed_at=timezone.now() - dt.timedelta(hours=2)
    )

    assert jobs.requeue_stale(older_than=dt.timedelta(hours=1)) == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.claimed_by, stale.claimed_at) == ("pending", "", None)
    assert fresh.status == Job.Status.RUNNING
    assert jobs.claim(kinds=["test-stale"], worker="alive:2") == stale
