"""`publish`: the whole public site as plain files, rendered by Django itself.

The pages to write come from the database (every country, topic, entry, region,
per-region comparison, lesson plan, archived copy, the feeds and the sitemap); each
is rendered by its own view through the middleware, with `request.lantern_static`
set so templates leave out what needs a server. Links are then rewritten
(`rewrite.py`): published pages become relative links to their `index.html`,
query-string pages the site publishes (`/compare/?region=419`, a topic's later
pages, the map's tier years, sitemap pages) get stable paths and are rendered when
first linked, live-only ones are unlinked. Static assets referenced are copied
from the staticfiles finders. Pagefind then indexes the entry, country and topic
pages for the static search page. `site.py` holds one run's pages (addresses to
files, rendering, writing); `workers.py` renders them in several processes.

Every page is rendered on every run; `Output` writes only files whose bytes
changed, deletes the ones no longer produced and says whether anything the
search index covers changed (else Pagefind is skipped).
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from lantern.publish.output import PAGEFIND_DIR, Output, OutputError
from lantern.publish.site import PLACEHOLDER, SEARCH_VIEW_PATH, Progress, Site
from lantern.publish.workers import render_in_parallel


class PublishError(Exception):
    """The site cannot be published as asked; the message says what to change."""


@dataclass
class PublishResult:
    out_dir: Path
    pages: int = 0
    files: int = 0
    written: int = 0
    unchanged: int = 0
    deleted: int = 0
    bytes: int = 0
    seconds: float = 0.0
    render_seconds: float = 0.0
    search_seconds: float = 0.0
    indexed_pages: int = 0
    search_ran: bool = False
    warnings: list[str] = field(default_factory=list)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.render_seconds if self.render_seconds else 0.0


def check_base_url(value: str) -> str:
    """`https://host[/sub/path]` without a trailing slash; PublishError otherwise."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise PublishError(
            f"--base-url {value!r} is not an http(s) address such as "
            "https://lantern.example.org"
        )
    if parts.query or parts.fragment:
        raise PublishError(f"--base-url {value!r} must not have a query or fragment")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def static_locations() -> list[Path]:
    """Folders the site serves static files from (and its stored files)."""
    places: list[Path] = []
    for finder in finders.get_finders():
        for _, storage in getattr(finder, "storages", {}).items():
            location = getattr(storage, "location", None)
            if location:
                places.append(Path(location))
    for root in (settings.STATIC_ROOT, settings.MEDIA_ROOT):
        if root:
            places.append(Path(root))
    return places


def check_out_dir(out_dir: Path) -> Path:
    resolved = out_dir.expanduser().resolve()
    for place in static_locations():
        place = place.resolve()
        if resolved == place or place in resolved.parents or resolved in place.parents:
            raise PublishError(
                f"OUT_DIR {out_dir} overlaps {place}, a folder the site serves or "
                "stores files from; choose a folder outside it."
            )
    return resolved


# ------------------------------------------------------------------------ seeding


def _seed_urls() -> Iterable[str]:
    """Every page the site has, from the database."""
    from lantern.capture.models import Snapshot
    from lantern.library.models import Country, Entry, Topic
    from lantern.teaching.models import LessonPlan
    from lantern.web.compare import regions_of

    for name in ("web:home", "web:countries", "web:topics", "web:map", "web:compare"):
        yield reverse(name)
    for name in ("web:helplines", "web:teachers", "web:term-papers", "web:about"):
        yield reverse(name)
    yield SEARCH_VIEW_PATH
    countries = list(Country.objects.order_by("code"))
    for country in countries:
        yield country.get_absolute_url()
        yield reverse("web:country-feed", args=[country.slug])
    for slug in Topic.objects.order_by("slug").values_list("slug", flat=True):
        yield reverse("web:topic", args=[slug])
        yield reverse("web:topic-feed", args=[slug])
    for pk in Entry.objects.order_by("pk").values_list("pk", flat=True).iterator():
        yield reverse("web:entry", args=[pk])
    for pk in LessonPlan.objects.order_by("pk").values_list("pk", flat=True):
        yield reverse("web:lesson-plan", args=[pk])
    regions = regions_of(countries)
    try:
        yield reverse("web:regions")
        for code in sorted(regions):
            yield reverse("web:region", args=[code])
    except NoReverseMatch:
        pass  # no region pages on this version of the site
    for code in sorted(regions):
        yield regions[code].compare_url
    for pk in (
        Snapshot.objects.exclude(warc_path="")
        .order_by("pk")
        .values_list("pk", flat=True)
    ):
        yield reverse("capture:snapshot", args=[pk])
        yield reverse("capture:snapshot-raw", args=[pk])
    yield reverse("web:feed-entries")
    yield reverse("sitemap")
    yield reverse("robots")


def _search_filters() -> dict[str, list[tuple[str, str]]]:
    """Pagefind filter values of every indexed page, by its address."""
    from lantern.library.models import Country, Entry, Topic

    filters: dict[str, list[tuple[str, str]]] = defaultdict(list)
    entry_url = reverse("web:entry", args=[0]).replace("/0/", "/{}/")
    for pk, name in (
        Entry.countries.through.objects.order_by("entry_id", "country__name")
        .values_list("entry_id", "country__name")
        .iterator()
    ):
        filters[entry_url.format(pk)].append(("country", name))
    for pk, name in (
        Entry.topics.through.objects.order_by("entry_id", "topic__name")
        .values_list("entry_id", "topic__name")
        .iterator()
    ):
        filters[entry_url.format(pk)].append(("topic", name))
    for pk, published in Entry.objects.values_list("pk", "published_date").iterator():
        if isinstance(published, dt.date):
            filters[entry_url.format(pk)].append(("year", str(published.year)))
    for country in Country.objects.only("code", "name"):
        filters[country.get_absolute_url()].append(("country", country.name))
    for topic in Topic.objects.only("slug", "name"):
        filters[reverse("web:topic", args=[topic.slug])].append(("topic", topic.name))
    return dict(filters)


# ------------------------------------------------------------------------ running


def run_pagefind(out_dir: Path) -> None:
    """Index the written pages with Pagefind into OUT_DIR/pagefind/ (replaced)."""
    bundle = out_dir / PAGEFIND_DIR
    if bundle.exists():
        shutil.rmtree(bundle)
    done = subprocess.run(
        [
            sys.executable,
            *("-m", "pagefind", "--site", str(out_dir)),
            *("--keep-index-url", "--silent"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise PublishError(
            f"Pagefind failed to index {out_dir}: "
            f"{(done.stderr or done.stdout).strip()[-2000:]}"
        )


def publish(
    out_dir: Path,
    *,
    base_url: str = "",
    force: bool = False,
    search: bool = True,
    jobs: int = 1,
    progress: Progress | None = None,
) -> PublishResult:
    """Publish the site into `out_dir`. Touches the file system (reads the database
    only). `jobs` above 1 renders in that many worker processes. Raises
    PublishError for an unusable OUT_DIR or base URL."""
    if jobs < 1:
        raise PublishError(f"--jobs must be 1 or more, not {jobs}")
    started = time.perf_counter()
    base = check_base_url(base_url or settings.LANTERN_SITE_URL or PLACEHOLDER)
    has_base = bool(base_url or settings.LANTERN_SITE_URL)
    root = check_out_dir(out_dir)
    try:
        output = Output.open(root, force=force)
    except OutputError as exc:
        raise PublishError(str(exc)) from exc
    if jobs > 1 and connection.in_atomic_block:
        raise PublishError(
            "--jobs above 1 needs the library committed (workers read the database "
            "on connections of their own); publish with --jobs 1 inside a "
            "transaction."
        )
    result = PublishResult(out_dir=root)
    if not has_base:
        result.warnings.append(
            "No --base-url or LANTERN_SITE_URL: the feeds, sitemap and robots.txt "
            "use /-rooted addresses, which readers' feed programs and search engines "
            "cannot follow; publish with --base-url https://… for the public site."
        )
    from lantern.capture.models import Snapshot

    host = urlsplit(base).hostname or ""
    with override_settings(
        LANTERN_SITE_URL=base, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, host]
    ):
        site = Site(output, base, has_base=has_base)
        site.snapshot_types = dict(
            Snapshot.objects.exclude(warc_path="").values_list("pk", "content_type")
        )
        site.filters = _search_filters()
        for url in _seed_urls():
            parts = urlsplit(url)
            site.target(parts.path, parts.query)
        if jobs > 1:
            result.pages += render_in_parallel(site, output, jobs, progress)
        done = 0
        while site.queue:
            url, file, route = site.queue.popleft()
            if site.page(url, file, route):
                result.pages += 1
            done += 1
            if progress:
                progress(done, done + len(site.queue))
        site.copy_static()
    result.render_seconds = time.perf_counter() - started
    output.finish()
    if search and (output.index_changed or not (root / PAGEFIND_DIR).is_dir()):
        searched = time.perf_counter()
        run_pagefind(root)
        result.search_ran = True
        result.search_seconds = time.perf_counter() - searched
    result.files = len(output.files)
    result.written = output.written
    result.unchanged = output.unchanged
    result.deleted = output.deleted
    result.bytes = output.bytes_total
    result.indexed_pages = len(output.indexed)
    result.warnings += site.warnings
    result.seconds = time.perf_counter() - started
    return result
