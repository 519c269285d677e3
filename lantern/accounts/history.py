"""How the audit trail is kept, beyond what django-simple-history does by itself.

simple-history writes a historical row after every ORM save and delete of a tracked
model (`lantern.accounts.models.TRACKED`), with the user of the current request
(`HistoryRequestMiddleware`). Three gaps are closed here:

- Rows bulk-inserted by the importer have no history yet, so the first recorded
  change would keep only the new values. Before an existing record is saved for the
  first time since it was written without history, its stored values are kept as a
  baseline row (user unknown, reason `BASELINE_REASON`).
- An entry's countries and topics (many-to-many) are kept on each historical row as
  codes and slugs. Django saves them after the entry itself, so a change to them
  updates the row that the same save just wrote, or writes a row of its own.
- A deleted entry's links are read just before the delete removes them.

Bulk writes (`bulk_create`, `bulk_update`, `QuerySet.update`, raw inserts) leave no
row: the importer's new records, the link checker's accesses and cached statuses,
the tagger's topics. Touches the database only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import m2m_changed, pre_delete, pre_save
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from lantern.accounts.models import TRACKED
from lantern.library.models import Entry

BASELINE_REASON = "As stored before its first recorded change (author not known)"
_UID = "lantern.accounts.history"
# Attribute names set on model instances while they are being written.
_LINKS = "_lantern_history_links"
_ROW = "_lantern_history_row"


def entry_links(entry_id: int) -> dict[str, list[str]]:
    """The entry's country codes and topic slugs, as the database holds them now."""
    countries = Entry.countries.through.objects.filter(entry_id=entry_id)
    topics = Entry.topics.through.objects.filter(entry_id=entry_id)
    return {
        "countries": sorted(countries.values_list("country_id", flat=True)),
        "topics": sorted(topics.values_list("topic__slug", flat=True)),
    }


def history_manager(model: type[models.Model]) -> Any:
    """The manager of a tracked model's historical rows (`Entry.history`)."""
    return getattr(model, model._meta.simple_history_manager_attribute)  # type: ignore[attr-defined]


def history_model(model: type[models.Model]) -> Any:
    """The historical model simple-history made for a tracked model."""
    return history_manager(model).model


def record_baseline(instance: models.Model) -> None:
    """Keep the stored values of a record that has no history yet as its first row,
    so the change about to be saved does not lose them. Database only."""
    model = type(instance)
    historical = history_model(model)
    if historical.objects.filter(**{model._meta.pk.attname: instance.pk}).exists():
        return
    stored = model._base_manager.filter(pk=instance.pk).first()
    if stored is None:
        return
    values = {f.attname: getattr(stored, f.attname) for f in historical.tracked_fields}
    if model is Entry:
        values.update(entry_links(instance.pk))  # type: ignore[arg-type]
    historical.objects.create(
        history_date=getattr(stored, "updated_at", None) or timezone.now(),
        history_type="~",
        history_user=None,
        history_change_reason=BASELINE_REASON,
        **values,
    )


def _enabled() -> bool:
    # simple-history's own switch, which turns the whole trail off.
    return bool(getattr(settings, "SIMPLE_HISTORY_ENABLED", True))


def _before_save(
    sender: Any, instance: models.Model, raw: bool = False, **_: Any
) -> None:
    if raw or instance._state.adding or instance.pk is None or not _enabled():
        return
    record_baseline(instance)


def _before_delete(sender: Any, instance: Entry, **_: Any) -> None:
    if not _enabled():
        return
    # The delete removes the links before the entry, and the row is written after.
    setattr(instance, _LINKS, entry_links(instance.pk))


def _fill_links(
    sender: Any, instance: models.Model, history_instance: Any, **_: Any
) -> None:
    if not isinstance(instance, Entry):
        return
    links = getattr(instance, _LINKS, None)
    if links is None and history_instance.history_type == "+":
        links = {"countries": [], "topics": []}  # a new entry has none yet
    elif links is None:
        links = entry_links(instance.pk)
    history_instance.countries = links["countries"]
    history_instance.topics = links["topics"]
    # Links saved after the entry update this row rather than add one.
    setattr(instance, _ROW, history_instance)


def _links_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **_: Any
) -> None:
    if reverse or action not in {"post_add", "post_remove", "post_clear"}:
        return
    if action != "post_clear" and not pk_set:
        return  # nothing was added or removed
    if not isinstance(instance, Entry) or hasattr(instance, "skip_history_when_saving"):
        return
    if not _enabled():
        return
    links = entry_links(instance.pk)
    row = getattr(instance, _ROW, None)
    historical = history_model(Entry)
    if row is not None and historical.objects.filter(history_id=row.history_id).update(
        **links
    ):
        row.countries, row.topics = links["countries"], links["topics"]
        return
    latest = historical.objects.filter(id=instance.pk).first()
    if latest is not None and (latest.countries, latest.topics) == (
        links["countries"],
        links["topics"],
    ):
        return  # as recorded already
    # No row from this save (a change of the links alone): a row of its own, by the
    # request's user like any other.
    created = history_manager(Entry).bulk_history_create(
        [instance], update=True, custom_historical_attrs=links
    )
    setattr(instance, _ROW, created[0] if created else None)


def connect() -> None:
    """Connect the receivers above (called once, from the app's `ready`)."""
    for model in TRACKED:
        pre_save.connect(
            _before_save, sender=model, dispatch_uid=f"{_UID}.{model.__name__}"
        )
    pre_delete.connect(_before_delete, sender=Entry, dispatch_uid=f"{_UID}.delete")
    pre_create_historical_record.connect(_fill_links, dispatch_uid=f"{_UID}.links")
    for through in (Entry.countries.through, Entry.topics.through):
        m2m_changed.connect(
            _links_changed, sender=through, dispatch_uid=f"{_UID}.{through.__name__}"
        )
