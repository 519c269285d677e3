"""`lantern user add|role|list|sync-roles`: accounts for curators and editors."""

from __future__ import annotations

import getpass
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lantern.accounts.roles import ROLE_NAMES, sync_roles
from lantern.accounts.services import (
    ROLES,
    AccountError,
    add_user,
    list_users,
    set_role,
)
from lantern.core.setup import prepare_database


class Command(BaseCommand):
    help = (
        "Manage curators' and editors' accounts: add a user, change a role, list "
        "users, bring the roles' permissions up to date; see docs/accounts.md."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
        add = actions.add_parser(
            "add", help="create a curator or an editor (asks for the password)"
        )
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=ROLE_NAMES)
        add.add_argument("--email", default="", help="the user's e-mail address")
        add.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from standard input instead of asking",
        )
        role = actions.add_parser(
            "role", help="change a user's role (curator, editor, or none)"
        )
        role.add_argument("username")
        role.add_argument("role", choices=ROLES, help="none takes the role away")
        actions.add_parser("list", help="list users with their roles")
        actions.add_parser(
            "sync-roles",
            help="give the Curators and Editors groups exactly their permissions",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        prepare_database()
        action = options["action"]
        try:
            if action == "add":
                self._add(options)
            elif action == "role":
                user = set_role(username=options["username"], role=options["role"])
                self.stdout.write(f"{user.get_username()} is now: {options['role']}")
            elif action == "list":
                self._list()
            else:
                done = sync_roles()
                self.stdout.write(
                    f"roles synchronised · groups created {len(done.created)} · "
                    f"permissions added {done.added} · removed {done.removed}"
                )
                for name in done.missing:
                    self.stderr.write(f"permission not found: {name}")
        except AccountError as exc:
            raise CommandError(str(exc)) from exc

    def _add(self, options: dict[str, Any]) -> None:
        if options["password_stdin"]:
            password = sys.stdin.readline().rstrip("\r\n")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the two passwords differ; nothing was changed")
        if not password:
            raise CommandError("the password is empty; nothing was changed")
        user = add_user(
            username=options["username"],
            role=options["role"],
            password=password,
            email=options["email"],
        )
        self.stdout.write(
            f"added {user.get_username()} · role {options['role']} · can sign in at "
            "/admin/"
        )

    def _list(self) -> None:
        rows = list_users()
        if not rows:
            self.stdout.write("no users yet: add one with `lantern user add`")
            return
        width = max(len(r.username) for r in rows)
        for r in rows:
            state = "" if r.active else " (inactive)"
            self.stdout.write(
                f"{r.username:<{width}}  {r.role:<9}  last login {r.last_login}"
                f"  {r.email}{state}".rstrip()
            )
        self.stdout.write(f"users {len(rows)}")
