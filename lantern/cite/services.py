"""Citing entries: the one function the command (and later the web pages) call."""

from __future__ import annotations

import json
from collections.abc import Iterable

from lantern.cite.bibtex import write_bibtex
from lantern.cite.csl import CslItem, entry_to_csl, standard_item
from lantern.cite.ris import write_ris
from lantern.cite.styles import (
    STYLES,
    StyleFailed,
    UnknownStyle,
    is_note_style,
    is_style,
    render_all,
)
from lantern.library.models import Entry
from lantern.web.pages import usable_snapshots

EXPORT_FORMATS = ("bibtex", "ris", "csl-json")

__all__ = [
    "EXPORT_FORMATS",
    "StyleFailed",
    "UnknownStyle",
    "cite_entries",
    "csl_items",
    "style_choices",
]


def style_choices() -> list[str]:
    """The short names accepted besides any CSL style file name."""
    return [*STYLES, *EXPORT_FORMATS]


def csl_items(entries: Iterable[Entry]) -> list[CslItem]:
    """CSL-JSON items for entries, in their order (three queries)."""
    entries = list(entries)
    ids = [e.pk for e in entries]
    fetched = {
        e.pk: e
        for e in Entry.objects.filter(pk__in=ids)
        .select_related("publisher")
        .prefetch_related("accesses")
    }
    ordered = [fetched[i] for i in ids if i in fetched]
    snapshots = usable_snapshots(ordered)
    return [entry_to_csl(e, snapshots.get(e.pk, [])) for e in ordered]


def cite_entries(entries: Iterable[Entry], style: str, format: str = "text") -> str:
    """Entries cited in a style (a bibliography, one entry a line, sorted as the
    style sorts) or exported as BibTeX, RIS or CSL-JSON. Raises UnknownStyle."""
    if style not in EXPORT_FORMATS and not is_style(style):
        raise UnknownStyle(style)
    items = csl_items(entries)
    if style == "bibtex":
        return write_bibtex(items)
    if style == "ris":
        return write_ris(items)
    if style == "csl-json":
        plain = [standard_item(i) for i in items]
        return json.dumps(plain, ensure_ascii=False, indent=2) + "\n"
    label = "Note" if is_note_style(style) else "In text"
    by_id = {item["id"]: item for item in items}
    lines = []
    for cited in render_all(items, style, format=format):
        lines.append(cited.reference)
        if by_id[cited.id].get("cited_page"):
            # The page of the excerpt is a pinpoint: it belongs to the citation.
            lines.append(f"    {label}: {cited.citation}")
    return "".join(f"{line}\n" for line in lines)
