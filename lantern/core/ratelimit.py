"""A per-address rate limit for site pages, the same mechanism as the API's
(django-ninja's sliding-window throttle counted in Django's cache, the client's
address read as `NINJA_NUM_PROXIES` says). Over the limit a reader gets 429 with
`Retry-After` and a page saying when to try again. Touches the cache."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from ninja.throttling import AnonRateThrottle

View = Callable[..., HttpResponseBase]


class PageThrottle(AnonRateThrottle):
    """Ninja's per-address throttle under a scope of our own (one count per page)."""

    def __init__(self, scope: str, rate: str) -> None:
        self.scope = f"lantern-{scope}"
        super().__init__(rate=rate)


def rate_limited(scope: str, setting: str) -> Callable[[View], View]:
    """Limit a view to the rate in `settings.<setting>` ("120/m"; empty: no limit),
    read on every request so a changed setting applies at once."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def limited(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            rate = str(getattr(settings, setting, "") or "")
            if rate:
                throttle = PageThrottle(scope, rate)
                if not throttle.allow_request(request):
                    return too_many_requests(request, throttle.wait())
            return view(request, *args, **kwargs)

        return limited

    return decorate


def too_many_requests(request: HttpRequest, wait: float | None) -> HttpResponse:
    """The friendly 429 page, with `Retry-After` in whole seconds."""
    seconds = max(1, math.ceil(wait or 1))
    response = render(request, "core/429.html", {"retry_after": seconds}, status=429)
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response
