"""Replaying a snapshot: a page of ours that says what the copy is (original
address, when it was captured) around a sandboxed frame, and the archived document
itself, served so that nothing in it runs in Lantern's origin. Public and read-only;
reads the database and storage."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_safe

from lantern.capture.models import Snapshot
from lantern.capture.warc import read_warc

# Types a browser would run as code if another page pulled them in as a script;
# archived ones are served as plain text.
SCRIPT_TYPES = ("javascript", "ecmascript", "wasm", "jscript")


@require_safe
def snapshot(request: HttpRequest, pk: int) -> HttpResponse:
    """The archived page inside a sandboxed frame, under a banner saying what it is."""
    item = get_object_or_404(Snapshot.objects.select_related("entry"), pk=pk)
    if not item.warc_path:
        raise Http404("This snapshot has no stored copy.")
    return render(
        request,
        "capture/snapshot.html",
        {"snapshot": item, "entry": item.entry, "is_pdf": "pdf" in item.content_type},
    )


def served_type(content_type: str) -> str:
    """The content type to serve an archived body with: as archived, except code."""
    value = content_type.strip() or "application/octet-stream"
    if any(kind in value.split(";")[0].lower() for kind in SCRIPT_TYPES):
        return "text/plain; charset=utf-8"
    return value


@require_safe
@xframe_options_sameorigin
def snapshot_raw(request: HttpRequest, pk: int) -> HttpResponse:
    """The archived document as captured, with its content type, under
    `Content-Security-Policy: sandbox` (no scripts, no forms, an opaque origin) and
    `X-Content-Type-Options: nosniff`, so archived code never runs as Lantern."""
    item = get_object_or_404(Snapshot, pk=pk)
    if not item.warc_path:
        raise Http404("This snapshot has no stored copy.")
    try:
        archived = read_warc(item.warc_path)
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("The stored copy cannot be read.") from exc
    response = HttpResponse(
        archived.payload, content_type=served_type(archived.content_type)
    )
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "public, max-age=86400"
    return response
