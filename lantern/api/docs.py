"""The interactive documentation at `/api/docs`: Swagger UI as django-ninja ships it,
served from this site rather than a CDN (ninja falls back to a CDN unless "ninja"
is an installed app). Reads the package's own static files."""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

ASSET_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = frozenset(
    {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.svg"}
)


class LocalSwagger(DocsBase):
    """Swagger UI whose script and stylesheet come from `/api/docs/assets/`."""

    # No deep links: Swagger UI puts them as links inside each operation's button,
    # which screen readers cannot reach (and whose targets are too small to tap).
    settings = {"layout": "BaseLayout", "deepLinking": False}

    def render_page(
        self, request: HttpRequest, api: NinjaAPI, **kwargs: Any
    ) -> HttpResponse:
        openapi_url = self.get_openapi_url(api, kwargs)
        config = json.dumps({**self.settings, "url": openapi_url})
        response = render(
            request,
            "api/docs.html",
            {
                "api": api,
                # JSON inside <script>: "<" escaped so no text can close the tag.
                "swagger_settings": config.replace("<", "\\u003c"),
                "openapi_url": openapi_url,
            },
        )
        # Swagger UI's stylesheet draws its icons from data: URLs; everything else
        # it needs (its script, the schema) comes from this site.
        response._csp_update = {"img-src": ["data:"]}  # type: ignore[attr-defined]
        return response


@require_safe
def asset(request: HttpRequest, name: str) -> FileResponse:
    """One of Swagger UI's files, by name from a fixed list."""
    if name not in ASSETS:
        raise Http404("No such file.")
    path = ASSET_DIR / name
    if not path.is_file():
        raise Http404("No such file.")
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
