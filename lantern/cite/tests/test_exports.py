"""BibTeX, RIS and CSL-JSON exports, read back by independent parsers."""

from __future__ import annotations

import json

import bibtexparser
import rispy

from lantern.cite.services import cite_entries


def _entries(library):  # type: ignore[no-untyped-def]
    return [library.ilo, library.news, library.anonymous, library.book]


def test_bibtex_round_trips_through_bibtexparser(library) -> None:  # type: ignore[no-untyped-def]
    parsed = bibtexparser.parse_string(cite_entries(_entries(library), "bibtex"))
    assert not parsed.failed_blocks
    ilo, news, anonymous, book = parsed.entries
    assert ilo.entry_type == "techreport"
    assert (
        ilo["title"]
        == "{Global estimates of modern slavery: forced labour and forced marriage}"
    )
    assert ilo["author"] == "{International Labour Organization}"
    assert ilo["institution"] == "International Labour Organization"
    assert ilo["year"] == "2017"
    assert ilo["url"] == "https://www.ilo.org/global/publications/slavery.pdf"
    assert ilo["urldate"] == "2021-03-04"
    assert ilo["note"] == "Cited page: 14"
    assert news.entry_type == "article"
    assert news["author"] == "Núñez, José and Ødegaard, Zoë"
    assert news["journal"] == "El Comercio"
    assert news["year"] == "2019"
    assert news["url"] == "https://elcomercio.pe/peru/pescadores"
    assert anonymous.entry_type == "misc"
    assert "author" not in anonymous.fields_dict and "year" not in anonymous.fields_dict
    assert anonymous["note"] == (
        "Archived copy: \\url{https://web.archive.org/web/2015/http://example.org/testland}"
    )
    assert book.entry_type == "book"
    assert book["publisher"] == "Oxford University Press"
    assert book["year"] == "2015"
    assert len({e.key for e in parsed.entries}) == 4


def test_bibtex_names_split_into_persons(library) -> None:  # type: ignore[no-untyped-def]
    from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

    parsed = bibtexparser.parse_string(
        cite_entries([library.news, library.snapshot], "bibtex"),
        append_middleware=[SeparateCoAuthors(), SplitNameParts()],
    )
    news, snapshot = parsed.entries
    assert [(n.last, n.first) for n in news["author"]] == [
        (["Núñez"], ["José"]),
        (["Ødegaard"], ["Zoë"]),
    ]
    assert [n.last for n in snapshot["author"]] == [["{de la Cruz}"]]


def test_bibtex_escapes_special_characters(library) -> None:  # type: ignore[no-untyped-def]
    library.book.title = "Profits & losses: 100% {forced} labour_costs"
    library.book.save()
    text = cite_entries([library.book], "bibtex")
    assert r"title = {{Profits \& losses: 100\% \{forced\} labour\_costs}}" in text
    assert not bibtexparser.parse_string(text).failed_blocks


def test_ris_round_trips_through_rispy(library) -> None:  # type: ignore[no-untyped-def]
    ilo, news, anonymous, book = rispy.loads(cite_entries(_entries(library), "ris"))
    assert ilo["type_of_reference"] == "RPRT"
    assert (
        ilo["title"]
        == "Global estimates of modern slavery: forced labour and forced marriage"
    )
    assert ilo["authors"] == ["International Labour Organization"]
    assert ilo["publisher"] == "International Labour Organization"
    assert ilo["year"] == "2017"
    assert ilo["urls"] == ["https://www.ilo.org/global/publications/slavery.pdf"]
    assert ilo["access_date"] == "2021/03/04"
    assert ilo["notes"] == ["Cited page: 14"]
    assert news["type_of_reference"] == "NEWS"
    assert news["authors"] == ["Núñez, José", "Ødegaard, Zoë"]
    assert news["secondary_title"] == "El Comercio"
    assert news["year"] == "2019"
    assert anonymous["type_of_reference"] == "ELEC"
    assert "authors" not in anonymous and "year" not in anonymous
    assert anonymous["notes"] == [
        "Archived copy: https://web.archive.org/web/2015/http://example.org/testland"
    ]
    assert book["type_of_reference"] == "BOOK"
    assert book["publisher"] == "Oxford University Press"
    assert book["place_published"] == "Oxford"
    assert book["year"] == "2015"


def test_csl_json_is_a_list_of_standard_items(library) -> None:  # type: ignore[no-untyped-def]
    items = json.loads(cite_entries(_entries(library), "csl-json"))
    assert isinstance(items, list) and len(items) == 4
    for item in items:
        assert {"id", "type", "title"} <= item.keys()
        assert "archive_url" not in item and "cited_page" not in item
    assert items[0]["id"] == f"entry-{library.ilo.pk}"
    assert items[0]["note"] == "Cited page: 14"
    assert items[1]["author"][0] == {"family": "Núñez", "given": "José"}
    assert items[2]["note"].startswith("Archived copy: https://web.archive.org/")
