"""Test support: putting back what migrations leave in a fresh database."""

from __future__ import annotations


def restore_reference_state() -> None:
    """After a transactional test has emptied every table: the reference facts and
    the roles' groups back, committed (the rest is already empty)."""
    from django.contrib.contenttypes.models import ContentType

    from lantern.accounts.roles import sync_roles
    from lantern.library.models import Country
    from lantern.library.reference import load_reference_data

    ContentType.objects.clear_cache()
    if not Country.objects.exists():
        load_reference_data()
    sync_roles()
