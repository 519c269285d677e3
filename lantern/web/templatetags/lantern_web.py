"""Template filters for the public pages. Every filter returns plain strings, so
Django's autoescaping still applies to whatever imported text they receive."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from lantern.library.models import Entry
from lantern.web import pages
from lantern.web.pages import ListedEntry
from lantern.web.pages import long_date as _long_date

register = template.Library()


@register.filter
def external_href(url: str) -> str:
    """An address fit for an `href`: http(s) only (see `pages.external_href`)."""
    return pages.external_href(url)


@register.simple_tag(takes_context=True)
def robust_link(context: dict[str, Any], item: ListedEntry, target: str) -> SafeString:
    """Robust Links attributes for a link to an entry's source (`target` "original")
    or to its archived copy ("copy"): data-originalurl, data-versionurl and
    data-versiondate; nothing when there is no archived copy."""
    copy = item.archived
    original = pages.external_href(item.entry.url)
    if copy is None or not original:
        return SafeString("")
    version = copy.url
    if version.startswith("/"):
        version = pages.public_url(context.get("request"), version)
    date = item.version_date
    if target == "copy":
        attrs = format_html(' data-originalurl="{}"', original)
    else:
        attrs = format_html(
            ' data-originalurl="{}" data-versionurl="{}"', original, version
        )
    if date:
        attrs += format_html(' data-versiondate="{}"', date)
    return attrs


def _in_english() -> bool:
    """Whether the page is in English: the pages' own forms of dates and numbers."""
    language = get_language() or "en"
    return language == "en" or language.startswith("en-")


@register.filter
def long_date(value: dt.date | None) -> str:
    """16 December 2010; in another interface language, that language's long date
    (16 de diciembre de 2010, 16 décembre 2010)."""
    if not value:
        return ""
    if _in_english():
        return _long_date(value)
    return date_format(value, "DATE_FORMAT")


@register.filter
def thousands(value: int | float | None) -> str:
    """234000 → 234,000; in another interface language, with its own grouping
    (234.000, 234 000)."""
    if value is None:
        return ""
    if _in_english():
        return f"{value:,}"
    return number_format(value, force_grouping=True)


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


@register.filter
def content_note(entry: Entry) -> str:
    """What the entry's excerpt describes that a reader may want warning of
    ("sexual violence and physical violence"), or ""."""
    from lantern.core.text import paragraphs
    from lantern.library.content_notes import content_notes, note_text

    return note_text(content_notes(paragraphs(entry.excerpt)))
