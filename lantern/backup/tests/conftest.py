"""A library to back up: the demo library, one archived copy (a WARC in a storage
folder of the test's own), a curator, and a search index of the test's own."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from lantern.capture.models import Snapshot
from lantern.capture.warc import store_warc
from lantern.core.http import FetchResult
from lantern.library.demo import load_demo
from lantern.library.models import Country, Entry
from lantern.library.reference import load_reference_data
from lantern.search import index

ARCHIVED_PAGE = (
    b"<!DOCTYPE html><html><head><title>Archived report</title></head>"
    b"<body><p>Peru: the report as it was when it was cited.</p></body></html>"
)

# Not in a backup, by design (docs/backup.md): sign-ins, and the search index's
# table, which a restore rebuilds.
NOT_BACKED_UP = {"sessions.session", "search.searchentry"}


@dataclass
class Library:
    media: Path
    warc_path: str
    snapshot_id: int


@pytest.fixture
def library(settings: Any, tmp_path: Path) -> Library:
    """Needs `django_db(transaction=True)`: a backup and a restore commit."""
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    settings.LANTERN_SEARCH_DIR = str(tmp_path / "search")
    if not Country.objects.exists():  # emptied by an earlier transactional test
        load_reference_data()
    assert load_demo(force=True)
    entry = Entry.objects.order_by("pk").first()
    assert entry is not None
    fetched = FetchResult(
        url="https://reports.example.org/peru",
        final_url="https://reports.example.org/peru",
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        headers=[("Content-Type", "text/html; charset=utf-8")],
        raw_body=ARCHIVED_PAGE,
        body=ARCHIVED_PAGE,
    )
    when = dt.datetime(2025, 3, 1, 12, 0, 0, 123456, tzinfo=dt.UTC)
    stored = store_warc(fetched, captured_at=when)
    snapshot = Snapshot.objects.create(
        entry=entry,
        url=fetched.url,
        final_url=fetched.final_url,
        captured_at=when,
        http_status=200,
        content_type="text/html; charset=utf-8",
        warc_path=stored.path,
        warc_size=stored.size,
        payload_sha256=stored.payload_sha256,
        payload_size=stored.payload_size,
        title="Archived report",
    )
    get_user_model().objects.create_user(
        "curator", "curator@example.org", "a long and secret passphrase"
    )
    index.rebuild()
    return Library(media=media, warc_path=stored.path, snapshot_id=snapshot.pk)


def everything() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (many-to-many tables included), by model, in
    primary-key order: what "the same library" means."""
    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in NOT_BACKED_UP
    }


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by its path relative to it, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def rewrite(path: Path, change: Callable[[str, bytes], bytes]) -> None:
    """Write the archive again with `change` applied to every member's bytes (the
    zip's own CRCs made to fit, so only the manifest's checksums can tell)."""
    with zipfile.ZipFile(path) as old:
        members = [(info, old.read(info.filename)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w") as new:
        for info, data in members:
            new.writestr(info, change(info.filename, data))
