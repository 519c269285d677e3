"""The curators' tool: Django admin for the library.

Entries are edited here with their accesses inline; imported pages are read-only,
with their unparsed lines shown as "file:line  text" so a curator can see what the
importer left behind. Reference data (countries, tiers) is read-mostly.
"""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import smart_split, unescape_string_literal
from simple_history.admin import SimpleHistoryAdmin

from lantern.core.admin_a11y import (
    LabelledTabularInline,
    NamedDateTimeMixin,
    value_filter,
)
from lantern.library.models import (
    Access,
    Country,
    CountryProfile,
    Entry,
    Helpline,
    Publisher,
    Series,
    SourcePage,
    TierPlacement,
    TipSummary,
    Topic,
)
from lantern.library.phones import check_number
from lantern.library.services import entry_key, helpline_key, publisher_key
from lantern.library.tagging_admin import (
    TopicReviewFilter,
    TopicSuggestionInline,
    after_entry_saved,
)

# ----------------------------------------------------------------------- list filters


class PublishedYearFilter(admin.SimpleListFilter):
    """Entries by the year of their parsed publication date."""

    title = "year published"
    parameter_name = "year"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        dates = Entry.objects.filter(published_date__isnull=False).dates(
            "published_date", "year", order="DESC"
        )
        years = [(str(d.year), str(d.year)) for d in dates]
        return [*years, ("none", "No date")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value == "none":
            return queryset.filter(published_date__isnull=True)
        if value and value.isdigit():
            return queryset.filter(published_date__year=int(value))
        return queryset


class HasUnparsedFilter(admin.SimpleListFilter):
    """Imported pages with lines no field took."""

    title = "has unparsed lines"
    parameter_name = "unparsed"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        return [("yes", "Yes"), ("no", "No")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "yes":
            return queryset.exclude(unparsed=[])
        if self.value() == "no":
            return queryset.filter(unparsed=[])
        return queryset


# ---------------------------------------------------------------------- reference data


class HelplineInline(LabelledTabularInline):
    model = Helpline
    fk_name = "country"
    extra = 0
    fields = ("organisation", "number_raw", "e164", "is_valid", "problem")
    # Read-only here: numbers are edited on the help-line's own page, which checks them.
    readonly_fields = ("organisation", "number_raw", "e164", "is_valid", "problem")
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TierPlacementInline(LabelledTabularInline):
    model = TierPlacement
    extra = 0
    fields = ("report_year", "tier", "source")
    readonly_fields = ("report_year", "tier", "source")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    """Countries come from reference data; curators may add aliases only."""

    list_display = (
        "code",
        "name",
        "region",
        "sub_region",
        "calling_code",
        "entry_count",
    )
    list_filter = (value_filter("region"), value_filter("sub_region"))
    search_fields = ("code", "alpha3", "name", "official_name")
    ordering = ("name",)
    readonly_fields = (
        "code", "alpha3", "numeric", "name", "official_name", "region", "sub_region",
        "intermediate_region", "calling_code", "independent", "un_member",
        "neighbour_links", "gsi_prevalence", "gsi_people", "public_page",
    )  # fmt: skip
    fields = (*readonly_fields[:-1], "aliases", "public_page")
    inlines = (HelplineInline, TierPlacementInline)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Country]:
        return super().get_queryset(request).annotate(n_entries=Count("entries"))

    @admin.display(description="entries", ordering="n_entries")
    def entry_count(self, obj: Country) -> int:
        return getattr(obj, "n_entries", 0)

    @admin.display(description="neighbours")
    def neighbour_links(self, obj: Country) -> SafeString:
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:library_country_change", args=[n.pk]), n.name)
                for n in obj.neighbours.order_by("name")
            ),
        )

    @admin.display(description="public page")
    def public_page(self, obj: Country) -> SafeString:
        return format_html('<a href="{0}">{0}</a>', obj.get_absolute_url())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "parent", "position")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "slug", "description")
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("position", "name")


def _https_formfield(field: models.Field[Any, Any], **kwargs: Any) -> Any:
    if isinstance(field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return field.formfield(**kwargs)


class PublisherForm(forms.ModelForm):
    class Meta:
        model = Publisher
        fields = ("name", "kind", "url", "name_key")
        formfield_callback = _https_formfield

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name_key"].required = False
        name_key = self.fields["name_key"]
        name_key.help_text = (
            "Folded name used against duplicates; made from the name if empty."
        )

    def clean_name_key(self) -> str:
        key = self.cleaned_data.get("name_key") or publisher_key(
            self.cleaned_data.get("name", "")
        )
        return str(key)


@admin.register(Publisher)
class PublisherAdmin(SimpleHistoryAdmin):
    form = PublisherForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "kind", "url", "entry_count")
    list_filter = ("kind",)
    search_fields = ("name", "name_key")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Publisher]:
        return super().get_queryset(request).annotate(n_entries=Count("entries"))

    @admin.display(description="entries", ordering="n_entries")
    def entry_count(self, obj: Publisher) -> int:
        return getattr(obj, "n_entries", 0)


@admin.register(Series)
class SeriesAdmin(SimpleHistoryAdmin):
    list_display = ("name", "slug", "publisher_name")
    search_fields = ("name", "slug", "publisher_name")
    prepopulated_fields = {"slug": ("name",)}


# ------------------------------------------------------------------------------ entries


class AccessInline(LabelledTabularInline):
    model = Access
    extra = 0
    fields = (
        "position", "accessed_on", "raw", "url", "origin", "outcome", "http_status",
        "final_url", "excerpt_found", "checked_at", "problem",
    )  # fmt: skip
    ordering = ("position",)


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = (
            "title", "format", "url", "other_urls", "section", "collection",
            "source_line", "authors", "publisher", "place", "published_raw",
            "published_date", "published_precision", "language", "series",
            "edition_year", "primary_country", "countries", "topics", "position",
            "excerpt", "excerpt_is_summary", "page_ref", "notes", "archived_copy_note",
            "archived_copy_url", "origin", "key", "added_by",
        )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "key" in self.fields:
            self.fields["key"].required = False
            self.fields["key"].help_text = (
                "Identity on its page, for re-imports; left empty, it is made from "
                "the title and date."
            )

    def clean_key(self) -> str:
        key = self.cleaned_data.get("key")
        if key:
            return str(key)
        return entry_key(
            self.cleaned_data.get("title") or "",
            self.cleaned_data.get("published_raw") or "",
        )


class LinkStatusFilter(admin.SimpleListFilter):
    """The outcome of the latest link check, or never checked."""

    title = "link status"
    parameter_name = "link"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("never", "Never checked"), *Access.Outcome.choices]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "never":
            return queryset.exclude(url="").filter(cached_last_checked_at__isnull=True)
        if self.value():
            return queryset.filter(cached_link_status=self.value())
        return queryset


class SnapshotFilter(admin.SimpleListFilter):
    """Whether Lantern keeps its own archived copy of the entry's page."""

    title = "snapshot"
    parameter_name = "snapshot"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("yes", "Has a snapshot"), ("no", "No snapshot (has a URL)")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        from lantern.capture.models import Snapshot

        usable = Snapshot.objects.usable().values("entry_id")
        if self.value() == "yes":
            return queryset.filter(pk__in=usable)
        if self.value() == "no":
            return queryset.exclude(url="").exclude(pk__in=usable)
        return queryset


@admin.action(
    description="Check the links now (up to 20 entries)", permissions=["change"]
)
def check_now(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    from lantern.linkcheck.services import check_entry

    entries = list(queryset.exclude(url="")[:20])
    outcomes = [f"{e.pk}: {check_entry(e).outcome}" for e in entries]
    modeladmin.message_user(request, "Checked " + ", ".join(outcomes) if outcomes
                            else "None of these entries has a URL.")  # fmt: skip


def _queue(kind: str, description: str) -> Any:
    def action(modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        from lantern.core.jobs import enqueue

        queued = sum(
            1 for pk in queryset.exclude(url="").values_list("pk", flat=True)
            if enqueue(kind, entry_id=pk) is not None
        )  # fmt: skip
        modeladmin.message_user(
            request, f"Queued {queued} job(s) for `lantern worker` ({description})."
        )

    action.__name__ = f"queue_{kind}"
    return admin.action(description=f"Queue: {description}", permissions=["change"])(
        action
    )


@admin.register(Entry)
class EntryAdmin(SimpleHistoryAdmin):
    form = EntryForm
    change_list_template = "admin/capture/entry_change_list.html"  # "Add from URL"
    actions = (
        check_now,
        _queue("check", "check the links"),
        _queue("capture", "capture snapshots"),
        _queue("wayback", "find Internet Archive copies"),
    )
    list_display = (
        "title", "format", "primary_country", "published_raw", "section",
        "collection", "access_count", "cached_link_status",
    )  # fmt: skip
    list_display_links = ("title",)
    list_filter = (
        ("primary_country", admin.RelatedOnlyFieldListFilter),
        ("topics", admin.RelatedOnlyFieldListFilter),
        "section",
        "collection",
        PublishedYearFilter,
        "publisher__kind",
        ("publisher", admin.RelatedOnlyFieldListFilter),
        "format",
        "origin",
        LinkStatusFilter,
        SnapshotFilter,
        TopicReviewFilter,
    )
    search_fields = ("title", "source_line", "url", "excerpt")
    list_select_related = ("primary_country",)
    list_per_page = 50
    autocomplete_fields = ("publisher", "primary_country", "countries", "series")
    filter_horizontal = ("topics",)
    readonly_fields = (
        "provenance", "source_page", "first_line", "last_line", "cached_import_hash",
        "created_at", "updated_at", "public_page",
    )  # fmt: skip
    inlines = (TopicSuggestionInline, AccessInline)
    fieldsets = (
        (
            None,
            {
                "fields": [
                    "title",
                    "format",
                    "url",
                    "other_urls",
                    "public_page",
                    "section",
                    "collection",
                ]
            },
        ),
        (
            "Source",
            {
                "fields": [
                    "source_line",
                    "authors",
                    "publisher",
                    "place",
                    "published_raw",
                    "published_date",
                    "published_precision",
                    "language",
                    "series",
                    "edition_year",
                ]
            },
        ),
        (
            "Where it belongs",
            {"fields": ["primary_country", "countries", "topics", "position"]},
        ),
        (
            "Excerpt and notes",
            {
                "fields": [
                    "excerpt",
                    "excerpt_is_summary",
                    "page_ref",
                    "notes",
                    "archived_copy_note",
                    "archived_copy_url",
                ]
            },
        ),
        (
            "Provenance",
            {
                "classes": ["collapse"],
                "fields": [
                    "provenance",
                    "origin",
                    "source_page",
                    "first_line",
                    "last_line",
                    "key",
                    "added_by",
                    "cached_import_hash",
                    "created_at",
                    "updated_at",
                ],
            },
        ),
    )
    raw_id_fields = ("added_by",)
    # The history page shows the countries and topics each version had.
    history_list_display = ("links",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Entry]:
        return super().get_queryset(request).annotate(n_accesses=Count("accesses"))

    def links(self, record: Any) -> str:
        """An entry's countries and topics as one version of its history had them."""
        countries = ", ".join(record.countries) or "—"
        topics = ", ".join(record.topics) or "—"
        return f"countries: {countries} · topics: {topics}"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Entry], search_term: str
    ) -> tuple[QuerySet[Entry], bool]:
        """Like the standard search, but also finds non-ASCII words in the excerpt.

        SQLite keeps JSON text with non-ASCII characters escaped ("C\\u00e9spedes"),
        so a plain `icontains` on `excerpt` misses "Céspedes"; the escaped spellings
        of each term are searched too (harmless on PostgreSQL)."""
        if search_term.isascii():
            return super().get_search_results(request, queryset, search_term)
        condition = Q()
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            term = Q()
            for name in ("title", "source_line", "url", "excerpt"):
                term |= Q(**{f"{name}__icontains": bit})
            for variant in {bit, bit.lower(), bit.upper()}:
                term |= Q(excerpt__icontains=json.dumps(variant)[1:-1])
            condition &= term
        return queryset.filter(condition), False

    @admin.display(description="accesses", ordering="n_accesses")
    def access_count(self, obj: Entry) -> int:
        return getattr(obj, "n_accesses", 0)

    @admin.display(description="public page")
    def public_page(self, obj: Entry) -> str:
        if obj.pk is None:
            return "—"
        return format_html('<a href="{0}">{0}</a>', obj.get_absolute_url())

    @admin.display(description="provenance")
    def provenance(self, obj: Entry) -> str:
        if obj.origin == Entry.Origin.IMPORT and obj.source_page_id:
            page = obj.source_page
            assert page is not None
            lines = ""
            if obj.first_line:
                lines = (
                    f", lines {obj.first_line}–{obj.last_line}"
                    if obj.last_line and obj.last_line != obj.first_line
                    else f", line {obj.first_line}"
                )
            return format_html(
                'Imported from <a href="{}">{}</a>{}',
                reverse("admin:library_sourcepage_change", args=[page.pk]),
                page.file_path,
                lines,
            )
        return str(Entry.Origin(obj.origin).label) if obj.origin else "—"

    def save_model(
        self, request: HttpRequest, obj: Entry, form: Any, change: bool
    ) -> None:
        if not change and obj.added_by_id is None and request.user.is_authenticated:
            obj.added_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        entry = form.instance
        if (
            entry.primary_country_id
            and not entry.countries.filter(pk=entry.primary_country_id).exists()
        ):
            # The countries list always includes the primary country.
            entry.countries.add(entry.primary_country_id)
        # Topic decisions, and tagging again after an edit of the text.
        after_entry_saved(request, form, formsets)


@admin.register(Access)
class AccessAdmin(NamedDateTimeMixin, SimpleHistoryAdmin):
    list_display = ("entry", "accessed_on", "raw", "origin", "outcome", "http_status")
    list_filter = ("origin", "outcome")
    search_fields = ("raw", "url", "final_url", "entry__title")
    autocomplete_fields = ("entry",)
    list_select_related = ("entry",)
    date_hierarchy = "accessed_on"


# ------------------------------------------------------------------- country profiles


@admin.register(CountryProfile)
class CountryProfileAdmin(SimpleHistoryAdmin):
    list_display = (
        "country", "official_name", "background_year", "tip_report_year", "tip_tier",
        "updated_at",
    )  # fmt: skip
    list_filter = ("tip_tier", "tip_report_year")
    search_fields = ("country__name", "country__code", "official_name")
    autocomplete_fields = ("country",)
    list_select_related = ("country",)
    readonly_fields = ("source_page", "updated_at")


class HelplineForm(forms.ModelForm):
    """Checks the number with phonenumbers on every save, so validity and the E.164
    form always match the number as written."""

    class Meta:
        model = Helpline
        fields = (
            "country", "organisation", "number_raw", "country_code_raw", "notes",
            "last_verified", "source_entry", "position",
        )  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        country = data.get("country")
        raw = data.get("number_raw")
        if country is not None and raw:
            result = check_number(raw, country.code, data.get("country_code_raw") or "")
            self.instance.e164 = result.e164
            self.instance.is_valid = result.is_valid
            self.instance.is_short_code = result.is_short_code
            self.instance.problem = result.problem
            key = helpline_key(raw, data.get("organisation") or "")
            self.instance.number_key = key
            duplicate = Helpline.objects.filter(
                country=country, number_key=key
            ).exclude(pk=self.instance.pk)
            if duplicate.exists():
                raise forms.ValidationError(
                    "This country already has a help-line with that number."
                )
        return data


@admin.register(Helpline)
class HelplineAdmin(SimpleHistoryAdmin):
    form = HelplineForm
    list_display = (
        "country", "organisation", "number_raw", "e164", "is_valid", "is_short_code",
        "problem", "last_verified",
    )  # fmt: skip
    list_filter = (
        "is_valid",
        "is_short_code",
        ("country", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("organisation", "number_raw", "e164", "country__name")
    autocomplete_fields = ("country", "source_entry")
    list_select_related = ("country",)
    readonly_fields = ("e164", "is_valid", "is_short_code", "problem", "number_key")
    fields = (
        "country", "organisation", "number_raw", "country_code_raw", "e164",
        "is_valid", "is_short_code", "problem", "notes", "last_verified",
        "source_entry", "position", "number_key",
    )  # fmt: skip


@admin.register(TierPlacement)
class TierPlacementAdmin(SimpleHistoryAdmin):
    list_display = ("country", "report_year", "tier", "source")
    list_filter = ("tier", "source", "report_year")
    search_fields = ("country__name", "country__code")
    autocomplete_fields = ("country",)
    list_select_related = ("country",)


@admin.register(TipSummary)
class TipSummaryAdmin(SimpleHistoryAdmin):
    list_display = ("country", "report_year", "tier", "tier_line")
    list_filter = ("tier", "report_year")
    search_fields = ("country__name", "tier_line")
    autocomplete_fields = ("country",)
    list_select_related = ("country",)
    readonly_fields = ("source_page",)


# ------------------------------------------------------------------------ legacy pages


def _rows(items: list[dict[str, Any]], *keys: str) -> list[tuple[Any, ...]]:
    return [tuple(item.get(key, "") for key in keys) for item in items]


@admin.register(SourcePage)
class SourcePageAdmin(admin.ModelAdmin):
    """Imported pages, read-only: what was taken, what was left, what was odd."""

    list_display = (
        "__str__", "kind", "country", "file_path", "unparsed_count", "warnings_count",
        "line_count", "imported_at",
    )  # fmt: skip
    list_filter = ("kind", HasUnparsedFilter, "rendering")
    search_fields = ("key", "title", "file_path", "country__name")
    list_select_related = ("country", "topic")
    readonly_fields = (
        "key", "kind", "rendering", "title", "file_path", "country", "topic", "part",
        "line_count", "content_hash", "first_imported_at", "imported_at",
        "entries_link", "unparsed_lines", "warning_lines", "block_lines",
    )  # fmt: skip
    fields = readonly_fields

    @admin.display(description="unparsed")
    def unparsed_count(self, obj: SourcePage) -> int:
        return len(obj.unparsed or [])

    @admin.display(description="warnings")
    def warnings_count(self, obj: SourcePage) -> int:
        return len(obj.warnings or [])

    @admin.display(description="entries")
    def entries_link(self, obj: SourcePage) -> str:
        count = obj.entries.count()
        url = (
            reverse("admin:library_entry_changelist")
            + f"?source_page__id__exact={obj.pk}"
        )
        return format_html('<a href="{}">{} entries from this page</a>', url, count)

    @admin.display(description="unparsed lines")
    def unparsed_lines(self, obj: SourcePage) -> str:
        if not obj.unparsed:
            return "None: every line was taken by a field."
        return format_html(
            '<pre style="white-space: pre-wrap; margin: 0">{}</pre>',
            "\n".join(
                f"{obj.file_path}:{item.get('line', '?')}  {item.get('text', '')}"
                for item in obj.unparsed
            ),
        )

    @admin.display(description="warnings")
    def warning_lines(self, obj: SourcePage) -> str:
        if not obj.warnings:
            return "None."
        return format_html(
            '<pre style="white-space: pre-wrap; margin: 0">{}</pre>',
            "\n".join(
                f"{obj.file_path}:{item.get('line', '?')}  {item.get('message', '')}"
                for item in obj.warnings
            ),
        )

    @admin.display(description="page-level blocks")
    def block_lines(self, obj: SourcePage) -> str:
        if not obj.blocks:
            return "None."
        rows = format_html_join(
            "\n",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            _rows(obj.blocks, "line", "field", "text"),
        )
        return format_html(
            "<table><thead><tr><th>line</th><th>field</th><th>text</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            rows,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Viewing only: pages change by re-importing, never by hand.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a page would leave its entries behind as orphans that the next
        # import of the page would duplicate; a page leaves by removing its entries.
        return False
