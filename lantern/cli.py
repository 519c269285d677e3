"""The `lantern` console script: Django's management commands with Lantern's settings.

`lantern --help` lists Lantern's own commands; `lantern help --all` lists Django's too.
"""

from __future__ import annotations

import os
import sys

LANTERN_APPS = ("lantern.core", "lantern.library", "lantern.legacy", "lantern.web",
                "lantern.teaching", "lantern.capture", "lantern.linkcheck",
                "lantern.search", "lantern.cite", "lantern.readinglist",
                "lantern.api", "lantern.publish", "lantern.accounts",
                "lantern.backup")  # fmt: skip


# Commands that must run without (or before) an up-to-date database.
NO_DATABASE_COMMANDS = frozenset(
    [
        "migrate",
        "makemigrations",
        "sqlmigrate",
        "showmigrations",
        "squashmigrations",
        "optimizemigration",
        "check",
        "test",
        "collectstatic",
        "findstatic",
        "startapp",
        "startproject",
        "compilemessages",
        "makemessages",
        "diffsettings",
        "sendtestemail",
    ]
)


def lantern_commands() -> list[tuple[str, str]]:
    """(name, one-line help) of every command Lantern's own apps provide."""
    from django.core.management import get_commands, load_command_class

    rows = []
    for name, app in sorted(get_commands().items()):
        if app in LANTERN_APPS:
            command = load_command_class(app, name)
            rows.append((name, (command.help or "").strip().splitlines()[0]))
    return rows


def usage() -> str:
    from lantern import __version__

    lines = [
        f"lantern {__version__}: an evidence library on human trafficking and modern "
        "slavery.",
        "",
        "Usage: lantern COMMAND [OPTIONS]    (lantern COMMAND --help for its options)",
        "",
        "Commands:",
    ]
    rows = lantern_commands()
    width = max(len(name) for name, _ in rows)
    lines += [f"  {name.ljust(width)}  {text}" for name, text in rows]
    lines += [
        "",
        "Django's own commands (migrate, createsuperuser, …) work too: "
        "`lantern help --all` lists them.",
        "Configuration is by environment variable; see .env.example.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    """Run a management command with `lantern.settings`."""
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    import django
    from django.core.management import execute_from_command_line

    django.setup()
    if len(argv) < 2 or (argv[1] in {"-h", "--help", "help"} and len(argv) == 2):
        print(usage())
        return
    if argv[1:3] == ["help", "--all"]:
        argv = [argv[0], "help"]
    if argv[1] == "--version":
        from lantern import __version__

        print(__version__)
        return
    argv[0] = "lantern"
    if argv[1] not in NO_DATABASE_COMMANDS and not argv[1].startswith("-"):
        # Any command may be a fresh machine's first (`lantern createsuperuser`).
        from lantern.core.setup import prepare_database

        prepare_database()
    try:
        execute_from_command_line(argv)
    except BrokenPipeError:
        # The reader stopped reading (`lantern search … | head`): not an error.
        sys.stderr.close()
        os._exit(0)


if __name__ == "__main__":
    main()
