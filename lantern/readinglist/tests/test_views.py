"""The reading list through the site: buttons on entries, the list page, sharing,
with CSRF checks on as in production."""

from __future__ import annotations

from unittest.mock import ANY

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantern.library.models import Entry
from lantern.library.tests.factories import EntryFactory, TopicFactory
from lantern.readinglist.cookie import COOKIE, SALT, encode
from lantern.readinglist.lists import CAP
from lantern.readinglist.tests.conftest import (
    Shelf,
    cookie_value,
    held_ids,
    list_ids,
    page,
    signed,
    submit,
)
from lantern.web import views as web_views

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client(enforce_csrf_checks=True)


def add(client: Client, url: str, entry: Entry):  # type: ignore[no-untyped-def]
    return submit(client, url, f"Add to reading list: {entry.title}")


def test_add_from_a_country_page_returns_to_the_entry(client, shelf: Shelf) -> None:
    response = add(client, shelf.country_url, shelf.b)
    assert response.status_code == 302
    assert response["Location"] == f"{shelf.country_url}#entry-{shelf.b.pk}"

    again = page(client.get(shelf.country_url))
    labels = [b.text_content() for b in again.xpath("//article//form//button")]
    assert f"Remove from reading list: {shelf.b.title}" in labels
    assert f"Add to reading list: {shelf.a.title}" in labels
    status = again.xpath(f"//article[@id='entry-{shelf.b.pk}']//p[@role='status']")
    assert "Added “Answers to debt bondage" in status[0].text_content()
    nav = again.xpath("//nav[@aria-label='Main']//a[contains(., 'Reading list')]")[0]
    assert "(1 entry)" in nav.text_content()
    assert list_ids(client) == [shelf.b.pk]
    # The status was shown once.
    again = page(client.get(shelf.country_url))
    assert not again.xpath("//p[@role='status']")


def test_post_without_csrf_token_is_refused(client, shelf: Shelf) -> None:
    response = client.post(
        reverse("readinglist:add"), {"entry": shelf.a.pk, "next": "/"}
    )
    assert response.status_code == 403
    assert cookie_value(client) == ""


def test_adding_twice_keeps_one_and_remove_takes_it_off(client, shelf: Shelf) -> None:
    add(client, shelf.country_url, shelf.a)
    # A second tab still showing "Add" posts again: nothing changes.
    response = client.post(
        reverse("readinglist:add"),
        {
            "entry": shelf.a.pk,
            "next": shelf.country_url,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302
    assert list_ids(client) == [shelf.a.pk]
    submit(client, shelf.country_url, f"Remove from reading list: {shelf.a.title}")
    assert list_ids(client) == []


def test_entry_page_button_lands_on_its_anchor(client, shelf: Shelf) -> None:
    url = shelf.c.get_absolute_url()
    doc = page(client.get(url))
    assert doc.xpath(f"//*[@id='entry-{shelf.c.pk}']//button")
    response = add(client, url, shelf.c)
    assert response["Location"] == f"{url}#entry-{shelf.c.pk}"
    assert list_ids(client) == [shelf.c.pk]


def test_home_page_recent_entries_have_the_button(client, shelf: Shelf) -> None:
    doc = page(client.get(reverse("web:home")))
    labels = [b.text_content() for b in doc.xpath("//ul[@class='recent']//button")]
    assert f"Add to reading list: {shelf.a.title}" in labels
    assert doc.xpath(f"//ul[@class='recent']//*[@id='entry-{shelf.a.pk}']")


def test_topic_page_shows_the_button(client, shelf: Shelf) -> None:
    topic = TopicFactory(name="Reading list topic")
    shelf.a.topics.add(topic)
    doc = page(client.get(reverse("web:topic", args=[topic.slug])))
    labels = [b.text_content() for b in doc.xpath("//article//form//button")]
    assert f"Add to reading list: {shelf.a.title}" in labels


def test_static_site_hides_buttons_and_nav(rf: RequestFactory, shelf: Shelf) -> None:
    def render(static: bool) -> str:
        request = rf.get(shelf.country_url)
        request.COOKIES[COOKIE] = signed([shelf.a.pk])
        if static:
            request.lantern_static = True  # type: ignore[attr-defined]
        response = web_views.country_detail(request, code="qm")
        return response.content.decode()

    live, static = render(False), render(True)
    assert "Remove from reading list" in live and "Reading list" in live
    assert "reading list" not in static.lower()
    assert reverse("readinglist:add") not in static


def test_reorder_and_clear(client, shelf: Shelf) -> None:
    for entry in (shelf.a, shelf.b, shelf.c):
        add(client, shelf.country_url, entry)
    assert list_ids(client) == [shelf.a.pk, shelf.b.pk, shelf.c.pk]

    response = submit(client, "/reading-list/", f"Move up: {shelf.c.title}")
    assert response["Location"] == f"/reading-list/#entry-{shelf.c.pk}"
    assert list_ids(client) == [shelf.a.pk, shelf.c.pk, shelf.b.pk]
    submit(client, "/reading-list/", f"Move down: {shelf.a.title}")
    assert list_ids(client) == [shelf.c.pk, shelf.a.pk, shelf.b.pk]

    doc = page(client.get("/reading-list/"))
    first, last = doc.xpath("//li[@class='reading-list__item']")[::2]
    assert "Move up" not in first.text_content()
    assert "Move down" not in last.text_content()

    submit(client, "/reading-list/", f"Remove: {shelf.a.title}")
    assert list_ids(client) == [shelf.c.pk, shelf.b.pk]
    response = submit(client, "/reading-list/", "Clear list")
    assert response["Location"] == "/reading-list/"
    assert list_ids(client) == []
    assert "Your reading list is empty" in client.get("/reading-list/").content.decode()


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/path", "javascript:alert(1)", ""],
)
def test_redirect_elsewhere_is_refused(client, shelf: Shelf, target: str) -> None:
    client.get(shelf.country_url)  # the CSRF cookie
    response = client.post(
        reverse("readinglist:add"),
        {
            "entry": shelf.a.pk,
            "next": target,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{shelf.a.get_absolute_url()}#entry-{shelf.a.pk}"


@pytest.mark.parametrize(
    "value",
    ["garbage", "12.5.9", "tampered", ""],
)
def test_tampered_or_garbage_cookie_is_ignored(client, shelf: Shelf, value) -> None:
    if value == "tampered":
        good = signed([shelf.a.pk])
        value = encode([shelf.b.pk]) + good[len(encode([shelf.a.pk])) :]
        assert value != good
    client.cookies[COOKIE] = value
    response = client.get("/reading-list/")
    assert response.status_code == 200
    assert list_ids(client) == []
    assert "Add to reading list" in client.get(shelf.country_url).content.decode()


def test_signed_cookie_with_bad_content_is_ignored(client, shelf: Shelf) -> None:
    response = HttpResponse()
    response.set_signed_cookie(COOKIE, "1.x.<script>", salt=SALT)
    client.cookies[COOKIE] = response.cookies[COOKIE].value
    assert client.get("/reading-list/").status_code == 200
    assert list_ids(client) == []


def test_deleted_entries_are_dropped_from_the_cookie(client, shelf: Shelf) -> None:
    client.cookies[COOKIE] = signed([shelf.a.pk, shelf.b.pk])
    Entry.objects.filter(pk=shelf.a.pk).delete()
    response = client.get("/reading-list/")
    assert held_ids(response.cookies[COOKIE].value) == [shelf.b.pk]
    assert list_ids(client) == [shelf.b.pk]
    nav = page(client.get(shelf.country_url)).xpath("//nav[@aria-label='Main']")[0]
    assert "(1 entry)" in nav.text_content()


def test_bad_entry_field_is_a_400_naming_it(client, shelf: Shelf) -> None:
    client.get(shelf.country_url)
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("readinglist:add"), {"entry": "abc", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 400
    assert "“entry” field" in response.content.decode()
    assert "abc" in response.content.decode()
    response = client.post(
        reverse("readinglist:add"), {"entry": "999999", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 404


def test_cap_is_enforced_with_a_message(client, shelf: Shelf) -> None:
    # The cap with real entries whose ids have as many digits as a large
    # library's: the cookie must still fit a browser's 4 KB.
    first = 90_000_000
    Entry.objects.bulk_create(
        [
            EntryFactory.build(
                pk=first + n,
                title=f"Filler {n}",
                publisher=shelf.c.publisher,
                primary_country=shelf.c.primary_country,
            )
            for n in range(CAP)
        ]
    )
    full = list(range(first, first + CAP))
    client.cookies[COOKIE] = signed(full)
    response = add(client, shelf.country_url, shelf.a)
    assert response.status_code == 302
    assert held_ids(cookie_value(client)) == full
    doc = page(client.get(shelf.country_url))
    status = doc.xpath(f"//article[@id='entry-{shelf.a.pk}']//p[@role='status']")
    assert "Your reading list is full" in status[0].text_content()
    assert f"{CAP} entries" in status[0].text_content()
    assert shelf.a.pk not in list_ids(client)

    # Removing one makes room again.
    submit(client, "/reading-list/", "Remove: Filler 7")
    add(client, shelf.country_url, shelf.a)
    ids = list_ids(client)
    assert len(ids) == CAP and ids[-1] == shelf.a.pk
    header = response.cookies[COOKIE].OutputString()
    assert len(header) < 4096, len(header)


def test_pages_showing_the_list_vary_on_cookie_for_shared_caches(client, db) -> None:
    # The header's count comes from the cookie: a proxy must not share the page.
    # (The status notes go through the messages framework, which reads the
    # session, so Django's session middleware already says so.)
    about = client.get(reverse("web:about"))  # a page without forms
    assert "Cookie" in about.get("Vary", "")
    # The Atom feed does not read the list: cacheable for every reader.
    feed = client.get(reverse("web:feed-entries"))
    assert "Cookie" not in feed.get("Vary", "")


def test_hostile_title_is_escaped_on_the_page(client, db) -> None:
    hostile = EntryFactory(title='<script>alert("x")</script> & friends')
    country_url = hostile.primary_country.get_absolute_url()
    add(client, country_url, hostile)
    # The note after adding names the title, escaped.
    note_page = client.get(country_url).content.decode()
    assert "Added “&lt;script&gt;alert" in note_page
    assert "<script>alert" not in note_page
    html = client.get("/reading-list/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    entry_html = client.get(hostile.get_absolute_url()).content.decode()
    assert "<script>alert" not in entry_html


# ----------------------------------------------------------------------- sharing


def share_url(client: Client) -> str:
    doc = page(client.get("/reading-list/"))
    return doc.xpath("//input[@id='rl-share-url']/@value")[0]


def test_share_url_round_trip(client, shelf: Shelf) -> None:
    for entry in (shelf.b, shelf.a):
        add(client, shelf.country_url, entry)
    url = share_url(client)
    assert (
        url == f"http://testserver/reading-list/shared/?ids={shelf.b.pk},{shelf.a.pk}"
    )

    friend = Client(enforce_csrf_checks=True)
    path = url.removeprefix("http://testserver")
    shown = page(friend.get(path))
    titles = [a.text for a in shown.xpath("//p[@class='reading-list__title']/a")]
    assert titles == [shelf.b.title, shelf.a.title]
    assert not shown.xpath("//button[starts-with(., 'Remove')]")
    response = submit(friend, path, "Use this as my reading list")
    assert response["Location"] == "/reading-list/"
    assert list_ids(friend) == [shelf.b.pk, shelf.a.pk]
    assert list_ids(client) == [shelf.b.pk, shelf.a.pk]  # the sharer's is untouched


def test_shared_list_merges_into_an_existing_one(client, shelf: Shelf) -> None:
    add(client, shelf.country_url, shelf.c)
    add(client, shelf.country_url, shelf.a)
    path = f"/reading-list/shared/?ids={shelf.a.pk},{shelf.b.pk}"
    submit(client, path, "Add these to my list")
    assert list_ids(client) == [shelf.c.pk, shelf.a.pk, shelf.b.pk]


def test_shared_list_names_missing_entries(client, shelf: Shelf) -> None:
    gone = shelf.a.pk
    Entry.objects.filter(pk=gone).delete()
    response = client.get(f"/reading-list/shared/?ids={gone},{shelf.b.pk}")
    assert response.status_code == 200
    text = page(response).text_content()
    assert f"Entry {gone} is no longer in the library." in text
    assert shelf.b.title in text
    # The largest id the address takes is still only "no longer here".
    huge = "9" * 18
    response = client.get(f"/reading-list/shared/?ids={huge}")
    assert response.status_code == 200
    assert f"Entry {huge} is no longer in the library." in page(response).text_content()


@pytest.mark.parametrize(
    ("ids", "named"),
    [
        ("12,abc", "abc"),
        ("12,-5", "-5"),
        ("0", "0"),
        ("1;2", "1;2"),
        ("99999999999999999999999", "99999999999999999999999"),
        (",".join(str(n) for n in range(1, CAP + 2)), f"{CAP + 1} entries"),
    ],
)
def test_bad_shared_ids_are_a_400_naming_the_value(
    client, db, ids: str, named: str
) -> None:
    for url in ("/reading-list/shared/", "/reading-list/shared/export.bib"):
        response = client.get(url, {"ids": ids})
        assert response.status_code == 400
        body = page(response).text_content()
        assert "“ids”" in body and f"“{named}”" in body


def test_unknown_style_is_a_400(client, shelf: Shelf) -> None:
    client.cookies[COOKIE] = signed([shelf.a.pk])
    response = client.get("/reading-list/", {"style": "no-such-style"})
    assert response.status_code == 400
    assert "no-such-style" in page(response).text_content()
    response = client.get("/reading-list/export.md", {"style": "no-such-style"})
    assert response.status_code == 400
    assert client.get("/reading-list/export.pdfx").status_code == 404


def test_changing_the_list_writes_nothing_to_the_database(client, shelf: Shelf) -> None:
    with CaptureQueriesContext(connection) as queries:
        add(client, shelf.country_url, shelf.a)
        add(client, shelf.country_url, shelf.b)
        submit(client, "/reading-list/", f"Move up: {shelf.b.title}")
        submit(client, "/reading-list/", "Clear list")
    written = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert written == []


def queued_messages(client: Client) -> list[str]:
    request = RequestFactory().get("/")
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    return [m.message for m in CookieStorage(request)]


def test_other_messages_wait_for_their_own_page(client, shelf: Shelf) -> None:
    """A page with reading-list buttons takes only the list's notes; a curator's
    message queued elsewhere stays for the page that shows messages."""
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(messages.INFO, "Saved the entry.")
    response = HttpResponse()
    storage.update(response)
    client.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value

    add(client, shelf.country_url, shelf.a)
    assert queued_messages(client) == ["Saved the entry.", ANY]
    assert "Added “Zebra" in client.get(shelf.country_url).content.decode()
    assert queued_messages(client) == ["Saved the entry."]
