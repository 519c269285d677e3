"""Runs: one Access per check written as each finishes, politeness seen from the
server's side, runs that resume after an interruption, the job handler, the admin's
one-entry check and the `check-links` command."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import sys
import time
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from lantern.core import jobs
from lantern.core.fakeweb import (
    FakeWeb,
    Response,
    html,
    overlap_per_host,
    redirect,
    smallest_gap_per_host,
)
from lantern.core.models import Job
from lantern.library.models import Access, Country, Entry
from lantern.library.tests.factories import AccessFactory, EntryFactory
from lantern.linkcheck import services
from lantern.linkcheck.models import CheckRun
from lantern.linkcheck.politeness import HostClock, RetryPolicy, RobotsMemory
from lantern.linkcheck.services import (
    Progress,
    check_entry,
    plan_checks,
    run_checks,
    select_entries,
)
from lantern.linkcheck.tests.helpers import LIMITS, QUOTE, article

pytestmark = pytest.mark.django_db

HOSTS = ("127.0.0.1", "127.0.0.2", "127.0.0.3")
FAST_RETRY = RetryPolicy(attempts=2, base=0.01, cap=0.05)
SLOW_PAGE = Response(200, article().body, article().headers, delay=0.12)


@pytest.fixture(scope="module")
def web() -> FakeWeb:
    routes: dict[object, object] = {
        **{f"/page/{n}": article() for n in range(40)},
        **{f"/slow/{n}": SLOW_PAGE for n in range(8)},
        "/moved": redirect("/page/0", 301),
        "/changed": article("Nothing of what was quoted remains on this page now."),
    }
    with FakeWeb(routes, addresses=HOSTS) as server:  # type: ignore[arg-type]
        yield server


@pytest.fixture(autouse=True)
def _quick(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_FETCH_TIMEOUT = 2
    settings.LANTERN_CHECK_DELAY = 0
    settings.LANTERN_CHECK_PER_HOST = 4
    # What the process remembers between runs starts afresh for each test.
    monkeypatch.setattr(services, "HOST_CLOCK", HostClock())
    monkeypatch.setattr(services, "ROBOTS_MEMORY", RobotsMemory())


def entry_at(url: str, **fields: object) -> Entry:
    return EntryFactory(url=url, excerpt=[QUOTE], **fields)


def quick_run(**options: object):  # type: ignore[no-untyped-def]
    return run_checks(limits=LIMITS, retry=FAST_RETRY, **options)  # type: ignore[arg-type]


def test_a_run_records_one_access_per_check_with_its_evidence(web: FakeWeb) -> None:
    alive = entry_at(web.url("/page/1"))
    AccessFactory(entry=alive, position=0)
    moved = entry_at(web.url("/moved"))
    dead = entry_at(web.url("/missing"))
    drifted = entry_at(web.url("/changed"))
    EntryFactory(url="")  # nothing to check

    report = quick_run()

    assert report.counts == {"alive": 1, "moved": 1, "dead": 1, "drifted": 1}
    assert report.checked == report.targets == 4
    run = CheckRun.objects.get(pk=report.run_id)
    assert run.status == "finished" and run.finished_at is not None
    assert run.counts == report.counts
    assert sorted(run.targets) == sorted([alive.pk, moved.pk, dead.pk, drifted.pk])

    check = alive.accesses.get(origin="checker")
    assert check.position == 1  # after the imported access
    assert check.run_id == run.pk and check.url == web.url("/page/1")
    assert check.outcome == "alive" and check.http_status == 200
    assert check.excerpt_found is True and len(check.content_hash) == 64
    assert check.accessed_on == timezone.localdate()
    assert check.checked_at is not None and check.elapsed_ms is not None
    assert check.attempts == 1

    moved_check = moved.accesses.get()
    assert moved_check.outcome == "moved"
    assert moved_check.final_url == web.url("/page/0")
    assert moved_check.redirect_chain == [{"url": web.url("/moved"), "status": 301}]

    dead_check = dead.accesses.get()
    assert dead_check.outcome == "dead" and dead_check.http_status == 404
    assert dead_check.accessed_on is None  # only verifications date an access
    assert drifted.accesses.get().excerpt_found is False

    dead.refresh_from_db()
    assert dead.cached_link_status == "dead" and dead.cached_last_checked_at
    assert report.summary().startswith(f"run #{run.pk} · checked 4 of 4 · alive 1")


def test_our_own_summary_is_not_looked_for_on_the_page(web: FakeWeb) -> None:
    entry = EntryFactory(url=web.url("/changed"), excerpt=["Our summary of it."],
                         excerpt_is_summary=True)  # fmt: skip
    quick_run()
    assert entry.accesses.get().outcome == "alive"


def test_country_due_and_limit_choose_the_entries(web: FakeWeb) -> None:
    peru = Country.objects.get(code="PE")
    chile = Country.objects.get(code="CL")
    in_peru = entry_at(web.url("/page/2"), primary_country=peru)
    in_chile = entry_at(web.url("/page/3"), primary_country=chile)
    also_peru = entry_at(web.url("/page/4"), primary_country=chile, countries=[peru])
    fresh = entry_at(web.url("/page/5"), primary_country=peru)
    Entry.objects.filter(pk=fresh.pk).update(
        cached_last_checked_at=timezone.now() - dt.timedelta(days=1),
        cached_link_status="alive",
    )
    assert select_entries(country="PE") == [in_peru.pk, also_peru.pk, fresh.pk]
    assert select_entries(country="PE", due=True) == [in_peru.pk, also_peru.pk]
    assert select_entries(due=True, limit=2) == [in_peru.pk, in_chile.pk]
    with pytest.raises(ValueError, match="no country"):
        run_checks(country="QQ")


@pytest.fixture
def _prompt_threads() -> None:  # type: ignore[misc]
    """The server, the checker and the test share one interpreter here: switch
    between their threads often, so a request's arrival is stamped when it
    arrives rather than up to 5 ms later (the default switch interval)."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    yield
    sys.setswitchinterval(before)


@pytest.mark.usefixtures("_prompt_threads")
@pytest.mark.parametrize(("per_host", "delay"), [(1, 0.08), (2, 0.05)])
def test_politeness_as_the_servers_see_it(
    web: FakeWeb, per_host: int, delay: float
) -> None:
    for host in HOSTS:
        for n in range(8):
            entry_at(web.url(f"/slow/{n}", host))
    before = len(web.hits())

    report = quick_run(concurrency=4, per_host=per_host, delay=delay)

    assert report.counts == {"alive": 24}
    seen = web.hits()[before:]
    assert len(seen) == 24 + 3  # the pages and one robots.txt per host
    overlap = overlap_per_host(seen)
    assert set(overlap) == {f"{h}:{web.ports[h]}" for h in HOSTS}
    assert max(overlap.values()) <= per_host
    assert max(overlap.values()) == per_host  # the limit, not timidity
    # The server stamps a request when its thread gets to it: a few ms of slack.
    assert min(smallest_gap_per_host(seen).values()) >= delay - 0.008
    everywhere = [dataclasses.replace(r, host="all") for r in seen]
    assert overlap_per_host(everywhere)["all"] <= 4


def test_an_interrupted_run_resumes_without_checking_twice(web: FakeWeb) -> None:
    # Pages that take a moment, so the stop comes while most are still to do
    # (with instant pages every check can finish before the fourth is written).
    for n in range(10, 22):
        slow = article()
        slow.delay = 0.05
        web.add(f"/page/{n}", slow)
    entries = [entry_at(web.url(f"/page/{n}", HOSTS[n % 2])) for n in range(10, 22)]
    urls = {e.pk: e.link for e in entries}

    def stop_after_four(event: Progress) -> None:
        if event.done == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        quick_run(concurrency=2, per_host=1, progress=stop_after_four)

    run = CheckRun.objects.get()
    assert run.status == "running"
    first = set(Access.objects.filter(run=run).values_list("entry_id", flat=True))
    assert 4 <= len(first) < len(entries)
    # A request sent just before the stop may be logged by the server a moment
    # later: let it settle before counting.
    time.sleep(0.3)
    hits_before = Counter(f"{r.host}{r.path}" for r in web.hits())

    report = quick_run(concurrency=2, per_host=1)

    assert report.resumed and report.run_id == run.pk
    assert report.already_done == len(first)
    assert report.checked == len(entries) - len(first)
    per_entry = Counter(
        Access.objects.filter(run=run).values_list("entry_id", flat=True)
    )
    assert per_entry == Counter({e.pk: 1 for e in entries})
    assert Access.objects.filter(entry__in=entries).count() == len(entries)
    hits_after = Counter(f"{r.host}{r.path}" for r in web.hits())
    for pk, url in urls.items():
        key = url.removeprefix("http://")
        again = hits_after[key] - hits_before[key]
        # What the first session recorded is not fetched again; the rest once.
        assert again == (0 if pk in first else 1), url
    run.refresh_from_db()
    assert run.status == "finished" and sum(run.counts.values()) == len(entries)

    # Finished runs are not resumed: the same command starts a new run.
    assert quick_run(limit=1).run_id != run.pk


def test_a_crashing_progress_hook_keeps_what_was_checked(web: FakeWeb) -> None:
    for n in range(22, 28):
        entry_at(web.url(f"/page/{n}"))

    def crash(event: Progress) -> None:
        if event.done == 2:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        quick_run(per_host=1, progress=crash)
    assert Access.objects.filter(origin="checker").count() >= 2
    assert plan_checks().resume_run_id == CheckRun.objects.get().pk
    quick_run(per_host=1)
    assert Access.objects.filter(origin="checker").count() == 6


def test_check_job_checks_its_entry_once(web: FakeWeb) -> None:
    entry = entry_at(web.url("/page/30"))
    assert jobs.handlers()["check"].__name__ == "handle_check_job"
    # Due a moment ago: the database's clock decides, to the millisecond.
    a_moment_ago = timezone.now() - dt.timedelta(seconds=1)
    job = jobs.enqueue(Job.Kind.CHECK, entry_id=entry.pk, run_after=a_moment_ago)
    assert job is not None
    assert jobs.run_one(kinds=["check"]) is not None
    job.refresh_from_db()
    assert job.status == "done" and job.error == ""
    access = entry.accesses.get()
    assert access.outcome == "alive" and access.run.options["job"] == job.pk
    # A retried job resumes its own run: nothing is checked twice.
    Job.objects.filter(pk=job.pk).update(status="pending", run_after=a_moment_ago)
    jobs.run_one(kinds=["check"])
    assert entry.accesses.count() == 1


def test_one_entry_runs_back_to_back_keep_the_spacing(web: FakeWeb, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_CHECK_DELAY = 0.2
    host = "127.0.0.3"
    entries = [entry_at(web.url(f"/page/{n}", host)) for n in (36, 37, 38)]
    before = len(web.hits())
    for entry in entries:  # as a worker runs check jobs, one after another
        assert check_entry(entry, limits=LIMITS).outcome == "alive"
    seen = [r for r in web.hits()[before:] if r.host.startswith(host)]
    assert [r.path for r in seen] == ["/robots.txt"] + [
        f"/page/{n}" for n in (36, 37, 38)
    ]
    assert min(smallest_gap_per_host(seen).values()) >= 0.2 - 0.008


def test_check_entry_for_the_admin(web: FakeWeb) -> None:
    entry = entry_at(web.url("/page/31"))
    AccessFactory(entry=entry, position=3)
    access = check_entry(entry, limits=LIMITS, retry=FAST_RETRY)
    assert access.outcome == "alive" and access.position == 4
    assert access.origin == "checker" and access.accessed_on == timezone.localdate()
    second = check_entry(entry, limits=LIMITS)
    assert second.run_id != access.run_id and second.position == 5
    with pytest.raises(ValueError, match="no address"):
        check_entry(EntryFactory(url=""))


def test_command_prints_lines_tables_and_a_summary(web: FakeWeb) -> None:
    entry_at(web.url("/page/32"))
    entry_at(web.url("/moved"))
    entry_at(web.url("/missing"))
    out = io.StringIO()
    call_command("check-links", "--delay", "0", stdout=out)
    text = out.getvalue()
    assert "checking 3 entries" in text
    lines = text.splitlines()
    assert any(line.split()[:2] == ["moved", "200"] and "→" in line for line in lines)
    assert any(line.split()[:2] == ["dead", "404"] for line in lines)
    assert "Outcomes" in text and "Slowest hosts" in text
    assert f"127.0.0.1:{web.ports['127.0.0.1']}" in text
    assert text.strip().splitlines()[-1].startswith("run #")
    assert "alive 1 · moved 1 · dead 1" in text


def test_command_dry_run_and_usage_errors(web: FakeWeb) -> None:
    entry_at(web.url("/page/33"))
    out = io.StringIO()
    call_command("check-links", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "dry run · would check 1 entries"
    assert not Access.objects.exists() and not CheckRun.objects.exists()
    for args in (["--country", "QQ"], ["--per-host", "0"], ["--delay", "-1"],
                 ["--limit", "0"], ["--concurrency", "0"]):  # fmt: skip
        with pytest.raises(CommandError):
            call_command("check-links", *args, stdout=io.StringIO())


def test_page_that_is_not_html_is_still_checked(web: FakeWeb) -> None:
    web.add(
        "/data.bin", Response(200, b"\x00\x01binary", {"Content-Type": "image/png"})
    )
    entry = EntryFactory(url=web.url("/data.bin"), excerpt=[])
    quick_run()
    access = entry.accesses.get()
    assert access.outcome == "alive" and access.excerpt_found is None
    assert len(access.content_hash) == 64


def test_html_helper_page_is_served(web: FakeWeb) -> None:
    web.add("/hello", html("<p>hello</p>"))
    entry = EntryFactory(url=web.url("/hello"), excerpt=[QUOTE])
    quick_run()
    assert entry.accesses.get().outcome == "drifted"


def test_an_entry_deleted_during_its_check_is_skipped(web: FakeWeb) -> None:
    doomed = entry_at(web.url("/page/34"))
    kept = entry_at(web.url("/page/35"))

    def delete_the_other(event: Progress) -> None:
        if event.access is None:
            Entry.objects.filter(pk=doomed.pk).delete()

    report = quick_run(per_host=1, progress=delete_the_other)
    assert report.checked == 1 and kept.accesses.count() == 1


def test_a_gone_link_queues_a_search_for_an_archived_copy(web: FakeWeb) -> None:
    from lantern.core.models import Job

    gone = entry_at(web.url("/missing-report"))
    fine = entry_at(web.url("/page/2"))
    quick_run()
    assert list(
        Job.objects.filter(kind="wayback").values_list("entry_id", flat=True)
    ) == [gone.pk]
    assert not Job.objects.filter(kind="wayback", entry=fine).exists()
