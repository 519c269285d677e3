"""Storing imported pages: idempotency, updates of changed pages, demo adoption,
HTML pages, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from lantern.legacy.services import import_files
from lantern.library.demo import load_demo
from lantern.library.models import Access, Entry, Helpline, SourcePage

pytestmark = pytest.mark.django_db

PAGE = """Main Menu
Street Children

Human Trafficking & Modern-day Slavery

Published reports & articles from 2000 to 2025

Republic of Chile

Chile has a long coastline and a mining economy.  [The World Factbook, U.S.C.I.A. 2010]

Chile is a destination country for people trafficked for forced labour. - U.S. State Dept Trafficking in Persons Report, June, 2010

HELP for Victims

Policía de Investigaciones
800 730 800
Country code: 56-

Vineyard workers found in debt to a labour contractor

La Tercera, Santiago Chile, March 3, 2011

www.latercera.example/vineyard

[accessed 5 April 2011]

Inspectors said the workers had been charged for food and transport.

*** ARCHIVES ***

Bolivian miners describe unpaid months in the north

Radio Cooperativa, Antofagasta, 2009-10-02

[accessed 16 December 2010]

[accessed 2 March 2015]

A group of men said they were kept at a mine camp without wages.

All material used herein reproduced under the fair use exception of 17 USC § 107.  Cite this webpage as: Patt, Prof. Martin, "Human Trafficking & Modern-day Slavery - Chile",, [accessed <date>]
"""


def write(tmp_path: Path, text: str, name: str = "Chile.htm.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_changed_page_updates_entries_in_place(tmp_path: Path) -> None:
    path = write(tmp_path, PAGE)
    import_files([path])
    vineyard = Entry.objects.get(title__startswith="Vineyard")
    checked = Access.objects.create(
        entry=vineyard, origin="checker", raw="", position=9
    )

    changed = PAGE.replace(
        "Inspectors said the workers had been charged for food and transport.",
        "Inspectors said the workers owed the contractor for food, tools and transport.",
    ).replace(
        "*** ARCHIVES ***",
        "New report on fishing crews\n\nCiper, Valparaíso, 2012\n\n[accessed 1 May 2012]\n\n"
        "Crews described long voyages.\n\n*** ARCHIVES ***",
    )
    write(tmp_path, changed)
    report = import_files([path])

    page_result = report.pages[0]
    assert (
        page_result.entries_created,
        page_result.entries_updated,
        page_result.entries_unchanged,
    ) == (1, 1, 1)
    vineyard.refresh_from_db()
    assert vineyard.excerpt == [
        "Inspectors said the workers owed the contractor for food, tools and transport."
    ]
    # The link checker's own access survives the re-import; the imported one is fresh.
    assert Access.objects.filter(pk=checked.pk).exists()
    assert Entry.objects.count() == 3
    assert SourcePage.objects.count() == 1


def test_entry_removed_from_page_is_removed(tmp_path: Path) -> None:
    path = write(tmp_path, PAGE)
    import_files([path])
    start = PAGE.index("Bolivian miners")
    end = PAGE.index("All material used")
    write(tmp_path, PAGE[:start] + PAGE[end:])
    report = import_files([path])
    assert report.pages[0].entries_removed == 1
    assert list(Entry.objects.values_list("title", flat=True)) == [
        "Vineyard workers found in debt to a labour contractor"
    ]


def test_same_page_from_another_folder_is_the_same_page(tmp_path: Path) -> None:
    first = write(tmp_path, PAGE, "Chile.htm")
    (tmp_path / "copy").mkdir()
    second = write(tmp_path / "copy", PAGE, "chile-saved.txt")
    import_files([first])
    report = import_files([second])
    assert report.pages[0].status == "unchanged"
    assert SourcePage.objects.get().file_path == str(second)
    assert Entry.objects.count() == 2


def test_helpline_from_help_block_is_validated(tmp_path: Path) -> None:
    import_files([write(tmp_path, PAGE)])
    helpline = Helpline.objects.get()
    assert helpline.organisation == "Policía de Investigaciones"
    assert helpline.country_id == "CL"
    assert helpline.e164 == "+56800730800"
    assert helpline.is_valid


def test_invalid_helpline_is_kept_and_flagged(tmp_path: Path) -> None:
    import_files([write(tmp_path, PAGE.replace("800 730 800", "12"))])
    helpline = Helpline.objects.get()
    assert helpline.number_raw == "12"
    assert not helpline.is_valid
    assert helpline.problem


def test_seed_import_replaces_demo_summaries_with_excerpts(seed_path: Path) -> None:
    assert load_demo()
    demo_ids = sorted(Entry.objects.values_list("pk", flat=True))
    assert Entry.objects.filter(excerpt_is_summary=True).count() == 15

    report = import_files([seed_path])

    assert report.total("entries_updated") == 15
    assert report.total("entries_created") == 0
    assert sorted(Entry.objects.values_list("pk", flat=True)) == demo_ids
    assert not Entry.objects.filter(excerpt_is_summary=True).exists()
    assert Access.objects.count() == 20
    assert Helpline.objects.filter(country="PE").count() == 2
    # Countries and topics the demo gave an entry stay.
    japan = Entry.objects.get(title__startswith="Report: Japan")
    assert set(japan.countries.values_list("code", flat=True)) == {"PE", "JP"}
    assert japan.topics.exists()


def test_html_page_keeps_links_as_urls(tmp_path: Path) -> None:
    html = """<html><head><meta charset="windows-1252"><title>Chile</title></head><body>
<p class=MsoNormal>Human Trafficking &amp; Modern-day Slavery</p>
<p class=MsoNormal>Published reports &amp; articles from 2000 to 2025</p>
<p class=MsoNormal>Republic of Chile</p>
<p class=MsoNormal><b><a href="http://news.example.cl/a?x=1&amp;y=2">Salmon farm
workers rescued</a></b></p>
<p class=MsoNormal><i>El Mostrador, Puerto Montt, 12 May 2014</i></p>
<p class=MsoNormal>[accessed 20 May 2014]</p>
<p class=MsoNormal>At one time this article had been archived and may possibly still be
accessible <a href="http://web.archive.example/2014/news">[here]</a></p>
<p class=MsoNormal>Workers said their passports were held by the company.</p>
</body></html>"""
    path = tmp_path / "Chile.htm"
    path.write_bytes(html.encode("cp1252"))
    report = import_files([path])
    assert report.pages[0].kind == "country"
    entry = Entry.objects.get()
    assert entry.title == "Salmon farm workers rescued"
    assert entry.url == "http://news.example.cl/a?x=1&y=2"
    assert entry.archived_copy_url == "http://web.archive.example/2014/news"
    assert entry.first_line == 5
    assert SourcePage.objects.get().rendering == "html"


def test_bad_files_are_reported_and_not_stored(tmp_path: Path) -> None:
    empty = write(tmp_path, "", "empty.txt")
    binary = tmp_path / "image.htm"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    recipe = write(
        tmp_path, "Lentil soup\n\nTwo cups of lentils.\n\nOne onion.\n", "r.txt"
    )
    good = write(tmp_path, PAGE)

    report = import_files([empty, binary, recipe, good])

    status = {Path(p.path).name: (p.status, p.kind, p.error) for p in report.pages}
    assert status["empty.txt"][0] == "error" and "empty" in status["empty.txt"][2]
    assert status["image.htm"][0] == "error" and "binary" in status["image.htm"][2]
    # An unrecognised page is kept with every line unparsed, and flagged.
    assert status["r.txt"][1] == "unknown"
    unknown = SourcePage.objects.get(kind="unknown")
    assert [u["text"] for u in unknown.unparsed] == [
        "Lentil soup",
        "Two cups of lentils.",
        "One onion.",
    ]
    assert status["Chile.htm.txt"][0] == "created"
    assert Entry.objects.count() == 2


def test_dry_run_writes_nothing(tmp_path: Path) -> None:
    report = import_files([write(tmp_path, PAGE)], dry_run=True)
    assert report.pages[0].status == "parsed"
    assert report.total("entries") == 2
    assert not SourcePage.objects.exists()
    assert not Entry.objects.exists()


def test_html_title_names_the_country_when_the_page_does_not(tmp_path: Path) -> None:
    html = """<html><head><title>Human Trafficking - Ecuador</title></head><body>
<p>Human Trafficking &amp; Modern-day Slavery</p>
<p>Published reports &amp; articles from 2000 to 2025</p>
<p><a href="http://news.example.ec/1">Flower farm workers paid in vouchers</a></p>
<p>El Comercio, Quito, 3 June 2012</p>
<p>[accessed 9 June 2012]</p>
<p>Workers said the vouchers could only be spent at the company store.</p>
</body></html>"""
    path = tmp_path / "page.htm"
    path.write_text(html, encoding="utf-8")
    report = import_files([path])
    assert report.pages[0].country == "EC"
    assert SourcePage.objects.get().key == "country:EC"


def test_helpline_dropped_from_the_page_is_removed_on_reimport(tmp_path: Path) -> None:
    path = write(tmp_path, PAGE)
    import_files([path])
    write(tmp_path, PAGE.replace("800 730 800", "800 220 040"))
    import_files([path])
    assert list(Helpline.objects.values_list("number_raw", flat=True)) == [
        "800 220 040"
    ]


def test_two_files_of_the_same_page_in_one_run(tmp_path: Path) -> None:
    first = write(tmp_path, PAGE, "Chile.htm")
    second = write(tmp_path, PAGE.replace("vineyard", "orchard"), "Chile-copy.htm")
    report = import_files([first, second])
    assert report.pages[1].status == "error"
    assert "the same page (country:CL) as" in report.pages[1].error
    # Run again: nothing changes, nothing flip-flops.
    again = import_files([first, second])
    assert again.pages[0].status == "unchanged"
    assert again.total("entries_created") == again.total("entries_removed") == 0


DUPLICATES = PAGE.replace(
    "*** ARCHIVES ***",
    "Annual report on trafficking\n\nFundacion Libre, Santiago, 2012\n\n"
    "www.libre.example/first\n\n[accessed 3 May 2013]\n\nThe first edition.\n\n"
    "Annual report on trafficking\n\nFundacion Libre, Santiago, 2012\n\n"
    "www.libre.example/second\n\n[accessed 4 May 2013]\n\nThe second edition.\n\n"
    "*** ARCHIVES ***",
)


def test_entries_with_the_same_title_keep_their_own_history(tmp_path: Path) -> None:
    path = write(tmp_path, DUPLICATES)
    import_files([path])
    second = Entry.objects.get(url="www.libre.example/second")
    check = Access.objects.create(entry=second, origin="checker", position=5)
    # The first of the twins leaves the page.
    start = DUPLICATES.index("Annual report on trafficking")
    end = DUPLICATES.index("Annual report on trafficking", start + 1)
    write(tmp_path, DUPLICATES[:start] + DUPLICATES[end:])
    report = import_files([path])
    assert report.pages[0].entries_removed == 1
    second.refresh_from_db()
    assert second.excerpt == ["The second edition."]
    assert Access.objects.filter(pk=check.pk, entry=second).exists()


def test_retitled_entry_with_the_same_url_is_the_same_entry(tmp_path: Path) -> None:
    path = write(tmp_path, PAGE)
    import_files([path])
    vineyard = Entry.objects.get(url="www.latercera.example/vineyard")
    write(
        tmp_path,
        PAGE.replace("Vineyard workers found in debt", "Vineyard workers in debt"),
    )
    report = import_files([path])
    assert report.pages[0].entries_updated == 1
    assert report.pages[0].entries_removed == 0
    vineyard.refresh_from_db()
    assert vineyard.title == "Vineyard workers in debt to a labour contractor"
