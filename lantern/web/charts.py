"""Charts as accessible SVG, rendered on the server from Vega-Lite specs (`svg`).

Builders take plain numbers (they never query) and return a `Chart`: the SVG, which
states what it shows in its `<title>` and `<desc>` (`role="img"`, `aria-labelledby`),
and the same numbers as a `Table` the page shows beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lantern.web.pages import NOT_LISTED_LABEL, TierCell
from lantern.web.svg import (
    ACCENT,
    INK,
    INK_MUTED,
    PAPER,
    RULE,
    render_svg,
)

# ------------------------------------------------------------------------ values


@dataclass(frozen=True)
class Link:
    """A table cell that links somewhere (a country page, a topic page)."""

    text: str
    url: str

    def __str__(self) -> str:
        return self.text


Cell = str | int | float | Link


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    """The numbers behind a chart, for readers who would rather read than look."""

    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    @property
    def body(self) -> list[list[tuple[Cell, bool]]]:
        """Each row's cells with whether their column is numeric (for templates)."""
        return [
            [(cell, col.numeric) for cell, col in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]


@dataclass(frozen=True)
class LegendItem:
    """One colour of a chart's legend, shown in HTML beside the chart."""

    colour: str
    label: str
    text: str = ""  # what the chart writes in a cell of this colour, if anything
    text_colour: str = INK

    @property
    def swatch_class(self) -> str:
        """The stylesheet's classes for this swatch's colours (`swatch--bg-1f6aa5
        swatch--fg-ffffff`): classes, not a style attribute, so the page needs no
        inline styles under its Content-Security-Policy."""
        return f"swatch--bg-{colour_key(self.colour)} swatch--fg-{colour_key(self.text_colour)}"


def colour_key(colour: str) -> str:
    """A `#RRGGBB` colour as the key of its stylesheet class (`1f6aa5`)."""
    return colour.lstrip("#").lower()


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    svg: SafeString
    table: Table
    legend: tuple[LegendItem, ...] = field(default_factory=tuple)
    hint: str = ""  # how to use the picture, shown under it


# ------------------------------------------------------------------------- colours

# Tier colours, from better (blue) to worse (orange): a colour-blind-safe order that
# also reads in greyscale. Strip cells carry their label too, white on the two
# darkest (5.7:1 and 5.3:1), ink on the others (8:1 or better). The stylesheet's
# `.tier-*` classes use the same colours.
TIER_COLOURS: dict[str, tuple[str, str]] = {
    "tier1": ("#1f6aa5", "#ffffff"),
    "tier2": ("#8fbfe0", INK),
    "tier2wl": ("#fdb863", INK),
    "tier3": ("#b35806", "#ffffff"),
    "special": ("#b9acd9", INK),
    "not-listed": ("#cfe1f0", INK),
    "no-data": (PAPER, INK_MUTED),
}

TIER_LEGEND: tuple[tuple[str, Any, str], ...] = (
    ("tier1", gettext_lazy("Tier 1"), "1"),
    ("tier2", gettext_lazy("Tier 2"), "2"),
    ("tier2wl", gettext_lazy("Tier 2 Watch List"), "2WL"),
    ("tier3", gettext_lazy("Tier 3"), "3"),
    ("special", gettext_lazy("Special case"), "SC"),
    ("not-listed", NOT_LISTED_LABEL, "–"),
    ("no-data", gettext_lazy("no data"), ""),
)


def tier_key(cell: TierCell) -> str:
    """The colour key of a tier-history cell."""
    return cell.tier if cell.status == "placed" else cell.status


def tier_legend() -> tuple[LegendItem, ...]:
    return tuple(
        LegendItem(TIER_COLOURS[k][0], str(label), short, TIER_COLOURS[k][1])
        for k, label, short in TIER_LEGEND
    )


# --------------------------------------------------------------- entries per year


def _year_range(counts: Sequence[Mapping[int, int]]) -> list[int]:
    years = [y for c in counts for y, n in c.items() if n]
    if not years:
        return []
    return list(range(min(years), max(years) + 1))


def _year_axis(years: Sequence[int]) -> dict[str, Any]:
    # One label every five years on long ranges keeps the axis legible.
    step = 1 if len(years) <= 12 else 5
    return {
        "field": "year",
        "type": "ordinal",
        "title": _("Year of publication"),
        "sort": list(years),
        "axis": {
            "labelAngle": 0,
            "labelExpr": f"datum.value % {step} == 0 ? datum.label : ''",
        },
    }


def plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def entries_per_year(
    counts: Mapping[int, int], *, chart_id: str, subject: str, undated: int = 0
) -> Chart | None:
    """Bars of entries per year of publication for one subject (a country, a topic);
    None when no entry has a date."""
    years = _year_range([counts])
    if not years:
        return None
    values: list[dict[str, Any]] = [
        {"year": y, "entries": counts.get(y, 0)} for y in years
    ]
    total = sum(v["entries"] for v in values)
    peak = max(values, key=lambda v: (v["entries"], v["year"]))
    title = _("Entries per year of publication: %(subject)s") % {"subject": subject}
    description = ngettext(
        "Bar chart: %(count)s entry about %(subject)s by year of publication, "
        "%(first)s–%(last)s. Most in %(peak_year)s (%(peak)s).",
        "Bar chart: %(count)s entries about %(subject)s by year of publication, "
        "%(first)s–%(last)s. Most in %(peak_year)s (%(peak)s).",
        total,
    ) % {
        "count": f"{total:,}",
        "subject": subject,
        "first": years[0],
        "last": years[-1],
        "peak_year": peak["year"],
        "peak": f"{peak['entries']:,}",
    }
    if undated:
        description += " " + ngettext(
            "%(count)s entry has no date and is not shown.",
            "%(count)s entries have no date and are not shown.",
            undated,
        ) % {"count": f"{undated:,}"}
    # Each bar's tooltip ("2019: 3 entries").
    for v in values:
        v["label"] = ngettext(
            "%(year)s: %(count)s entry", "%(year)s: %(count)s entries", v["entries"]
        ) % {"year": v["year"], "count": v["entries"]}
    spec = {
        "width": max(240, min(720, 26 * len(years))),
        "height": 180,
        "data": {"values": values},
        "mark": {"type": "bar", "color": ACCENT},
        "encoding": {
            "x": _year_axis(years),
            "y": {
                "field": "entries",
                "type": "quantitative",
                "title": _("Entries"),
                "axis": {"format": "d", "tickMinStep": 1},
            },
            "description": {"field": "label"},
        },
    }
    table = Table(
        caption=title,
        columns=(Column(_("Year")), Column(_("Entries"), numeric=True)),
        rows=tuple((str(v["year"]), v["entries"]) for v in values),
    )
    svg = render_svg(spec, chart_id=chart_id, title=title, description=description)
    return Chart(chart_id, title, description, svg, table)


def entries_per_year_compared(
    series: Sequence[tuple[str, Mapping[int, int]]], *, chart_id: str
) -> Chart | None:
    """Entries per year for several subjects as small multiples: one row of bars per
    subject on a shared year axis, each row named (no colour coding)."""
    years = _year_range([c for _name, c in series])
    if not years:
        return None
    names = [name for name, _counts in series]
    values = [
        {"subject": name, "year": y, "entries": counts.get(y, 0)}
        for name, counts in series
        for y in years
    ]
    totals = {name: sum(counts.get(y, 0) for y in years) for name, counts in series}
    title = _("Entries per year of publication, side by side")
    description = _(
        "Bar charts, one row per subject, years %(first)s–%(last)s: %(totals)s."
    ) % {
        "first": years[0],
        "last": years[-1],
        "totals": "; ".join(
            ngettext("%(name)s %(count)s entry", "%(name)s %(count)s entries", n)
            % {"name": name, "count": f"{n:,}"}
            for name, n in ((name, totals[name]) for name in names)
        ),
    }
    spec = {
        "data": {"values": values},
        "transform": [
            {
                "calculate": "datum.subject + ', ' + datum.year + ': ' + datum.entries",
                "as": "label",
            }
        ],
        "facet": {
            "row": {
                "field": "subject",
                "type": "nominal",
                "sort": names,
                "title": None,
                "header": {
                    "labelAngle": 0,
                    "labelAlign": "left",
                    "labelAnchor": "start",
                    "labelOrient": "top",
                },
            }
        },
        "spec": {
            "width": max(240, min(720, 26 * len(years))),
            "height": 70,
            "mark": {"type": "bar", "color": ACCENT},
            "encoding": {
                "x": _year_axis(years),
                "y": {
                    "field": "entries",
                    "type": "quantitative",
                    "title": _("Entries"),
                    "axis": {"format": "d", "tickMinStep": 1, "tickCount": 3},
                },
                "description": {"field": "label"},
            },
        },
        "resolve": {"scale": {"y": "shared"}},
        "spacing": 14,
    }
    table = Table(
        caption=title,
        columns=(Column(_("Year")), *(Column(n, numeric=True) for n in names)),
        rows=tuple(
            (str(y), *(counts.get(y, 0) for _name, counts in series)) for y in years
        ),
    )
    svg = render_svg(spec, chart_id=chart_id, title=title, description=description)
    return Chart(chart_id, title, description, svg, table)


# -------------------------------------------------------------------- tier strip


def tier_strip(
    rows: Sequence[tuple[str, Sequence[TierCell]]], *, chart_id: str
) -> Chart | None:
    """The TIP tier history as a strip of cells, one row per country and one column
    per report year; each cell is coloured by tier and carries its short label
    ("2WL", "–" for not on the Watch List or Tier 3, blank for no data)."""
    if not rows or not rows[0][1]:
        return None
    years = [c.year for c in rows[0][1]]
    names = [name for name, _cells in rows]
    no_data = _("no data")
    values = []
    for name, cells in rows:
        for c in cells:
            key = tier_key(c)
            fill, ink = TIER_COLOURS.get(key, TIER_COLOURS["no-data"])
            values.append(
                {
                    "country": name,
                    "year": str(c.year),
                    "fill": fill,
                    "ink": ink,
                    "short": c.short,
                    "label": f"{name}, {c.year}: {c.label or no_data}",
                }
            )
    title = _("TIP Report tier by report year, %(first)s–%(last)s") % {
        "first": years[0],
        "last": years[-1],
    }
    parts = []
    for name, cells in rows:
        placed = [c for c in cells if c.status == "placed"]
        listed = [c for c in cells if c.status != "no-data"]
        if not listed:
            parts.append(_("%(name)s: no tier data") % {"name": name})
            continue
        clauses = [
            ngettext(
                "%(name)s: %(count)s report year with data",
                "%(name)s: %(count)s report years with data",
                len(listed),
            )
            % {"name": name, "count": len(listed)}
        ]
        if placed:
            last = placed[-1]
            clauses.append(
                _("last placed %(tier)s (%(year)s)")
                % {"tier": last.label, "year": last.year}
            )
        if listed[-1].status == "not-listed":
            clauses.append(
                _("%(label)s in %(year)s")
                % {"label": NOT_LISTED_LABEL, "year": listed[-1].year}
            )
        parts.append("; ".join(clauses))
    description = _(
        "Strip of coloured cells, one row per country and one column per report "
        "year, each labelled with its tier (1, 2, 2WL, 3, SC; a dash: "
        "%(not_listed)s; blank: no data). %(rows)s."
    ) % {"not_listed": NOT_LISTED_LABEL, "rows": "; ".join(parts)}
    spec = {
        "data": {"values": values},
        "width": {"step": 28},
        "height": {"step": 30},
        "encoding": {
            "x": {
                "field": "year",
                "type": "ordinal",
                "sort": [str(y) for y in years],
                "title": None,
                "axis": {
                    "orient": "top",
                    "labelAngle": -90,
                    "labelAlign": "left",
                    "labelBaseline": "middle",
                    "ticks": False,
                    "domain": False,
                },
            },
            "y": {
                "field": "country",
                "type": "nominal",
                "sort": names,
                "title": None,
                "axis": {
                    "labelLimit": 200,
                    "ticks": False,
                    "domain": False,
                    "labelFontWeight": 600,
                    "labelFontSize": 13,
                },
            },
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": RULE, "strokeWidth": 1},
                "encoding": {
                    "color": {"field": "fill", "type": "nominal", "scale": None},
                    "description": {"field": "label"},
                },
            },
            {
                "mark": {"type": "text", "fontSize": 11, "fontWeight": 700},
                "encoding": {
                    "text": {"field": "short"},
                    "color": {"field": "ink", "type": "nominal", "scale": None},
                },
            },
        ],
    }
    table = Table(
        caption=title,
        columns=(Column(_("Report year")), *(Column(n) for n in names)),
        rows=tuple(
            (str(y), *(cells[i].label or no_data for _name, cells in rows))
            for i, y in enumerate(years)
        ),
    )
    svg = render_svg(spec, chart_id=chart_id, title=title, description=description)
    return Chart(chart_id, title, description, svg, table, tier_legend())
