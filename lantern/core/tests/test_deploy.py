"""`lantern check --deploy` passes without a single warning in a production-like
environment (LANTERN_DEBUG unset, a long random secret key given or generated,
LANTERN_ALLOWED_HOSTS and LANTERN_HTTPS set), while the defaults stay usable over
plain http://127.0.0.1 on a laptop."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
OURS = ("LANTERN_DEBUG", "LANTERN_SECRET_KEY", "LANTERN_HTTPS", "LANTERN_BEHIND_PROXY",
        "LANTERN_ALLOWED_HOSTS", "LANTERN_HSTS_SECONDS", "LANTERN_HSTS_PRELOAD",
        "LANTERN_HSTS_INCLUDE_SUBDOMAINS", "DATABASE_URL")  # fmt: skip


def check_deploy(
    env: dict[str, str], data_dir: Path
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in OURS}
    return subprocess.run(
        [sys.executable, "-m", "lantern.cli", "check", "--deploy",
         "--fail-level", "WARNING"],
        capture_output=True, text=True, cwd=ROOT, timeout=180, check=False,
        env={**base, "LANTERN_DATA_DIR": str(data_dir), **env},
    )  # fmt: skip


PRODUCTION = {
    "LANTERN_ALLOWED_HOSTS": "lantern.example.org",
    "LANTERN_HTTPS": "1",
    "LANTERN_BEHIND_PROXY": "1",
}


def test_production_settings_pass_check_deploy_with_no_warning(tmp_path: Path) -> None:
    key = secrets.token_urlsafe(50)
    done = check_deploy({**PRODUCTION, "LANTERN_SECRET_KEY": key}, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout + done.stderr


def test_the_generated_secret_key_passes_too(tmp_path: Path) -> None:
    done = check_deploy(PRODUCTION, tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    key = (tmp_path / "secret_key").read_text().strip()
    assert len(key) >= 50 and len(set(key)) >= 5
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_without_https_the_check_warns(tmp_path: Path) -> None:
    # The laptop defaults are not production settings, and the check says so.
    done = check_deploy({"LANTERN_ALLOWED_HOSTS": "lantern.example.org"}, tmp_path)
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stdout + done.stderr


def test_debug_on_fails_the_check(tmp_path: Path) -> None:
    done = check_deploy({**PRODUCTION, "LANTERN_DEBUG": "1"}, tmp_path)
    assert done.returncode != 0
    assert "security.W018" in done.stdout + done.stderr


def test_every_setting_read_from_the_environment_is_in_env_example() -> None:
    import re

    source = (ROOT / "lantern" / "settings.py").read_text()
    read = set(
        re.findall(
            r"""(?:environ(?:\.get)?[(\[]|env_bool\(|env_list\()\s*["']([A-Z_]+)["']""",
            source,
        )
    )
    documented = set(
        re.findall(r"^# ([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M)
    )
    assert {"LANTERN_HTTPS", "LANTERN_SEARCH_RATE", "LANTERN_FETCH_ALLOW"} <= read
    assert sorted(read - documented) == []
