"""Charts as accessible SVG, rendered on the server from Vega-Lite specs.

Builders take plain numbers (they never query) and return a `Chart`: the SVG, which
states what it shows in its `<title>` and `<desc>` (`role="img"`, `aria-labelledby`),
and the same numbers as a `Table` the page shows beside it. The SVG is rendered by
vl-convert (Vega-Lite in an embedded JavaScript engine, no browser, no network) and
cached under a hash of the spec, so a page view whose numbers did not change does not
render again. Touches Django's cache; nothing else.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import vl_convert
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from lxml import etree

from lantern.web.pages import NOT_LISTED_LABEL, TierCell

# Bump when the post-processing below changes, so cached SVG is rendered again.
RENDER_VERSION = "1"
CACHE_SECONDS = 60 * 60 * 24 * 30
CACHE_PREFIX = "lantern:chart:"
# Charts with text shrink to three quarters of their size on narrow screens (12px
# labels stay 9px), then scroll sideways.
MIN_SCALE = 0.75

# Wide, screen-legible faces with near-identical metrics (Verdana on Windows and
# macOS, DejaVu Sans on Linux): text measured on the server fits the reader's font.
FONT = 'Verdana, "DejaVu Sans", "Bitstream Vera Sans", sans-serif'
INK = "#1b1f24"
INK_MUTED = "#4a525c"
RULE = "#d6d2c8"
ACCENT = "#0b5566"  # 8.2:1 on the page background: bars are easy to see
PAPER = "#fdfcf9"
NO_DATA = "#eceae4"

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


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


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    svg: SafeString
    table: Table
    legend: tuple[LegendItem, ...] = field(default_factory=tuple)


# --------------------------------------------------------------------- rendering

BASE_CONFIG: dict[str, Any] = {
    "background": None,
    # Text is measured with the renderer's fonts, not the reader's: leave room for
    # a reader's wider font beside the axes.
    "padding": {"left": 16, "right": 12, "top": 6, "bottom": 6},
    "font": FONT,
    "view": {"stroke": None},
    "axis": {
        "aria": False,
        "labelColor": INK,
        "titleColor": INK,
        "labelFontSize": 12,
        "titleFontSize": 12,
        "titleFontWeight": 600,
        "domainColor": INK_MUTED,
        "tickColor": INK_MUTED,
        "gridColor": RULE,
    },
    "header": {"labelColor": INK, "labelFontSize": 13, "labelFontWeight": 600},
    "legend": {"aria": False},
    "title": {"aria": False},
}


def spec_with_config(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with Lantern's fonts and colours (the spec's own config wins)."""
    config = {**BASE_CONFIG, **spec.get("config", {})}
    return {**spec, "config": config}


def render_svg(
    spec: dict[str, Any],
    *,
    chart_id: str,
    title: str,
    description: str,
    key_data: Any = None,
    min_scale: float = MIN_SCALE,
) -> SafeString:
    """The accessible SVG of a Vega-Lite spec, from the cache when the same spec was
    rendered before. `key_data` stands for the spec in the cache key when hashing the
    whole spec would be wasteful (a map's shapes: their file hash instead). On
    narrow screens the picture shrinks to `min_scale` of its size, then scrolls (0:
    it shrinks without limit, for pictures without text)."""
    full = spec_with_config(spec)
    identity = {
        "spec": full if key_data is None else key_data,
        "id": chart_id,
        "title": title,
        "description": description,
        "render": RENDER_VERSION,
        "min_scale": min_scale,
        "vl_convert": getattr(vl_convert, "__version__", ""),
    }
    payload = json.dumps(identity, sort_keys=True, ensure_ascii=False, default=str)
    key = CACHE_PREFIX + hashlib.sha256(payload.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        raw = vl_convert.vegalite_to_svg(full, allowed_base_urls=[])
        svg = accessible_svg(
            raw,
            chart_id=chart_id,
            title=title,
            description=description,
            min_scale=min_scale,
        )
        cache.set(key, svg, CACHE_SECONDS)
    # Built by lxml from parsed SVG: every text node and attribute is escaped.
    return mark_safe(svg)


_DECIMALS = re.compile(r"(\d+\.\d)\d+")
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_STRIPPED = ("role", "aria-roledescription", "aria-hidden", "aria-label")


def accessible_svg(
    raw: str,
    *,
    chart_id: str,
    title: str,
    description: str,
    min_scale: float = MIN_SCALE,
) -> str:
    """Vega's SVG made into one accessible image: `role="img"` named by its own
    `<title>` and `<desc>`; the marks' own descriptions kept only as hover tooltips;
    ids prefixed with `chart_id` so several charts can share a page; coordinates cut
    to one decimal (maps shrink by a third)."""
    root = etree.fromstring(raw.encode("utf-8"))
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        label = el.get("aria-label")
        for name in _STRIPPED:
            el.attrib.pop(name, None)
        if label and label != "null" and etree.QName(el).localname != "g":
            tooltip = etree.SubElement(el, f"{{{SVG_NS}}}title")
            tooltip.text = label
        if el.get("d"):
            el.set("d", _DECIMALS.sub(r"\1", el.get("d", "")))
        if el.get("id"):
            el.set("id", f"{chart_id}-{el.get('id')}")
        for attr in ("clip-path", "fill", "stroke", "mask", "filter"):
            value = el.get(attr)
            if value and "url(#" in value:
                el.set(
                    attr,
                    _URL_REF.sub(
                        lambda m: (
                            f"url(#{chart_id}-{m.group(1)})"
                            if m.group(1) in ids
                            else m.group(0)
                        ),
                        value,
                    ),
                )
        for attr in ("href", XLINK_HREF):
            value = el.get(attr)
            if value and value.startswith("#") and value[1:] in ids:
                el.set(attr, f"#{chart_id}-{value[1:]}")

    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    root.set("role", "img")
    root.set("aria-labelledby", f"{title_id} {desc_id}")
    root.set("focusable", "false")
    root.set("class", "chart__svg")
    root.set("id", chart_id + "-svg")
    width = float(root.get("width", "0") or 0)
    if min_scale and width:
        root.set("style", f"min-width: {round(width * min_scale)}px")
    title_el = etree.Element(f"{{{SVG_NS}}}title", id=title_id)
    title_el.text = title
    desc_el = etree.Element(f"{{{SVG_NS}}}desc", id=desc_id)
    desc_el.text = description
    root.insert(0, desc_el)
    root.insert(0, title_el)
    return etree.tostring(root, encoding="unicode")


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

TIER_LEGEND: tuple[tuple[str, str, str], ...] = (
    ("tier1", "Tier 1", "1"),
    ("tier2", "Tier 2", "2"),
    ("tier2wl", "Tier 2 Watch List", "2WL"),
    ("tier3", "Tier 3", "3"),
    ("special", "Special case", "SC"),
    ("not-listed", NOT_LISTED_LABEL, "–"),
    ("no-data", "no data", ""),
)


def tier_key(cell: TierCell) -> str:
    """The colour key of a tier-history cell."""
    return cell.tier if cell.status == "placed" else cell.status


def tier_legend() -> tuple[LegendItem, ...]:
    return tuple(
        LegendItem(TIER_COLOURS[k][0], label, short, TIER_COLOURS[k][1])
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
        "title": "Year of publication",
        "sort": list(years),
        "axis": {
            "labelAngle": 0,
            "labelExpr": f"datum.value % {step} == 0 ? datum.label : ''",
        },
    }


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def entries_per_year(
    counts: Mapping[int, int], *, chart_id: str, subject: str, undated: int = 0
) -> Chart | None:
    """Bars of entries per year of publication for one subject (a country, a topic);
    None when no entry has a date."""
    years = _year_range([counts])
    if not years:
        return None
    values = [{"year": y, "entries": counts.get(y, 0)} for y in years]
    total = sum(v["entries"] for v in values)
    peak = max(values, key=lambda v: (v["entries"], v["year"]))
    title = f"Entries per year of publication: {subject}"
    description = (
        f"Bar chart: {_plural(total, 'entry', 'entries')} about {subject} by year of "
        f"publication, {years[0]}–{years[-1]}. Most in {peak['year']} "
        f"({peak['entries']:,})."
    )
    if undated:
        description += f" {_plural(undated, 'entry has', 'entries have')} no date and are not shown."
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
                "title": "Entries",
                "axis": {"format": "d", "tickMinStep": 1},
            },
            "description": {"field": "label"},
        },
        "transform": [
            {
                "calculate": "datum.year + ': ' + datum.entries + "
                "(datum.entries == 1 ? ' entry' : ' entries')",
                "as": "label",
            }
        ],
    }
    table = Table(
        caption=title,
        columns=(Column("Year"), Column("Entries", numeric=True)),
        rows=tuple((str(v["year"]), v["entries"]) for v in values),
    )
    svg = render_svg(spec, chart_id=chart_id, title=title, description=description)
    return Chart(chart_id, title, description, svg, table)


def entries_per_year_compared(
    series: Sequence[tuple[str, Mapping[int, int]]], *, chart_id: str
) -> Chart | None:
    """Entries per year for several subjects as small multiples: one row of bars per
    subject on a shared year axis, each row named (no colour coding)."""
    years = _year_range([c for _, c in series])
    if not years:
        return None
    names = [name for name, _ in series]
    values = [
        {"subject": name, "year": y, "entries": counts.get(y, 0)}
        for name, counts in series
        for y in years
    ]
    totals = {name: sum(counts.get(y, 0) for y in years) for name, counts in series}
    title = "Entries per year of publication, side by side"
    description = (
        f"Bar charts, one row per subject, years {years[0]}–{years[-1]}: "
        + "; ".join(
            f"{name} {_plural(totals[name], 'entry', 'entries')}" for name in names
        )
        + "."
    )
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
                    "title": "Entries",
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
        columns=(Column("Year"), *(Column(n, numeric=True) for n in names)),
        rows=tuple(
            (str(y), *(counts.get(y, 0) for _, counts in series)) for y in years
        ),
    )
    svg = render_svg(spec, chart_id=chart_id, title=title, description=description)
    return Chart(chart_id, title, description, svg, table)


# ------------------------------------------------------------------- topic profile


@dataclass(frozen=True)
class TopicRow:
    """A topic of the vocabulary, for a topic profile."""

    slug: str
    name: str
    group: str
    url: str = ""


def topic_profile(
    topics: Sequence[TopicRow],
    subjects: Sequence[tuple[str, int, Mapping[str, int]]],
    *,
    chart_id: str,
) -> Chart | None:
    """A grid of topics (rows) by subjects (columns): each cell gives the share of the
    subject's entries tagged with the topic, as a number and a shade. `subjects` are
    (name, number of entries, entries per topic slug). Topics no subject has are
    left out; None when none is left."""
    shown = [t for t in topics if any(counts.get(t.slug) for _, _, counts in subjects)]
    if not shown or not subjects:
        return None
    values: list[dict[str, Any]] = []
    for name, total, counts in subjects:
        for t in shown:
            n = counts.get(t.slug, 0)
            share = n / total if total else 0.0
            values.append(
                {
                    "subject": name,
                    "topic": t.name,
                    "share": share,
                    "text": f"{round(share * 100)}%" if n else "–",
                    "label": f"{t.name}, {name}: {n} of {total} entries"
                    f" ({round(share * 100)}%)",
                }
            )
    names = [name for name, _, _ in subjects]
    title = "Topic profile: share of entries per topic"
    leaders = []
    for name, total, counts in subjects:
        top = max(shown, key=lambda t: counts.get(t.slug, 0))
        if total and counts.get(top.slug):
            leaders.append(
                f"{name}: {top.name} ({round(counts[top.slug] / total * 100)}%)"
            )
    description = (
        f"Grid of {len(shown)} topics by {len(names)} "
        f"{'subject' if len(names) == 1 else 'subjects'}; each cell gives the share "
        "of the subject's entries tagged with the topic (an entry may have several "
        "topics). Most frequent: " + ("; ".join(leaders) or "none") + "."
    )
    cell = 30
    darkest = max((v["share"] for v in values), default=0.0) or 1.0
    spec = {
        "data": {"values": values},
        "width": {"step": max(76, min(120, 600 // max(1, len(names))))},
        "height": {"step": cell},
        "encoding": {
            "y": {
                "field": "topic",
                "type": "nominal",
                "sort": [t.name for t in shown],
                "title": None,
                "axis": {"labelLimit": 300, "ticks": False, "domain": False},
            },
            "x": {
                "field": "subject",
                "type": "nominal",
                "sort": names,
                "title": None,
                "axis": {
                    "orient": "top",
                    "labelAngle": 0,
                    "labelLimit": 120,
                    "ticks": False,
                    "domain": False,
                    "labelFontWeight": 600,
                },
            },
        },
        "layer": [
            {
                "mark": {"type": "rect", "stroke": PAPER, "strokeWidth": 2},
                "encoding": {
                    "color": {
                        "field": "share",
                        "type": "quantitative",
                        # Darkest for the largest share shown, yet light enough
                        # for the ink numbers on it (6.9:1 at the darkest).
                        "scale": {
                            "domain": [0, darkest],
                            "range": [NO_DATA, "#6fb3bf"],
                        },
                        "legend": None,
                    },
                    "description": {"field": "label"},
                },
            },
            {
                "mark": {
                    "type": "text",
                    "fontSize": 12,
                    "fontWeight": 600,
                    "color": INK,
                },
                "encoding": {"text": {"field": "text"}},
            },
        ],
    }
    rows = []
    for t in shown:
        row: list[Cell] = [t.group, Link(t.name, t.url) if t.url else t.name]
        for _, total, counts in subjects:
            n = counts.get(t.slug, 0)
            row.append(f"{n} ({round(n / total * 100) if total else 0}%)")
        rows.append(tuple(row))
    table = Table(
        caption=title,
        columns=(
            Column("Group"),
            Column("Topic"),
            *(Column(n, numeric=True) for n in names),
        ),
        rows=tuple(rows),
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
    names = [name for name, _ in rows]
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
                    "label": f"{name}, {c.year}: {c.label or 'no data'}",
                }
            )
    title = f"TIP Report tier by report year, {years[0]}–{years[-1]}"
    parts = []
    for name, cells in rows:
        placed = [c for c in cells if c.status == "placed"]
        listed = [c for c in cells if c.status != "no-data"]
        if not listed:
            parts.append(f"{name}: no tier data")
            continue
        text = f"{name}: {len(listed)} report years with data"
        if placed:
            last = placed[-1]
            text += f"; last placed {last.label} ({last.year})"
        if listed[-1].status == "not-listed":
            text += f"; {NOT_LISTED_LABEL} in {listed[-1].year}"
        parts.append(text)
    description = (
        "Strip of coloured cells, one row per country and one column per report "
        "year, each labelled with its tier (1, 2, 2WL, 3, SC; a dash: "
        f"{NOT_LISTED_LABEL}; blank: no data). " + "; ".join(parts) + "."
    )
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
        columns=(Column("Report year"), *(Column(n) for n in names)),
        rows=tuple(
            (str(y), *(cells[i].label or "no data" for _, cells in rows))
            for i, y in enumerate(years)
        ),
    )
    svg = render_svg(spec, chart_id=chart_id, title=title, description=description)
    return Chart(chart_id, title, description, svg, table, tier_legend())
