"""Accessible names for the curators' admin where Django's own markup has none
(docs/accounts.md): table inlines, whose inputs sit under a column heading with no
<label>, and list filters over text columns that hold empty values."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import (
    CheckboxSelectMultiple,
    ModelForm,
    RadioSelect,
    SplitDateTimeWidget,
)
from django.forms.models import BaseInlineFormSet


class LabelledInlineFormSet(BaseInlineFormSet):
    """Every visible input of a table inline gets an `aria-label`: its column's name
    and the row ("outcome, row 2"), as a screen reader needs it."""

    def add_fields(self, form: ModelForm[Any], index: int | None) -> None:
        super().add_fields(form, index)
        row = "new row" if index is None else f"row {index + 1}"
        for name, field in form.fields.items():
            # Hidden inputs need no name; radio and checkbox groups carry a
            # <label> per choice already.
            if field.widget.is_hidden or isinstance(
                field.widget, RadioSelect | CheckboxSelectMultiple
            ):
                continue
            label = str(field.label or name.replace("_", " "))
            field.widget.attrs.setdefault("aria-label", f"{label}, {row}")


class NamedDateTimeMixin:
    """For a ModelAdmin: the date and the time boxes of a date-time field, which
    Django renders with no <label> of their own, are named "<field> (date)" and
    "<field> (time)"."""

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if formfield is not None and isinstance(formfield.widget, SplitDateTimeWidget):
            label = str(formfield.label or db_field.name.replace("_", " "))
            date, time = formfield.widget.widgets
            date.attrs.setdefault("aria-label", f"{label} (date)")
            time.attrs.setdefault("aria-label", f"{label} (time)")
        return formfield


class LabelledTabularInline(admin.TabularInline):
    formset = LabelledInlineFormSet


class NamedValuesFilter(admin.AllValuesFieldListFilter):
    """Django's filter over a column's values, with the empty value named ("none")
    instead of shown as a link without text."""

    def choices(self, changelist: Any) -> Any:
        for choice in super().choices(changelist):
            if not str(choice.get("display", "")).strip():
                choice = {**choice, "display": "(none)"}
            yield choice


def value_filter(field: str) -> tuple[str, type[admin.ListFilter]]:
    """`list_filter` entry for `field` with `NamedValuesFilter`."""
    return (field, NamedValuesFilter)
