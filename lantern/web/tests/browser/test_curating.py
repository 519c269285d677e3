"""A curator signs in and adds a source from its URL, served on 127.0.0.1."""

from __future__ import annotations

from typing import Any

from lantern.core.fakeweb import FakeWeb
from lantern.web.tests.browser.conftest import CURATOR, Site

Page = Any  # playwright.sync_api.Page


def test_anonymous_reader_cannot_reach_the_curators_tools(
    site: Site, page: Page
) -> None:
    for path in ("/admin/library/entry/", "/curate/links/"):
        page.goto(site(path))
        assert "/admin/login/" in page.url, path


def test_curator_adds_an_entry_from_its_url(
    site: Site, web: FakeWeb, page: Page
) -> None:
    page.goto(site("/admin/"))
    page.fill("#id_username", CURATOR[0])
    page.fill("#id_password", CURATOR[1])
    page.get_by_role("button", name="Log in").click()
    page.goto(site("/admin/library/entry/"))
    page.get_by_role("link", name="Add from URL").click()
    page.fill("input[name=url]", web.url("/news/kilns"))
    page.select_option("select[name=country]", "PE")
    page.get_by_role("button", name="Fetch and read the page").click()
    page.wait_for_load_state()
    assert page.evaluate("window.__xss") is None
    title = page.locator("textarea[name=title]")
    assert "Brick kiln workers freed in Cusco" in title.input_value()
    title.fill("Brick kiln workers freed in Cusco")
    assert page.locator("select[name=primary_country]").input_value() == "PE"
    page.get_by_role("button", name="Create the entry").click()
    page.wait_for_load_state()
    assert "Added “Brick kiln workers freed in Cusco”" in page.content()
    assert web.hits("/news/kilns")
    page.goto(site("/countries/pe/"))
    assert page.get_by_text("Brick kiln workers freed in Cusco").first.is_visible()
