"""Link-check runs: choose the entries, check their links politely, and record one
`Access` per check as each check finishes.

The checks run in one asyncio loop on a background thread; the calling thread writes
each result to the database as it arrives, so a run stopped half-way (Ctrl-C, a
killed process) keeps every check it finished. The next run with the same options
resumes it: only the targets without an access for that run are checked, and
the (entry, run) unique constraint makes a second access for one target
impossible. Touches the database and the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from lantern.core.http import Limits, make_client
from lantern.core.jobs import enqueue
from lantern.core.models import Job
from lantern.library.models import Access, Country, Entry
from lantern.library.signals import announce
from lantern.linkcheck.checker import CheckResult, SiteProbes, check_url, host_key
from lantern.linkcheck.models import CheckRun
from lantern.linkcheck.politeness import (
    HostClock,
    Politeness,
    RetryPolicy,
    RobotsMemory,
    RobotsRules,
)

log = logging.getLogger(__name__)

# Request starts per host, across the runs of this process (check jobs run one
# entry at a time, and the spacing must hold between them too).
HOST_CLOCK = HostClock()
# robots.txt files read, for a day, across the runs of this process.
ROBOTS_MEMORY = RobotsMemory()


@dataclass(frozen=True)
class Target:
    """One link to check: plain values handed to the checking thread."""

    entry_id: int
    url: str
    excerpt: tuple[str, ...]


@dataclass(frozen=True)
class Progress:
    """Told to the `progress` callback: at the start (`access` None), then after
    each check is recorded."""

    done: int
    total: int
    access: Access | None = None
    result: CheckResult | None = None


@dataclass(frozen=True)
class HostTime:
    host: str
    checks: int
    mean: float  # seconds per check
    slowest: float


@dataclass(frozen=True)
class RunReport:
    """What a run did. `counts` covers the whole run, resumed parts included."""

    run_id: int
    resumed: bool
    targets: int
    already_done: int  # checked by an earlier, interrupted session of this run
    checked: int  # checked and recorded now
    skipped: int  # targets that no longer have an address to check
    failed: int  # checks that crashed (logged; a resumed run tries them again)
    counts: dict[str, int] = field(default_factory=dict)
    slowest_hosts: tuple[HostTime, ...] = ()
    seconds: float = 0.0

    def summary(self) -> str:
        """One line: `run #3 · checked 12 of 12 · alive 9 · dead 2 · … · 4.1 s`."""
        parts = [f"run #{self.run_id}" + (" (resumed)" if self.resumed else "")]
        parts.append(f"checked {self.checked} of {self.targets}")
        if self.already_done:
            parts.append(f"{self.already_done} done before")
        order = [choice.value for choice in Access.Outcome]
        for outcome in sorted(self.counts, key=order.index):
            parts.append(f"{outcome} {self.counts[outcome]}")
        if self.skipped:
            parts.append(f"skipped {self.skipped}")
        if self.failed:
            parts.append(f"failed {self.failed}")
        parts.append(f"{self.seconds:.1f} s")
        return " · ".join(parts)


ProgressCallback = Callable[[Progress], None]


# -------------------------------------------------------------------- entry points


def run_checks(
    *,
    country: str | None = None,
    due: bool = False,
    limit: int | None = None,
    concurrency: int | None = None,
    per_host: int | None = None,
    delay: float | None = None,
    progress: ProgressCallback | None = None,
    limits: Limits | None = None,
    retry: RetryPolicy | None = None,
    client_options: dict[str, Any] | None = None,
) -> RunReport:
    """Check the links of the chosen entries (all with an address; `country`: those
    naming it; `due`: those due for a check; `limit`: the first N), or resume the
    unfinished run started with the same choice.

    `concurrency`, `per_host` and `delay` default to the LANTERN_CHECK_* settings;
    `limits`, `retry` and `client_options` (passed to `make_client`) are for tests
    and benchmarks. Raises ValueError for an unknown country or a bad limit."""
    options = run_options(country=country, due=due, limit=limit)
    run = unfinished_run(options)
    resumed = run is not None
    if run is None:
        targets = select_entries(country=options["country"], due=due, limit=limit)
        run = CheckRun.objects.create(options=options, targets=targets)
    return execute_run(
        run,
        resumed=resumed,
        concurrency=concurrency,
        per_host=per_host,
        delay=delay,
        progress=progress,
        limits=limits,
        retry=retry,
        client_options=client_options,
    )


@dataclass(frozen=True)
class Plan:
    """What `run_checks` would do with these options (for --dry-run)."""

    resume_run_id: int | None
    targets: int
    pending: int


def plan_checks(
    *, country: str | None = None, due: bool = False, limit: int | None = None
) -> Plan:
    """What `run_checks` with these options would check, without checking.
    Reads the database only."""
    options = run_options(country=country, due=due, limit=limit)
    run = unfinished_run(options)
    if run is None:
        targets = select_entries(country=options["country"], due=due, limit=limit)
        return Plan(None, len(targets), len(targets))
    done = set(Access.objects.filter(run=run).values_list("entry_id", flat=True))
    pending = [pk for pk in dict.fromkeys(run.targets) if pk not in done]
    return Plan(run.pk, len(run.targets), len(pending))


def run_options(*, country: str | None, due: bool, limit: int | None) -> dict[str, Any]:
    """The options that say what a run checks (and which unfinished run the same
    options resume). Raises ValueError for an unknown country or a bad limit."""
    code = country.strip().upper() if country else None
    if code and not Country.objects.filter(code=code).exists():
        raise ValueError(f"no country with code {country!r}")
    if limit is not None and limit < 1:
        raise ValueError("the limit must be at least 1")
    return {"country": code, "due": due, "limit": limit}


def check_entry(entry: Entry, **options: Any) -> Access:
    """Check one entry's link now (the admin's "check link"), in a run of its own.

    `options` are those of `execute_run`. Raises ValueError when the entry has no
    address."""
    if not entry.link:
        raise ValueError(f"entry {entry.pk} has no address to check")
    run = CheckRun.objects.create(
        options={"entry": entry.pk, "manual": True}, targets=[entry.pk]
    )
    execute_run(run, **options)
    return Access.objects.get(entry=entry, run=run)


def handle_check_job(job: Job) -> None:
    """The `check` job: check `job.entry` in a one-entry run of its own. A job run
    again (a retry, a worker that died) resumes that run, or does nothing when the
    run finished: an entry is never checked twice for one job."""
    entry = job.entry
    if entry is None or not entry.link:
        log.info("check job %s: nothing to check", job.pk)
        return
    run = CheckRun.objects.filter(options__job=job.pk).order_by("-id").first()
    if run is not None and run.status == CheckRun.Status.FINISHED:
        return
    if run is None:
        run = CheckRun.objects.create(
            options={"job": job.pk, "entry": entry.pk}, targets=[entry.pk]
        )
    execute_run(run, resumed=True)


# ---------------------------------------------------------------------- the pieces


def select_entries(
    *, country: str | None = None, due: bool = False, limit: int | None = None
) -> list[int]:
    """Ids of the entries a run should check, in the order to check them (the
    longest unchecked first when `due`)."""
    entries = Entry.objects.checkable()
    if country:
        entries = entries.filter(pk__in=Entry.objects.in_country(country).values("pk"))
    if due:
        entries = entries.due_for_check(
            timezone.now(), every_days=settings.LANTERN_CHECK_EVERY_DAYS
        )
    else:
        entries = entries.order_by("id")
    ids = entries.values_list("pk", flat=True)
    return list(ids[:limit] if limit else ids)


def unfinished_run(options: dict[str, Any]) -> CheckRun | None:
    """The latest run started with these options that did not finish."""
    for run in CheckRun.objects.unfinished():
        if run.options == options:
            return run
    return None


# Outcomes that send readers to an archived copy.
GONE = frozenset({"dead", "soft-dead", "drifted"})


def record_check(
    *, entry_id: int, result: CheckResult, run: CheckRun | None
) -> Access | None:
    """Append the Access for one check and update the entry's cached status (see
    `record_checks`). Returns None when the entry is gone or the run already has
    an access for it."""
    return record_checks([(entry_id, result)], run=run)[0]


def record_checks(
    items: Sequence[tuple[int, CheckResult]], *, run: CheckRun | None
) -> list[Access | None]:
    """Append one Access per check (after each entry's other accesses) and update
    the entries' cached status, for a batch of checks in one transaction. Entries
    deleted meanwhile, and entries the run already has an access for (another
    process resumed the run too), get None. Gone links queue a search for an
    archived copy."""
    now = timezone.now()
    ids = [entry_id for entry_id, _ in items]
    with transaction.atomic():
        existing = set(Entry.objects.filter(pk__in=ids).values_list("pk", flat=True))
        checked = (
            set(
                Access.objects.filter(run=run, entry_id__in=ids).values_list(
                    "entry_id", flat=True
                )
            )
            if run is not None
            else set()
        )
        last = dict(
            Access.objects.filter(entry_id__in=existing)
            .values("entry_id")
            .annotate(last=Max("position"))
            .values_list("entry_id", "last")
        )
        made: list[Access | None] = []
        new: list[Access] = []
        for entry_id, result in items:
            if entry_id not in existing or entry_id in checked:
                made.append(None)
                continue
            checked.add(entry_id)
            position = last.get(entry_id)
            last[entry_id] = 0 if position is None else position + 1
            access = Access(
                entry_id=entry_id,
                run=run,
                position=last[entry_id],
                origin=Access.Origin.CHECKER,
                url=result.url[:2000],
                accessed_on=timezone.localdate(now) if result.verified else None,
                checked_at=now,
                outcome=result.outcome,
                http_status=result.http_status,
                final_url=result.final_url[:2000],
                excerpt_found=result.excerpt_found,
                redirect_chain=result.chain_json(),
                content_hash=result.content_hash,
                elapsed_ms=round(result.elapsed * 1000),
                attempts=result.attempts,
                error=result.error[:300],
            )
            new.append(access)
            made.append(access)
        Access.objects.bulk_create(new)
        by_outcome: dict[str, list[int]] = defaultdict(list)
        for access in new:
            by_outcome[access.outcome].append(access.entry_id)
        for outcome, entry_ids in by_outcome.items():
            Entry.objects.filter(pk__in=entry_ids).update(
                cached_link_status=outcome, cached_last_checked_at=now
            )
    if new:
        announce({a.entry_id for a in new}, origin="check")
        gone = [a.entry_id for a in new if a.outcome in GONE]
        without_copy = Entry.objects.filter(pk__in=gone, wayback_url="").values_list(
            "pk", flat=True
        )
        for entry_id in without_copy:
            # Readers of a gone page need an archived copy: the worker looks for
            # the Internet Archive's closest one.
            enqueue(Job.Kind.WAYBACK, entry_id=entry_id, priority=150)
    return made


def execute_run(
    run: CheckRun,
    *,
    resumed: bool = False,
    concurrency: int | None = None,
    per_host: int | None = None,
    delay: float | None = None,
    progress: ProgressCallback | None = None,
    limits: Limits | None = None,
    retry: RetryPolicy | None = None,
    client_options: dict[str, Any] | None = None,
) -> RunReport:
    """Check the targets of `run` that have no access for it yet, recording each
    as it finishes, and mark the run finished. On an interruption (Ctrl-C or any
    error) what finished is recorded, the run stays unfinished, and the
    exception goes on."""
    started = time.monotonic()
    done = set(Access.objects.filter(run=run).values_list("entry_id", flat=True))
    pending = [pk for pk in dict.fromkeys(run.targets) if pk not in done]
    entries = Entry.objects.only("url", "excerpt", "excerpt_is_summary").in_bulk(
        pending
    )
    targets = []
    for pk in pending:
        entry = entries.get(pk)
        if entry is not None and entry.link:
            excerpt = () if entry.excerpt_is_summary else tuple(entry.excerpt or ())
            targets.append(Target(pk, entry.link, excerpt))
    total = len(targets)
    if progress:
        progress(Progress(0, total))
    worker = _CheckingThread(
        targets,
        politeness=Politeness(
            concurrency=concurrency or settings.LANTERN_CHECK_CONCURRENCY,
            per_host=per_host or settings.LANTERN_CHECK_PER_HOST,
            delay=settings.LANTERN_CHECK_DELAY if delay is None else delay,
            clock=HOST_CLOCK,
        ),
        limits=limits or default_limits(),
        retry=retry or RetryPolicy(),
        client_options=client_options or {},
    )
    results: list[CheckResult] = []
    failed = 0
    worker.start()
    try:
        # Checks are written in small batches (one transaction each), which leaves
        # the checking thread's event loop more of the interpreter.
        for batch in worker.batches():
            good = [(t, o) for t, o in batch if isinstance(o, CheckResult)]
            failed += len(batch) - len(good)
            made = record_checks([(t.entry_id, o) for t, o in good], run=run)
            for (_, outcome), access in zip(good, made, strict=True):
                if access is None:
                    continue
                results.append(outcome)
                if progress:
                    progress(Progress(len(results), total, access, outcome))
    except BaseException:
        worker.stop()
        # Checks that finished while we stopped are kept too.
        try:
            record_checks([(t.entry_id, o) for t, o in worker.drain()], run=run)
        except Exception:
            log.exception("could not record the checks that finished while stopping")
        try:
            _save_counts(run)
        except Exception:  # the original trouble matters more
            log.exception("could not save the counts of run %s", run.pk)
        raise
    counts = _save_counts(run, finished=failed == 0)
    return RunReport(
        run_id=run.pk,
        resumed=resumed,
        targets=len(run.targets),
        already_done=len(done),
        checked=len(results),
        skipped=len(pending) - total,
        failed=failed,
        counts=counts,
        slowest_hosts=slowest_hosts(results),
        seconds=time.monotonic() - started,
    )


def default_limits() -> Limits:
    total = float(settings.LANTERN_FETCH_TIMEOUT)
    return Limits(
        connect=min(10.0, total),
        read=min(20.0, total),
        total=total,
        max_bytes=int(settings.LANTERN_FETCH_MAX_BYTES),
    )


def slowest_hosts(
    results: Sequence[CheckResult], *, top: int = 5
) -> tuple[HostTime, ...]:
    """The hosts whose pages took longest to fetch, by mean time per check."""
    times: dict[str, list[float]] = defaultdict(list)
    for result in results:
        times[result.host].append(result.elapsed)
    rows = [
        HostTime(host, len(values), sum(values) / len(values), max(values))
        for host, values in times.items()
    ]
    rows.sort(key=lambda row: (-row.mean, row.host))
    return tuple(rows[:top])


def _save_counts(run: CheckRun, *, finished: bool = False) -> dict[str, int]:
    rows = Access.objects.filter(run=run).values("outcome").annotate(n=Count("id"))
    counts = dict(Counter({row["outcome"]: row["n"] for row in rows}))
    run.counts = counts
    fields = ["counts"]
    if finished:
        run.status = CheckRun.Status.FINISHED
        run.finished_at = timezone.now()
        fields += ["status", "finished_at"]
    run.save(update_fields=fields)
    return counts


# ------------------------------------------------------------ the checking thread

_DONE = object()


class _CheckingThread(threading.Thread):
    """Runs the checks in an asyncio loop of its own and hands back each result
    as it comes (the database stays with the calling thread)."""

    def __init__(
        self,
        targets: list[Target],
        *,
        politeness: Politeness,
        limits: Limits,
        retry: RetryPolicy,
        client_options: dict[str, Any],
    ) -> None:
        super().__init__(name="linkcheck", daemon=True)
        self.targets = targets
        self.politeness = politeness
        self.limits = limits
        self.retry = retry
        self.client_options = client_options
        self.results: queue.Queue[Any] = queue.Queue()
        self.crash: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = threading.Event()

    def run(self) -> None:
        try:
            asyncio.run(self._main())
        except asyncio.CancelledError:
            pass
        except BaseException as exc:
            self.crash = exc
        finally:
            self.results.put(_DONE)

    def stop(self) -> None:
        """Cancel the checks still running; returns once the loop has ended."""
        self._stopping.set()
        loop, task = self._loop, self._task
        if loop is not None and task is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(task.cancel)
        self.join()

    def outcomes(self) -> Iterator[tuple[Target, CheckResult | BaseException]]:
        """(target, CheckResult or the exception its check raised), as they come."""
        while True:
            try:
                item = self.results.get(timeout=0.2)
            except queue.Empty:
                if self.is_alive():
                    continue
                item = _DONE
            if item is _DONE:
                if self.crash is not None:
                    raise RuntimeError("the link checker stopped") from self.crash
                return
            yield item

    def batches(
        self, *, most: int = 100, within: float = 0.1
    ) -> Iterator[list[tuple[Target, CheckResult | BaseException]]]:
        """Results in small batches: each batch is what came in within `within`
        seconds of its first result (at most `most`)."""
        outcomes = self.outcomes()
        for first in outcomes:
            batch = [first]
            deadline = time.monotonic() + within
            while len(batch) < most:
                try:
                    item = self.results.get(
                        timeout=max(0.0, deadline - time.monotonic())
                    )
                except queue.Empty:
                    break
                if item is _DONE:
                    self.results.put(_DONE)  # let `outcomes` see the end
                    break
                batch.append(item)
            yield batch

    def drain(self) -> list[tuple[Target, CheckResult]]:
        """Results that came in and were not taken yet (after `stop`)."""
        items: list[tuple[Target, CheckResult]] = []
        while True:
            try:
                item = self.results.get_nowait()
            except queue.Empty:
                return items
            if item is not _DONE and isinstance(item[1], CheckResult):
                items.append(item)

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        if self._stopping.is_set():
            return
        client = make_client(
            limits=self.limits,
            max_connections=self.politeness.concurrency,
            **self.client_options,
        )
        self.politeness.attach(client)
        async with client:
            robots = RobotsRules(memory=ROBOTS_MEMORY)
            probes = SiteProbes()

            self.politeness.expect([host_key(t.url) for t in self.targets])

            async def one(target: Target) -> None:
                try:
                    result = await check_url(
                        client,
                        target.url,
                        excerpt=list(target.excerpt),
                        limits=self.limits,
                        robots=robots,
                        politeness=self.politeness,
                        retry=self.retry,
                        probes=probes,
                    )
                except Exception as exc:  # one bad page must not end the run
                    log.exception("checking %s failed", target.url)
                    self.results.put((target, exc))
                else:
                    self.results.put((target, result))
                finally:
                    self.politeness.finished(host_key(target.url))

            await asyncio.gather(*(one(target) for target in self.targets))
