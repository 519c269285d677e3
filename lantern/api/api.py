"""The read-only JSON API under `/api/`: countries with their profiles and help-lines,
topics, entries with their access history, and search with the site's facets.

Endpoints are adapters like the site's views: they check the parameters, read
through the library's QuerySets, `lantern.web.pages` and `run_search`, and render
what the public pages show (`serialise.py`). Nothing here writes, except the rate
limit's counters in the cache.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    prefetch_related_objects,
)
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from ninja import NinjaAPI, Path, Query
from ninja.errors import Throttled, ValidationError
from pydantic import Field, StringConstraints, WithJsonSchema

from lantern.api import serialise, tables
from lantern.api.docs import LocalSwagger
from lantern.api.errors import ApiError, not_found
from lantern.api.pagination import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    keyset_page,
    next_url,
    offset_cursor,
    read_offset_cursor,
)
from lantern.api.schemas import (
    AccessList,
    AccessOut,
    CountryDetail,
    CountryList,
    CountryOut,
    EntryDetail,
    EntryList,
    EntryOut,
    ErrorOut,
    HelplineList,
    HelplineOut,
    HitOut,
    SearchOut,
    TopicList,
    TopicOut,
)
from lantern.api.throttling import DEFAULT_RATE, AddressRateThrottle, configured_rate
from lantern.library.models import (
    Access,
    Country,
    Entry,
    Helpline,
    Topic,
)
from lantern.search.facets import FACETS, MAX_FILTER_VALUES, Filters, normalise
from lantern.search.query import QueryError, parse
from lantern.search.services import MAX_PAGE, plain, run_search
from lantern.web import pages

DESCRIPTION = f"""
Read-only access to Lantern's evidence library: countries with their profiles
(TIP tier history, Global Slavery Index estimates, background), help-lines,
topics, entries (published sources with excerpts) and their access history, and
search with the same query language, filters and facets as the site's search page.
Everything here is public: the API shows what the site shows.

**Pagination.** Lists come a page at a time: `limit` items (default {DEFAULT_LIMIT},
at most {MAX_LIMIT}) and a `next` URL to the following page, `null` on the last one.
The `cursor` in that URL is opaque: follow `next` rather than building it. Lists
other than search are walked in a fixed order by a key that ends in the item's id,
so a walk sends every item exactly once, even while the library grows. Search
results are ranked, so their cursor holds the offset reached; keep the same `limit`
through a walk, which can reach the first {MAX_PAGE} pages.

**CSV.** Every list answers as CSV with `?format=csv` (or `Accept: text/csv`):
the same filters and pagination, a header row with the JSON's field names, lists
inside a field joined with `; `, and text starting with `=`, `+`, `-` or `@`
prefixed with an apostrophe so spreadsheets do not run it as a formula. The next
page's URL is in the `Link` header (`rel="next"`).

**Rate limit.** Each client address may make {DEFAULT_RATE.replace("/m", " requests a minute")}
by default (the site's `LANTERN_API_RATE` setting changes it). Past the limit the
API answers `429 Too Many Requests` with a `Retry-After` header giving the seconds
to wait.

**Errors.** A bad parameter is answered with status 400 and
`{{"detail": "...", "parameter": "<its name>"}}`; an unknown country or entry with
404.
"""

api = NinjaAPI(
    title="Lantern API",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=LocalSwagger(),
    throttle=[AddressRateThrottle()],
)

# --------------------------------------------------------------------- errors


def _error(request: HttpRequest, error: ApiError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": error.detail, "parameter": error.parameter},
        status=error.status,
    )


@api.exception_handler(ApiError)
def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _error(request, exc)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Pydantic's findings as one message naming the parameters at fault."""
    names: list[str] = []
    messages: list[str] = []
    for item in exc.errors:
        loc = [str(part) for part in item.get("loc", ())]
        name = loc[1] if len(loc) > 1 else (loc[0] if loc else "request")
        names.append(name)
        messages.append(f"{name}: {item.get('msg', 'invalid value')}")
    parameter = names[0] if names else None
    detail = "; ".join(dict.fromkeys(messages)) or "invalid request"
    return api.create_response(
        request, {"detail": detail, "parameter": parameter}, status=400
    )


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return api.create_response(
        request,
        {
            "detail": f"Too many requests from this address (limit {configured_rate()}); "
            "try again after the number of seconds in Retry-After.",
            "parameter": None,
        },
        status=429,
    )


# ------------------------------------------------------------------ parameters

CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2}$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,79}$")]
RegionName = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9 .'-]{0,99}$")
]
YearText = Annotated[str, StringConstraints(pattern=r"^[0-9]{4}$")]
Cursor = Annotated[
    str, StringConstraints(min_length=1, max_length=2000, pattern=r"^[A-Za-z0-9_:.-]+$")
]
OutputFormat = Literal["json", "csv"]
EntryFormat = Literal["web", "pdf", "doc", "book", "video", "audio", "other"]
Section = Literal["current", "archive"]
Collection = Literal["trafficking", "street-children"]
PublisherKind = Literal[
    "government", "intergovernmental", "ngo", "news", "academic", "other"
]
LinkStatus = Literal[
    "alive",
    "moved",
    "dead",
    "soft-dead",
    "drifted",
    "blocked",
    "server-error",
    "timeout",
    "network-error",
    "redirect-loop",
    "unchecked",
]
SortName = Literal["relevance", "published", "added", "verified"]

Limit = Annotated[
    int, Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
]
CursorParam = Annotated[
    Cursor | None,
    Query(None, description="Where the page starts: copy it from `next`."),
]
FormatParam = Annotated[
    OutputFormat | None, Query(None, description="`csv` for CSV; JSON otherwise.")
]
NO_VALUES: Any = []

LIST_RESPONSES: dict[int, Any] = {400: ErrorOut, 429: ErrorOut}
DETAIL_RESPONSES: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 429: ErrorOut}
CSV_CONTENT = {
    "responses": {
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}},
    }
}


def _timestamp(name: str, text: str) -> dt.datetime:
    """An ISO 8601 time the database can compare; one without a zone is UTC."""
    try:
        value = dt.datetime.fromisoformat(text.strip().upper())
    except ValueError as error:
        raise ApiError(
            name, "not an ISO 8601 time, e.g. 2026-01-31T12:00:00Z."
        ) from error
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except (OverflowError, ValueError) as error:
        raise ApiError(name, "the time is out of range.") from error


def _text(name: str, value: str) -> str:
    """Free text without control characters (which no stored text has)."""
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ApiError(name, "control characters are not allowed.")
    return value.strip()


def _list_answer(
    request: HttpRequest,
    response: HttpResponse,
    *,
    format: str | None,
    name: str,
    columns: Sequence[str],
    rows: list[dict[str, Any]],
    total: int,
    limit: int,
    cursor: str,
) -> dict[str, Any] | HttpResponse:
    following = next_url(request, cursor)
    if tables.wants_csv(request, format):
        answer = tables.response(columns, rows, filename=name, next_url=following)
        patch_vary_headers(answer, ["Accept"])
        return answer
    # The same address answers CSV to `Accept: text/csv`: caches must know.
    patch_vary_headers(response, ["Accept"])
    return {"total": total, "limit": limit, "next": following, "results": rows}


def _columns(schema: Any) -> list[str]:
    return list(schema.model_fields)


def _paged(
    request: HttpRequest,
    response: HttpResponse,
    queryset: Any,
    *,
    name: str,
    order: Sequence[str],
    cursor: str | None,
    limit: int,
    format: str | None,
    row: Callable[[Any], dict[str, Any]],
    schema: Any,
) -> dict[str, Any] | HttpResponse:
    total = queryset.count()
    page = keyset_page(
        queryset, list_name=name, order=order, cursor=cursor, limit=limit
    )
    return _list_answer(
        request,
        response,
        format=format,
        name=name,
        columns=_columns(schema),
        rows=[row(r) for r in page.rows],
        total=total,
        limit=limit,
        cursor=page.next_cursor,
    )


# ------------------------------------------------------------------- countries


def _in_region(code: str, *, prefix: str) -> Q:
    """Countries in a UN M49 region, sub-region or intermediate region."""
    return (
        Q(**{f"{prefix}region_code": code})
        | Q(**{f"{prefix}sub_region_code": code})
        | Q(**{f"{prefix}intermediate_region_code": code})
    )


@api.get(
    "/countries",
    response={200: CountryList, **LIST_RESPONSES},
    url_name="countries",
    tags=["countries"],
    openapi_extra=CSV_CONTENT,
)
def list_countries(
    request: HttpRequest,
    response: HttpResponse,
    region: Annotated[
        Annotated[str, StringConstraints(pattern=r"^[0-9]{3}$")] | None,
        Query(
            None,
            description="UN M49 region, sub-region or intermediate region code, e.g. 005.",
        ),
    ] = None,
    with_entries: Annotated[
        bool, Query(False, description="Only countries that at least one entry names.")
    ] = False,
    limit: Limit = DEFAULT_LIMIT,
    cursor: CursorParam = None,
    format: FormatParam = None,
) -> Any:
    """Every country and territory, by ISO code, with its number of entries."""
    countries = Country.objects.with_entry_counts()
    if region:
        countries = countries.filter(_in_region(region, prefix=""))
    if with_entries:
        countries = countries.filter(
            Exists(Entry.countries.through.objects.filter(country_id=OuterRef("pk")))
        )
    return _paged(
        request,
        response,
        countries,
        name="countries",
        order=["code"],
        cursor=cursor,
        limit=limit,
        format=format,
        row=lambda c: serialise.country_row(request, c),
        schema=CountryOut,
    )


@api.get(
    "/countries/{code}",
    response={200: CountryDetail, **DETAIL_RESPONSES},
    url_name="country",
    tags=["countries"],
)
def get_country(
    request: HttpRequest,
    code: Annotated[
        CountryCode, Path(..., description="ISO 3166-1 alpha-2 code, e.g. PE.")
    ],
) -> Any:
    """A country as its page shows it: profile, TIP tier history, help-lines."""
    country = (
        Country.objects.with_entry_counts()
        .select_related("profile")
        .filter(code=code.upper())
        .first()
    )
    if country is None:
        raise not_found("country")
    history = pages.tier_history(country.tiers.all())
    helplines = list(country.helplines.select_related("country"))
    data = serialise.country_row(request, country)
    profile = getattr(country, "profile", None)
    data.update(
        neighbours=sorted(country.neighbours.values_list("code", flat=True)),
        profile=serialise.profile_dict(profile, history),
        tier_history=[serialise.tier_year(c) for c in history],
        tier_sources=pages.tier_sources(history),
        helplines=[serialise.helpline_row(request, h) for h in helplines],
        entries_url=request.build_absolute_uri(
            f"{reverse('api:entries')}?country={country.code}"
        ),
    )
    return data


# ------------------------------------------------------------------- help-lines


@api.get(
    "/helplines",
    response={200: HelplineList, **LIST_RESPONSES},
    url_name="helplines",
    tags=["help-lines"],
    openapi_extra=CSV_CONTENT,
)
def list_helplines(
    request: HttpRequest,
    response: HttpResponse,
    country: Annotated[
        CountryCode | None, Query(None, description="ISO alpha-2 code.")
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: CursorParam = None,
    format: FormatParam = None,
) -> Any:
    """Every help-line, by country name (as the site's help page lists them)."""
    helplines = Helpline.objects.select_related("country")
    if country:
        helplines = helplines.filter(country_id=country.upper())
    return _paged(
        request,
        response,
        helplines,
        name="helplines",
        order=["country__name", "country_id", "position", "id"],
        cursor=cursor,
        limit=limit,
        format=format,
        row=lambda h: serialise.helpline_row(request, h),
        schema=HelplineOut,
    )


# ----------------------------------------------------------------------- topics


@api.get(
    "/topics",
    response={200: TopicList, **LIST_RESPONSES},
    url_name="topics",
    tags=["topics"],
    openapi_extra=CSV_CONTENT,
)
def list_topics(
    request: HttpRequest,
    response: HttpResponse,
    group: Annotated[
        Slug | None, Query(None, description="Only the topics of this group.")
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: CursorParam = None,
    format: FormatParam = None,
) -> Any:
    """The topic vocabulary: groups and their topics, with entry counts."""
    topics = Topic.objects.annotate(
        entry_count=Count("entries", distinct=True), parent_slug=F("parent__slug")
    )
    if group:
        topics = topics.filter(parent__slug=group.lower())
    return _paged(
        request,
        response,
        topics,
        name="topics",
        order=["position", "slug"],
        cursor=cursor,
        limit=limit,
        format=format,
        row=lambda t: serialise.topic_row(request, t),
        schema=TopicOut,
    )


# ----------------------------------------------------------------------- entries


def _listing(queryset: Any) -> Any:
    return queryset.select_related("publisher").prefetch_related(
        Prefetch("countries", queryset=Country.objects.only("code")),
        Prefetch("topics", queryset=Topic.objects.only("slug")),
    )


@api.get(
    "/entries",
    response={200: EntryList, **LIST_RESPONSES},
    url_name="entries",
    tags=["entries"],
    openapi_extra=CSV_CONTENT,
)
def list_entries(
    request: HttpRequest,
    response: HttpResponse,
    country: Annotated[
        list[CountryCode],
        Query(
            [],
            max_length=MAX_FILTER_VALUES,
            description="ISO alpha-2 code; repeat for entries naming all of them.",
        ),
    ] = NO_VALUES,
    region: Annotated[
        RegionName | None,
        Query(
            None,
            description="A UN M49 region by name (as search's facet, e.g. Americas) "
            "or by code (019; a sub-region's or intermediate region's too).",
        ),
    ] = None,
    topic: Annotated[
        list[Slug],
        Query(
            [],
            max_length=MAX_FILTER_VALUES,
            description="Topic slug; repeat for entries on all of them.",
        ),
    ] = NO_VALUES,
    type: Annotated[
        EntryFormat | None, Query(None, description="The source's format.")
    ] = None,
    kind: Annotated[
        PublisherKind | None, Query(None, description="The publisher's kind.")
    ] = None,
    section: Section | None = None,
    collection: Collection | None = None,
    language: Annotated[
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{2,3}$")] | None,
        Query(None, description="ISO 639-1 code, e.g. es."),
    ] = None,
    status: Annotated[
        LinkStatus | None,
        Query(
            None, description="Outcome of the latest link check (`unchecked`: none)."
        ),
    ] = None,
    year_from: Annotated[
        int | None,
        Query(None, ge=1, le=9999, description="Published in or after this year."),
    ] = None,
    year_to: Annotated[
        int | None,
        Query(None, ge=1, le=9999, description="Published in or before this year."),
    ] = None,
    updated_since: Annotated[
        Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
        | None,
        Query(
            None,
            description="Changed at or after this time (ISO 8601; UTC without a zone).",
        ),
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: CursorParam = None,
    format: FormatParam = None,
) -> Any:
    """Entries, oldest first by id, narrowed by the filters (all must hold)."""
    entries = Entry.objects.all()
    through = Entry.countries.through
    for code in dict.fromkeys(c.upper() for c in country):
        entries = entries.filter(
            Exists(through.objects.filter(entry_id=OuterRef("pk"), country_id=code))
        )
    if region:
        in_region = (
            _in_region(region, prefix="country__")
            if region.isdigit()
            else Q(country__region=region)
        )
        entries = entries.filter(
            Exists(through.objects.filter(in_region, entry_id=OuterRef("pk")))
        )
    topic_through = Entry.topics.through
    for slug in dict.fromkeys(t.lower() for t in topic):
        entries = entries.filter(
            Exists(
                topic_through.objects.filter(entry_id=OuterRef("pk"), topic__slug=slug)
            )
        )
    if type:
        entries = entries.filter(format=type)
    if kind:
        entries = entries.filter(publisher__kind=kind)
    if section:
        entries = entries.filter(section=section)
    if collection:
        entries = entries.filter(collection=collection)
    if language:
        entries = entries.filter(language=language.lower())
    if status:
        entries = entries.filter(
            cached_link_status="" if status == "unchecked" else status
        )
    if year_from is not None or year_to is not None:
        if year_from is not None and year_to is not None and year_from > year_to:
            raise ApiError("year_from", "must not be after year_to.")
        entries = entries.exclude(published_date__isnull=True).exclude(
            published_precision="unknown"
        )
        if year_from is not None:
            entries = entries.filter(published_date__gte=dt.date(year_from, 1, 1))
        if year_to is not None:
            entries = entries.filter(published_date__lte=dt.date(year_to, 12, 31))
    if updated_since is not None:
        entries = entries.filter(
            updated_at__gte=_timestamp("updated_since", updated_since)
        )
    return _paged(
        request,
        response,
        _listing(entries),
        name="entries",
        order=["id"],
        cursor=cursor,
        limit=limit,
        format=format,
        row=lambda e: serialise.entry_row(request, e),
        schema=EntryOut,
    )


EntryId = Annotated[int, Field(ge=1, le=2**63 - 1)]


@api.get(
    "/entries/{entry_id}",
    response={200: EntryDetail, **DETAIL_RESPONSES},
    url_name="entry",
    tags=["entries"],
)
def get_entry(
    request: HttpRequest,
    entry_id: Annotated[EntryId, Path(..., description="The entry's id.")],
) -> Any:
    """Everything the entry's page shows, with links to its page and citation."""
    entry = (
        Entry.objects.select_related("publisher", "series", "source_page")
        .prefetch_related(
            "accesses",
            Prefetch("countries", queryset=Country.objects.only("code", "name")),
            "topics",
            "helplines",
        )
        .filter(pk=entry_id)
        .first()
    )
    if entry is None:
        raise not_found("entry")
    snapshots = pages.usable_snapshots([entry]).get(entry.pk, [])
    return serialise.entry_detail(request, entry, snapshots)


@api.get(
    "/entries/{entry_id}/accesses",
    response={200: AccessList, **DETAIL_RESPONSES},
    url_name="entry-accesses",
    tags=["entries"],
    openapi_extra=CSV_CONTENT,
)
def list_accesses(
    request: HttpRequest,
    response: HttpResponse,
    entry_id: Annotated[EntryId, Path(..., description="The entry's id.")],
    limit: Limit = DEFAULT_LIMIT,
    cursor: CursorParam = None,
    format: FormatParam = None,
) -> Any:
    """The entry's access history: every dated access line and every link check,
    with its outcome, in the order the entry's page lists them."""
    if not Entry.objects.filter(pk=entry_id).exists():
        raise not_found("entry")
    return _paged(
        request,
        response,
        Access.objects.filter(entry_id=entry_id),
        name=f"accesses-{entry_id}",
        order=["position", "id"],
        cursor=cursor,
        limit=limit,
        format=format,
        row=serialise.access_row,
        schema=AccessOut,
    )


# ------------------------------------------------------------------------ search

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


@api.get(
    "/search",
    response={200: SearchOut, **LIST_RESPONSES},
    url_name="search",
    tags=["search"],
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
    text = _text("q", q)
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
            _columns(HitOut),
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
