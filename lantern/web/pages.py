"""What the public pages show, gathered in a bounded number of queries.

Views call these functions and render the result; nothing here writes. Touches the
database (reads only) and the reference facts shipped with the library app.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from lantern.library.models import (
    Access,
    Country,
    Entry,
    Helpline,
    Tier,
    TierPlacement,
    best_placements,
)
from lantern.library.reference import tier_facts, tier_list_years

FIRST_TIP_YEAR = 2001
LAST_TIP_YEAR = 2025

SOURCE_PRECEDENCE = TierPlacement.PRECEDENCE

TIER_SHORT = {
    Tier.TIER1: "1",
    Tier.TIER2: "2",
    Tier.TIER2WL: "2WL",
    Tier.TIER3: "3",
    Tier.SPECIAL: "SC",
}

NOT_LISTED_LABEL = "not on Watch List/Tier 3"


# ------------------------------------------------------------------------ tier history


@dataclass(frozen=True)
class TierCell:
    """One report year of a country's TIP tier history."""

    year: int
    status: str  # "placed" | "not-listed" | "no-data"
    tier: str = ""  # a Tier value when placed
    label: str = ""  # "Tier 2 Watch List", "not on Watch List/Tier 3", or ""
    short: str = ""  # "2WL", "–", or ""
    source: str = ""  # a TierPlacement.Source value when placed

    @property
    def css_class(self) -> str:
        return f"tier-{self.tier}" if self.tier else f"tier-{self.status}"


def tier_history(
    placements: Iterable[TierPlacement],
    first_year: int = FIRST_TIP_YEAR,
    last_year: int = LAST_TIP_YEAR,
) -> list[TierCell]:
    """A cell per report year: the tier when known; "not on Watch List/Tier 3" for a
    year whose complete lists are known but do not name the country; else blank."""
    best = best_placements(placements)
    list_years = set(tier_list_years())
    cells = []
    for year in range(first_year, last_year + 1):
        placement = best.get(year)
        if placement is not None:
            tier = Tier(placement.tier)
            cells.append(
                TierCell(
                    year=year,
                    status="placed",
                    tier=tier.value,
                    label=str(tier.label),
                    short=TIER_SHORT.get(tier, tier.value),
                    source=placement.source,
                )
            )
        elif year in list_years:
            cells.append(
                TierCell(year, "not-listed", label=NOT_LISTED_LABEL, short="–")
            )
        else:
            cells.append(TierCell(year, "no-data"))
    return cells


def tier_sources(cells: Sequence[TierCell]) -> list[str]:
    """The attributions a tier history needs: the compilations' own wording, then
    the labels of any other sources its cells use."""
    facts = tier_facts()["sources"]
    used = {cell.source for cell in cells if cell.source}
    lines = [text for key, text in sorted(facts.items())]
    for source in SOURCE_PRECEDENCE:
        if source in used and source not in facts:
            lines.append(str(TierPlacement.Source(source).label))
    return lines


# ----------------------------------------------------------------------- entry listing


@dataclass(frozen=True)
class ListedEntry:
    """An entry with what its listing shows, fetched beforehand."""

    entry: Entry
    accesses: list[Access]
    newer_editions: list[Entry] = field(default_factory=list)

    @property
    def newest_edition(self) -> Entry | None:
        return self.newer_editions[0] if self.newer_editions else None


def newer_editions_by_entry(entries: Sequence[Entry]) -> dict[int, list[Entry]]:
    """`Entry.newer_editions()` for many entries in one query, newest first."""
    wanted = [e for e in entries if e.series_id is not None and e.edition_year]
    if not wanted:
        return {}
    codes = {e.primary_country_id for e in wanted}
    country_filter = Q(primary_country_id__in=[c for c in codes if c is not None])
    if None in codes:
        country_filter |= Q(primary_country__isnull=True)
    candidates = list(
        Entry.objects.filter(
            country_filter,
            series_id__in={e.series_id for e in wanted},
            edition_year__isnull=False,
        )
        .only("id", "title", "edition_year", "series_id", "primary_country_id", "url")
        .order_by("-edition_year", "id")
    )
    result: dict[int, list[Entry]] = {}
    for entry in wanted:
        assert entry.edition_year is not None
        result[entry.pk] = [c for c in candidates if c.is_newer_edition_of(entry)]
    return result


def listed(entries: Sequence[Entry]) -> list[ListedEntry]:
    """Wrap entries fetched with `with_listing_data()` for a listing."""
    newer = newer_editions_by_entry(entries)
    return [
        ListedEntry(
            entry=e, accesses=e.ordered_accesses(), newer_editions=newer.get(e.pk, [])
        )
        for e in entries
    ]


@dataclass(frozen=True)
class CountrySections:
    """A country's own entries in the order its page shows them."""

    current: list[ListedEntry]
    archive: list[ListedEntry]
    street_children: list[ListedEntry]

    @property
    def total(self) -> int:
        return len(self.current) + len(self.archive) + len(self.street_children)


def country_sections(code: str) -> CountrySections:
    """Entries whose primary country is `code`, split into the page's sections."""
    entries = list(Entry.objects.primarily_in(code).in_page_order().with_listing_data())
    items = listed(entries)
    trafficking = [
        i for i in items if i.entry.collection != Entry.Collection.STREET_CHILDREN
    ]
    street = [
        i for i in items if i.entry.collection == Entry.Collection.STREET_CHILDREN
    ]
    street.sort(
        key=lambda i: (
            i.entry.section != Entry.Section.CURRENT,
            i.entry.position,
            i.entry.pk,
        )
    )
    return CountrySections(
        current=[i for i in trafficking if i.entry.section == Entry.Section.CURRENT],
        archive=[i for i in trafficking if i.entry.section == Entry.Section.ARCHIVE],
        street_children=street,
    )


# ---------------------------------------------------------------------- country index


@dataclass
class CountryGroup:
    """Countries of one intermediate region (or of the sub-region itself)."""

    name: str
    countries: list[Country] = field(default_factory=list)


@dataclass
class SubRegion:
    name: str
    code: str
    groups: list[CountryGroup] = field(default_factory=list)

    @property
    def countries(self) -> list[Country]:
        return [c for g in self.groups for c in g.countries]


@dataclass
class Region:
    name: str
    code: str
    sub_regions: list[SubRegion] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return region_anchor(self.code)

    @property
    def country_count(self) -> int:
        return sum(len(s.countries) for s in self.sub_regions)

    @property
    def covered_count(self) -> int:
        return sum(
            1
            for s in self.sub_regions
            for c in s.countries
            if getattr(c, "entry_count", 0)
        )


OTHER_REGION = "Other territories"


def region_anchor(code: str) -> str:
    """The fragment id of a region or sub-region on the countries index."""
    return f"region-{code}" if code else "region-other"


def group_by_region(countries: Iterable[Country]) -> list[Region]:
    """Nest countries by UN M49 region, sub-region and intermediate region, each level
    sorted by name; countries without a region come last."""
    tree: dict[tuple[str, str], dict[tuple[str, str], dict[str, list[Country]]]] = (
        defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    )
    for country in countries:
        region_key = (country.region or OTHER_REGION, country.region_code)
        sub_key = (
            country.sub_region or country.region or OTHER_REGION,
            country.sub_region_code,
        )
        tree[region_key][sub_key][country.intermediate_region].append(country)

    regions: list[Region] = []
    for (r_name, r_code), subs in sorted(
        tree.items(), key=lambda kv: (kv[0][0] == OTHER_REGION, kv[0][0])
    ):
        region = Region(r_name, r_code)
        for (s_name, s_code), groups in sorted(subs.items()):
            sub_region = SubRegion(s_name, s_code)
            for g_name, members in sorted(groups.items()):
                members.sort(key=lambda c: c.name)
                sub_region.groups.append(CountryGroup(g_name, members))
            region.sub_regions.append(sub_region)
        regions.append(region)
    return regions


# --------------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class Coverage:
    countries: int
    entries: int
    accesses: int
    helplines: int
    helpline_countries: int


def coverage() -> Coverage:
    """The library's headline numbers (five small COUNT queries)."""
    return Coverage(
        countries=Country.objects.filter(entries__isnull=False).distinct().count(),
        entries=Entry.objects.count(),
        accesses=Access.objects.count(),
        helplines=Helpline.objects.count(),
        helpline_countries=Helpline.objects.values("country").distinct().count(),
    )


def long_date(value: dt.date) -> str:
    """A date as the pages write it: 28 November 2026."""
    return f"{value.day} {value:%B %Y}"
