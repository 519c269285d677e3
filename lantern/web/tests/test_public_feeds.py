"""Readers' Atom feeds (library, country, topic, search), the sitemap and robots.txt."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html as lxml_html

from lantern.library.models import Country, Entry, Topic
from lantern.library.tests.factories import (
    CountryProfileFactory,
    EntryFactory,
    PublisherFactory,
)
from lantern.search.facets import Filters
from lantern.search.services import run_search
from lantern.web import sitemaps
from lantern.web.public_feeds import FEED_SIZE

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "http://testserver"


@pytest.fixture(autouse=True)
def _own_index(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_SEARCH_DIR = str(tmp_path / "search")
    settings.LANTERN_SITE_URL = ""


def country(code: str) -> Country:
    return Country.objects.get(code=code)


def topic(slug: str) -> Topic:
    return Topic.objects.get(slug=slug)


def added(entry: Entry, days_ago: int) -> Entry:
    """Give an entry a known date added (auto_now_add cannot be set on create)."""
    when = timezone.now() - dt.timedelta(days=days_ago)
    Entry.objects.filter(pk=entry.pk).update(created_at=when)
    entry.refresh_from_db()
    return entry


def feed(client, url: str) -> ET.Element:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entry_ids(root: ET.Element) -> list[int]:
    ids = []
    for item in root.findall(f"{ATOM}entry"):
        link = item.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None
        path = urlsplit(link.attrib["href"]).path
        ids.append(int(path.strip("/").split("/")[-1]))
    return ids


def newest(queryset) -> list[int]:  # type: ignore[no-untyped-def]
    return list(
        queryset.order_by("-created_at", "-id").values_list("pk", flat=True)[:FEED_SIZE]
    )


# ------------------------------------------------------------------------ feeds


def test_library_feed_lists_the_newest_fifty_newest_first(client):
    for n in range(FEED_SIZE + 3):
        added(EntryFactory(), days_ago=n)

    root = feed(client, reverse("web:feed-entries"))

    assert root.tag == f"{ATOM}feed"
    ids = entry_ids(root)
    assert len(ids) == FEED_SIZE
    assert ids == newest(Entry.objects.all())
    assert "new entries" in root.findtext(f"{ATOM}title", "")
    assert root.find(f"{ATOM}link[@rel='self']").attrib["href"] == (
        BASE + reverse("web:feed-entries")
    )


def test_an_item_carries_the_entry_fields(client):
    publisher = PublisherFactory(name="Sea Watch Alliance")
    entry = EntryFactory(
        title="Fishing crews held at sea",
        publisher=publisher,
        authors=["Ana Ruiz", "Li Wen"],
        excerpt=["Boats stayed out for months.", "A second paragraph."],
        primary_country=country("TH"),
        countries=[country("MM")],
        topics=[topic("fishing")],
    )
    entry.refresh_from_db()

    root = feed(client, reverse("web:feed-entries"))
    (item,) = root.findall(f"{ATOM}entry")

    url = BASE + reverse("web:entry", args=[entry.pk])
    assert item.findtext(f"{ATOM}title") == "Fishing crews held at sea"
    assert item.find(f"{ATOM}link[@rel='alternate']").attrib["href"] == url
    assert item.findtext(f"{ATOM}id") == url
    assert item.findtext(f"{ATOM}published") == entry.created_at.isoformat()
    assert item.findtext(f"{ATOM}updated") == entry.updated_at.isoformat()
    assert [a.findtext(f"{ATOM}name") for a in item.findall(f"{ATOM}author")] == [
        "Ana Ruiz",
        "Li Wen",
    ]
    summary = item.find(f"{ATOM}summary")
    assert summary.attrib["type"] == "text"
    assert summary.text == "Boats stayed out for months."
    terms = {
        (c.attrib["term"], c.attrib["label"]) for c in item.findall(f"{ATOM}category")
    }
    assert terms == {("fishing", "Fishing"), ("TH", "Thailand"), ("MM", "Myanmar")}


def test_without_authors_the_publisher_is_the_author(client):
    EntryFactory(publisher=PublisherFactory(name="Daily Graphic"), authors=[])

    item = feed(client, reverse("web:feed-entries")).find(f"{ATOM}entry")

    assert [a.findtext(f"{ATOM}name") for a in item.findall(f"{ATOM}author")] == [
        "Daily Graphic"
    ]


def test_long_summaries_are_cut_short(client):
    EntryFactory(excerpt=["word " * 500])

    summary = feed(client, reverse("web:feed-entries")).find(
        f"{ATOM}entry/{ATOM}summary"
    )

    assert len(summary.text.split()) <= 61
    assert summary.text.endswith("…")


def test_markup_in_titles_and_excerpts_stays_text(client):
    title = "Raids <script>alert(1)</script> & rescues"
    excerpt = 'Workers wrote "<b>help</b>" & fled.'
    EntryFactory(title=title, excerpt=[excerpt])

    response = client.get(reverse("web:feed-entries"))

    assert b"<script>" not in response.content
    item = ET.fromstring(response.content).find(f"{ATOM}entry")
    assert item.findtext(f"{ATOM}title") == title
    assert item.findtext(f"{ATOM}summary") == excerpt


def test_country_feed_has_entries_naming_the_country(client):
    primary = added(EntryFactory(primary_country=country("GH")), days_ago=3)
    secondary = added(
        EntryFactory(primary_country=country("CI"), countries=[country("GH")]),
        days_ago=1,
    )
    EntryFactory(primary_country=country("PE"))

    root = feed(client, reverse("web:country-feed", args=["gh"]))

    assert entry_ids(root) == [secondary.pk, primary.pk]
    assert "Ghana" in root.findtext(f"{ATOM}title", "")
    assert root.find(f"{ATOM}link[@rel='alternate']").attrib["href"] == (
        BASE + reverse("web:country", args=["gh"])
    )


def test_country_feed_stops_at_fifty(client):
    for n in range(FEED_SIZE + 2):
        added(EntryFactory(primary_country=country("PE")), days_ago=n)
    EntryFactory(primary_country=country("BO"))

    ids = entry_ids(feed(client, reverse("web:country-feed", args=["pe"])))

    assert ids == newest(Entry.objects.in_country("PE"))
    assert len(ids) == FEED_SIZE


@pytest.mark.parametrize("code", ["zz", "xyz", "1a"])
def test_unknown_country_feed_is_not_found(client, code):
    assert client.get(reverse("web:country-feed", args=[code])).status_code == 404


def test_topic_feed_has_entries_on_the_topic(client):
    fishing = added(EntryFactory(topics=[topic("fishing")]), days_ago=2)
    both = added(
        EntryFactory(topics=[topic("fishing"), topic("child-labour")]), days_ago=1
    )
    EntryFactory(topics=[topic("child-labour")])
    EntryFactory()

    root = feed(client, reverse("web:topic-feed", args=["fishing"]))

    assert entry_ids(root) == [both.pk, fishing.pk]
    assert "Fishing" in root.findtext(f"{ATOM}title", "")


def test_a_group_feed_has_its_topics_entries_once_each(client):
    child = topic("child-labour")
    group = child.parent
    sibling = group.children.exclude(pk=child.pk).first()
    one = added(EntryFactory(topics=[child, sibling]), days_ago=2)
    two = added(EntryFactory(topics=[group]), days_ago=1)
    EntryFactory(
        topics=list(Topic.objects.exclude(parent=group).exclude(pk=group.pk)[:1])
    )

    ids = entry_ids(feed(client, reverse("web:topic-feed", args=[group.slug])))

    assert ids == [two.pk, one.pk]


def test_unknown_topic_feed_is_not_found(client):
    response = client.get(reverse("web:topic-feed", args=["no-such-topic"]))
    assert response.status_code == 404


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Entries indexed for search through the ORM's signals."""
    with django_capture_on_commit_callbacks(execute=True):
        entries = [
            added(
                EntryFactory(
                    title=f"Cocoa farms report {n}",
                    excerpt=["Children carry cocoa on farms."],
                    primary_country=country("GH" if n % 2 else "CI"),
                    topics=[topic("child-labour")] if n % 3 == 0 else [],
                ),
                days_ago=n,
            )
            for n in range(8)
        ]
        entries.append(
            added(EntryFactory(title="Fishing crews held at sea"), days_ago=20)
        )
    return entries


def expected_search(text: str, params: dict[str, list[str]]) -> list[int]:
    page = run_search(
        text,
        filters=Filters.from_params(params),
        sort="added",
        per_page=FEED_SIZE,
        facets=False,
    )
    return [f.entry.pk for f in page.found]


@pytest.mark.parametrize(
    ("query", "params"),
    [
        ("q=cocoa", {}),
        ("q=cocoa&country=GH", {"country": ["GH"]}),
        ("q=&topic=child-labour", {"topic": ["child-labour"]}),
        ("q=fishing", {}),
        ("", {}),
    ],
)
def test_search_feed_is_what_the_search_finds_newest_added_first(
    client, indexed, query, params
):
    text = dict(p.split("=", 1) for p in query.split("&") if p).get("q", "")

    root = feed(client, f"{reverse('web:search-feed')}?{query}")

    expected = expected_search(text, params)
    assert expected  # every case finds something
    assert entry_ids(root) == expected


def test_search_feed_names_the_search(client, indexed):
    root = feed(client, f"{reverse('web:search-feed')}?q=cocoa&country=GH")

    title = root.findtext(f"{ATOM}title", "")
    assert "“cocoa”" in title
    assert "Ghana" in title
    page = root.find(f"{ATOM}link[@rel='alternate']").attrib["href"]
    assert page == BASE + reverse("search:search") + "?q=cocoa&country=GH"


@pytest.mark.parametrize("q", ['"unclosed', "(fishing", "-cocoa", "fishing OR"])
def test_malformed_search_feed_is_a_bad_request(client, q):
    response = client.get(reverse("web:search-feed"), {"q": q})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert b"could not be read" in response.content


def test_feeds_take_a_fixed_number_of_queries(
    client, indexed, django_assert_max_num_queries
):
    for e in indexed[:4]:
        e.topics.add(topic("fishing"))
    urls = [
        reverse("web:feed-entries"),
        reverse("web:country-feed", args=["gh"]),
        reverse("web:topic-feed", args=["child-labour"]),
    ]
    for url in urls:
        with django_assert_max_num_queries(5):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(8):
        url = f"{reverse('web:search-feed')}?q=cocoa&country=GH&topic=child-labour"
        assert client.get(url).status_code == 200


def test_the_curators_feed_is_still_for_curators_only(client):
    response = client.get(reverse("web:curate-feed"))
    assert response.status_code == 302


# ---------------------------------------------------------------- alternate links


def alternates(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content)
    return doc.xpath(
        "//head/link[@rel='alternate'][@type='application/atom+xml']/@href"
    )


def subscribe_links(client, url: str) -> list[str]:  # type: ignore[no-untyped-def]
    doc = lxml_html.fromstring(client.get(url).content)
    return doc.xpath("//main//a[@type='application/atom+xml']/@href")


def test_pages_announce_their_feeds(client):
    EntryFactory(topics=[topic("fishing")])
    cases = {
        reverse("web:home"): reverse("web:feed-entries"),
        reverse("web:country", args=["pe"]): reverse("web:country-feed", args=["pe"]),
        reverse("web:topic", args=["fishing"]): reverse(
            "web:topic-feed", args=["fishing"]
        ),
    }
    for page, feed_url in cases.items():
        assert alternates(client, page) == [feed_url]
        assert subscribe_links(client, page) == [feed_url]


def test_search_page_announces_the_feed_of_its_search(client, indexed):
    page = f"{reverse('search:search')}?q=cocoa&country=GH&sort=published"

    (href,) = alternates(client, page)

    assert href == f"{reverse('web:search-feed')}?q=cocoa&country=GH"
    assert subscribe_links(client, page) == [href]
    assert entry_ids(feed(client, href)) == expected_search(
        "cocoa", {"country": ["GH"]}
    )


def test_empty_search_page_has_no_feed(client):
    assert alternates(client, reverse("search:search")) == []


# ------------------------------------------------------------------------ sitemap


def sitemap_locations(client) -> list[str]:  # type: ignore[no-untyped-def]
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = ET.fromstring(response.content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    locations: list[str] = []
    for section in index.findall(f"{SITEMAP}sitemap/{SITEMAP}loc"):
        parts = urlsplit(section.text or "")
        assert f"{parts.scheme}://{parts.netloc}" == BASE
        page = client.get(parts.path + (f"?{parts.query}" if parts.query else ""))
        assert page.status_code == 200
        urlset = ET.fromstring(page.content)
        locations += [u.findtext(f"{SITEMAP}loc", "") for u in urlset]
    return locations


def test_sitemap_lists_every_page_once(client):
    entries = [EntryFactory(topics=[topic("fishing")]) for _ in range(3)]

    locations = sitemap_locations(client)

    assert len(locations) == len(set(locations))
    paths = {urlsplit(u).path for u in locations}
    for c in Country.objects.all():
        assert c.get_absolute_url() in paths
    for t in Topic.objects.all():
        assert reverse("web:topic", args=[t.slug]) in paths
    for e in entries:
        assert e.get_absolute_url() in paths
    for name in sitemaps.STATIC_PAGES:
        assert reverse(name) in paths
    regions = {p for p in paths if p.startswith("/regions/") and p != "/regions/"}
    assert {"/regions/019/", "/regions/419/", "/regions/005/"} <= regions
    for path in regions:
        assert client.get(path).status_code == 200, path
    expected = (
        Country.objects.count()
        + len(regions)
        + Topic.objects.count()
        + len(entries)
        + len(sitemaps.STATIC_PAGES)
    )
    assert len(locations) == expected


def test_sitemap_pages_entries_and_gives_last_changes(client, monkeypatch):
    monkeypatch.setattr(sitemaps.EntrySitemap, "limit", 2)
    entries = [EntryFactory(primary_country=country("GH")) for _ in range(5)]
    CountryProfileFactory(country=country("BO"))

    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [s.text or "" for s in index.findall(f"{SITEMAP}sitemap/{SITEMAP}loc")]
    assert sum("sitemap-entries.xml" in s for s in sections) == 3

    locations = sitemap_locations(client)
    assert len([u for u in locations if "/entries/" in u]) == 5

    countries = ET.fromstring(client.get("/sitemap-countries.xml").content)
    lastmod = {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in countries
    }
    newest_gh = max(
        e.updated_at for e in Entry.objects.filter(pk__in=[e.pk for e in entries])
    )
    assert lastmod[BASE + "/countries/gh/"] == newest_gh.date().isoformat()
    assert lastmod[BASE + "/countries/bo/"] is not None
    assert lastmod[BASE + "/countries/zw/"] is None


def test_sitemap_takes_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(5):
        EntryFactory(topics=[topic("fishing")])
    for url in [
        "/sitemap-countries.xml",
        "/sitemap-regions.xml",
        "/sitemap-topics.xml",
        "/sitemap-entries.xml",
    ]:
        with django_assert_max_num_queries(3):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get("/sitemap.xml").status_code == 200


def test_robots_txt_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


def test_robots_txt_uses_the_public_address(client, settings):
    settings.LANTERN_SITE_URL = "https://lantern.example.org"

    lines = client.get("/robots.txt").content.decode().splitlines()

    assert "Sitemap: https://lantern.example.org/sitemap.xml" in lines


def test_feeds_use_the_public_address(client, settings):
    settings.LANTERN_SITE_URL = "https://lantern.example.org"
    entry = EntryFactory()

    root = feed(client, reverse("web:feed-entries"))

    link = root.find(f"{ATOM}entry/{ATOM}link[@rel='alternate']")
    assert (
        link.attrib["href"] == "https://lantern.example.org" + entry.get_absolute_url()
    )
    assert root.find(f"{ATOM}link[@rel='self']").attrib["href"] == (
        "https://lantern.example.org" + reverse("web:feed-entries")
    )


def test_sitemap_uses_the_public_address(client, settings):
    settings.LANTERN_SITE_URL = "https://lantern.example.org/"
    entry = EntryFactory()

    index = ET.fromstring(client.get("/sitemap.xml").content)
    sections = [s.text for s in index.findall(f"{SITEMAP}sitemap/{SITEMAP}loc")]
    assert "https://lantern.example.org/sitemap-entries.xml" in sections
    urlset = ET.fromstring(client.get("/sitemap-entries.xml").content)
    assert [u.findtext(f"{SITEMAP}loc") for u in urlset] == [
        "https://lantern.example.org" + entry.get_absolute_url()
    ]


def test_unknown_sitemap_section_is_not_found(client):
    assert client.get("/sitemap-nothing.xml").status_code == 404
