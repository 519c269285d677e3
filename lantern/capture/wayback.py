"""The Internet Archive's copy of a cited page: the capture closest to the date the
curator accessed it (the entry's earliest verified access, else its publication
date), found with the Wayback Machine availability API (`LANTERN_WAYBACK_API`,
`?url=…&timestamp=YYYYMMDD`) through Lantern's one HTTP client, and kept on the
entry (`wayback_url`, `wayback_captured_at`).

`parse_availability` is pure; `closest_capture` touches the network;
`update_wayback` the network and the database.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import httpx
from django.conf import settings

from lantern.capture.fetching import fetch_once
from lantern.core.http import Limits
from lantern.library.models import Entry


class WaybackError(Exception):
    """The availability API could not be asked, or answered something unreadable."""


@dataclass(frozen=True)
class WaybackCapture:
    url: str  # https://web.archive.org/web/<timestamp>/<original>
    captured_at: dt.datetime
    status: str  # the HTTP status the archive recorded


def target_date(entry: Entry) -> dt.date | None:
    """The date whose capture best shows what the curator cited: the earliest
    verified access, else the publication date. Reads the DB."""
    verified = [a.accessed_on for a in entry.accesses.all() if a.is_verification]
    dates = [d for d in verified if d is not None]
    if dates:
        return min(dates)
    return entry.published_date


def parse_timestamp(value: str) -> dt.datetime:
    """A Wayback timestamp (YYYYMMDDhhmmss, shorter forms padded) in UTC."""
    digits = (value + "0101000000"[max(len(value) - 4, 0) :])[:14]
    return dt.datetime.strptime(digits, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)


def parse_availability(data: bytes) -> WaybackCapture | None:
    """The closest capture in an availability API answer, or None when the archive
    has none (`"archived_snapshots": {}`) or only an unavailable one."""
    try:
        document = json.loads(data)
    except ValueError as exc:
        raise WaybackError(f"the availability API answered no JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise WaybackError("the availability API answered an unexpected shape")
    closest = (document.get("archived_snapshots") or {}).get("closest")
    if not isinstance(closest, dict) or not closest.get("available"):
        return None
    url, timestamp = closest.get("url"), str(closest.get("timestamp") or "")
    if not url or not timestamp.isdigit() or len(timestamp) < 8:
        raise WaybackError(f"the availability API answered an odd capture: {closest}")
    status = str(closest.get("status") or "")
    if status and not status.startswith(("2", "3")):
        return None  # the archive only has an error page
    return WaybackCapture(
        url=str(url).replace("http://web.archive.org/", "https://web.archive.org/"),
        captured_at=parse_timestamp(timestamp),
        status=status,
    )


def closest_capture(
    url: str,
    when: dt.date | None,
    *,
    client: httpx.AsyncClient | None = None,
) -> WaybackCapture | None:
    """Ask the availability API for the capture of `url` closest to `when` (the
    latest capture when no date is known). Network only."""
    params = {"url": url}
    if when is not None:
        params["timestamp"] = f"{when:%Y%m%d}"
    api = str(httpx.URL(settings.LANTERN_WAYBACK_API).copy_merge_params(params))
    result = fetch_once(
        api, client=client, limits=Limits(total=30.0, max_bytes=1024 * 1024)
    )
    if result.error:
        raise WaybackError(
            f"could not ask the Internet Archive: {result.error} {result.error_detail}"
        )
    if result.status != 200:
        raise WaybackError(f"the availability API answered {result.status}")
    return parse_availability(result.body)


def update_wayback(
    entry: Entry, *, client: httpx.AsyncClient | None = None
) -> WaybackCapture | None:
    """Find and keep the entry's closest Internet Archive capture. Leaves the entry
    as it was when the archive has none. Network and DB."""
    if not entry.link:
        return None
    capture = closest_capture(entry.link, target_date(entry), client=client)
    if capture is not None:
        entry.wayback_url = capture.url
        entry.wayback_captured_at = capture.captured_at
        entry.save(update_fields=["wayback_url", "wayback_captured_at", "updated_at"])
    return capture
