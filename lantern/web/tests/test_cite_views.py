"""Citations on the site: the entry page's "Cite this source" block and the cite
pages (styles as HTML, exports as files) of an entry and of a country."""

# ruff: noqa: F811  (tests take the cite app's `library` fixture by name)

from __future__ import annotations

import json

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantern.cite.services import cite_entries
from lantern.cite.tests.conftest import library  # noqa: F401  (the entries cited)
from lantern.library.models import Entry
from lantern.library.tests.factories import AccessFactory, CountryFactory, EntryFactory
from lantern.web.cite_views import EXPORTS, STYLE_LABELS, country_entries

pytestmark = pytest.mark.django_db

STYLES = list(STYLE_LABELS)


def doc_of(response):  # type: ignore[no-untyped-def]
    return lxml.html.fromstring(response.content.decode())


def references_html(response) -> list[str]:  # type: ignore[no-untyped-def]
    """The inner HTML of each reference on a cite page, as served."""
    doc = doc_of(response)
    found = []
    for span in doc.xpath("//ul[@class='cite-list']/li/span[@class='cite__reference']"):
        inner = (span.text or "") + "".join(
            lxml.html.tostring(child, encoding="unicode") for child in span
        )
        found.append(inner)
    return found


def expected_references(entries: list[Entry], style: str) -> list[str]:
    """What the citation engine gives for the same entries, as HTML, without the
    in-text lines."""
    lines = cite_entries(entries, style, format="html").splitlines()
    return [line for line in lines if not line.startswith("    ")]


def normalised(html: str) -> str:
    """HTML as lxml writes it back (entities and attribute quoting)."""
    fragment = lxml.html.fragment_fromstring(html, create_parent="span")
    return (fragment.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in fragment
    )


# ------------------------------------------------------------------ the entry page


def test_entry_page_shows_the_reference_in_each_named_style(client, library):
    entry = library.ilo
    response = client.get(entry.get_absolute_url())
    assert response.status_code == 200
    doc = doc_of(response)
    (section,) = doc.xpath("//section[@id='cite']")
    assert section.xpath("h2/text()") == ["Cite this source"]
    shown = {div.get("data-style"): div for div in section.xpath(".//div[@data-style]")}
    assert list(shown) == STYLES
    for style, div in shown.items():
        assert div.xpath("dt/text()") == [STYLE_LABELS[style]]
        (dd,) = div.xpath("dd")
        expected = expected_references([entry], style)
        reference = lxml.html.fragment_fromstring(expected[0], create_parent="div")
        assert " ".join(dd.text_content().split()).startswith(
            " ".join(reference.text_content().split())
        )
    # The title is in italics in APA (a report), with the page in the in-text line.
    apa = shown["apa"]
    assert entry.title in apa.xpath(".//i/text()")
    assert "In text: (International Labour Organization, 2017, p. 14)" in " ".join(
        apa.text_content().split()
    )


def test_entry_page_links_the_exports(client, library):
    entry = library.news
    doc = doc_of(client.get(entry.get_absolute_url()))
    base = reverse("web:entry-cite", args=[entry.pk])
    links = doc.xpath("//section[@id='cite']//p[@class='cite-exports']/a/@href")
    assert links == [
        f"{base}?style=bibtex",
        f"{base}?style=ris",
        f"{base}?style=csl-json",
        base,
    ]
    for href in links[:3]:
        assert client.get(href).status_code == 200


def test_entry_page_query_count_is_unchanged_by_the_cite_block(
    client, library, monkeypatch, django_assert_max_num_queries
):
    # The block is made from what the entry view fetched: no query of its own.
    url = library.snapshot.get_absolute_url()
    with CaptureQueriesContext(connection) as with_block:
        assert b"Cite this source" in client.get(url).content
    monkeypatch.setattr(
        "lantern.web.templatetags.lantern_cite.entry_cite_blocks", lambda *a: []
    )
    with CaptureQueriesContext(connection) as without_block:
        client.get(url)
    assert len(with_block) == len(without_block)
    monkeypatch.undo()
    with django_assert_max_num_queries(len(without_block)):
        assert b"Cite this source" in client.get(url).content


def test_markup_in_an_entry_is_inert_on_the_entry_page_and_cite_page(client, db):
    entry = EntryFactory(
        title='Bad <script>alert("x")</script> & <b>bold</b> report',
        authors=["<img src=x onerror=alert(1)>"],
    )
    for url in (entry.get_absolute_url(), reverse("web:entry-cite", args=[entry.pk])):
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<b>bold</b>" not in html
        doc = doc_of(response)
        assert not doc.xpath("//script[contains(., 'alert')]")
        assert not doc.xpath("//img[@onerror]")
    # The title is still there, as text.
    text = doc.xpath("//span[@class='cite__reference']")[0].text_content()
    assert '<script>alert("x")</script>' in text


# --------------------------------------------------------------- entry cite page


@pytest.mark.parametrize("style", [*STYLES, "ieee"])
def test_entry_cite_page_in_each_style_matches_the_engine(client, library, style):
    for entry in (library.ilo, library.news, library.anonymous, library.book):
        response = client.get(
            reverse("web:entry-cite", args=[entry.pk]), {"style": style}
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        shown = references_html(response)
        assert shown == [normalised(r) for r in expected_references([entry], style)]


def test_the_default_style_is_apa(client, library):
    url = reverse("web:entry-cite", args=[library.book.pk])
    assert references_html(client.get(url)) == references_html(
        client.get(url, {"style": "apa"})
    )
    doc = doc_of(client.get(url))
    assert doc.xpath("//strong[@aria-current='true']/text()") == [STYLE_LABELS["apa"]]


def test_the_reference_has_title_and_authors_as_the_style_writes_them(client, library):
    entry = library.news
    url = reverse("web:entry-cite", args=[entry.pk])
    for style in STYLES:
        doc = doc_of(client.get(url, {"style": style}))
        (span,) = doc.xpath("//span[@class='cite__reference']")
        shown = " ".join(span.text_content().split())
        # The same words as the engine's plain-text reference.
        (plain,) = expected_plain([entry], style)
        assert shown == plain
        assert "fishermen held at sea for years" in shown.casefold()
        assert "Núñez" in shown
        assert "Ødegaard" in shown


def expected_plain(entries: list[Entry], style: str) -> list[str]:
    lines = cite_entries(entries, style).splitlines()
    return [" ".join(line.split()) for line in lines if not line.startswith("    ")]


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_entry_export_is_a_file_download(client, library, fmt):
    entry = library.ilo
    response = client.get(reverse("web:entry-cite", args=[entry.pk]), {"style": fmt})
    assert response.status_code == 200
    _label, content_type, ext = EXPORTS[fmt]
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="lantern-entry-{entry.pk}.{ext}"'
    )
    assert response.content.decode() == cite_entries([entry], fmt)


def test_csl_json_export_is_json_with_the_entry(client, library):
    response = client.get(
        reverse("web:entry-cite", args=[library.book.pk]), {"style": "csl-json"}
    )
    (item,) = json.loads(response.content)
    assert item["title"] == "Modern slavery in the Andes"
    assert item["author"] == [{"family": "Smith", "given": "Anna B."}]


@pytest.mark.parametrize("style", ["no-such-style", "../apa", "APA<script>", "x" * 300])
def test_an_unknown_style_is_400_with_the_choices(client, library, style):
    response = client.get(
        reverse("web:entry-cite", args=[library.ilo.pk]), {"style": style}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>" not in html
    doc = doc_of(response)
    assert doc.xpath("//h1/text()") == ["Unknown citation style"]
    codes = doc.xpath("//li/code/text()")
    for name in [*STYLES, *EXPORTS]:
        assert f"style={name}" in codes


@pytest.mark.parametrize(
    ("style", "says"),
    [
        ("chicago-notes-publisher-place-no-url", "no bibliography"),
        ("french4", "rules it does not know"),
    ],
)
def test_a_style_citeproc_cannot_render_is_400_not_500(client, library, style, says):
    response = client.get(
        reverse("web:entry-cite", args=[library.news.pk]), {"style": style}
    )
    assert response.status_code == 400
    assert says in " ".join(doc_of(response).text_content().split())


def test_entry_cite_of_a_missing_entry_is_404(client, db):
    assert client.get(reverse("web:entry-cite", args=[999999])).status_code == 404


def test_cite_pages_are_get_only(client, library):
    url = reverse("web:entry-cite", args=[library.ilo.pk])
    assert client.post(url, {"style": "apa"}).status_code == 405
    url = reverse("web:country-cite", args=["qz"])
    assert client.post(url, {"style": "apa"}).status_code == 405


# ----------------------------------------------------------------- country cite


def test_country_page_links_to_its_cite_page(client, library):
    doc = doc_of(client.get(reverse("web:country", args=["qz"])))
    base = reverse("web:country-cite", args=["qz"])
    links = doc.xpath("//section[@id='cite']//p[@class='cite-sources']/a/@href")
    assert links == [
        base,
        f"{base}?style=bibtex",
        f"{base}?style=ris",
        f"{base}?style=csl-json",
    ]


@pytest.mark.parametrize("style", STYLES)
def test_country_cite_lists_the_country_entries(client, library, style):
    other = EntryFactory(
        title="Elsewhere entirely", primary_country=CountryFactory(code="QY")
    )
    response = client.get(reverse("web:country-cite", args=["qz"]), {"style": style})
    assert response.status_code == 200
    entries = country_entries("QZ")
    assert {e.pk for e in entries} == {
        library.ilo.pk,
        library.news.pk,
        library.anonymous.pk,
        library.book.pk,
        library.snapshot.pk,
    }
    shown = references_html(response)
    assert shown == [normalised(r) for r in expected_references(entries, style)]
    assert other.title not in response.content.decode()
    doc = doc_of(response)
    assert "Bibliography (5 entries)" in doc.xpath("//h2/text()")


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_country_export_in_page_order(client, library, fmt):
    response = client.get(reverse("web:country-cite", args=["qz"]), {"style": fmt})
    assert response.status_code == 200
    _label, content_type, ext = EXPORTS[fmt]
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="lantern-qz.{ext}"'
    entries = country_entries("QZ")
    assert response.content.decode() == cite_entries(entries, fmt)
    if fmt == "csl-json":
        ids = [item["id"] for item in json.loads(response.content)]
        assert ids == [f"entry-{e.pk}" for e in entries]
        assert ids[0] == f"entry-{library.ilo.pk}"  # position 1 first


def test_country_cite_of_an_unknown_country_is_404(client, db):
    assert client.get(reverse("web:country-cite", args=["zz"])).status_code == 404
    assert client.get("/countries/QZ/cite/").status_code == 404


def test_country_cite_query_count_is_bounded(
    client, library, django_assert_max_num_queries
):
    for i in range(10):
        entry = EntryFactory(
            title=f"Extra report {i}", primary_country=library.ilo.primary_country
        )
        AccessFactory(entry=entry)
    url = reverse("web:country-cite", args=["qz"])
    with django_assert_max_num_queries(6):
        assert client.get(url, {"style": "chicago"}).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(url, {"style": "bibtex"}).status_code == 200
