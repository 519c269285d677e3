"""Each filter of `/api/entries` (and of the country and help-line lists) narrows
the list to exactly the items that match; bad values are refused by name."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from lantern.api.tests.conftest import get_json, walk
from lantern.library.models import Country, Entry


def ids(client, **params) -> list[int]:  # type: ignore[no-untyped-def]
    return sorted(
        item["id"] for item in walk(client, "/api/entries", limit=500, **params)
    )


def test_no_filter_lists_everything(client, library):
    assert ids(client) == library.ids()


def test_country_names_the_entry_primary_or_not(client, library):
    assert ids(client, country="GH") == library.ids([library.cocoa, library.review])
    assert ids(client, country="ci") == library.ids([library.review])
    bolivia = [e for e in library.peru if e.countries.filter(code="BO").exists()]
    assert len(bolivia) == 4
    assert ids(client, country=["PE", "BO"]) == library.ids(bolivia)


def test_region_by_name_or_code(client, library):
    asia = library.ids([library.fishing, library.kilns])
    assert ids(client, region="Asia") == asia
    assert ids(client, region="142") == asia
    assert ids(client, region="035") == library.ids(
        [library.fishing]
    )  # South-eastern Asia
    assert ids(client, region="Africa") == library.ids([library.cocoa, library.review])


def test_topic_and_both_topics(client, library):
    labour = [e for e in library.peru if e.topics.exists()]
    assert ids(client, topic="forced-labour") == library.ids(labour)
    assert ids(client, topic=["child-labour", "agriculture"]) == [library.cocoa.pk]
    assert ids(client, topic=["child-labour", "fishing"]) == []


def test_type_kind_section_collection_language(client, library):
    pdfs = [e for e in library.entries if e.format == Entry.Format.PDF]
    assert len(pdfs) >= 3
    assert ids(client, type="pdf") == library.ids(pdfs)
    news = [library.cocoa, library.review]
    assert ids(client, kind="news") == library.ids(news)
    assert ids(client, section="archive") == [library.review.pk]
    assert ids(client, collection="street-children") == [library.kilns.pk]
    assert ids(client, language="es") == [library.fishing.pk]
    assert ids(client, language="ES") == [library.fishing.pk]


def test_link_status_including_never_checked(client, library):
    assert ids(client, status="alive") == [library.cocoa.pk]
    assert ids(client, status="dead") == [library.review.pk]
    unchecked = [e for e in library.entries if e not in (library.cocoa, library.review)]
    assert ids(client, status="unchecked") == library.ids(unchecked)


def test_year_range_is_inclusive_and_skips_undated(client, library):
    in_range = [
        e
        for e in library.entries
        if e.published_date and 2014 <= e.published_date.year <= 2018
    ]
    assert ids(client, year_from=2014, year_to=2018) == library.ids(in_range)
    assert ids(client, year_from=2021) == library.ids(
        [e for e in library.entries if e.published_date.year >= 2021]
    )
    Entry.objects.filter(pk=library.kilns.pk).update(published_precision="unknown")
    assert library.kilns.pk not in ids(client, year_to=2030)


def test_updated_since(client, library):
    later = timezone.now() + dt.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        library.fishing.save()
    assert ids(client, updated_since=later.isoformat()) == [library.fishing.pk]
    naive = later.astimezone(dt.UTC).replace(tzinfo=None).isoformat()
    assert ids(client, updated_since=naive) == [library.fishing.pk]
    assert ids(client, updated_since="2000-01-01T00:00:00Z") == library.ids()


def test_filters_combine(client, library):
    assert ids(client, country="GH", status="dead", section="archive") == [
        library.review.pk
    ]
    assert ids(client, country="GH", type="pdf") == []


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("country", "Peru"),
        ("country", "p1"),
        ("topic", "<b>"),
        ("type", "html"),
        ("kind", "blog"),
        ("section", "old"),
        ("status", "gone"),
        ("language", "spanish"),
        ("year_from", "two thousand"),
        ("year_to", "100000"),
        ("updated_since", "yesterday"),
        ("updated_since", "9999-12-31T23:59:59-05:00"),
        ("region", "Asia\x00"),
    ],
)
def test_a_bad_filter_value_is_refused_by_name(client, library, parameter, value):
    error = get_json(client, "/api/entries", expect=400, **{parameter: value})
    assert error["parameter"] == parameter
    assert error["detail"].startswith(f"{parameter}:")


def test_a_reversed_year_range_is_refused(client, library):
    error = get_json(client, "/api/entries", expect=400, year_from=2020, year_to=2010)
    assert error["parameter"] == "year_from"


def test_too_many_values_of_one_filter_are_refused(client, library):
    error = get_json(client, "/api/entries", expect=400, country=["PE"] * 11)
    assert error["parameter"] == "country"


def test_countries_filter_by_region_and_entries(client, library):
    south_america = walk(client, "/api/countries", limit=500, region="005")
    assert {c["code"] for c in south_america} == set(
        Country.objects.filter(intermediate_region_code="005").values_list(
            "code", flat=True
        )
    )
    covered = walk(client, "/api/countries", limit=500, with_entries="true")
    assert {c["code"]: c["entry_count"] for c in covered} == {
        "BO": 4, "CI": 1, "GH": 2, "IN": 1, "PE": 12, "TH": 1,
    }  # fmt: skip
    error = get_json(client, "/api/countries", expect=400, region="Asia")
    assert error["parameter"] == "region"


def test_help_lines_filter_by_country(client, library):
    ghana = walk(client, "/api/helplines", country="gh")
    assert [h["number"] for h in ghana] == ["0800 111 222"]
    assert walk(client, "/api/helplines", country="BO") == []
    assert get_json(client, "/api/helplines", expect=400, country="GHA")[
        "parameter"
    ] == ("country")


def test_topics_filter_by_group(client, library):
    forms = walk(client, "/api/topics", group="forms")
    assert forms and all(t["group"] == "forms" for t in forms)
    assert "forced-labour" in {t["slug"] for t in forms}
    counts = {
        t["slug"]: t["entry_count"] for t in walk(client, "/api/topics", limit=500)
    }
    assert counts["forced-labour"] == 6
    assert counts["child-labour"] == 1
