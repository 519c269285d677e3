"""`lantern cite`: what it prints, and its errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

ROOT = Path(__file__).resolve().parents[3]


def cite(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("cite", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_country_in_apa_sorted_as_the_style_says(library) -> None:  # type: ignore[no-untyped-def]
    out, _ = cite("--country", "qz", "--style", "apa")
    lines = [line for line in out.splitlines() if not line.startswith("    ")]
    assert [line.split(" ")[0] for line in lines] == [
        "de", "International", "Núñez,", "Smith,", "Trafficking",
    ]  # fmt: skip
    assert "    In text: (Smith, 2015, p. 211)" in out.splitlines()


def test_entries_repeat_and_add_up(library) -> None:  # type: ignore[no-untyped-def]
    out, _ = cite(
        "--entry", str(library.news.pk), str(library.book.pk),
        "--entry", str(library.ilo.pk), "--style", "csl-json",
    )  # fmt: skip
    ids = [item["id"] for item in json.loads(out)]
    assert ids == [f"entry-{e.pk}" for e in (library.news, library.book, library.ilo)]


def test_default_style_is_apa(library) -> None:  # type: ignore[no-untyped-def]
    out, _ = cite("--entry", str(library.news.pk))
    assert out.startswith("Núñez, J., & Ødegaard, Z. (2019, May 3).")


@pytest.mark.parametrize(
    "style", ["mla", "chicago", "chicago-notes", "harvard", "bibtex", "ris"]
)
def test_every_style_prints_something(library, style: str) -> None:  # type: ignore[no-untyped-def]
    out, _ = cite("--entry", str(library.news.pk), "--style", style)
    assert "Fishermen" in out or "fishermen" in out.lower()


def test_unknown_style_lists_the_choices(library) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError) as raised:
        cite("--entry", str(library.news.pk), "--style", "vancouver-nope")
    message = str(raised.value)
    assert "Unknown style 'vancouver-nope'" in message
    for name in ("apa", "mla", "chicago", "harvard", "bibtex", "ris", "csl-json"):
        assert name in message


@pytest.mark.parametrize(
    ("style", "says"),
    [
        ("chicago-notes-publisher-place-no-url", "defines no bibliography"),
        ("french4", "The style 'french4' is beyond citeproc-py"),
    ],
)
def test_style_citeproc_cannot_render_is_a_clear_error(library, style, says) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match=says) as raised:
        cite("--entry", str(library.news.pk), "--style", style)
    assert str(raised.value).endswith("try another style.")


def test_unknown_entry_and_country(library) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match=r"No entry with id 999999\."):
        cite("--entry", str(library.news.pk), "999999")
    with pytest.raises(CommandError, match=r"Unknown country code: 'XX'\."):
        cite("--country", "xx")
    with pytest.raises(CommandError, match="--country CC and/or --entry ID"):
        cite("--style", "mla")


@pytest.mark.django_db
def test_country_without_entries_says_so() -> None:
    out, err = cite("--country", "is")
    assert out == ""
    assert "No entries to cite for IS." in err


def test_errors_exit_non_zero_without_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lantern.cli",
            "cite",
            "--entry",
            "1",
            "--style",
            "nope",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "LANTERN_DATA_DIR": str(tmp_path), "DATABASE_URL": ""},
        timeout=180,
        check=False,
    )
    assert result.returncode == 1
    assert "Unknown style 'nope'" in result.stderr
    assert "Traceback" not in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "lantern.cli", "cite", "--entry", "abc"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "LANTERN_DATA_DIR": str(tmp_path), "DATABASE_URL": ""},
        timeout=180,
        check=False,
    )
    assert result.returncode == 2
    assert "invalid int value: 'abc'" in result.stderr
    assert "Traceback" not in result.stderr
