"""Is a quoted excerpt still on the page? Matching that forgives what changes when a
page is re-rendered: whitespace, markup, curly or straight quotes, dash styles,
ligatures, letter case, soft hyphens and non-breaking spaces.

Pure functions over text; `page_text` turns HTML into the text a reader sees.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree
from lxml import html as lxml_html

from lantern.core.text import PUNCT_MAP

# Excerpts open with markers the page itself may not carry: "[7] ", "(3; 4)".
_MARKERS = re.compile(r"^\s*\[\d+(?:\.\d+)*\]\s*|\(\s*\d+(?:\s*[;,]\s*\d+)*\s*\)")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


# Combining marks (accents once separated from their letters by NFKD).
_COMBINING = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)


def normalise(text: str) -> str:
    """Text reduced to lower-case words separated by single spaces (accents, quote
    and dash styles, soft hyphens and case ignored). Whole-string operations only,
    so memory stays a small multiple of the text's size."""
    text = unicodedata.normalize("NFKC", text.translate(PUNCT_MAP)).replace(
        "\u00ad", ""
    )
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_WORD.findall(text.casefold()))


def page_text(document: str | bytes) -> str:
    """The visible text of an HTML document (scripts and styles dropped)."""
    if not document:
        return ""
    try:
        root = lxml_html.document_fromstring(document)
    except (ValueError, TypeError, etree.ParserError):
        return (
            document
            if isinstance(document, str)
            else document.decode("utf-8", "replace")
        )
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    return " ".join(root.text_content().split())


def excerpt_probes(paragraphs: list[str], *, words: int = 12) -> list[str]:
    """Short normalised pieces of an excerpt worth looking for: the start and end of
    each paragraph (long quotes are often trimmed or re-wrapped on the page)."""
    probes = []
    for paragraph in paragraphs:
        tokens = normalise(_MARKERS.sub(" ", paragraph)).split()
        if len(tokens) < 4:
            continue
        probes.append(" ".join(tokens[:words]))
        if len(tokens) > words * 2:
            probes.append(" ".join(tokens[-words:]))
    return probes


def excerpt_found(
    page: str,
    paragraphs: list[str],
    *,
    share: float = 0.5,
    normalised: str | None = None,
) -> bool | None:
    """Whether the quoted excerpt is still on the page: at least `share` of its probes
    appear in the page text. None when the excerpt gives nothing to look for.
    `normalised` is the page text already normalised (then `page` is not read)."""
    probes = excerpt_probes(paragraphs)
    if not probes:
        return None
    haystack = f" {normalised if normalised is not None else normalise(page)} "
    found = sum(1 for probe in probes if f" {probe} " in haystack)
    return found / len(probes) >= share


def find_page(pages: list[str], excerpt: str) -> int | None:
    """The 1-based number of the page (of a PDF's pages' texts) holding an excerpt."""
    probes = excerpt_probes([excerpt], words=8)
    if not probes:
        return None
    for number, text in enumerate(pages, start=1):
        haystack = f" {normalise(text)} "
        if any(f" {probe} " in haystack for probe in probes):
            return number
    return None
