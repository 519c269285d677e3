"""The roles' groups: made by the migrations, kept in step by `sync_roles`."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission

from lantern.accounts.roles import CURATORS, EDITORS, role_permissions, sync_roles

pytestmark = pytest.mark.django_db


def codenames(group: str) -> set[str]:
    permissions = Group.objects.get(name=group).permissions.select_related(
        "content_type"
    )
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


def test_the_migrations_make_both_groups_with_their_permissions():
    curators, editors = codenames(CURATORS), codenames(EDITORS)

    assert {"library.add_entry", "library.change_entry", "library.change_helpline",
            "library.change_countryprofile", "teaching.change_lessonplan",
            "library.change_topicsuggestion"} <= curators  # fmt: skip
    assert not {p for p in curators if ".delete_" in p}
    assert not {p for p in curators if p.startswith("auth.")}
    assert curators < editors
    assert {"library.delete_entry", "library.delete_access", "auth.add_user",
            "auth.change_user", "capture.delete_snapshot"} <= editors  # fmt: skip


def test_every_permission_named_exists():
    assert sync_roles().missing == ()


def test_sync_roles_is_idempotent():
    before = {name: codenames(name) for name in (CURATORS, EDITORS)}

    again = sync_roles()

    assert (again.created, again.added, again.removed) == ((), 0, 0)
    assert {name: codenames(name) for name in (CURATORS, EDITORS)} == before
    assert Group.objects.filter(name__in=[CURATORS, EDITORS]).count() == 2


def test_sync_roles_repairs_groups_changed_by_hand():
    curators = Group.objects.get(name=CURATORS)
    curators.permissions.add(Permission.objects.get(codename="delete_entry"))
    Group.objects.get(name=EDITORS).delete()

    done = sync_roles()

    assert done.created == (EDITORS,)
    assert "library.delete_entry" not in codenames(CURATORS)
    wanted = {f"{a}.{c}" for a, c in role_permissions()[EDITORS]}
    assert codenames(EDITORS) == wanted
