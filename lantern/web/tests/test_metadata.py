"""Embedded citation metadata on entry pages: Highwire `citation_*` tags, Dublin
Core and a COinS span, read back from the rendered page the way Zotero reads them."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs

import lxml.html
import pytest
from django.urls import reverse

from lantern.library.models import DatePrecision, Entry, Publisher
from lantern.library.tests.factories import EntryFactory, PublisherFactory
from lantern.web import metadata

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------- helpers


class Page:
    """An entry page parsed as a reference manager sees it."""

    def __init__(self, html: bytes) -> None:
        self.html = html.decode()
        self.doc = lxml.html.fromstring(html)

    def metas(self) -> list[tuple[str, str]]:
        return [
            (m.get("name"), m.get("content"))
            for m in self.doc.xpath("/html/head/meta[@name]")
        ]

    def values(self, name: str) -> list[str]:
        return [content for n, content in self.metas() if n == name]

    def first(self, name: str) -> str | None:
        values = self.values(name)
        return values[0] if values else None

    def coins(self) -> dict[str, list[str]]:
        spans = self.doc.xpath('//body//span[@class="Z3988"]')
        assert len(spans) == 1
        return parse_qs(spans[0].get("title"), strict_parsing=True)


def page_of(client, entry: Entry) -> Page:
    response = client.get(reverse("web:entry", args=[entry.pk]))
    assert response.status_code == 200
    return Page(response.content)


def publisher(name: str, kind: str = Publisher.Kind.NGO) -> Publisher:
    return PublisherFactory(name=name, name_key=name.lower(), kind=kind)


# -------------------------------------------------------- Zotero's reading, modelled
#
# What follows applies the rules of Zotero's "Embedded Metadata" translator (and of
# the RDF translator it passes DC.* tags to) as read in zotero/translators: Highwire
# fields first (the first tag of a name wins; `citation_date` is applied after
# `citation_publication_date`), creators from `citation_author` split as its
# `cleanAuthor` does (at the comma when there is one, else at the last space), pages
# from first and last page, the URL from `citation_public_url` or else the abstract
# page; Dublin Core fills only what Highwire left empty.


def zotero_clean_author(name: str, use_comma: bool) -> dict[str, str]:
    name = re.sub(r"^[\s.,/\[\]:]+|[\s.,/\[\]:]+$", "", name)
    if use_comma:
        last, _, first = name.partition(",")
        last, first = last.strip(), first.strip()
    else:
        first, _, last = name.rpartition(" ")
    words = [w for w in re.split(r"[\s.]+", first) if w]
    first = " ".join(w + "." if re.fullmatch(r"[A-Z]", w) else w for w in words)
    return {"lastName": last, "firstName": first}


def zotero_creators(nodes: list[str]) -> list[dict[str, str]]:
    creators = []
    for node in nodes:
        names = re.split(r"\s*;\s*", node)
        if len(names) == 1 and len(nodes) == 1:
            by_comma = re.split(r"\s*,\s*", names[0])
            if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1]:
                names = by_comma
        for name in names:
            name = name.strip()
            if name and re.search(r"[^\s,\-.;]", name):
                creators.append(zotero_clean_author(name, "," in name))
    return creators


DC_TYPES_ZOTERO = {
    "report": "report",
    "book": "book",
    "newsitem": "newspaperArticle",
    "webpage": "webpage",
}


def zotero_reads(page: Page) -> dict[str, object]:
    item: dict[str, object] = {}
    highwire = {
        "citation_title": "title",
        "citation_publication_date": "date",
        "citation_date": "date",
        "citation_technical_report_institution": "institution",
        "citation_publisher": "publisher",
        "citation_public_url": "url",
        "citation_language": "language",
    }
    for tag, field in highwire.items():
        value = page.first(tag)
        if value and value.strip():
            item[field] = " ".join(value.split())
    item["creators"] = zotero_creators(page.values("citation_author"))
    first, last = page.first("citation_firstpage"), page.first("citation_lastpage")
    if first:
        item["pages"] = first + (f"-{last}" if last else "")
    if "url" not in item and page.first("citation_abstract_html_url"):
        item["url"] = page.first("citation_abstract_html_url")
    if page.first("citation_technical_report_institution"):
        item["itemType"] = "report"
    else:
        dc_type = (page.first("DC.type") or "").lower().replace(" ", "")
        item["itemType"] = DC_TYPES_ZOTERO.get(dc_type, "journalArticle")
    # Dublin Core, for what Highwire did not say.
    fallbacks = {
        "DC.title": "title",
        "DC.date": "date",
        "DC.publisher": "publisher",
        "DC.source": "publicationTitle",
        "DC.language": "language",
    }
    for tag, field in fallbacks.items():
        value = page.first(tag)
        if value and field not in item:
            item[field] = value
    if not item["creators"]:
        item["creators"] = [
            zotero_clean_author(c, "," in c) for c in page.values("DC.creator")
        ]
    return item


def zotero_reads_coins(page: Page) -> dict[str, object]:
    """The COinS translator's reading (Zotero's parseContextObject), for the fields
    these pages use."""
    co = page.coins()
    one = {key: values[0] for key, values in co.items()}
    fmt = one["rft_val_fmt"]
    if fmt == "info:ofi/fmt:kev:mtx:book":
        kind = "report" if one.get("rft.genre") == "report" else "book"
        title = one.get("rft.btitle")
    else:
        kind = one.get("rft.type", "webpage")
        title = one.get("rft.title")
    creators: list[dict[str, object]] = [
        zotero_clean_author(a, "," in a) for a in co.get("rft.au", [])
    ]
    creators += [
        {"lastName": c, "isInstitution": True} for c in co.get("rft.aucorp", [])
    ]
    pages = one.get("rft.spage", "")
    if one.get("rft.epage"):
        pages = f"{pages}-{one['rft.epage']}"
    return {
        "itemType": kind,
        "title": title,
        "creators": creators,
        "date": one.get("rft.date"),
        "publisher": one.get("rft.pub") or one.get("rft.publisher"),
        "url": one.get("rft_id"),
        "pages": pages,
        "language": one.get("rft.language"),
    }


# ------------------------------------------------------------------ pure functions


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("pp. 12-15", ("12", "15")),
        ("pp. 12–15", ("12", "15")),
        ("p. 7", ("7", "")),
        ("811", ("811", "")),
        ("pages 3 to 5", ("3", "5")),
        ("xii-xiv", ("xii", "xiv")),
        ("12-12", ("12", "")),
        ("", ("", "")),
        ("chapter 3", ("", "")),
        ("12, 15", ("", "")),
    ],
)
def test_page_range(ref, expected):
    assert metadata.page_range(ref) == expected


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [
        ("María José Núñez", "Núñez", "María José"),
        ("Łukasz Wiśniewski", "Wiśniewski", "Łukasz"),
        ("Ana de la Cruz", "de la Cruz", "Ana"),
        ("Ludwig van Beethoven", "van Beethoven", "Ludwig"),
        ("Martin Luther King Jr.", "King", "Martin Luther, Jr."),
        ("Quispe, María", "Quispe", "María"),
        ("Madonna", "Madonna", ""),
    ],
)
def test_person_names_split_into_family_and_given(name, family, given):
    creator = metadata.person(name)
    assert (creator.family, creator.given) == (family, given)


@pytest.mark.parametrize(
    ("name", "organisation"),
    [
        ("UNICEF", True),
        ("Human Rights Watch", True),
        ("U.S. Department of State", True),
        ("María Quispe", False),
        ("Lily Céspedes", False),
        ("Samantha Rodriguez-Silva", False),
        ("Emily Post", False),
        ("Save the Children", True),
    ],
)
def test_organisations_are_told_from_persons(name, organisation):
    assert metadata.is_organisation(name) is organisation


def test_scholar_dates_follow_precision():
    day = dt.date(2020, 11, 5)
    assert metadata.scholar_date(day, DatePrecision.DAY) == "2020/11/05"
    assert metadata.scholar_date(day, DatePrecision.MONTH) == "2020/11"
    assert metadata.scholar_date(day, DatePrecision.YEAR) == "2020"
    assert metadata.scholar_date(day, DatePrecision.UNKNOWN) == ""
    assert metadata.scholar_date(None, DatePrecision.DAY) == ""


# --------------------------------------------------------------------- the page


def test_entry_page_carries_highwire_dublin_core_and_coins(client):
    entry = EntryFactory(
        title="The Fight Against Human Trafficking In Peru",
        authors=["Samantha Rodriguez-Silva"],
        publisher=publisher("The Borgen Project"),
        url="https://borgenproject.org/peru",
        language="en",
    )

    page = page_of(client, entry)
    page_url = f"http://testserver/entries/{entry.pk}/"

    assert page.first("citation_title") == entry.title
    assert page.values("citation_author") == ["Rodriguez-Silva, Samantha"]
    assert page.first("citation_publication_date") == "2020/11/25"
    assert page.first("citation_date") == "2020/11/25"
    assert page.first("citation_publisher") == "The Borgen Project"
    assert page.first("citation_public_url") == "https://borgenproject.org/peru"
    assert page.first("citation_abstract_html_url") == page_url
    assert page.first("citation_language") == "en"
    assert page.first("citation_pdf_url") is None
    assert page.first("citation_technical_report_institution") is None
    assert page.first("citation_journal_title") is None
    assert page.first("DC.title") == entry.title
    assert page.values("DC.creator") == ["Rodriguez-Silva, Samantha"]
    assert page.first("DC.date") == "2020-11-25"
    assert page.first("DC.publisher") == "The Borgen Project"
    assert page.first("DC.identifier") == "https://borgenproject.org/peru"
    assert page.first("DC.language") == "en"
    assert page.first("DC.type") == "Web Page"
    schema = page.doc.xpath('/html/head/link[@rel="schema.DC"]/@href')
    assert schema == ["http://purl.org/dc/elements/1.1/"]
    co = page.coins()
    assert co["ctx_ver"] == ["Z39.88-2004"]
    assert co["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:dc"]
    assert co["rft.title"] == [entry.title]
    assert co["rft.au"] == ["Rodriguez-Silva, Samantha"]
    assert co["rft.date"] == ["2020-11-25"]
    assert co["rft.publisher"] == ["The Borgen Project"]
    assert co["rft_id"] == ["https://borgenproject.org/peru"]


def test_no_author_and_no_publisher_emit_no_creator_tags(client):
    entry = EntryFactory(authors=[], publisher=None, source_line="")

    page = page_of(client, entry)

    names = {name for name, _ in page.metas()}
    assert not names & {
        "citation_author",
        "citation_publisher",
        "citation_technical_report_institution",
        "DC.creator",
        "DC.publisher",
        "DC.source",
    }
    assert all(content for _, content in page.metas())  # nothing empty
    co = page.coins()
    assert not {"rft.au", "rft.aucorp", "rft.pub", "rft.publisher"} & co.keys()
    assert zotero_reads(page)["creators"] == []


def test_organisation_author_is_not_inverted(client):
    unodc = publisher(
        "United Nations Office on Drugs and Crime", Publisher.Kind.INTERGOVERNMENTAL
    )
    entry = EntryFactory(authors=[], publisher=unodc, format=Entry.Format.PDF)

    page = page_of(client, entry)

    assert page.values("citation_author") == [unodc.name]
    assert page.values("DC.creator") == [unodc.name]
    assert page.first("citation_technical_report_institution") == unodc.name
    assert page.first("DC.type") == "Report"
    co = page.coins()
    assert co["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:book"]
    assert co["rft.genre"] == ["report"]
    assert co["rft.btitle"] == [entry.title]
    assert co["rft.aucorp"] == [unodc.name]
    assert "rft.au" not in co
    assert co["rft.pub"] == [unodc.name]


def test_organisation_named_among_authors_is_kept_whole(client):
    entry = EntryFactory(authors=["UNICEF", "Ana de la Cruz"])

    page = page_of(client, entry)

    assert page.values("citation_author") == ["UNICEF", "de la Cruz, Ana"]
    co = page.coins()
    assert co["rft.aucorp"] == ["UNICEF"]
    assert co["rft.au"] == ["de la Cruz, Ana"]


def test_two_persons_with_non_ascii_names(client):
    entry = EntryFactory(authors=["María José Núñez", "Łukasz Wiśniewski"])

    page = page_of(client, entry)

    expected = ["Núñez, María José", "Wiśniewski, Łukasz"]
    assert page.values("citation_author") == expected
    assert page.values("DC.creator") == expected
    assert page.coins()["rft.au"] == expected
    assert "Núñez" in page.html  # UTF-8 text, not mangled


def test_year_only_date(client):
    entry = EntryFactory(
        published_raw="2019",
        published_date=dt.date(2019, 1, 1),
        published_precision=DatePrecision.YEAR,
    )

    page = page_of(client, entry)

    assert page.first("citation_publication_date") == "2019"
    assert page.first("citation_date") == "2019"
    assert page.first("DC.date") == "2019"
    assert page.coins()["rft.date"] == ["2019"]


def test_month_precision_date(client):
    entry = EntryFactory(
        published_raw="May 2008",
        published_date=dt.date(2008, 5, 1),
        published_precision=DatePrecision.MONTH,
    )

    page = page_of(client, entry)

    assert page.first("citation_publication_date") == "2008/05"
    assert page.first("DC.date") == "2008-05"


def test_missing_date_emits_no_date(client):
    entry = EntryFactory(
        published_raw="",
        published_date=None,
        published_precision=DatePrecision.UNKNOWN,
    )

    page = page_of(client, entry)

    names = {name for name, _ in page.metas()}
    assert not names & {"citation_publication_date", "citation_date", "DC.date"}
    assert "rft.date" not in page.coins()


def test_pdf_with_page_range(client):
    entry = EntryFactory(
        format=Entry.Format.PDF,
        url="https://www.unodc.org/documents/glotip.pdf",
        page_ref="pp. 12–15",
    )

    page = page_of(client, entry)

    assert (
        page.first("citation_pdf_url") == "https://www.unodc.org/documents/glotip.pdf"
    )
    assert page.first("citation_firstpage") == "12"
    assert page.first("citation_lastpage") == "15"
    co = page.coins()
    assert (co["rft.spage"], co["rft.epage"]) == (["12"], ["15"])


def test_single_page_reference(client):
    entry = EntryFactory(page_ref="p. 7")

    page = page_of(client, entry)

    assert page.first("citation_firstpage") == "7"
    assert page.first("citation_lastpage") is None


def test_unsafe_source_address_is_left_out(client):
    entry = EntryFactory(url="javascript:alert(1)")

    page = page_of(client, entry)

    assert page.first("citation_public_url") is None
    assert page.first("DC.identifier") is None
    assert page.coins()["rft_id"] == [f"http://testserver/entries/{entry.pk}/"]


def test_markup_in_a_title_stays_text(client):
    title = '<script>alert("x")</script> Trafficking & "forced" labour'
    entry = EntryFactory(title=title, authors=["Ana <b>Bold</b>"])

    page = page_of(client, entry)

    assert page.first("citation_title") == title
    assert page.first("DC.title") == title
    assert page.coins()["rft.title"] == [title]
    assert '<script>alert("x")' not in page.html
    # The only script is the site's own quick-exit file.
    assert [s.get("src") for s in page.doc.xpath("//script")] == [
        "/static/web/quick-exit.js"
    ]
    assert not page.doc.xpath("//b")


def test_coins_title_parses_back_to_the_same_fields(client):
    entry = EntryFactory(
        title="Trafficking; 50% & more = a ‘crisis’? #1",
        authors=["José Pérez"],
        publisher=publisher("Ministerio del Interior", Publisher.Kind.GOVERNMENT),
        format=Entry.Format.PDF,
        url="https://example.org/informe?id=3&lang=es",
        page_ref="pp. 3-9",
        language="es",
    )

    page = page_of(client, entry)
    raw = page.doc.xpath('//span[@class="Z3988"]/@title')[0]

    assert " " not in raw and "+" not in raw  # every value percent-encoded
    assert page.coins() == {
        "ctx_ver": ["Z39.88-2004"],
        "rft_val_fmt": ["info:ofi/fmt:kev:mtx:book"],
        "rft.genre": ["report"],
        "rft.btitle": ["Trafficking; 50% & more = a ‘crisis’? #1"],
        "rft.au": ["Pérez, José"],
        "rft.date": ["2020-11-25"],
        "rft.pub": ["Ministerio del Interior"],
        "rft.spage": ["3"],
        "rft.epage": ["9"],
        "rft.language": ["es"],
        "rft_id": ["https://example.org/informe?id=3&lang=es"],
    }


# ------------------------------------------------------------ as Zotero reads it


def test_zotero_reads_a_report_with_two_persons_and_pages(client):
    entry = EntryFactory(
        title="Trafficking in Persons Report",
        authors=["María José Núñez", "John R. Carter"],
        publisher=publisher("U.S. Department of State", Publisher.Kind.GOVERNMENT),
        format=Entry.Format.PDF,
        url="https://www.state.gov/tip-2010.pdf",
        page_ref="pp. 12-15",
        language="en",
    )

    item = zotero_reads(page_of(client, entry))

    assert item["itemType"] == "report"
    assert item["title"] == "Trafficking in Persons Report"
    assert item["creators"] == [
        {"lastName": "Núñez", "firstName": "María José"},
        {"lastName": "Carter", "firstName": "John R."},
    ]
    assert item["date"] == "2020/11/25"
    assert item["publisher"] == "U.S. Department of State"
    assert item["institution"] == "U.S. Department of State"
    assert item["url"] == "https://www.state.gov/tip-2010.pdf"
    assert item["pages"] == "12-15"
    assert item["language"] == "en"


def test_zotero_reads_a_news_article_as_one(client):
    entry = EntryFactory(
        title="Slavery in Peru",
        authors=["Lily Céspedes"],
        publisher=publisher("Latin American Press", Publisher.Kind.NEWS),
        published_date=dt.date(2008, 5, 5),
        url="http://www.latinamericanpress.org/slavery",
    )

    item = zotero_reads(page_of(client, entry))

    assert item["itemType"] == "newspaperArticle"
    assert item["publicationTitle"] == "Latin American Press"
    assert item["creators"] == [{"lastName": "Céspedes", "firstName": "Lily"}]
    assert item["date"] == "2008/05/05"
    assert item["url"] == "http://www.latinamericanpress.org/slavery"


def test_zotero_reads_a_one_word_organisation_as_a_single_field(client):
    entry = EntryFactory(authors=[], publisher=publisher("UNICEF"))

    item = zotero_reads(page_of(client, entry))

    assert item["creators"] == [{"lastName": "UNICEF", "firstName": ""}]


def test_zotero_embedded_metadata_cannot_keep_a_longer_organisation_whole(client):
    """A known limit of Highwire and DC tags: Zotero's Embedded Metadata splits every
    author at its last space. The COinS span (which Zotero tries first) marks the
    organisation, and there it stays whole."""
    entry = EntryFactory(
        authors=[], publisher=publisher("Human Rights Watch"), format=Entry.Format.PDF
    )

    page = page_of(client, entry)

    assert zotero_reads(page)["creators"] == [
        {"lastName": "Watch", "firstName": "Human Rights"}
    ]
    assert zotero_reads_coins(page)["creators"] == [
        {"lastName": "Human Rights Watch", "isInstitution": True}
    ]


def test_zotero_reads_the_coins_span_like_the_tags(client):
    entry = EntryFactory(
        title="Trafficking in Persons Report",
        authors=["Ana de la Cruz"],
        publisher=publisher("U.S. Department of State", Publisher.Kind.GOVERNMENT),
        format=Entry.Format.PDF,
        url="https://www.state.gov/tip-2010.pdf",
        page_ref="p. 811",
    )

    item = zotero_reads_coins(page_of(client, entry))

    assert item == {
        "itemType": "report",
        "title": "Trafficking in Persons Report",
        "creators": [{"lastName": "de la Cruz", "firstName": "Ana"}],
        "date": "2020-11-25",
        "publisher": "U.S. Department of State",
        "url": "https://www.state.gov/tip-2010.pdf",
        "pages": "811",
        "language": "en",
    }


def test_zotero_falls_back_to_the_entry_page_without_a_source_address(client):
    entry = EntryFactory(url="")

    item = zotero_reads(page_of(client, entry))

    assert item["url"] == f"http://testserver/entries/{entry.pk}/"


def test_zotero_splits_a_lone_author_with_spaces_on_both_sides_of_the_comma(client):
    """A quirk of Zotero's Embedded Metadata, written down: with one author tag only,
    "Family Name, Given Names" (spaces on both sides of the comma) is taken for two
    authors. The COinS span is read by name and keeps the person whole."""
    entry = EntryFactory(authors=["Ana María de la Cruz"])

    page = page_of(client, entry)

    assert page.values("citation_author") == ["de la Cruz, Ana María"]
    assert len(zotero_reads(page)["creators"]) == 2
    assert zotero_reads_coins(page)["creators"] == [
        {"lastName": "de la Cruz", "firstName": "Ana María"}
    ]
