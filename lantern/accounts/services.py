"""Accounts for curators and editors: creating them, changing their role, listing
them. Readers need no account. Every function touches the database only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from lantern.accounts.roles import CURATORS, EDITORS, ROLE_NAMES, sync_roles

# "none" takes a user's role away (and with it the admin).
ROLES = (*ROLE_NAMES, "none")


class AccountError(ValueError):
    """A user could not be created or changed; the message says why."""


@dataclass(frozen=True)
class UserRow:
    username: str
    email: str
    role: str
    active: bool
    last_login: str


def _check_role(role: str, allowed: tuple[str, ...]) -> str:
    if role not in allowed:
        raise AccountError(f"unknown role {role!r}: choose one of {', '.join(allowed)}")
    return role


def _group(role: str) -> Group:
    name = ROLE_NAMES[role]
    group = Group.objects.filter(name=name).first()
    if group is None:
        # The groups come with the migrations; recreate them if someone deleted one.
        sync_roles()
        group = Group.objects.get(name=name)
    return group


def role_of(user: Any) -> str:
    """The user's role: editor, curator, superuser (every permission) or none."""
    names = {g.name for g in user.groups.all()}
    if EDITORS in names:
        return "editor"
    if CURATORS in names:
        return "curator"
    if user.is_superuser:
        return "superuser"
    return "none"


@transaction.atomic
def add_user(
    *, username: str, role: str, password: str, email: str = ""
) -> AbstractUser:
    """Create a curator or an editor who can sign in to the admin (`is_staff`).

    The password must pass the site's password validators."""
    _check_role(role, tuple(ROLE_NAMES))
    model = get_user_model()
    username = username.strip()
    if not username:
        raise AccountError("the username is empty")
    if model.objects.filter(username=username).exists():
        raise AccountError(f"there is already a user called {username!r}")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise AccountError(f"{email!r} is not an e-mail address") from exc
    user = model(username=username, email=email, is_staff=True)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountError("password refused: " + " ".join(exc.messages)) from exc
    user.set_password(password)
    user.save()
    user.groups.add(_group(role))
    return user  # type: ignore[no-any-return]


@transaction.atomic
def set_role(*, username: str, role: str) -> AbstractUser:
    """Give a user a role (curator, editor), or take it away (none: no admin)."""
    _check_role(role, ROLES)
    model = get_user_model()
    user = model.objects.filter(username=username).first()
    if user is None:
        raise AccountError(f"there is no user called {username!r}")
    user.groups.remove(*Group.objects.filter(name__in=ROLE_NAMES.values()))
    if role == "none":
        user.is_staff = False
    else:
        user.groups.add(_group(role))
        user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user  # type: ignore[no-any-return]


def list_users() -> list[UserRow]:
    """Every account, by username, with its role."""
    users = get_user_model().objects.order_by("username").prefetch_related("groups")
    return [
        UserRow(
            username=u.get_username(),
            email=u.email,
            role=role_of(u),
            active=u.is_active,
            last_login=f"{u.last_login:%Y-%m-%d %H:%M}" if u.last_login else "never",
        )
        for u in users
    ]
