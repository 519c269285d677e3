"""Adding a source from its URL, and capturing snapshots: every write of the capture
app. One fetch serves everything: the metadata, the suggestions, the first access
and the WARC snapshot all come from the same response.

`preview` fetches and reads (network, no writes); `create_entry` stores what the
curator confirmed (storage: the WARC; database: Entry, Access, Snapshot, in one
transaction); `add_from_url` is the two together. `capture_entry` snapshots an
existing entry's page (network, storage, database) and is what a capture job runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import httpx
from django.contrib.auth.models import User
from django.core import signing
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from lantern.capture.fetching import fetch_once
from lantern.capture.metadata import document_title
from lantern.capture.models import Snapshot
from lantern.capture.preview import (
    CaptureError,
    EntryPlan,
    Preview,
    duplicate_error,
    fetch_problem,
    find_duplicate,
    plan_entry,
    preview,
    read_page,
)
from lantern.capture.warc import (
    StoredWarc,
    delete_warc,
    fetch_result,
    read_warc,
    store_warc,
)
from lantern.core.http import FetchResult
from lantern.core.matching import excerpt_found
from lantern.core.models import Job
from lantern.library.models import Access, Country, Entry, Topic
from lantern.library.services import LibraryCache, entry_key
from lantern.library.signals import announce
from lantern.linkcheck.pages import fingerprint

__all__ = ["AddResult", "CaptureError", "EntryPlan", "Preview", "add_from_url",
           "capture_entry", "create_entry", "load_preview", "plan_entry", "preview",
           "run_capture_job", "stash_preview"]  # fmt: skip

PERMANENT_REDIRECTS = frozenset({301, 308})


@dataclass(frozen=True)
class AddResult:
    """What `add_from_url` did (entry, access and snapshot are None on a dry run)."""

    plan: EntryPlan
    preview: Preview
    entry: Entry | None = None
    access: Access | None = None
    snapshot: Snapshot | None = None
    elapsed: float = 0.0
    dry_run: bool = False


# ---------------------------------------------------------------------------- writes


def _outcome(result: FetchResult) -> str:
    moved = any(h.status in PERMANENT_REDIRECTS for h in result.hops)
    return Access.Outcome.MOVED if moved else Access.Outcome.ALIVE


def _snapshot(
    entry: Entry, result: FetchResult, warc: StoredWarc, *, url: str, title: str
) -> Snapshot:
    return Snapshot.objects.create(
        entry=entry,
        url=url,
        final_url=result.final_url,
        captured_at=warc.captured_at,
        http_status=result.status,
        content_type=result.content_type[:200],
        warc_path=warc.path,
        warc_size=warc.size,
        payload_sha256=warc.payload_sha256,
        payload_size=warc.payload_size,
        truncated=result.truncated,
        title=title[:500],
    )


def create_entry(
    preview: Preview,
    *,
    country: str | None = None,
    countries: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    excerpt: str | None = None,
    pick: Sequence[int] | None = None,
    overrides: Mapping[str, Any] | None = None,
    curator: User | None = None,
    dry_run: bool = False,
) -> AddResult:
    """Store a previewed page as a new entry, with its first access (origin
    "curator": the curator's own "[accessed …]", recorded with the checker's
    details) and its WARC snapshot, from the response already fetched.

    Storage (the WARC, unless the preview stored it) and the DB (one transaction).
    A failure after the WARC was written removes it again."""
    started = time.monotonic()
    plan = plan_entry(
        preview, country=country, countries=countries, topics=topics,
        excerpt=excerpt, pick=pick, overrides=overrides,
    )  # fmt: skip
    if dry_run:
        return AddResult(plan, preview, dry_run=True)
    result, metadata = preview.result, preview.metadata
    warc = preview.warc
    wrote = warc is None
    if warc is None:
        warc = store_warc(result, captured_at=preview.captured_at)
    try:
        with transaction.atomic():
            if (duplicate := find_duplicate(plan.url, result.final_url)) is not None:
                raise duplicate_error(duplicate)
            entry = _save_entry(plan, curator=curator)
            checked = preview.captured_at  # when the page was fetched
            access = Access.objects.create(
                entry=entry,
                position=0,
                url=plan.url,
                accessed_on=timezone.localdate(checked),
                accessed_precision="day",
                origin=Access.Origin.CURATOR,
                checked_at=checked,
                outcome=_outcome(result),
                http_status=result.status,
                final_url=result.final_url,
                redirect_chain=[
                    {"url": h.url, "status": h.status} for h in result.hops
                ],
                # The same fingerprint of the page's text as the link checker's.
                content_hash=fingerprint(result),
                elapsed_ms=round(result.elapsed * 1000),
                excerpt_found=excerpt_found(metadata.text, list(plan.excerpt))
                if plan.excerpt
                else None,
            )
            entry.cached_link_status = access.outcome
            entry.cached_last_checked_at = checked
            entry.save(update_fields=["cached_link_status", "cached_last_checked_at"])
            snapshot = _snapshot(entry, result, warc, url=plan.url, title=plan.title)
    except Exception:
        if wrote:
            delete_warc(warc.path)
        raise
    return AddResult(
        plan, replace(preview, warc=warc), entry, access, snapshot,
        elapsed=time.monotonic() - started,
    )  # fmt: skip


def _save_entry(plan: EntryPlan, *, curator: User | None) -> Entry:
    cache = LibraryCache.load()
    publisher = cache.publisher(plan.publisher) if plan.publisher else None
    series, edition = cache.series_for(plan.title, plan.source_line)
    last = Entry.objects.filter(primary_country_id=plan.primary_country).aggregate(
        Max("position")
    )["position__max"]
    entry = Entry.objects.create(
        title=plan.title,
        format=plan.format,
        authors=list(plan.authors),
        publisher=publisher,
        source_line=plan.source_line,
        place=plan.place[:200],
        published_raw=plan.published.raw[:200],
        published_date=plan.published.date,
        published_precision=plan.published.precision,
        url=plan.url,
        page_ref=plan.page_ref[:40],
        excerpt=list(plan.excerpt),
        primary_country_id=plan.primary_country,
        language=plan.language,
        series=series,
        edition_year=edition,
        origin=Entry.Origin.CURATOR,
        added_by=curator,
        key=entry_key(plan.title, plan.published.raw),
        position=(last or 0) + 1,
    )
    if plan.countries:
        entry.countries.set(Country.objects.filter(code__in=plan.countries))
    if plan.topics:
        entry.topics.set(Topic.objects.filter(slug__in=plan.topics))
    announce({entry.pk}, origin="capture")
    return entry


def add_from_url(
    url: str,
    *,
    country: str | None = None,
    topics: Sequence[str] | None = None,
    excerpt: str | None = None,
    pick: Sequence[int] | None = None,
    curator: User | None = None,
    dry_run: bool = False,
    client: httpx.AsyncClient | None = None,
) -> AddResult:
    """Add a source from its URL in one go: fetch once, read, suggest, and create the
    entry with the suggestions (or the given country, topics and excerpt), its first
    access and its WARC snapshot. Network, storage and DB (nothing on a dry run)."""
    started = time.monotonic()
    found = preview(url, country=country, topics=topics, client=client)
    result = create_entry(
        found, country=country, topics=topics, excerpt=excerpt, pick=pick,
        curator=curator, dry_run=dry_run,
    )  # fmt: skip
    return replace(result, elapsed=time.monotonic() - started)


# ------------------------------------------------------------- the admin's two steps

PREVIEW_SALT = "lantern.capture.preview"


def stash_preview(preview: Preview) -> str:
    """Keep a preview between the admin's two steps: its WARC goes to storage now
    (it becomes the snapshot) and a signed token names it. Touches storage."""
    if preview.warc is None:
        preview.warc = store_warc(preview.result, captured_at=preview.captured_at)
    warc = preview.warc
    return signing.dumps(
        {"url": preview.url, "warc": warc.path, "size": warc.size, "sha": warc.sha256,
         "at": warc.captured_at.isoformat()},
        salt=PREVIEW_SALT,
    )  # fmt: skip


def load_preview(
    token: str, *, country: str | None = None, max_age: int = 86400
) -> Preview:
    """The preview a token names, rebuilt from its stored WARC (no second fetch).
    Raises CaptureError("expired") for a bad or old token. Storage and DB reads."""
    try:
        data = signing.loads(token, salt=PREVIEW_SALT, max_age=max_age)
        archived = read_warc(data["warc"])
    except (signing.BadSignature, KeyError, FileNotFoundError, ValueError) as exc:
        raise CaptureError(
            "expired", "this preview has expired; fetch the page again"
        ) from exc
    result = fetch_result(archived)
    captured_at = dt.datetime.fromisoformat(data["at"])
    found = read_page(data["url"], result, country=country, captured_at=captured_at)
    found.warc = StoredWarc(
        path=data["warc"],
        size=int(data["size"]),
        sha256=data["sha"],
        payload_sha256=hashlib.sha256(result.body).hexdigest(),
        payload_size=len(result.body),
        captured_at=captured_at,
    )
    return found


# -------------------------------------------------------------------------- snapshots


def capture_entry(entry: Entry, *, client: httpx.AsyncClient | None = None) -> Snapshot:
    """Fetch an entry's page and keep a WARC snapshot of it. Raises CaptureError (and
    stores nothing) when the page cannot be fetched or answers with an error.
    Network, storage, DB."""
    url = entry.link
    if not url:
        raise CaptureError("no-url", f"entry {entry.pk} has no address to capture")
    captured_at = timezone.now()
    result = fetch_once(url, client=client)
    if (problem := fetch_problem(url, result)) is not None:
        raise problem
    warc = store_warc(result, captured_at=captured_at)
    try:
        return _snapshot(entry, result, warc, url=url, title=document_title(result))
    except Exception:
        delete_warc(warc.path)
        raise


def run_capture_job(job: Job) -> None:
    """The handler of `capture` jobs: snapshot the job's entry (an error fails the
    job, which the queue retries later)."""
    if job.entry is None:
        raise CaptureError("no-url", f"job {job.pk} names no entry")
    capture_entry(job.entry)
