"""Curators' admin for the teaching material: resource menus, debate propositions,
lesson plans and guidance."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lantern.teaching.models import (
    DebateProposition,
    Guidance,
    LessonPlan,
    ResourceLink,
    guidance_key,
)


@admin.register(ResourceLink)
class ResourceLinkAdmin(SimpleHistoryAdmin):
    list_display = ("title", "menu", "url", "position")
    list_filter = ("menu",)
    search_fields = ("title", "url", "description", "menu")
    list_editable = ("position",)
    raw_id_fields = ("source_page",)


@admin.register(DebateProposition)
class DebatePropositionAdmin(SimpleHistoryAdmin):
    list_display = ("number", "text")
    list_display_links = ("text",)
    search_fields = ("text",)
    raw_id_fields = ("source_page",)


@admin.register(LessonPlan)
class LessonPlanAdmin(SimpleHistoryAdmin):
    list_display = ("title", "unit_topic", "grade_level")
    search_fields = ("title", "unit_topic", "grade_level")
    raw_id_fields = ("source_page",)


class GuidanceForm(forms.ModelForm):
    class Meta:
        model = Guidance
        fields = ("audience", "heading", "paragraphs", "topics_mentioned", "text_key")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text_key"].required = False
        self.fields[
            "text_key"
        ].help_text = (
            "Hash of the text, one record per wording; left empty, it is computed."
        )

    def clean_text_key(self) -> str:
        key = self.cleaned_data.get("text_key")
        if key:
            return str(key)
        paragraphs = self.cleaned_data.get("paragraphs") or []
        audience = self.cleaned_data.get("audience") or ""
        return guidance_key(audience, [str(p) for p in paragraphs])


@admin.register(Guidance)
class GuidanceAdmin(SimpleHistoryAdmin):
    form = GuidanceForm
    list_display = ("__str__", "audience", "heading")
    list_filter = ("audience",)
    search_fields = ("heading", "paragraphs")
    readonly_fields = ("first_seen_page",)
