"""Readers never see a stack trace: with DEBUG off (the default) a failing view gives
the plain 500 page, and 400, 403, 404 and CSRF failures have pages of the site's
own, all under the site's Content-Security-Policy."""

from __future__ import annotations

import pytest
from django.conf import settings as live_settings
from django.test import Client
from django.urls import reverse

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("lantern.core.tests.urls_failing"),
]


def test_debug_is_off_by_default() -> None:
    assert live_settings.DEBUG is False


def test_an_exception_gives_the_plain_500_page_without_the_traceback() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/explode/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    for secret in ("Traceback", "SecretFailure", "hunter2", "settings.py"):
        assert secret not in page
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "<style" not in page and "<script" not in page


def test_the_500_page_renders_without_a_database_or_request() -> None:
    from django.template import loader

    # Django renders it with an empty context: no request, no context processors.
    page = loader.get_template("500.html").render()
    assert "Something went wrong" in page
    assert 'href="/static/web/lantern.css"' in page


@pytest.mark.parametrize(
    ("url", "status", "text"),
    [("/forbid/", 403, "Not allowed"), ("/bad/", 400, "Bad request"),
     ("/no-such-page/", 404, "Page not found")],
)  # fmt: skip
def test_error_pages_of_the_site(
    client: Client, url: str, status: int, text: str
) -> None:
    response = client.get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert f"<h1>{text}</h1>" in page
    assert "internal reason" not in page
    assert 'class="site-header"' in page  # the site's own furniture
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_csrf_failure_has_a_page_of_the_site() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "This form could not be sent" in response.content.decode()
