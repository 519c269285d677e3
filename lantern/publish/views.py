"""The static site's search page: Pagefind's interface over the index `lantern
publish` builds. Rendered only while publishing (`lantern.publish.urls`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def static_search(request: HttpRequest) -> HttpResponse:
    return render(request, "publish/search.html", {"nav": "search"})
