"""Compare: two to six countries or regions side by side, friendly messages for
anything else, and a fixed number of queries however many are compared."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.http import QueryDict
from django.urls import reverse

from lantern.library.models import Country, Publisher, Topic
from lantern.library.tests.factories import (
    EntryFactory,
    HelplineFactory,
    PublisherFactory,
)
from lantern.web import compare

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def country(code: str) -> Country:
    return Country.objects.get(code=code)


def url(query: str = "") -> str:
    return reverse("web:compare") + (f"?{query}" if query else "")


def html_of(response) -> str:
    return response.content.decode()


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def select(query: str):
    countries = {c.code: c for c in Country.objects.all()}
    return compare.select(
        QueryDict(query), countries, compare.regions_of(countries.values())
    )


# ----------------------------------------------------------------- reading choices


def test_select_reads_codes_in_any_case_and_drops_repeats():
    selection = select("countries=PE, bo,pe;ec")

    assert [s.key for s in selection.subjects] == ["pe", "bo", "ec"]
    assert selection.query == "countries=pe,bo,ec"


def test_select_reads_the_forms_repeated_fields():
    selection = select("country=pe&country=&country=bo")

    assert [s.name for s in selection.subjects] == ["Peru", "Bolivia"]


def test_a_region_alone_stands_beside_its_siblings():
    selection = select("region=005")

    assert [s.name for s in selection.subjects] == [
        "South America",
        "Caribbean",
        "Central America",
    ]
    assert selection.focus is not None and selection.focus.code == "005"
    assert "PE" in selection.subjects[0].codes
    continents = select("region=002")
    assert next(s.name for s in continents.subjects) == "Africa"
    assert {s.name for s in continents.subjects} >= {"Americas", "Asia", "Europe"}


def test_a_country_beside_its_region():
    selection = select("countries=pe&regions=005")

    assert [(s.kind, s.name) for s in selection.subjects] == [
        ("country", "Peru"),
        ("region", "South America"),
    ]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("countries=pe", "Pick at least 2 countries or regions to compare (only Peru"),
        ("countries=zz,pe", "This is not a country code Lantern knows: “zz”"),
        ("countries=pe,bo,ec,co,br,cl,ar", "Pick at most 6"),
        ("region=999", "not a UN M49 region code"),
        ("countries=pe&regions=999", "Not a UN M49 region code Lantern knows: “999”"),
        (
            "countries=" + ",".join(["pe"] * 3 + [f"q{i}" for i in range(40)]),
            "at most 6",
        ),
    ],
)
def test_select_refuses_with_a_readers_message(query, message):
    with pytest.raises(compare.SelectionError) as error:
        select(query)
    assert message in str(error.value)


def test_select_asks_for_nothing_without_a_choice():
    assert select("") is None
    assert select("countries=") is None


# -------------------------------------------------------------------------- the page


def test_compare_page_shows_countries_side_by_side(client):
    mining = Topic.objects.get(slug="mining")
    fishing = Topic.objects.get(slug="fishing")
    ngo = PublisherFactory(name="Andean NGO", kind=Publisher.Kind.NGO)
    news = PublisherFactory(name="Daily News", kind=Publisher.Kind.NEWS)
    EntryFactory(published_date=dt.date(2004, 1, 1), topics=[mining], publisher=ngo)
    EntryFactory(published_date=dt.date(2006, 1, 1), topics=[mining], publisher=news)
    EntryFactory(
        primary_country=country("BO"),
        published_date=dt.date(2006, 5, 1),
        topics=[fishing],
        publisher=ngo,
    )
    HelplineFactory(organisation="Ministry of Interior")

    response = client.get(url("countries=pe,bo"))

    assert response.status_code == 200
    html = html_of(response)
    flat = squeeze(html)
    assert "<h1>Peru and Bolivia</h1>" in flat
    # TIP tiers: Peru's and Bolivia's strips, labelled cells.
    assert 'id="chart-compare-tiers-svg"' in html
    assert "Peru, 2004: Tier 2 Watch List" in html
    assert "Bolivia, 2005: Tier 3" in html
    # Global Slavery Index with its source.
    assert "7.1" in html and "about 234,000" in html
    assert "Global Slavery Index 2023" in html and "Walk Free" in html
    # Entries per year and topic profile as accessible charts.
    assert 'id="chart-compare-years-svg"' in html
    assert 'id="chart-compare-topics-svg"' in html
    assert html.count('role="img"') == 3
    # Publisher mix.
    assert re.search(
        r"<th scope=\"row\">NGO</th><td class=\"number\">1 .*?\(50%\)", flat
    )
    # Help-lines.
    assert "Ministry of Interior" in html
    assert "No help-line in the library yet." in html
    # Covered for one, missing for another: mining (Peru only), fishing (Bolivia).
    gaps = flat[flat.index('id="gaps"') :]
    assert re.search(
        r">Mining</a></th><td class=\"number\">2</td><td class=\"number gap-missing\">missing",
        gaps,
    )
    assert re.search(
        r">Fishing</a></th><td class=\"number gap-missing\">missing</td><td class=\"number\">1",
        gaps,
    )
    assert re.search(
        r"<th scope=\"row\">2004</th><td class=\"number\">1</td><td class=\"number gap-missing\">missing",
        gaps,
    )
    assert '<th scope="row">2006</th>' not in gaps  # both have 2006


def test_compare_page_for_a_region_and_its_siblings(client):
    EntryFactory()
    EntryFactory(primary_country=country("MX"))

    response = client.get(url("region=005"))

    assert response.status_code == 200
    html = squeeze(html_of(response))
    assert "<h1>South America, Caribbean and Central America</h1>" in html
    assert "countries by tier" in html
    assert "Countries with an estimate" in html
    assert "Countries of South America" in html
    assert '<a href="/countries/pe/">Peru</a>' in html


def test_compare_page_country_beside_its_region(client):
    EntryFactory()
    EntryFactory(primary_country=country("BO"))

    html = squeeze(html_of(client.get(url("countries=pe&regions=005"))))

    assert "<h1>Peru and South America</h1>" in html
    glance = html[html.index('id="glance"') : html.index('id="tiers"')]
    assert re.search(
        r"Entries in the library</th><td class=\"number\">1</td><td class=\"number\">2</td>",
        glance,
    )


def test_form_choices_are_sent_to_the_canonical_address(client):
    response = client.get(url("country=PE&country=&country=bo&country=pe"))

    assert response.status_code == 302
    assert response["Location"] == url("countries=pe,bo")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("countries=pe", "Pick at least 2"),
        ("countries=zz,pe", "not a country code"),
        ("countries=pe,bo,ec,co,br,cl,ar", "Pick at most 6"),
        ("region=abc", "not a UN M49 region code"),
        ("countries=%3Cscript%3Ealert(1)%3C/script%3E,pe", "“&lt;script&gt;aler…”"),
    ],
)
def test_bad_choices_get_the_form_and_a_message_not_an_error(client, query, message):
    response = client.get(url(query))

    assert response.status_code == 400
    html = html_of(response)
    assert message in html
    assert "<script>alert" not in html
    assert 'role="alert"' in html
    assert 'name="country"' in html  # the form, to try again


def test_the_form_lists_countries_by_continent_and_keeps_the_ticks(client):
    html = html_of(client.get(url("countries=pe,zz")))

    assert re.search(r'value="pe" checked', html)
    assert re.search(r"<summary>Americas <span class=\"muted\">\(1 ticked\)", html)
    assert 'name="region"' in html


def test_compare_query_count_does_not_grow_with_subjects(
    client, django_assert_max_num_queries
):
    codes = ["PE", "BO", "EC", "CO", "BR", "CL"]
    topic = Topic.objects.get(slug="forced-labour")
    for code in codes:
        for year in (2003, 2010):
            EntryFactory(
                primary_country=country(code),
                published_date=dt.date(year, 1, 1),
                topics=[topic],
            )
        HelplineFactory(country=country(code), number_raw=f"0800 {code}")

    with django_assert_max_num_queries(8) as two:
        assert client.get(url("countries=pe,bo")).status_code == 200
    with django_assert_max_num_queries(8) as six:
        assert (
            client.get(url("countries=" + ",".join(codes).lower())).status_code == 200
        )
    with django_assert_max_num_queries(8):
        assert client.get(url("region=005")).status_code == 200
    assert len(two.captured_queries) == len(six.captured_queries)


def test_remove_links_keep_at_least_two(client):
    html = html_of(client.get(url("countries=pe,bo,ec")))
    assert f'href="{url("countries=bo,ec")}"' in html
    assert f'href="{url("countries=pe,bo")}"' in html

    two = html_of(client.get(url("countries=pe,bo")))
    assert "Remove<span" not in two


# ------------------------------------------------------------------ the country page


def test_country_page_offers_compare_with_neighbours_and_region(client):
    # Peru's neighbours: Bolivia, Brazil, Chile, Colombia, Ecuador; give the ones
    # with entries precedence when there are more than five.
    for code, n in (("EC", 3), ("CL", 2), ("BO", 1)):
        for _ in range(n):
            EntryFactory(primary_country=country(code))

    html = html_of(client.get(reverse("web:country", args=["pe"])))

    assert (
        f'href="{url("countries=pe,ec,cl,bo,br,co")}">Compare with neighbours' in html
    )
    assert (
        f'href="{url("countries=pe&amp;regions=005")}">Compare with its region' in html
    )
    assert "(South America)" in html


def test_neighbours_are_capped_at_five_by_entries():
    china = Country.objects.get(code="CN")
    neighbours = list(china.neighbours.with_entry_counts().order_by("name"))
    assert len(neighbours) > 5

    link = compare.neighbours_url(china, neighbours)

    codes = link.split("countries=")[1].split(",")
    assert codes[0] == "cn" and len(codes) == 6
    assert codes[1:] == sorted(
        codes[1:], key=lambda c: Country.objects.get(code=c.upper()).name
    )


def test_an_island_has_no_neighbours_link(client):
    html = html_of(client.get(reverse("web:country", args=["is"])))

    assert "Compare with neighbours" not in html
    assert "Compare with its region" in html
