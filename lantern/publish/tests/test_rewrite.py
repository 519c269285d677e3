"""Link rewriting for the static site: relative links to published files, live-only
links unlinked with their text kept, server-only forms left out."""

from __future__ import annotations

from lantern.publish.rewrite import (
    Rewriter,
    Target,
    lock_archived_html,
    mark_for_search,
)

PUBLISHED = {
    "/": "index.html",
    "/countries/pe/": "countries/pe/index.html",
    "/static/web/lantern.css": "static/web/lantern.css",
    "/static/web/a.png": "static/web/a.png",
    "/static/web/b.png": "static/web/b.png",
}


def resolve(path: str, query: str) -> Target | None:
    if path == "/search/":
        return Target("search/index.html", query)
    if path == "/compare/" and query == "region=419":
        return Target("compare/region-419/index.html")
    if query:
        return None
    return Target(PUBLISHED[path]) if path in PUBLISHED else None


def rewriter() -> Rewriter:
    return Rewriter(
        "/entries/7/", "entries/7/index.html", resolve, ("https://lantern.example",)
    )


def test_published_links_become_relative_index_files() -> None:
    out = rewriter().html(
        '<a href="/countries/pe/#help">Peru</a> <a href="https://lantern.example/">'
        'home</a> <a href="/compare/?region=419">compare</a> <a href="#top">up</a>'
        ' <a href="https://other.example/x">out</a> <a href="tel:+51123">call</a>'
    )
    assert out == (
        '<a href="../../countries/pe/index.html#help">Peru</a> '
        '<a href="../../index.html">home</a> '
        '<a href="../../compare/region-419/index.html">compare</a> '
        '<a href="#top">up</a> <a href="https://other.example/x">out</a> '
        '<a href="tel:+51123">call</a>'
    )


def test_live_only_links_lose_the_link_but_keep_their_text() -> None:
    out = rewriter().html(
        '<li><a href="/admin/" class="x">Curators’ <b>sign-in</b></a></li>'
        '<link rel="alternate" href="/search/feed.atom?q=x"><p><a href="cite/?style=bibtex&amp;x=1">BibTeX</a></p>'
    )
    assert out == "<li>Curators’ <b>sign-in</b></li><p>BibTeX</p>"


def test_forms_that_need_a_server_are_left_out() -> None:
    out = rewriter().html(
        '<form method="post" action="/reading-list/add/"><button>Add</button></form>'
        '<form action="/compare/"><select name="c"></select></form>'
        '<form method="get" action="/search/"><input name="q"></form>'
    )
    assert out == (
        '<form method="get" action="../../search/index.html"><input name="q"></form>'
    )


def test_assets_srcset_and_css_urls_are_rewritten() -> None:
    out = rewriter().html(
        '<link rel="stylesheet" href="/static/web/lantern.css">'
        '<img src="/static/web/a.png" srcset="/static/web/a.png 1x, /static/web/b.png 2x">'
        "<style>.x { background: url('/static/web/b.png') }</style>"
        '<div style="background:url(/static/web/a.png)"></div>'
        '<script src="/static/web/a.png">var a = "<a href=/admin/>";</script>'
    )
    assert out == (
        '<link rel="stylesheet" href="../../static/web/lantern.css">'
        '<img src="../../static/web/a.png" srcset="../../static/web/a.png 1x, '
        '../../static/web/b.png 2x">'
        "<style>.x { background: url('../../static/web/b.png') }</style>"
        '<div style="background:url(../../static/web/a.png)"></div>'
        '<script src="../../static/web/a.png">var a = "<a href=/admin/>";</script>'
    )


def test_escaped_attribute_values_stay_escaped() -> None:
    out = rewriter().html(
        '<a href="/search/?q=a%20b&amp;page=2" title="&quot;x&quot;">s</a>'
    )
    assert out == (
        '<a href="../../search/index.html?q=a%20b&amp;page=2" title="&quot;x&quot;">s</a>'
    )


def test_search_marking_adds_body_and_escaped_filters() -> None:
    out = mark_for_search(
        '<main id="main" class="wrap"><h1>T</h1></main>',
        [("country", "Korea, Republic of"), ("topic", "<b>x</b>"), ("year", "")],
    )
    assert out == (
        '<main data-pagefind-body id="main" class="wrap">'
        '<span hidden data-pagefind-ignore data-pagefind-filter="country">'
        "Korea, Republic of</span>"
        '<span hidden data-pagefind-ignore data-pagefind-filter="topic">'
        "&lt;b&gt;x&lt;/b&gt;</span><h1>T</h1></main>"
    )


def test_archived_html_gets_a_policy_after_its_doctype() -> None:
    out = lock_archived_html(b"<!doctype html><html><script>x()</script></html>")
    assert out.startswith(b'<!doctype html><meta http-equiv="Content-Security-Policy"')
    assert out.endswith(b"<html><script>x()</script></html>")
