"""`/healthz`: whether this instance can serve, for a load balancer or a monitor.
Answers JSON, never cached, never rate-limited, without signing in. Touches the
database (one `SELECT 1`) and the data directory (writes and removes a small file)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def database_problem(db: BaseDatabaseWrapper | None = None) -> str:
    """'' when the database (default: the site's) answers a trivial query, else
    what went wrong."""
    db = db or connection
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return f"database: {type(exc).__name__}"
    return ""


def storage_problem(folder: Path) -> str:
    """'' when a file can be written to `folder` (the data directory), else why."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".healthz-", dir=folder)
        try:
            os.write(handle, b"ok")
        finally:
            os.close(handle)
            Path(name).unlink(missing_ok=True)
    except OSError as exc:
        return f"storage: {exc.strerror or type(exc).__name__}"
    return ""


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 `{"status": "ok", "checks": {...}}` when the database and the data
    directory both work; 503 with the failing part named otherwise."""
    problems = {
        "database": database_problem(),
        "storage": storage_problem(Path(settings.DATA_DIR)),
    }
    checks = {name: problem or "ok" for name, problem in problems.items()}
    healthy = not any(problems.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks},
        status=200 if healthy else 503,
    )
