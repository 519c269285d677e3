"""Browser tests: the real site, served by `lantern serve` (gunicorn) in a process of
its own on 127.0.0.1, driven by Playwright in the system's headless Chromium.

The site gets a database of its own: a SQLite file in a temporary data directory, or,
when the tests run on PostgreSQL (`DATABASE_URL`), a database named after the test
database with `_browser` added, made afresh and dropped at the end. It holds the demo
library, the original Peru page imported with script payloads written into it, and a
curator's account. The fixtures live as long as this package's tests: Playwright's
event loop must be gone before tests that run their own (`asyncio.run`).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from conftest import SEED
from lantern.core.fakeweb import FakeWeb, html

CURATOR = ("curator", "a-long-test-passphrase-7")
# Written into the imported Peru page: each sets window.__xss if it ever runs.
PAYLOADS = {
    "Report: Japan Sex Industry Ensnares Latin Women": (
        "Report: <script>window.__xss='script'</script>"
        "<img src=x onerror=\"window.__xss='img'\"> Japan Sex Industry Ensnares "
        "Latin Women"
    ),
    "The Fight Against Human Trafficking In Peru": (
        "The Fight Against <svg onload=\"window.__xss='svg'\"></svg>Human "
        "Trafficking In Peru <a href=\"javascript:window.__xss='link'\">more</a>"
    ),
}


# Pages of the test web on 127.0.0.1: one added with `lantern add` when the site is
# made, one a curator adds in the browser (its title carries a payload too).
PAGES = {
    "/neutral": html("<h1>Weather</h1><p>Sunny spells.</p>", title="Weather"),
    "/news/fishing": html(
        "<article><h1>Fishing crews held at sea for years</h1>"
        "<p>Crews on long-haul fishing boats off Peru were kept at sea for years "
        "and paid nothing, a labour inspection found, in a case of forced labour "
        "and human trafficking.</p></article>",
        title="Fishing crews held at sea for years",
    ),
    "/news/kilns": html(
        "<article><h1>Brick kiln workers freed in Cusco</h1>"
        "<p class='byline'>By Ana Quispe</p>"
        "<p>Labour inspectors in Cusco freed forty workers held in debt bondage at "
        "two brick kilns, where they had been made to work without pay to settle "
        "loans.</p>"
        "<p>Peru's prosecutors opened a human trafficking case against the "
        "owners.</p></article>",
        title="Brick kiln workers freed in Cusco "
        "<img src=x onerror=\"window.__xss='fetched'\">",
    ),
}


def chromium_path() -> str:
    """The system's Chromium (LANTERN_CHROMIUM names another)."""
    for candidate in (
        os.environ.get("LANTERN_CHROMIUM"),
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
        shutil.which("google-chrome"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    raise RuntimeError(
        "browser tests need Chromium: install it (Debian/Ubuntu: "
        "`apt install chromium`) or set LANTERN_CHROMIUM to its path"
    )


@dataclass
class Site:
    url: str
    data_dir: Path
    env: dict[str, str]

    def __call__(self, path: str) -> str:
        return self.url + path

    def lantern(self, *args: str, stdin: str | None = None) -> str:
        """Run a `lantern` command against the site's database."""
        done = subprocess.run(
            [sys.executable, "-m", "lantern.cli", *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, f"lantern {' '.join(args)}: {done.stderr}"
        return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _own_database(url: str) -> Iterator[str]:
    """A fresh PostgreSQL database beside the tests' one; dropped afterwards."""
    import psycopg

    parts = urlsplit(url)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")  # one database per worker
    name = (parts.path.lstrip("/") or "postgres") + "_browser" + worker
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_until_up(url: str, server: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"lantern serve stopped:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"lantern serve did not answer in time:\n{log.read_text()}")


@pytest.fixture(scope="package")
def web() -> Iterator[FakeWeb]:
    with FakeWeb(dict(PAGES)) as fake:
        yield fake


@pytest.fixture(scope="package")
def site(tmp_path_factory: pytest.TempPathFactory, web: FakeWeb) -> Iterator[Site]:
    data_dir = tmp_path_factory.mktemp("browser-site")
    env = {
        **os.environ,
        "LANTERN_DATA_DIR": str(data_dir),
        # The curator's add-from-URL reaches the test web server on 127.0.0.1.
        "LANTERN_ALLOW_PRIVATE_NETWORKS": "1",
        "LANTERN_API_RATE": "",
        "LANTERN_SEARCH_RATE": "",
        "DJANGO_SUPERUSER_PASSWORD": CURATOR[1],
        "LANTERN_QUICK_EXIT_URL": web.url("/neutral"),
    }
    databases: Iterator[str] | None = None
    if os.environ.get("DATABASE_URL"):
        databases = _own_database(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = next(databases)
    port = _free_port()
    site = Site(f"http://127.0.0.1:{port}", data_dir, env)
    page = SEED.read_text(encoding="utf-8")
    for plain, payload in PAYLOADS.items():
        assert plain in page, f"the seed no longer has the line {plain!r}"
        page = page.replace(plain, payload, 1)
    (data_dir / "Peru.txt").write_text(page, encoding="utf-8")
    site.lantern("demo")
    site.lantern("import", str(data_dir / "Peru.txt"))
    site.lantern(
        "add", web.url("/news/fishing"), "--country", "PE", "--pick", "1", "--yes"
    )
    site.lantern(
        "createsuperuser", "--noinput", "--username", CURATOR[0],
        "--email", "curator@example.org",
    )  # fmt: skip
    log = data_dir / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "lantern.cli", "serve", f"127.0.0.1:{port}",
             "--workers", "2", "--no-demo"],
            env=env, stdout=out, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    try:
        _wait_until_up(site("/"), server, log)
        yield site
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        if databases is not None:
            next(databases, None)


@pytest.fixture(scope="package")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox"]
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh tab with no cookies; any script error on a page fails the test."""
    context = browser.new_context(accept_downloads=True)  # type: ignore[attr-defined]
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("dialog", lambda dialog: errors.append(f"dialog: {dialog.message}"))
    yield tab
    context.close()
    assert errors == [], errors
