"""Pure helpers behind the pages: tier history, safe links, region grouping."""

from __future__ import annotations

import pytest

from lantern.library.models import Country, TierPlacement
from lantern.library.reference import tier_list_years
from lantern.web.pages import group_by_region, tier_history
from lantern.web.templatetags.lantern_web import external_href


def placement(year: int, tier: str, source: str = "kelley-heiss") -> TierPlacement:
    return TierPlacement(country_id="PE", report_year=year, tier=tier, source=source)


def test_tier_history_has_one_cell_per_report_year_2001_to_2025():
    cells = tier_history([])

    assert [c.year for c in cells] == list(range(2001, 2026))


def test_tier_history_marks_list_years_without_placement_as_not_listed():
    cells = {c.year: c for c in tier_history([placement(2004, "tier2wl")])}

    assert cells[2004].label == "Tier 2 Watch List"
    assert cells[2004].short == "2WL"
    for year in tier_list_years():
        assert cells[year].status == "not-listed"
        assert cells[year].label == "not on Watch List/Tier 3"
    assert cells[2018].status == "no-data"
    assert cells[2018].label == ""


def test_tier_history_prefers_a_curators_placement_over_the_compilation():
    cells = {
        c.year: c
        for c in tier_history(
            [placement(2010, "tier2"), placement(2010, "tier3", source="curator")]
        )
    }

    assert cells[2010].tier == "tier3"
    assert cells[2010].source == "curator"


@pytest.mark.parametrize(
    ("raw", "href"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("www.example.org/path", "http://www.example.org/path"),
        ("//example.org/x", "https://example.org/x"),
        ("javascript:alert(1)", ""),
        ("JAVASCRIPT:alert(1)", ""),
        ("data:text/html,hi", ""),
        ("mailto:someone@example.org", ""),
        ("not a url", ""),
        ("", ""),
        ("http://", ""),
    ],
)
def test_external_href_allows_only_web_addresses(raw, href):
    assert external_href(raw) == href


def test_group_by_region_nests_regions_and_puts_unassigned_last():
    countries = [
        Country(code="PE", name="Peru", region="Americas", region_code="019",
                sub_region="Latin America and the Caribbean", sub_region_code="419",
                intermediate_region="South America"),
        Country(code="AQ", name="Antarctica"),
        Country(code="FR", name="France", region="Europe", region_code="150",
                sub_region="Western Europe", sub_region_code="155"),
    ]  # fmt: skip

    regions = group_by_region(countries)

    assert [r.name for r in regions] == ["Americas", "Europe", "Other territories"]
    americas = regions[0]
    assert americas.sub_regions[0].groups[0].name == "South America"
    assert americas.sub_regions[0].countries[0].code == "PE"
