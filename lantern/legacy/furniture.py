"""The site furniture around a legacy page's content: navigation, site title,
tagline and coverage lines at the top; the fair-use notice and "Cite this webpage as"
at the bottom. Shared by every page kind's parser. Pure."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lantern.legacy import patterns as P
from lantern.legacy.document import Line, is_debris

if TYPE_CHECKING:
    from lantern.legacy.parser import PageContext


def take_header(ctx: PageContext, start: int = 0) -> int:
    """File the navigation and site-title lines at the top; return the first index
    after them."""
    lines, ledger = ctx.lines, ctx.ledger
    i = start
    seen_title = False
    limit = min(len(lines), start + 25)
    while i < limit:
        line = lines[i]
        text = line.text
        if line.is_image:
            ledger.block(line, "image_alt")
        elif P.is_nav(text) or (
            i - start < 4
            and len(text) < 40
            and ctx.country_of(text)
            and not seen_title
            and furniture_follows(lines, i)
        ):
            ledger.block(line, "nav")
        elif P.SITE_TITLE.match(text) or (
            P.STREET_SITE_TITLE.match(text) and seen_title
        ):
            ledger.block(line, "site_title")
            seen_title = True
        elif P.TAGLINE.match(text):
            ledger.block(line, "tagline")
        elif P.COVERAGE.match(text):
            ledger.block(line, "coverage")
        elif P.STREET_SUBTITLE.search(text) and len(text) < 120:
            ledger.block(line, "subtitle")
        elif P.TIP_PAGE_HEADER.match(text):
            ledger.block(line, "tip_header")
        elif P.LECTURE_RESOURCES.match(text) and len(text) < 80:
            ledger.block(line, "lecture_header")
        elif P.TEACHERS_HEADER.match(text) and len(text) < 80:
            ledger.block(line, "teachers_header")
        elif P.PAGE_ADDRESS.match(text) and i > start:
            ledger.block(line, "page_address")
        elif i == start and _meta_description_follows(lines, i):
            ledger.block(line, "meta_description")
        elif furniture_follows(lines, i) and len(text) < 60 and ctx.country_of(text):
            ledger.block(line, "country_name")
            ctx.page.country = ctx.page.country or ctx.country_of(text)
        elif not furniture_follows(lines, i):
            break
        # else: a stray line inside the header stays unparsed
        i += 1
    return i


def is_furniture(text: str) -> bool:
    return bool(
        P.is_nav(text)
        or P.SITE_TITLE.match(text)
        or P.TAGLINE.match(text)
        or P.COVERAGE.match(text)
        or P.STREET_SUBTITLE.search(text)
        or P.TIP_PAGE_HEADER.match(text)
    )


def furniture_follows(lines: list[Line], i: int) -> bool:
    """Whether site furniture (title, tagline, coverage …) follows within two lines."""
    return any(is_furniture(line.text) for line in lines[i + 1 : i + 3])


def _meta_description_follows(lines: list[Line], i: int) -> bool:
    """The first paragraph is a meta description when site furniture follows it."""
    return any(is_furniture(line.text) for line in lines[i + 1 : i + 5])


_PLACEHOLDER_ACCESS = re.compile(r"^\[\s*accessed\s*<[^>]*>\s*\]$", re.IGNORECASE)


def _footer_ish(line: Line) -> bool:
    """Lines that may follow the fair-use notice: the rest of the citation,
    navigation, images, layout."""
    text = line.text
    return bool(
        P.is_nav(text)
        or is_debris(text)
        or line.is_image
        or _PLACEHOLDER_ACCESS.match(text)
        or P.FAIR_USE.search(text)
        or P.CITE_START.search(text)
        or (
            len(text) < 200
            and re.search(
                r"modern[\s-]*day slavery|street children|patt\b", text, re.IGNORECASE
            )
        )
    )


def footer_start(lines: list[Line], floor: int) -> int:
    """Index of the first footer line (fair use, cite this page), or len(lines)."""
    candidates = [
        j
        for j in range(floor, len(lines))
        if P.FAIR_USE.search(lines[j].text) or P.CITE_START.search(lines[j].text)
    ]
    for j in candidates:
        if all(_footer_ish(line) for line in lines[j + 1 :]):
            return j
    return len(lines)


def take_footer(ctx: PageContext, start: int) -> None:
    footer = ctx.lines[start:]
    for line in footer:
        text = line.text
        if P.CITE_START.search(text):
            ctx.ledger.block(line, "cite_line")
        elif P.FAIR_USE.search(text):
            ctx.ledger.block(line, "fair_use")
        elif P.is_nav(text):
            ctx.ledger.block(line, "nav")
        elif line.is_image:
            ctx.ledger.block(line, "image_alt")
        elif _footer_ish(line):
            ctx.ledger.block(line, "cite_line")
    if not ctx.page.country:
        ctx.page.country = cite_country(ctx, " ".join(line.text for line in footer))


def cite_country(ctx: PageContext, text: str) -> str | None:
    """The country named in "Cite this webpage as: …, "… - Peru",, …"."""
    match = P.CITE_LINE.search(text)
    if match:
        title = match["title"].strip(" ,")
        for sep in (" - ", " – ", " — ", ": "):
            if sep in title:
                return ctx.country_of(title.rsplit(sep, 1)[-1])
    return None
