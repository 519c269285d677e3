"""Template filters for the public pages. Every filter returns plain strings, so
Django's autoescaping still applies to whatever imported text they receive."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django import template

from lantern.library.models import Entry
from lantern.web.pages import long_date as _long_date

register = template.Library()

_SAFE_SCHEMES = {"http", "https"}


@register.filter
def external_href(url: str) -> str:
    """An address fit for an `href`: http(s) only, scheme added when the page wrote a
    bare `www.example.org/…`; '' for anything else (javascript:, mailto:, junk)."""
    url = (url or "").strip()
    if not url or any(ch.isspace() for ch in url):
        return ""
    parts = urlsplit(url)
    if not parts.scheme:
        if url.startswith("//"):
            return f"https:{url}"
        candidate = urlsplit(f"http://{url}")
        host = candidate.hostname or ""
        return f"http://{url}" if "." in host else ""
    if parts.scheme.lower() in _SAFE_SCHEMES and parts.netloc:
        return url
    return ""


@register.filter
def long_date(value: dt.date | None) -> str:
    """16 December 2010."""
    return _long_date(value) if value else ""


@register.filter
def thousands(value: int | float | None) -> str:
    """234000 → 234,000 (no locale machinery needed for one separator)."""
    if value is None:
        return ""
    return f"{value:,}"


@register.filter
def is_list(value: object) -> bool:
    return isinstance(value, list | tuple)


@register.filter
def source_text(entry: Entry) -> str:
    """The source line as the page wrote it, or one built from the parsed parts."""
    if entry.source_line:
        return entry.source_line
    parts = [*entry.authors]
    if entry.publisher is not None:
        parts.append(entry.publisher.name)
    parts += [entry.place, entry.published_raw]
    return ", ".join(p for p in parts if p)
