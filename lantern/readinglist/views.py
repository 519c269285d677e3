"""The reading list's pages and buttons: adapters over `lists` (the changes),
`cookie` (where the list lives) and `exports` (writing it out).

Readers change only their own cookie; nothing here writes to the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_POST, require_safe

from lantern.cite.services import StyleFailed, UnknownStyle, csl_items
from lantern.cite.styles import is_style
from lantern.library.models import Entry
from lantern.readinglist import exports, lists
from lantern.readinglist.cookie import held, store
from lantern.readinglist.status import notes, say
from lantern.web.cite_views import (
    DEFAULT_STYLE,
    STYLE_LABELS,
    render_html,
    style_label,
)

# The export formats' labels as the list page shows them (exports.FORMATS names
# them in English; the page translates them).
EXPORT_LABELS = (gettext_noop("Plain text"), gettext_noop("Word (DOCX)"))


class BadRequest(Exception):
    """A parameter the reading list cannot use; `message` names it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(
        request,
        "readinglist/bad_request.html",
        {"message": message, "nav": "reading-list"},
        status=400,
    )


def _entry_id(request: HttpRequest) -> int:
    value = request.POST.get("entry", "")
    try:
        return lists.parse_id(value)
    except lists.BadIds:
        raise BadRequest(
            _("The form's “entry” field should be an entry number; it was “%(value)s”.")
            % {"value": value[:40]}
        ) from None


def _style(request: HttpRequest) -> str:
    style = request.GET.get("style", "").strip().lower() or DEFAULT_STYLE
    if len(style) > 200 or not is_style(style):
        raise BadRequest(
            _(
                "Lantern does not know a citation style named “%(style)s” (the "
                "“style” parameter). Choose one of the list, or the file name of a "
                "CSL style such as ieee or nature."
            )
            % {"style": style[:200]}
        )
    return style


def _shared_ids(request: HttpRequest) -> list[int]:
    value = request.GET.get("ids", request.POST.get("ids", ""))
    try:
        return lists.parse_ids(value)
    except lists.BadIds as error:
        if error.reason == lists.NOT_AN_ID:
            message = _(
                "The address’s “ids” parameter must be entry numbers separated by "
                "commas, at most %(cap)s; “%(value)s” is not an entry number."
            )
        else:
            message = _(
                "The address’s “ids” parameter must be entry numbers separated by "
                "commas, at most %(cap)s; “%(value)s” is more than a list holds "
                "(%(cap)s)."
            )
        raise BadRequest(message % {"cap": lists.CAP, "value": error.value}) from None


def _title(entry: Entry | None, pk: int) -> str:
    if entry is None:
        return _("entry %(number)s") % {"number": pk}
    return Truncator(entry.title).chars(80)


def _back(request: HttpRequest, pk: int, fallback: str) -> HttpResponseRedirect:
    """To the page the button was on (`next`, if it is on this site), at the
    entry."""
    target = request.POST.get("next", "")
    if not target or not url_has_allowed_host_and_scheme(
        target,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        target = fallback
    parts = urlsplit(target)
    return HttpResponseRedirect(urlunsplit(parts._replace(fragment=f"entry-{pk}")))


def _changed(
    request: HttpRequest, response: HttpResponse, ids: list[int]
) -> HttpResponse:
    store(request, response, ids)
    return response


# --------------------------------------------------------------------- buttons


@require_POST
def add(request: HttpRequest) -> HttpResponse:
    """Add one entry (`entry`) at the end of the reader's list."""
    try:
        pk = _entry_id(request)
    except BadRequest as error:
        return _bad_request(request, error.message)
    entry = Entry.objects.filter(pk=pk).only("id", "title").first()
    if entry is None:
        raise Http404("No entry with that number.")
    change = lists.add(held(request).existing_ids(), pk)
    title = _title(entry, pk)
    if change.outcome is lists.Outcome.FULL:
        say(
            request,
            pk,
            _(
                "Your reading list is full: it holds %(cap)s entries, the most it "
                "can. Remove some to add “%(title)s”."
            )
            % {"cap": lists.CAP, "title": title},
            warn=True,
        )
    elif change.outcome is lists.Outcome.ADDED:
        say(
            request, pk, _("Added “%(title)s” to your reading list.") % {"title": title}
        )
    else:
        say(
            request,
            pk,
            _("“%(title)s” is already on your reading list.") % {"title": title},
        )
    response = _back(request, pk, entry.get_absolute_url())
    return _changed(request, response, change.ids)


@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Take one entry (`entry`) off the reader's list."""
    try:
        pk = _entry_id(request)
    except BadRequest as error:
        return _bad_request(request, error.message)
    entry = Entry.objects.filter(pk=pk).only("id", "title").first()
    change = lists.remove(held(request).existing_ids(), pk)
    if change.outcome is lists.Outcome.REMOVED:
        say(
            request,
            pk,
            _("Removed “%(title)s” from your reading list.")
            % {"title": _title(entry, pk)},
        )
    fallback = entry.get_absolute_url() if entry else reverse("readinglist:list")
    return _changed(request, _back(request, pk, fallback), change.ids)


@require_POST
def move(request: HttpRequest) -> HttpResponse:
    """Move one entry (`entry`) a place up or down (`direction`) in the list."""
    try:
        pk = _entry_id(request)
        direction = request.POST.get("direction", "")
        if direction not in ("up", "down"):
            raise BadRequest(
                _(
                    "The form's “direction” field should be “up” or “down”; it "
                    "was “%(value)s”."
                )
                % {"value": direction[:40]}
            )
    except BadRequest as error:
        return _bad_request(request, error.message)
    change = lists.move(held(request).existing_ids(), pk, up=direction == "up")
    if change.outcome is lists.Outcome.MOVED:
        entry = Entry.objects.filter(pk=pk).only("id", "title").first()
        place = change.ids.index(pk) + 1
        if direction == "up":
            text = _("Moved “%(title)s” up to place %(place)s of %(count)s.")
        else:
            text = _("Moved “%(title)s” down to place %(place)s of %(count)s.")
        say(
            request,
            pk,
            text
            % {"title": _title(entry, pk), "place": place, "count": len(change.ids)},
        )
    return _changed(
        request, _back(request, pk, reverse("readinglist:list")), change.ids
    )


@require_POST
def clear(request: HttpRequest) -> HttpResponse:
    """Empty the reader's list."""
    had = len(held(request).existing_ids())
    if had:
        say(
            request,
            None,
            _("Your reading list is empty now (%(count)s removed).") % {"count": had},
        )
    response = HttpResponseRedirect(reverse("readinglist:list"))
    return _changed(request, response, [])


@require_POST
def use(request: HttpRequest) -> HttpResponse:
    """Take a shared list (`ids`) as the reader's own (`mode=replace`) or add
    its entries after the reader's (`mode=merge`)."""
    try:
        shared = _shared_ids(request)
        mode = request.POST.get("mode", "")
        if mode not in ("replace", "merge"):
            raise BadRequest(
                _(
                    "The form's “mode” field should be “replace” or “merge”; it "
                    "was “%(value)s”."
                )
                % {"value": mode[:40]}
            )
    except BadRequest as error:
        return _bad_request(request, error.message)
    found = set(Entry.objects.filter(pk__in=shared).values_list("pk", flat=True))
    shared = [pk for pk in shared if pk in found]
    if mode == "replace":
        ids = shared
        say(
            request,
            None,
            _("Your reading list is now the shared list (%(count)s).")
            % {"count": len(ids)},
        )
    else:
        own = held(request).existing_ids()
        ids, left_out = lists.merge(own, shared)
        added = len(ids) - len(own)
        text = ngettext(
            "Added %(count)s entry of the shared list to yours.",
            "Added %(count)s entries of the shared list to yours.",
            added,
        ) % {"count": added}
        if left_out:
            # Two whole sentences, the second about the entries left out.
            text += " " + ngettext(
                "%(count)s did not fit: a list holds at most %(cap)s entries.",
                "%(count)s did not fit: a list holds at most %(cap)s entries.",
                left_out,
            ) % {"count": left_out, "cap": lists.CAP}
        say(request, None, text, warn=bool(left_out))
    response = HttpResponseRedirect(reverse("readinglist:list"))
    return _changed(request, response, ids)


# ----------------------------------------------------------------------- pages


@dataclass(frozen=True)
class Item:
    pk: int
    entry: Entry | None  # None: no longer in the library


def _items(ids: list[int]) -> list[Item]:
    found = {
        e.pk: e
        for e in Entry.objects.filter(pk__in=ids).select_related(
            "publisher", "primary_country"
        )
    }
    return [Item(pk, found.get(pk)) for pk in ids]


def _share_url(request: HttpRequest, ids: list[int]) -> str:
    # Commas are left as they are: the address stays readable.
    query = "ids=" + lists.format_ids(ids)
    return request.build_absolute_uri(f"{reverse('readinglist:shared')}?{query}")


def _page(
    request: HttpRequest, *, ids: list[int], shared: bool, show_ids: list[int]
) -> HttpResponse:
    """The list page (the reader's own, or a shared one read-only)."""
    try:
        style = _style(request)
    except BadRequest as error:
        style, style_error = DEFAULT_STYLE, error.message
    else:
        style_error = ""
    items = _items(show_ids)
    entries = [item.entry for item in items if item.entry is not None]
    cited: list[Any] = []
    if entries:
        try:
            cited = render_html(csl_items(entries), style)
        except (StyleFailed, UnknownStyle):
            style_error = _(
                "Lantern's citation engine cannot render the style “%(style)s” (the "
                "“style” parameter); please choose another."
            ) % {"style": style}
            style = DEFAULT_STYLE
            cited = render_html(csl_items(entries), style)
    base_query: list[tuple[str, str]] = (
        [("ids", lists.format_ids(ids))] if shared else []
    )
    export_name = "readinglist:shared-export" if shared else "readinglist:export"
    export_links = []
    for fmt, (label, _type, _ext) in exports.FORMATS.items():
        query = [*base_query, *([("style", style)] if fmt in exports.STYLED else [])]
        href = reverse(export_name, args=[fmt])
        if query:
            href += "?" + urlencode(query).replace("%2C", ",")
        export_links.append({"label": _(label), "href": href})
    context = {
        "nav": "reading-list",
        "shared": shared,
        "items": items,
        "count": len(entries),
        "missing": len(items) - len(entries),
        "cap": lists.CAP,
        "cited": cited,
        "style": style,
        "style_label": style_label(style),
        "style_error": style_error,
        "custom_style": "" if style in STYLE_LABELS else style,
        "named_styles": [(key, style_label(key)) for key in STYLE_LABELS],
        "export_links": export_links,
        "ids_text": lists.format_ids(ids),
        "share_url": _share_url(request, [i.pk for i in items if i.entry]),
        "here": request.get_full_path(),
        "statuses": notes(request),
    }
    return render(
        request, "readinglist/list.html", context, status=400 if style_error else 200
    )


@require_safe
def reading_list(request: HttpRequest) -> HttpResponse:
    """`/reading-list/`: the reader's list, its bibliography and exports."""
    stored = held(request)
    ids = stored.existing_ids()
    response = _page(request, ids=ids, shared=False, show_ids=ids)
    if ids != stored.ids:
        store(request, response, ids)
    return response


@require_safe
def shared(request: HttpRequest) -> HttpResponse:
    """`/reading-list/shared/?ids=12,5,9`: a list someone shared, read-only."""
    try:
        ids = _shared_ids(request)
    except BadRequest as error:
        return _bad_request(request, error.message)
    return _page(request, ids=ids, shared=True, show_ids=ids)


def _export(
    request: HttpRequest, ids: list[int], fmt: str, *, shared: bool
) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404("No such export format.")
    _label, content_type, ext = exports.FORMATS[fmt]
    entries = [item.entry for item in _items(ids) if item.entry is not None]
    items = csl_items(entries)
    name = "shared-reading-list" if shared else "reading-list"
    body: str | bytes
    if fmt == "bib":
        body = exports.write_bib(items)
    elif fmt == "ris":
        body = exports.write_ris_file(items)
    else:
        try:
            style = _style(request)
            bib = exports.bibliography(
                items,
                style=style,
                style_label=STYLE_LABELS.get(style, style),
                # The files stay in English; the HTML file's heading is translated
                # (readinglist/export.html).
                title=gettext_noop("Shared reading list")
                if shared
                else gettext_noop("Reading list"),
                share_url=_share_url(request, [e.pk for e in entries]),
            )
        except BadRequest as error:
            return _bad_request(request, error.message)
        except (StyleFailed, UnknownStyle):
            return _bad_request(
                request,
                _(
                    "Lantern's citation engine cannot render the style “%(style)s” "
                    "(the “style” parameter); please choose another."
                )
                % {"style": style},
            )
        name = f"{name}-{style}"
        if fmt == "docx":
            body = exports.write_docx(bib)
        elif fmt == "md":
            body = exports.write_markdown(bib)
        elif fmt == "txt":
            body = exports.write_text(bib)
        else:
            body = exports.write_html(bib)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{ext}"'
    return response


@require_safe
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """`/reading-list/export.<fmt>?style=…`: the reader's list as a file."""
    return _export(request, held(request).existing_ids(), fmt, shared=False)


@require_safe
def shared_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """`/reading-list/shared/export.<fmt>?ids=…&style=…`: a shared list as a file."""
    try:
        ids = _shared_ids(request)
    except BadRequest as error:
        return _bad_request(request, error.message)
    return _export(request, ids, fmt, shared=True)
