"""Vega-Lite specs to accessible SVG, on the server: vl-convert renders (Vega-Lite in
an embedded JavaScript engine, no browser, no network), lxml rebuilds the result as
one labelled image, and Django's cache keeps it under a hash of the spec, so a page
whose numbers did not change is not rendered again. Touches the cache; nothing else.

vl-convert's engine runs on threads of its own, which a forked process does not
have: a process forked after this one rendered a chart (`lantern publish --jobs N`
from a process that already drew one, as in the tests) would wait for them forever.
Such a process renders through a helper interpreter of its own instead.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import subprocess
import sys
import threading
from typing import Any

import vl_convert
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from lxml import etree

# Bump when the post-processing below changes, so cached SVG is rendered again.
RENDER_VERSION = "4"
CACHE_SECONDS = 60 * 60 * 24 * 30
CACHE_PREFIX = "lantern:chart:"
# Charts with text shrink to three quarters of their size on narrow screens (12px
# labels stay 9px), then scroll sideways.
MIN_SCALE = 0.75

# The narrowest a chart may shrink to is set by a class of the stylesheet
# (`chart__svg--min-360`), not a style attribute, so pages need no inline styles under
# their Content-Security-Policy: widths rounded to MIN_WIDTH_STEP pixels, from
# MIN_WIDTHS[0] to MIN_WIDTHS[-1] (lantern.css has one rule for each).
MIN_WIDTH_STEP = 20
MIN_WIDTHS = range(100, 1201, MIN_WIDTH_STEP)

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
        raw = vegalite_to_svg(full)
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


# ------------------------------------------------- vl-convert, fork-safe

# The process whose vl-convert engine has started (its threads exist only there).
_engine_pid: int | None = None
_helper: subprocess.Popen[str] | None = None
_helper_lock = threading.Lock()
# The helper: one Vega-Lite spec per line of JSON in, its SVG as a JSON string (or
# an error) per line out.
_HELPER_CODE = """
import json, sys, vl_convert
for line in sys.stdin:
    try:
        answer = {"svg": vl_convert.vegalite_to_svg(json.loads(line), allowed_base_urls=[])}
    except Exception as exc:
        answer = {"error": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(answer) + "\\n")
    sys.stdout.flush()
"""


def vegalite_to_svg(spec: dict[str, Any]) -> str:
    """vl-convert's SVG of `spec`: in this process, or through the helper when this
    process was forked from one whose engine had already started."""
    global _engine_pid
    if _engine_pid is None or _engine_pid == os.getpid():
        _engine_pid = os.getpid()
        return str(vl_convert.vegalite_to_svg(spec, allowed_base_urls=[]))
    return _through_helper(spec)


def _through_helper(spec: dict[str, Any]) -> str:
    global _helper
    with _helper_lock:
        if _helper is None or _helper.poll() is not None:
            _helper = subprocess.Popen(
                [sys.executable, "-c", _HELPER_CODE],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                encoding="utf-8",
            )
            atexit.register(_stop_helper, _helper)
        assert _helper.stdin is not None and _helper.stdout is not None
        _helper.stdin.write(json.dumps(spec, ensure_ascii=False, default=str) + "\n")
        _helper.stdin.flush()
        line = _helper.stdout.readline()
    if not line:
        raise RuntimeError("the chart helper process stopped")
    answer = json.loads(line)
    if "error" in answer:
        raise ValueError(f"vl-convert: {answer['error']}")
    return str(answer["svg"])


def _stop_helper(helper: subprocess.Popen[str]) -> None:
    if helper.poll() is None:
        helper.kill()
        helper.wait()


# ----------------------------------------------------------- post-processing

_DECIMALS = re.compile(r"(\d+\.\d)\d+")
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_STRIPPED = ("role", "aria-roledescription", "aria-hidden", "aria-label")
# vl-convert resolves a mark's `href` against this base (it has no option to change
# it); site paths are recovered from it, anything else is dropped.
VEGA_BASE = "https://vega.github.io/vega-datasets/"
_SITE_PATH = re.compile(r"/[A-Za-z0-9._~/-]*(\?[A-Za-z0-9._~=&%+,-]*)?")
_DROPPED = frozenset({"script", "foreignObject", "iframe", "style"})


def site_path(href: str) -> str:
    """The site path a mark links to (`/countries/pe/`), or '' when the link is not
    one of ours."""
    if href.startswith(VEGA_BASE):
        href = "/" + href.removeprefix(VEGA_BASE).lstrip("/")
    if href.startswith("//") or not _SITE_PATH.fullmatch(href):
        return ""
    return href


def _links_and_scripts(root: etree._Element) -> None:
    """Keep links to site paths only (out of the tab order: the table beside the
    chart has the same links), unwrap any other link, drop anything executable."""
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        name = etree.QName(el).localname
        if name in _DROPPED:
            el.getparent().remove(el)  # type: ignore[union-attr]
            continue
        for attr in list(el.attrib):
            if str(attr).lower().startswith("on"):
                del el.attrib[attr]
        if name != "a":
            continue
        path = site_path(el.get(XLINK_HREF) or el.get("href") or "")
        el.attrib.pop(XLINK_HREF, None)
        if path:
            el.set("href", path)
            el.set("tabindex", "-1")
            continue
        parent = el.getparent()
        if parent is None:
            continue
        index = parent.index(el)
        for offset, child in enumerate(list(el)):
            parent.insert(index + offset, child)
        parent.remove(el)


def min_width_class(pixels: float) -> str:
    """The stylesheet class that keeps a chart at least about `pixels` wide."""
    step = round(pixels / MIN_WIDTH_STEP) * MIN_WIDTH_STEP
    step = min(max(step, MIN_WIDTHS[0]), MIN_WIDTHS[-1])
    return f"chart__svg--min-{step}"


def accessible_svg(
    raw: str,
    *,
    chart_id: str,
    title: str,
    description: str,
    min_scale: float = MIN_SCALE,
) -> str:
    """Vega's SVG made into one accessible image: `role="img"` (or
    "graphics-document" when its marks link somewhere) named by its own
    `<title>` and `<desc>`; the marks' own descriptions kept only as hover tooltips;
    ids prefixed with `chart_id` so several charts can share a page; coordinates cut
    to one decimal (maps shrink by a third); links kept only to site paths, nothing
    executable."""
    root = etree.fromstring(raw.encode("utf-8"))
    _links_and_scripts(root)
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
    # An image's content is presentational, so it may hold no links: a chart whose
    # marks link to pages is a graphics document instead (its links stay out of the
    # tab order; the table beside it has the same ones).
    linked = any(
        isinstance(el.tag, str) and etree.QName(el).localname == "a"
        for el in root.iter()
    )
    root.set("role", "graphics-document" if linked else "img")
    root.set("aria-labelledby", f"{title_id} {desc_id}")
    root.set("focusable", "false")
    root.set("class", "chart__svg")
    root.set("id", chart_id + "-svg")
    width = float(root.get("width", "0") or 0)
    if min_scale and width:
        root.set("class", f"chart__svg {min_width_class(width * min_scale)}")
    title_el = etree.Element(f"{{{SVG_NS}}}title", id=title_id)
    title_el.text = title
    desc_el = etree.Element(f"{{{SVG_NS}}}desc", id=desc_id)
    desc_el.text = description
    root.insert(0, desc_el)
    root.insert(0, title_el)
    return etree.tostring(root, encoding="unicode")
