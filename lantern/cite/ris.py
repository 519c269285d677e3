"""RIS (the tagged format reference managers import) from CSL-JSON items."""

from __future__ import annotations

from collections.abc import Sequence

from lantern.cite.bibtex import iso
from lantern.cite.csl import CslItem

# RIS reference types by CSL type; anything else is GEN (generic).
REFERENCE_TYPES = {
    "webpage": "ELEC",
    "report": "RPRT",
    "book": "BOOK",
    "article-newspaper": "NEWS",
    "motion_picture": "VIDEO",
    "song": "SOUND",
}


def ris_name(name: dict[str, str]) -> str:
    if "literal" in name:
        return name["literal"]
    given = name.get("given", "")
    return f"{name.get('family', '')}, {given}" if given else name.get("family", "")


def item_to_ris(item: CslItem) -> str:
    lines = [("TY", REFERENCE_TYPES.get(item["type"], "GEN"))]
    lines += [("AU", ris_name(n)) for n in item.get("author", [])]
    lines.append(("TI", item["title"]))
    if container := item.get("container-title", ""):
        lines.append(("T2", container))
    if publisher := item.get("publisher", ""):
        lines.append(("PB", publisher))
    if place := item.get("publisher-place", ""):
        lines.append(("CY", place))
    if issued := iso(item.get("issued")):
        lines.append(("PY", issued[:4]))
        lines.append(("DA", issued.replace("-", "/")))
    if url := item.get("URL", ""):
        lines.append(("UR", url))
    if accessed := iso(item.get("accessed")):
        lines.append(("Y2", accessed.replace("-", "/")))
    if archive := item.get("archive_url", ""):
        lines.append(("N1", f"Archived copy: {archive}"))
    if page := item.get("cited_page", ""):
        lines.append(("N1", f"Cited page: {page}"))
    if language := item.get("language", ""):
        lines.append(("LA", language))
    lines.append(("ID", str(item["id"])))
    text = "".join(f"{tag}  - {' '.join(str(v).split())}\n" for tag, v in lines)
    return text + "ER  - \n"


def write_ris(items: Sequence[CslItem]) -> str:
    return "\n".join(item_to_ris(item) for item in items)
