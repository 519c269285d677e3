"""The tagger's suggestions in the curators' admin: shown on an entry's page with
their evidence, confirmed or rejected there (an inline, so Django admin's login,
permissions and CSRF guard every write), and a list filter for entries still to
review. `EntryAdmin` (admin.py) wires these in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from lantern.core.admin_a11y import LabelledTabularInline
from lantern.library.tagging_models import TopicSuggestion
from lantern.library.tagging_services import decide, record_topic_edits, tag_entries

State = TopicSuggestion.State


def evidence_html(evidence: dict[str, Any]) -> SafeString:
    """The phrases found, each with the text around it (escaped)."""
    items = []
    for phrase in evidence.get("phrases") or []:
        snippets = format_html_join(
            "",
            '<li><span class="quiet">[{}]</span> {}<mark>{}</mark>{}</li>',
            (
                (s.get("field", ""), s.get("before", ""), s.get("match", ""),
                 s.get("after", ""))
                for s in phrase.get("snippets") or []
            ),
        )  # fmt: skip
        items.append(
            format_html(
                "<li><strong>{}</strong> ×{} (weight {})<ul>{}</ul></li>",
                phrase.get("phrase", ""),
                phrase.get("count", 0),
                phrase.get("weight", 0),
                snippets,
            )
        )
    implied = evidence.get("implied_by") or []
    if implied:
        items.append(format_html("<li>implied by {}</li>", ", ".join(implied)))
    if not items:
        return format_html("{}", "no phrases found")
    return format_html(
        '<ul class="topic-evidence">{}</ul>',
        format_html_join("", "{}", ((i,) for i in items)),
    )


class TopicSuggestionForm(forms.ModelForm):
    class Meta:
        model = TopicSuggestion
        fields = ("state",)
        widgets = {"state": forms.RadioSelect}


class TopicSuggestionInline(LabelledTabularInline):
    """The entry's suggested topics, best first, with what the tagger found."""

    model = TopicSuggestion
    form = TopicSuggestionForm
    extra = 0
    can_delete = False
    verbose_name = "suggested topic"
    verbose_name_plural = "suggested topics (the tagger's evidence; confirm or reject)"
    fields = ("topic", "score_line", "found", "state", "decision")
    readonly_fields = ("topic", "score_line", "found", "decision")
    ordering = ("-accepted", "-score")

    def get_queryset(self, request: HttpRequest) -> QuerySet[TopicSuggestion]:
        return super().get_queryset(request).select_related("topic", "decided_by")

    @admin.display(description="score")
    def score_line(self, obj: TopicSuggestion) -> str:
        line = f"{obj.score:g} (needs {obj.threshold:g})"
        return line if obj.accepted else line + "; no longer suggested"

    @admin.display(description="evidence")
    def found(self, obj: TopicSuggestion) -> SafeString:
        return evidence_html(obj.evidence or {})

    @admin.display(description="decided")
    def decision(self, obj: TopicSuggestion) -> str:
        if obj.decided_at is None:
            return "—"
        who = obj.decided_by.get_username() if obj.decided_by else "someone"
        return f"{who}, {obj.decided_at:%Y-%m-%d %H:%M}"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deciding about an entry's topics is editing the entry.
        return request.user.has_perm("library.change_entry")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(
            "library.view_entry"
        ) or self.has_change_permission(request, obj)


class TopicReviewFilter(admin.SimpleListFilter):
    """Entries with suggestions no curator has reviewed, or never tagged."""

    title = "topic suggestions"
    parameter_name = "suggestions"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("unreviewed", "Unreviewed suggestions"),
            ("rejected", "A suggestion rejected"),
            ("untagged", "Never tagged"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "unreviewed":
            pending = TopicSuggestion.objects.unreviewed().values("entry_id")
            return queryset.filter(pk__in=pending)
        if self.value() == "rejected":
            rejected = TopicSuggestion.objects.filter(state=State.REJECTED)
            return queryset.filter(pk__in=rejected.values("entry_id"))
        if self.value() == "untagged":
            return queryset.filter(tagging_hash="")
        return queryset


def after_entry_saved(request: HttpRequest, form: Any, formsets: Any) -> None:
    """After the admin saved an entry: topics the curator took off or put on by hand
    reject or confirm the tagger's suggestions of them, decisions made in the inline
    take effect, and the entry is tagged again if its text changed."""
    entry = form.instance
    user = request.user
    if "topics" in form.changed_data:
        before = {
            t.pk if hasattr(t, "pk") else t for t in form.initial.get("topics") or []
        }
        after = {t.pk for t in form.cleaned_data.get("topics") or []}
        record_topic_edits(entry, after - before, before - after, user)
    for formset in formsets:
        if formset.model is not TopicSuggestion:
            continue
        for suggestion, changed in getattr(formset, "changed_objects", []):
            if "state" in changed:
                decide(suggestion, suggestion.state, user)
    tag_entries([entry.pk])
