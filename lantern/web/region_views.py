"""Region pages: the UN M49 regions, sub-regions and intermediate regions Lantern's
countries belong to (`/regions/`), and one region with its countries, entry counts,
entries per year and links to compare it (`/regions/<code>/`).

Adapters like `views`: regions come from the countries' reference data through
`compare.regions_of`, so a region exists exactly when one of its countries does.
Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from lantern.library.models import Country, Entry
from lantern.web import charts, compare, stats, topics

REGION_FIELDS = (
    "code",
    "name",
    "region",
    "region_code",
    "sub_region",
    "sub_region_code",
    "intermediate_region",
    "intermediate_region_code",
)


def region_url(code: str) -> str:
    return reverse("web:region", args=[code])


@dataclass
class RegionNode:
    """A region in the tree of the index, with its totals."""

    region: compare.Region
    children: list[RegionNode]
    countries: int
    covered: int  # countries with at least one entry

    @property
    def url(self) -> str:
        return region_url(self.region.code)


def _countries() -> dict[str, Country]:
    found = Country.objects.with_entry_counts().only(*REGION_FIELDS).order_by("name")
    return {c.code: c for c in found}


def _tree(
    regions: dict[str, compare.Region], countries: dict[str, Country], parent: str
) -> list[RegionNode]:
    nodes = []
    for region in sorted(
        (r for r in regions.values() if r.parent == parent), key=lambda r: r.name
    ):
        members = [countries[c] for c in region.countries]
        nodes.append(
            RegionNode(
                region=region,
                children=_tree(regions, countries, region.code),
                countries=len(members),
                covered=sum(1 for c in members if getattr(c, "entry_count", 0)),
            )
        )
    return nodes


def region_index(request: HttpRequest) -> HttpResponse:
    """Every region, continent first, then its sub-regions and intermediate
    regions, with how many of their countries have entries."""
    countries = _countries()
    regions = compare.regions_of(countries.values())
    return render(
        request,
        "web/regions.html",
        {"tree": _tree(regions, countries, ""), "nav": "countries"},
    )


def _entries_in(codes: tuple[str, ...]) -> QuerySet[Entry]:
    return Entry.objects.filter(countries__code__in=codes)


def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One region: its countries (by sub-region) with entry counts, the region's
    entries per year, and comparisons of it beside its siblings or of its parts."""
    if not code.isdigit() or len(code) > 3:
        raise Http404("No such region code.")
    countries = _countries()
    regions = compare.regions_of(countries.values())
    region = regions.get(code)
    if region is None:
        raise Http404("No such region.")

    chain: list[compare.Region] = []
    parent = regions.get(region.parent)
    while parent is not None:
        chain.insert(0, parent)
        parent = regions.get(parent.parent)
    siblings = compare.siblings(region, regions)
    children = _tree(regions, countries, region.code)
    members = [countries[c] for c in region.countries]
    per_year = stats.year_counts(_entries_in(region.countries))

    # Its parts side by side: the sub-regions when there are two or more, else its
    # countries with the most entries.
    if len(children) >= compare.MIN_SUBJECTS:
        parts_url = compare.compare_url(
            [], [n.region.code for n in children[: compare.MAX_SUBJECTS]]
        )
    else:
        ranked = sorted(
            (c for c in members if getattr(c, "entry_count", 0)),
            key=lambda c: (-getattr(c, "entry_count", 0), c.name),
        )[: compare.MAX_SUBJECTS]
        parts_url = (
            compare.compare_url([c.code for c in ranked], [])
            if len(ranked) >= compare.MIN_SUBJECTS
            else ""
        )

    context: dict[str, Any] = {
        "region": region,
        "chain": chain,
        "children": children,
        "countries": members,
        "covered": sum(1 for c in members if getattr(c, "entry_count", 0)),
        "entry_total": per_year.total,
        "year_chart": charts.entries_per_year(
            per_year.counts,
            chart_id="chart-region-years",
            subject=region.name,
            undated=per_year.undated,
        ),
        "siblings_url": region.compare_url if len(siblings) > 1 else "",
        "parts_url": parts_url,
        "search_url": (
            topics.search_url(region=region.name) if region.level == "region" else ""
        ),
        "nav": "countries",
    }
    return render(request, "web/region.html", context)
