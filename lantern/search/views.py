"""The search page: `/search/?q=…&country=PE&topic=forced-labour&sort=published&page=2`.

Every state of the page is its URL (shareable); facet links add one filter,
removal links take one away, and both start again at page 1."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from lantern.core.ratelimit import rate_limited
from lantern.search.facets import SORTS, TRANSLATED_VALUES, Filters
from lantern.search.query import parse
from lantern.search.services import QueryError, SearchPage, run_search
from lantern.web.cite_views import SEARCH_CAP, cite_found

NOTHING_TO_FIND = gettext_lazy(
    "There is no word to look for in that search: type a word, a phrase in "
    "quotes, or the beginning of a word followed by *."
)


def _value_label(key: str, value: str, label: str) -> str:
    """A facet value's label in the interface language: choice labels (kept in
    English for the API) translated, decades worded; names from the database as
    they are."""
    if key == "decade":
        # Translators: a decade, e.g. "2010s".
        return _("%(decade)ss") % {"decade": value}
    if key in TRANSLATED_VALUES and label:
        return _(label)
    return label


def _href(text: str, filters: Filters, sort: str, page: int = 1) -> str:
    params: list[tuple[str, Any]] = []
    if text:
        params.append(("q", text))
    params += filters.items()
    if sort != "relevance":
        params.append(("sort", sort))
    if page > 1:
        params.append(("page", page))
    base = reverse("search:search")
    return f"{base}?{urlencode(params)}" if params else base


@rate_limited("search", "LANTERN_SEARCH_RATE")
def search(request: HttpRequest) -> HttpResponse:
    """Search results with facets, or the empty search form (at most
    LANTERN_SEARCH_RATE per client address; beyond it 429 with Retry-After)."""
    text = request.GET.get("q", "")[:1000].strip()
    filters = Filters.from_params(dict(request.GET.lists()))
    sort = request.GET.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    try:
        page_number = int(request.GET.get("page", "1"))
    except ValueError:
        page_number = 1
    context: dict[str, Any] = {
        "q": text,
        "sort": sort,
        "sorts": list(SORTS.items()),
        "filters": filters,
        "nav": "search",
    }
    status = 200
    if text or filters:
        try:
            if parse(text) is None and not filters:
                # Only punctuation: nothing to look for (not the whole library).
                context["notice"] = NOTHING_TO_FIND
                return render(request, "search/search.html", context)
            page = run_search(text, filters=filters, sort=sort, page=page_number)
        except QueryError as error:
            context["error"] = str(error)
            status = 400
        else:
            context.update(_page_context(page))
            if context["past_end"]:
                status = 404
    return render(request, "search/search.html", context, status=status)


def _query(text: str, filters: Filters, sort: str) -> list[tuple[str, str]]:
    """The query string of a search, without its page."""
    params: list[tuple[str, str]] = [("q", text)] if text else []
    params += filters.items()
    if sort != "relevance":
        params.append(("sort", sort))
    return params


@require_safe
def cite_results(request: HttpRequest) -> HttpResponse:
    """`/search/cite/?<the search's query string>&style=…`: the results of a search
    (its first SEARCH_CAP, in the order the search lists them) cited or exported."""
    text = request.GET.get("q", "")[:1000].strip()
    filters = Filters.from_params(dict(request.GET.lists()))
    sort = request.GET.get("sort", "relevance")
    sort = sort if sort in SORTS else "relevance"
    context: dict[str, Any] = {
        "q": text,
        "sort": sort,
        "sorts": list(SORTS.items()),
        "filters": filters,
        "nav": "search",
    }
    try:
        if parse(text) is None and not filters:
            context["notice"] = NOTHING_TO_FIND
            return render(request, "search/search.html", context, status=400)
        page = run_search(
            text, filters=filters, sort=sort, page=1, per_page=SEARCH_CAP, facets=False
        )
    except QueryError as error:
        context["error"] = str(error)
        return render(request, "search/search.html", context, status=400)
    return cite_found(
        request,
        [found.entry for found in page.found],
        total=page.total,
        query=_query(text, filters, sort),
        search_url=_href(text, filters, sort),
    )


def _page_context(page: SearchPage) -> dict[str, Any]:
    text, filters, sort = page.text, page.filters, page.sort
    # Without words to rank by, results come newest first.
    ranked = page.node is not None
    shown_sort = sort if ranked or sort != "relevance" else "published"
    applied = [
        {
            "key": key,
            "value": value,
            "label": _value_label(key, value, page.label(key, value)),
            "remove": _href(text, filters.removing(key, value), sort),
        }
        for key, value in filters.items()
    ]
    facets = [
        {
            "key": group.key,
            "label": _(group.label),
            "values": [
                {
                    "label": _value_label(group.key, v.value, v.label),
                    "count": v.count,
                    "selected": v.selected,
                    "href": _href(
                        text,
                        filters.removing(group.key, v.value)
                        if v.selected
                        else filters.adding(group.key, v.value),
                        sort,
                    ),
                }
                for v in group.values
            ],
        }
        for group in page.facets
    ]
    return {
        "page": page,
        "applied": applied,
        "facets": facets,
        "clear_href": _href(text, Filters(), sort),
        "sort_links": [
            {
                "key": key,
                "label": _(label),
                "href": _href(text, filters, key),
                "current": key == shown_sort,
            }
            for key, label in SORTS.items()
            if ranked or key != "relevance"
        ],
        "previous_href": _href(text, filters, sort, page.page - 1)
        if 1 < page.page <= page.pages
        else "",
        "next_href": _href(text, filters, sort, page.page + 1)
        if page.page < page.pages
        else "",
        "first_shown": (page.page - 1) * page.per_page + 1 if page.found else 0,
        "last_shown": (page.page - 1) * page.per_page + len(page.found),
        "past_end": page.total > 0 and not page.found,
        "last_href": _href(text, filters, sort, page.pages),
        "cite_href": f"{reverse('search:cite')}?{urlencode(_query(text, filters, sort))}",
        "cite_capped": page.total > SEARCH_CAP,
        "cite_cap": SEARCH_CAP,
    }
