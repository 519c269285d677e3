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
pages for the static search page.

Every page is rendered on every run; `Output` writes only files whose bytes
changed, deletes the ones no longer produced and says whether anything the
search index covers changed (else Pagefind is skipped).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.handlers.base import BaseHandler
from django.db import connection, connections
from django.http import HttpResponseBase
from django.test import RequestFactory, override_settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from lantern.publish.output import PAGEFIND_DIR, Output, OutputError
from lantern.publish.rewrite import (
    Rewriter,
    Target,
    internal,
    lock_archived_html,
    mark_for_search,
)

URLCONF = "lantern.publish.urls"
SEARCH_VIEW_PATH = "/__lantern_publish__/search/"
SEARCH_FILE = "search/index.html"
# Stands for the site's address while rendering when no --base-url is given; the
# feeds and sitemap then get `/`-rooted addresses.
PLACEHOLDER = "https://lantern-publish.invalid"

PAGE_ROUTES = frozenset(
    {
        "web:home",
        "web:countries",
        "web:country",
        "web:entry",
        "web:topics",
        "web:topic",
        "web:compare",
        "web:map",
        "web:helplines",
        "web:teachers",
        "web:lesson-plan",
        "web:term-papers",
        "web:about",
        "web:regions",
        "web:region",
        "capture:snapshot",
        "publish-search",
    }
)
FILE_ROUTES = frozenset(
    {
        "web:feed-entries",
        "web:country-feed",
        "web:topic-feed",
        "sitemap",
        "sitemap-section",
        "robots",
        "capture:snapshot-raw",
    }
)
# Query parameters a published page may carry; any other makes it live-only.
QUERY_KEYS: dict[str, frozenset[str]] = {
    "web:compare": frozenset({"region", "countries", "regions", "c", "r"}),
    "web:topic": frozenset({"page", "country"}),
    "web:map": frozenset({"show", "year"}),
    "sitemap-section": frozenset({"p"}),
}
# Pages Pagefind indexes (without a query string).
INDEXED_ROUTES = frozenset({"web:entry", "web:country", "web:topic"})
RAW_EXTENSIONS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "text/plain": "txt",
    "text/csv": "csv",
}


# An empty Atom feed's `<updated>`: Django says "now", which would rewrite it on
# every run.
EMPTY_FEED_UPDATED = "2000-01-01T00:00:00+00:00"
_FEED_UPDATED = re.compile(r"<updated>[^<]*</updated>")


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


Progress = Callable[[int, int], None]


def _safe(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", value).strip("._") or "_"


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


class Sink(Protocol):
    """Where a rendered file goes: the run's `Output`, or a worker's `Collected`."""

    def write(self, rel: str, data: bytes, *, indexed: bool = False) -> bool: ...


@dataclass
class Collected:
    """A worker's writes, handed back to the main process to make."""

    writes: list[tuple[str, bytes, bool]] = field(default_factory=list)

    def write(self, rel: str, data: bytes, *, indexed: bool = False) -> bool:
        self.writes.append((rel, data, indexed))
        return True


class Site:
    """One run: the queue of pages, how addresses map to files, and the writes."""

    def __init__(self, output: Sink, base_url: str, *, has_base: bool) -> None:
        self.output = output
        self.base_url = base_url
        self.has_base = has_base
        self.origins = (base_url,)
        self.queue: deque[tuple[str, str, str]] = deque()  # (url, file, route)
        self.planned: dict[str, str] = {}
        self.static: dict[str, str | None] = {}
        self.static_queue: deque[str] = deque()
        self.snapshot_types: dict[int, str] = {}
        self.warnings: list[str] = []
        self.filters: dict[str, list[tuple[str, str]]] = {}
        self.static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        self.factory = RequestFactory()
        self.handler = BaseHandler()
        self.handler.load_middleware()
        self.host = urlsplit(base_url).netloc

    # ----------------------------------------------------------- addresses → files

    def target(self, path: str, query: str) -> Target | None:
        """The file an address of the site is published as (queueing it to be
        rendered when first met), or None when it is live-only."""
        if path.startswith(self.static_prefix):
            rel = path[len(self.static_prefix) :]
            return self._static(rel)
        if path.startswith(f"/{PAGEFIND_DIR}/"):
            return Target(path.lstrip("/"))
        if path == reverse("search:search", urlconf=URLCONF):
            q = dict(parse_qsl(query)).get("q", "").strip()
            return Target(SEARCH_FILE, urlencode({"q": q}) if q else "")
        try:
            match = resolve(path, urlconf=URLCONF)
        except Resolver404:
            return None
        route = match.view_name
        if route not in PAGE_ROUTES and route not in FILE_ROUTES:
            return None
        params = sorted(parse_qsl(query, keep_blank_values=True))
        allowed = QUERY_KEYS.get(route, frozenset())
        if any(key not in allowed for key, _ in params):
            return None
        file = self._file_for(route, path, params, match.kwargs)
        if file is None:
            return None
        if file not in self.planned:
            url = path + (f"?{urlencode(params)}" if params else "")
            self.planned[file] = url
            self.queue.append((url, file, route))
        return Target(file)

    def _file_for(
        self,
        route: str,
        path: str,
        params: list[tuple[str, str]],
        kwargs: dict[str, object],
    ) -> str | None:
        if route == "publish-search":
            return SEARCH_FILE
        if route in ("capture:snapshot", "capture:snapshot-raw"):
            pk = int(str(kwargs["pk"]))
            if pk not in self.snapshot_types:
                return None
            if route == "capture:snapshot-raw":
                kind = self.snapshot_types[pk].split(";")[0].strip().lower()
                if kind in ("text/html", "application/xhtml+xml"):
                    return f"archive/{pk}/raw/index.html"
                return f"archive/{pk}/raw/copy.{RAW_EXTENSIONS.get(kind, 'bin')}"
        if route in FILE_ROUTES:
            file = path.lstrip("/")
            if params:  # sitemap-entries.xml?p=2 → sitemap-entries-p2.xml
                page = dict(params).get("p", "")
                if not page.isdigit():
                    return None
                stem, dot, ext = file.rpartition(".")
                file = f"{stem}-p{page}{dot}{ext}" if page != "1" else file
            return file
        folder = path.strip("/")
        if params:
            folder = posixpath.join(folder, *(f"{k}-{_safe(v)}" for k, v in params))
        return posixpath.join(folder, "index.html") if folder else "index.html"

    def _static(self, rel: str) -> Target | None:
        if rel not in self.static:
            found = finders.find(rel)
            self.static[rel] = str(found) if isinstance(found, str) else None
            if self.static[rel]:
                self.static_queue.append(rel)
        return Target(f"static/{rel}") if self.static[rel] else None

    def pretty(self, target: Target) -> str:
        """The address of a file for feeds and the sitemap: the base URL (or `/`)
        and the file's folder for index pages."""
        file = target.file
        if file.endswith("index.html"):
            file = file[: -len("index.html")]
        root = self.base_url if self.has_base else ""
        return f"{root}/{file}" + (f"?{target.query}" if target.query else "")

    # ------------------------------------------------------------------- rendering

    def render(self, url: str) -> HttpResponseBase:
        request = self.factory.get(
            url, secure=self.base_url.startswith("https:"), HTTP_HOST=self.host
        )
        request.lantern_static = True  # type: ignore[attr-defined]
        request.urlconf = URLCONF  # type: ignore[attr-defined]
        response = self.handler.get_response(request)
        return response

    def body(self, response: HttpResponseBase) -> bytes:
        if getattr(response, "streaming", False):
            return b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return bytes(response.content)  # type: ignore[attr-defined]

    def page(self, url: str, file: str, route: str) -> bool:
        """Render one queued page and write it; False when it could not be."""
        response = self.render(url)
        if response.status_code in (301, 302, 307, 308):
            return self._redirect(url, file, response.get("Location", ""))
        if response.status_code != 200:
            self.warnings.append(f"{url}: HTTP {response.status_code}, not published")
            return False
        data = self.body(response)
        kind = response.get("Content-Type", "").split(";")[0].strip().lower()
        if route == "capture:snapshot-raw":
            if kind in ("text/html", "application/xhtml+xml"):
                data = lock_archived_html(data)
            self.output.write(file, data)
            return True
        indexed = False
        if kind == "text/html":
            text = self._html(data.decode("utf-8"), url, file)
            if route in INDEXED_ROUTES and "?" not in url:
                text = mark_for_search(text, self.filters.get(url, []))
                indexed = True
            data = text.encode("utf-8")
        elif kind in ("application/xml", "text/xml", "application/atom+xml"):
            text = self._absolute(data.decode("utf-8"))
            if "<feed" in text and "<entry>" not in text:
                # An empty feed says it was updated now; keep it from changing.
                text = _FEED_UPDATED.sub(
                    f"<updated>{EMPTY_FEED_UPDATED}</updated>", text
                )
            data = text.encode("utf-8")
        elif kind == "text/plain":
            data = self._absolute(data.decode("utf-8")).encode("utf-8")
        self.output.write(file, data, indexed=indexed)
        return True

    def _redirect(self, url: str, file: str, location: str) -> bool:
        where = internal(location, url, self.origins)
        target = self.target(where.path, where.query) if where else None
        if target is None or not file.endswith(".html"):
            self.warnings.append(f"{url}: redirects to {location}, not published")
            return False
        link = posixpath.relpath(target.file, posixpath.dirname(file) or ".")
        safe = link.replace("&", "&amp;").replace('"', "&quot;")
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="0; url={safe}">'
            f'<title>Moved</title></head><body><p><a href="{safe}">This page has '
            "moved.</a></p></body></html>"
        )
        self.output.write(file, page.encode("utf-8"))
        return True

    def _html(self, text: str, url: str, file: str) -> str:
        rewriter = Rewriter(url, file, self.target, self.origins)
        text = rewriter.html(text)
        for value in rewriter.unresolved:
            self.warnings.append(f"{url}: {value} is not published; left as it was")
        if not self.has_base:  # what is left of the placeholder address
            text = text.replace(self.base_url, "")
            text = text.replace(quote(self.base_url, safe=""), "")
        return text

    def _absolute(self, text: str) -> str:
        """Addresses in feeds, sitemaps and robots.txt: the published file's
        public address (`/`-rooted without a base URL)."""
        pattern = re.compile(re.escape(self.base_url) + r"(/[^\s\"'<>]*)?")

        def swap(m: re.Match[str]) -> str:
            raw = (m.group(1) or "/").replace("&amp;", "&")
            parts = urlsplit(raw)
            target = self.target(parts.path, parts.query)
            if target is None:
                root = self.base_url if self.has_base else ""
                return root + (m.group(1) or "/")
            out = self.pretty(target)
            if parts.fragment:
                out += "#" + parts.fragment
            return out.replace("&", "&amp;")

        return pattern.sub(swap, text)

    def copy_static(self) -> None:
        """Copy referenced static files, following CSS `url()` references."""
        while self.static_queue:
            rel = self.static_queue.popleft()
            source = self.static[rel]
            assert source is not None
            data = Path(source).read_bytes()
            if rel.endswith(".css"):
                file = f"static/{rel}"
                rewriter = Rewriter(self.static_prefix + rel, file, self.target, ())
                data = rewriter.css(data.decode("utf-8")).encode("utf-8")
                for value in rewriter.unresolved:
                    self.warnings.append(f"{file}: {value} not found")
            self.output.write(f"static/{rel}", data)


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


# ------------------------------------------------------------------- in parallel

# Pages handed to a worker at a time: large enough that the round trip is
# nothing beside rendering them, small enough to keep every worker busy.
BATCH = 64

_worker: Site | None = None


def _start_worker(
    base: str,
    has_base: bool,
    snapshot_types: dict[int, str],
    filters: dict[str, list[tuple[str, str]]],
) -> None:
    global _worker
    site = Site(Collected(), base, has_base=has_base)
    site.snapshot_types = snapshot_types
    site.filters = filters
    _worker = site


@dataclass
class Rendered:
    """What a worker made of a batch: files, the pages and static files they link
    to (the main process decides which are new), and warnings."""

    pages: int
    writes: list[tuple[str, bytes, bool]]
    found: list[tuple[str, str, str]]
    statics: list[str]
    warnings: list[str]


def _render_batch(batch: list[tuple[str, str, str]]) -> Rendered:
    site = _worker
    assert site is not None and isinstance(site.output, Collected)
    site.output.writes = []
    site.warnings = []
    pages = 0
    for url, file, route in batch:
        site.planned.setdefault(file, url)
        if site.page(url, file, route):
            pages += 1
    found = list(site.queue)
    site.queue.clear()
    statics = list(site.static_queue)
    site.static_queue.clear()
    return Rendered(pages, site.output.writes, found, statics, site.warnings)


def _batches(site: Site) -> Iterator[list[tuple[str, str, str]]]:
    while site.queue:
        size = min(BATCH, len(site.queue))
        yield [site.queue.popleft() for _ in range(size)]


def _render_in_parallel(
    site: Site,
    output: Output,
    jobs: int,
    result: PublishResult,
    progress: Progress | None,
) -> None:
    """Render the queue with `jobs` forked worker processes. Each renders whole
    pages (views, templates, citations, link rewriting) into memory; this process
    writes the files and queues the pages they link to that are new. The output
    is the same as one process's: every address maps to its file by the same
    rules, wherever it is rendered."""
    if connection.in_atomic_block:
        raise PublishError(
            "--jobs above 1 needs the library committed (workers read the database "
            "on connections of their own); publish with --jobs 1 inside a "
            "transaction."
        )
    # Workers open their own connections; one shared across fork would break.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    done = 0
    with context.Pool(
        jobs,
        initializer=_start_worker,
        initargs=(site.base_url, site.has_base, site.snapshot_types, site.filters),
    ) as pool:
        while site.queue:
            for rendered in pool.imap_unordered(_render_batch, _batches(site)):
                result.pages += rendered.pages
                for rel, data, indexed in rendered.writes:
                    output.write(rel, data, indexed=indexed)
                    done += 1
                for url, file, route in rendered.found:
                    if file not in site.planned:
                        site.planned[file] = url
                        site.queue.append((url, file, route))
                for rel in rendered.statics:
                    site._static(rel)
                site.warnings += rendered.warnings
                if progress:
                    progress(done, len(site.planned))


def default_jobs() -> int:
    """Worker processes by default: one per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


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
            _render_in_parallel(site, output, jobs, result, progress)
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
