"""Is a cited link still good? `check_url` fetches one URL through an injected
client and says what became of it, keeping the evidence.

Outcomes (the values of `Access.Outcome`): alive; moved (only permanent
redirects, ending at a live page); dead (404/410 and other client errors, or the
name no longer resolves); soft-dead (a "not found" page served as a success: its
title or headings say so in one of several languages, the site answers a made-up
address next to it with the same page, or a deep link now lands on the home page);
drifted (the page is there but the quoted excerpt is not); blocked (401/403/429, a
bot challenge, a sign-in wall, robots.txt: never reported as dead); server error
(5xx after retries); timeout; network error; redirect loop.

Every request goes through `Politeness` (per-host and global limits, spacing) one
redirect hop at a time, so a hop to another host is gated by that host; robots.txt
is read for every host a check reaches. Touches the network only.
"""

from __future__ import annotations

import asyncio
import dataclasses
import enum
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import httpx

from lantern.core.http import FetchResult, Hop, Limits, fetch, host_of
from lantern.core.matching import excerpt_found
from lantern.linkcheck.pages import (
    Page,
    challenge,
    content_hash,
    is_home,
    not_found_page,
    read_page,
    resemblance,
    shingles,
)
from lantern.linkcheck.politeness import (
    Politeness,
    RetryPolicy,
    RobotsRules,
    retry_after,
)


class Outcome(enum.StrEnum):
    """The values of `Access.Outcome` (a test keeps the two the same), so this
    module needs neither Django nor a database."""

    ALIVE = "alive"
    MOVED = "moved"
    DEAD = "dead"
    SOFT_DEAD = "soft-dead"
    DRIFTED = "drifted"
    BLOCKED = "blocked"
    SERVER_ERROR = "server-error"
    TIMEOUT = "timeout"
    NETWORK_ERROR = "network-error"
    REDIRECT_LOOP = "redirect-loop"


# Outcomes that verify the citation (as `Access.VERIFIED`).
VERIFIED = frozenset({Outcome.ALIVE.value, Outcome.MOVED.value})

PERMANENT = frozenset({301, 308})
BLOCKED_STATUSES = frozenset({401, 403, 407, 429, 451})
TRANSIENT_ERRORS = frozenset({"timeout", "connect", "reset"})
# Bodies larger than this are read into text off the event loop.
BIG_BODY = 512 * 1024
DEFAULT_LIMITS = Limits()
DEFAULT_RETRY = RetryPolicy()
# Near-identical: share of word triples two pages have in common.
SAME_PAGE = 0.9


@dataclass(frozen=True)
class CheckResult:
    """What one check found, with the evidence for it."""

    url: str
    outcome: str
    http_status: int | None = None
    final_url: str = ""
    redirect_chain: tuple[Hop, ...] = ()
    content_hash: str = ""  # SHA-256 of the page's normalised text
    excerpt_found: bool | None = None
    elapsed: float = 0.0  # seconds the page's requests took (last attempt)
    attempts: int = 0
    error: str = ""  # what went wrong or why the outcome was chosen
    waited: float = 0.0  # seconds spent waiting to retry (back-off, Retry-After)
    truncated: bool = False

    @property
    def verified(self) -> bool:
        """The page answered with what was cited (or moved to a page that does)."""
        return self.outcome in VERIFIED

    @property
    def host(self) -> str:
        return host_key(self.url)

    def chain_json(self) -> list[dict[str, object]]:
        return [{"url": hop.url, "status": hop.status} for hop in self.redirect_chain]


def host_key(url: str) -> str:
    """host:port, the unit of politeness ('' for a URL that is not one)."""
    try:
        return host_of(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return ""


# -------------------------------------------------------------------- the session


@dataclass
class _Probe:
    status: int | None
    final_url: str
    shingles: set[tuple[str, ...]]


@dataclass
class SiteProbes:
    """What hosts answer for an address that cannot exist, asked once per host (and
    kind of address): the yardstick for soft-404s."""

    _found: dict[str, _Probe | None] = field(default_factory=dict)
    _locks: dict[str, asyncio.Lock] = field(default_factory=dict)

    async def answer(self, url: str, session: _Session) -> _Probe | None:
        made_up, key = made_up_address(url)
        async with self._locks.setdefault(key, asyncio.Lock()):
            if key not in self._found:
                self._found[key] = await self._ask(made_up, session)
        return self._found[key]

    async def _ask(self, made_up: str, session: _Session) -> _Probe | None:
        result = await session.follow(made_up)
        if result.error:
            return None
        page = await session.read(result)
        return _Probe(result.status, result.final_url, shingles(page.leading_words()))


def made_up_address(url: str) -> tuple[str, str]:
    """An address like `url` that cannot exist, and what it stands for (the key
    it is cached under): a random name in the same folder with the same
    extension, or, for an address with a query (`view.php?id=12`), the same path
    with random values."""
    parts = urlsplit(url)
    token = f"lantern-{secrets.token_hex(8)}"
    if parts.query:
        names = [pair.split("=", 1)[0] for pair in parts.query.split("&") if pair]
        query = "&".join(f"{name}={token}" for name in names)
        key = f"{parts.scheme}://{parts.netloc}/?query"
        return urlunsplit(parts._replace(query=query, fragment="")), key.lower()
    folder, _, last = parts.path.rpartition("/")
    extension = "." + last.rsplit(".", 1)[-1][:8] if "." in last else ""
    made_up = parts._replace(path=f"{folder}/{token}{extension}", fragment="")
    # One probe per host and kind of address (static or with a query): sites answer
    # made-up addresses the same way in all their folders, and each probe is one
    # more request to a site that is being asked politely.
    return urlunsplit(made_up), f"{parts.scheme}://{parts.netloc}/{extension}".lower()


def _failed(
    url: str, final_url: str, hops: list[Hop], elapsed: float, error: str, detail: str
) -> FetchResult:
    return FetchResult(
        url=url,
        final_url=final_url,
        hops=hops,
        elapsed=elapsed,
        error=error,
        error_detail=detail,
    )


class _Session:
    """One check's access to the web: gated, robots-aware, hop by hop."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        limits: Limits,
        politeness: Politeness,
        robots: RobotsRules,
    ) -> None:
        self.client = client
        self.limits = limits
        self.hop_limits = dataclasses.replace(limits, max_redirects=0)
        self.politeness = politeness
        self.robots = robots

    async def request(self, url: str) -> FetchResult:
        """One request, no redirects followed, in a polite slot for its host."""
        async with self.politeness.slot(host_key(url)):
            return await fetch(self.client, url, limits=self.hop_limits)

    async def robots_txt(self, url: str) -> FetchResult:
        return await self.follow(url, obey_robots=False)

    async def follow(self, url: str, *, obey_robots: bool = True) -> FetchResult:
        """Fetch `url`, following redirects one hop at a time, each hop gated by
        its own host and checked against that host's robots.txt. A hop refused by
        robots.txt ends the fetch with error "robots"."""
        hops: list[Hop] = []
        seen = {url}
        current = url
        elapsed = 0.0
        for _ in range(self.limits.max_redirects + 1):
            if obey_robots:
                verdict = await self.robots.verdict(current, self.robots_txt)
                if verdict.crawl_delay:
                    self.politeness.slow_down(host_key(current), verdict.crawl_delay)
                if not verdict.allowed:
                    return _failed(
                        url, current, hops, elapsed, "robots", verdict.reason
                    )
            result = await self.request(current)
            elapsed += result.elapsed
            redirected = result.error in {"too-many-redirects", "redirect-loop"}
            if redirected and result.hops:
                hops.append(result.hops[0])
                target = result.final_url
                if target in seen:
                    loop = f"{target} was already visited"
                    return _failed(url, target, hops, elapsed, "redirect-loop", loop)
                seen.add(target)
                current = target
                continue
            result.url, result.hops, result.elapsed = url, hops, elapsed
            return result
        many = f"more than {self.limits.max_redirects} redirects"
        return _failed(url, current, hops, elapsed, "too-many-redirects", many)

    async def read(self, result: FetchResult) -> Page:
        if len(result.body) > BIG_BODY:
            return await asyncio.to_thread(read_page, result)
        return read_page(result)


# ------------------------------------------------------------------------ checking


async def check_url(
    client: httpx.AsyncClient,
    url: str,
    *,
    excerpt: list[str],
    limits: Limits = DEFAULT_LIMITS,
    robots: RobotsRules,
    politeness: Politeness | None = None,
    retry: RetryPolicy = DEFAULT_RETRY,
    probes: SiteProbes | None = None,
) -> CheckResult:
    """Check one URL and classify what became of it (see the module docstring).

    `excerpt` is the quoted text that should still be on the page ([] when there
    is none to look for). Share `robots`, `politeness` and `probes` between the
    checks of one run, and `politeness.attach(client)` once so request starts are
    spaced as the host sees them. Never raises for trouble on the web: it is the
    outcome."""
    politeness = politeness or Politeness(concurrency=100, per_host=100, delay=0)
    session = _Session(client, limits, politeness, robots)
    attempts = 0
    waited = 0.0
    while True:
        attempts += 1
        result = await session.follow(url)
        if result.error == "robots":
            return CheckResult(
                url,
                Outcome.BLOCKED,
                final_url=result.final_url,
                redirect_chain=tuple(result.hops),
                attempts=attempts,
                error=result.error_detail,
                waited=waited,
            )
        plan = _next_attempt(result, attempts, retry)
        if plan.wait is None:
            break
        if plan.asked:  # the server set the pause: nothing else goes there meanwhile
            politeness.pause(host_key(result.final_url or url), plan.wait)
        await asyncio.sleep(plan.wait)
        waited += plan.wait
    page = await session.read(result) if not result.error else None
    kind, reason, found = await _judge(result, page, excerpt, session, probes)
    return CheckResult(
        url=url,
        outcome=kind,
        http_status=result.status,
        final_url=result.final_url,
        redirect_chain=tuple(result.hops),
        content_hash=content_hash(page, result.body) if page else "",
        excerpt_found=found,
        elapsed=result.elapsed,
        attempts=attempts,
        error="; ".join(part for part in (reason, plan.note) if part)[:300],
        waited=waited,
        truncated=result.truncated,
    )


@dataclass(frozen=True)
class _Plan:
    wait: float | None  # None: do not try again
    asked: bool = False  # the wait is the server's Retry-After
    note: str = ""


RETRY_STATUSES = frozenset({429, 502, 503, 504})


def _next_attempt(result: FetchResult, attempts: int, retry: RetryPolicy) -> _Plan:
    """Whether and when to try again after a transient failure."""
    detail = result.error_detail.lower()
    transient = (
        result.error in TRANSIENT_ERRORS
        or (result.error == "dns" and "temporary" in detail)
        # A connection reset with no message reaches us as a bare ReadError.
        or (
            result.error == "protocol"
            and detail.startswith(("readerror", "writeerror"))
        )
    )
    status = result.status or 0
    asked: float | None = None
    # Overload and gateway trouble pass; a plain 500 is more often the page's own
    # bug, so it is asked again only once.
    if not result.error and status == 500 and attempts >= 2:
        return _Plan(None)
    if not result.error and (status in RETRY_STATUSES or status == 500):
        if result.header("cf-mitigated"):
            return _Plan(None)  # a challenge does not go away by asking again
        transient = True
        asked = retry_after(result.header("retry-after"))
    if not transient:
        return _Plan(None)
    if asked is not None and asked > retry.retry_after_cap:
        return _Plan(None, note=f"Retry-After asked for {asked:.0f} s; not waited for")
    if attempts >= retry.attempts:
        return _Plan(None)
    if asked:
        return _Plan(asked, asked=True)
    return _Plan(retry.backoff(attempts))


async def _judge(
    result: FetchResult,
    page: Page | None,
    excerpt: list[str],
    session: _Session,
    probes: SiteProbes | None,
) -> tuple[str, str, bool | None]:
    """(outcome, reason, excerpt found) for the last attempt's result."""
    if result.error or page is None:
        detail = f"{result.error}: {result.error_detail}".rstrip(": ")
        if result.error == "timeout":
            return Outcome.TIMEOUT, detail, None
        if result.error == "dns" and "temporary" not in result.error_detail.lower():
            return Outcome.DEAD, detail, None
        if result.error in {"redirect-loop", "too-many-redirects"}:
            return Outcome.REDIRECT_LOOP, detail, None
        return Outcome.NETWORK_ERROR, detail, None

    status = result.status or 0
    if status >= 300:
        blocked = challenge(result, page)
        if status in BLOCKED_STATUSES or blocked:
            return Outcome.BLOCKED, blocked or f"HTTP {status}", None
        if status >= 500:
            return Outcome.SERVER_ERROR, f"HTTP {status}", None
        if status >= 400:
            return Outcome.DEAD, f"HTTP {status}", None
        return Outcome.SERVER_ERROR, f"HTTP {status} without a Location", None

    found = (
        excerpt_found("", excerpt, normalised=page.normalised)
        if page.text is not None
        else None
    )
    live = Outcome.MOVED if _moved(result) else Outcome.ALIVE
    notes = [page.problem] if page.problem else []
    if result.truncated:
        notes.append(f"only the first {len(result.body)} bytes were read")
    if found:
        return live, "; ".join(notes), True
    blocked = challenge(result, page) or _sent_to_sign_in(result)
    if blocked:
        return Outcome.BLOCKED, blocked, found
    soft = _soft_404(result, page)
    if not soft and page.kind in {"html", "text"} and not is_home(result.url):
        soft = await _looks_made_up(result, page, session, probes or SiteProbes())
    if soft:
        return Outcome.SOFT_DEAD, soft, found
    if found is False:
        return (
            Outcome.DRIFTED,
            "; ".join(["the excerpt is not on the page", *notes]),
            False,
        )
    return live, "; ".join(notes), found


def _moved(result: FetchResult) -> bool:
    """Redirected, and every hop permanent: the cited address has moved for good."""
    return bool(result.hops) and all(hop.status in PERMANENT for hop in result.hops)


_SIGN_IN = re.compile(
    r"/(?:log-?in|sign-?in|signon|auth|sso|wp-login\.php|users?/log-?in)(?:[/.?]|$)",
    re.IGNORECASE,
)


def _sent_to_sign_in(result: FetchResult) -> str:
    """A redirect to a sign-in page: the page is behind a login, not gone."""
    if not result.hops:
        return ""
    final, cited = urlsplit(result.final_url).path, urlsplit(result.url).path
    if _SIGN_IN.search(final) and not _SIGN_IN.search(cited):
        return f"redirected to a sign-in page ({result.final_url})"
    return ""


def _soft_404(result: FetchResult, page: Page) -> str:
    if result.hops and is_home(result.final_url) and not is_home(result.url):
        return "a deep link now redirects to the site's home page"
    return not_found_page(page)


async def _looks_made_up(
    result: FetchResult, page: Page, session: _Session, probes: SiteProbes
) -> str:
    """Whether the page is what the site answers for any address at all."""
    probe = await probes.answer(result.url, session)
    if probe is None or probe.status is None or not 200 <= probe.status < 300:
        return ""
    if result.hops and probe.final_url == result.final_url:
        return f"made-up addresses on the site redirect to the same page ({result.final_url})"
    if resemblance(shingles(page.leading_words()), probe.shingles) >= SAME_PAGE:
        return "the site answers made-up addresses with this same page"
    return ""
