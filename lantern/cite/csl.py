"""An entry as a CSL-JSON item, the one record every citation format is made from.

Pure over an entry fetched with its accesses and publisher (and, optionally, its
usable snapshots): no queries beyond those relations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings

from lantern.capture.models import Snapshot
from lantern.library.models import Access, DatePrecision, Entry, Publisher
from lantern.library.publishers import is_organisation
from lantern.web.pages import LINK_GONE, archived_copy, external_href, verified_on

CslItem = dict[str, Any]

# CSL item types by entry format; a web page from a news outlet is a newspaper article.
TYPE_BY_FORMAT: dict[str, str] = {
    Entry.Format.WEB: "webpage",
    Entry.Format.PDF: "report",
    Entry.Format.DOC: "report",
    Entry.Format.BOOK: "book",
    Entry.Format.VIDEO: "motion_picture",
    Entry.Format.AUDIO: "song",
    Entry.Format.OTHER: "document",
}

# Lower-case particles that belong to the family name ("Ludwig van Beethoven").
_PARTICLES = {"da", "das", "de", "del", "della", "der", "di", "do", "dos", "du",
              "la", "le", "van", "von", "y"}  # fmt: skip


def csl_name(name: str) -> dict[str, str]:
    """One author string as a CSL name: `literal` for organisations, else family and
    given from "Last, First" or "First Last"."""
    name = " ".join(name.split())
    if is_organisation(name):
        return {"literal": name}
    if "," in name:
        family, _, given = name.partition(",")
        parts = {"family": family.strip(), "given": given.strip()}
        return {k: v for k, v in parts.items() if v}
    words = name.split(" ")
    if len(words) == 1:
        return {"family": words[0]}
    start = len(words) - 1
    while start > 1 and words[start - 1].casefold() in _PARTICLES:
        start -= 1
    family = " ".join(words[start:])
    given = " ".join(words[:start])
    return {"family": family, "given": given}


def date_parts(value: dt.date | None, precision: str) -> dict[str, Any] | None:
    """A CSL date to its precision, or None when unknown."""
    if value is None or precision == DatePrecision.UNKNOWN:
        return None
    if precision == DatePrecision.YEAR:
        return {"date-parts": [[value.year]]}
    if precision == DatePrecision.MONTH:
        return {"date-parts": [[value.year, value.month]]}
    return {"date-parts": [[value.year, value.month, value.day]]}


def latest_verification(accesses: Sequence[Access]) -> tuple[dt.date, str] | None:
    """The day (and its precision) of the latest successful verification; failed
    checks never count."""
    found: list[tuple[dt.date, str]] = []
    for access in accesses:
        if not access.is_verification:
            continue
        day = verified_on(access)
        if day is None:
            continue
        precision = (
            DatePrecision.DAY
            if access.checked_at is not None
            else access.accessed_precision
        )
        found.append((day, precision))
    return max(found, key=lambda pair: pair[0], default=None)


def absolute(url: str) -> str:
    """A site path made absolute with LANTERN_SITE_URL (left as a path without it)."""
    if url.startswith("/") and settings.LANTERN_SITE_URL:
        return settings.LANTERN_SITE_URL.rstrip("/") + url
    return url


def archive_link(entry: Entry, snapshots: Sequence[Snapshot] = ()) -> str:
    """The archived copy to cite when the live link no longer shows what was cited
    (dead, soft-dead or drifted), or when there is no live URL; '' otherwise."""
    if entry.url and entry.cached_link_status not in LINK_GONE:
        return ""
    copy = archived_copy(entry, snapshots)
    return absolute(copy.url) if copy is not None else ""


def entry_to_csl(entry: Entry, snapshots: Sequence[Snapshot] = ()) -> CslItem:
    """The CSL-JSON item for an entry. Besides standard variables it carries two of
    Lantern's own (`LANTERN_KEYS`): `archive_url`, the archived copy when the live
    link is gone, and `cited_page`, the page the excerpt is on."""
    publisher: Publisher | None = entry.publisher
    publisher_name = publisher.name if publisher is not None else ""
    item_type = TYPE_BY_FORMAT.get(entry.format, "document")
    if (
        item_type == "webpage"
        and publisher is not None
        and publisher.kind == Publisher.Kind.NEWS
    ):
        item_type = "article-newspaper"
    item: CslItem = {"id": f"entry-{entry.pk}", "type": item_type, "title": entry.title}
    main_title, colon, _subtitle = entry.title.partition(": ")
    if colon and main_title.strip():
        # Short forms (MLA in-text, Chicago short notes) use the main title.
        item["title-short"] = main_title.strip()
    authors = [csl_name(a) for a in entry.authors if str(a).strip()]
    if authors:
        item["author"] = authors
    if publisher_name:
        if item_type in {"webpage", "article-newspaper"}:
            item["container-title"] = publisher_name
        else:
            item["publisher"] = publisher_name
    if entry.place and item_type in {"book", "report", "document"}:
        item["publisher-place"] = entry.place
    issued = date_parts(entry.published_date, entry.published_precision)
    if issued is not None:
        item["issued"] = issued
    if entry.page_ref:
        # The page the excerpt is on: a pinpoint for the in-text citation or note,
        # not the item's page range, so it is not CSL's `page`.
        item["cited_page"] = entry.page_ref
    url = external_href(entry.url)
    if url:
        item["URL"] = url
    verified = latest_verification(list(entry.accesses.all()))
    if verified is not None:
        accessed = date_parts(*verified)
        if accessed is not None:
            item["accessed"] = accessed
    if entry.language:
        item["language"] = entry.language
    if archive := archive_link(entry, snapshots):
        item["archive_url"] = archive
    return item


def webpage_to_csl(
    *,
    title: str,
    url: str,
    author: str,
    site_name: str,
    accessed: dt.date,
    updated: dt.date | None = None,
) -> CslItem:
    """The CSL-JSON item for one of Lantern's own pages (a country page's "Cite this
    page"): a web page by the library's curator, in the site, last changed on
    `updated` (unknown: no date, which styles print as "n.d."), read `accessed`."""
    item: CslItem = {"id": "page", "type": "webpage", "title": title, "URL": url}
    if author.strip():
        item["author"] = [csl_name(author)]
    if site_name.strip():
        item["container-title"] = site_name
    issued = date_parts(updated, DatePrecision.DAY)
    if issued is not None:
        item["issued"] = issued
    accessed_parts = date_parts(accessed, DatePrecision.DAY)
    if accessed_parts is not None:
        item["accessed"] = accessed_parts
    return item


LANTERN_KEYS = ("archive_url", "cited_page")


def archive_sentence(item: CslItem) -> str:
    """What a rendered citation adds for an archived copy."""
    url = item.get("archive_url")
    return f"Archived copy: {url}." if url else ""


def standard_item(item: CslItem) -> CslItem:
    """The item with standard CSL variables only: Lantern's own keys go into
    `note` ("Archived copy: …; cited page 14")."""
    plain = {k: v for k, v in item.items() if k not in LANTERN_KEYS}
    notes = []
    if item.get("archive_url"):
        notes.append(f"Archived copy: {item['archive_url']}")
    if item.get("cited_page"):
        notes.append(f"Cited page: {item['cited_page']}")
    if notes:
        plain["note"] = "; ".join(notes)
    return plain
