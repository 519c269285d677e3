"""A small library the API tests read, indexed for search on every backend the
database allows (as the search app's own tests are), and a rate limit high enough
not to matter unless a test lowers it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from lantern.library.models import Access, Country, Entry, Helpline, Publisher, Topic
from lantern.library.tests.factories import (
    AccessFactory,
    CountryProfileFactory,
    EntryFactory,
    HelplineFactory,
    PublisherFactory,
    SourcePageFactory,
    TierPlacementFactory,
    UserFactory,
)
from lantern.search.index import get_backend
from lantern.search.tests.conftest import _backends


@pytest.fixture(autouse=True)
def _api_settings(settings, tmp_path) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.LANTERN_SEARCH_DIR = str(tmp_path / "search")
    settings.LANTERN_API_RATE = "100000/m"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=_backends())
def backend(request, settings, db) -> str:  # type: ignore[no-untyped-def]
    settings.LANTERN_SEARCH_BACKEND = request.param
    assert get_backend().name == request.param
    return str(request.param)


def country(code: str) -> Country:
    return Country.objects.get(code=code)


def topic(slug: str) -> Topic:
    return Topic.objects.get(slug=slug)


@dataclass
class Library:
    entries: list[Entry]
    cocoa: Entry  # Ghana, news, web, 2014, alive, child labour
    fishing: Entry  # Thailand, NGO, PDF, 2009, unchecked, Spanish
    review: Entry  # Ghana and Côte d'Ivoire, 2021, dead, archive section
    kilns: Entry  # India, year only, debt bondage
    peru: list[Entry]  # Peru's entries, the bulk of the library
    curator_secret: str  # text only the admin shows
    helplines: list[Helpline] = field(default_factory=list)

    def ids(self, entries: Any = None) -> list[int]:
        return sorted(e.pk for e in (self.entries if entries is None else entries))


@pytest.fixture
def library(backend, django_capture_on_commit_callbacks) -> Library:  # type: ignore[no-untyped-def]
    """Sixteen entries over five countries with known words, formats, years,
    languages, link statuses and accesses; Peru's profile, tiers and help-lines."""
    news = PublisherFactory(name="Ghana Daily Graphic", kind=Publisher.Kind.NEWS)
    ngo = PublisherFactory(name="Sea Watch Alliance", kind=Publisher.Kind.NGO)
    agency = PublisherFactory(name="Ministry of Labour", kind=Publisher.Kind.GOVERNMENT)
    curator = UserFactory(username="secret-curator-name")
    page = SourcePageFactory(
        source_text="RAW-PAGE-TEXT-ONLY-CURATORS-SEE",
        unparsed=[{"line": 3, "text": "UNPARSED-LINE-ONLY-CURATORS-SEE"}],
    )
    checked = timezone.make_aware(dt.datetime(2024, 3, 4, 5, 6, 7))
    with django_capture_on_commit_callbacks(execute=True):
        cocoa = EntryFactory(
            title="Cocoa farms in Ghana rely on child labour",
            excerpt=["Children carry heavy loads on farms in the Ashanti region."],
            publisher=news,
            primary_country=country("GH"),
            topics=[topic("child-labour"), topic("agriculture")],
            published_date=dt.date(2014, 5, 1),
            published_raw="May 1, 2014",
            cached_link_status="alive",
            cached_last_checked_at=checked,
            added_by=curator,
            tagging_hash="TAGGING-HASH-ONLY-CURATORS-SEE",
            cached_import_hash="IMPORT-HASH-ONLY-CURATORS-SEE",
            key="ENTRY-KEY-ONLY-CURATORS-SEE",
        )
        fishing = EntryFactory(
            title="Fishing crews held at sea",
            excerpt=["Boats carried cocoa and fish; cocoa brokers recruited boys."],
            publisher=ngo,
            primary_country=country("TH"),
            topics=[topic("fishing")],
            published_date=dt.date(2009, 3, 2),
            published_raw="March 2, 2009",
            format=Entry.Format.PDF,
            language="es",
        )
        review = EntryFactory(
            title='=HYPERLINK("http://evil.example") annual review',
            excerpt=["Traders also bought cocoa in the border markets."],
            publisher=news,
            primary_country=country("GH"),
            countries=[country("CI")],
            published_date=dt.date(2021, 8, 9),
            published_raw="August 9, 2021",
            cached_link_status="dead",
            cached_last_checked_at=checked,
            section=Entry.Section.ARCHIVE,
            source_page=page,
            origin=Entry.Origin.IMPORT,
        )
        kilns = EntryFactory(
            title="Forced labour in brick kilns",
            excerpt=['Workers wrote "<script>alert(1)</script>" & fled debt bondage.'],
            authors=["-Dash, Leading", "Ravi Kumar"],
            publisher=ngo,
            primary_country=country("IN"),
            topics=[topic("debt-bondage")],
            published_date=dt.date(2018, 1, 1),
            published_raw="2018",
            published_precision="year",
            format=Entry.Format.PDF,
            collection=Entry.Collection.STREET_CHILDREN,
        )
        peru = [
            EntryFactory(
                title=f"Peru report {n} on mining camps",
                publisher=agency if n % 2 else ngo,
                published_date=dt.date(2010 + n, 6, 1),
                published_raw=f"June {2010 + n}",
                format=Entry.Format.WEB if n % 3 else Entry.Format.PDF,
                topics=[topic("forced-labour")] if n % 2 else [],
                countries=[country("BO")] if n < 4 else [],
            )
            for n in range(12)
        ]
        AccessFactory(entry=cocoa, accessed_on=dt.date(2019, 6, 6))
        AccessFactory(
            entry=cocoa,
            origin=Access.Origin.CHECKER,
            accessed_on=None,
            raw="",
            checked_at=checked,
            outcome=Access.Outcome.ALIVE,
            http_status=200,
            final_url=cocoa.url,
            excerpt_found=True,
            error="CHECK-ERROR-ONLY-CURATORS-SEE",
            content_hash="CONTENT-HASH-ONLY-CURATORS-SEE",
            redirect_chain=[
                {"url": "https://REDIRECT-ONLY-CURATORS-SEE", "status": 301}
            ],
        )
        AccessFactory(
            entry=review,
            origin=Access.Origin.CHECKER,
            accessed_on=None,
            raw="",
            checked_at=checked,
            outcome=Access.Outcome.DEAD,
            http_status=404,
        )
        AccessFactory(entry=kilns, accessed_on=dt.date(2024, 2, 2))
    peru_country = country("PE")
    CountryProfileFactory(country=peru_country, tip_tier="tier2")
    TierPlacementFactory(country=peru_country, report_year=2012, tier="tier1")
    helplines = [
        HelplineFactory(),
        HelplineFactory(
            number_raw="1818",
            e164="",
            is_valid=False,
            is_short_code=True,
            organisation="@Line =1+1",
        ),
        HelplineFactory(
            country=country("GH"), number_raw="0800 111 222", e164="+233800111222"
        ),
    ]
    entries = [cocoa, fishing, review, kilns, *peru]
    return Library(
        entries=entries,
        cocoa=cocoa,
        fishing=fishing,
        review=review,
        kilns=kilns,
        peru=peru,
        curator_secret="ONLY-CURATORS-SEE",
        helplines=helplines,
    )


def get_json(client, url: str, expect: int = 200, **params: Any) -> Any:  # type: ignore[no-untyped-def]
    response = client.get(url, params)
    assert response.status_code == expect, response.content[:2000]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def walk(client, url: str, **params: Any) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Every item of a list, following `next` to the end."""
    items: list[dict[str, Any]] = []
    page = get_json(client, url, **params)
    items += page["results"]
    pages = 1
    while page["next"]:
        page = get_json(client, page["next"])
        items += page["results"]
        pages += 1
        assert pages < 1000
    return items
