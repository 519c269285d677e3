"""Values every public template may use."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.LANTERN_SITE_NAME,
        "site_curator": settings.LANTERN_CURATOR,
        # True while `lantern publish` renders the page into a static site: the
        # template leaves out what needs a live server (forms that post, sign-in).
        "static_site": getattr(request, "lantern_static", False),
        # Where "Quick exit" on help-line blocks leads: a neutral page.
        "quick_exit_url": settings.LANTERN_QUICK_EXIT_URL,
    }
