"""Countries and regions side by side: which ones a comparison asks for (read from
the query string and checked), and what to show of each, gathered in a fixed number
of queries however many subjects are compared.

A subject is a country, or a UN M49 region taken as one group (its entries are the
entries naming any of its countries). `?countries=pe,bo,ec` compares countries;
`?region=005` compares a region with the other regions at its level under the same
parent (South America with Central America and the Caribbean; Africa with the other
continents); `?countries=pe&regions=005` mixes the two (Peru beside South America).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.db.models.functions import ExtractYear
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lantern.library.models import (
    Country,
    Entry,
    Helpline,
    TierPlacement,
    Topic,
)
from lantern.library.reference import ranked_years, tier_list_years
from lantern.web import charts, pages, topic_charts, topics
from lantern.web.pages import TierCell
from lantern.web.stats import YearCounts

MIN_SUBJECTS = 2
MAX_SUBJECTS = 6
MAX_NEIGHBOURS = MAX_SUBJECTS - 1
# Anything longer is not a list of codes someone meant: refuse before looking up.
MAX_CODES_READ = 30

LEVELS = ("region", "sub-region", "intermediate region")
# What readers see for each level.
LEVEL_LABELS = {
    "region": gettext_lazy("region"),
    "sub-region": gettext_lazy("sub-region"),
    "intermediate region": gettext_lazy("intermediate region"),
}


# -------------------------------------------------------------------------- regions


@dataclass(frozen=True)
class Region:
    """A UN M49 region, sub-region or intermediate region, with its countries."""

    code: str
    name: str
    level: str  # one of LEVELS
    parent: str  # the enclosing region's code; "" for a continent
    countries: tuple[str, ...]  # ISO codes, by country name

    @property
    def compare_url(self) -> str:
        return f"{reverse('web:compare')}?{urlencode({'region': self.code})}"

    @property
    def level_label(self) -> str:
        """The level in the reader's language."""
        return str(LEVEL_LABELS.get(self.level, self.level))


def regions_of(countries: Iterable[Country]) -> dict[str, Region]:
    """Every region the countries belong to, by M49 code (no query)."""
    members: dict[str, list[Country]] = defaultdict(list)
    info: dict[str, tuple[str, str, str]] = {}
    for c in countries:
        chain = [
            (c.region_code, c.region, "region", ""),
            (c.sub_region_code, c.sub_region, "sub-region", c.region_code),
            (
                c.intermediate_region_code,
                c.intermediate_region,
                "intermediate region",
                c.sub_region_code,
            ),
        ]
        for code, name, level, parent in chain:
            if code and name:
                members[code].append(c)
                info.setdefault(code, (name, level, parent))
    return {
        code: Region(
            code=code,
            name=info[code][0],
            level=info[code][1],
            parent=info[code][2],
            countries=tuple(c.code for c in sorted(found, key=lambda c: c.name)),
        )
        for code, found in members.items()
    }


def siblings(region: Region, regions: Mapping[str, Region]) -> list[Region]:
    """The region first, then the others at its level under the same parent."""
    others = sorted(
        (
            r
            for r in regions.values()
            if r.level == region.level
            and r.parent == region.parent
            and r.code != region.code
        ),
        key=lambda r: r.name,
    )
    return [region, *others]


# ------------------------------------------------------------------------ subjects


@dataclass(frozen=True)
class Subject:
    """One column of a comparison: a country, or a region as one group."""

    key: str  # "pe", or "region-005"
    kind: str  # "country" | "region"
    name: str
    codes: tuple[str, ...]
    url: str
    country: Country | None = None
    region: Region | None = None

    @property
    def is_country(self) -> bool:
        return self.kind == "country"

    @property
    def search_url(self) -> str:
        """Search narrowed to the subject's entries; '' for regions below a
        continent (search filters by continent only)."""
        if self.is_country:
            return topics.search_url(country=self.codes[0])
        if self.region is not None and self.region.level == "region":
            return topics.search_url(region=self.region.name)
        return ""


def country_subject(country: Country) -> Subject:
    return Subject(
        key=country.slug,
        kind="country",
        name=country.name,
        codes=(country.code,),
        url=country.get_absolute_url(),
        country=country,
    )


def region_subject(region: Region) -> Subject:
    return Subject(
        key=f"region-{region.code}",
        kind="region",
        name=region.name,
        codes=region.countries,
        url=region.compare_url,
        region=region,
    )


class SelectionError(ValueError):
    """The query string does not name 2–6 known countries or regions."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class Selection:
    subjects: list[Subject]
    query: str  # the canonical query string
    focus: Region | None = None  # set for ?region=: the region beside its siblings


_SEPARATORS = re.compile(r"[\s,;]+")


def split_codes(values: Iterable[str]) -> list[str]:
    """Codes from query values ("pe,bo", "EC"), lower-cased, without repeats."""
    seen: list[str] = []
    for value in values:
        for code in _SEPARATORS.split(value.strip().lower()):
            if code and code not in seen:
                seen.append(code)
    return seen


def _shown(code: str) -> str:
    return code if len(code) <= 12 else code[:12] + "…"


def canonical_query(
    countries: Sequence[str], regions: Sequence[str], focus: str = ""
) -> str:
    params = {}
    if focus:
        params["region"] = focus
    if countries:
        params["countries"] = ",".join(countries)
    if regions:
        params["regions"] = ",".join(regions)
    return urlencode(params, safe=",")


def select(
    query: QueryDict,
    countries: Mapping[str, Country],
    regions: Mapping[str, Region],
) -> Selection | None:
    """The subjects a query string asks for; None when it asks for nothing.

    Reads `countries` (comma-separated) and `country` (repeated, from the form),
    `regions`, and `region` (alone: that region beside its siblings; with countries:
    one more group). Raises `SelectionError` with readers' messages for unknown codes
    and for fewer than two or more than six subjects.
    """
    country_codes = split_codes(query.getlist("countries") + query.getlist("country"))
    region_codes = split_codes(query.getlist("regions"))
    focus_code = query.get("region", "").strip().lower()
    if not (country_codes or region_codes or focus_code):
        return None
    if len(country_codes) + len(region_codes) > MAX_CODES_READ:
        raise SelectionError(
            [
                _("Pick at most %(max)s countries or regions to compare.")
                % {"max": MAX_SUBJECTS}
            ]
        )
    focus: Region | None = None
    if focus_code and not (country_codes or region_codes):
        focus = regions.get(focus_code)
        if focus is None:
            raise SelectionError(
                [
                    _("“%(code)s” is not a UN M49 region code Lantern knows.")
                    % {"code": _shown(focus_code)}
                ]
            )
    elif focus_code and focus_code not in region_codes:
        region_codes.append(focus_code)

    errors = []
    unknown = [c for c in country_codes if c.upper() not in countries]
    if unknown:
        listed = ", ".join(f"“{_shown(c)}”" for c in unknown[:5])
        errors.append(
            ngettext(
                "This is not a country code Lantern knows: %(listed)s. Use two-letter"
                " ISO codes, such as pe for Peru.",
                "These are not country codes Lantern knows: %(listed)s. Use"
                " two-letter ISO codes, such as pe for Peru.",
                len(unknown),
            )
            % {"listed": listed}
        )
    unknown_regions = [c for c in region_codes if c not in regions]
    if unknown_regions:
        listed = ", ".join(f"“{_shown(c)}”" for c in unknown_regions[:5])
        errors.append(
            _("Not a UN M49 region code Lantern knows: %(listed)s.")
            % {"listed": listed}
        )
    if errors:
        raise SelectionError(errors)

    if focus is not None:
        subjects = [region_subject(r) for r in siblings(focus, regions)]
        if len(subjects) < MIN_SUBJECTS:
            raise SelectionError(
                [
                    _(
                        "%(name)s has no other %(level)s beside it to compare with."
                        " Compare countries in it instead."
                    )
                    % {"name": focus.name, "level": focus.level_label}
                ]
            )
        return Selection(
            subjects[:MAX_SUBJECTS], canonical_query([], [], focus.code), focus
        )

    subjects = [country_subject(countries[c.upper()]) for c in country_codes] + [
        region_subject(regions[c]) for c in region_codes
    ]
    if len(subjects) < MIN_SUBJECTS:
        if subjects:
            message = _(
                "Pick at least %(min)s countries or regions to compare"
                " (only %(name)s so far)."
            ) % {"min": MIN_SUBJECTS, "name": subjects[0].name}
        else:
            message = _("Pick at least %(min)s countries or regions to compare.") % {
                "min": MIN_SUBJECTS
            }
        raise SelectionError([message])
    if len(subjects) > MAX_SUBJECTS:
        raise SelectionError(
            [
                _(
                    "Pick at most %(max)s countries or regions to compare"
                    " (%(given)s were given)."
                )
                % {"max": MAX_SUBJECTS, "given": len(subjects)}
            ]
        )
    return Selection(subjects, canonical_query(country_codes, region_codes))


@dataclass(frozen=True)
class FormRegion:
    """A continent's countries for the comparison form, with how many are ticked."""

    name: str
    countries: list[Country]
    picked: int


def form_regions(
    countries: Iterable[Country], picked: Sequence[str]
) -> list[FormRegion]:
    """The form's country checkboxes, grouped by continent (no query)."""
    result = []
    for region in pages.group_by_region(countries):
        members = sorted(
            (c for s in region.sub_regions for c in s.countries), key=lambda c: c.name
        )
        ticked = sum(1 for c in members if c.slug in picked)
        result.append(FormRegion(region.name, members, ticked))
    return result


def compare_url(
    countries: Sequence[str] = (), regions: Sequence[str] = (), region: str = ""
) -> str:
    return f"{reverse('web:compare')}?{canonical_query([c.lower() for c in countries], regions, region)}"


def neighbours_url(country: Country, neighbours: Sequence[Country]) -> str:
    """The country beside its land neighbours with the most entries (at most five);
    '' when it has none."""
    if not neighbours:
        return ""
    ranked = sorted(
        neighbours, key=lambda n: (-(getattr(n, "entry_count", 0) or 0), n.name)
    )[:MAX_NEIGHBOURS]
    return compare_url([country.code, *(n.code for n in ranked)])


def region_url(country: Country) -> tuple[str, str]:
    """(URL, region name) comparing the country with its most specific region
    (intermediate, else sub-region) as a whole; ('', '') when it has none."""
    for code, name in (
        (country.intermediate_region_code, country.intermediate_region),
        (country.sub_region_code, country.sub_region),
    ):
        if code and name:
            return compare_url([country.code], [code]), name
    return "", ""


# ------------------------------------------------------------------------ gathering


@dataclass(frozen=True)
class Estimate:
    """Global Slavery Index 2023 figures for a subject."""

    prevalence: float | None  # per 1,000 people
    people: int | None
    countries_with_data: int = 0
    countries: int = 0


@dataclass(frozen=True)
class TierMix:
    """How many of a region's countries stood where, in two report years."""

    years: tuple[int, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]  # (label, count per year)


@dataclass
class Comparison:
    subjects: list[Subject]
    years: dict[str, YearCounts]
    topics: dict[str, dict[str, int]]
    kinds: dict[str, dict[str, int]]
    helplines: dict[str, list[Helpline]]
    tier_cells: dict[str, list[TierCell]]
    topic_rows: list[topic_charts.TopicRow]
    estimates: dict[str, Estimate] = field(default_factory=dict)
    tier_mix: dict[str, TierMix] = field(default_factory=dict)
    # How many of each subject's countries the TIP Reports have ever ranked.
    placed: dict[str, int] = field(default_factory=dict)

    def total(self, subject: Subject) -> int:
        return self.years[subject.key].total


def _per_subject(
    subjects: Sequence[Subject], group: str, value: F | ExtractYear
) -> dict[str, dict[object, int]]:
    """Distinct entries per subject and per value of `value`, in one query over the
    entry–country link table."""
    through = Entry.countries.through
    codes = sorted({c for s in subjects for c in s.codes})
    aggregates = {
        f"s{i}": Count("entry_id", filter=Q(country_id__in=s.codes), distinct=True)
        for i, s in enumerate(subjects)
    }
    rows = (
        through.objects.filter(country_id__in=codes)
        .values(**{group: value})
        .annotate(**aggregates)
        .order_by()
    )
    result: dict[str, dict[object, int]] = {s.key: {} for s in subjects}
    for row in cast(Iterable[dict[str, Any]], rows):
        for i, s in enumerate(subjects):
            if row[f"s{i}"]:
                result[s.key][row[group]] = row[f"s{i}"]
    return result


def _estimate(members: Sequence[Country]) -> Estimate:
    with_data = [c for c in members if c.gsi_prevalence and c.gsi_people]
    if len(members) == 1:
        c = members[0]
        return Estimate(c.gsi_prevalence, c.gsi_people, len(with_data), 1)
    if not with_data:
        return Estimate(None, None, 0, len(members))
    people = sum(c.gsi_people or 0 for c in with_data)
    # Population follows from the two figures: people / prevalence per 1,000.
    population = sum(
        (c.gsi_people or 0) * 1000 / (c.gsi_prevalence or 1) for c in with_data
    )
    return Estimate(
        round(people * 1000 / population, 1), people, len(with_data), len(members)
    )


def tier_cells_by_country(
    placements: Iterable[TierPlacement],
) -> dict[str, list[TierCell]]:
    by_country: dict[str, list[TierPlacement]] = defaultdict(list)
    for p in placements:
        by_country[p.country_id].append(p)
    return {code: pages.tier_history(rows) for code, rows in by_country.items()}


def _tier_mix(codes: Sequence[str], cells: Mapping[str, list[TierCell]]) -> TierMix:
    years = (max(ranked_years()), max(tier_list_years()))
    # Counted by the legend's key; shown with its label in the reader's language.
    legend = [(key, str(label)) for key, label, _ in charts.TIER_LEGEND]
    counts = {key: [0] * len(years) for key, _ in legend}
    for code in codes:
        history = {c.year: c for c in cells.get(code, [])}
        for i, year in enumerate(years):
            cell = history.get(year)
            key = charts.tier_key(cell) if cell else "no-data"
            counts[key if key in counts else "no-data"][i] += 1
    rows = tuple(
        (label, tuple(counts[key])) for key, label in legend if any(counts[key])
    )
    return TierMix(years, rows)


def gather(subjects: Sequence[Subject], countries: Mapping[str, Country]) -> Comparison:
    """Everything the comparison page shows (six queries, whatever the subjects)."""
    codes = sorted({c for s in subjects for c in s.codes})
    years_raw = _per_subject(subjects, "year", ExtractYear("entry__published_date"))
    topics_raw = _per_subject(subjects, "slug", F("entry__topics__slug"))
    kinds_raw = _per_subject(subjects, "kind", F("entry__publisher__kind"))

    years = {}
    for s in subjects:
        raw = years_raw[s.key]
        years[s.key] = YearCounts(
            {int(str(y)): n for y, n in raw.items() if y is not None},
            raw.get(None, 0),
        )
    topics = {
        s.key: {str(k): n for k, n in topics_raw[s.key].items() if k} for s in subjects
    }
    kinds = {
        s.key: {str(k or "unknown"): n for k, n in kinds_raw[s.key].items()}
        for s in subjects
    }

    helplines: dict[str, list[Helpline]] = defaultdict(list)
    for h in Helpline.objects.filter(country_id__in=codes).order_by(
        "country__name", "position", "id"
    ):
        helplines[h.country_id].append(h)

    cells = tier_cells_by_country(
        TierPlacement.objects.filter(country_id__in=codes).only(
            "country_id", "report_year", "tier", "source"
        )
    )
    tier_cells = {
        s.codes[0]: cells.get(s.codes[0]) or pages.tier_history([])
        for s in subjects
        if s.is_country
    }
    tier_mix = {s.key: _tier_mix(s.codes, cells) for s in subjects if not s.is_country}
    ranked = {
        code for code, rows in cells.items() if any(c.status == "placed" for c in rows)
    }
    placed = {s.key: sum(1 for c in s.codes if c in ranked) for s in subjects}

    topic_rows = [
        topic_charts.TopicRow(
            slug=t.slug,
            name=t.name,
            group=t.parent.name if t.parent else "",
            url=reverse("web:topic", args=[t.slug]),
        )
        for t in Topic.objects.filter(parent__isnull=False)
        .select_related("parent")
        .order_by("parent__position", "position", "name")
    ]
    estimates = {
        s.key: _estimate([countries[c] for c in s.codes if c in countries])
        for s in subjects
    }
    return Comparison(
        subjects=list(subjects),
        years=years,
        topics=topics,
        kinds=kinds,
        helplines=dict(helplines),
        tier_cells=tier_cells,
        topic_rows=topic_rows,
        estimates=estimates,
        tier_mix=tier_mix,
        placed=placed,
    )
