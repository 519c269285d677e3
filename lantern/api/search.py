"""`/api/search`: the site's search page as JSON or CSV, the same query language,
filters and facets, over `search.services.run_search`."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from ninja import Query, Router

from lantern.api import parameters, serialise, tables
from lantern.api.answers import CSV_CONTENT, LIST_RESPONSES, columns
from lantern.api.errors import ApiError
from lantern.api.pagination import (
    DEFAULT_LIMIT,
    next_url,
    offset_cursor,
    read_offset_cursor,
)
from lantern.api.parameters import (
    NO_VALUES,
    CountryCode,
    CursorParam,
    EntryFormat,
    FormatParam,
    Limit,
    LinkStatus,
    PublisherKind,
    RegionName,
    Section,
    Slug,
    SortName,
    YearText,
)
from lantern.api.schemas import HitOut, SearchOut
from lantern.library.models import Topic
from lantern.search.facets import FACETS, MAX_FILTER_VALUES, Filters, normalise
from lantern.search.query import QueryError, parse
from lantern.search.services import MAX_PAGE, plain, run_search

router = Router()

# The API's name of each facet's parameter: the site's, except that the format
# facet is `type` here, as `format` chooses JSON or CSV.
PARAMETER = {f.key: ("type" if f.key == "format" else f.key) for f in FACETS}

NOTHING_TO_FIND = (
    "there is no word to look for: give a word, a phrase in quotes, or the "
    "beginning of a word followed by *, or a filter."
)


def _filters(values: dict[str, list[str]]) -> Filters:
    """The site's `Filters`, refusing values the site would silently drop."""
    found: dict[str, list[str]] = {}
    for key, raw in values.items():
        for value in raw:
            clean = normalise(key, value)
            if not clean:
                raise ApiError(PARAMETER[key], f"{value!r} is not one of its values.")
            found.setdefault(key, []).append(clean)
    return Filters.from_params(found)


def _facet_help(what: str) -> Any:
    return Query(
        [],
        max_length=MAX_FILTER_VALUES,
        description=f"{what}; repeat for results with all of them.",
    )


CountryFacet = Annotated[list[CountryCode], _facet_help("ISO alpha-2 code")]
RegionFacet = Annotated[
    list[RegionName], _facet_help("UN M49 region name, e.g. Americas")
]
TopicFacet = Annotated[list[Slug], _facet_help("Topic slug")]
KindFacet = Annotated[list[PublisherKind], _facet_help("Publisher's kind")]
TypeFacet = Annotated[
    list[EntryFormat], _facet_help("The source's format (the site's `format`)")
]
SectionFacet = Annotated[list[Section], _facet_help("Section")]
DecadeFacet = Annotated[list[YearText], _facet_help("Decade, e.g. 2010")]
YearFacet = Annotated[list[YearText], _facet_help("Year published")]
StatusFacet = Annotated[list[LinkStatus], _facet_help("Latest link-check outcome")]


@router.get(
    "/search",
    response={200: SearchOut, **LIST_RESPONSES},
    url_name="search",
    tags=["search"],
    operation_id="lantern_api_api_search",
    openapi_extra=CSV_CONTENT,
)
def search(
    request: HttpRequest,
    response: HttpResponse,
    q: str = Query(
        "",
        max_length=1000,
        description='The site\'s search language: words, "phrases", prefix*, '
        "OR, -excluded. Empty: the whole library, newest first.",
    ),
    sort: SortName = "relevance",
    country: CountryFacet = NO_VALUES,
    region: RegionFacet = NO_VALUES,
    topic: TopicFacet = NO_VALUES,
    kind: KindFacet = NO_VALUES,
    type: TypeFacet = NO_VALUES,
    section: SectionFacet = NO_VALUES,
    decade: DecadeFacet = NO_VALUES,
    year: YearFacet = NO_VALUES,
    status: StatusFacet = NO_VALUES,
    limit: Limit = DEFAULT_LIMIT,
    cursor: CursorParam = None,
    format: FormatParam = None,
) -> Any:
    """Search as the site's search page does: ranked results, their total, and the
    counts of every facet (filters of one facet must all hold, as on the site)."""
    text = parameters.text("q", q)
    filters = _filters(
        {
            "country": list(country),
            "region": list(region),
            "topic": list(topic),
            "kind": list(kind),
            "format": list(type),
            "section": list(section),
            "decade": list(decade),
            "year": list(year),
            "status": list(status),
        }
    )
    offset = read_offset_cursor("search", cursor, limit) if cursor else 0
    if offset % limit:
        raise ApiError("cursor", "not a cursor this API gave out.")
    number = offset // limit + 1
    if number > MAX_PAGE:
        raise ApiError("cursor", f"search results stop after {MAX_PAGE} pages.")
    try:
        if text and parse(text) is None and not filters:
            raise ApiError("q", NOTHING_TO_FIND)
        page = run_search(text, filters=filters, sort=sort, page=number, per_page=limit)
    except QueryError as error:
        raise ApiError("q", str(error)) from error
    # run_search fetched the entries with their countries; the rows need topics.
    prefetch_related_objects(
        [found.entry for found in page.found],
        Prefetch("topics", queryset=Topic.objects.only("slug")),
    )
    rows = []
    for found in page.found:
        row = serialise.entry_row(request, found.entry)
        row.update(
            score=found.hit.score,
            title_html=found.hit.title_html,
            snippet=plain(found.hit.snippet_html),
            snippet_html=found.hit.snippet_html,
        )
        rows.append(row)
    reached = offset + len(page.result.hits)
    following = ""
    if page.result.hits and reached < page.total and number < MAX_PAGE:
        following = offset_cursor("search", reached, limit)
    if tables.wants_csv(request, format):
        answer = tables.response(
            columns(HitOut),
            rows,
            filename="search",
            next_url=next_url(request, following),
        )
        patch_vary_headers(answer, ["Accept"])
        return answer
    patch_vary_headers(response, ["Accept"])
    return {
        "q": text,
        "sort": page.sort,
        "filters": {PARAMETER[k]: list(v) for k, v in page.filters.values.items()},
        "total": page.total,
        "limit": limit,
        "next": next_url(request, following),
        "results": rows,
        "facets": [
            {
                "key": group.key,
                "parameter": PARAMETER[group.key],
                "label": group.label,
                "values": [
                    {
                        "value": v.value,
                        "label": v.label,
                        "count": v.count,
                        "selected": v.selected,
                    }
                    for v in group.values
                ],
            }
            for group in page.facets
        ],
    }
