"""Parsing helpers for the importer's tests."""

from __future__ import annotations

from pathlib import Path

from lantern.legacy.parser import ParsedPage, parse_page
from lantern.library.publishers import COMMON_PUBLISHERS
from lantern.library.reference import alias_index

PAGES = Path(__file__).resolve().parent / "data" / "pages"


def parse_text(text: str, *, encoding: str = "utf-8") -> ParsedPage:
    return parse_bytes(text.encode(encoding))


def parse_bytes(data: bytes, name: str = "page.txt") -> ParsedPage:
    return parse_page(
        data,
        resolve_country=alias_index().get,
        known_publishers=frozenset(COMMON_PUBLISHERS),
        file_name=name,
    )


def unaccounted(page: ParsedPage) -> set[int]:
    """Non-blank lines that are neither filed under a field nor listed as unparsed."""
    unparsed = {
        n
        for u in page.unparsed
        for n in range(int(u["line"]), int(u.get("last", u["line"])) + 1)  # type: ignore[call-overload]
    }
    return set(page.nonblank) - page.accounted - unparsed
