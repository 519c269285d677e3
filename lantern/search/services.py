"""Running a reader's search: parse, ask the backend, fetch the entries shown.
Used by the `/search` page and the `lantern search` command alike."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch

from lantern.library.models import Country, Entry
from lantern.search.backends.base import Hit, SearchRequest, SearchResult
from lantern.search.facets import FACETS, SORTS, Filters, label_for, value_labels
from lantern.search.index import get_backend
from lantern.search.query import Node, QueryError, parse
from lantern.search.variants import expand

PER_PAGE = 20
MAX_PAGE = 500
FACET_VALUES_SHOWN = {"country": 30, "topic": 40, "year": 30}


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    key: str
    label: str
    values: list[FacetValue]


@dataclass(frozen=True)
class Found:
    """One hit with its entry (None if the entry vanished since it was indexed)."""

    hit: Hit
    entry: Entry


@dataclass(frozen=True)
class SearchPage:
    text: str
    node: Node | None
    filters: Filters
    sort: str
    page: int
    per_page: int
    result: SearchResult
    found: list[Found]
    facets: list[FacetGroup] = field(default_factory=list)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.result.total

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, math.ceil(self.total / self.per_page)))

    def label(self, key: str, value: str) -> str:
        return label_for(self.labels, key, value)


def run_search(
    text: str,
    *,
    filters: Filters | None = None,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = PER_PAGE,
    facets: bool = True,
) -> SearchPage:
    """Search the library. Raises `QueryError` (a message for the reader) when the
    query cannot be read. Reads the index and the entries shown."""
    node = parse(text)
    filters = filters or Filters()
    sort = sort if sort in SORTS else "relevance"
    page = max(1, min(page, MAX_PAGE))
    request = SearchRequest(
        query=expand(node),
        filters=filters,
        sort=sort,
        offset=(page - 1) * per_page,
        limit=per_page,
        facets=facets,
    )
    result = get_backend().search(request)
    entries = {
        e.pk: e
        for e in Entry.objects.filter(pk__in=[h.entry_id for h in result.hits])
        .select_related("publisher", "primary_country")
        .prefetch_related(
            Prefetch("countries", queryset=Country.objects.order_by("name"))
        )
    }
    found = [
        Found(h, entries[h.entry_id]) for h in result.hits if h.entry_id in entries
    ]
    labels = value_labels() if facets else {}
    groups = []
    for facet in FACETS:
        counts = result.facets.get(facet.key, [])
        shown = counts[: FACET_VALUES_SHOWN.get(facet.key, 20)]
        values = [
            FacetValue(value, label_for(labels, facet.key, value), count,
                       filters.has(facet.key, value))
            for value, count in shown
        ]  # fmt: skip
        if values:
            groups.append(FacetGroup(facet.key, facet.label, values))
    return SearchPage(
        text=text,
        node=node,
        filters=filters,
        sort=sort,
        page=page,
        per_page=per_page,
        result=result,
        found=found,
        facets=groups,
        labels=labels,
    )


TAG = re.compile(r"</?mark>")


def plain(html_text: str) -> str:
    """Highlighted HTML back to plain text."""
    import html

    return html.unescape(TAG.sub("", html_text))


__all__ = ["QueryError", "SearchPage", "plain", "run_search"]
