from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender: AppConfig, **kwargs: Any) -> None:
    """After every migrate (the permissions of new models exist by now)."""
    from lantern.accounts.roles import sync_roles

    sync_roles()


class AccountsConfig(AppConfig):
    name = "lantern.accounts"
    label = "accounts"
    verbose_name = "Accounts, roles and audit trail"

    def ready(self) -> None:
        from lantern.accounts import history

        history.connect()
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="lantern.roles")
