"""Country-by-country TIP summary pages: tier line, summary, prioritized
recommendations. Pure."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lantern.core.text import clean_space
from lantern.legacy import patterns as P
from lantern.legacy.furniture import footer_start, take_footer, take_header
from lantern.legacy.parser import (
    TIER_LINE,
    ParsedTip,
)

if TYPE_CHECKING:
    from lantern.legacy.parser import PageContext

RECOMMENDATIONS = re.compile(
    r"^prioriti[sz]ed\s+recommendations\s*:?\s*(?P<rest>.*)$", re.I
)


def tier_code(text: str) -> str:
    """`Tier 2 Watch List` → `tier2wl`; `TIER 2` → `tier2`; `Special Case` → `special`."""
    text = text.lower()
    if "special" in text:
        return "special"
    roman = {"iii": "3", "ii": "2", "i": "1"}
    number = re.search(r"tier\s*(\d|i{1,3})", text)
    digit = number.group(1) if number else ""
    digit = roman.get(digit, digit)
    if digit == "2" and "watch" in text:
        return "tier2wl"
    return f"tier{digit}" if digit in {"1", "2", "3"} else ""


def parse_tip_page(ctx: PageContext) -> None:
    page, lines, ledger = ctx.page, ctx.lines, ctx.ledger
    i = take_header(ctx)
    footer = footer_start(lines, i)
    tip: ParsedTip | None = None
    in_recommendations = False
    for line in lines[i:footer]:
        text = line.text
        match = TIER_LINE.match(text)
        if tip is None and match and ctx.country_of(match["name"]):
            page.country = ctx.country_of(match["name"])
            year = re.search(r"\b((?:19|20)\d\d)\b", match["rest"])
            tip = ParsedTip(
                tier=tier_code(match["tier"]),
                tier_line=text,
                report_year=int(year.group(1)) if year else None,
            )
            ledger.take(line, "tip.tier_line", keep_text=True)
            continue
        if line.is_image or P.IMAGE_ALT.match(text):
            ledger.block(line, "image_alt")
            continue
        if P.is_nav(text):
            ledger.block(line, "nav")
            continue
        if tip is None:
            continue  # before the tier line: unparsed
        heading = RECOMMENDATIONS.match(text)
        if heading:
            in_recommendations = True
            ledger.take(line, "tip.recommendations_heading", keep_text=True)
            text = heading["rest"]
            if not text:
                continue
        if P.TIP_LINK_SENTENCE.match(text) and len(text) < 200:
            ledger.block(line, "tip.link")
            continue
        if in_recommendations:
            for item in re.split(r"\s*[•●▪·]\s*", text):
                item = clean_space(P.repair_letter_spacing(item))
                if item:
                    tip.recommendations.append(item)
            ledger.take(line, "tip.recommendations", keep_text=True)
        else:
            tip.summary.append(text)
            ledger.take(line, "tip.summary")
    take_footer(ctx, footer)
    page.tip = tip
    if page.country:
        page.key = f"tip-summary:{page.country}"
        page.title = f"TIP summary – {page.country}"
    else:
        page.warn(1, "no tier line naming a country was found")
