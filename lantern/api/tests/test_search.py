"""`/api/search` answers as the site's search does: the same hits in the same
order, the same total and facet counts as `run_search` for the same query."""

from __future__ import annotations

import pytest

from lantern.api.tests.conftest import get_json
from lantern.search.facets import Filters
from lantern.search.services import run_search

CASES = [
    ({"q": "cocoa"}, {}),
    ({"q": "report", "sort": "published"}, {}),
    ({"q": "cocoa", "country": "GH"}, {"country": ["GH"]}),
    ({"q": "report", "type": "pdf"}, {"format": ["pdf"]}),
    ({"q": "mining OR cocoa", "kind": "news"}, {"kind": ["news"]}),
    ({"q": "", "country": ["PE", "BO"]}, {"country": ["PE", "BO"]}),
    (
        {"q": "", "decade": "2010", "status": "unchecked"},
        {"decade": ["2010"], "status": ["unchecked"]},
    ),
    ({"q": "-cocoa report", "topic": "forced-labour"}, {"topic": ["forced-labour"]}),
    ({"q": "labour", "region": "Asia"}, {"region": ["Asia"]}),
    (
        {"q": "", "year": "2014", "section": "current"},
        {"year": ["2014"], "section": ["current"]},
    ),
]


@pytest.mark.parametrize(("params", "filters"), CASES)
def test_search_matches_run_search(client, library, params, filters):
    data = get_json(client, "/api/search", limit=500, **params)
    page = run_search(
        params["q"],
        filters=Filters.from_params(filters),
        sort=params.get("sort", "relevance"),
        per_page=500,
    )
    assert [r["id"] for r in data["results"]] == [f.entry.pk for f in page.found]
    assert data["total"] == page.total
    assert data["results"] or params["q"] == "-cocoa report"
    expected = {
        g.key: [(v.value, v.count, v.selected) for v in g.values] for g in page.facets
    }
    found = {
        f["key"]: [(v["value"], v["count"], v["selected"]) for v in f["values"]]
        for f in data["facets"]
    }
    assert found == expected


def test_results_carry_scores_snippets_and_the_entry_fields(client, library):
    data = get_json(client, "/api/search", q="cocoa")
    assert data["total"] == 3
    first = data["results"][0]
    assert first["id"] == library.cocoa.pk
    assert first["title_html"].startswith("<mark>Cocoa</mark>")
    assert first["score"] > 0
    assert first["countries"] == ["GH"]
    assert first["site_url"] == f"http://testserver/entries/{library.cocoa.pk}/"
    script = get_json(client, "/api/search", q="kilns")["results"][0]
    assert "<script>" not in script["snippet_html"]
    assert "&lt;script&gt;" in script["snippet_html"]
    assert "<script>" in script["snippet"]


def test_facets_are_named_by_the_api_parameter(client, library):
    data = get_json(client, "/api/search", q="report", type="pdf")
    formats = next(f for f in data["facets"] if f["key"] == "format")
    assert formats["parameter"] == "type"
    assert {v["value"]: v["selected"] for v in formats["values"]}["pdf"] is True
    assert data["filters"] == {"type": ["pdf"]}
    countries = next(f for f in data["facets"] if f["key"] == "country")
    peru_pdfs = sum(1 for e in library.peru if e.format == "pdf")
    assert peru_pdfs == 4
    assert {"value": "PE", "label": "Peru", "count": 4, "selected": False} in (
        countries["values"]
    )


def test_no_words_lists_the_library_newest_first(client, library):
    data = get_json(client, "/api/search", limit=500)
    assert data["total"] == 16
    dates = [r["published_date"] for r in data["results"]]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(
    ("params", "parameter", "words"),
    [
        ({"q": '"unclosed'}, "q", "quotation mark"),
        ({"q": "-cocoa"}, "q", "not only what to leave out"),
        ({"q": "!!!"}, "q", "no word to look for"),
        ({"q": "a\x00b"}, "q", "control characters"),
        ({"q": "x" * 1001}, "q", "1000"),
        ({"country": "Peru"}, "country", ""),
        ({"decade": "1700"}, "decade", "not one of its values"),
        ({"year": "20x4"}, "year", ""),
        ({"format": "pdf"}, "format", ""),
        ({"sort": "random"}, "sort", ""),
        ({"status": "gone"}, "status", ""),
    ],
)
def test_bad_searches_are_refused_naming_the_parameter(
    client, library, params, parameter, words
):
    error = get_json(client, "/api/search", expect=400, **params)
    assert error["parameter"] == parameter
    assert words in error["detail"]


def test_punctuation_with_a_filter_is_a_filtered_listing(client, library):
    data = get_json(client, "/api/search", q="!!!", country="GH")
    assert sorted(r["id"] for r in data["results"]) == library.ids(
        [library.cocoa, library.review]
    )
