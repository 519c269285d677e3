"""Test support: putting back what migrations leave in a fresh database."""

from __future__ import annotations


def restore_reference_state() -> None:
    """After a transactional test has emptied every table: the reference facts and
    the roles' groups back, committed (the rest is already empty), and, as after
    `migrate`, no history rows for them."""
    from django.contrib.contenttypes.models import ContentType
    from django.test import override_settings

    from lantern.accounts.roles import sync_roles
    from lantern.library.models import Country
    from lantern.library.reference import load_reference_data

    ContentType.objects.clear_cache()
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        if not Country.objects.exists():
            load_reference_data()
        sync_roles()
