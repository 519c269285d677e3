"""Importing the original Peru page (the seed) gives every field the page holds."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.legacy.services import import_files
from lantern.library.models import Access, CountryProfile, Entry, Helpline, SourcePage

pytestmark = pytest.mark.django_db


def test_seed_import_counts(seed_path: Path) -> None:
    report = import_files([seed_path])

    assert [(p.kind, p.country, p.status) for p in report.pages] == [
        ("country", "PE", "created")
    ]
    assert report.unparsed_count == 0
    page = SourcePage.objects.get()
    assert page.key == "country:PE"
    assert page.unparsed == []
    entries = Entry.objects.filter(source_page=page)
    assert entries.count() == 15
    assert entries.current().count() == 2
    assert entries.archived().count() == 13
    assert Access.objects.filter(entry__in=entries).count() == 20
    assert "pages 1" in report.summary()
    assert "entries 15 (current 2, archive 13; created 15)" in report.summary()
    assert "accesses 20" in report.summary()
    assert "unparsed 0" in report.summary()


def test_seed_entry_fields(seed_path: Path) -> None:
    import_files([seed_path])
    entries = list(Entry.objects.in_page_order())
    first = entries[0]
    assert first.title == "Report: Japan Sex Industry Ensnares Latin Women"
    assert first.source_line == "Associated Press AP, Lima Peru, April 30, 2005"
    assert first.publisher is not None and first.publisher.name == "Associated Press AP"
    assert first.place == "Lima Peru"
    assert first.published_iso == "2005-04-30"
    assert first.section == "current"
    assert len(first.excerpt) == 3
    assert [a.raw for a in first.ordered_accesses()] == ["[accessed 18 July 2013]"]

    borgen = entries[1]
    assert borgen.authors == ["Samantha Rodriguez-Silva"]
    assert (
        borgen.publisher is not None and borgen.publisher.name == "The Borgen Project"
    )

    findings = Entry.objects.get(page_ref="811")
    assert findings.title == "2017 Findings on the Worst Forms of Child Labor"
    assert findings.published_precision == "year"
    assert (
        findings.series is not None
        and findings.series.slug == "worst-forms-child-labor"
    )
    assert findings.edition_year == 2017
    assert len(findings.notes) == 1 and findings.notes[0].startswith("Note::")

    book = Entry.objects.get(format="book")
    assert book.title.startswith("Putting children's right of the local agenda")
    assert "[BOOK]" not in book.title
    assert book.published_iso == "2004"  # 01/01/2004 stands for "some time in 2004"
    doc = Entry.objects.get(format="doc")
    assert doc.title.endswith("April 2005 To March 2006")

    assert Entry.objects.exclude(notes=[]).count() == 2
    archived = Entry.objects.exclude(archived_copy_note="").get()
    assert archived.title == "Four Child Prostitution Rings Identified In Peru"
    assert archived.archived_copy_note.startswith(
        "At one time this article had been archived"
    )

    freedom = Entry.objects.get(title="Freedom House Country Report")
    assert freedom.source_line == "2020 Edition"
    assert freedom.published_iso == "2020"

    crc = Entry.objects.get(title__startswith="Concluding Observations")
    assert crc.excerpt[0].startswith("[7] ")
    # An access line is one verification each, oldest first.
    idb = Entry.objects.get(title__startswith="IDB launches")
    assert [a.accessed_on.isoformat() for a in idb.ordered_accesses()] == [
        "2010-12-16",
        "2018-02-11",
    ]


def test_seed_profile_and_helplines(seed_path: Path) -> None:
    import_files([seed_path])
    profile = CountryProfile.objects.get(country="PE")
    assert profile.official_name == "Republic of Peru"
    assert len(profile.background) == 2
    assert profile.background_source == "The World Factbook, U.S.C.I.A."
    assert profile.background_year == 2009
    assert profile.tip_summary[0].startswith(
        "Peru is a source, transit, and destination"
    )
    assert (
        profile.tip_source
        == "U.S. State Dept Trafficking in Persons Report, June, 2009"
    )
    assert (profile.tip_report_year, profile.tip_report_month) == (2009, 6)
    assert profile.tip_tier == "tier2"  # from the tier history for 2009

    ministry = Helpline.objects.get(organisation="Ministry of Interior")
    assert ministry.number_raw == "01518 0000"
    assert ministry.country_code_raw == "51-"
    assert ministry.e164 == "+5115180000" and ministry.is_valid
    hotline = Helpline.objects.get(number_raw="0800-2-3232")
    assert hotline.e164 == "+5180023232"
    assert hotline.source_entry is not None
    assert hotline.source_entry.title.startswith("IDB launches campaign")


def test_seed_reimport_changes_nothing(seed_path: Path) -> None:
    import_files([seed_path])
    before = {e.pk: (e.updated_at, e.cached_import_hash) for e in Entry.objects.all()}
    accesses = list(Access.objects.values_list("pk", flat=True))

    report = import_files([seed_path])

    assert report.pages[0].status == "unchanged"
    assert report.total("entries_created") == 0
    assert report.total("entries_updated") == 0
    assert {
        e.pk: (e.updated_at, e.cached_import_hash) for e in Entry.objects.all()
    } == before
    assert list(Access.objects.values_list("pk", flat=True)) == accesses
    assert Helpline.objects.count() == 2
    assert SourcePage.objects.count() == 1
