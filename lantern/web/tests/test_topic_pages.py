"""Topic pages list a topic's entries grouped by country, with counts, a chart of
entries per year and links into search, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from lantern.library.models import Country, Topic
from lantern.library.tests.factories import AccessFactory, EntryFactory
from lantern.web import topics

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def country(code: str) -> Country:
    return Country.objects.get(code=code)


def topic(slug: str = "mining") -> Topic:
    return Topic.objects.get(slug=slug)


def page(slug: str = "mining", **params) -> str:
    response = Client().get(reverse("web:topic", args=[slug]), params)
    assert response.status_code == 200
    return response.content.decode()


def squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", html)


def test_topic_page_groups_entries_by_country_in_name_order_with_counts():
    EntryFactory(title="Gold mines of Madre de Dios", topics=[topic()])
    EntryFactory(
        title="Tin mines of Potosí",
        primary_country=country("BO"),
        countries=[country("PE")],
        topics=[topic()],
    )
    EntryFactory(title="Not about mining", topics=[topic("fishing")])

    html = squeeze(page())

    bolivia = html.index('id="country-bo"')
    peru = html.index('id="country-pe"')
    assert bolivia < peru  # by name
    assert "Not about mining" not in html
    index = html[html.index('class="country-list topic-index"') :]
    assert re.search(r'href="#country-bo">Bolivia</a> <span class="count">1<', index)
    assert re.search(r'href="#country-pe">Peru</a> <span class="count">2<', index)
    # An entry about two countries is listed under each; under Peru, it says where
    # it is from.
    peru_section = html[peru:]
    assert "Tin mines of Potosí" in html[bolivia:peru]
    assert "Tin mines of Potosí" in peru_section
    assert 'Country: <a href="/countries/bo/">Bolivia</a>' in peru_section
    # The topic's group, totals, the chart and the links into search.
    assert 'href="/topics/sectors/">Sectors' in html or "Sectors</a>" in html
    assert "<dt>Entries</dt><dd>2</dd>" in html
    assert "<dt>Countries</dt><dd>2</dd>" in html
    assert 'id="chart-topic-per-year-svg"' in html and 'role="img"' in html
    assert 'href="/search/?q=&amp;topic=mining"' in html
    assert 'href="/search/?q=&amp;topic=mining&amp;country=PE"' in html


def test_big_countries_show_their_newest_entries_and_link_to_the_rest():
    for year in range(2001, 2001 + topics.ENTRIES_PER_COUNTRY + 3):
        EntryFactory(
            title=f"Mining report {year}",
            published_date=dt.date(year, 6, 1),
            topics=[topic()],
        )

    html = page()

    assert "Mining report 2008" in html and "Mining report 2004" in html
    assert "Mining report 2003" not in html
    assert html.index("Mining report 2008") < html.index("Mining report 2004")
    assert 'href="?country=pe">All 8 entries for Peru' in html

    everything = page(country="pe")
    assert "Mining report 2001" in everything and "Mining report 2008" in everything
    assert "8 entries, newest first." in everything


def test_countries_are_paginated_and_the_index_points_at_their_page(monkeypatch):
    monkeypatch.setattr(topics, "COUNTRIES_PER_PAGE", 2)
    for code in ("AR", "BO", "CL"):
        EntryFactory(primary_country=country(code), topics=[topic()])

    first = page()
    assert 'id="country-ar"' in first and 'id="country-bo"' in first
    assert 'id="country-cl"' not in first
    assert 'href="?page=2#country-cl">Chile' in first
    assert 'rel="next"' in first
    second = page(page="2")
    assert 'id="country-cl"' in second and 'id="country-ar"' not in second


def test_entries_without_a_country_come_last():
    EntryFactory(title="A global survey", primary_country=None, topics=[topic()])
    EntryFactory(topics=[topic()])

    html = page()

    assert html.index('id="country-pe"') < html.index('id="country-none"')
    assert "A global survey" in html
    assert "A global survey" in page(country="none")


def test_a_group_page_lists_the_entries_of_its_topics():
    EntryFactory(title="Gold mines", topics=[topic("mining")])
    EntryFactory(title="Fishing boats", topics=[topic("fishing")])

    html = page("sectors")

    assert "Gold mines" in html and "Fishing boats" in html
    assert re.search(r'href="/topics/mining/">Mining</a> <span class="count">1', html)


def test_unknown_country_on_a_topic_page_is_not_found(client):
    response = client.get(reverse("web:topic", args=["mining"]), {"country": "zz"})
    assert response.status_code == 404


def test_topic_page_query_count_is_bounded(client, django_assert_max_num_queries):
    codes = ["PE", "BO", "EC", "CO", "BR", "CL", "AR", "MX"]
    for code in codes:
        for i in range(topics.ENTRIES_PER_COUNTRY + 2):
            entry = EntryFactory(
                primary_country=country(code),
                countries=[country("PE")],
                published_date=dt.date(2000 + i, 1, 1),
                topics=[topic(), topic("fishing")],
            )
            AccessFactory(entry=entry)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("web:topic", args=["mining"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="entry"') == len(codes) * topics.ENTRIES_PER_COUNTRY

    with django_assert_max_num_queries(12):
        response = client.get(reverse("web:topic", args=["sectors"]))
    assert response.status_code == 200

    with django_assert_max_num_queries(10):
        response = client.get(reverse("web:topic", args=["mining"]), {"country": "pe"})
    assert response.status_code == 200


def test_topic_counts_name_one_entry_in_the_singular_for_screen_readers():
    EntryFactory(title="Gold mines", topics=[topic()])
    EntryFactory(title="Boats", topics=[topic("fishing")])
    EntryFactory(title="More boats", topics=[topic("fishing")])
    one = '1<span class="visually-hidden"> {}</span>'
    two = '2<span class="visually-hidden"> {}</span>'
    for language, (singular, plural) in {
        "en": ("entry", "entries"),
        "es": ("entrada", "entradas"),
    }.items():
        response = Client(headers={"accept-language": language}).get(
            reverse("web:topics")
        )
        html = squeeze(response.content.decode())
        mining = html[html.index('href="/topics/mining/"') :][:200]
        fishing = html[html.index('href="/topics/fishing/"') :][:200]
        assert one.format(singular) in mining, (language, mining)
        assert two.format(plural) in fishing, (language, fishing)
