"""Plain Django views beside the API's operations."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe


@require_safe
def index(request: HttpRequest) -> JsonResponse:
    """`/api/`: where the documentation and the lists are."""

    def url(name: str) -> str:
        return request.build_absolute_uri(reverse(f"api:{name}"))

    return JsonResponse(
        {
            "docs": url("openapi-view"),
            "openapi": url("openapi-json"),
            "lists": {
                name: url(name)
                for name in ("countries", "entries", "search", "helplines", "topics")
            },
        }
    )


def unknown(request: HttpRequest) -> JsonResponse:
    """An address under /api/ that is no operation: 404 in the API's error shape."""
    return JsonResponse(
        {"detail": "No such API address; see /api/docs.", "parameter": None},
        status=404,
    )
