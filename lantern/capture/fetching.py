"""One fetch for synchronous callers (commands, admin views, jobs), through the one
client factory in `lantern.core.http`, with the size and time caps from settings.
Touches the network only."""

from __future__ import annotations

import asyncio

import httpx
from django.conf import settings

from lantern.core.http import FetchResult, Limits, fetch, make_client


def capture_limits() -> Limits:
    """The caps for a capture: `LANTERN_FETCH_MAX_BYTES`, `LANTERN_FETCH_TIMEOUT`."""
    return Limits(
        total=float(settings.LANTERN_FETCH_TIMEOUT),
        max_bytes=int(settings.LANTERN_FETCH_MAX_BYTES),
    )


def fetch_once(
    url: str,
    *,
    client: httpx.AsyncClient | None = None,
    limits: Limits | None = None,
) -> FetchResult:
    """Fetch a URL and wait for the answer. `client` is an async client from
    `make_client` not yet used in another event loop (tests pass one to change the
    address guard); without it a client is made and closed here."""
    limits = limits or capture_limits()

    async def run() -> FetchResult:
        if client is not None:
            return await fetch(client, url, limits=limits)
        async with make_client(limits=limits) as own:
            return await fetch(own, url, limits=limits)

    return asyncio.run(run())
