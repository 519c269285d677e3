"""Checks of a published static site: every internal reference resolves to a file
of OUT_DIR (and a fragment to an id in it); feeds and sitemaps parse as XML and
their addresses name files. Used by the tests; plain code over a folder."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree
from lxml import html as lxml_html

CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")
URL_ATTRIBUTES = (
    "href",
    "src",
    "action",
    "poster",
    "{http://www.w3.org/1999/xlink}href",
)


def html_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if "pagefind" not in p.parts)


def is_external(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme or parts.netloc) or value.startswith(("mailto:", "tel:"))


def ids_of(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        tree = lxml_html.fromstring(path.read_bytes())
        cache[path] = {str(i) for i in tree.xpath("//@id")}
    return cache[path]


def references(path: Path) -> list[str]:
    """Every reference of one HTML file: attributes, srcset candidates, CSS url()."""
    tree = lxml_html.fromstring(path.read_bytes())
    found: list[str] = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name in URL_ATTRIBUTES:
            value = element.get(name)
            if value is not None:
                found.append(value)
        if element.get("srcset"):
            found += [
                c.strip().split()[0]
                for c in element.get("srcset").split(",")
                if c.strip()
            ]
        if element.get("style"):
            found += CSS_URL.findall(element.get("style"))
        if element.tag == "style" and element.text:
            found += CSS_URL.findall(element.text)
    return found


def broken_references(root: Path) -> list[str]:
    """`file: reference` for every internal reference that names no file (or no
    such id in it)."""
    broken: list[str] = []
    ids: dict[Path, set[str]] = {}
    for page in html_files(root):
        if "archive" in page.relative_to(root).parts and page.parent.name == "raw":
            continue  # an archived page as captured: its links are the original's
        for value in references(page):
            value = value.strip()
            if not value or is_external(value) or value.startswith("data:"):
                continue
            parts = urlsplit(value)
            if value.startswith("/"):
                broken.append(f"{page.relative_to(root)}: {value} (site-rooted)")
                continue
            target = (
                (page.parent / unquote(parts.path)).resolve() if parts.path else page
            )
            if not target.is_file() or root.resolve() not in target.parents:
                broken.append(f"{page.relative_to(root)}: {value}")
                continue
            if (
                parts.fragment
                and target.suffix == ".html"
                and parts.fragment not in ids_of(target, ids)
            ):
                broken.append(f"{page.relative_to(root)}: {value} (no such id)")
    for sheet in root.rglob("*.css"):
        if "pagefind" in sheet.parts:
            continue
        for value in CSS_URL.findall(sheet.read_text(encoding="utf-8")):
            if is_external(value) or value.startswith("data:"):
                continue
            target = (sheet.parent / unquote(urlsplit(value).path)).resolve()
            if not target.is_file():
                broken.append(f"{sheet.relative_to(root)}: {value}")
    return broken


def file_for_address(root: Path, address: str, base_url: str = "") -> Path | None:
    """The file a feed or sitemap address names: `/x/` → x/index.html."""
    if base_url and address.startswith(base_url):
        address = address[len(base_url) :]
    if not address.startswith("/"):
        return None
    path = unquote(urlsplit(address).path).lstrip("/")
    target = root / path
    if address.endswith("/"):
        target = target / "index.html"
    return target if target.is_file() else None


def xml_addresses(path: Path) -> list[str]:
    """Every address in a feed (link hrefs, ids) or sitemap (loc)."""
    tree = etree.parse(str(path))
    found = [str(v) for v in tree.xpath("//*[local-name()='link']/@href")]
    found += [str(t).strip() for t in tree.xpath("//*[local-name()='loc']/text()")]
    return found
