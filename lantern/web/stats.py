"""Counts the charts and maps draw, each in one query whatever the library's size.

Reads the database only; the chart builders in `charts` and `maps` turn the numbers
into SVG.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple, cast
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.urls import reverse

from lantern.library.models import Country, Entry, TierPlacement, Topic
from lantern.web import charts, maps, pages
from lantern.web.topic_charts import TopicRow


@dataclass(frozen=True)
class YearCounts:
    """Entries per year of publication, and how many have no date."""

    counts: dict[int, int] = field(default_factory=dict)
    undated: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.undated


def year_counts(entries: QuerySet[Entry]) -> YearCounts:
    """Entries per year of publication (one query; `entries` may repeat rows)."""
    rows = (
        Entry.objects.filter(pk__in=entries.values("pk"))
        .values(year=ExtractYear("published_date"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, int] = {}
    undated = 0
    for row in rows:
        if row["year"] is None:
            undated += row["n"]
        else:
            counts[int(row["year"])] = row["n"]
    return YearCounts(counts, undated)


def topic_counts(code: str) -> list[tuple[TopicRow, int]]:
    """Entries naming the country per topic it has any in, each linking to the
    topic's page for the country (one query)."""
    topics = (
        Topic.objects.filter(parent__isnull=False, entries__countries=code)
        .annotate(n=Count("entries", distinct=True))
        .select_related("parent")
        .order_by("parent__position", "position", "name")
    )
    return [
        (
            TopicRow(
                slug=t.slug,
                name=t.name,
                group=t.parent.name if t.parent else "",
                url=f"{reverse('web:topic', args=[t.slug])}?{urlencode({'country': code.lower()})}",
            ),
            t.n,  # type: ignore[attr-defined]
        )
        for t in topics
    ]


def entries_per_country() -> dict[str, int]:
    """Entries naming each country, primary or not (one query on the link table)."""
    through = Entry.countries.through
    return {
        row["country_id"]: row["n"]
        for row in through.objects.values("country_id")
        .annotate(n=Count("entry_id"))
        .order_by()
    }


def map_countries() -> list[maps.MapCountry]:
    """Every country with what the maps show beside it (one query)."""
    return [
        maps.MapCountry(
            code=c.code, name=c.name, url=c.get_absolute_url(), region=region
        )
        for c, region in (
            (c, c.sub_region or c.region)
            for c in Country.objects.only("code", "name", "region", "sub_region")
        )
    ]


class _Placement(NamedTuple):
    report_year: int
    tier: str
    source: str


@dataclass(frozen=True)
class TierMapData:
    states: dict[str, maps.TierState]
    years: list[int]  # report years any country has data for


def tier_states(year: int | None) -> TierMapData:
    """Each country's TIP standing in `year` (None: its latest report year with
    data), and the years with data (one query).

    Only countries the reports have ever placed can be "not on the Watch List or
    Tier 3"; territories never ranked have no data rather than that label.
    """
    placements: dict[str, list[TierPlacement]] = defaultdict(list)
    found = TierPlacement.objects.values_list(
        "country_id", "report_year", "tier", "source"
    )
    for code, report_year, tier, source in found:
        # Plain rows read twice as fast as model instances; the tier history reads
        # only these three attributes.
        placement = _Placement(report_year, tier, source)
        placements[code].append(cast(TierPlacement, placement))
    states: dict[str, maps.TierState] = {}
    years: set[int] = set()
    for code, rows in placements.items():
        cells = pages.tier_history(rows)
        known = [c for c in cells if c.status != "no-data"]
        years.update(c.year for c in known)
        placed = [c for c in known if c.status == "placed"]
        if year is None:
            cell = known[-1] if known else None
        else:
            cell = next((c for c in known if c.year == year), None)
        if cell is None:
            continue
        last = [c for c in placed if c.year <= cell.year]
        last_placed = ""
        if cell.status != "placed" and last:
            last_placed = f"{last[-1].label} ({last[-1].year})"
        states[code] = maps.TierState(
            key=charts.tier_key(cell),
            label=cell.label,
            year=cell.year,
            last_placed=last_placed,
        )
    return TierMapData(states, sorted(years))
