"""A reader's journeys through the real site in Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from lantern.web.tests.browser.conftest import PAYLOADS, Site

Page = Any  # playwright.sync_api.Page


def test_browse_to_a_country_and_its_help_line(site: Site, page: Page) -> None:
    page.goto(site("/"))
    page.get_by_role("link", name="Countries", exact=True).first.click()
    page.get_by_role("link", name="Peru", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Peru"
    helpline = page.locator(".help-box a[href^='tel:']").first
    assert helpline.is_visible()
    assert helpline.get_attribute("href") == "tel:+5115180000"


def test_search_with_a_facet_and_remove_it(site: Site, page: Page) -> None:
    page.goto(site("/search/?q=trafficking"))
    total = page.locator(".search-summary, [role=status]").first.inner_text()
    facet = page.locator(".search-facet").filter(has_text="Format").first
    choice = facet.locator("a").first
    label = choice.inner_text()
    choice.click()
    page.wait_for_load_state()
    selected = page.locator(".search-facet__selected")
    assert selected.count() == 1
    assert label in selected.first.inner_text()
    assert page.locator(".search-facets").is_visible()
    narrowed = page.locator(".search-summary, [role=status]").first.inner_text()
    assert narrowed != total
    selected.first.click()
    page.wait_for_load_state()
    assert page.locator(".search-facet__selected").count() == 0


def test_compare_a_country_with_its_neighbours(site: Site, page: Page) -> None:
    page.goto(site("/countries/pe/"))
    page.get_by_role("link", name="Compare with neighbours").click()
    page.wait_for_load_state()
    assert "/compare/" in page.url
    table = page.locator("main").inner_text()
    for neighbour in ("Peru", "Bolivia", "Brazil", "Chile", "Colombia", "Ecuador"):
        assert neighbour in table
    assert page.locator("main figure svg").count() >= 1


def test_reading_list_add_reorder_and_download(site: Site, page: Page) -> None:
    page.goto(site("/countries/pe/"))
    entries = page.locator("article.entry")
    titles = [entries.nth(i).locator(".entry__title").inner_text() for i in (0, 1)]
    for i in (0, 1):
        entries.nth(i).get_by_role(
            "button", name=re.compile("Add to reading list")
        ).click()
        page.wait_for_load_state()
    assert page.get_by_role("status").first.is_visible()
    page.goto(site("/reading-list/"))
    listed = page.locator(".reading-list__title")
    assert [listed.nth(i).inner_text() for i in (0, 1)] == [
        t.split(" [")[0].strip() for t in titles
    ] or listed.count() == 2
    first = listed.nth(0).inner_text()
    page.get_by_role("button", name=re.compile("Move down")).first.click()
    page.wait_for_load_state()
    assert page.locator(".reading-list__title").nth(1).inner_text() == first
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Markdown").click()
    download = waiting.value
    text = Path(download.path()).read_text(encoding="utf-8")
    assert first.split(" ")[0] in text
    assert download.suggested_filename.endswith(".md")


def test_imported_script_payloads_stay_text(site: Site, page: Page) -> None:
    page.goto(site("/countries/pe/"))
    body = page.locator("main").inner_text()
    assert "<script>window.__xss='script'</script>" in body
    assert "<svg onload=" in body
    assert page.evaluate("window.__xss") is None
    assert page.locator("main script, main svg[onload], main img[onerror]").count() == 0
    link = page.get_by_text("The Fight Against", exact=False).first
    link.click()
    page.wait_for_load_state()
    assert page.evaluate("window.__xss") is None
    page.goto(site("/search/?q=Japan+Sex+Industry"))
    assert "<img src=x" in page.locator("main").inner_text()
    assert page.evaluate("window.__xss") is None
    assert len(PAYLOADS) == 2


def test_phone_sized_screen_has_no_sideways_scrolling(site: Site, browser: Any) -> None:
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, is_mobile=True
    )
    tab = context.new_page()
    try:
        for path in ("/", "/countries/pe/", "/search/?q=trafficking", "/help/"):
            tab.goto(site(path))
            wide = tab.evaluate(
                "document.documentElement.scrollWidth - window.innerWidth"
            )
            assert wide <= 1, f"{path} is {wide}px wider than a phone's screen"
        tab.goto(site("/countries/pe/"))
        assert tab.locator(".help-box a[href^='tel:']").first.is_visible()
    finally:
        context.close()


def test_country_page_prints_without_site_furniture(site: Site, page: Page) -> None:
    page.goto(site("/countries/pe/"))
    page.emulate_media(media="print")
    assert page.locator("main h1").is_visible()
    assert page.locator(".site-name").is_visible()  # whose page it is stays
    for furniture in (".site-nav", ".toc", ".footer-links", ".reading-list-button"):
        shown = page.locator(furniture)
        assert shown.count(), furniture
        assert all(not shown.nth(i).is_visible() for i in range(shown.count())), (
            f"{furniture} is printed"
        )
    # Sources' addresses are printed after their titles (the one `lantern add` took).
    title = page.locator("article.entry .entry__title a[href^='http']").first
    after = title.evaluate("a => getComputedStyle(a, '::after').content")
    assert title.get_attribute("href") in after


def test_quick_exit_leaves_and_back_does_not_return(site: Site, page: Page) -> None:
    page.goto(site("/help/"))
    page.goto(site("/countries/pe/"))
    page.get_by_role("link", name="Quick exit").first.click()
    page.wait_for_url("**/neutral")
    assert page.get_by_role("heading", name="Weather").is_visible()
    page.go_back()
    page.wait_for_load_state()
    # The country page was replaced in the history: Back skips it.
    assert page.url == site("/help/")


def test_escape_three_times_is_a_quick_exit_too(site: Site, page: Page) -> None:
    page.goto(site("/countries/pe/"))
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url("**/neutral")
    assert page.get_by_role("heading", name="Weather").is_visible()


def test_the_imported_excerpt_about_rape_has_a_content_note(
    site: Site, page: Page
) -> None:
    page.goto(site("/countries/pe/"))
    entry = page.locator("article.entry").filter(has_text="Japan Sex Industry")
    note = entry.first.get_by_role("note")
    assert "sexual violence" in note.inner_text()


def test_switch_the_interface_to_spanish_and_it_stays(site: Site, page: Page) -> None:
    page.goto(site("/countries/pe/"))
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("navigation", name="Language").get_by_role(
        "link", name="Español"
    ).click()
    page.wait_for_load_state()
    assert page.url.endswith("/countries/pe/")
    assert page.locator("html").get_attribute("lang") == "es"
    # The library's own text stays as written; the interface around it changes.
    assert page.get_by_role("heading", level=1).inner_text() == "Peru"
    main_nav = page.get_by_role("navigation", name="Principal")
    assert main_nav.get_by_role("link", name="Países").is_visible()
    # The choice is remembered on the next page.
    main_nav.get_by_role("link", name="Líneas de ayuda").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    current = page.get_by_role("navigation", name="Idioma").locator(
        "[aria-current=true]"
    )
    assert current.inner_text() == "Español"


def test_a_french_browser_gets_french(site: Site, browser: Any) -> None:
    context = browser.new_context(locale="fr-FR")
    try:
        tab = context.new_page()
        tab.goto(site("/"))
        assert tab.locator("html").get_attribute("lang") == "fr"
        assert tab.get_by_role("link", name="Aller au contenu principal").count() == 1
    finally:
        context.close()
