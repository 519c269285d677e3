"""`/healthz`: 200 when the database answers and the data directory takes a file,
503 naming what failed; never cached, open to anyone, outside the rate limits."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from lantern.core.views import database_problem, storage_problem

pytestmark = pytest.mark.django_db


def test_healthy_instance_answers_ok(client: Client, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_DIR = tmp_path / "data"
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "storage": "ok"},
    }
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    # The probe file is gone again.
    assert list((tmp_path / "data").iterdir()) == []


def test_unwritable_data_directory_is_503_naming_storage(
    client: Client,
    settings,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.DATA_DIR = blocker / "data"
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["storage"].startswith("storage:")


def test_storage_problem_names_a_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        problem = storage_problem(folder)
    finally:
        folder.chmod(0o700)
    if os.geteuid() == 0:  # root writes anywhere: nothing to see
        assert problem == ""
    else:
        assert problem.startswith("storage:")
    assert storage_problem(tmp_path) == ""


def test_unreachable_database_is_reported() -> None:
    wrapper = type(connections["default"])(
        {**connection.settings_dict, "NAME": "/nonexistent/folder/lantern.sqlite3"}
        if connection.vendor == "sqlite"
        else {**connection.settings_dict, "PORT": "1", "HOST": "127.0.0.1"},
        "broken",
    )
    try:
        assert database_problem(wrapper).startswith("database:")
    finally:
        wrapper.close()
    assert database_problem() == ""


def test_health_is_never_rate_limited(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_SEARCH_RATE = "1/m"
    settings.LANTERN_API_RATE = "1/m"
    for _ in range(5):
        assert client.get("/healthz").status_code == 200


def test_health_needs_get(client: Client) -> None:
    assert client.post("/healthz").status_code == 405
