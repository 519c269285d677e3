"""Library records as the API shows them: only what the public pages show (no
curator's keys, hashes, users, tagging decisions or link-check internals), as plain
dicts shaped like `schemas.py`. Reads nothing beyond the objects given, except
where a docstring says so."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from lantern.capture.models import Snapshot
from lantern.library.models import (
    Access,
    Country,
    CountryProfile,
    Entry,
    Helpline,
    Topic,
)
from lantern.web import pages


def site(request: HttpRequest, path: str) -> str:
    """An absolute address on the public site (LANTERN_SITE_URL when set)."""
    return pages.public_url(request, path)


def api(request: HttpRequest, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", args=args))


# --------------------------------------------------------------------- countries


def country_row(request: HttpRequest, country: Country) -> dict[str, Any]:
    """A country of the list; `entry_count` must be annotated."""
    return {
        "code": country.code,
        "alpha3": country.alpha3,
        "name": country.name,
        "official_name": country.official_name,
        "region": country.region,
        "region_code": country.region_code,
        "sub_region": country.sub_region,
        "sub_region_code": country.sub_region_code,
        "intermediate_region": country.intermediate_region,
        "calling_code": country.calling_code,
        "gsi_prevalence": country.gsi_prevalence,
        "gsi_people": country.gsi_people,
        "entry_count": getattr(country, "entry_count", 0),
        "site_url": site(request, country.get_absolute_url()),
        "api_url": api(request, "country", country.code),
    }


def profile_dict(
    profile: CountryProfile | None, history: list[pages.TierCell]
) -> dict[str, Any] | None:
    """The profile as the country page shows it (tier label chosen as it does)."""
    if profile is None:
        return None
    label = ""
    if profile.tip_tier:
        label = profile.get_tip_tier_display()
    elif profile.tip_report_year:
        placed = {c.year: c for c in history if c.status == "placed"}
        cell = placed.get(profile.tip_report_year)
        label = cell.label if cell else ""
    links = []
    for link in profile.tip_links or []:
        if isinstance(link, dict):
            links.append(
                {
                    "text": str(link.get("text") or ""),
                    "url": pages.external_href(str(link.get("url") or "")),
                }
            )
    return {
        "official_name": profile.official_name,
        "background": [str(p) for p in profile.background or []],
        "background_source": profile.background_source,
        "background_year": profile.background_year,
        "background_is_summary": profile.background_is_summary,
        "tip_summary": [str(p) for p in profile.tip_summary or []],
        "tip_source": profile.tip_source,
        "tip_report_year": profile.tip_report_year,
        "tip_report_month": profile.tip_report_month,
        "tip_tier": profile.tip_tier,
        "tip_tier_label": label,
        "tip_links": links,
        "tip_is_summary": profile.tip_is_summary,
    }


def tier_year(cell: pages.TierCell) -> dict[str, Any]:
    return {
        "year": cell.year,
        "status": cell.status,
        "tier": cell.tier,
        "label": cell.label,
        "source": cell.source,
    }


def helpline_row(request: HttpRequest, helpline: Helpline) -> dict[str, Any]:
    """A help-line; its country must be fetched with it."""
    country = helpline.country
    return {
        "id": helpline.pk,
        "country": country.code,
        "country_name": country.name,
        "organisation": helpline.organisation,
        "number": helpline.number_raw,
        "e164": helpline.e164,
        "tel": helpline.tel_href,
        "is_valid": helpline.is_valid,
        "is_short_code": helpline.is_short_code,
        "problem": helpline.problem,
        "notes": helpline.notes,
        "last_verified": helpline.last_verified,
        "source_entry": helpline.source_entry_id,
        "site_url": site(request, country.get_absolute_url()),
    }


# ------------------------------------------------------------------------ topics


def topic_row(request: HttpRequest, topic: Topic) -> dict[str, Any]:
    """A topic; `entry_count` and `parent_slug` must be annotated."""
    return {
        "slug": topic.slug,
        "name": topic.name,
        "group": getattr(topic, "parent_slug", None),
        "description": topic.description,
        "entry_count": getattr(topic, "entry_count", 0),
        "site_url": site(request, reverse("web:topic", args=[topic.slug])),
    }


# ----------------------------------------------------------------------- entries


def entry_row(request: HttpRequest, entry: Entry) -> dict[str, Any]:
    """An entry of a list; fetch with publisher, countries and topics."""
    return {
        "id": entry.pk,
        "title": entry.title,
        "format": entry.format,
        "authors": [str(a) for a in entry.authors or []],
        "publisher": entry.publisher.name if entry.publisher else "",
        "publisher_kind": entry.publisher.kind if entry.publisher else "",
        "source_line": entry.source_line,
        "published": entry.published_raw,
        "published_date": entry.published_iso,
        "language": entry.language,
        "section": entry.section,
        "collection": entry.collection,
        "primary_country": entry.primary_country_id,
        "countries": sorted(c.code for c in entry.countries.all()),
        "topics": sorted(t.slug for t in entry.topics.all()),
        "url": entry.url,
        "link_status": entry.cached_link_status,
        "last_checked_at": entry.cached_last_checked_at,
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
        "site_url": site(request, entry.get_absolute_url()),
        "api_url": api(request, "entry", entry.pk),
    }


def entry_detail(
    request: HttpRequest, entry: Entry, snapshots: list[Snapshot]
) -> dict[str, Any]:
    """Everything the entry page shows; fetch with publisher, series, source page,
    accesses, countries, topics and help-lines."""
    accesses = entry.ordered_accesses()
    item = pages.ListedEntry(entry=entry, accesses=accesses, snapshots=snapshots)
    copy = item.archived
    archived = None
    if copy is not None:
        url = copy.url if copy.kind != "snapshot" else site(request, copy.url)
        archived = {
            "url": url,
            "kind": copy.kind,
            "label": copy.label,
            "captured_at": copy.captured_at,
        }
    publisher = entry.publisher
    series = entry.series
    source_page = entry.source_page
    return {
        "id": entry.pk,
        "title": entry.title,
        "format": entry.format,
        "authors": [str(a) for a in entry.authors or []],
        "publisher": {
            "name": publisher.name,
            "kind": publisher.kind,
            "url": pages.external_href(publisher.url),
        }
        if publisher
        else None,
        "source_line": entry.source_line,
        "place": entry.place,
        "published": entry.published_raw,
        "published_date": entry.published_iso,
        "published_precision": entry.published_precision,
        "url": entry.url,
        "other_urls": [str(u) for u in entry.other_urls or []],
        "page_ref": entry.page_ref,
        "excerpt": [str(p) for p in entry.excerpt or []],
        "excerpt_is_summary": entry.excerpt_is_summary,
        "notes": [str(n) for n in entry.notes or []],
        "archived_copy_note": entry.archived_copy_note,
        "archived_copy": archived,
        "section": entry.section,
        "collection": entry.collection,
        "primary_country": entry.primary_country_id,
        "countries": [
            {
                "code": c.code,
                "name": c.name,
                "primary": c.code == entry.primary_country_id,
            }
            for c in sorted(entry.countries.all(), key=lambda c: c.name)
        ],
        "topics": [
            {"slug": t.slug, "name": t.name}
            for t in sorted(entry.topics.all(), key=lambda t: (t.position, t.name))
        ],
        "language": entry.language,
        "series": {
            "name": series.name,
            "publisher_name": series.publisher_name,
            "edition_year": entry.edition_year,
        }
        if series
        else None,
        "helplines": [
            {"id": h.pk, "number": h.number_raw, "tel": h.tel_href}
            for h in entry.helplines.all()
        ],
        "link_status": entry.cached_link_status,
        "last_checked_at": entry.cached_last_checked_at,
        "last_verified": item.last_verified,
        "provenance": {
            "origin": entry.origin,
            "source_file": source_page.file_path
            if source_page and entry.origin == Entry.Origin.IMPORT
            else "",
            "first_line": entry.first_line,
            "last_line": entry.last_line,
        },
        "created_at": entry.created_at,
        "updated_at": entry.updated_at,
        "site_url": site(request, entry.get_absolute_url()),
        "cite_url": site(request, reverse("web:entry-cite", args=[entry.pk])),
        "accesses_url": api(request, "entry-accesses", entry.pk),
    }


def access_row(access: Access) -> dict[str, Any]:
    """One access as the entry page's history shows it."""
    return {
        "position": access.position,
        "accessed": access.accessed_iso,
        "accessed_precision": access.accessed_precision if access.accessed_on else "",
        "raw": access.raw,
        "problem": access.problem,
        "origin": access.origin,
        "url": access.url,
        "checked_at": access.checked_at,
        "outcome": access.outcome,
        "http_status": access.http_status,
        "final_url": access.final_url,
        "excerpt_found": access.excerpt_found,
        "verifies": access.is_verification,
    }
