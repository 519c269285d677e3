"""The Content-Security-Policy in a real browser: the site, the curators' admin and
the API's Swagger UI work under it without a single violation reported."""

from __future__ import annotations

from typing import Any

from lantern.web.tests.browser.conftest import CURATOR, Site

Page = Any  # playwright.sync_api.Page

WATCH = """() => { window.__violations = [];
  document.addEventListener('securitypolicyviolation', e =>
    window.__violations.push(e.violatedDirective + ' ' + e.blockedURI)); }"""


def violations_on(page: Page, url: str) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda m: (
            messages.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    page.add_init_script(WATCH.removeprefix("() => {").removesuffix("}"))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return [*page.evaluate("window.__violations || []"), *messages]


def test_public_pages_raise_no_violation(site: Site, page: Page) -> None:
    for path in ("/", "/countries/pe/", "/map/", "/search/?q=trafficking", "/about/"):
        assert violations_on(page, site(path)) == [], path


def test_swagger_ui_renders_under_the_policy(site: Site, page: Page) -> None:
    found = violations_on(page, site("/api/docs"))
    page.locator("#swagger-ui .info .title").first.wait_for(timeout=15_000)
    assert "Lantern" in page.locator("#swagger-ui .info .title").first.inner_text()
    assert found == []


def test_admin_works_under_the_policy(site: Site, page: Page) -> None:
    assert violations_on(page, site("/admin/login/")) == []
    page.fill("#id_username", CURATOR[0])
    page.fill("#id_password", CURATOR[1])
    page.get_by_role("button", name="Log in").click()
    assert violations_on(page, site("/admin/library/entry/add/")) == []
    assert page.locator("#entry_form").count() == 1


def test_a_violation_would_be_seen(site: Site, page: Page) -> None:
    # So the tests above can fail: an inline style is blocked and reported.
    assert violations_on(page, site("/about/")) == []
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<p style=\"color:red\">x</p>')"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__violations.length") >= 1
