"""The world map: every shape matched to an ISO code, every country with entries on
the map, and the map page for coverage and for tiers."""

from __future__ import annotations

import hashlib
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from lxml import etree

from lantern.library.models import Country, Tier, TierPlacement
from lantern.library.reference import country_facts
from lantern.library.tests.factories import EntryFactory, TierPlacementFactory
from lantern.web import maps, stats

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def tooltips(svg: str) -> list[str]:
    root = etree.fromstring(svg.encode())
    return [t.text for t in root.iter(f"{SVG}title")][1:]


# ------------------------------------------------------------------------- the data


def test_the_vendored_shapes_match_their_record():
    record = maps.atlas_record()

    assert record["package"] == "npm:world-atlas"
    assert record["licence"] == "ISC"
    digest = hashlib.sha256(maps.ATLAS_FILE.read_bytes()).hexdigest()
    assert digest == record["sha256"]
    assert (maps.DATA_DIR / "LICENSE-world-atlas").read_text().startswith("Copyright")


def test_every_shape_is_matched_to_an_iso_code_lantern_knows():
    known = {fact["code"] for fact in country_facts()["countries"]}

    assert maps.unmatched_features() == []
    assert {code for code, _ in maps.coded_geometries()} <= known


def test_shapes_without_a_numeric_code_are_matched_by_name():
    names = {name: code for code, name in maps.coded_geometries()}

    assert names["Kosovo"] == "XK"
    assert names["Somaliland"] == "SO"
    assert names["N. Cyprus"] == "CY"
    assert names["Peru"] == "PE"


def test_every_country_can_be_drawn_as_a_shape_or_a_dot():
    for fact in country_facts()["countries"]:
        code = fact["code"]
        assert code in maps.shaped_codes() or code in maps.coordinates(), code


@pytest.mark.django_db
def test_every_country_with_entries_is_on_the_coverage_map():
    # Big and small, Kosovo, and islands too small for a shape at 1:110m.
    codes = ["PE", "XK", "FR", "TV", "SG", "MT", "US", "SO", "CY", "GF"]
    for i, code in enumerate(codes):
        for _ in range(i + 1):
            EntryFactory(primary_country=Country.objects.get(code=code))
    counts = stats.entries_per_country()

    chart = maps.coverage_map(stats.map_countries(), counts)

    labels = tooltips(chart.svg)
    for i, code in enumerate(codes):
        name = Country.objects.get(code=code).name
        expected = f"{name}: {i + 1} {'entry' if i == 0 else 'entries'}"
        assert expected in labels, expected
    # Small countries are dots; Somalia colours Somaliland's shape too.
    assert "TV" not in maps.shaped_codes() and "SG" not in maps.shaped_codes()
    assert labels.count(f"{Country.objects.get(code='SO').name}: 8 entries") == 2
    assert [row[0].text for row in chart.table.rows] == sorted(
        Country.objects.get(code=c).name for c in codes
    )


@pytest.mark.django_db
def test_the_coverage_map_is_an_accessible_image():
    EntryFactory()

    chart = maps.coverage_map(stats.map_countries(), stats.entries_per_country())

    root = etree.fromstring(chart.svg.encode())
    # Its countries link to their pages, so it is a graphics document, not an image
    # (whose content may hold no links).
    assert root.get("role") == "graphics-document"
    assert root.find(".//{http://www.w3.org/2000/svg}a") is not None
    assert root.get("aria-labelledby") == "map-coverage-title map-coverage-desc"
    assert root[0].text == chart.title
    assert "1 of 250 countries" in root[1].text
    assert "Peru (1)" in root[1].text
    assert [item.label for item in chart.legend][:2] == ["no entries", "1 entry"]
    # Antarctica is left out when it has nothing to show.
    assert "Antarctica" not in chart.svg


@pytest.mark.django_db
def test_tier_states_take_the_latest_year_and_keep_the_last_placement():
    data = stats.tier_states(None)

    peru = data.states["PE"]
    assert (peru.key, peru.year) == ("not-listed", 2025)
    assert peru.last_placed == "Tier 2 (2015)"
    bolivia = data.states["BO"]
    assert (bolivia.key, bolivia.year, bolivia.last_placed) == ("tier2wl", 2025, "")
    assert 2010 in data.years and 2018 not in data.years
    # A territory never ranked has no data rather than "not on the lists".
    assert "GL" not in data.states


@pytest.mark.django_db
def test_tier_states_in_one_year():
    TierPlacementFactory(
        country=Country.objects.get(code="PE"),
        report_year=2010,
        tier=Tier.TIER3,
        source=TierPlacement.Source.CURATOR,
    )

    data = stats.tier_states(2010)

    assert data.states["PE"].key == "tier3"  # the curator's word wins
    assert data.states["PE"].year == 2010
    assert all(s.year == 2010 for s in data.states.values())


# ------------------------------------------------------------------------ the page


@pytest.mark.django_db
def test_map_page_shows_coverage_with_its_table(client, django_assert_max_num_queries):
    EntryFactory(title="Gold mines")
    with django_assert_max_num_queries(4):
        response = client.get(reverse("web:map"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="graphics-document"' in html
    assert "Peru: 1 entry" in html
    assert '<a href="/countries/pe/">Peru</a>' in html
    assert "Natural Earth" in html and "world-atlas" in html


@pytest.mark.django_db
def test_map_page_shows_tiers_with_plain_year_links(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(reverse("web:map"), {"show": "tiers"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/map/?show=tiers&amp;year=2010"' in html
    assert re.search(r'href="/map/\?show=tiers" aria-current="page">Latest', html)
    assert "Peru: not on Watch List/Tier 3 (2025)" in html
    assert "Tier 2 (2015)" in html  # Peru's last placement, in the table

    year = client.get(reverse("web:map"), {"show": "tiers", "year": "2004"})
    html = year.content.decode()
    assert 'aria-current="page">2004<' in html
    assert "Peru: Tier 2 Watch List (2004)" in html


@pytest.mark.django_db
def test_map_page_ignores_junk_in_its_query(client):
    for params in (
        {"show": "<script>"},
        {"show": "tiers", "year": "1066"},
        {"show": "tiers", "year": "'; drop table"},
    ):
        response = client.get(reverse("web:map"), params)
        assert response.status_code == 200
        assert "<script>" not in response.content.decode().split("</header>", 1)[1]


@pytest.mark.django_db
def test_home_page_has_a_small_coverage_map(client, django_assert_max_num_queries):
    EntryFactory()
    with django_assert_max_num_queries(10):
        response = client.get(reverse("web:home"))

    html = response.content.decode()
    assert 'id="home-map-svg"' in html
    assert f'href="{reverse("web:map")}"' in html
