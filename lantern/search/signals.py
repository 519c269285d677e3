"""The signals that keep the search index in step: the ORM's for saves and deletes
of entries, their countries and topics, their accesses (last verified) and their
publishers, and the library's `entries_written` for bulk writes. Each handler only
queues entry ids (`index.entries_changed`); the index is written once the
transaction commits."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from lantern.search import index

_UID = "lantern.search"


def _entry_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    index.entries_changed([instance.pk])


def _entry_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    index.entries_deleted([instance.pk])


def _links_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in {"post_add", "post_remove", "post_clear", "pre_clear"}:
        return
    if not reverse:
        index.entries_changed([instance.pk])
    elif action == "pre_clear":
        # Clearing a country's or topic's entries: which ones is only known before.
        index.entries_changed(
            sender.objects.filter(
                **{_far_side(sender, instance): instance.pk}
            ).values_list("entry_id", flat=True)
        )
    elif pk_set:
        index.entries_changed(pk for pk in pk_set if isinstance(pk, int))


def _far_side(through: Any, instance: Any) -> str:
    """The through table's column that points at `instance` (country or topic)."""
    for field in through._meta.concrete_fields:
        if field.is_relation and field.related_model is type(instance):
            return field.attname
    raise LookupError(through)


def _access_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    index.entries_changed([instance.entry_id])


def _publisher_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created:
        index.entries_changed(instance.entries.values_list("pk", flat=True))


def _publisher_deleting(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Its entries lose their publisher (SET_NULL, which sends no signal).
    index.entries_changed(instance.entries.values_list("pk", flat=True))


def _bulk_written(sender: Any, ids: Any, **kwargs: Any) -> None:
    index.entries_changed(ids)


def connect() -> None:
    from lantern.library.models import Access, Entry, Publisher
    from lantern.library.signals import entries_written

    entries_written.connect(_bulk_written, dispatch_uid=f"{_UID}.bulk")

    post_save.connect(_entry_saved, sender=Entry, dispatch_uid=f"{_UID}.entry.save")
    post_delete.connect(_entry_deleted, sender=Entry, dispatch_uid=f"{_UID}.entry.del")
    for through in (Entry.countries.through, Entry.topics.through):
        m2m_changed.connect(
            _links_changed, sender=through, dispatch_uid=f"{_UID}.{through.__name__}"
        )
    post_save.connect(_access_changed, sender=Access, dispatch_uid=f"{_UID}.acc.save")
    post_delete.connect(_access_changed, sender=Access, dispatch_uid=f"{_UID}.acc.del")
    post_save.connect(
        _publisher_saved, sender=Publisher, dispatch_uid=f"{_UID}.publisher.save"
    )
    pre_delete.connect(
        _publisher_deleting, sender=Publisher, dispatch_uid=f"{_UID}.publisher.del"
    )
