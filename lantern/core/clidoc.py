"""The command-line reference (docs/cli.md), generated from the commands' own --help
so the documentation cannot drift; a test checks the file is current."""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "cli.md"
WIDTH = "100"


def command_help(name: str) -> str:
    """The --help text of one command, at a fixed width."""
    from django.core.management import get_commands, load_command_class

    os.environ["COLUMNS"] = WIDTH
    command = load_command_class(get_commands()[name], name)
    parser = command.create_parser("lantern", name)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        parser.print_help()
    return buffer.getvalue().rstrip() + "\n"


def render() -> str:
    """docs/cli.md as it should read now."""
    from lantern.cli import lantern_commands, usage

    os.environ["COLUMNS"] = WIDTH
    parts = [
        "# Command-line reference",
        "",
        "Generated from `--help` by `uv run python -m lantern.core.clidoc`; a test fails",
        "when this file is out of date. Every command also accepts Django's common",
        "options (`-v`, `--settings`, `--traceback`, …), listed in each command's help below.",
        "",
        "```text",
        "$ lantern --help",
        usage().rstrip(),
        "```",
    ]
    for name, _ in lantern_commands():
        parts += [
            "",
            f"## lantern {name}",
            "",
            "```text",
            command_help(name).rstrip(),
            "```",
        ]
    return "\n".join(parts) + "\n"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    import django

    django.setup()
    DOC_PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC_PATH}")


if __name__ == "__main__":
    main()
