"""The sitemap (`/sitemap.xml`, an index of sections) and `/robots.txt`.

Sections: the site's own pages, countries, topics and entries (a page of
`ENTRIES_PER_PAGE` at a time), each with its last change where it is known.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse

from lantern.library.models import Country, Entry, Topic
from lantern.web import compare, pages, region_views

ENTRIES_PER_PAGE = 5000

STATIC_PAGES = (
    "web:home",
    "web:countries",
    "web:regions",
    "web:topics",
    "web:map",
    "web:helplines",
    "web:teachers",
    "web:term-papers",
    "web:about",
)


class PublicSitemap(Sitemap):
    """Addresses under LANTERN_SITE_URL when it is set (as `pages.public_url`), else
    under the request's own."""

    def get_protocol(self, protocol: str | None = None) -> str:
        if settings.LANTERN_SITE_URL:
            return urlsplit(settings.LANTERN_SITE_URL).scheme
        return super().get_protocol(protocol)

    def get_domain(self, site: Any = None) -> str:
        if settings.LANTERN_SITE_URL:
            parts = urlsplit(settings.LANTERN_SITE_URL)
            return parts.netloc + parts.path.rstrip("/")
        return super().get_domain(site)


class PagesSitemap(PublicSitemap):
    """The site's own pages."""

    def items(self) -> list[str]:
        return list(STATIC_PAGES)

    def location(self, item: str) -> str:
        return reverse(item)


def _latest(*stamps: dt.datetime | None) -> dt.datetime | None:
    known = [s for s in stamps if s is not None]
    return max(known) if known else None


class CountrySitemap(PublicSitemap):
    """Every country page; last changed when its newest entry or profile did."""

    def items(self) -> list[Country]:
        return list(
            Country.objects.annotate(
                entries_changed=Max("entries__updated_at"),
                profile_changed=Max("profile__updated_at"),
            )
            .only("code")
            .order_by("code")
        )

    def lastmod(self, item: Any) -> dt.datetime | None:
        return _latest(item.entries_changed, item.profile_changed)

    def get_latest_lastmod(self) -> dt.datetime | None:
        return _latest(*(self.lastmod(c) for c in self.items()))


class TopicSitemap(PublicSitemap):
    """Every topic page; a group's page changes with its topics' entries too."""

    def items(self) -> list[Any]:
        topics: list[Any] = list(
            Topic.objects.annotate(changed=Max("entries__updated_at"))
            .only("id", "slug", "parent_id")
            .order_by("slug")
        )
        by_group: dict[int, dt.datetime | None] = {}
        for t in topics:
            if t.parent_id is not None:
                by_group[t.parent_id] = _latest(
                    by_group.get(t.parent_id),
                    t.changed,
                )
        for t in topics:
            t.changed = _latest(t.changed, by_group.get(t.pk))
        return topics

    def location(self, item: Topic) -> str:
        return reverse("web:topic", args=[item.slug])

    def lastmod(self, item: Any) -> dt.datetime | None:
        return item.changed  # type: ignore[no-any-return]

    def get_latest_lastmod(self) -> dt.datetime | None:
        return _latest(*(self.lastmod(t) for t in self.items()))


class EntrySitemap(PublicSitemap):
    """Every entry page, `ENTRIES_PER_PAGE` to a sitemap page."""

    limit = ENTRIES_PER_PAGE

    def items(self) -> Any:
        return Entry.objects.only("id", "updated_at").order_by("id")

    def lastmod(self, item: Entry) -> dt.datetime:
        return item.updated_at

    def get_latest_lastmod(self) -> dt.datetime | None:
        latest: dt.datetime | None = Entry.objects.aggregate(m=Max("updated_at"))["m"]
        return latest


class RegionSitemap(PublicSitemap):
    """Every region page (UN M49 regions of the countries Lantern knows)."""

    def items(self) -> list[str]:
        countries = Country.objects.only(*region_views.REGION_FIELDS)
        return sorted(compare.regions_of(countries))

    def location(self, item: str) -> str:
        return reverse("web:region", args=[item])


SITEMAPS: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {
    "pages": PagesSitemap,
    "countries": CountrySitemap,
    "regions": RegionSitemap,
    "topics": TopicSitemap,
    "entries": EntrySitemap,
}


def sitemap_index(request: HttpRequest) -> HttpResponse:
    """`/sitemap.xml`: Django's sitemap index, its addresses made public ones."""
    response = sitemap_views.index(
        request, SITEMAPS, sitemap_url_name="sitemap-section"
    )
    if settings.LANTERN_SITE_URL and isinstance(response, TemplateResponse):
        assert isinstance(response.context_data, dict)
        for item in response.context_data["sitemaps"]:
            parts = urlsplit(item.location)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            item.location = pages.public_url(request, path)
    return response


def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One section of the sitemap (`?p=2` for its later pages)."""
    return sitemap_views.sitemap(request, SITEMAPS, section=section)


def robots_txt(request: HttpRequest) -> HttpResponse:
    """Everything may be crawled except the curators' pages; names the sitemap."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /curate/",
        "",
        f"Sitemap: {pages.public_url(request, reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
