"""Helpers for the reading list's tests: a browser-like client that submits the
forms a page shows (with its CSRF token), and a few entries."""

from __future__ import annotations

from dataclasses import dataclass

import lxml.html
import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from lantern.library.models import Entry
from lantern.library.tests.factories import CountryFactory, EntryFactory
from lantern.readinglist.cookie import COOKIE, SALT, encode, held


@dataclass
class Shelf:
    country_url: str
    a: Entry  # "Zebra crossings …": last alphabetically
    b: Entry  # "Answers to …": first alphabetically
    c: Entry  # "Migrant workers …"


@pytest.fixture(autouse=True)
def _no_index(settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_SEARCH_AUTO_UPDATE = False


@pytest.fixture
def shelf(db) -> Shelf:  # type: ignore[no-untyped-def]
    country = CountryFactory(code="QM", name="Shelfland")
    a = EntryFactory(
        title="Zebra crossings and forced labour in fishing",
        primary_country=country,
        authors=["Okafor, Ngozi"],
        position=1,
    )
    b = EntryFactory(
        title="Answers to debt bondage in brick kilns",
        primary_country=country,
        authors=["Baptiste, Amélie"],
        position=2,
    )
    c = EntryFactory(
        title="Migrant workers and recruitment fees",
        primary_country=country,
        authors=["Mendes, Rui"],
        position=3,
    )
    return Shelf(country.get_absolute_url(), a, b, c)


def page(response) -> lxml.html.HtmlElement:  # type: ignore[no-untyped-def]
    return lxml.html.fromstring(response.content.decode())


def form_with_button(doc: lxml.html.HtmlElement, label: str) -> lxml.html.FormElement:
    """The form whose submit button's text (visible and for screen readers)
    starts with `label`."""
    for button in doc.xpath("//form//button"):
        if button.text_content().strip().startswith(label):
            return button.xpath("ancestor::form[1]")[0]
    raise AssertionError(f"no button {label!r} on the page")


def submit(client: Client, url: str, label: str):  # type: ignore[no-untyped-def]
    """Open `url` and press the button `label`, as a browser would."""
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    form = form_with_button(page(response), label)
    data = dict(form.form_values())
    return client.post(form.get("action"), data)


def list_ids(client: Client) -> list[int]:
    """The entries of the client's reading list as its page shows them."""
    response = client.get("/reading-list/")
    assert response.status_code == 200
    return [
        int(li.get("id").removeprefix("entry-"))
        for li in page(response).xpath("//li[@class='reading-list__item']")
    ]


def cookie_value(client: Client) -> str:
    morsel = client.cookies.get(COOKIE)
    return morsel.value if morsel else ""


def signed(ids: list[int]) -> str:
    """A cookie value as Lantern writes it."""
    response = HttpResponse()
    response.set_signed_cookie(COOKIE, encode(ids), salt=SALT)
    return response.cookies[COOKIE].value


def held_ids(value: str) -> list[int]:
    """The ids a cookie value (as set on a response) names, as Lantern reads it."""
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE] = value
    return held(request).ids
