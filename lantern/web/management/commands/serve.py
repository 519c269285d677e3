"""`lantern serve [ADDR:PORT]`: the site on a production WSGI server (gunicorn)."""

from __future__ import annotations

import re
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lantern.core.setup import prepare_database
from lantern.library.demo import load_demo
from lantern.search.index import ensure_built


def parse_address(text: str) -> tuple[str, int]:
    """`127.0.0.1:8000`, `8000`, `[::1]:8000` or `0.0.0.0:80` → (host, port)."""
    match = re.fullmatch(r"(?:(\[[^\]]+\]|[^:]+):)?(\d{1,5})", text)
    if not match or not 0 < int(match.group(2)) < 65536:
        raise CommandError(
            f"not an address: {text!r} (expected ADDR:PORT, e.g. 127.0.0.1:8000)"
        )
    return (match.group(1) or "127.0.0.1").strip("[]"), int(match.group(2))


class Command(BaseCommand):
    help = "Serve the site with gunicorn; the first run migrates and loads the demo library."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "address", nargs="?", default="127.0.0.1:8000", metavar="ADDR:PORT"
        )
        parser.add_argument(
            "--workers", type=int, default=2, help="gunicorn worker processes"
        )
        parser.add_argument(
            "--no-demo", action="store_true", help="do not load the demo"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = parse_address(options["address"])
        prepare_database()
        if not options["no_demo"] and load_demo():
            self.stdout.write("Loaded the demo library (Peru).")
        if indexed := ensure_built():
            self.stdout.write(f"Built the search index ({indexed} entries).")
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(
            f"Lantern is serving at http://{shown}:{port}/  (Ctrl-C to stop)"
        )
        self.stdout.flush()
        run_gunicorn(f"{shown}:{port}", workers=options["workers"])


def run_gunicorn(bind: str, *, workers: int) -> None:
    """Run the WSGI app under gunicorn in this process until interrupted."""
    from gunicorn.app.base import BaseApplication

    from lantern.wsgi import application

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", bind)
            self.cfg.set("workers", max(1, workers))
            # Lantern logs each request itself when LANTERN_LOG_REQUESTS is on (JSON
            # logs); gunicorn's plain access line would say it twice.
            self.cfg.set("accesslog", None if settings.LANTERN_LOG_REQUESTS else "-")
            self.cfg.set("errorlog", "-")
            self.cfg.set("loglevel", "warning")
            self.cfg.set("timeout", 60)
            self.cfg.set("proc_name", "lantern")

        def load(self) -> Any:
            return application

    from django.db import connections

    connections.close_all()  # no connection may cross the fork into workers
    settings.DEBUG  # noqa: B018 - settings are configured before forking
    Server().run()
