"""The world map: Natural Earth country shapes matched to ISO 3166-1 alpha-2 codes,
and the coverage and tier maps drawn from them as accessible SVG (`charts`).

The shapes are Natural Earth's 1:110m Admin 0 countries as TopoJSON, vendored from
the npm package world-atlas by `scripts/vendor_world_atlas.py` (sources and licences:
docs/reference-data.md). Countries too small for that scale are drawn as dots at
their reference coordinates, so every country with a value is on the map. Reads
files shipped with the code and the compiled reference facts; no database.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lantern.library.reference import country_facts
from lantern.web import charts
from lantern.web.charts import (
    Chart,
    Column,
    LegendItem,
    Link,
    Table,
)
from lantern.web.svg import INK, NO_DATA, render_svg

DATA_DIR = Path(__file__).resolve().parent / "data"
ATLAS_FILE = DATA_DIR / "countries-110m.json"
ATLAS_RECORD = DATA_DIR / "world-atlas.json"

# Natural Earth draws these without an ISO numeric code. ISO 3166 (and so Lantern)
# counts Somaliland as part of Somalia and Northern Cyprus as part of Cyprus; Kosovo
# is keyed by the user-assigned code XK, as everywhere in Lantern.
UNCODED_FEATURES = {"Kosovo": "XK", "Somaliland": "SO", "N. Cyprus": "CY"}

# Antarctica takes a sixth of the map's height: drawn only when it has a value.
ANTARCTICA = "AQ"

WIDTH = 800
HEIGHT = 390


@cache
def atlas() -> dict[str, Any]:
    """The vendored TopoJSON topology (ids: ISO 3166-1 numeric codes)."""
    return json.loads(ATLAS_FILE.read_text(encoding="utf-8"))


@cache
def atlas_record() -> dict[str, Any]:
    """Where the shapes come from: package, version, licence, file hash."""
    return json.loads(ATLAS_RECORD.read_text(encoding="utf-8"))


@cache
def numeric_to_alpha2() -> dict[str, str]:
    return {
        fact["numeric"]: fact["code"]
        for fact in country_facts()["countries"]
        if fact["numeric"]
    }


@cache
def coordinates() -> dict[str, tuple[float, float]]:
    """Latitude and longitude of every country in the reference facts."""
    return {
        fact["code"]: (fact["latlng"][0], fact["latlng"][1])
        for fact in country_facts()["countries"]
        if fact.get("latlng")
    }


def feature_code(geometry: Mapping[str, Any]) -> str | None:
    """The ISO alpha-2 code of a shape: by its numeric id, else by the names Natural
    Earth leaves uncoded; None when neither matches."""
    numeric = geometry.get("id")
    if numeric is not None:
        return numeric_to_alpha2().get(str(numeric).zfill(3))
    return UNCODED_FEATURES.get(geometry.get("properties", {}).get("name", ""))


@cache
def coded_geometries() -> tuple[tuple[str | None, str], ...]:
    """(alpha-2 code or None, Natural Earth name) of every shape, in file order."""
    return tuple(
        (feature_code(g), g["properties"]["name"])
        for g in atlas()["objects"]["countries"]["geometries"]
    )


@cache
def shaped_codes() -> frozenset[str]:
    """Codes of the countries that have a shape of their own on the map."""
    return frozenset(code for code, _ in coded_geometries() if code)


def unmatched_features() -> list[str]:
    """Names of shapes no ISO code was found for (expected: none)."""
    return [name for code, name in coded_geometries() if code is None]


@cache
def _topology(with_antarctica: bool) -> dict[str, Any]:
    """The topology with alpha-2 codes as ids, Antarctica left out unless asked for."""
    topology = copy.deepcopy(atlas())
    kept = []
    for geometry, (code, _name) in zip(
        topology["objects"]["countries"]["geometries"], coded_geometries(), strict=True
    ):
        if code == ANTARCTICA and not with_antarctica:
            continue
        geometry["id"] = code
        kept.append(geometry)
    topology["objects"]["countries"]["geometries"] = kept
    topology["objects"].pop("land", None)
    return topology


@dataclass(frozen=True)
class MapValue:
    """What the map shows for one country: its colour and a short label."""

    colour: str
    label: str


def world_map(
    values: Mapping[str, MapValue],
    *,
    countries: Sequence[MapCountry],
    empty: str,
    chart_id: str,
    title: str,
    description: str,
    table: Table,
    legend: tuple[LegendItem, ...],
) -> Chart:
    """A world map (Equal Earth projection) with each country filled by its value's
    colour (no value: neutral, hovered as "Name: `empty`"); countries too small for
    a shape as dots. Every country links to its page."""
    with_antarctica = ANTARCTICA in values
    shaped = shaped_codes()
    coords = coordinates()
    known = {c.code: c for c in countries}
    lookup = [
        {
            "id": code,
            "colour": values[code].colour if code in values else None,
            "label": values[code].label if code in values else f"{c.name}: {empty}",
            "url": c.url,
        }
        for code, c in sorted(known.items())
    ]
    points = [
        {
            "lat": coords[code][0],
            "lon": coords[code][1],
            "colour": v.colour,
            "label": v.label,
            "url": known[code].url if code in known else "",
        }
        for code, v in sorted(values.items())
        if code not in shaped and code in coords
    ]
    layers: list[dict[str, Any]] = [
        {
            "data": {
                "values": _topology(with_antarctica),
                "format": {"type": "topojson", "feature": "countries"},
            },
            "transform": [
                {
                    "lookup": "id",
                    "from": {
                        "data": {"values": lookup},
                        "key": "id",
                        "fields": ["colour", "label", "url"],
                    },
                },
                {
                    "calculate": f"datum.colour || '{NO_DATA}'",
                    "as": "fill",
                },
            ],
            "mark": {"type": "geoshape", "stroke": "#ffffff", "strokeWidth": 0.6},
            "encoding": {
                "color": {"field": "fill", "type": "nominal", "scale": None},
                "description": {"field": "label"},
                "href": {"field": "url"},
            },
        }
    ]
    if points:
        layers.append(
            {
                "data": {"values": points},
                "mark": {
                    "type": "circle",
                    "size": 28,
                    "stroke": INK,
                    "strokeWidth": 0.8,
                    "opacity": 1,
                },
                "encoding": {
                    "longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"},
                    "color": {"field": "colour", "type": "nominal", "scale": None},
                    "description": {"field": "label"},
                    "href": {"field": "url"},
                },
            }
        )
    spec = {
        "width": WIDTH,
        "height": HEIGHT if not with_antarctica else int(HEIGHT * 1.2),
        "projection": {"type": "equalEarth"},
        "layer": layers,
    }
    key_data = {
        "atlas": atlas_record()["sha256"],
        "antarctica": with_antarctica,
        "lookup": lookup,
        "points": points,
        "size": [spec["width"], spec["height"]],
    }
    svg = render_svg(
        spec,
        chart_id=chart_id,
        title=title,
        description=description,
        key_data=key_data,
        min_scale=0,
    )
    hint = _(
        "Select a country on the map to open its page; the numbers behind the map, "
        "below it, link to the same pages."
    )
    return Chart(chart_id, title, description, svg, table, legend, hint)


# ------------------------------------------------------------------------ coverage

# Entries per country, in bins: a sequential scale of the site's accent colour.
COVERAGE_BINS: tuple[tuple[int, int | None, str], ...] = (
    (1, 1, "#c6e3e8"),
    (2, 5, "#8ec5cf"),
    (6, 20, "#4f9fae"),
    (21, 100, "#1f7285"),
    (101, None, "#0b4553"),
)


def coverage_colour(count: int) -> str:
    for low, high, colour in COVERAGE_BINS:
        if count >= low and (high is None or count <= high):
            return colour
    return NO_DATA


def coverage_legend() -> tuple[LegendItem, ...]:
    items = [LegendItem(NO_DATA, _("no entries"))]
    for low, high, colour in COVERAGE_BINS:
        if high is None:
            label = ngettext(
                "more than %(count)s entry", "more than %(count)s entries", low - 1
            ) % {"count": low - 1}
        elif low == high:
            label = ngettext("%(count)s entry", "%(count)s entries", low) % {
                "count": low
            }
        else:
            label = _("%(low)s–%(high)s entries") % {"low": low, "high": high}
        items.append(LegendItem(colour, label))
    return tuple(items)


@dataclass(frozen=True)
class MapCountry:
    """A country as the maps need it (fetched beforehand)."""

    code: str
    name: str
    url: str
    region: str = ""


def coverage_map(
    countries: Sequence[MapCountry],
    counts: Mapping[str, int],
    *,
    chart_id: str = "map-coverage",
) -> Chart:
    """Countries shaded by how many entries name them."""
    covered = sorted((c for c in countries if counts.get(c.code)), key=lambda c: c.name)
    values = {
        c.code: MapValue(
            coverage_colour(counts[c.code]),
            ngettext(
                "%(name)s: %(count)s entry",
                "%(name)s: %(count)s entries",
                counts[c.code],
            )
            % {"name": c.name, "count": counts[c.code]},
        )
        for c in covered
    }
    total = sum(counts.get(c.code, 0) for c in covered)
    top = sorted(covered, key=lambda c: (-counts[c.code], c.name))[:3]
    title = _("World map of the library’s coverage: entries per country")
    numbers = {"covered": len(covered), "total": len(countries)}
    if top:
        description = _(
            "Map of the world with %(covered)s of %(total)s countries and "
            "territories shaded by the number of entries that name them, darker for "
            "more; most: %(most)s. Countries too small to draw are dots."
        ) % {
            **numbers,
            "most": ", ".join(f"{c.name} ({counts[c.code]})" for c in top),
        }
    else:
        description = (
            _(
                "Map of the world with %(covered)s of %(total)s countries and "
                "territories shaded by the number of entries that name them, darker "
                "for more. Countries too small to draw are dots."
            )
            % numbers
        )
    table = Table(
        caption=_(
            "Entries per country (%(covered)s countries with entries; "
            "%(mentions)s country mentions)"
        )
        % {"covered": len(covered), "mentions": f"{total:,}"},
        columns=(
            Column(_("Country")),
            Column(_("Region")),
            Column(_("Entries"), numeric=True),
        ),
        rows=tuple((Link(c.name, c.url), c.region, counts[c.code]) for c in covered),
    )
    return world_map(
        values,
        countries=countries,
        empty=_("no entries"),
        chart_id=chart_id,
        title=title,
        description=description,
        table=table,
        legend=coverage_legend(),
    )


# ---------------------------------------------------------------------------- tiers


@dataclass(frozen=True)
class TierState:
    """A country's standing on a tier map: the cell shown, and its latest placement."""

    key: str  # a charts.TIER_COLOURS key
    label: str
    year: int
    last_placed: str = ""  # "Tier 2 (2015)" when the shown cell is not a placement


def tier_map(
    countries: Sequence[MapCountry],
    states: Mapping[str, TierState],
    *,
    year_label: str,
    chart_id: str = "map-tiers",
) -> Chart:
    """Countries coloured by their TIP tier in one report year (or their latest)."""
    shown = sorted((c for c in countries if c.code in states), key=lambda c: c.name)
    values = {
        c.code: MapValue(
            charts.TIER_COLOURS[states[c.code].key][0],
            f"{c.name}: {states[c.code].label} ({states[c.code].year})",
        )
        for c in shown
    }
    tally: dict[str, int] = {}
    for c in shown:
        tally[states[c.code].label] = tally.get(states[c.code].label, 0) + 1
    title = _("World map of TIP Report tiers: %(year)s") % {"year": year_label}
    legend_labels = [str(label) for _key, label, _short in charts.TIER_LEGEND]
    description = _(
        "Map of the world with %(count)s countries coloured by their tier in the "
        "U.S. Trafficking in Persons Report (%(year)s): %(tally)s. Blue is better, "
        "orange worse; grey: no data. Countries too small to draw are dots."
    ) % {
        "count": len(shown),
        "year": year_label,
        "tally": "; ".join(
            f"{label} {tally[label]}" for label in legend_labels if label in tally
        ),
    }
    table = Table(
        caption=_("TIP Report tier per country: %(year)s") % {"year": year_label},
        columns=(
            Column(_("Country")),
            Column(_("Tier")),
            Column(_("Report year"), numeric=True),
            Column(_("Latest placement")),
        ),
        rows=tuple(
            (
                Link(c.name, c.url),
                states[c.code].label,
                str(states[c.code].year),
                states[c.code].last_placed,
            )
            for c in shown
        ),
    )
    legend = tuple(
        LegendItem(NO_DATA if k == "no-data" else charts.TIER_COLOURS[k][0], str(label))
        for k, label, _short in charts.TIER_LEGEND
    )
    return world_map(
        values,
        countries=countries,
        empty=_("no data"),
        chart_id=chart_id,
        title=title,
        description=description,
        table=table,
        legend=legend,
    )
