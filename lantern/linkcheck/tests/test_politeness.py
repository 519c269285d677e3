"""The politeness pieces on their own: slots and spacing, back-off, Retry-After,
robots.txt rules (fed with plain fetch results; the real thing against a server is
in test_checker and test_services)."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import itertools
import time

import pytest

from lantern.core.http import FetchResult
from lantern.linkcheck.politeness import (
    MAX_CRAWL_DELAY,
    Politeness,
    RetryPolicy,
    RobotsRules,
    retry_after,
)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    now = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
    assert retry_after("120") == 120
    in_a_minute = email.utils.format_datetime(
        now + dt.timedelta(minutes=1), usegmt=True
    )
    assert retry_after(in_a_minute, now=now) == 60
    an_hour_ago = email.utils.format_datetime(now - dt.timedelta(hours=1), usegmt=True)
    assert retry_after(an_hour_ago, now=now) == 0
    assert retry_after("") is None and retry_after("soon") is None


def test_backoff_grows_with_jitter_and_a_cap() -> None:
    policy = RetryPolicy(base=1.0, cap=5.0)
    for attempt, ceiling in ((1, 1.0), (2, 2.0), (3, 4.0), (4, 5.0), (9, 5.0)):
        waits = {policy.backoff(attempt) for _ in range(50)}
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(waits) > 1  # jittered


async def _spread(
    politeness: Politeness, hosts: list[str], hold: float
) -> list[tuple[str, float, float]]:
    spans: list[tuple[str, float, float]] = []

    async def one(host: str) -> None:
        async with politeness.slot(host):
            start = time.monotonic()
            await asyncio.sleep(hold)
            spans.append((host, start, time.monotonic()))

    await asyncio.gather(*(one(h) for h in hosts))
    return spans


def _most_at_once(spans: list[tuple[str, float, float]]) -> int:
    events = sorted([(s, 1) for _, s, _ in spans] + [(e, -1) for _, _, e in spans])
    current = peak = 0
    for _, change in events:
        current += change
        peak = max(peak, current)
    return peak


def test_slots_limit_each_host_space_its_starts_and_cap_the_total() -> None:
    politeness = Politeness(concurrency=3, per_host=2, delay=0.03)
    hosts = ["a:80"] * 6 + ["b:80"] * 6 + ["c:80"] * 6
    spans = asyncio.run(_spread(politeness, hosts, hold=0.05))
    assert _most_at_once(spans) == 3
    for host in ("a:80", "b:80", "c:80"):
        mine = [span for span in spans if span[0] == host]
        assert _most_at_once(mine) <= 2
        starts = sorted(start for _, start, _ in mine)
        assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.03


def test_a_paused_host_does_not_hold_up_the_others() -> None:
    async def go() -> tuple[float, float]:
        politeness = Politeness(concurrency=1, per_host=1, delay=0)
        politeness.pause("slow:80", 0.3)
        began = time.monotonic()
        spans = await _spread(politeness, ["slow:80", "fast:80", "fast:80"], 0.01)
        when = {host: start - began for host, start, _ in spans}
        return when["slow:80"], when["fast:80"]

    slow, fast = asyncio.run(go())
    assert slow >= 0.3 and fast < 0.1


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        Politeness(concurrency=0, per_host=1, delay=0)
    with pytest.raises(ValueError):
        Politeness(concurrency=1, per_host=1, delay=-1)


def robots_answer(status: int | None, body: str = "", error: str = "") -> FetchResult:
    return FetchResult(
        url="", status=status, body=body.encode(), error=error,
        headers=[("content-type", "text/plain")],
    )  # fmt: skip


RULES = """
User-agent: *
Disallow: /search

User-agent: Lantern
Disallow: /private/
Crawl-delay: 3
"""


def verdicts(answer: FetchResult, urls: list[str]) -> tuple[list[bool], list[str]]:
    asked: list[str] = []

    async def fetch(url: str) -> FetchResult:
        asked.append(url)
        await asyncio.sleep(0.01)
        return answer

    async def go() -> list[bool]:
        robots = RobotsRules()
        found = await asyncio.gather(*(robots.verdict(url, fetch) for url in urls))
        return [v.allowed for v in found]

    return asyncio.run(go()), asked


def test_robots_rules_for_lantern_are_read_once_per_origin() -> None:
    urls = ["http://a.org/private/x", "http://a.org/public/y", "http://a.org/search",
            "https://a.org/private/x"]  # fmt: skip
    allowed, asked = verdicts(robots_answer(200, RULES), urls)
    # Lantern's own group applies (not *'s), and each origin is asked once.
    assert allowed == [False, True, True, False]
    assert asked == ["http://a.org/robots.txt", "https://a.org/robots.txt"]


def test_crawl_delay_is_read() -> None:
    async def go() -> float | None:
        async def fetch(url: str) -> FetchResult:
            return robots_answer(200, RULES)

        verdict = await RobotsRules().verdict("http://a.org/x", fetch)
        return verdict.crawl_delay

    assert asyncio.run(go()) == 3
    politeness = Politeness(concurrency=1, per_host=1, delay=1)
    politeness.slow_down("a.org:80", 10_000)
    assert politeness._host("a.org:80").delay == MAX_CRAWL_DELAY


@pytest.mark.parametrize(
    "answer",
    [
        robots_answer(404),
        robots_answer(403),
        robots_answer(503),
        robots_answer(None, error="timeout"),
    ],
)
def test_missing_forbidden_or_unreachable_robots_txt_does_not_block(
    answer: FetchResult,
) -> None:
    allowed, _ = verdicts(answer, ["http://a.org/private/x"])
    assert allowed == [True]
