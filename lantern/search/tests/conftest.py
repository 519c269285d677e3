"""Search tests run against every backend the database allows: the embedded
Tantivy index always, and PostgreSQL full-text search when the suite runs on
PostgreSQL. Each test gets an index of its own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import connection

from lantern.library.models import Country, Entry, Publisher, Topic
from lantern.library.tests.factories import (
    AccessFactory,
    EntryFactory,
    PublisherFactory,
)
from lantern.search.index import get_backend


def _backends() -> list[str]:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    return ["tantivy", "postgres"] if "postgresql" in engine else ["tantivy"]


@pytest.fixture(autouse=True)
def _own_index(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_SEARCH_DIR = str(tmp_path / "search")
    # These tests search far faster than a reader; the limit has tests of its own
    # (lantern/core/tests/test_rate_limit.py).
    settings.LANTERN_SEARCH_RATE = ""


@pytest.fixture(params=_backends())
def backend(request, settings, db) -> str:  # type: ignore[no-untyped-def]
    settings.LANTERN_SEARCH_BACKEND = request.param
    assert get_backend().name == request.param
    if request.param == "postgres":
        assert connection.vendor == "postgresql"
    return str(request.param)


@dataclass
class Library:
    cocoa_title: Entry  # "cocoa" in the title
    cocoa_thrice: Entry  # "cocoa" three times in the excerpt
    cocoa_once: Entry  # "cocoa" once, in a long excerpt
    kilns: Entry  # no cocoa; HTML-looking text in the excerpt

    @property
    def all(self) -> list[Entry]:
        return [self.cocoa_title, self.cocoa_thrice, self.cocoa_once, self.kilns]


def country(code: str) -> Country:
    return Country.objects.get(code=code)


def topic(slug: str) -> Topic:
    return Topic.objects.get(slug=slug)


FILLER = (
    "The report describes conditions in several districts, interviews with "
    "families, officials and teachers, and the work of local organisations over "
    "the years covered by the survey. "
)


@pytest.fixture
def library(backend, django_capture_on_commit_callbacks) -> Iterator[Library]:  # type: ignore[no-untyped-def]
    """Four entries with known words, indexed through the ORM's signals."""
    news = PublisherFactory(name="Ghana Daily Graphic", kind=Publisher.Kind.NEWS)
    ngo = PublisherFactory(name="Sea Watch Alliance", kind=Publisher.Kind.NGO)
    with django_capture_on_commit_callbacks(execute=True):
        a = EntryFactory(
            title="Cocoa farms in Ghana rely on child labour",
            excerpt=["Children carry heavy loads on farms in the Ashanti region."],
            publisher=news,
            primary_country=country("GH"),
            topics=[topic("child-labour"), topic("agriculture")],
            published_date=dt.date(2014, 5, 1),
            published_raw="May 1, 2014",
            format=Entry.Format.WEB,
            cached_link_status="alive",
        )
        b = EntryFactory(
            title="Fishing crews held at sea",
            excerpt=[
                "Boats carried cocoa and fish; cocoa paid the crews, and cocoa "
                "brokers recruited the boys."
            ],
            publisher=ngo,
            primary_country=country("TH"),
            topics=[topic("fishing")],
            published_date=dt.date(2009, 3, 2),
            published_raw="March 2, 2009",
            format=Entry.Format.PDF,
        )
        c = EntryFactory(
            title="Annual review of the year",
            excerpt=[FILLER * 3 + "Traders also bought cocoa. " + FILLER * 3],
            notes=["Curator: the review covers two countries."],
            publisher=news,
            primary_country=country("GH"),
            countries=[country("CI")],
            published_date=dt.date(2021, 8, 9),
            published_raw="August 9, 2021",
            cached_link_status="dead",
        )
        d = EntryFactory(
            title="Forced labour in brick kilns",
            excerpt=['Workers wrote "<script>alert(1)</script>" & fled debt bondage.'],
            publisher=ngo,
            primary_country=country("IN"),
            topics=[topic("debt-bondage")],
            published_date=dt.date(2018, 1, 1),
            published_raw="2018",
            published_precision="year",
            format=Entry.Format.PDF,
        )
        AccessFactory(entry=d, accessed_on=dt.date(2024, 2, 2))
        AccessFactory(entry=a, accessed_on=dt.date(2019, 6, 6))
    yield Library(a, b, c, d)
