"""The `lantern` console script, its generated reference, and the settings it runs."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from lantern.core import clidoc

ROOT = Path(__file__).resolve().parents[3]


def lantern(
    *args: str, env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lantern.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


def test_help_lists_lanterns_commands() -> None:
    result = lantern("--help")
    assert result.returncode == 0
    for name in ("import", "export", "serve", "demo"):
        assert f"\n  {name} " in result.stdout


def test_cli_reference_is_current() -> None:
    assert clidoc.DOC_PATH.read_text(encoding="utf-8") == clidoc.render(), (
        "docs/cli.md is out of date: run `uv run python -m lantern.core.clidoc`"
    )


def test_import_of_missing_file_exits_non_zero(tmp_path: Path) -> None:
    result = lantern(
        "import",
        str(tmp_path / "missing.htm"),
        env={"LANTERN_DATA_DIR": str(tmp_path), "DATABASE_URL": ""},
    )
    assert result.returncode == 1
    assert "no such file or folder" in result.stderr


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode() -> None:
    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        # The in-memory test database cannot use WAL; the file database can.
        mode = cursor.fetchone()[0]
    assert mode in {"wal", "memory"}


def test_file_database_is_in_wal_mode_under_the_data_dir(tmp_path: Path) -> None:
    result = lantern(
        "shell",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "print(connection.settings_dict['NAME'])",
        env={"LANTERN_DATA_DIR": str(tmp_path), "DATABASE_URL": ""},
    )
    assert result.returncode == 0, result.stderr
    mode, name = result.stdout.split()[-2:]
    assert mode == "wal"
    assert name == str(tmp_path / "lantern.sqlite3")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_migrates_loads_the_demo_and_serves_peru(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "LANTERN_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lantern.cli",
            "serve",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/countries/pe/", timeout=2
                ) as r:
                    body = r.read().decode()
                    break
            except OSError:
                time.sleep(0.3)
        assert "Republic of Peru" in body
        assert "tel:+5115180000" in body
        assert "Report: Japan Sex Industry Ensnares Latin Women" in body
        # The demo library is searchable from the first start.
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/search/?q=japan", timeout=5
        ) as r:
            found = r.read().decode()
        assert "<mark>Japan</mark> Sex Industry" in found
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    assert f"serving at http://127.0.0.1:{port}/" in output


def test_lantern_import_seed_twice(tmp_path: Path, seed_path: Path) -> None:
    env = {"LANTERN_DATA_DIR": str(tmp_path), "DATABASE_URL": ""}
    first = lantern("import", str(seed_path), env=env)
    assert first.returncode == 0, first.stderr
    summary = first.stdout.strip().splitlines()[-1]
    assert "pages 1 (country 1; created 1)" in summary
    assert "entries 15 (current 2, archive 13; created 15)" in summary
    assert "accesses 20" in summary and "unparsed 0" in summary
    second = lantern("import", str(seed_path), env=env)
    assert second.returncode == 0
    assert "entries 15 (current 2, archive 13; unchanged 15)" in second.stdout
