"""Charts render as accessible SVG on the server, with their numbers as tables, from
the cache when nothing changed, and without the network."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import vl_convert
from django.core.cache import cache
from lxml import etree

from lantern.web import charts, pages, topic_charts
from lantern.web.charts import INK, TIER_COLOURS
from lantern.web.topic_charts import TopicRow

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def renders(monkeypatch) -> list[dict]:
    """Every spec vl-convert is asked to render (the real renderer still runs)."""
    seen: list[dict] = []
    real = vl_convert.vegalite_to_svg

    def spy(spec, *args, **kwargs):
        seen.append(spec)
        return real(spec, *args, **kwargs)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", spy)
    return seen


def parse(svg: str) -> etree._Element:
    return etree.fromstring(svg.encode())


def assert_accessible(svg: str, chart_id: str, title: str) -> etree._Element:
    root = parse(svg)
    # An image may hold no links; a chart whose marks link is a graphics document.
    linked = root.find(f".//{SVG}a") is not None
    assert root.get("role") == ("graphics-document" if linked else "img")
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    title_el, desc_el = root[0], root[1]
    assert title_el.tag == f"{SVG}title" and title_el.get("id") == f"{chart_id}-title"
    assert title_el.text == title
    assert desc_el.tag == f"{SVG}desc" and desc_el.get("id") == f"{chart_id}-desc"
    assert desc_el.text
    # The whole picture is one: no ARIA roles of Vega's own inside it.
    assert svg.count("graphics-") == (1 if linked else 0)
    assert "aria-label=" not in svg
    # Every id is the chart's own, so several charts can share a page.
    assert all(el.get("id").startswith(chart_id) for el in root.iter() if el.get("id"))
    return root


def test_entries_per_year_is_an_accessible_image_with_its_numbers_as_a_table():
    chart = charts.entries_per_year(
        {2004: 2, 2007: 5, 2010: 1}, chart_id="years", subject="Peru", undated=3
    )

    assert chart is not None
    root = assert_accessible(chart.svg, "years", chart.title)
    assert chart.title == "Entries per year of publication: Peru"
    assert "8 entries about Peru" in chart.description
    assert "2004–2010" in chart.description
    assert "Most in 2007 (5)" in chart.description
    assert "3 entries have no date" in chart.description
    # Years without entries are on the axis (and in the table) as zero.
    assert [row[0] for row in chart.table.rows] == [str(y) for y in range(2004, 2011)]
    assert {r[0]: r[1] for r in chart.table.rows}["2005"] == 0
    assert sum(r[1] for r in chart.table.rows) == 8
    # Each bar tells its number when hovered.
    tooltips = [t.text for t in root.iter(f"{SVG}title")][1:]
    assert "2007: 5 entries" in tooltips
    assert "2004: 2 entries" in tooltips


def test_no_dated_entries_means_no_chart():
    assert charts.entries_per_year({}, chart_id="x", subject="Peru") is None
    assert charts.entries_per_year_compared([("Peru", {})], chart_id="x") is None


def test_names_are_escaped_in_the_svg():
    name = 'Bad <script>alert("x")</script> & "quotes"'
    chart = charts.entries_per_year({2020: 1}, chart_id="esc", subject=name)

    assert chart is not None
    assert "<script>" not in chart.svg
    root = parse(chart.svg)  # still well-formed XML
    assert name in root[0].text


def test_a_cache_hit_does_not_render_again(renders):
    first = charts.entries_per_year({2020: 3}, chart_id="c", subject="Peru")
    again = charts.entries_per_year({2020: 3}, chart_id="c", subject="Peru")

    assert len(renders) == 1
    assert first is not None and again is not None
    assert str(first.svg) == str(again.svg)

    charts.entries_per_year({2020: 4}, chart_id="c", subject="Peru")
    assert len(renders) == 2  # new numbers, new picture


def test_rendering_refuses_the_network():
    spec = {
        "data": {"url": "https://example.org/data.json"},
        "mark": "bar",
        "encoding": {"x": {"field": "a", "type": "nominal"}},
    }
    with pytest.raises(ValueError, match="not allowed"):
        charts.render_svg(spec, chart_id="net", title="t", description="d")


def test_small_multiples_name_every_row_and_share_the_year_axis():
    chart = charts.entries_per_year_compared(
        [("Peru", {2001: 1, 2003: 2}), ("Bolivia", {2002: 4})], chart_id="cmp"
    )

    assert chart is not None
    assert_accessible(chart.svg, "cmp", chart.title)
    assert [c.label for c in chart.table.columns] == ["Year", "Peru", "Bolivia"]
    assert chart.table.rows == (("2001", 1, 0), ("2002", 0, 4), ("2003", 2, 0))
    assert "Peru 3 entries; Bolivia 4 entries" in chart.description
    assert ">Peru<" in chart.svg and ">Bolivia<" in chart.svg


def test_topic_profile_gives_each_subjects_share_as_text():
    topics = [
        TopicRow("mining", "Mining", "Sectors", "/topics/mining/"),
        TopicRow("fishing", "Fishing", "Sectors"),
        TopicRow("hunger", "Hunger", "Precursors"),
    ]
    chart = topic_charts.topic_profile(
        topics,
        [("Peru", 10, {"mining": 4}), ("Bolivia", 4, {"mining": 1, "fishing": 2})],
        chart_id="topics",
    )

    assert chart is not None
    assert_accessible(chart.svg, "topics", chart.title)
    # Topics nobody has are left out; the shares are written in the cells.
    assert [row[1] for row in chart.table.rows][1] == "Fishing"
    assert len(chart.table.rows) == 2
    assert chart.table.rows[0][2:] == ("4 (40%)", "1 (25%)")
    assert ">40%<" in chart.svg and ">50%<" in chart.svg
    assert "Peru: Mining (40%)" in chart.description
    assert "Bolivia: Fishing (50%)" in chart.description


def test_topic_bars_put_the_most_tagged_first_and_keep_every_topic_in_the_table():
    counts = [
        (TopicRow(f"t{i}", f"Topic {i:02}", "Group", f"/topics/t{i}/?country=pe"), i)
        for i in range(topic_charts.TOPIC_BARS + 3)
    ]
    chart = topic_charts.topic_bars(counts, total=40, subject="Peru", chart_id="bars")

    assert chart is not None
    root = assert_accessible(chart.svg, "bars", "Topics of the entries: Peru")
    # Topic 00 has no entries: not a bar, not a row.
    names = [row[0].text for row in chart.table.rows]
    assert names[0] == "Topic 14" and "Topic 00" not in names
    assert len(names) == topic_charts.TOPIC_BARS + 2
    assert chart.table.rows[0][2:] == (14, "35%")
    bars = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert len(bars) == topic_charts.TOPIC_BARS
    assert bars[0] == "/topics/t14/?country=pe"
    assert "most often tagged in the 40 entries about Peru" in chart.description
    assert "2 more topics in the table" in chart.description
    assert topic_charts.topic_bars([], total=3, subject="Peru", chart_id="x") is None


def test_tier_strip_shows_placed_unlisted_and_blank_years():
    cells = [
        pages.TierCell(2014, "placed", "tier2wl", "Tier 2 Watch List", "2WL", "x"),
        pages.TierCell(2015, "placed", "tier2", "Tier 2", "2", "x"),
        pages.TierCell(2016, "no-data"),
        pages.TierCell(2020, "not-listed", label=pages.NOT_LISTED_LABEL, short="–"),
    ]
    chart = charts.tier_strip([("Peru", cells)], chart_id="tiers")

    assert chart is not None
    assert_accessible(chart.svg, "tiers", chart.title)
    assert [row[1] for row in chart.table.rows] == [
        "Tier 2 Watch List",
        "Tier 2",
        "no data",
        pages.NOT_LISTED_LABEL,
    ]
    assert "last placed Tier 2 (2015)" in chart.description
    assert f"{pages.NOT_LISTED_LABEL} in 2020" in chart.description
    # Cells carry their label, so colour is not the only carrier.
    assert ">2WL<" in chart.svg and ">–<" in chart.svg
    assert {item.label for item in chart.legend} >= {
        "Tier 1",
        "Tier 3",
        pages.NOT_LISTED_LABEL,
        "no data",
    }


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_text_on_chart_colours_meets_wcag_aa():
    for key, (fill, ink) in TIER_COLOURS.items():
        assert contrast(fill, ink) >= 4.5, key
    # The darkest cell of a topic profile still carries ink numbers.
    assert contrast("#6fb3bf", INK) >= 4.5
    assert contrast(charts.ACCENT, charts.PAPER) >= 3  # bars against the page


def test_the_stylesheet_uses_the_charts_tier_colours():
    css = Path(pages.__file__).parent / "static" / "web" / "lantern.css"
    text = css.read_text(encoding="utf-8")
    for key in ("tier1", "tier2", "tier2wl", "tier3", "special", "not-listed"):
        match = re.search(rf"\.tier-{key} \{{ background: (#[0-9a-f]{{6}})", text)
        assert match and match.group(1) == TIER_COLOURS[key][0], key


BAR = {
    "mark": "bar",
    "data": {"values": [{"n": 3}, {"n": 5}]},
    "encoding": {"x": {"field": "n", "type": "quantitative"}},
}


def test_a_process_forked_after_drawing_a_chart_still_draws_them():
    """`lantern publish --jobs N` forks workers; vl-convert's engine does not survive
    a fork, so a worker forked from a process that already drew a chart draws
    through a helper process instead of waiting forever."""
    import multiprocessing

    from lantern.web import svg

    here = svg.vegalite_to_svg(BAR)
    with multiprocessing.get_context("fork").Pool(2) as pool:
        drawn = pool.map_async(svg.vegalite_to_svg, [BAR, BAR]).get(timeout=120)
        assert drawn == [here, here]
        with pytest.raises(ValueError, match="vl-convert"):
            pool.apply_async(svg.vegalite_to_svg, ({"mark": 3},)).get(timeout=120)
