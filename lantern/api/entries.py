"""`/api/entries`, `/api/entries/{entry_id}` and its `accesses`: the library's
entries with the site's filters, each entry as its page shows it, and its
access history."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router
from pydantic import Field, StringConstraints, WithJsonSchema

from lantern.api import serialise
from lantern.api.answers import CSV_CONTENT, DETAIL_RESPONSES, LIST_RESPONSES, paged
from lantern.api.errors import ApiError, not_found
from lantern.api.pagination import DEFAULT_LIMIT
from lantern.api.parameters import (
    NO_VALUES,
    Collection,
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
    in_region,
    timestamp,
)
from lantern.api.schemas import AccessList, AccessOut, EntryDetail, EntryList, EntryOut
from lantern.library.models import Access, Country, Entry, Topic
from lantern.search.facets import MAX_FILTER_VALUES
from lantern.web import pages

router = Router()


def _listing(queryset: Any) -> Any:
    return queryset.select_related("publisher").prefetch_related(
        Prefetch("countries", queryset=Country.objects.only("code")),
        Prefetch("topics", queryset=Topic.objects.only("slug")),
    )


@router.get(
    "/entries",
    response={200: EntryList, **LIST_RESPONSES},
    url_name="entries",
    tags=["entries"],
    operation_id="lantern_api_api_list_entries",
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
        countries_in = (
            in_region(region, prefix="country__")
            if region.isdigit()
            else Q(country__region=region)
        )
        entries = entries.filter(
            Exists(through.objects.filter(countries_in, entry_id=OuterRef("pk")))
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
            updated_at__gte=timestamp("updated_since", updated_since)
        )
    return paged(
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


@router.get(
    "/entries/{entry_id}",
    response={200: EntryDetail, **DETAIL_RESPONSES},
    url_name="entry",
    tags=["entries"],
    operation_id="lantern_api_api_get_entry",
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


@router.get(
    "/entries/{entry_id}/accesses",
    response={200: AccessList, **DETAIL_RESPONSES},
    url_name="entry-accesses",
    tags=["entries"],
    operation_id="lantern_api_api_list_accesses",
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
    return paged(
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
