"""The reading list's files, read back as a reader's tools would read them:
Word with python-docx, BibTeX with bibtexparser, RIS with rispy, HTML with lxml."""

from __future__ import annotations

import io

import bibtexparser
import docx
import lxml.html
import pytest
import rispy
from django.test import Client

from lantern.library.models import Entry
from lantern.library.tests.factories import EntryFactory
from lantern.readinglist.cookie import COOKIE
from lantern.readinglist.exports import markdown_of, runs_of
from lantern.readinglist.tests.conftest import Shelf, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(shelf: Shelf) -> Client:
    """A reader whose list is Zebra (Okafor), Migrant (Mendes), Answers
    (Baptiste): neither alphabetical by title nor by author."""
    client = Client()
    client.cookies[COOKIE] = signed([shelf.a.pk, shelf.c.pk, shelf.b.pk])
    return client


def in_list_order(shelf: Shelf) -> list[Entry]:
    return [shelf.a, shelf.c, shelf.b]


def by_author(shelf: Shelf) -> list[Entry]:
    """APA's order: Baptiste, Mendes, Okafor."""
    return [shelf.b, shelf.c, shelf.a]


def order_in(text: str, entries: list[Entry]) -> list[Entry]:
    """`entries` in the order their titles appear in `text` (each must; MLA
    capitalises titles, so case is ignored)."""
    folded = text.casefold()
    for entry in entries:
        assert entry.title.casefold() in folded, entry.title
    return sorted(entries, key=lambda e: folded.index(e.title.casefold()))


def download(client: Client, url: str, content_type: str, filename: str):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    return response


def test_bibtex_keeps_the_list_order(reader: Client, shelf: Shelf) -> None:
    response = download(
        reader, "/reading-list/export.bib", "application/x-bibtex", "reading-list.bib"
    )
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    titles = [entry.fields_dict["title"].value.strip("{}") for entry in library.entries]
    assert titles == [e.title for e in in_list_order(shelf)]


def test_ris_keeps_the_list_order(reader: Client, shelf: Shelf) -> None:
    response = download(
        reader,
        "/reading-list/export.ris",
        "application/x-research-info-systems",
        "reading-list.ris",
    )
    records = rispy.loads(response.content.decode())
    titles = [r.get("title") or r.get("primary_title") for r in records]
    assert titles == [e.title for e in in_list_order(shelf)]


def test_docx_has_the_bibliography_with_italics(reader: Client, shelf: Shelf) -> None:
    response = download(
        reader,
        "/reading-list/export.docx?style=apa",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "reading-list-apa.docx",
    )
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = [p for p in document.paragraphs if "Report" not in p.style.name]
    assert paragraphs[0].text == "Reading list"
    references = [
        p for p in paragraphs if any(e.title in p.text for e in by_author(shelf))
    ]
    assert [
        next(e for e in by_author(shelf) if e.title in p.text) for p in references
    ] == by_author(shelf)
    # APA sets a web page's title in italics: the run is italic, the rest not.
    first = references[0]
    italic = "".join(r.text for r in first.runs if r.italic)
    assert shelf.b.title in italic
    assert "Baptiste" in "".join(r.text for r in first.runs if not r.italic)


def test_numbered_style_keeps_the_list_order(reader: Client, shelf: Shelf) -> None:
    response = download(
        reader,
        "/reading-list/export.txt?style=ieee",
        "text/plain",
        "reading-list-ieee.txt",
    )
    text = response.content.decode()
    assert order_in(text, in_list_order(shelf)) == in_list_order(shelf)


def test_markdown_text_and_html_follow_the_style(reader: Client, shelf: Shelf) -> None:
    md = download(
        reader,
        "/reading-list/export.md?style=apa",
        "text/markdown",
        "reading-list-apa.md",
    ).content.decode()
    assert md.startswith("# Reading list\n")
    assert order_in(md, by_author(shelf)) == by_author(shelf)
    assert f"*{shelf.b.title}*" in md

    text = download(
        reader, "/reading-list/export.txt", "text/plain", "reading-list-apa.txt"
    ).content.decode()
    assert order_in(text, by_author(shelf)) == by_author(shelf)
    assert "<i>" not in text and "*" not in text
    assert "http://testserver/reading-list/shared/?ids=" in text

    html = download(
        reader,
        "/reading-list/export.html?style=mla",
        "text/html",
        "reading-list-mla.html",
    ).content.decode()
    doc = lxml.html.fromstring(html)
    assert doc.findtext(".//title") == "Reading list"
    entries = [p.text_content() for p in doc.xpath("//p[@class='csl-entry']")]
    assert len(entries) == 3
    assert order_in("\n".join(entries), by_author(shelf)) == by_author(shelf)
    assert doc.xpath("//p[@class='csl-entry']//i")


def test_shared_list_exports_in_its_order(shelf: Shelf) -> None:
    client = Client()
    ids = f"{shelf.c.pk},{shelf.a.pk}"
    response = download(
        client,
        f"/reading-list/shared/export.bib?ids={ids}",
        "application/x-bibtex",
        "shared-reading-list.bib",
    )
    library = bibtexparser.parse_string(response.content.decode())
    titles = [entry.fields_dict["title"].value.strip("{}") for entry in library.entries]
    assert titles == [shelf.c.title, shelf.a.title]


def test_hostile_title_is_escaped_in_the_exports(db) -> None:
    hostile = EntryFactory(title='<script>alert("x")</script> *bold* & [link](x)')
    client = Client()
    client.cookies[COOKIE] = signed([hostile.pk])
    html = client.get("/reading-list/export.html").content.decode()
    doc = lxml.html.fromstring(html)
    assert not doc.xpath("//script")
    assert (
        '<script>alert("x")</script>'
        in doc.xpath("//p[@class='csl-entry']")[0].text_content()
    )
    md = client.get("/reading-list/export.md").content.decode()
    assert "<script>" not in md
    assert r"\<script\>" in md and r"\*bold\*" in md and r"\[link\](x)" in md


def test_runs_keep_emphasis_and_decode_entities() -> None:
    runs = runs_of(
        "Okafor, N. (2020). <i>Fish &amp; ships</i>. <b>Bold</b> "
        '<span style="font-variant:small-caps;">Caps</span><sup>2</sup> '
        '<a href="https://example.org/a_(b)">link</a>'
    )
    assert [(r.text, r.italic) for r in runs if r.italic] == [("Fish & ships", True)]
    assert any(r.bold and r.text == "Bold" for r in runs)
    assert any(r.small_caps and r.text == "Caps" for r in runs)
    assert any(r.superscript and r.text == "2" for r in runs)
    assert any(r.href == "https://example.org/a_(b)" for r in runs)
    md = markdown_of('<i>Title </i>1. <a href="https://example.org/a (b)">here</a>')
    assert md == "*Title* 1. [here](https://example.org/a%20%28b%29)"
    assert markdown_of("1. Not a list") == r"1\. Not a list"


@pytest.mark.parametrize("shared", [False, True])
def test_every_download_link_on_the_page_works(
    reader: Client, shelf: Shelf, shared: bool
) -> None:
    url = "/reading-list/?style=harvard"
    if shared:
        url = f"/reading-list/shared/?ids={shelf.b.pk},{shelf.a.pk}&style=harvard"
    doc = lxml.html.fromstring(reader.get(url).content.decode())
    links = doc.xpath("//p[@class='cite-exports']/a")
    assert [a.text for a in links] == [
        "HTML",
        "Markdown",
        "Plain text",
        "Word (DOCX)",
        "BibTeX",
        "RIS",
    ]
    for link in links:
        response = reader.get(link.get("href"))
        assert response.status_code == 200, link.get("href")
        name = response["Content-Disposition"]
        assert name.startswith('attachment; filename="')
        assert ("shared-reading-list" in name) == shared
        if link.text not in ("BibTeX", "RIS"):
            assert "-harvard." in name
