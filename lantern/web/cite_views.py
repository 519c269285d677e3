"""Citations on the site: an entry's "Cite this source" block, and the cite pages
of an entry, a country and a search's results (`?style=apa`, any CSL style by
name, or an export: `bibtex`, `ris`, `csl-json`).

Views are adapters over `lantern.cite`: they choose the entries and render. Styles
are rendered as HTML by `lantern.cite.styles.render_all`, which escapes the
entries' own text; a rendered item is cached under a hash of its CSL data, so a
page shown again costs no citeproc call. Nothing here writes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_safe

from lantern.cite.csl import CslItem, entry_to_csl
from lantern.cite.services import (
    EXPORT_FORMATS,
    StyleFailed,
    UnknownStyle,
    cite_entries,
    csl_items,
)
from lantern.cite.styles import STYLES, is_note_style, is_style, render_all
from lantern.library.models import Country, Entry

DEFAULT_STYLE = "apa"

# The styles offered by name on the pages, in the order shown. The labels stay in
# English here (exported files use them); pages show them through `style_label`.
STYLE_LABELS: dict[str, str] = {
    "apa": gettext_noop("APA (7th edition)"),
    "mla": gettext_noop("MLA (9th edition)"),
    "chicago": gettext_noop("Chicago (17th edition, author-date)"),
    "chicago-notes": gettext_noop("Chicago (17th edition, notes and bibliography)"),
    "harvard": gettext_noop("Harvard (Cite Them Right)"),
}
assert set(STYLE_LABELS) == set(STYLES)

# Export format → (label, content type, file extension).
EXPORTS: dict[str, tuple[str, str, str]] = {
    "bibtex": ("BibTeX", "application/x-bibtex", "bib"),
    "ris": ("RIS", "application/x-research-info-systems", "ris"),
    "csl-json": ("CSL-JSON", "application/vnd.citationstyles.csl+json", "json"),
}
assert set(EXPORTS) == set(EXPORT_FORMATS)

# The most entries a search's citations take (its first results, in order).
SEARCH_CAP = 500

CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Cited:
    """One entry cited in one style, as HTML (the entry's text escaped)."""

    entry_id: str  # the CSL item's id, "entry-<pk>"
    reference: SafeString
    citation: SafeString  # the in-text citation or note with the cited page, or ""


@dataclass(frozen=True)
class StyleBlock:
    style: str
    label: str
    cited: list[Cited]
    citation_label: str  # "In text" or "Note"


def style_label(style: str) -> str:
    """A style's label in the reader's language (its name for other styles)."""
    label = STYLE_LABELS.get(style)
    return gettext(label) if label else style


def _cache_key(items: Sequence[CslItem], style: str) -> str:
    data = json.dumps([style, list(items)], sort_keys=True, default=str)
    return "lantern:cite:html:" + hashlib.sha256(data.encode()).hexdigest()


def render_html(items: Sequence[CslItem], style: str) -> list[Cited]:
    """`items` in a style, sorted as the style sorts them; one citeproc call at
    most (none when the same items were rendered lately). Raises UnknownStyle,
    StyleFailed."""
    if not items:
        return []
    key = _cache_key(items, style)
    rows: list[tuple[str, str, str]] | None = cache.get(key)
    if rows is None:
        pages = {item["id"]: bool(item.get("cited_page")) for item in items}
        rows = [
            (r.id, r.reference, r.citation if pages.get(r.id) else "")
            for r in render_all(items, style, format="html")
        ]
        cache.set(key, rows, CACHE_SECONDS)
    # render_all escapes the items' own text; its markup is the style's.
    return [Cited(i, mark_safe(ref), mark_safe(cit)) for i, ref, cit in rows]


def entry_cite_blocks(entry: Entry, snapshots: Sequence[Any] = ()) -> list[StyleBlock]:
    """The "Cite this source" block of an entry page: its reference in each named
    style. `entry` comes with its publisher and accesses already fetched, so this
    asks the database nothing."""
    items = [entry_to_csl(entry, snapshots)]
    blocks = []
    for style in STYLE_LABELS:
        try:
            cited = render_html(items, style)
        except StyleFailed:  # pragma: no cover - the named styles all render
            continue
        blocks.append(
            StyleBlock(style, style_label(style), cited, _citation_label(style))
        )
    return blocks


def page_cite_blocks(item: CslItem) -> list[StyleBlock]:
    """A "Cite this page" block: one of Lantern's own pages (`webpage_to_csl`) in
    each named style."""
    blocks = []
    for style in STYLE_LABELS:
        try:
            cited = render_html([item], style)
        except StyleFailed:  # pragma: no cover - the named styles all render
            continue
        blocks.append(
            StyleBlock(style, style_label(style), cited, _citation_label(style))
        )
    return blocks


def _citation_label(style: str) -> str:
    return gettext("Note") if is_note_style(style) else gettext("In text")


def export_links(
    base: str, query: Sequence[tuple[str, str]] = ()
) -> list[dict[str, str]]:
    """Links to a subject's exports (`base` is its cite URL)."""
    return [
        {"style": fmt, "label": label, "href": _with_style(base, query, fmt)}
        for fmt, (label, _type, _ext) in EXPORTS.items()
    ]


def style_links(
    base: str, query: Sequence[tuple[str, str]] = ()
) -> list[dict[str, str]]:
    return [
        {
            "style": style,
            "label": style_label(style),
            "href": _with_style(base, query, style),
        }
        for style in STYLE_LABELS
    ]


def _with_style(base: str, query: Sequence[tuple[str, str]], style: str) -> str:
    return f"{base}?{urlencode([*query, ('style', style)])}"


# ----------------------------------------------------------------------------- views


def _unknown_style(request: HttpRequest, style: str, message: str) -> HttpResponse:
    return render(
        request,
        "web/cite_unknown.html",
        {
            "style": style,
            "message": message,
            "named": [(style, style_label(style)) for style in STYLE_LABELS],
            "exports": [(fmt, label) for fmt, (label, _t, _e) in EXPORTS.items()],
            "nav": "",
        },
        status=400,
    )


def _cite(
    request: HttpRequest,
    entries: Sequence[Entry],
    *,
    subject: str,
    filename: str,
    base: str,
    back_url: str,
    back_label: str,
    query: Sequence[tuple[str, str]] = (),
    notice: str = "",
) -> HttpResponse:
    """The cite page of `entries` in the `?style=` asked for, or their export."""
    style = request.GET.get("style", "").strip().lower() or DEFAULT_STYLE
    if style in EXPORTS:
        _label, content_type, ext = EXPORTS[style]
        body = cite_entries(entries, style)
        response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.{ext}"'
        return response
    if len(style) > 200 or not is_style(style):
        return _unknown_style(
            request,
            style[:200],
            gettext("Lantern does not know a citation style by that name."),
        )
    try:
        cited = render_html(csl_items(entries), style)
        citation_label = _citation_label(style)
    except UnknownStyle:  # pragma: no cover - is_style said yes
        return _unknown_style(request, style, gettext("Unknown citation style."))
    except StyleFailed:
        return _unknown_style(
            request,
            style,
            gettext(
                "Lantern's citation engine cannot render this style: a few styles of "
                "the collection use rules it does not know, and some have no "
                "bibliography. Please choose another."
            ),
        )
    return render(
        request,
        "web/cite.html",
        {
            "subject": subject,
            "style": style,
            "style_label": style_label(style),
            "cited": cited,
            "citation_label": citation_label,
            "count": len(entries),
            "style_links": style_links(base, query),
            "export_links": export_links(base, query),
            "query": query,
            "base": base,
            "back_url": back_url,
            "back_label": back_label,
            "notice": notice,
            "nav": "",
        },
    )


@require_safe
def entry_cite(request: HttpRequest, pk: int) -> HttpResponse:
    """`/entries/<id>/cite/?style=…`: one entry cited, or exported."""
    entry = get_object_or_404(Entry.objects.only("id", "title"), pk=pk)
    return _cite(
        request,
        [entry],
        subject=entry.title,
        filename=f"lantern-entry-{entry.pk}",
        base=reverse("web:entry-cite", args=[entry.pk]),
        back_url=entry.get_absolute_url(),
        back_label=gettext("Back to the entry"),
    )


def country_entries(code: str) -> list[Entry]:
    """A country's entries in page order, as `lantern cite --country` takes them."""
    wanted = Entry.objects.in_country(code).values_list("pk", flat=True)
    return list(Entry.objects.filter(pk__in=wanted).in_page_order().only("id", "title"))


@require_safe
def country_cite(request: HttpRequest, code: str) -> HttpResponse:
    """`/countries/<cc>/cite/?style=…`: the bibliography of a country's entries."""
    if len(code) != 2 or not code.isalpha() or code != code.lower():
        raise Http404("No such country code.")
    country = get_object_or_404(Country.objects.only("code", "name"), code=code.upper())
    return _cite(
        request,
        country_entries(country.code),
        subject=gettext("Sources on %(country)s") % {"country": country.name},
        filename=f"lantern-{country.slug}",
        base=reverse("web:country-cite", args=[country.slug]),
        back_url=country.get_absolute_url(),
        back_label=gettext("Back to %(country)s") % {"country": country.name},
    )


def cite_found(
    request: HttpRequest,
    entries: Iterable[Entry],
    *,
    total: int,
    query: Sequence[tuple[str, str]],
    search_url: str,
) -> HttpResponse:
    """The cite page (or export) of a search's results; used by the search app."""
    entries = list(entries)
    notice = ""
    if total > len(entries):
        notice = gettext(
            "This search found %(total)s entries; the first %(cited)s, in the "
            "order the search lists them, are cited here. Narrow the search to cite "
            "the others."
        ) % {"total": total, "cited": len(entries)}
    return _cite(
        request,
        entries,
        subject=gettext("Search results"),
        filename="lantern-search",
        base=reverse("search:cite"),
        back_url=search_url,
        back_label=gettext("Back to the search"),
        query=query,
        notice=notice,
    )
