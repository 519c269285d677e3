"""The search page's rate limit (LANTERN_SEARCH_RATE): per client address, counted
in Django's cache like the API's; over it a friendly 429 page with Retry-After."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_counts() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def test_search_over_the_rate_gets_429_with_retry_after(
    client: Client, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_SEARCH_RATE = "3/m"
    url = reverse("search:search")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url, {"q": "kilns"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    page = response.content.decode()
    assert "<h1>Too many requests</h1>" in page
    assert f"wait {response['Retry-After']} second" in page
    assert 'class="site-header"' in page
    assert response["Cache-Control"] == "no-store"


def test_each_address_has_its_own_count(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_SEARCH_RATE = "1/m"
    url = reverse("search:search")
    first = Client(REMOTE_ADDR="203.0.113.7")
    second = Client(REMOTE_ADDR="203.0.113.8")
    assert first.get(url).status_code == 200
    assert first.get(url).status_code == 429
    assert second.get(url).status_code == 200


def test_an_empty_rate_switches_the_limit_off(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_SEARCH_RATE = ""
    url = reverse("search:search")
    assert {client.get(url).status_code for _ in range(5)} == {200}


def test_other_pages_are_not_counted(client: Client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_SEARCH_RATE = "1/m"
    for _ in range(3):
        assert client.get(reverse("web:about")).status_code == 200
    assert client.get(reverse("search:search")).status_code == 200
