"""`/search/cite/`: the results of a search cited or exported, the same entries in
the same order as the search page lists them."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import lxml.html
import pytest
from django.urls import reverse

from lantern.cite.services import cite_entries
from lantern.library.models import Entry
from lantern.library.tests.factories import EntryFactory
from lantern.web.cite_views import EXPORTS, STYLE_LABELS

SEARCH = reverse("search:search")
CITE = reverse("search:cite")


def doc_of(response):  # type: ignore[no-untyped-def]
    return lxml.html.fromstring(response.content.decode())


def listed(client, **params) -> list[Entry]:  # type: ignore[no-untyped-def]
    """The entries the search page lists, in its order."""
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    hrefs = doc_of(response).xpath("//article//h3/a/@href")
    ids = [int(href.rstrip("/").rsplit("/", 1)[1]) for href in hrefs]
    by_id = Entry.objects.in_bulk(ids)
    return [by_id[i] for i in ids]


def cite_link(client, **params) -> str:  # type: ignore[no-untyped-def]
    doc = doc_of(client.get(SEARCH, params))
    (link,) = doc.xpath("//p[@class='search-cite']/a[text()='Cite these results']")
    return str(link.get("href"))


def cited_ids(response) -> list[str]:  # type: ignore[no-untyped-def]
    return doc_of(response).xpath("//ul[@class='cite-list']/li/@data-item")


@pytest.mark.parametrize(
    "params",
    [
        {"q": "cocoa"},
        {"q": "cocoa", "sort": "published"},
        {"q": "cocoa", "country": "gh"},
        {"format": "pdf"},
    ],
)
def test_the_link_carries_the_search_and_cites_what_it_lists(client, library, params):
    href = cite_link(client, **params)
    parts = urlsplit(href)
    assert parts.path == CITE
    asked = sorted((k, v.casefold()) for k, v in parse_qsl(parts.query))
    assert asked == sorted((k, v.casefold()) for k, v in params.items())
    entries = listed(client, **params)
    assert entries
    # The export keeps the search's order.
    response = client.get(href + "&style=csl-json")
    assert response.status_code == 200
    ids = [item["id"] for item in json.loads(response.content)]
    assert ids == [f"entry-{e.pk}" for e in entries]
    # The bibliography has the same entries, sorted as the style sorts them.
    response = client.get(href)
    assert response.status_code == 200
    assert sorted(cited_ids(response)) == sorted(f"entry-{e.pk}" for e in entries)


@pytest.mark.parametrize("style", list(STYLE_LABELS))
def test_each_style_matches_the_engine(client, library, style):
    entries = listed(client, q="cocoa")
    response = client.get(CITE, {"q": "cocoa", "style": style})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    spans = doc_of(response).xpath("//span[@class='cite__reference']")
    shown = [" ".join(s.text_content().split()) for s in spans]
    expected = [
        " ".join(line.split())
        for line in cite_entries(entries, style).splitlines()
        if not line.startswith("    ")
    ]
    assert shown == expected
    assert "Bibliography (3 entries)" in doc_of(response).xpath("//h2/text()")


@pytest.mark.parametrize("fmt", list(EXPORTS))
def test_each_export_is_a_file_of_the_results(client, library, fmt):
    entries = listed(client, q="cocoa", sort="published")
    response = client.get(CITE, {"q": "cocoa", "sort": "published", "style": fmt})
    assert response.status_code == 200
    _label, content_type, ext = EXPORTS[fmt]
    assert response["Content-Type"] == f"{content_type}; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="lantern-search.{ext}"'
    )
    assert response.content.decode() == cite_entries(entries, fmt)


def test_results_past_the_cap_are_left_out_and_the_page_says_so(
    client, library, monkeypatch
):
    monkeypatch.setattr("lantern.search.views.SEARCH_CAP", 2)
    entries = listed(client, q="cocoa")
    assert len(entries) == 3
    doc = doc_of(client.get(SEARCH, {"q": "cocoa"}))
    assert (
        "the first 2 of 3" in doc.xpath("//p[@class='search-cite']")[0].text_content()
    )
    response = client.get(CITE, {"q": "cocoa"})
    assert response.status_code == 200
    assert sorted(cited_ids(response)) == sorted(f"entry-{e.pk}" for e in entries[:2])
    notice = doc_of(response).xpath("//p[@class='cite-notice']")[0].text_content()
    assert "found 3 entries; the first 2" in notice
    export = client.get(CITE, {"q": "cocoa", "style": "ris"})
    assert export.content.decode() == cite_entries(entries[:2], "ris")


def test_markup_in_a_result_is_inert(
    client, backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        EntryFactory(title='Kilns <script>alert("x")</script> & <i>debt</i>')
    response = client.get(CITE, {"q": "kilns"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<i>debt</i>" not in html
    (span,) = doc_of(response).xpath("//span[@class='cite__reference']")
    assert '<script>alert("x")</script>' in span.text_content()


@pytest.mark.parametrize("style", ["nope-nope", "<b>apa</b>"])
def test_an_unknown_style_is_400(client, library, style):
    response = client.get(CITE, {"q": "cocoa", "style": style})
    assert response.status_code == 400
    assert "<b>apa</b>" not in response.content.decode()
    assert "style=apa" in doc_of(response).xpath("//li/code/text()")


@pytest.mark.parametrize("query", ["NOT cocoa", "a*"])
def test_a_search_that_cannot_be_read_is_400_with_its_message(client, library, query):
    response = client.get(CITE, {"q": query, "style": "bibtex"})
    assert response.status_code == 400
    (alert,) = doc_of(response).xpath("//p[@role='alert']")
    assert "could not be read" in alert.text_content()


def test_a_search_for_nothing_is_400(client, library):
    assert client.get(CITE).status_code == 400
    assert client.get(CITE, {"q": "!!!", "style": "ris"}).status_code == 400


def test_nothing_found_cites_nothing(client, library):
    response = client.get(CITE, {"q": "zeppelin"})
    assert response.status_code == 200
    assert cited_ids(response) == []
    assert "There is nothing to cite." in response.content.decode()
    doc = doc_of(client.get(SEARCH, {"q": "zeppelin"}))
    assert not doc.xpath("//p[@class='search-cite']")


def test_search_cite_is_get_only(client, library):
    assert client.post(CITE, {"q": "cocoa"}).status_code == 405


def _on_postgres() -> bool:
    from lantern.search.index import get_backend

    return get_backend().name == "postgres"


def test_query_count_is_bounded(client, library, django_assert_max_num_queries):
    # Entries and countries of the hits (2), the cited entries with their
    # accesses and snapshots (3), and on PostgreSQL the search itself (hits,
    # highlights, total: 3); none per entry.
    bound = 8 if library and _on_postgres() else 5
    for fmt in ("apa", "chicago-notes", "bibtex"):
        with django_assert_max_num_queries(bound):
            assert client.get(CITE, {"q": "cocoa", "style": fmt}).status_code == 200
