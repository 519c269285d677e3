"""`lantern user`: add, role, list, sync-roles."""

from __future__ import annotations

import io
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.accounts.management.commands.user import Command
from lantern.accounts.services import AccountError, role_of, set_role

pytestmark = pytest.mark.django_db
PASSWORD = "lantern in the dark hallway\n"


def run(*args: str, stdin: str = "", monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("user", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_add_creates_a_curator_who_can_sign_in(monkeypatch, client):
    output = run("add", "ana", "--role", "curator", "--email", "ana@example.org",
                 "--password-stdin", stdin=PASSWORD, monkeypatch=monkeypatch)  # fmt: skip

    user = get_user_model().objects.get(username="ana")
    assert "added ana" in output
    assert user.is_staff and not user.is_superuser
    assert user.email == "ana@example.org"
    assert role_of(user) == "curator"
    assert user.has_perm("library.change_entry")
    assert not user.has_perm("library.delete_entry")
    assert client.login(username="ana", password=PASSWORD.strip())
    assert client.get("/admin/").status_code == 200


def test_role_changes_and_takes_away_a_role(monkeypatch):
    run("add", "ben", "--role", "curator", "--password-stdin", stdin=PASSWORD,
        monkeypatch=monkeypatch)  # fmt: skip

    run("role", "ben", "editor", monkeypatch=monkeypatch)
    user = get_user_model().objects.get(username="ben")
    assert role_of(user) == "editor"
    assert user.has_perm("library.delete_entry") and user.has_perm("auth.add_user")

    run("role", "ben", "none", monkeypatch=monkeypatch)
    user = get_user_model().objects.get(username="ben")
    assert role_of(user) == "none" and not user.is_staff
    assert not user.has_perm("library.change_entry")


def test_list_shows_each_user_with_their_role(monkeypatch):
    run("add", "cora", "--role", "editor", "--password-stdin", stdin=PASSWORD,
        monkeypatch=monkeypatch)  # fmt: skip
    run("add", "dan", "--role", "curator", "--password-stdin", stdin=PASSWORD,
        monkeypatch=monkeypatch)  # fmt: skip

    lines = run("list", monkeypatch=monkeypatch).splitlines()

    assert lines[0].split()[:2] == ["cora", "editor"]
    assert lines[1].split()[:2] == ["dan", "curator"]
    assert lines[-1] == "users 2"


@pytest.mark.parametrize(
    "args",
    [
        ("add", "eve", "--role", "admin", "--password-stdin"),
        ("role", "eve", "admin"),
    ],
)
def test_an_unknown_role_is_refused_clearly(monkeypatch, args):
    get_user_model().objects.create_user("eve", password="x")
    with pytest.raises(CommandError, match="invalid choice: 'admin'"):
        run(*args, stdin=PASSWORD, monkeypatch=monkeypatch)
    assert role_of(get_user_model().objects.get(username="eve")) == "none"


def test_an_unknown_role_exits_non_zero_from_the_command_line(capsys):
    with pytest.raises(SystemExit) as exit:
        Command().run_from_argv(["lantern", "user", "role", "eve", "admin"])
    assert exit.value.code != 0
    message = capsys.readouterr().err
    assert "argument role: invalid choice: 'admin'" in message
    assert "curator" in message and "editor" in message


def test_the_services_refuse_an_unknown_role_too():
    with pytest.raises(AccountError, match="unknown role 'admin'"):
        set_role(username="anyone", role="admin")


def test_add_refuses_a_weak_password_or_a_taken_name(monkeypatch):
    with pytest.raises(CommandError, match="password refused"):
        run("add", "fay", "--role", "curator", "--password-stdin", stdin="1234\n",
            monkeypatch=monkeypatch)  # fmt: skip
    assert not get_user_model().objects.filter(username="fay").exists()
    run("add", "fay", "--role", "curator", "--password-stdin", stdin=PASSWORD,
        monkeypatch=monkeypatch)  # fmt: skip
    with pytest.raises(CommandError, match="already a user called 'fay'"):
        run("add", "fay", "--role", "editor", "--password-stdin", stdin=PASSWORD,
            monkeypatch=monkeypatch)  # fmt: skip


def test_sync_roles_reports_what_it_did(monkeypatch):
    output = run("sync-roles", monkeypatch=monkeypatch)
    assert output.strip() == (
        "roles synchronised · groups created 0 · permissions added 0 · removed 0"
    )
