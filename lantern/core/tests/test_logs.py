"""LANTERN_LOG_FORMAT=json: one JSON object a line with timestamp, level, logger and
message, plus the request's method, path and status where a record has them; the
per-request line of LANTERN_LOG_REQUESTS."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.test import Client, RequestFactory

from lantern.core.logs import JsonFormatter


def capture(logger: logging.Logger) -> tuple[io.StringIO, logging.Handler]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    return stream, handler


def test_a_record_is_one_json_object_with_the_usual_fields() -> None:
    logger = logging.getLogger("lantern.test.json")
    logger.setLevel(logging.INFO)
    stream, handler = capture(logger)
    try:
        logger.warning("kiln %s unreachable", "pe-12", extra={"entry": 12})
    finally:
        logger.removeHandler(handler)
    (line,) = stream.getvalue().splitlines()
    record = json.loads(line)
    assert record["level"] == "WARNING"
    assert record["logger"] == "lantern.test.json"
    assert record["message"] == "kiln pe-12 unreachable"
    assert record["entry"] == 12
    assert record["timestamp"][:2] == "20" and "T" in record["timestamp"]


def test_django_request_records_carry_method_path_and_status() -> None:
    logger = logging.getLogger("lantern.test.request")
    stream, handler = capture(logger)
    request = RequestFactory().get("/countries/zz/")
    try:
        logger.warning("Not Found: %s", request.path,
                       extra={"status_code": 404, "request": request})  # fmt: skip
    finally:
        logger.removeHandler(handler)
    record = json.loads(stream.getvalue())
    assert record["method"] == "GET"
    assert record["path"] == "/countries/zz/"
    assert record["status"] == 404
    assert "request" not in record


@pytest.mark.django_db
def test_requests_are_logged_when_asked(settings, caplog) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_LOG_REQUESTS = True
    with caplog.at_level(logging.INFO, logger="lantern.requests"):
        Client().get("/about/")
    (record,) = [r for r in caplog.records if r.name == "lantern.requests"]
    assert record.method == "GET" and record.path == "/about/"  # type: ignore[attr-defined]
    assert record.status == 200  # type: ignore[attr-defined]
    assert record.duration_ms >= 0  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_requests_are_not_logged_by_default(settings, caplog) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_LOG_REQUESTS = False
    with caplog.at_level(logging.INFO, logger="lantern.requests"):
        Client().get("/about/")
    assert not [r for r in caplog.records if r.name == "lantern.requests"]


def settings_in(env: dict[str, str], code: str) -> str:
    """Run `code` in a fresh interpreter whose settings read `env`."""
    full = {**os.environ, "DJANGO_SETTINGS_MODULE": "lantern.settings", **env}
    for name in ("LANTERN_LOG_FORMAT", "LANTERN_LOG_REQUESTS"):
        if name not in env:
            full.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=full, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    return done.stdout + done.stderr


def test_the_json_setting_switches_the_formatter(tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = "import logging; logging.getLogger('lantern.x').warning('hello')"
    out = settings_in({"LANTERN_LOG_FORMAT": "json",
                       "LANTERN_DATA_DIR": str(tmp_path)}, code)  # fmt: skip
    record = json.loads(out.strip().splitlines()[-1])
    assert record["message"] == "hello" and record["logger"] == "lantern.x"
    plain = settings_in({"LANTERN_DATA_DIR": str(tmp_path)}, code)
    assert plain.strip().endswith("WARNING lantern.x hello")
