"""Reading a page before anything is stored: checking the address, refusing
duplicates, fetching it once, reading its metadata and suggesting countries, topics
and excerpts (`preview`), and turning that and the curator's choices into the entry
to create (`plan_entry`). Network and database reads; writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.utils import timezone

from lantern.capture.fetching import fetch_once
from lantern.capture.metadata import Metadata, PublishedDate, extract
from lantern.capture.suggest import CountryFinder, Suggestions, suggest
from lantern.capture.warc import StoredWarc
from lantern.core.http import FetchResult, normalise_url
from lantern.core.text import clean_space
from lantern.library.models import Country, Entry, Topic
from lantern.library.services import LibraryCache


class CaptureError(Exception):
    """Why a URL could not be added or captured. `kind` names the reason for callers:
    bad-url, duplicate, refused-address, fetch-failed, http-error, unknown-country,
    unknown-topic, bad-pick, no-url, expired (the admin's preview token)."""

    def __init__(self, kind: str, message: str, *, entry: Entry | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.entry = entry


@dataclass
class Preview:
    """A fetched page and what was read from it, before anything is stored."""

    url: str
    result: FetchResult
    metadata: Metadata
    suggestions: Suggestions
    captured_at: dt.datetime
    warc: StoredWarc | None = None  # already in storage (the admin's first step)


@dataclass(frozen=True)
class EntryPlan:
    """The entry that will be created, field by field."""

    title: str
    format: str
    url: str
    authors: tuple[str, ...]
    publisher: str
    place: str
    published: PublishedDate
    source_line: str
    language: str
    primary_country: str | None
    countries: tuple[str, ...]
    topics: tuple[str, ...]
    excerpt: tuple[str, ...]
    page_ref: str


# ------------------------------------------------------------------------------ URLs


def check_url(url: str) -> str:
    """A fetchable form of the address (scheme added), or CaptureError("bad-url")."""
    text = (url or "").strip()
    if not text or any(ch.isspace() for ch in text):
        raise CaptureError("bad-url", f"not a web address: {url!r}")
    normalised = normalise_url(text)
    try:
        parsed = httpx.URL(normalised)
    except (httpx.InvalidURL, ValueError) as exc:
        raise CaptureError("bad-url", f"not a web address: {url!r} ({exc})") from exc
    host = parsed.host
    named = "." in host or ":" in host or host == "localhost"
    if parsed.scheme not in {"http", "https"} or not host or not named:
        raise CaptureError("bad-url", f"not a web address: {url!r}")
    return normalised


def url_key(url: str) -> str:
    """What makes two cited addresses the same page: scheme, "www.", default port,
    fragment, letter case of the host and a trailing slash do not count."""
    try:
        parts = urlsplit(normalise_url(url))
        port = parts.port
    except ValueError:  # an imported address with a broken host or port
        return url.strip().lower()
    host = (parts.hostname or "").lower().removeprefix("www.")
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    return f"{host}{path}" + (f"?{parts.query}" if parts.query else "")


def find_duplicate(*urls: str) -> Entry | None:
    """An entry already citing one of these addresses (by `url_key`). Reads the DB."""
    keys = {url_key(u) for u in urls if u}
    for key in keys:
        host = key.split("/", 1)[0].split(":", 1)[0]
        for entry in Entry.objects.filter(url__icontains=host).only(
            "id", "url", "title"
        ):
            if url_key(entry.url) in keys:
                return entry
    return None


def duplicate_error(entry: Entry) -> CaptureError:
    return CaptureError(
        "duplicate",
        f"already in the library: entry {entry.pk} “{entry.title}” cites {entry.url}",
        entry=entry,
    )


def fetch_problem(url: str, result: FetchResult) -> CaptureError | None:
    if result.error == "refused-address":
        return CaptureError(
            "refused-address",
            f"cannot fetch {url}: {result.error_detail}. Lantern does not fetch private, "
            "loopback or link-local addresses (LANTERN_ALLOW_PRIVATE_NETWORKS=1 "
            "allows them for local use)",
        )
    if result.error:
        return CaptureError(
            "fetch-failed",
            f"could not fetch {url}: {result.error} ({result.error_detail})",
        )
    if result.status is None or result.status >= 400:
        return CaptureError(
            "http-error",
            f"{url} answered {result.status} {result.reason}; nothing was stored",
        )
    return None


# --------------------------------------------------------------------------- preview


def _suggestions(
    metadata: Metadata, cache: LibraryCache, *, country: str | None
) -> Suggestions:
    names = {
        code: [c.name, c.official_name, *c.aliases]
        for code, c in cache.countries.items()
    }
    keywords = {
        slug: list(t.keywords) for slug, t in cache.topics.items() if t.parent_id
    }
    return suggest(
        metadata.title,
        metadata.paragraph_texts,
        finder=CountryFinder(cache.aliases),
        topic_keywords=keywords,
        country_names=names,
        pages=[p.page for p in metadata.paragraphs],
        country=country,
    )


def _check_choices(country: str | None, topics: Sequence[str] | None) -> None:
    if country and not Country.objects.filter(code=country.upper()).exists():
        raise CaptureError("unknown-country", f"no country with code {country!r}")
    wanted = set(topics or [])
    known = set(Topic.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    if wanted - known:
        raise CaptureError(
            "unknown-topic", "no such topic: " + ", ".join(sorted(wanted - known))
        )


def read_page(
    url: str,
    result: FetchResult,
    *,
    country: str | None = None,
    captured_at: dt.datetime | None = None,
    cache: LibraryCache | None = None,
) -> Preview:
    """Metadata and suggestions for an already fetched page. Reads the DB."""
    metadata = extract(result, today=timezone.localdate())
    suggestions = _suggestions(metadata, cache or LibraryCache.load(), country=country)
    return Preview(url, result, metadata, suggestions, captured_at or timezone.now())


def preview(
    url: str,
    *,
    country: str | None = None,
    topics: Sequence[str] | None = None,
    client: httpx.AsyncClient | None = None,
) -> Preview:
    """Fetch a page once and read it: title, authors, date …, suggested countries,
    topics and excerpts. Refuses bad addresses and pages already in the library.
    Network and DB reads; writes nothing."""
    normalised = check_url(url)
    _check_choices(country, topics)
    if (duplicate := find_duplicate(normalised)) is not None:
        raise duplicate_error(duplicate)
    captured_at = timezone.now()
    result = fetch_once(normalised, client=client)
    if (problem := fetch_problem(normalised, result)) is not None:
        raise problem
    if result.final_url != normalised and (
        duplicate := find_duplicate(result.final_url)
    ):
        raise duplicate_error(duplicate)
    return read_page(normalised, result, country=country, captured_at=captured_at)


# ----------------------------------------------------------------------------- plan


def split_excerpt(text: str) -> tuple[str, ...]:
    """Pasted text as paragraphs (separated by blank lines)."""
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return tuple(p for p in (clean_space(b) for b in blocks) if p)


def compose_source_line(
    authors: Sequence[str], publisher: str, place: str, published_raw: str
) -> str:
    """A source line as the legacy pages wrote them: authors, publisher, place, date."""
    return ", ".join(p for p in [*authors, publisher, place, published_raw] if p)


def plan_entry(
    preview: Preview,
    *,
    country: str | None = None,
    countries: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    excerpt: str | None = None,
    pick: Sequence[int] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> EntryPlan:
    """The entry to create from a preview and the curator's choices: the given
    country (else the most mentioned) first, the given topics (else the suggested
    ones), the pasted excerpt or the picked proposals (by number), and any field the
    curator edited (`overrides`: title, authors, publisher, place, published_raw,
    published_date, published_precision, language, page_ref). Reads the DB."""
    metadata, found = preview.metadata, preview.suggestions
    edits = dict(overrides or {})
    _check_choices(country, [*(topics or [])])
    primary = (country or found.primary or "").upper() or None
    chosen = (
        list(countries) if countries is not None else list(found.selected_countries)
    )
    codes = [c.upper() for c in ([primary] if primary else []) + chosen]
    codes = list(dict.fromkeys(codes))
    if countries is not None:
        _check_countries(codes)
    if excerpt and excerpt.strip():
        paragraphs = split_excerpt(excerpt)
    elif pick:
        by_number = {p.number: p for p in found.proposals}
        missing = [n for n in pick if n not in by_number]
        if missing:
            raise CaptureError(
                "bad-pick",
                f"no proposed paragraph {missing[0]} (there are {len(by_number)})",
            )
        picked = sorted({by_number[n] for n in pick}, key=lambda p: p.index)
        paragraphs = tuple(p.text for p in picked)
    else:
        paragraphs = ()
    page_ref = str(edits.get("page_ref") or "")
    if not page_ref and paragraphs and metadata.kind == "pdf":
        page = metadata.page_of(paragraphs[0])
        page_ref = str(page) if page else ""
    published = metadata.published
    if "published_raw" in edits or "published_date" in edits:
        published = PublishedDate(
            str(edits.get("published_raw") or ""),
            edits.get("published_date"),
            str(edits.get("published_precision") or "unknown"),
        )
    authors = tuple(edits.get("authors") or metadata.authors)
    publisher = str(edits.get("publisher", metadata.publisher) or "")
    place = str(edits.get("place") or "")
    title = str(edits.get("title") or metadata.title or preview.result.final_url)
    return EntryPlan(
        title=clean_space(title)[:2000],
        format=str(edits.get("format") or ("pdf" if metadata.kind == "pdf" else "web")),
        url=preview.url,
        authors=authors,
        publisher=publisher,
        place=place,
        published=published,
        source_line=compose_source_line(authors, publisher, place, published.raw),
        language=str(edits.get("language") or metadata.language or "en")[:12],
        primary_country=primary,
        countries=tuple(codes),
        topics=tuple(topics if topics is not None else found.selected_topics),
        excerpt=paragraphs,
        page_ref=page_ref,
    )


def _check_countries(codes: Sequence[str]) -> None:
    known = set(Country.objects.filter(code__in=codes).values_list("code", flat=True))
    if unknown := [c for c in codes if c not in known]:
        raise CaptureError("unknown-country", f"no country with code {unknown[0]!r}")
