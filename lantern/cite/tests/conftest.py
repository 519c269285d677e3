"""Tricky entries every citation test uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from lantern.capture.models import Snapshot
from lantern.library.models import Access, DatePrecision, Entry, Publisher
from lantern.library.tests.factories import (
    AccessFactory,
    CountryFactory,
    EntryFactory,
    PublisherFactory,
)


@dataclass
class Library:
    ilo: Entry  # organisation as author, PDF report with a page, month date
    news: Entry  # two persons with non-ASCII names, a newspaper, day date
    anonymous: Entry  # no author, no date, dead link with a Wayback copy
    book: Entry  # a book with place and page, year only
    snapshot: Entry  # drifted link with Lantern's own snapshot


def _when(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def library(db, settings) -> Library:  # type: ignore[no-untyped-def]
    settings.LANTERN_SITE_URL = "https://lantern.example"
    country = CountryFactory(code="QZ", name="Testland")
    ilo_org = PublisherFactory(
        name="International Labour Organization",
        kind=Publisher.Kind.INTERGOVERNMENTAL,
    )
    ilo = EntryFactory(
        title="Global estimates of modern slavery: forced labour and forced marriage",
        format=Entry.Format.PDF,
        authors=["International Labour Organization"],
        publisher=ilo_org,
        place="Geneva",
        published_date=dt.date(2017, 9, 1),
        published_precision=DatePrecision.MONTH,
        url="https://www.ilo.org/global/publications/slavery.pdf",
        page_ref="14",
        primary_country=country,
        position=1,
    )
    # An old imported access line and a newer successful check, then a newer
    # failed one: the accessed date is the successful check's day.
    AccessFactory(entry=ilo, accessed_on=dt.date(2018, 1, 5), position=0)
    AccessFactory(
        entry=ilo,
        origin=Access.Origin.CHECKER,
        outcome=Access.Outcome.ALIVE,
        accessed_on=dt.date(2021, 3, 4),
        checked_at=_when(dt.date(2021, 3, 4)),
        position=1,
    )
    AccessFactory(
        entry=ilo,
        origin=Access.Origin.CHECKER,
        outcome=Access.Outcome.SERVER_ERROR,
        accessed_on=None,
        checked_at=_when(dt.date(2024, 6, 30)),
        position=2,
    )
    news = EntryFactory(
        title="Fishermen held at sea for years",
        format=Entry.Format.WEB,
        authors=["José Núñez", "Ødegaard, Zoë"],
        publisher=PublisherFactory(name="El Comercio", kind=Publisher.Kind.NEWS),
        published_date=dt.date(2019, 5, 3),
        published_precision=DatePrecision.DAY,
        url="https://elcomercio.pe/peru/pescadores",
        primary_country=country,
        position=2,
    )
    AccessFactory(entry=news, accessed_on=dt.date(2020, 1, 2), position=0)
    anonymous = EntryFactory(
        title="Trafficking in persons in Testland",
        format=Entry.Format.WEB,
        authors=[],
        publisher=PublisherFactory(name="Example Watch", kind=Publisher.Kind.NGO),
        published_raw="",
        published_date=None,
        published_precision=DatePrecision.UNKNOWN,
        url="http://example.org/testland",
        cached_link_status=Access.Outcome.DEAD,
        wayback_url="https://web.archive.org/web/2015/http://example.org/testland",
        primary_country=country,
        position=3,
    )
    AccessFactory(
        entry=anonymous,
        accessed_on=dt.date(2011, 8, 1),
        accessed_precision=DatePrecision.MONTH,
        raw="[accessed August 2011]",
        position=0,
    )
    AccessFactory(
        entry=anonymous,
        origin=Access.Origin.CHECKER,
        outcome=Access.Outcome.DEAD,
        accessed_on=None,
        checked_at=_when(dt.date(2024, 2, 1)),
        position=1,
    )
    book = EntryFactory(
        title="Modern slavery in the Andes",
        format=Entry.Format.BOOK,
        authors=["Smith, Anna B."],
        publisher=PublisherFactory(
            name="Oxford University Press", kind=Publisher.Kind.ACADEMIC
        ),
        place="Oxford",
        published_date=dt.date(2015, 1, 1),
        published_precision=DatePrecision.YEAR,
        url="",
        page_ref="211",
        primary_country=country,
        position=4,
    )
    snapshot = EntryFactory(
        title="Annual report on forced labour",
        format=Entry.Format.WEB,
        authors=["Ana María de la Cruz"],
        publisher=PublisherFactory(
            name="Ministry of Labour", kind=Publisher.Kind.GOVERNMENT
        ),
        published_date=dt.date(2022, 1, 1),
        published_precision=DatePrecision.YEAR,
        url="https://gov.example/labour/report",
        cached_link_status=Access.Outcome.DRIFTED,
        primary_country=country,
        position=5,
    )
    AccessFactory(entry=snapshot, accessed_on=dt.date(2023, 2, 10), position=0)
    Snapshot.objects.create(
        entry=snapshot,
        url=snapshot.url,
        captured_at=_when(dt.date(2023, 2, 10)),
        http_status=200,
        warc_path="snapshots/x.warc.gz",
    )
    return Library(ilo, news, anonymous, book, snapshot)
