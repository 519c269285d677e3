"""Values every public template may use."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_name": settings.LANTERN_SITE_NAME,
        "site_curator": settings.LANTERN_CURATOR,
    }
