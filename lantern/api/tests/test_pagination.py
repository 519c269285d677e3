"""Cursor pagination: walking any list sends every item exactly once, in a stable
order, and cursors cannot be forged or moved between lists."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing

from lantern.api.pagination import SALT
from lantern.api.tests.conftest import get_json, walk
from lantern.library.models import Country, Helpline, Topic
from lantern.library.tests.factories import EntryFactory


def test_walking_entries_returns_every_entry_exactly_once(client, library):
    items = walk(client, "/api/entries", limit=3)
    ids = [item["id"] for item in items]
    assert ids == library.ids()
    assert len(ids) == len(set(ids)) == 16


def test_each_page_has_at_most_limit_items_and_the_last_has_no_next(client, library):
    page = get_json(client, "/api/entries", limit=5)
    assert len(page["results"]) == 5
    assert page["limit"] == 5
    assert page["total"] == 16
    query = parse_qs(urlsplit(page["next"]).query)
    assert query["limit"] == ["5"] and query["cursor"]
    last = get_json(client, "/api/entries", limit=500)
    assert len(last["results"]) == 16
    assert last["next"] is None


def test_the_walk_keeps_its_filters(client, library):
    items = walk(client, "/api/entries", limit=2, country="PE")
    assert sorted(i["id"] for i in items) == library.ids(library.peru)


def test_an_entry_added_during_a_walk_is_not_sent_twice_nor_skips_others(
    client, library
):
    first = get_json(client, "/api/entries", limit=4)
    EntryFactory(title="Added while a client was walking")
    rest = walk(client, first["next"])
    ids = [i["id"] for i in first["results"] + rest]
    assert len(ids) == len(set(ids)) == 17


@pytest.mark.parametrize(
    ("url", "model", "key"),
    [
        ("/api/countries", Country, "code"),
        ("/api/topics", Topic, "slug"),
        ("/api/helplines", Helpline, "id"),
    ],
)
def test_walking_other_lists_returns_every_item_once(client, library, url, model, key):
    items = walk(client, url, limit=7)
    keys = [item[key] for item in items]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(
        model.objects.values_list("pk" if key != "slug" else "slug", flat=True)
    )


def test_countries_come_by_code_and_help_lines_by_country_name(client, library):
    codes = [c["code"] for c in walk(client, "/api/countries", limit=100)]
    assert codes == sorted(codes)
    names = [h["country_name"] for h in walk(client, "/api/helplines", limit=1)]
    assert names == sorted(names) == ["Ghana", "Peru", "Peru"]


def test_accesses_are_paginated_in_page_order(client, library):
    url = f"/api/entries/{library.cocoa.pk}/accesses"
    items = walk(client, url, limit=1)
    assert [a["position"] for a in items] == sorted(
        a.position for a in library.cocoa.accesses.all()
    )
    assert len(items) == 2


def test_a_cursor_from_another_list_is_refused(client, library):
    page = get_json(client, "/api/countries", limit=2)
    cursor = parse_qs(urlsplit(page["next"]).query)["cursor"][0]
    error = get_json(client, "/api/entries", expect=400, cursor=cursor)
    assert error["parameter"] == "cursor"
    assert "another list" in error["detail"]


def test_an_edited_or_invented_cursor_is_refused(client, library):
    page = get_json(client, "/api/entries", limit=2)
    cursor = parse_qs(urlsplit(page["next"]).query)["cursor"][0]
    forged = signing.dumps({"l": "entries", "k": [0]}, salt="not-ours")
    for bad in [cursor[:-3] + "abc", forged, "abc"]:
        error = get_json(client, "/api/entries", expect=400, cursor=bad)
        assert error["parameter"] == "cursor", bad


def test_a_signed_cursor_of_the_wrong_shape_is_refused(client, library):
    for key in [[1, 2], "1", [None]]:
        cursor = signing.dumps({"l": "entries", "k": key}, salt=SALT)
        response = client.get("/api/entries", {"cursor": cursor})
        assert response.status_code == 400, key


@pytest.mark.parametrize("limit", ["0", "501", "-1", "ten"])
def test_limit_outside_1_to_500_is_refused(client, library, limit):
    error = get_json(client, "/api/entries", expect=400, limit=limit)
    assert error["parameter"] == "limit"


def test_search_is_walked_by_offset_with_the_same_results_once(client, library):
    whole = get_json(client, "/api/search", q="report", limit=500)
    items = walk(client, "/api/search", q="report", limit=5)
    assert [i["id"] for i in items] == [i["id"] for i in whole["results"]]
    assert len(items) == whole["total"] == 12


def test_a_search_cursor_needs_the_same_limit(client, library):
    page = get_json(client, "/api/search", q="report", limit=5)
    cursor = parse_qs(urlsplit(page["next"]).query)["cursor"][0]
    error = get_json(
        client, "/api/search", expect=400, q="report", limit=4, cursor=cursor
    )
    assert error["parameter"] == "cursor"
    assert "limit=5" in error["detail"]


def test_a_page_costs_the_same_queries_whatever_its_size(
    client, library, django_assert_max_num_queries
):
    # count, page, countries, topics (and the rate limit's cache, not the DB)
    with django_assert_max_num_queries(4):
        assert len(get_json(client, "/api/entries", limit=500)["results"]) == 16
    with django_assert_max_num_queries(4):
        assert len(get_json(client, "/api/entries", limit=2)["results"]) == 2


def test_a_search_page_costs_a_fixed_number_of_queries(
    client, library, django_assert_max_num_queries
):
    # The postgres backend's search and facet queries, then the entries shown
    # with publishers, countries and topics, and the facets' labels.
    with django_assert_max_num_queries(10):
        assert (
            len(get_json(client, "/api/search", q="report", limit=500)["results"]) == 12
        )
