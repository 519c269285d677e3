"""Compare, topic and map pages over the demo library: numbers agree with the
database, every internal link leads somewhere, charts are accessible images, names
from the data never become markup, and bad input gets a message, never an error."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.core.cache import cache
from django.db.models import Count
from django.urls import resolve, reverse
from lxml import etree

from lantern.library.demo import load_demo
from lantern.library.models import Country, Entry, Helpline, Topic
from lantern.library.tests.factories import EntryFactory, HelplineFactory
from lantern.web import svg

pytestmark = pytest.mark.django_db

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _empty_cache(settings, tmp_path):
    settings.LANTERN_SEARCH_DIR = str(tmp_path / "search")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo() -> None:
    assert load_demo()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"])
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"])


def links_of(html: str) -> _Links:
    parser = _Links()
    parser.feed(html)
    return parser


def get(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def entries_naming(code: str, **filters) -> int:
    return Entry.objects.filter(countries=code, **filters).distinct().count()


# ------------------------------------------------------------ numbers from the data


def test_compare_over_the_demo_gives_the_databases_numbers(client, demo):
    response = client.get(reverse("web:compare") + "?countries=pe,us,jp")
    assert response.status_code == 200
    html = squeeze(response.content.decode())

    glance = html[html.index('id="glance"') : html.index('id="tiers"')]
    expected = [entries_naming(c) for c in ("PE", "US", "JP")]
    assert expected[0] == 15 and expected[1] > 0
    assert re.search(
        r"Entries in the library</th>"
        + "".join(f'<td class="number">{n}</td>' for n in expected),
        glance,
    )
    helplines = [Helpline.objects.filter(country=c).count() for c in ("PE", "US", "JP")]
    assert re.search(
        r"Help-lines</th>" + "".join(f'<td class="number">{n}</td>' for n in helplines),
        glance,
    )
    # The topic profile's table: entries per topic for each country.
    table = response.context["topic_chart"].table
    for row in table.rows:
        topic = Topic.objects.get(name=row[1].text)
        for code, cell in zip(("PE", "US", "JP"), row[2:], strict=True):
            assert cell.startswith(f"{entries_naming(code, topics=topic)} ("), (
                topic.slug,
                code,
            )
    # Entries per year: the chart's table against the database.
    years = response.context["year_chart"].table.rows
    assert years
    for row in years:
        year = int(row[0])
        for code, n in zip(("PE", "US", "JP"), row[1:], strict=True):
            assert n == entries_naming(code, published_date__year=year), (year, code)


def test_topic_pages_over_the_demo_count_what_the_database_holds(client, demo):
    html = squeeze(get(client, reverse("web:topics")))
    for topic in Topic.objects.filter(parent__isnull=False).annotate(
        n=Count("entries")
    ):
        link = f'href="/topics/{topic.slug}/">{topic.name}</a>'
        assert link in html
        if topic.n:
            assert f'{link} <span class="count">{topic.n}<' in html

    slug = "sex-trafficking"
    page = squeeze(get(client, reverse("web:topic", args=[slug])))
    topic = Topic.objects.get(slug=slug)
    by_country = (
        Country.objects.filter(entries__topics=topic)
        .annotate(n=Count("entries", distinct=True))
        .order_by("name")
    )
    assert by_country
    for c in by_country:
        assert re.search(
            rf'href="#country-{c.slug}">{c.name}</a> <span class="count">{c.n}<', page
        )
    total = Entry.objects.filter(topics=topic).count()
    assert f"<dt>Entries</dt><dd>{total}</dd>" in page
    assert 'href="/search/?q=&amp;topic=sex-trafficking&amp;country=PE"' in page


def test_country_page_charts_its_topics_with_the_databases_counts(client, demo):
    response = client.get(reverse("web:country", args=["pe"]))
    assert response.status_code == 200
    chart = response.context["topic_chart"]
    html = response.content.decode()

    assert 'id="chart-topics-svg"' in html and 'href="#topics"' in html
    counts = [row[2] for row in chart.table.rows]
    assert counts == sorted(counts, reverse=True)
    for name, _, n, share in chart.table.rows:
        topic = Topic.objects.get(name=name.text)
        assert n == entries_naming("PE", topics=topic)
        assert share == f"{round(n * 100 / 15)}%"
        assert name.url == f"/topics/{topic.slug}/?country=pe"
    # The bars link to the same pages as the table.
    image = re.search(r'<svg[^>]*id="chart-topics-svg".*?</svg>', html, flags=re.S)
    assert image is not None
    assert 'href="/topics/sex-trafficking/?country=pe"' in image.group(0)


def test_coverage_map_table_over_the_demo_matches_the_database(client, demo):
    response = client.get(reverse("web:map"))
    assert response.status_code == 200
    rows = response.context["chart"].table.rows
    named = {row[0].text: row[2] for row in rows}
    for code in ("PE", "US", "JP"):
        country = Country.objects.get(code=code)
        assert named[country.name] == entries_naming(code)
    assert (
        len(named) == Country.objects.filter(entries__isnull=False).distinct().count()
    )


# ---------------------------------------------------------------- links lead somewhere

CRAWLED = [
    "/compare/",
    "/compare/?countries=pe,us,jp",
    "/compare/?region=005",
    "/compare/?countries=pe&regions=005",
    "/compare/?region=019",
    "/topics/",
    "/topics/sex-trafficking/",
    "/topics/sex-trafficking/?country=pe",
    "/topics/forms/",
    "/map/",
    "/map/?show=tiers",
    "/map/?show=tiers&year=2010",
    "/countries/pe/",
    "/countries/is/",
]


# Beyond this many links of one kind (the same view and query keys), a link is
# checked by its address resolving (and, to a country, entry or topic, by the record
# existing) without rendering one more page of that kind: every map year and every
# comparison is rendered by the static site's test, which publishes them all.
FOLLOWED_PER_KIND = 4
RECORDS = {
    "web:country": lambda kw: Country.objects.filter(code=kw["code"].upper()),
    "web:entry": lambda kw: Entry.objects.filter(pk=kw["pk"]),
    "web:topic": lambda kw: Topic.objects.filter(slug=kw["slug"]),
}


def test_every_internal_link_on_the_discovery_pages_leads_somewhere(client, demo):
    assert Topic.objects.filter(slug="forms", parent=None).exists()
    followed: dict[str, int] = {}
    kinds: dict[tuple[str, tuple[str, ...]], int] = {}
    for page in CRAWLED:
        html = get(client, page)
        found = links_of(html)
        for href in found.hrefs:
            if href.startswith("#"):
                assert href[1:] in found.ids, f"{page}: {href} points nowhere"
                continue
            target = urljoin(page, href)
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or target.startswith("/admin/"):
                continue  # external, tel:, or the curators' sign-in
            path = target.split("#")[0]
            if path in followed:
                assert followed[path] in (200, 301, 302), f"{page} → {path}"
                continue
            match = resolve(parts.path)  # Resolver404 fails the test
            kind = (match.view_name, tuple(sorted(parse_qs(parts.query))))
            kinds[kind] = kinds.get(kind, 0) + 1
            if kinds[kind] > FOLLOWED_PER_KIND:
                if kind[0] in RECORDS and not kind[1]:
                    assert RECORDS[kind[0]](match.kwargs).exists(), f"{page} → {path}"
                followed[path] = 200
                continue
            followed[path] = client.get(path).status_code
            assert followed[path] in (200, 301, 302), f"{page} → {path}"
    # The map pages link every country shape; search links are among those followed.
    assert sum(1 for p in followed if p.startswith("/countries/")) > 150
    assert any(p.startswith("/search/?") and "topic=" in p for p in followed)
    assert any(p.startswith("/search/?") and "country=PE" in p for p in followed)


# ----------------------------------------------------------------- accessible charts


def _figures(html: str) -> list[str]:
    return re.findall(r'<figure class="chart[^"]*".*?</figure>', html, flags=re.S)


@pytest.mark.parametrize(
    "url",
    [
        "/compare/?countries=pe,us,jp",
        "/topics/sex-trafficking/",
        "/map/",
        "/map/?show=tiers",
        "/",
    ],
)
def test_each_chart_is_one_labelled_image_with_its_numbers_beside_it(client, demo, url):
    html = get(client, url)
    figures = _figures(html)
    assert figures
    assert html.count("<svg") == len(figures)
    for figure in figures:
        image = re.search(r"<svg.*?</svg>", figure, flags=re.S)
        assert image is not None
        root = etree.fromstring(image.group(0).encode())
        # One image, or one graphics document when its marks link to pages.
        linked = root.find(f".//{SVG_NS}a") is not None
        assert root.get("role") == ("graphics-document" if linked else "img")
        title_id, desc_id = root.get("aria-labelledby").split()
        assert root[0].tag == f"{SVG_NS}title" and root[0].get("id") == title_id
        assert root[1].tag == f"{SVG_NS}desc" and root[1].get("id") == desc_id
        assert root[0].text and root[1].text
        # The same numbers as a table, in the same figure; no script needed.
        assert "<table" in figure and "<caption>" in figure
        assert "<script" not in figure
    assert "<script" not in html.split("</head>")[1]


# -------------------------------------------------------------- names never markup

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_names_from_the_data_stay_text_in_inline_svg(client):
    Country.objects.filter(code="PE").update(name="Peru " + HOSTILE)
    mining = Topic.objects.get(slug="mining")
    mining.name = "Mining " + HOSTILE
    mining.save()
    EntryFactory(title="Gold " + HOSTILE, topics=[mining])
    EntryFactory(primary_country=Country.objects.get(code="BO"), topics=[mining])

    for url in (
        "/compare/?countries=pe,bo",
        "/topics/mining/",
        "/map/",
        "/map/?show=tiers",
        "/countries/pe/",
    ):
        html = get(client, url)
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
        for image in re.findall(r"<svg.*?</svg>", html, flags=re.S):
            root = etree.fromstring(image.encode())  # well-formed XML
            assert not root.findall(f".//{SVG_NS}script")
            assert not [
                a for el in root.iter() for a in el.attrib if a.startswith("on")
            ]
        if url.startswith("/compare/"):
            assert "Mining &lt;script&gt;" in html


def test_the_svg_keeps_only_links_to_site_paths_and_nothing_executable():
    raw = (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10" '
        'onload="alert(1)">'
        "<script>alert(2)</script>"
        f'<a xlink:href="{svg.VEGA_BASE}/countries/pe/"><path d="M0,0" /></a>'
        '<a xlink:href="javascript:alert(3)"><path id="kept" d="M1,1" /></a>'
        '<a href="https://evil.example/"><path d="M2,2" /></a>'
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div>'
        "</foreignObject></svg>"
    )

    cleaned = svg.accessible_svg(raw, chart_id="t", title="T", description="D")

    root = etree.fromstring(cleaned.encode())
    links = root.findall(f".//{SVG_NS}a")
    assert [(a.get("href"), a.get("tabindex")) for a in links] == [
        ("/countries/pe/", "-1")
    ]
    assert "javascript" not in cleaned and "evil.example" not in cleaned
    assert "alert" not in cleaned and "onload" not in cleaned
    assert "foreignObject" not in cleaned
    assert root.find(f".//{SVG_NS}path[@id='t-kept']") is not None  # unwrapped
    assert len(root.findall(f".//{SVG_NS}path")) == 3


@pytest.mark.parametrize(
    ("href", "path"),
    [
        (svg.VEGA_BASE + "/countries/pe/", "/countries/pe/"),
        (svg.VEGA_BASE + "countries/pe/", "/countries/pe/"),
        ("/topics/mining/", "/topics/mining/"),
        ("/topics/mining/?country=pe", "/topics/mining/?country=pe"),
        ('/topics/mining/?country="pe', ""),
        ("//evil.example/x", ""),
        (svg.VEGA_BASE + "/x?a=<b>", ""),
        ("https://example.org/countries/pe/", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_site_path(href, path):
    assert svg.site_path(href) == path


def test_map_shapes_link_to_their_country_pages(client):
    EntryFactory()

    html = get(client, "/map/")

    image = re.search(r"<svg.*?</svg>", html, flags=re.S)
    assert image is not None
    root = etree.fromstring(image.group(0).encode())
    hrefs = [a.get("href") for a in root.iter(f"{SVG_NS}a")]
    assert "/countries/pe/" in hrefs and "/countries/bo/" in hrefs
    assert all(re.fullmatch(r"/countries/[a-z]{2}/", h) for h in hrefs)
    peru = next(a for a in root.iter(f"{SVG_NS}a") if a.get("href") == "/countries/pe/")
    assert "Peru: 1 entry" in "".join(peru.itertext())
    assert "Select a country on the map to open its page" in html


# -------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "query",
    [
        "countries=%00",
        "countries=pe%00,bo",
        "countries=" + "x" * 5000,
        "countries=" + ",".join(["pe", "bo"] * 40),
        "countries=%F0%9F%92%A3,pe",
        "countries[]=pe&countries[]=bo",
        "region=",
        "region=%00",
        "region=005&countries=zz",
        "regions=005,005",
        "regions=005,013,029,419,142,150,002",
        "country=pe&country=pe",
    ],
)
def test_compare_never_fails_on_odd_input(client, query):
    response = client.get(reverse("web:compare") + "?" + query)

    assert response.status_code in (200, 302, 400)
    if response.status_code == 400:
        html = response.content.decode()
        assert 'role="alert"' in html and 'name="country"' in html


@pytest.mark.parametrize(
    "query",
    [
        "show=%00",
        "show=tiers&year=99999999999999999999",
        "show=tiers&year=-1",
        "show=tiers&year=%D9%A3",
        "show=tiers&year=1999",
    ],
)
def test_map_never_fails_on_odd_input(client, query):
    assert client.get(reverse("web:map") + "?" + query).status_code == 200


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("page=abc", 200),
        ("page=999999", 200),
        ("country=%3Cscript%3E", 404),
        ("country=pe&page=-1", 200),
        ("country=" + "p" * 300, 404),
    ],
)
def test_topic_page_never_fails_on_odd_input(client, query, status):
    EntryFactory(topics=[Topic.objects.get(slug="mining")])
    response = client.get(reverse("web:topic", args=["mining"]) + "?" + query)
    assert response.status_code == status


def test_compare_without_the_slash_is_sent_to_the_page(client):
    response = client.get("/compare?countries=pe,bo,ec")

    assert response.status_code == 301
    assert response["Location"] == "/compare/?countries=pe,bo,ec"
    assert "<h1>Peru, Bolivia and Ecuador</h1>" in get(client, response["Location"])


def test_unknown_topic_is_not_found(client):
    assert client.get(reverse("web:topic", args=["no-such-topic"])).status_code == 404


# ------------------------------------------------------------ what is missing where


def test_compare_names_facts_one_has_and_another_lacks(client):
    EntryFactory()
    HelplineFactory(organisation="Ministry of Interior")
    greenland = Country.objects.get(code="GL")
    assert greenland.gsi_prevalence is None
    assert not greenland.tiers.exists()

    html = squeeze(get(client, reverse("web:compare") + "?countries=pe,gl"))

    start = html.index('id="fact-gaps-heading"')
    gaps = html[start : html.index("</table>", start)]
    missing = '<td class="number gap-missing">missing</td>'
    assert f'Entries in the library</th><td class="number">1</td>{missing}' in gaps
    assert f'Help-lines</th><td class="number">1 help-line</td>{missing}' in gaps
    assert (
        f"Global Slavery Index 2023 estimate</th>"
        f'<td class="number">7.1 per 1,000</td>{missing}' in gaps
    )
    assert re.search(
        r"TIP Report tier \(latest placement\)</th>"
        rf'<td class="number">Tier 2 \(2015\)</td>{missing}',
        gaps,
    )


def test_compare_without_differences_says_so(client):
    html = get(client, reverse("web:compare") + "?countries=pe,bo")
    assert "Every fact, topic and year covered for one of these is covered for all" in (
        squeeze(html)
    )


def test_a_region_links_into_search_by_continent_only(client):
    html = get(client, reverse("web:compare") + "?region=019")  # the Americas
    assert 'href="/search/?q=&amp;region=Americas"' in html

    sub = get(client, reverse("web:compare") + "?countries=pe&regions=005")
    assert 'href="/search/?q=&amp;country=PE"' in sub
    assert "region=South" not in sub


def test_an_island_says_why_there_is_no_neighbours_comparison(client):
    html = squeeze(get(client, reverse("web:country", args=["is"])))

    assert "Iceland has no land borders" in html
    assert (
        '<a href="/compare/?countries=is&amp;regions=154">Compare with its region'
        in (html)
    )


# --------------------------------------------------------------------- query counts


def test_topic_index_and_maps_take_a_fixed_number_of_queries(
    client, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        assert client.get(reverse("web:topics")).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("web:map")).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("web:map") + "?show=tiers").status_code == 200
