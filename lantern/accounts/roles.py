"""The roles: readers (anyone, no account), curators and editors.

Curators and editors are Django groups with model permissions; the Django admin and
the curators' pages check those permissions. `sync_roles` makes the groups hold
exactly the permissions below; the data migration `0002_roles` runs it once, and
`lantern user sync-roles` (or any `migrate`, through the post_migrate signal) runs it
again after a new model or a change here. Touches the database only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db.models import Q

CURATORS = "Curators"
EDITORS = "Editors"

ROLE_NAMES = {"curator": CURATORS, "editor": EDITORS}

# What curators do to each model: a(dd), c(hange), v(iew). Editors may do the same
# and also delete whatever curators may add.
CURATOR_ACTIONS: dict[str, dict[str, str]] = {
    "library": {
        "entry": "acv",
        "access": "acv",
        "helpline": "acv",
        "countryprofile": "acv",
        "country": "cv",
        "topic": "acv",
        "publisher": "acv",
        "series": "acv",
        "tierplacement": "acv",
        "tipsummary": "acv",
        "topicsuggestion": "cv",
        "sourcepage": "v",
    },
    "teaching": {
        "resourcelink": "acv",
        "debateproposition": "acv",
        "lessonplan": "acv",
        "guidance": "acv",
    },
    "capture": {"snapshot": "v"},
    "linkcheck": {"checkrun": "v"},
    "core": {"job": "v"},
}
# Managing users: editors only; and deleting snapshots, which deleting an entry that
# has them needs.
EDITOR_EXTRA: dict[str, dict[str, str]] = {
    "auth": {"user": "acdv", "group": "v"},
    "capture": {"snapshot": "d"},
}
_VERBS = {"a": "add", "c": "change", "d": "delete", "v": "view"}


def _codenames(actions: dict[str, dict[str, str]]) -> set[tuple[str, str]]:
    return {
        (app, f"{_VERBS[letter]}_{model}")
        for app, models in actions.items()
        for model, letters in models.items()
        for letter in letters
    }


def role_permissions() -> dict[str, set[tuple[str, str]]]:
    """Each group's permissions as (app label, codename)."""
    curator = _codenames(CURATOR_ACTIONS)
    deletes = {
        (app, f"delete_{model}")
        for app, models in CURATOR_ACTIONS.items()
        for model, letters in models.items()
        if "a" in letters
    }
    return {
        CURATORS: curator,
        EDITORS: curator | deletes | _codenames(EDITOR_EXTRA),
    }


@dataclass(frozen=True)
class RoleSync:
    """What `sync_roles` did: groups created, and permissions added and removed."""

    created: tuple[str, ...]
    added: int
    removed: int
    missing: tuple[str, ...]


def sync_roles(apps: Apps = global_apps) -> RoleSync:
    """Create the Curators and Editors groups if needed and give each exactly its
    permissions. Safe to run any number of times. Permissions that do not exist
    (yet) are reported in `missing` rather than failing. Database only.

    `apps` is the app registry: a migration passes its historical one."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    created: list[str] = []
    added = removed = 0
    missing: set[str] = set()
    for name, wanted in role_permissions().items():
        group, made = group_model.objects.get_or_create(name=name)
        if made:
            created.append(name)
        condition = Q(pk__in=[])
        for app_label, codename in wanted:
            condition |= Q(content_type__app_label=app_label, codename=codename)
        found = {
            (p.content_type.app_label, p.codename): p.pk
            for p in permission_model.objects.filter(condition).select_related(
                "content_type"
            )
        }
        missing |= {f"{a}.{c}" for a, c in wanted - set(found)}
        current = set(group.permissions.values_list("pk", flat=True))
        target = set(found.values())
        if target - current:
            group.permissions.add(*(target - current))
        if current - target:
            group.permissions.remove(*(current - target))
        added += len(target - current)
        removed += len(current - target)
    return RoleSync(tuple(created), added, removed, tuple(sorted(missing)))
