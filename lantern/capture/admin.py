"""The curators' side of capture: snapshots (read-only, with a link to their replay)
and "Add from URL", a two-step admin page reached from the entry list.

Step one takes an address (and optionally the country and topics); Lantern fetches
it once, stores the WARC and shows what it read as a form. Step two, the curator's
corrections and choice of excerpt, creates the entry from that same response (the
form carries a signed token naming the stored WARC; nothing is fetched again).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from lantern.capture.models import Snapshot
from lantern.capture.services import (
    CaptureError,
    Preview,
    create_entry,
    load_preview,
    plan_entry,
    preview,
    stash_preview,
)
from lantern.library.models import Country, DatePrecision, Entry, Topic


def _topics() -> Any:
    return Topic.objects.filter(parent__isnull=False).order_by(
        "parent__position", "position"
    )


class FetchForm(forms.Form):
    """Step one: the address, and what the curator already knows."""

    url = forms.CharField(
        label="Address",
        max_length=2000,
        widget=forms.TextInput(attrs={"size": 90, "autofocus": True}),
        help_text="The page or PDF to add, e.g. https://www.example.org/report.pdf",
    )
    country = forms.ModelChoiceField(
        Country.objects.all(),
        to_field_name="code",
        required=False,
        help_text="The country the source is about; empty: the most mentioned one.",
    )
    topics = forms.ModelMultipleChoiceField(
        _topics(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Empty: the suggested topics.",
    )


class ConfirmForm(forms.Form):
    """Step two: what was read from the page, for the curator to correct."""

    token = forms.CharField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    format = forms.ChoiceField(choices=Entry.Format.choices)
    authors = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Personal authors, one per line.",
    )
    publisher = forms.CharField(max_length=300, required=False)
    place = forms.CharField(max_length=200, required=False)
    published_raw = forms.CharField(
        max_length=200, required=False, label="Published (as written)"
    )
    published_date = forms.DateField(required=False, help_text="YYYY-MM-DD")
    published_precision = forms.ChoiceField(choices=DatePrecision.choices)
    language = forms.CharField(max_length=12, help_text="ISO 639-1 code, e.g. es.")
    primary_country = forms.ModelChoiceField(
        Country.objects.all(), to_field_name="code", required=False
    )
    countries = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Countries the page names (how often), besides the primary one.",
    )
    topics = forms.ModelMultipleChoiceField(
        _topics(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pick = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Proposed excerpts",
        help_text="Paragraphs most about trafficking, best first; tick to quote them.",
    )
    excerpt = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 90}),
        label="Or paste the excerpt",
        help_text="Quoted verbatim; paragraphs separated by a blank line. Replaces "
        "the ticked paragraphs.",
    )
    page_ref = forms.CharField(
        max_length=40,
        required=False,
        label="Page",
        help_text="For PDFs; filled in from the excerpt when left empty.",
    )

    def __init__(self, *args: Any, preview: Preview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        found = preview.suggestions
        names = dict(Country.objects.values_list("code", "name"))
        field = self.fields["countries"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (m.code, f"{names.get(m.code, m.code)} ({m.score}: {', '.join(m.phrases)})")
            for m in found.countries
        ]
        pick = self.fields["pick"]
        assert isinstance(pick, forms.MultipleChoiceField)
        pick.choices = [
            (
                p.number,
                f"{p.number}. [score {p.score}"
                + (f", page {p.page}" if p.page else "")
                + f"] {p.text}",
            )
            for p in found.proposals
        ]

    def overrides(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "format": data["format"],
            "authors": [a.strip() for a in data["authors"].splitlines() if a.strip()],
            "publisher": data["publisher"],
            "place": data["place"],
            "published_raw": data["published_raw"],
            "published_date": data["published_date"],
            "published_precision": data["published_precision"],
            "language": data["language"],
            "page_ref": data["page_ref"],
        }


def _initial(
    found: Preview, token: str, country: str | None, topics: list[str]
) -> dict[str, Any]:
    plan = plan_entry(found, country=country, topics=topics or None)
    return {
        "token": token,
        "title": plan.title,
        "format": plan.format,
        "authors": "\n".join(plan.authors),
        "publisher": plan.publisher,
        "place": plan.place,
        "published_raw": plan.published.raw,
        "published_date": plan.published.date,
        "published_precision": plan.published.precision,
        "language": plan.language,
        "primary_country": plan.primary_country,
        "countries": [c for c in plan.countries if c != plan.primary_country],
        "topics": list(plan.topics),
        "page_ref": plan.page_ref,
    }


@admin.register(Snapshot)
class SnapshotAdmin(SimpleHistoryAdmin):
    """Snapshots are evidence: viewed here, never edited. Editors may delete them
    (with the entry they belong to); the audit trail keeps their record."""

    list_display = ("entry", "url", "captured_at", "http_status", "content_type",
                    "payload_size", "truncated", "replay")  # fmt: skip
    list_filter = ("http_status", "truncated", "content_type")
    search_fields = ("url", "final_url", "entry__title")
    list_select_related = ("entry",)
    date_hierarchy = "captured_at"

    @admin.display(description="replay")
    def replay(self, obj: Snapshot) -> str:
        return format_html('<a href="{}">view</a>', obj.get_absolute_url())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view(self.add_from_url_view)
        mine = [path("add-from-url/", view, name="capture_add_from_url")]
        return mine + super().get_urls()

    def add_from_url_view(self, request: HttpRequest) -> HttpResponse:
        """Step one (fetch and show) or step two (create), by the button pressed."""
        if not request.user.has_perm("library.add_entry"):
            raise PermissionDenied
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": "Add an entry from its URL",
            "opts": Entry._meta,
        }
        if request.method == "POST" and "token" in request.POST:
            return self._confirm(request, context)
        form = FetchForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            country = form.cleaned_data["country"]
            code = country.code if country else None
            topics = [t.slug for t in form.cleaned_data["topics"]]
            try:
                found = preview(form.cleaned_data["url"], country=code, topics=topics)
                token = stash_preview(found)
            except CaptureError as exc:
                form.add_error("url", str(exc))
            else:
                confirm = ConfirmForm(
                    initial=_initial(found, token, code, topics), preview=found
                )
                return self._render(request, context, confirm, found)
        return TemplateResponse(
            request, "admin/capture/add_from_url.html", {**context, "form": form}
        )

    def _confirm(self, request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
        try:
            found = load_preview(request.POST["token"])
        except CaptureError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(reverse("admin:capture_add_from_url"))
        form = ConfirmForm(request.POST, preview=found)
        if form.is_valid():
            data = form.cleaned_data
            primary = data["primary_country"]
            try:
                added = create_entry(
                    found,
                    country=primary.code if primary else None,
                    countries=list(data["countries"]),
                    topics=[t.slug for t in data["topics"]],
                    excerpt=data["excerpt"] or None,
                    pick=data["pick"] or None,
                    overrides=form.overrides(),
                    curator=request.user,  # type: ignore[arg-type]
                )
            except CaptureError as exc:
                form.add_error(None, str(exc))
            else:
                assert added.entry is not None
                messages.success(
                    request,
                    f"Added “{added.entry.title}” with its first access and a "
                    "snapshot of the page.",
                )
                return HttpResponseRedirect(
                    reverse("admin:library_entry_change", args=[added.entry.pk])
                )
        return self._render(request, context, form, found)

    def _render(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        form: ConfirmForm,
        found: Preview,
    ) -> HttpResponse:
        return TemplateResponse(
            request,
            "admin/capture/add_from_url.html",
            {**context, "form": form, "preview": found, "metadata": found.metadata,
             "result": found.result, "suggestions": found.suggestions},
        )  # fmt: skip
