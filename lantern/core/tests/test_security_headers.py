"""Every page carries a strict Content-Security-Policy and the other security
headers, and no page (nor any template) needs what that policy forbids: inline
scripts, event-handler attributes, `javascript:` links, style attributes or style
elements. Archived copies keep their own stricter policy."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from lantern.library.demo import load_demo
from lantern.library.models import Country, Entry, Topic

ROOT = Path(__file__).resolve().parents[2]
# A bibliography downloaded as a file (Content-Disposition: attachment) and opened
# from disk, where no header applies: it carries its own small stylesheet.
OWN_STYLES = {"readinglist/templates/readinglist/export.html"}
REQUIRED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response) -> dict[str, str]:  # type: ignore[no-untyped-def]
    header = response.headers.get("Content-Security-Policy", "")
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in parts}


def inline_code(page: str) -> list[str]:
    """What a strict policy would block on a page: inline scripts, handlers,
    javascript: links, style attributes and style elements."""
    found = []
    tree = lxml.html.document_fromstring(page)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.split("}")[-1].lower()
        data = el.get("type") in {"application/json", "application/ld+json"}
        if tag == "script" and not el.get("src") and not data:
            found.append(f"inline script: {(el.text or '')[:60]!r}")
        if tag == "style":
            found.append("style element")
        for name, value in el.attrib.items():
            name = str(name).lower()
            if name.startswith("on"):
                found.append(f"{tag} {name}=")
            if name == "style":
                found.append(f"{tag} style={value[:40]!r}")
            if name in {"href", "src", "action", "formaction", "xlink:href"} and (
                value.strip().lower().startswith("javascript:")
            ):
                found.append(f"{tag} {name}=javascript:")
    return found


@pytest.fixture
def demo(db: None) -> None:
    assert load_demo(force=True)


def public_pages() -> list[str]:
    country = Country.objects.filter(entries__isnull=False).order_by("code").first()
    entry = Entry.objects.order_by("pk").first()
    topic = Topic.objects.filter(parent__isnull=False).order_by("slug").first()
    assert country and entry and topic
    word = entry.title.split()[0]
    return [
        reverse("web:home"),
        reverse("web:countries"),
        reverse("web:country", args=[country.code.lower()]),
        reverse("web:regions"),
        reverse("web:entry", args=[entry.pk]),
        reverse("web:entry-cite", args=[entry.pk]),
        reverse("web:topics"),
        reverse("web:topic", args=[topic.slug]),
        reverse("web:compare") + f"?countries={country.code.lower()},pe",
        reverse("web:map"),
        reverse("web:helplines"),
        reverse("web:teachers"),
        reverse("web:term-papers"),
        reverse("web:about"),
        reverse("search:search") + f"?q={word}",
        reverse("readinglist:list"),
        "/no-such-page/",
    ]


def test_every_public_page_has_the_strict_policy_and_nothing_inline(
    client: Client, demo: None
) -> None:
    for url in public_pages():
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        assert policy(response).items() >= REQUIRED.items(), url
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], url
        assert inline_code(response.content.decode()) == [], url


def test_other_security_headers_are_on_every_page(client: Client, db: None) -> None:
    response = client.get(reverse("web:about"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_headers_are_on_in_debug_mode_too(client: Client, db: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    response = client.get(reverse("web:about"))
    assert policy(response).items() >= REQUIRED.items()
    assert response["X-Frame-Options"] == "DENY"
    assert "Permissions-Policy" in response


def test_plain_http_is_not_redirected_by_default(client: Client, db: None) -> None:
    # `lantern serve` on a laptop: http://127.0.0.1 answers, no HSTS is sent.
    response = client.get(reverse("web:about"))
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


def test_admin_pages_work_under_the_policy(client: Client, db: None) -> None:
    login = client.get(reverse("admin:login"))
    assert login.status_code == 200
    assert policy(login).items() >= REQUIRED.items()
    assert inline_code(login.content.decode()) == []
    user = get_user_model().objects.create_superuser("curator", "c@example.org", "pw")
    client.force_login(user)
    for url in (reverse("admin:index"), reverse("admin:library_entry_add")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response).items() >= REQUIRED.items(), url
        assert inline_code(response.content.decode()) == [], url


def test_api_docs_allow_only_data_images_beyond_the_policy(
    client: Client, db: None
) -> None:
    response = client.get(reverse("api:openapi-view"))
    assert response.status_code == 200
    rules = policy(response)
    assert rules["script-src"] == "'self'"
    assert rules["img-src"].split() == ["'self'", "data:"]
    assert inline_code(response.content.decode()) == []


def test_templates_hold_no_inline_scripts_handlers_or_styles() -> None:
    problems = []
    for path in sorted(ROOT.glob("*/templates/**/*.html")):
        rel = str(path.relative_to(ROOT))
        text = path.read_text()
        if rel in OWN_STYLES:
            continue
        # Template logic is no markup; a variable stands for some value.
        markup = re.sub(r"\{%\s*(url|static)\b.*?%\}|\{\{.*?\}\}", "x", text)
        markup = re.sub(r"\{%.*?%\}", "", markup, flags=re.S)
        for problem in inline_code(markup):
            problems.append(f"{rel}: {problem}")
    assert problems == []


def test_the_scan_finds_what_the_policy_blocks() -> None:
    page = """<html><body><script>alert(1)</script><script src="/s.js"></script>
      <script type="application/json">{}</script><style>p{}</style>
      <a href="javascript:void(0)" onclick="go()">x</a><p style="color:red">y</p>
      </body></html>"""
    assert sorted(inline_code(page)) == sorted([
        "inline script: 'alert(1)'", "style element", "a onclick=",
        "a href=javascript:", "p style='color:red'"])  # fmt: skip


def test_chart_sizes_and_legend_colours_have_stylesheet_rules() -> None:
    from lantern.web import charts, maps, svg

    css = (ROOT / "web/static/web/lantern.css").read_text()
    classes = {svg.min_width_class(w) for w in range(0, 2000, 7)}
    assert classes == {f"chart__svg--min-{w}" for w in svg.MIN_WIDTHS}
    legends = (*charts.tier_legend(), *maps.coverage_legend())
    for item in legends:
        classes.update(item.swatch_class.split())
    missing = [c for c in sorted(classes) if f".{c} {{" not in css]
    assert missing == []
    # A chart keeps close to three quarters of its drawn width.
    assert svg.min_width_class(0.75 * 480) == "chart__svg--min-360"
    assert svg.min_width_class(0.75 * 455) == "chart__svg--min-340"
