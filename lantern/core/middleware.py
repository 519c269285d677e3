"""Small middleware of Lantern's own: the security headers Django has no setting for,
an optional log line per request, and the interface language. Touches nothing but
the response headers, the active language and the log."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers

request_log = logging.getLogger("lantern.requests")

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class SecurityHeadersMiddleware:
    """`Permissions-Policy` (LANTERN_PERMISSIONS_POLICY) and
    `Cross-Origin-Resource-Policy: same-origin` on every response that does not set
    its own; in every mode, since neither gets in the way of local use."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        policy = getattr(settings, "LANTERN_PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class RequestLogMiddleware:
    """One INFO line per request on the `lantern.requests` logger (method, path,
    status, duration in milliseconds) when LANTERN_LOG_REQUESTS is on: with JSON
    logs each becomes one object a log collector can read."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not getattr(settings, "LANTERN_LOG_REQUESTS", False):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        request_log.info(
            "%s %s %s %.1fms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's choice of interface language (the switcher's cookie, then the
    browser's Accept-Language). Pages (HTML) also get `Vary: Cookie`, so a shared
    cache never serves a page in the language another reader chose; feeds, the API
    and files are never translated, so their caching is left alone."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        response = super().process_response(request, response)
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("Cookie",))
        return response
