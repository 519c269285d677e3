"""Accounts in each role, signed in to their own test client."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from lantern.accounts.roles import CURATORS, EDITORS
from lantern.library.models import Entry
from lantern.library.tests.factories import UserFactory


def member(name: str, group: str | None) -> Any:
    user = UserFactory(username=name, is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def curator(db: None) -> Any:
    return member("carmen", CURATORS)


@pytest.fixture
def editor(db: None) -> Any:
    return member("edith", EDITORS)


@pytest.fixture
def no_role(db: None) -> Any:
    """Staff status, but no role: signs in to the admin and may do nothing there."""
    return member("nadia", None)


def signed_in(user: Any, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


@pytest.fixture
def curator_client(curator: Any) -> Client:
    return signed_in(curator)


@pytest.fixture
def editor_client(editor: Any) -> Client:
    return signed_in(editor)


def entry_form(client: Client, entry: Entry, **changes: str) -> dict[str, str]:
    """The admin change form of an entry as a browser would send it back, with
    `changes` applied; inlines are sent back unchanged (nothing added)."""
    url = f"/admin/library/entry/{entry.pk}/change/"
    page = client.get(url).content.decode()
    data: dict[str, str] = {
        "title": entry.title,
        "format": entry.format,
        "url": entry.url,
        "other_urls": "[]",
        "section": entry.section,
        "collection": entry.collection,
        "source_line": entry.source_line,
        "authors": "[]",
        "publisher": str(entry.publisher_id or ""),
        "place": entry.place,
        "published_raw": entry.published_raw,
        "published_date": entry.published_date.isoformat()
        if entry.published_date
        else "",
        "published_precision": entry.published_precision,
        "language": entry.language,
        "primary_country": entry.primary_country_id or "",
        "position": str(entry.position),
        "excerpt": '["A quoted paragraph."]',
        "notes": "[]",
        "origin": entry.origin,
        "key": entry.key,
    }
    for prefix in set(re.findall(r'name="([\w-]+)-TOTAL_FORMS"', page)):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    data.update(changes)
    return data
