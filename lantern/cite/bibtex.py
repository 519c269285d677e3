"""BibTeX from CSL-JSON items (UTF-8, for biber/biblatex and BibTeX alike)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lantern.cite.csl import CslItem
from lantern.core.text import fold

# BibTeX entry types by CSL type; anything else is @misc.
ENTRY_TYPES = {
    "book": "book",
    "report": "techreport",
    "article-newspaper": "article",
}

_SPECIAL = re.compile(r"([\\{}%&$#_^~])")
_REPLACEMENTS = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def escape(value: str) -> str:
    """A value with TeX's special characters escaped."""
    return _SPECIAL.sub(lambda m: _REPLACEMENTS.get(m[1], "\\" + m[1]), value)


def bibtex_name(name: dict[str, str]) -> str:
    """A CSL name as BibTeX writes it: "Family, Given", organisations braced whole."""
    if "literal" in name:
        return "{" + escape(name["literal"]) + "}"
    family = escape(name.get("family", ""))
    given = escape(name.get("given", ""))
    if " " in family:
        family = "{" + family + "}"
    return f"{family}, {given}" if given else family


def iso(date: dict[str, list[list[int]]] | None) -> str:
    if not date:
        return ""
    parts = date["date-parts"][0]
    return "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts))


def cite_key(item: CslItem) -> str:
    """A readable, unique key: first author's (or title's) first word, year, id."""
    names = item.get("author") or []
    lead = ""
    if names:
        first = names[0]
        lead = first.get("family") or first.get("literal") or ""
    words = fold(lead or item.get("title", "")).split()
    year = iso(item.get("issued"))[:4]
    number = str(item["id"]).rsplit("-", 1)[-1]
    return f"{words[0] if words else 'entry'}{year}-{number}"


def item_to_bibtex(item: CslItem) -> str:
    kind = ENTRY_TYPES.get(item["type"], "misc")
    fields: list[tuple[str, str]] = []
    if names := item.get("author"):
        fields.append(("author", " and ".join(bibtex_name(n) for n in names)))
    fields.append(("title", "{" + escape(item["title"]) + "}"))
    container = item.get("container-title", "")
    if container:
        fields.append(
            ("journal" if kind == "article" else "howpublished", escape(container))
        )
    if publisher := item.get("publisher", ""):
        key = "institution" if kind == "techreport" else "publisher"
        fields.append((key, escape(publisher)))
    if place := item.get("publisher-place", ""):
        fields.append(("address", escape(place)))
    issued = iso(item.get("issued"))
    if issued:
        fields.append(("year", issued[:4]))
        if len(issued) >= 7:
            fields.append(("month", str(int(issued[5:7]))))
        fields.append(("date", issued))
    if url := item.get("URL", ""):
        fields.append(("url", url))
    if accessed := iso(item.get("accessed")):
        fields.append(("urldate", accessed))
    notes = []
    if archive := item.get("archive_url", ""):
        notes.append("Archived copy: \\url{" + archive + "}")
    if page := item.get("cited_page", ""):
        # A pinpoint, not the item's page range, so not `pages`.
        notes.append(f"Cited page: {escape(page)}")
    if notes:
        fields.append(("note", ". ".join(notes)))
    if language := item.get("language", ""):
        fields.append(("langid", language))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{cite_key(item)},\n{body}\n}}\n"


def write_bibtex(items: Sequence[CslItem]) -> str:
    return "\n".join(item_to_bibtex(item) for item in items)
