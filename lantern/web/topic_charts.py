"""Charts of topics: a topic profile (topics by subjects, as shares) and a subject's
topics as bars. Builders take plain numbers (they never query); see `charts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext, ngettext

from lantern.web.charts import Cell, Chart, Column, Link, Table
from lantern.web.svg import ACCENT, INK, NO_DATA, PAPER, render_svg


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
                    "label": gettext(
                        "%(topic)s, %(subject)s: %(n)s of %(total)s entries (%(share)s)"
                    )
                    % {
                        "topic": t.name,
                        "subject": name,
                        "n": n,
                        "total": total,
                        "share": f"{round(share * 100)}%",
                    },
                }
            )
    names = [name for name, _, _ in subjects]
    title = gettext("Topic profile: share of entries per topic")
    leaders = []
    for name, total, counts in subjects:
        top = max(shown, key=lambda t: counts.get(t.slug, 0))
        if total and counts.get(top.slug):
            leaders.append(
                f"{name}: {top.name} ({round(counts[top.slug] / total * 100)}%)"
            )
    description = ngettext(
        "Grid of %(topics)s topics by %(subjects)s subject; each cell gives the share"
        " of the subject's entries tagged with the topic (an entry may have several"
        " topics). Most frequent: %(leaders)s.",
        "Grid of %(topics)s topics by %(subjects)s subjects; each cell gives the share"
        " of the subject's entries tagged with the topic (an entry may have several"
        " topics). Most frequent: %(leaders)s.",
        len(names),
    ) % {
        "topics": len(shown),
        "subjects": len(names),
        "leaders": "; ".join(leaders) or gettext("none"),
    }
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
            Column(gettext("Group")),
            Column(gettext("Topic")),
            *(Column(n, numeric=True) for n in names),
        ),
        rows=tuple(rows),
    )
    svg = render_svg(spec, chart_id=chart_id, title=title, description=description)
    return Chart(chart_id, title, description, svg, table)


TOPIC_BARS = 12


def topic_bars(
    topics: Sequence[tuple[TopicRow, int]],
    *,
    total: int,
    subject: str,
    chart_id: str,
) -> Chart | None:
    """Horizontal bars of a subject's entries per topic, most first (the first
    `TOPIC_BARS`; the table has every topic). Each bar and row links to the topic's
    entries for the subject when the row has a URL. None without tagged entries."""
    ranked = sorted((t for t in topics if t[1]), key=lambda t: (-t[1], t[0].name))
    if not ranked or not total:
        return None
    shown = ranked[:TOPIC_BARS]
    values = [
        {
            "topic": t.name,
            "entries": n,
            "url": t.url,
            "label": ngettext(
                "%(topic)s: %(n)s entry of %(total)s",
                "%(topic)s: %(n)s entries of %(total)s",
                n,
            )
            % {"topic": t.name, "n": f"{n:,}", "total": f"{total:,}"},
        }
        for t, n in shown
    ]
    title = gettext("Topics of the entries: %(subject)s") % {"subject": subject}
    parts = {
        "shown": len(shown),
        "total": f"{total:,}",
        "subject": subject,
        "first": "; ".join(f"{t.name} {n}" for t, n in shown[:5]),
        "more": len(ranked) - len(shown),
    }
    if len(ranked) > len(shown):
        description = (
            ngettext(
                "Bar chart of the %(shown)s topics most often tagged in the %(total)s"
                " entry about %(subject)s, most first: %(first)s; %(more)s more topics"
                " in the table. An entry can have several topics.",
                "Bar chart of the %(shown)s topics most often tagged in the %(total)s"
                " entries about %(subject)s, most first: %(first)s; %(more)s more topics"
                " in the table. An entry can have several topics.",
                total,
            )
            % parts
        )
    else:
        description = (
            ngettext(
                "Bar chart of the %(shown)s topics most often tagged in the %(total)s"
                " entry about %(subject)s, most first: %(first)s. An entry can have"
                " several topics.",
                "Bar chart of the %(shown)s topics most often tagged in the %(total)s"
                " entries about %(subject)s, most first: %(first)s. An entry can have"
                " several topics.",
                total,
            )
            % parts
        )
    spec = {
        "data": {"values": values},
        "width": 360,
        "height": {"step": 22},
        "mark": {"type": "bar", "color": ACCENT},
        "encoding": {
            "y": {
                "field": "topic",
                "type": "nominal",
                "sort": [v["topic"] for v in values],
                "title": None,
                "axis": {"labelLimit": 340, "ticks": False},
            },
            "x": {
                "field": "entries",
                "type": "quantitative",
                "title": gettext("Entries"),
                "axis": {"format": "d", "tickMinStep": 1},
            },
            "description": {"field": "label"},
            "href": {"field": "url"},
        },
    }
    table = Table(
        caption=title,
        columns=(
            Column(gettext("Topic")),
            Column(gettext("Group")),
            Column(gettext("Entries"), numeric=True),
            Column(gettext("Share"), numeric=True),
        ),
        rows=tuple(
            (
                Link(t.name, t.url) if t.url else t.name,
                t.group,
                n,
                f"{round(n * 100 / total)}%",
            )
            for t, n in ranked
        ),
    )
    svg = render_svg(spec, chart_id=chart_id, title=title, description=description)
    return Chart(chart_id, title, description, svg, table)
