"""axe-core (WCAG 2.2 AA rules) over every kind of page, as a reader or a curator
sees it in Chromium: no serious or critical violation."""

from __future__ import annotations

from typing import Any

import pytest

from lantern.web.tests.browser.conftest import CURATOR, Site

Page = Any  # playwright.sync_api.Page

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

PUBLIC = [
    "/",
    "/countries/",
    "/countries/pe/",
    "/countries/pe/cite/",
    "/regions/",
    "/regions/419/",
    "/entries/{entry}/",
    "/entries/{entry}/cite/",
    "/search/?q=trafficking",
    "/search/?q=nothing-matches-this-word",
    "/topics/",
    "/topics/forced-labour/",
    "/topics/forced-labour/?country=pe",
    "/compare/?c=pe&c=bo&c=cl",
    "/compare/",
    "/map/",
    "/help/",
    "/teachers/",
    "/term-papers/",
    "/about/",
    "/reading-list/",
    "/reading-list/shared/?ids={entry}",
    "/api/docs",
    "/a-page-that-does-not-exist/",
]
# The curators' pages: lists, change forms (select2 boxes, table inlines, the
# topics' two lists), history, the link dashboards.
CURATORS = [
    "/admin/",
    "/admin/library/entry/",
    "/admin/library/entry/add/",
    "/admin/library/entry/{entry}/change/",
    "/admin/library/entry/{entry}/history/",
    "/admin/library/country/",
    "/admin/library/country/PE/change/",
    "/admin/library/helpline/",
    "/admin/library/helpline/add/",
    "/admin/library/access/add/",
    "/admin/library/topic/add/",
    "/admin/library/publisher/add/",
    "/admin/library/countryprofile/add/",
    "/admin/auth/user/",
    "/curate/links/",
    "/curate/links/entries/?cell=entries&country=PE",
]
# Public pages again with the interface in Spanish, French and Portuguese.
TRANSLATED = [
    ("es", "/"),
    ("es", "/countries/pe/"),
    ("fr", "/search/?q=trafficking"),
    ("fr", "/compare/?c=pe&c=bo&c=cl"),
    ("pt", "/entries/{entry}/"),
    ("pt", "/help/"),
]


def serious(page: Page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def fill(path: str, page: Page, site: Site) -> str:
    """Put a real entry's id into the path."""
    if "{entry}" in path:
        page.goto(site("/countries/pe/"))
        href = page.locator("main a[href*='/entries/']").first.get_attribute("href")
        assert href, "no entry linked from the Peru page"
        path = path.format(entry=href.rstrip("/").split("/")[-1])
    return path


@pytest.mark.parametrize("path", PUBLIC)
def test_public_page_has_no_serious_violations(
    site: Site, page: Page, path: str
) -> None:
    path = fill(path, page, site)
    answer = page.goto(site(path))
    assert answer is not None
    assert answer.status == (404 if "does-not-exist" in path else 200), path
    assert page.title(), path
    assert serious(page) == [], path


@pytest.mark.parametrize(("language", "path"), TRANSLATED)
def test_translated_page_has_no_serious_violations(
    site: Site, page: Page, language: str, path: str
) -> None:
    path = fill(path, page, site)
    page.set_extra_http_headers({"Accept-Language": language})
    answer = page.goto(site(path))
    assert answer is not None and answer.status == 200, path
    assert page.locator("html").get_attribute("lang") == language
    assert serious(page) == [], path


def test_curator_pages_have_no_serious_violations(site: Site, page: Page) -> None:
    page.goto(site("/admin/login/"))
    page.fill("#id_username", CURATOR[0])
    page.fill("#id_password", CURATOR[1])
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    problems = {}
    for path in CURATORS:
        path = fill(path, page, site)
        answer = page.goto(site(path))
        assert answer is not None and answer.status == 200, path
        assert "login" not in page.url, path
        if found := serious(page):
            problems[path] = found
    page.goto(site("/admin/library/entry/"))
    page.get_by_role("link", name="Add from URL").click()
    page.wait_for_load_state()
    if found := serious(page):
        problems["Add from URL"] = found
    assert problems == {}, "\n".join(
        f"{path}: {found}" for path, found in problems.items()
    )
