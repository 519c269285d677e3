"""Outside HTML becomes page markup only through `clean_html` (or as escaped text
through `plain_text`): scripts, event handlers, styles, `javascript:` links and
their disguises come out inert."""

from __future__ import annotations

import lxml.html
import pytest
from django.template import Context, Template

from lantern.capture.metadata import extract_html
from lantern.core.html import clean_html, plain_text

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt&#58;alert(1)">link</a>',
    '<a href="jav&#x09;ascript:alert(1)">link</a>',
    '<a href=" &#14; javascript:alert(1)">link</a>',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=//example.org></iframe>",
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<b style="background:url(javascript:alert(1))">bold</b>',
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<!--<img src=x onerror=alert(1)>-->",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<details open ontoggle=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<base href=//evil.example/>",
]

ACTIVE_TAGS = {"script", "img", "svg", "iframe", "object", "embed", "style", "form",
               "button", "math", "meta", "base", "link", "details", "noscript"}  # fmt: skip


def active_parts(markup: str) -> list[str]:
    """Elements and attributes that could run or load something."""
    found = []
    tree = lxml.html.fragment_fromstring(markup, create_parent="div")
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in ACTIVE_TAGS:
            found.append(el.tag)
        for name, value in el.attrib.items():
            if name.startswith("on") or name == "style":
                found.append(f"{el.tag}@{name}")
            if name in {"href", "src", "action", "data"}:
                scheme = "".join(value.split()).lower().split(":", 1)[0]
                if ":" in value and scheme not in {"http", "https", "mailto"}:
                    found.append(f"{el.tag}@{name}={value[:30]}")
    return found


@pytest.mark.parametrize("payload", PAYLOADS)
def test_clean_html_leaves_nothing_active(payload: str) -> None:
    cleaned = clean_html(f"<p>Before {payload} after</p>")
    assert active_parts(cleaned) == [], cleaned
    assert "alert(1)</script>" not in cleaned


def test_the_checker_sees_active_markup() -> None:
    # So the test above can fail: unclean payloads are caught.
    for payload in PAYLOADS[:8]:
        assert active_parts(payload), payload


def test_clean_html_keeps_inline_markup_and_safe_links() -> None:
    cleaned = clean_html(
        'A <em>report</em> on <mark>kilns</mark>: <a href="https://example.org/r" '
        'onclick="x()">read</a> &amp; more'
    )
    assert cleaned == (
        'A <em>report</em> on <mark>kilns</mark>: <a href="https://example.org/r" '
        'rel="noopener noreferrer nofollow">read</a> &amp; more'
    )


def test_clean_html_can_be_limited_to_named_tags() -> None:
    assert clean_html("<mark>a</mark> <em>b</em> <a href='https://x.org'>c</a>",
                      tags={"mark"}) == "<mark>a</mark> b c"  # fmt: skip


@pytest.mark.parametrize("payload", PAYLOADS)
def test_plain_text_has_no_markup_left(payload: str) -> None:
    text = plain_text(f"Title {payload}")
    assert "<script" not in text.lower()
    assert "onerror=" not in text
    # Shown escaped, it is text whatever it holds.
    rendered = Template("{{ t }}").render(Context({"t": text}))
    assert active_parts(rendered) == []


def test_plain_text_reads_entities_and_keeps_ordinary_text() -> None:
    assert plain_text("Tom &amp; Jerry: 5 &lt; 6 &#8211; <b>bold</b>") == (
        "Tom & Jerry: 5 < 6 – bold"
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_template_filter_cleans(payload: str) -> None:
    template = Template(
        '{% load lantern_html %}{{ v|clean_html }}|{{ v|clean_html:"mark" }}'
    )
    rendered = template.render(Context({"v": f"<mark>hit</mark> {payload}"}))
    assert active_parts(rendered) == [], rendered
    assert rendered.count("<mark>hit</mark>") == 2


@pytest.mark.parametrize("payload", PAYLOADS)
def test_fetched_page_metadata_is_plain_text(payload: str) -> None:
    escaped = payload.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    page = f"""<!doctype html><html><head>
      <title>Brick kiln report {escaped}</title>
      <meta property="og:title" content="Brick kiln report {escaped.replace('"', "&quot;")}">
      <meta name="description" content="About kilns {escaped.replace('"', "&quot;")}">
      <meta name="author" content="Ana Ruiz {escaped.replace('"', "&quot;")}">
      </head><body><article><h1>Brick kiln report</h1>
      <p>{payload} Workers in the brick kilns described debts they could not repay,
      wages withheld for months and families bound to the kiln owners.</p>
      </article></body></html>"""
    metadata = extract_html(page, url="https://example.org/kilns")
    for value in (metadata.title, metadata.description, *metadata.authors):
        assert "<script" not in value.lower() and "onerror" not in value.lower(), value
        assert "javascript:" not in value.lower(), value
    assert metadata.title.startswith("Brick kiln report")
