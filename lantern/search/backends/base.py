"""The one interface every search backend implements, and the plain values that
cross it: the document indexed for an entry, a search request, its result."""

from __future__ import annotations

import abc
import datetime as dt
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from lantern.search.facets import Filters
from lantern.search.query import Node

SNIPPET_CHARS = 240


@dataclass(frozen=True)
class IndexDoc:
    """What search knows of one entry (built by `index.documents`)."""

    id: int
    title: str
    body: str  # excerpt paragraphs and notes
    publisher: str  # publisher name and the source line
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    kind: str = ""  # publisher kind
    format: str = ""
    section: str = ""
    status: str = ""  # link status ("unchecked" when never checked)
    published: dt.date | None = None
    added: dt.datetime | None = None
    verified: dt.date | None = None

    @property
    def year(self) -> int:
        return self.published.year if self.published else 0

    def facet_values(self) -> dict[str, tuple[str, ...]]:
        """Facet key → values, as filters name them."""
        year = self.year
        return {
            "country": self.countries,
            "region": self.regions,
            "topic": self.topics,
            "kind": (self.kind,) if self.kind else (),
            "format": (self.format,) if self.format else (),
            "section": (self.section,) if self.section else (),
            "status": (self.status,) if self.status else (),
            "year": (str(year),) if year else (),
            "decade": (str(year - year % 10),) if year else (),
        }


@dataclass(frozen=True)
class SearchRequest:
    query: Node | None
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"  # relevance | published | added | verified
    offset: int = 0
    limit: int = 20
    facets: bool = True
    snippets: bool = True

    def __post_init__(self) -> None:
        # Tantivy panics on a page of no hits: refuse it here, where it is clear.
        if self.limit < 1 or self.offset < 0:
            raise ValueError(f"limit must be ≥ 1 and offset ≥ 0: {self}")


@dataclass(frozen=True)
class Hit:
    entry_id: int
    score: float | None  # None when sorted by something else than relevance
    title_html: str  # escaped, with <mark> around matched words
    snippet_html: str  # escaped, with <mark> around matched words


@dataclass(frozen=True)
class SearchResult:
    total: int
    hits: list[Hit]
    # facet key → [(value, count)], most frequent first (years and decades newest
    # first).
    facets: dict[str, list[tuple[str, int]]]
    backend: str


class SearchBackend(abc.ABC):
    """A place where entries are indexed and searched."""

    name: str = ""

    @abc.abstractmethod
    def search(self, request: SearchRequest) -> SearchResult:
        """Run a search: hits for one page, total count, facet counts."""

    @abc.abstractmethod
    def write(self, docs: Sequence[IndexDoc], deleted: Iterable[int]) -> None:
        """Put `docs` in the index (replacing earlier versions) and take out the
        entries `deleted`, in one commit."""

    @abc.abstractmethod
    def rebuild(self, docs: Iterable[IndexDoc]) -> int:
        """Replace the whole index with `docs`; readers see the old one until the
        new one is complete. Returns the number indexed."""

    @abc.abstractmethod
    def count(self) -> int:
        """Entries in the index."""


def highlight(text: str, ranges: Iterable[tuple[int, int]]) -> str:
    """`text` escaped for HTML, with <mark> around the given character ranges."""
    out: list[str] = []
    at = 0
    for start, end in sorted(ranges):
        if start < at or end <= start:
            continue
        out.append(html.escape(text[at:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def sort_facets(key: str, counts: dict[str, int]) -> list[tuple[str, int]]:
    """Counts in display order: most entries first, years and decades newest first."""
    if key in {"year", "decade"}:
        return sorted(counts.items(), key=lambda kv: kv[0], reverse=True)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
