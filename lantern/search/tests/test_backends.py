"""Searching a small known library on every backend the database allows: what
matches, in which order, with which facet counts and snippets."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from lantern.library.models import Access, Entry
from lantern.library.tests.factories import EntryFactory
from lantern.search import index
from lantern.search.facets import UNCHECKED, Filters
from lantern.search.services import QueryError, SearchPage, run_search


def ids(page: SearchPage) -> list[int]:
    return [f.entry.pk for f in page.found]


def search(
    text: str, sort: str = "relevance", **filters: str | list[str]
) -> SearchPage:
    params = {k: v if isinstance(v, list) else [v] for k, v in filters.items()}
    return run_search(text, filters=Filters.from_params(params), sort=sort)


def counts(page: SearchPage, key: str) -> dict[str, int]:
    for group in page.facets:
        if group.key == key:
            return {v.value: v.count for v in group.values}
    return {}


# ------------------------------------------------------------------- matching


def test_more_matches_rank_higher_and_a_title_match_ranks_first(library):
    page = search("cocoa")
    assert ids(page) == [
        library.cocoa_title.pk,
        library.cocoa_thrice.pk,
        library.cocoa_once.pk,
    ]
    scores = [f.hit.score for f in page.found]
    assert all(s is not None for s in scores)
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    assert page.total == 3


def test_all_words_must_match(library):
    assert ids(search("cocoa ashanti")) == [library.cocoa_title.pk]
    assert ids(search("cocoa kilns")) == []


def test_phrase_needs_the_words_together(library):
    assert ids(search('"child labour"')) == [library.cocoa_title.pk]
    # Both words are in the kilns entry's title, but not side by side.
    assert ids(search('"labour kilns"')) == []
    assert ids(search("labour kilns")) == [library.kilns.pk]


def test_or_and_not(library):
    assert set(ids(search("kilns OR fishing"))) == {
        library.kilns.pk,
        library.cocoa_thrice.pk,
    }
    # "Ghana" is in a title and in a publisher's name.
    assert ids(search("cocoa NOT ghana")) == [library.cocoa_thrice.pk]
    assert ids(search("cocoa -fishing -farms")) == [library.cocoa_once.pk]
    assert ids(search('cocoa -"child labour"'))[0] == library.cocoa_thrice.pk


def test_prefix_matches_the_beginning_of_words(library):
    # kil* → kilns; bond* → bondage.
    assert ids(search("kil*")) == [library.kilns.pk]
    assert ids(search("bond*")) == [library.kilns.pk]
    assert ids(search("zzq*")) == []


def test_stemming_finds_other_forms_of_a_word(library):
    EntryFactory(
        title="Girls trafficked across the border",
        excerpt=["Recruiters promised jobs."],
    )
    entry = Entry.objects.get(title__startswith="Girls trafficked")
    index.sync([entry.pk])
    assert ids(search("trafficking")) == [entry.pk]
    assert ids(search("farm")) == [library.cocoa_title.pk]  # "farms"
    assert set(ids(search("carrying"))) == {  # "carry", "carried"
        library.cocoa_title.pk,
        library.cocoa_thrice.pk,
    }


def test_publisher_name_and_notes_are_searched(library):
    assert set(ids(search("graphic"))) == {
        library.cocoa_title.pk,
        library.cocoa_once.pk,
    }
    assert ids(search("curator countries")) == [library.cocoa_once.pk]


def test_words_nothing_has_match_nothing(library):
    page = search("xylophone")
    assert page.total == 0
    assert page.found == []


def test_a_lone_filter_lists_entries_newest_first(library):
    page = run_search("", filters=Filters.from_params({"country": ["GH"]}))
    assert ids(page) == [library.cocoa_once.pk, library.cocoa_title.pk]


# ------------------------------------------------------------------- snippets


def test_snippets_mark_the_words_found(library):
    page = search("cocoa")
    by_id = {f.entry.pk: f.hit for f in page.found}
    assert "<mark>Cocoa</mark>" in by_id[library.cocoa_title.pk].title_html
    thrice = by_id[library.cocoa_thrice.pk].snippet_html
    assert thrice.count("<mark>cocoa</mark>") == 3
    once = by_id[library.cocoa_once.pk].snippet_html
    assert "<mark>cocoa</mark>" in once
    # A long excerpt is cut around the match, not shown whole.
    assert len(once) < len(library.cocoa_once.excerpt[0])


def test_excluded_words_are_not_marked(library):
    page = search("cocoa -ghana")
    assert page.found
    for found in page.found:
        assert (
            "<mark>ghana" not in (found.hit.title_html + found.hit.snippet_html).lower()
        )


def test_prefix_matches_are_marked(library):
    (found,) = search("kil*").found
    assert "<mark>kilns</mark>" in found.hit.title_html


def test_snippet_text_is_escaped(library):
    (found,) = search("bondage").found
    snippet = found.hit.snippet_html
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet
    assert "&amp;" in snippet
    assert "<mark>bondage</mark>" in snippet


def test_hits_without_the_word_in_the_text_show_its_beginning(library):
    (found,) = search("kilns").found
    assert "Workers wrote" in found.hit.snippet_html


# --------------------------------------------------------------------- facets

EXPECTED_KEYS = {"country", "region", "topic", "kind", "format", "section",
                 "decade", "year", "status"}  # fmt: skip


def _database_counts(entries: list[Entry]) -> dict[str, Counter[str]]:
    """Facet counts worked out from the database, for comparison."""
    found: dict[str, Counter[str]] = {key: Counter() for key in EXPECTED_KEYS}
    for entry in Entry.objects.filter(pk__in=[e.pk for e in entries]):
        codes = list(entry.countries.values_list("code", "region"))
        found["country"].update(c for c, _ in codes)
        found["region"].update({r for _, r in codes})
        found["topic"].update(entry.topics.values_list("slug", flat=True))
        found["kind"][entry.publisher.kind] += 1
        found["format"][entry.format] += 1
        found["section"][entry.section] += 1
        found["status"][entry.cached_link_status or UNCHECKED] += 1
        if entry.published_date and entry.published_precision != "unknown":
            year = entry.published_date.year
            found["year"][str(year)] += 1
            found["decade"][str(year - year % 10)] += 1
    return found


@pytest.mark.parametrize("params", [{}, {"section": ["current"]}])
def test_facet_counts_match_the_database(library, params):
    assert Entry.objects.count() == 4
    page = run_search("", filters=Filters.from_params(params))
    expected = _database_counts(library.all)
    assert {g.key for g in page.facets} == EXPECTED_KEYS
    for key in EXPECTED_KEYS:
        assert counts(page, key) == dict(expected[key]), key
    assert counts(page, "country") == {"GH": 2, "TH": 1, "CI": 1, "IN": 1}
    assert counts(page, "decade") == {"2000": 1, "2010": 2, "2020": 1}
    assert counts(page, "status") == {"alive": 1, "dead": 1, UNCHECKED: 2}


def test_facet_counts_follow_the_query(library):
    page = search("cocoa")
    expected = _database_counts(
        [library.cocoa_title, library.cocoa_thrice, library.cocoa_once]
    )
    for key in EXPECTED_KEYS:
        assert counts(page, key) == dict(expected[key]), key


def test_facet_values_are_labelled_and_ordered(library):
    page = run_search("", filters=Filters.from_params({"section": ["current"]}))
    groups = {g.key: g for g in page.facets}
    countries = groups["country"].values
    assert (countries[0].value, countries[0].label, countries[0].count) == (
        "GH",
        "Ghana",
        2,
    )
    assert [v.value for v in groups["year"].values] == ["2021", "2018", "2014", "2009"]
    assert {v.label for v in groups["kind"].values} == {"News", "NGO"}
    assert {v.label for v in groups["status"].values} == {
        "Alive",
        "Dead",
        "Not yet checked",
    }
    assert groups["decade"].values[0].label == "2020s"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"country": "GH"}, {"cocoa_title", "cocoa_once"}),
        ({"country": ["GH", "CI"]}, {"cocoa_once"}),  # both countries
        ({"region": "Africa"}, {"cocoa_title", "cocoa_once"}),
        ({"region": "Asia"}, {"cocoa_thrice", "kilns"}),
        ({"topic": "fishing"}, {"cocoa_thrice"}),
        ({"kind": "news"}, {"cocoa_title", "cocoa_once"}),
        ({"format": "pdf"}, {"cocoa_thrice", "kilns"}),
        (
            {"section": "current"},
            {"cocoa_title", "cocoa_thrice", "cocoa_once", "kilns"},
        ),
        ({"decade": "2010"}, {"cocoa_title", "kilns"}),
        ({"decade": "2014"}, {"cocoa_title", "kilns"}),  # a year stands for its decade
        ({"year": "2009"}, {"cocoa_thrice"}),
        ({"status": "dead"}, {"cocoa_once"}),
        ({"status": UNCHECKED}, {"cocoa_thrice", "kilns"}),
        ({"kind": "ngo", "format": "pdf", "decade": "2010"}, {"kilns"}),
        ({"country": "GH", "status": "alive"}, {"cocoa_title"}),
        ({"country": "PE"}, set()),
    ],
)
def test_each_facet_filters(library, filters, expected):
    page = search("", **filters)
    assert set(ids(page)) == {getattr(library, name).pk for name in expected}
    assert page.total == len(expected)


def test_filters_combine_with_the_query_and_counts_follow(library):
    page = search("cocoa", country="GH")
    assert ids(page) == [library.cocoa_title.pk, library.cocoa_once.pk]
    assert counts(page, "country") == {"GH": 2, "CI": 1}
    assert counts(page, "kind") == {"news": 2}
    assert counts(page, "topic") == {"child-labour": 1, "agriculture": 1}


def test_unknown_filter_values_are_dropped_not_errors(library):
    page = run_search(
        "cocoa",
        filters=Filters.from_params(
            {"country": ["Ghana"], "decade": ["soon"], "year": ["12"], "colour": ["x"]}
        ),
    )
    assert not page.filters
    assert page.total == 3


# ---------------------------------------------------------------------- order


def test_sorted_by_publication_date_newest_first_undated_last(library):
    undated = EntryFactory(
        title="Cocoa without a date",
        published_raw="",
        published_date=None,
        published_precision="unknown",
    )
    index.sync([undated.pk])
    page = search("cocoa", sort="published")
    assert ids(page) == [
        library.cocoa_once.pk,  # 2021
        library.cocoa_title.pk,  # 2014
        library.cocoa_thrice.pk,  # 2009
        undated.pk,
    ]
    assert all(f.hit.score is None for f in page.found)


def test_sorted_by_date_added_newest_first(library):
    Entry.objects.filter(pk=library.cocoa_title.pk).update(
        created_at=dt.datetime(2001, 1, 1, tzinfo=dt.UTC)
    )
    Entry.objects.filter(pk=library.cocoa_thrice.pk).update(
        created_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    )
    index.sync([e.pk for e in library.all])
    page = search("cocoa", sort="added")
    assert ids(page) == [
        library.cocoa_thrice.pk,
        library.cocoa_once.pk,
        library.cocoa_title.pk,
    ]


def test_sorted_by_last_verified_newest_first_never_verified_last(library):
    page = run_search(
        "", filters=Filters.from_params({"section": ["current"]}), sort="verified"
    )
    first, second, *rest = ids(page)
    assert [first, second] == [library.kilns.pk, library.cocoa_title.pk]
    assert set(rest) == {library.cocoa_thrice.pk, library.cocoa_once.pk}


def test_a_check_that_found_the_page_counts_as_verified(library):
    Access.objects.create(
        entry=library.cocoa_once,
        url=library.cocoa_once.url,
        origin=Access.Origin.CHECKER,
        outcome=Access.Outcome.ALIVE,
        checked_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        position=50,
    )
    index.sync([library.cocoa_once.pk])
    page = search("cocoa", sort="verified")
    assert ids(page)[:2] == [library.cocoa_once.pk, library.cocoa_title.pk]


def test_unknown_sort_falls_back_to_relevance(library):
    page = search("cocoa", sort="colour")
    assert page.sort == "relevance"
    assert ids(page)[0] == library.cocoa_title.pk


# ----------------------------------------------------------------- pagination


def test_pages_split_the_results(library):
    page1 = run_search("cocoa", per_page=2)
    page2 = run_search("cocoa", per_page=2, page=2)
    assert (page1.total, page1.pages, page2.total) == (3, 2, 3)
    assert ids(page1) + ids(page2) == [
        library.cocoa_title.pk,
        library.cocoa_thrice.pk,
        library.cocoa_once.pk,
    ]
    # Facets count every match, not only the page shown.
    assert counts(page2, "country")["GH"] == 2


def test_a_page_past_the_end_is_empty_not_an_error(library):
    page = run_search("cocoa", per_page=2, page=9)
    assert page.found == []
    assert page.total == 3
    assert run_search("cocoa", page=-3).page == 1
    assert run_search("cocoa", page=10**9).page == 500


# ------------------------------------------------------------- any input at all


def test_accented_words_match_as_written(library):
    entry = EntryFactory(title="Travail forcé en Côte d'Ivoire", excerpt=["Récolte."])
    index.sync([entry.pk])
    assert ids(search("côte")) == [entry.pk]
    assert ids(search("forcé récolte")) == [entry.pk]
    assert ids(search("Côt*")) == [entry.pk]


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.one_of(TEXT, TEXT.map(lambda t: t + "*"), TEXT.map(lambda t: f'"{t}"')))
def test_any_query_runs_or_gets_a_message(library, text):
    try:
        page = run_search(text, per_page=5)
    except QueryError as error:
        assert str(error)
    else:
        assert page.total >= 0


def test_british_and_american_spellings_find_each_other(library):
    # The library writes "labour"; readers type either.
    assert ids(search("labor kilns")) == [library.kilns.pk]
    assert ids(search('"child labor"')) == [library.cocoa_title.pk]
    # "organisations" is in the filler text of the annual review.
    assert ids(search("organizations")) == [library.cocoa_once.pk]
    page = search('"forced labor"')
    assert ids(page) == [library.kilns.pk]
    assert "<mark>" in page.found[0].hit.title_html
