"""The `/search` page: what a reader sees, and that every state is a URL to share."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from django.urls import reverse

from lantern.library.tests.factories import EntryFactory
from lantern.search import index

URL = reverse("search:search")


def get(client, status: int = 200, **params):  # type: ignore[no-untyped-def]
    response = client.get(URL, params)
    assert response.status_code == status, response.content[:2000]
    return lxml.html.fromstring(response.content.decode())


def hit_titles(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return [" ".join(a.text_content().split()) for a in doc.xpath("//article//h3/a")]


def text(node) -> str:  # type: ignore[no-untyped-def]
    return " ".join(node.text_content().split())


def query_of(href: str) -> dict[str, list[str]]:
    parts = urlsplit(href)
    assert parts.path == URL
    return parse_qs(parts.query)


def facet_links(doc, key: str) -> dict[str, tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Label → (count, href) of one facet's values."""
    found = {}
    for li in doc.xpath(f"//section[@aria-labelledby='facet-{key}']//li"):
        link = li.xpath(".//a")[0]
        label = " ".join(
            t.strip() for t in link.xpath("text()") if t.strip() and t.strip() != "×"
        )
        count = text(li.xpath(".//span[@class='count']")[0])
        found[label] = (count, link.get("href"))
    return found


def test_the_empty_page_has_a_search_box(client, db):
    doc = get(client)
    (form,) = doc.xpath("//form[@role='search']")
    assert form.get("action") == URL
    assert form.xpath(".//input[@name='q' and @type='search']")
    assert form.xpath(".//label[@for='search-q']")
    assert not doc.xpath("//article")


def test_results_show_title_link_countries_publisher_date_and_snippet(client, library):
    doc = get(client, q="cocoa")
    assert text(doc.xpath("//h2[@id='results-heading']")[0]) == "1–3 of 3 entries"
    assert hit_titles(doc) == [
        library.cocoa_title.title,
        library.cocoa_thrice.title,
        library.cocoa_once.title,
    ]
    first = doc.xpath("//article")[0]
    assert first.xpath(".//h3/a")[0].get("href") == reverse(
        "web:entry", args=[library.cocoa_title.pk]
    )
    assert first.xpath(".//h3/a/mark/text()") == ["Cocoa"]
    meta = first.xpath(".//p[@class='search-hit__meta']")[0]
    assert "Ghana Daily Graphic" in text(meta)
    assert "May 1, 2014" in text(meta)
    ghana = library.cocoa_title.primary_country
    assert meta.xpath(".//a/@href") == [reverse("web:country", args=[ghana.slug])]
    assert meta.xpath(".//a/text()") == ["Ghana"]
    once = doc.xpath("//article")[2]
    assert [a.text for a in once.xpath(".//p[@class='search-hit__meta']/a")] == sorted(
        c.name for c in library.cocoa_once.countries.all()
    )
    snippet = first.xpath(".//p[@class='search-hit__snippet']")[0]
    assert "Ashanti" in text(snippet)


def test_each_result_can_go_on_the_reading_list_and_back_to_it(client, library):
    doc = get(client, q="cocoa")
    hit = library.cocoa_title
    (form,) = doc.xpath(f"//article[@aria-labelledby='hit-{hit.pk}']//form")
    assert form.get("method") == "post"
    assert form.xpath(f".//input[@name='entry' and @value='{hit.pk}']")

    next_url = form.xpath(".//input[@name='next']")[0].get("value")
    data = {"entry": str(hit.pk), "next": next_url}
    response = client.post(form.get("action"), data)

    assert response.status_code == 302
    assert response["Location"].endswith(f"#entry-{hit.pk}")
    back = get(client, q="cocoa")
    assert back.xpath(f"//*[@id='entry-{hit.pk}']")  # the anchor it returns to
    (button,) = back.xpath(f"//article[@aria-labelledby='hit-{hit.pk}']//button")
    assert "Remove from reading list" in text(button)


def test_a_script_in_an_excerpt_is_shown_as_text(client, library):
    response = client.get(URL, {"q": "bondage"})
    assert b"<script>alert(1)</script>" not in response.content
    doc = lxml.html.fromstring(response.content.decode())
    assert not doc.xpath("//article//script")
    snippet = text(doc.xpath("//p[@class='search-hit__snippet']")[0])
    assert "alert(1)" in snippet
    assert doc.xpath("//p[@class='search-hit__snippet']/mark/text()") == ["bondage"]


PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(2)>",
    '<a href="javascript:alert(3)">click</a>',
    "&lt;script&gt;alert(4)&lt;/script&gt;",
    "<scr<script>ipt>alert(5)</script>",
    '<iframe src="javascript:alert(6)"></iframe>',
]


def test_markup_in_titles_and_excerpts_is_inert_in_results(
    client, backend, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n, payload in enumerate(PAYLOADS):
            EntryFactory(
                title=f"Quarry bondage report {n} {payload}",
                excerpt=[f"Quarry workers {payload} escaped quarry bondage."],
            )
    response = client.get(URL, {"q": "quarry"})
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content.decode())
    hits = doc.xpath("//article")
    assert len(hits) == len(PAYLOADS)
    for hit in hits:
        for part in hit.xpath(".//h3/a | .//p[@class='search-hit__snippet']"):
            # Only the highlight's <mark> is markup; the payloads are text.
            assert {el.tag for el in part.iterdescendants()} <= {"mark"}
            for el in part.iter():
                assert not [a for a in el.attrib if a.startswith("on")]
    (main,) = doc.xpath("//main")
    assert not main.xpath(".//img | .//svg | .//iframe | .//script")
    assert not main.xpath(".//@*[starts-with(normalize-space(.), 'javascript:')]")


def test_a_query_echoed_back_is_escaped(client, library):
    response = client.get(URL, {"q": '<b onmouseover="x">cocoa</b>'})
    assert response.status_code == 200
    assert b'<b onmouseover="x">' not in response.content
    doc = lxml.html.fromstring(response.content.decode())
    assert doc.xpath("//input[@name='q']/@value") == ['<b onmouseover="x">cocoa</b>']


def test_facets_list_counts_and_links_that_add_a_filter(client, library):
    doc = get(client, q="cocoa")
    countries = facet_links(doc, "country")
    ivory_coast = library.cocoa_once.countries.get(code="CI").name
    assert {k: v[0] for k, v in countries.items()} == {
        "Ghana": "2 entries",
        ivory_coast: "1 entry",
        "Thailand": "1 entry",
    }
    assert query_of(countries["Ghana"][1]) == {"q": ["cocoa"], "country": ["GH"]}
    for key in ("region", "topic", "kind", "format", "section", "decade", "year",
                "status"):  # fmt: skip
        assert facet_links(doc, key), key
    assert {k: v[0] for k, v in facet_links(doc, "decade").items()} == {
        "2020s": "1 entry",
        "2010s": "1 entry",
        "2000s": "1 entry",
    }


def test_following_a_facet_link_narrows_and_shows_a_remove_link(client, library):
    doc = get(client, q="cocoa")
    href = facet_links(doc, "country")["Ghana"][1]
    doc = get(client, **query_of(href))
    assert hit_titles(doc) == [library.cocoa_title.title, library.cocoa_once.title]
    (applied,) = doc.xpath("//ul[@class='search-applied']")
    (remove,) = applied.xpath(".//a")
    assert "Remove filter Ghana" in text(remove)
    assert query_of(remove.get("href")) == {"q": ["cocoa"]}
    # The selected value in the facet list takes the filter away again.
    selected = doc.xpath("//a[@class='search-facet__selected']")
    assert [query_of(a.get("href")) for a in selected] == [{"q": ["cocoa"]}]
    # A new search keeps the filter.
    assert doc.xpath("//form//input[@type='hidden' and @name='country']/@value") == [
        "GH"
    ]


def test_filters_are_removed_one_by_one_or_all_at_once(client, library):
    doc = get(client, q="cocoa", country="GH", kind="news", sort="published")
    assert hit_titles(doc) == [library.cocoa_once.title, library.cocoa_title.title]
    removes = {
        text(a).replace("Remove filter ", "").rstrip(" ×"): query_of(a.get("href"))
        for a in doc.xpath("//ul[@class='search-applied']//a")
    }
    assert removes == {
        "Ghana": {"q": ["cocoa"], "kind": ["news"], "sort": ["published"]},
        "News": {"q": ["cocoa"], "country": ["GH"], "sort": ["published"]},
        "Remove all filters": {"q": ["cocoa"], "sort": ["published"]},
    }


def test_the_url_holds_the_whole_state(client, library):
    """A link taken from the page, opened afresh, shows the same results."""
    doc = get(client, q="cocoa", region="Africa")
    href = doc.xpath("//nav[@class='search-sort']//a[text()='Publication date']")[0]
    response = client.get(href.get("href"))  # the URL exactly as shared
    assert response.status_code == 200
    shared = lxml.html.fromstring(response.content.decode())
    assert hit_titles(shared) == [library.cocoa_once.title, library.cocoa_title.title]
    assert shared.xpath("//input[@name='q']/@value") == ["cocoa"]
    assert [text(a) for a in shared.xpath("//ul[@class='search-applied']//a")] == [
        "Remove filter Africa ×"
    ]


def test_sort_control_links_keep_query_and_filters(client, library):
    doc = get(client, q="cocoa", country="GH")
    nav = doc.xpath("//nav[@class='search-sort']")[0]
    assert nav.xpath(".//strong/text()") == ["Relevance"]
    links = {a.text: query_of(a.get("href")) for a in nav.xpath(".//a")}
    assert links == {
        "Publication date": {"q": ["cocoa"], "country": ["GH"], "sort": ["published"]},
        "Date added": {"q": ["cocoa"], "country": ["GH"], "sort": ["added"]},
        "Last verified": {"q": ["cocoa"], "country": ["GH"], "sort": ["verified"]},
    }
    doc = get(client, q="cocoa", sort="published")
    assert hit_titles(doc) == [
        library.cocoa_once.title,
        library.cocoa_title.title,
        library.cocoa_thrice.title,
    ]
    assert doc.xpath("//nav[@class='search-sort']//strong/text()") == [
        "Publication date"
    ]


def test_without_words_results_are_newest_first_and_relevance_is_not_offered(
    client, library
):
    doc = get(client, region="Africa")
    assert hit_titles(doc) == [library.cocoa_once.title, library.cocoa_title.title]
    nav = doc.xpath("//nav[@class='search-sort']")[0]
    assert nav.xpath(".//strong/text()") == ["Publication date"]
    assert "Relevance" not in text(nav)


@pytest.fixture
def many(backend, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        return [EntryFactory(title=f"Quarry report {n}") for n in range(45)]


def test_pagination(client, many):
    doc = get(client, q="quarry")
    assert text(doc.xpath("//h2[@id='results-heading']")[0]) == "1–20 of 45 entries"
    nav = doc.xpath("//nav[@class='pagination']")[0]
    assert "Page 1 of 3" in text(nav)
    assert not nav.xpath(".//a[@rel='prev']")
    next_href = nav.xpath(".//a[@rel='next']/@href")[0]
    assert query_of(next_href) == {"q": ["quarry"], "page": ["2"]}

    doc = get(client, **query_of(next_href))
    assert text(doc.xpath("//h2[@id='results-heading']")[0]) == "21–40 of 45 entries"
    assert len(doc.xpath("//article")) == 20
    nav = doc.xpath("//nav[@class='pagination']")[0]
    assert query_of(nav.xpath(".//a[@rel='prev']/@href")[0]) == {"q": ["quarry"]}

    doc = get(client, q="quarry", page="3")
    assert len(doc.xpath("//article")) == 5
    assert not doc.xpath("//nav[@class='pagination']//a[@rel='next']")
    assert doc.xpath("//meta[@name='robots']/@content") == ["noindex"]


def test_pages_together_list_every_match_once(client, many):
    titles = []
    for number in (1, 2, 3):
        titles += hit_titles(get(client, q="quarry", page=str(number)))
    assert sorted(titles) == sorted(e.title for e in many)


def test_a_page_past_the_end_says_so(client, many):
    doc = get(client, 404, q="quarry", page="7")
    assert not doc.xpath("//article")
    message = text(doc.xpath("//p[@class='empty']")[0])
    assert "past the end" in message
    last = doc.xpath("//p[@class='empty']/a/@href")[0]
    assert query_of(last) == {"q": ["quarry"], "page": ["3"]}


@pytest.mark.parametrize("page", ["abc", "0", "-2", "", "1.5"])
def test_a_malformed_page_number_shows_the_first_page(client, many, page):
    doc = get(client, q="quarry", page=page)
    assert text(doc.xpath("//h2[@id='results-heading']")[0]) == "1–20 of 45 entries"


def test_no_results_suggest_what_to_try(client, library):
    doc = get(client, q="cocoa", country="IN")
    assert not doc.xpath("//article")
    assert text(doc.xpath("//h2[@id='results-heading']")[0]) == "No entries found"
    empty = doc.xpath("//div[@class='empty']")[0]
    assert "Nothing matches “cocoa” with this filter" in text(empty)
    (remove,) = empty.xpath(".//a")
    assert query_of(remove.get("href")) == {"q": ["cocoa"]}
    assert "check the spelling" in text(empty)


MALFORMED = [
    '"debt bondage',
    "(cocoa OR fishing",
    "cocoa)",
    "OR",
    "AND cocoa",
    "cocoa NOT",
    "NOT cocoa",
    "*",
    "a*",
    "x" * 2000,
    "((((((((((((cocoa))))))))))))",
]


@pytest.mark.parametrize("query", MALFORMED)
def test_a_malformed_query_gets_a_message_not_an_error(client, library, query):
    doc = get(client, 400, q=query)
    (alert,) = doc.xpath("//p[@role='alert']")
    assert "could not be read" in text(alert)
    assert len(text(alert)) > len("That search could not be read.") + 5
    assert doc.xpath("//input[@name='q' and @aria-invalid='true']")
    assert not doc.xpath("//article")


@pytest.mark.parametrize(
    "params",
    [
        {"q": "cocoa\x00"},
        {"q": "\x00"},
        {"q": "co\x00coa"},
        {"q": "cocoa", "topic": "\x00"},
        {"q": "cocoa", "kind": "news\x00"},
        {"q": "cocoa", "region": "Africa\x00"},
        {"q": "cocoa", "country": "G\x00"},
        {"q": "cocoa", "decade": "2\x0010"},
        {"q": "cocoa", "sort": "\x00"},
    ],
)
def test_nul_bytes_never_break_the_page(client, library, params):
    response = client.get(URL, params)
    assert response.status_code in {200, 400}


@pytest.mark.parametrize(
    "params",
    [
        {"q": "ok", "country": "<script>"},
        {"q": "ok", "topic": "x" * 500},
        {"q": "ok", "decade": "-1"},
        {"q": "ok", "year": "99999"},
        {"q": "ok", "status": "' OR 1=1 --"},
        {"q": "ok", "sort": "title; DROP TABLE"},
        {"q": '(ok) OR "é ü" -ñ traffick*'},
        {"q": "🙂 ☃"},
        {"q": "&& ||"},
    ],
)
def test_odd_input_never_breaks_the_page(client, library, params):
    response = client.get(URL, params)
    assert response.status_code in {200, 400}


def test_only_punctuation_finds_nothing_without_an_error(client, library):
    doc = get(client, q="?!")
    assert not doc.xpath("//article")
    assert not doc.xpath("//p[@role='alert']")
    assert "no word to look for" in text(doc.xpath("//p[@role='status']")[0])


def test_entries_added_after_a_search_are_found_next_time(client, library):
    assert hit_titles(get(client, q="quarry")) == []
    entry = EntryFactory(title="Quarry report")
    index.sync([entry.pk])
    assert hit_titles(get(client, q="quarry")) == ["Quarry report"]
