"""Entries as CSL-JSON items: names, dates, accessed dates, archived copies."""

from __future__ import annotations

import datetime as dt

import pytest

from lantern.cite.csl import csl_name, entry_to_csl
from lantern.cite.services import csl_items
from lantern.library.models import Access, DatePrecision
from lantern.library.tests.factories import AccessFactory, EntryFactory


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("José Núñez", {"family": "Núñez", "given": "José"}),
        ("Ødegaard, Zoë", {"family": "Ødegaard", "given": "Zoë"}),
        ("Ana María de la Cruz", {"family": "de la Cruz", "given": "Ana María"}),
        ("Ludwig van Beethoven", {"family": "van Beethoven", "given": "Ludwig"}),
        ("Madonna", {"family": "Madonna"}),
        (
            "International Labour Organization",
            {"literal": "International Labour Organization"},
        ),
        ("Human Rights Watch", {"literal": "Human Rights Watch"}),
        ("UNODC", {"literal": "UNODC"}),
        # An NGO's name with no word of organisations: never "Children, Save the".
        ("Save the Children", {"literal": "Save the Children"}),
        ("Emily Post", {"family": "Post", "given": "Emily"}),
        ("  Kevin   Bales ", {"family": "Bales", "given": "Kevin"}),
    ],
)
def test_author_names(written: str, expected: dict[str, str]) -> None:
    assert csl_name(written) == expected


def test_item_fields(library) -> None:  # type: ignore[no-untyped-def]
    ilo, news, anonymous, book, snapshot = csl_items(
        [library.ilo, library.news, library.anonymous, library.book, library.snapshot]
    )
    assert ilo["type"] == "report"
    assert ilo["author"] == [{"literal": "International Labour Organization"}]
    assert ilo["publisher"] == "International Labour Organization"
    assert ilo["publisher-place"] == "Geneva"
    assert ilo["issued"] == {"date-parts": [[2017, 9]]}
    assert ilo["cited_page"] == "14"
    assert "page" not in ilo
    assert "archive_url" not in ilo  # its link is alive
    assert news["type"] == "article-newspaper"
    assert news["container-title"] == "El Comercio"
    assert news["issued"] == {"date-parts": [[2019, 5, 3]]}
    assert anonymous["type"] == "webpage"
    assert "author" not in anonymous and "issued" not in anonymous
    assert anonymous["archive_url"] == library.anonymous.wayback_url
    assert book["type"] == "book"
    assert book["issued"] == {"date-parts": [[2015]]}
    assert "URL" not in book
    snapshot_id = library.snapshot.snapshots.get().pk
    assert snapshot["archive_url"] == f"https://lantern.example/archive/{snapshot_id}/"


def test_accessed_is_the_latest_successful_verification(library) -> None:  # type: ignore[no-untyped-def]
    # ILO: imported 2018-01-05, alive on 2021-03-04, server error on 2024-06-30.
    (ilo,) = csl_items([library.ilo])
    assert ilo["accessed"] == {"date-parts": [[2021, 3, 4]]}
    # Testland: "[accessed August 2011]", then found dead in 2024.
    (anonymous,) = csl_items([library.anonymous])
    assert anonymous["accessed"] == {"date-parts": [[2011, 8]]}


@pytest.mark.django_db
def test_never_verified_has_no_accessed_date() -> None:
    entry = EntryFactory(authors=[])
    AccessFactory(
        entry=entry,
        origin=Access.Origin.CHECKER,
        outcome=Access.Outcome.TIMEOUT,
        accessed_on=None,
        checked_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    )
    item = entry_to_csl(entry)
    assert "accessed" not in item


@pytest.mark.django_db
def test_no_date_and_no_url_and_legacy_archived_copy() -> None:
    entry = EntryFactory(
        url="",
        published_date=None,
        published_precision=DatePrecision.UNKNOWN,
        archived_copy_url="https://archive.example/copy",
    )
    item = entry_to_csl(entry)
    assert "issued" not in item and "URL" not in item
    # Without a live address, the archived copy is what readers can follow.
    assert item["archive_url"] == "https://archive.example/copy"


@pytest.mark.django_db
def test_alive_link_does_not_cite_its_archived_copy() -> None:
    entry = EntryFactory(
        cached_link_status="alive", wayback_url="https://web.archive.org/web/1/x"
    )
    assert "archive_url" not in entry_to_csl(entry)
