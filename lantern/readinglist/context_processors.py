"""The reading list's size, for the link in every page's header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def reading_list(request: HttpRequest) -> dict[str, Any]:
    return {}
