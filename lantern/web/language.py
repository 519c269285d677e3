"""The language switcher: a plain link per language that remembers the choice in a
cookie and returns to the page the reader was on.

A GET is enough: the only thing it changes is the reader's own preference cookie,
never the library, so links work without JavaScript or a form (and without a CSRF
token on every page).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language


def switch_language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Remember `code` as the interface language and go back to `next` (a path on
    this site; anything else leads home). An unknown code changes nothing."""
    target = request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ) or not target.startswith("/"):
        target = reverse("web:home")
    response = HttpResponseRedirect(target)
    if code in dict(settings.LANGUAGES) and check_for_language(code):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
        )
    # The answer depends on the query; never cache the redirect.
    response["Cache-Control"] = "no-store"
    return response
