"""What the public pages show, gathered in a bounded number of queries.

Views call these functions and render the result; nothing here writes. Touches the
database (reads only) and the reference facts shipped with the library app.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy

from lantern.capture.models import Snapshot
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

NOT_LISTED_LABEL = gettext_lazy("not on Watch List/Tier 3")
# The tiers' names in the reader's language; the model's own labels stay English
# (the API and the exports give them).
TIER_LABELS: dict[str, Any] = {
    Tier.TIER1: gettext_lazy("Tier 1"),
    Tier.TIER2: gettext_lazy("Tier 2"),
    Tier.TIER2WL: gettext_lazy("Tier 2 Watch List"),
    Tier.TIER3: gettext_lazy("Tier 3"),
    Tier.SPECIAL: gettext_lazy("Special Case"),
}


def tier_label(value: str) -> str:
    """A tier's name for a page, in the reader's language."""
    return str(TIER_LABELS.get(value, value))


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
                    label=tier_label(tier),
                    short=TIER_SHORT.get(tier, tier.value),
                    source=placement.source,
                )
            )
        elif year in list_years:
            cells.append(
                TierCell(year, "not-listed", label=str(NOT_LISTED_LABEL), short="–")
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


# ---------------------------------------------------------------------- addresses

_SAFE_SCHEMES = {"http", "https"}


def external_href(url: str) -> str:
    """An address fit for an `href`: http(s) only, scheme added when the page wrote a
    bare `www.example.org/…`; '' for anything else (javascript:, mailto:, junk)."""
    url = (url or "").strip()
    if not url or any(ch.isspace() for ch in url):
        return ""
    parts = urlsplit(url)
    if not parts.scheme:
        if url.startswith("//"):
            return f"https:{url}"
        candidate = urlsplit(f"http://{url}")
        host = candidate.hostname or ""
        return f"http://{url}" if "." in host else ""
    if parts.scheme.lower() in _SAFE_SCHEMES and parts.netloc:
        return url
    return ""


def public_url(request: HttpRequest | None, path: str) -> str:
    """The address readers should cite: LANTERN_SITE_URL when set (the public name
    behind a proxy), else the address of this request; the path alone without
    either."""
    if settings.LANTERN_SITE_URL:
        return settings.LANTERN_SITE_URL.rstrip("/") + path
    if request is None:
        return path
    return request.build_absolute_uri(path)


# ------------------------------------------------------------------ archived copies

# Link-check outcomes after which the link no longer gives readers what was cited,
# so the pages send them to an archived copy instead.
LINK_GONE = frozenset(
    {Access.Outcome.DEAD, Access.Outcome.SOFT_DEAD, Access.Outcome.DRIFTED}
)


@dataclass(frozen=True)
class ArchivedCopy:
    """Where readers can see a source as it was cited."""

    url: str  # a path on this site for our own snapshots, else an absolute URL
    kind: str  # "snapshot" | "wayback" | "legacy"
    captured_at: dt.datetime | None = None

    LABELS = {
        "snapshot": gettext_lazy("Lantern’s archived copy"),
        "wayback": gettext_lazy("Internet Archive copy"),
        "legacy": gettext_lazy("Archived copy"),
    }

    @property
    def label(self) -> str:
        return str(self.LABELS[self.kind])


def archived_copy(entry: Entry, snapshots: Sequence[Snapshot]) -> ArchivedCopy | None:
    """The archived copy to offer for an entry: our own latest usable snapshot, else
    the Internet Archive capture, else the legacy archived-copy link; None when
    there is none. `snapshots` are the entry's snapshots from
    `Snapshot.objects.usable()`, fetched beforehand (no query here)."""
    if snapshots:
        latest = max(snapshots, key=lambda s: (s.captured_at, s.pk))
        return ArchivedCopy(latest.get_absolute_url(), "snapshot", latest.captured_at)
    if wayback := external_href(entry.wayback_url):
        return ArchivedCopy(wayback, "wayback", entry.wayback_captured_at)
    if legacy := external_href(entry.archived_copy_url):
        return ArchivedCopy(legacy, "legacy")
    return None


def usable_snapshots(entries: Sequence[Entry]) -> dict[int, list[Snapshot]]:
    """The usable snapshots of many entries in one query, newest first."""
    found: dict[int, list[Snapshot]] = defaultdict(list)
    if not entries:
        return found
    for snapshot in (
        Snapshot.objects.usable()
        .filter(entry_id__in=[e.pk for e in entries])
        .only("id", "entry_id", "url", "captured_at", "http_status", "title")
    ):
        found[snapshot.entry_id].append(snapshot)
    return found


def robust_date(value: dt.date | dt.datetime | None) -> str:
    """A date for `data-versiondate`: YYYY-MM-DD, or a UTC timestamp when the time
    is known."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


# ----------------------------------------------------------------------- entry listing


@dataclass(frozen=True)
class ListedEntry:
    """An entry with what its listing shows, fetched beforehand: all its accesses
    (the history), its usable snapshots, newer editions of its series."""

    entry: Entry
    accesses: list[Access]
    newer_editions: list[Entry] = field(default_factory=list)
    snapshots: list[Snapshot] = field(default_factory=list)

    @property
    def newest_edition(self) -> Entry | None:
        return self.newer_editions[0] if self.newer_editions else None

    @cached_property
    def verifications(self) -> list[Access]:
        """The accesses readers are shown as "accessed": successful ones only."""
        return [a for a in self.accesses if a.is_verification]

    @property
    def last_verified(self) -> dt.date | None:
        """The date of the latest verification."""
        dates = [verified_on(a) for a in self.verifications]
        return max((d for d in dates if d is not None), default=None)

    @property
    def latest_check(self) -> Access | None:
        """The link checker's latest access."""
        checks = [a for a in self.accesses if a.origin == Access.Origin.CHECKER]
        return max(
            checks,
            key=lambda a: (a.checked_at is not None, a.checked_at, a.position, a.pk),
            default=None,
        )

    @property
    def link_status_label(self) -> str:
        return outcome_label(self.entry.cached_link_status)

    @property
    def link_gone(self) -> bool:
        """The latest check found the link dead, soft-dead or drifted."""
        return self.entry.cached_link_status in LINK_GONE

    @cached_property
    def archived(self) -> ArchivedCopy | None:
        return archived_copy(self.entry, self.snapshots)

    @property
    def version_date(self) -> str:
        """`data-versiondate`: when the archived copy was made, else the date the
        link was last verified (the date of linking, in Robust Links' terms)."""
        copy = self.archived
        if copy is not None and copy.captured_at is not None:
            return robust_date(copy.captured_at)
        return robust_date(self.last_verified)


def verified_on(access: Access) -> dt.date | None:
    """The day an access verified its link: the check's day, else the date of the
    access line."""
    if access.checked_at is not None:
        return timezone.localtime(access.checked_at).date()
    return access.accessed_on


def outcome_label(value: str) -> str:
    """An outcome as readers see it ("Soft-dead"); '' for none."""
    return str(Access.Outcome(value).label) if value in Access.Outcome.values else ""


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
    """Wrap entries fetched with `with_listing_data()` for a listing (two more
    queries: newer editions, snapshots)."""
    newer = newer_editions_by_entry(entries)
    snapshots = usable_snapshots(entries)
    return [
        ListedEntry(
            entry=e,
            accesses=e.ordered_accesses(),
            newer_editions=newer.get(e.pk, []),
            snapshots=snapshots.get(e.pk, []),
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


OTHER_REGION = gettext_lazy("Other territories")


def region_anchor(code: str) -> str:
    """The fragment id of a region or sub-region on the countries index."""
    return f"region-{code}" if code else "region-other"


def group_by_region(countries: Iterable[Country]) -> list[Region]:
    """Nest countries by UN M49 region, sub-region and intermediate region, each level
    sorted by name; countries without a region come last."""
    tree: dict[tuple[str, str], dict[tuple[str, str], dict[str, list[Country]]]] = (
        defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    )
    other = str(OTHER_REGION)
    for country in countries:
        region_key = (country.region or other, country.region_code)
        sub_key = (
            country.sub_region or country.region or other,
            country.sub_region_code,
        )
        tree[region_key][sub_key][country.intermediate_region].append(country)

    regions: list[Region] = []
    for (r_name, r_code), subs in sorted(
        tree.items(), key=lambda kv: (kv[0][0] == other, kv[0][0])
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
