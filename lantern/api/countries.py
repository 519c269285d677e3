"""`/api/countries`, `/api/countries/{code}` and `/api/helplines`: countries and
territories with their profiles, and the help-lines the site lists for them."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Path, Query, Router
from pydantic import StringConstraints

from lantern.api import serialise
from lantern.api.answers import CSV_CONTENT, DETAIL_RESPONSES, LIST_RESPONSES, paged
from lantern.api.errors import not_found
from lantern.api.pagination import DEFAULT_LIMIT
from lantern.api.parameters import (
    CountryCode,
    CursorParam,
    FormatParam,
    Limit,
    in_region,
)
from lantern.api.schemas import (
    CountryDetail,
    CountryList,
    CountryOut,
    HelplineList,
    HelplineOut,
)
from lantern.library.models import Country, Entry, Helpline
from lantern.web import pages

router = Router()


@router.get(
    "/countries",
    response={200: CountryList, **LIST_RESPONSES},
    url_name="countries",
    tags=["countries"],
    operation_id="lantern_api_api_list_countries",
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
        countries = countries.filter(in_region(region, prefix=""))
    if with_entries:
        countries = countries.filter(
            Exists(Entry.countries.through.objects.filter(country_id=OuterRef("pk")))
        )
    return paged(
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


@router.get(
    "/countries/{code}",
    response={200: CountryDetail, **DETAIL_RESPONSES},
    url_name="country",
    tags=["countries"],
    operation_id="lantern_api_api_get_country",
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


@router.get(
    "/helplines",
    response={200: HelplineList, **LIST_RESPONSES},
    url_name="helplines",
    tags=["help-lines"],
    operation_id="lantern_api_api_list_helplines",
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
    return paged(
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
