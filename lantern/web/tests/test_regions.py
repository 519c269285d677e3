"""Region pages: the M49 tree at /regions/ and one region at /regions/<code>/."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from lantern.library.models import Country
from lantern.library.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def country(code: str) -> Country:
    return Country.objects.get(code=code)


def test_index_nests_sub_regions_under_their_continent_with_coverage(client):
    EntryFactory(primary_country=country("PE"))

    html = html_of(client.get(reverse("web:regions")))

    americas = html[html.index('id="region-019-heading"') :]
    americas = americas[: americas.index("</section>")]
    assert 'href="/regions/019/"' in americas
    assert 'href="/regions/419/">Latin America and the Caribbean</a>' in americas
    # South America is an intermediate region of Latin America: nested inside it.
    assert 'href="/regions/005/">South America</a>' in americas
    assert 'href="/regions/005/"' not in html[: html.index('id="region-019-heading"')]
    # One country of the Americas has an entry.
    assert re.search(
        r"Americas</a> <span class=\"muted\">\(1 of \d+ countries", americas
    )


def test_region_page_lists_its_countries_counts_and_compare_links(client):
    EntryFactory(primary_country=country("PE"), countries=[country("PE")])
    EntryFactory(primary_country=country("BO"), countries=[country("BO")])
    EntryFactory(primary_country=country("BO"), countries=[country("BO")])
    EntryFactory(primary_country=country("FR"), countries=[country("FR")])

    html = html_of(client.get(reverse("web:region", args=["005"])))

    assert "<h1>South America</h1>" in html
    # Breadcrumb: the continent and the sub-region above it.
    assert 'href="/regions/019/">Americas</a>' in html
    assert 'href="/regions/419/">Latin America and the Caribbean</a>' in html
    assert "3 entries on 2 of its" in html  # France is not in South America
    assert re.search(
        r'href="/countries/bo/">Bolivia[^<]*</a> <span class="count">2<', html
    )
    assert 'href="/countries/pe/">Peru</a> <span class="count">1<' in html
    # Beside its siblings (Caribbean, Central America), and its countries compared.
    assert f'href="{reverse("web:compare")}?region=005"' in html
    assert re.search(r"compare/\?countries=bo,pe\"", html)


def test_a_continent_compares_its_sub_regions_and_links_to_search(client):
    html = html_of(client.get(reverse("web:region", args=["019"])))

    assert "regions=419,021" in html or "regions=021,419" in html
    assert f'href="{reverse("search:search")}?' in html


def test_unknown_or_malformed_region_codes_are_404(client):
    assert client.get("/regions/999/").status_code == 404
    assert client.get("/regions/abc/").status_code == 404
    assert client.get("/regions/0191/").status_code == 404


def test_region_page_query_count_is_bounded(client, django_assert_max_num_queries):
    for code in ("PE", "BO", "CL", "AR"):
        EntryFactory.create_batch(3, primary_country=country(code))

    with django_assert_max_num_queries(4):
        html_of(client.get(reverse("web:region", args=["419"])))
