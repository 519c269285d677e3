"""How the link checker treats the sites it visits: a few requests per host at once,
a pause between request starts to the same host, a cap on requests in flight
overall, back-off and `Retry-After` for servers that are struggling, and the rules
each site's robots.txt sets for Lantern.

`Politeness` and `RobotsRules` live in one event loop (one check run); they hold no
network connections themselves. Touches nothing outside memory, except that
`RobotsRules` fetches robots.txt through the caller's fetch function.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email.utils
import heapq
import random
import threading
import time
import urllib.robotparser
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from lantern.core.http import ROBOTS_AGENT, FetchResult, host_of

# A robots.txt Crawl-delay longer than this is read as this: one cited page is
# checked, not a site crawled, and a run should not stall on one host.
MAX_CRAWL_DELAY = 30.0


@dataclass
class _Host:
    slots: asyncio.Semaphore
    starting: asyncio.Lock = field(default_factory=asyncio.Lock)
    delay: float = 0.0
    next_start: float = 0.0  # time.monotonic() before which no request may start
    next_send: float = 0.0  # the same, for the first byte on the wire


class HostClock:
    """When each host last had a request started, shared by the runs of one
    process (thread-safe), so that one-entry runs done back to back (check jobs)
    keep the spacing a single run would."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}

    def last(self, host: str) -> float:
        with self._lock:
            return self._last.get(host, float("-inf"))

    def record(self, host: str, when: float) -> None:
        with self._lock:
            self._last[host] = max(when, self._last.get(host, when))


class PriorityGate:
    """A counting semaphore whose free places go to the waiter with the highest
    priority (ties: first come, first served)."""

    def __init__(self, places: int) -> None:
        self.free = places
        self._waiting: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = 0

    async def acquire(self, priority: float = 0.0) -> None:
        if self.free > 0 and not self._waiting:
            self.free -= 1
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._order += 1
        heapq.heappush(self._waiting, (-priority, self._order, future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.release()  # granted as it was cancelled: pass it on
            else:
                self._waiting = [w for w in self._waiting if w[2] is not future]
                heapq.heapify(self._waiting)
            raise

    def release(self) -> None:
        while self._waiting:
            _, _, future = heapq.heappop(self._waiting)
            if not future.done():
                future.set_result(None)
                return
        self.free += 1


class Politeness:
    """Gates every request of a run: at most `per_host` at once to one host:port,
    request starts to one host at least `delay` seconds apart, at most
    `concurrency` requests in flight in all.

    Waiting for a host never holds one of the global places, so a busy or paused
    host does not slow down the others; and when places are scarce they go first to
    the host with the most checks left (`expect`), which decides how long a run
    lasts: a polite run cannot end before its busiest host is done. Spacing is kept at two moments: when a
    request is let go, and (once `attach`ed to the client) just before its first
    byte is sent, after any connecting, so the host sees starts at least `delay`
    apart however long each request took to get going."""

    def __init__(
        self,
        *,
        concurrency: int,
        per_host: int,
        delay: float,
        clock: HostClock | None = None,
    ) -> None:
        if concurrency < 1 or per_host < 1 or delay < 0:
            raise ValueError("concurrency and per_host must be ≥ 1, delay ≥ 0")
        self.concurrency = concurrency
        self.per_host = per_host
        self.delay = delay
        self.clock = clock or HostClock()
        self._global = PriorityGate(concurrency)
        self._hosts: dict[str, _Host] = {}
        self._left: dict[str, int] = {}  # checks not yet finished, per host

    def expect(self, hosts: list[str]) -> None:
        """Announce the run's checks (one host per check) to order the places."""
        for host in hosts:
            self._left[host] = self._left.get(host, 0) + 1

    def finished(self, host: str) -> None:
        """One of the announced checks at `host` is over."""
        if self._left.get(host, 0) > 0:
            self._left[host] -= 1

    def _host(self, host: str) -> _Host:
        state = self._hosts.get(host)
        if state is None:
            state = _Host(asyncio.Semaphore(self.per_host), delay=self.delay)
            state.next_start = state.next_send = self.clock.last(host) + self.delay
            self._hosts[host] = state
        return state

    @contextlib.asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold a place for one request to `host` (host:port) while it runs."""
        state = self._host(host)
        async with state.slots:
            async with state.starting:
                # Starts to one host are taken in turn, so each can be spaced from
                # the one before; the global place is taken last and only for the
                # request itself.
                while True:
                    wait = state.next_start - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                        continue
                    await self._global.acquire(self._left.get(host, 0))
                    now = time.monotonic()
                    if now >= state.next_start:  # `pause` may have moved it
                        break
                    self._global.release()
                state.next_start = now + state.delay
                self.clock.record(host, now)
            try:
                yield
            finally:
                self._global.release()

    def attach(self, client: httpx.AsyncClient) -> None:
        """Keep the spacing on the wire for every request `client` sends."""

        async def on_request(request: httpx.Request) -> None:
            host = host_of(str(request.url))
            state = self._host(host)

            async def trace(name: str, info: dict[str, object]) -> None:
                if name.endswith("send_request_headers.started"):
                    await self._space_on_wire(state)
                    self.clock.record(host, time.monotonic())

            request.extensions = {**request.extensions, "trace": trace}

        hooks = client.event_hooks
        client.event_hooks = {**hooks, "request": [*hooks["request"], on_request]}

    async def _space_on_wire(self, state: _Host) -> None:
        # Usually no wait: the slot already spaced this request; this absorbs the
        # time one request spent connecting or waiting for the loop.
        while (wait := state.next_send - time.monotonic()) > 0:
            await asyncio.sleep(wait)
        state.next_send = time.monotonic() + state.delay
        # The next request is let go no earlier than it may be sent.
        state.next_start = max(state.next_start, state.next_send)

    def pause(self, host: str, seconds: float) -> None:
        """Start nothing more at `host` for `seconds` (it asked us to wait)."""
        state = self._host(host)
        until = time.monotonic() + seconds
        state.next_start = max(state.next_start, until)
        state.next_send = max(state.next_send, until)

    def slow_down(self, host: str, delay: float) -> None:
        """Space requests to `host` at least `delay` apart (robots.txt Crawl-delay)."""
        state = self._host(host)
        state.delay = max(state.delay, min(delay, MAX_CRAWL_DELAY))


# ---------------------------------------------------------------------- retrying


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a transient failure again."""

    attempts: int = 3  # in all, the first included
    base: float = 1.0  # first back-off, doubled each time
    cap: float = 30.0  # longest back-off
    retry_after_cap: float = 120.0  # a longer Retry-After is not waited for

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based):
        exponential, with jitter so that many checks do not retry in step."""
        ceiling = min(self.cap, self.base * 2 ** (attempt - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


def retry_after(value: str, *, now: dt.datetime | None = None) -> float | None:
    """Seconds a `Retry-After` header asks for (delay-seconds or an HTTP date);
    None when there is no readable value."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


# ---------------------------------------------------------------------- robots.txt

Fetcher = Callable[[str], Awaitable[FetchResult]]


@dataclass(frozen=True)
class RobotsVerdict:
    allowed: bool
    reason: str = ""  # why not, when not
    crawl_delay: float | None = None


def origin_of(url: str) -> str:
    """scheme://host[:port] of a URL: robots.txt is per origin."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


Parser = urllib.robotparser.RobotFileParser


class RobotsMemory:
    """robots.txt files already read, kept for `ttl` seconds (RFC 9309 asks for at
    most a day) and shared by the runs of one process (thread-safe)."""

    def __init__(self, ttl: float = 24 * 3600) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[float, Parser | None]] = {}

    def get(self, origin: str) -> tuple[bool, Parser | None]:
        """(known, parser); the parser is None when there are no rules."""
        with self._lock:
            kept = self._kept.get(origin)
        if kept is None or time.monotonic() - kept[0] > self.ttl:
            return False, None
        return True, kept[1]

    def put(self, origin: str, parser: Parser | None) -> None:
        with self._lock:
            self._kept[origin] = (time.monotonic(), parser)


class RobotsRules:
    """robots.txt, fetched once per origin and read for `ROBOTS_AGENT`.

    As RFC 9309 says, a robots.txt that answers 4xx allows everything. One that
    cannot be read (5xx, network trouble) does not block either: Lantern fetches
    the single page a curator cited, not a crawl, and that fetch then reports
    the trouble itself."""

    MAX_BYTES = 512 * 1024  # what RFC 9309 asks crawlers to read at least

    def __init__(
        self,
        *,
        agent: str = ROBOTS_AGENT,
        enabled: bool = True,
        memory: RobotsMemory | None = None,
    ) -> None:
        self.agent = agent
        self.enabled = enabled
        self.memory = memory or RobotsMemory()
        self._locks: dict[str, asyncio.Lock] = {}
        self.fetched: list[str] = []  # origins whose robots.txt was requested

    async def verdict(self, url: str, fetch: Fetcher) -> RobotsVerdict:
        """May `url` be fetched? Fetches the origin's robots.txt with `fetch` the
        first time an origin is seen."""
        if not self.enabled:
            return RobotsVerdict(True)
        origin = origin_of(url)
        if not origin.startswith(("http://", "https://")):
            return RobotsVerdict(True)
        async with self._locks.setdefault(origin, asyncio.Lock()):
            known, parser = self.memory.get(origin)
            if not known:
                parser = await self._load(origin, fetch)
                self.memory.put(origin, parser)
        if parser is None:
            return RobotsVerdict(True)
        delay = parser.crawl_delay(self.agent)
        crawl_delay = float(delay) if delay is not None else None
        if parser.can_fetch(self.agent, url):
            return RobotsVerdict(True, crawl_delay=crawl_delay)
        return RobotsVerdict(False, "disallowed by robots.txt", crawl_delay)

    async def _load(self, origin: str, fetch: Fetcher) -> Parser | None:
        self.fetched.append(origin)
        result = await fetch(f"{origin}/robots.txt")
        if result.error or result.status is None or not 200 <= result.status < 300:
            return None
        parser = Parser()
        parser.parse(result.text()[: self.MAX_BYTES].splitlines())
        return parser
