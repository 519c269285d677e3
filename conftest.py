"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("LANTERN_SHARED_DIR") or ROOT.parent / "shared")
SEED = SHARED / "seeds" / "000_7cac840d8231d509.txt"


@pytest.fixture
def seed_path() -> Path:
    """The original site's Peru page (read from ../shared, never copied here)."""
    assert SEED.exists(), f"the seed page is missing: {SEED}"
    return SEED


@pytest.fixture
def shared_dir() -> Path:
    return SHARED


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, settings):  # type: ignore[no-untyped-def]
    """Keep files a test writes out of the user's data directory, let the
    fetcher reach the test servers on 127.0.0.1 (tests of the guard turn it off),
    and start every test in English: a request in another language leaves that
    language active in the thread, which would leak into the next test."""
    from django.utils import translation

    base = tmp_path_factory.getbasetemp()
    settings.DATA_DIR = base / "data"
    settings.MEDIA_ROOT = base / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(base / "media")},
        },
    }
    settings.LANTERN_ALLOW_PRIVATE_NETWORKS = True
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def _uses_database(item: pytest.Item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"}
        & set(getattr(item, "fixturenames", ()))
    )


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    ):
        return True
    return bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
    )


_emptied = {"tables": False}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):  # type: ignore[no-untyped-def]
    """A transactional test ends by emptying every table, reference facts and the
    roles' groups included, which migrations put there for everyone else. Before
    the next test in this process that expects them (perhaps after some tests that
    use no database), put them back, committed: the tests then pass in any order,
    as they must when split across workers."""
    result = yield
    if _is_transactional(item):
        _emptied["tables"] = True
    if (
        _emptied["tables"]
        and nextitem is not None
        and _uses_database(nextitem)
        and not _is_transactional(nextitem)
    ):
        from pytest_django.plugin import blocking_manager_key

        from lantern.core.tests.database import restore_reference_state

        with item.config.stash[blocking_manager_key].unblock():
            restore_reference_state()
        _emptied["tables"] = False
    return result


# Work units for pytest-xdist (`--dist loadscope`): a module each, except that the
# browser tests, which share one running site per process, go to one worker
# together. Units known to be long start first, so that no worker is left with one
# of them at the end while the others wait; the rest follow, largest first.
SHARED_SCOPES = ("lantern/web/tests/browser/",)
LONG_UNITS = (
    "lantern/publish/tests/test_publish.py",
    "lantern/web/tests/browser/",
    "lantern/web/tests/test_discovery.py",
    "lantern/core/tests/test_cli.py",
    "lantern/backup/tests/test_across_databases.py",
    "lantern/readinglist/tests/test_views.py",
    "lantern/api/tests/test_schemathesis.py",
    "lantern/library/tests/test_exchange.py",
)


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    from xdist.scheduler import LoadScopeScheduling

    class Scheduling(LoadScopeScheduling):
        _ordered = False

        def _split_scope(self, nodeid: str) -> str:
            for shared in SHARED_SCOPES:
                if nodeid.startswith(shared):
                    return shared
            return super()._split_scope(nodeid)

        def _assign_work_unit(self, node) -> None:  # type: ignore[no-untyped-def]
            if not self._ordered:
                self._ordered = True
                for unit in reversed(LONG_UNITS):
                    if unit in self.workqueue:
                        self.workqueue.move_to_end(unit, last=False)
            super()._assign_work_unit(node)

    return Scheduling(config, log)  # type: ignore[arg-type]
