"""Counts the charts and maps draw, each in one query whatever the library's size.

Reads the database only; the chart builders in `charts` and `maps` turn the numbers
into SVG.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from lantern.library.models import Country, Entry, TierPlacement
from lantern.web import charts, maps, pages


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
    for p in TierPlacement.objects.only("country_id", "report_year", "tier", "source"):
        placements[p.country_id].append(p)
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
