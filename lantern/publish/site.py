"""One publish run's pages: the file each address of the site is published as,
rendering a page through Django's own handler with `request.lantern_static` set,
rewriting its links (`rewrite.py`) and handing the bytes to a sink: the run's
`Output`, or a worker's `Collected` (`workers.py`)."""

from __future__ import annotations

import posixpath
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.handlers.base import BaseHandler
from django.http import HttpResponseBase
from django.test import RequestFactory
from django.urls import Resolver404, resolve, reverse

from lantern.publish.output import PAGEFIND_DIR
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

# Called with (pages done, pages known) as a run goes.
Progress = Callable[[int, int], None]


def _safe(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", value).strip("._") or "_"


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
