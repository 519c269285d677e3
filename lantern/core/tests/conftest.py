"""Fixtures for the job queue and worker tests."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection, connections

from lantern.core import jobs


@pytest.fixture
def job_handler() -> Iterator[Callable[[str, jobs.Handler], None]]:
    """Register handlers for the test through the jobs registry itself; whatever
    was registered before (the apps' own "check" and "capture") comes back after."""
    before = jobs.handlers()
    added: list[str] = []

    def register(kind: str, handler: jobs.Handler) -> None:
        added.append(kind)
        jobs.register(kind, handler)

    yield register
    for kind in added:
        if kind in before:
            jobs.register(kind, before[kind])
        else:
            jobs.unregister(kind)


@pytest.fixture
def own_connection(
    tmp_path: Path,
) -> Callable[[], contextlib.AbstractContextManager[None]]:
    """`with own_connection(): …` gives the calling thread a connection of its own
    to a database that several threads may write at once, as workers on several
    machines do. On PostgreSQL that is the test database. On SQLite the in-memory
    test database (shared cache, where concurrent writers fail on table locks
    instead of waiting) is first copied to a file, opened in WAL mode with the
    settings' busy timeout, like a real library. Use with
    `pytest.mark.django_db(transaction=True)`, so other connections see the rows."""
    settings_dict = dict(connection.settings_dict)
    wrapper = type(connections["default"])
    if connection.vendor == "sqlite":
        path = tmp_path / "library.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        settings_dict["NAME"] = str(path)

    @contextlib.contextmanager
    def use() -> Iterator[None]:
        previous = connections["default"]
        own = wrapper(settings_dict, "default")
        connections["default"] = own
        try:
            yield
        finally:
            own.close()
            connections["default"] = previous

    return use
