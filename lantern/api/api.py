"""The read-only JSON API under `/api/`: the `NinjaAPI` instance, its description
(the OpenAPI document's introduction), its error answers, and the routers that hold
its operations: `countries.py` (countries, help-lines), `topics.py`, `entries.py`
and `search.py`.

Operations are adapters like the site's views: they check the parameters
(`parameters.py`), read through the library's QuerySets, `lantern.web.pages` and
`run_search`, and render what the public pages show (`serialise.py`, `answers.py`).
Nothing here writes, except the rate limit's counters in the cache.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import Throttled, ValidationError

from lantern.api import countries, entries, search, topics
from lantern.api.docs import LocalSwagger
from lantern.api.errors import ApiError
from lantern.api.pagination import DEFAULT_LIMIT, MAX_LIMIT
from lantern.api.throttling import DEFAULT_RATE, AddressRateThrottle, configured_rate
from lantern.search.services import MAX_PAGE

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


# ------------------------------------------------------------------ operations

# Each slice's operations, all at the API's root; the order is the OpenAPI
# document's order of paths. Operations set their `operation_id` to ninja's
# default from when they all lived in this module (`lantern_api_api_<function>`),
# so clients generated from the document keep their names.
api.add_router("", countries.router)
api.add_router("", topics.router)
api.add_router("", entries.router)
api.add_router("", search.router)
