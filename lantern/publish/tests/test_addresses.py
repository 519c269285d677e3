"""How the site's addresses map to the static site's files, and the absolute
addresses feeds and sitemaps get under a base URL (no database needed)."""

from __future__ import annotations

from pathlib import Path

from lantern.publish.output import Output
from lantern.publish.site import Site


def site(tmp_path: Path, base: str = "https://example.org/lantern") -> Site:
    return Site(Output(root=tmp_path), base, has_base=True)


def test_pages_files_and_query_pages_get_stable_files(tmp_path: Path) -> None:
    s = site(tmp_path)
    files = {
        "/": "index.html",
        "/countries/pe/": "countries/pe/index.html",
        "/countries/pe/entries.atom": "countries/pe/entries.atom",
        "/compare/?region=419": "compare/region-419/index.html",
        "/compare/?regions=005&countries=pe": "compare/countries-pe/regions-005/index.html",
        "/topics/forced-labour/?page=2": "topics/forced-labour/page-2/index.html",
        "/map/?show=tiers&year=2010": "map/show-tiers/year-2010/index.html",
        "/sitemap-entries.xml?p=2": "sitemap-entries-p2.xml",
        "/search/?q=debt+bondage&country=PE": "search/index.html",
    }
    for address, file in files.items():
        path, _, query = address.partition("?")
        target = s.target(path, query)
        assert target is not None, address
        assert target.file == file
    assert s.target("/search/", "q=debt bondage").query == "q=debt+bondage"
    # Rendered once each, in the order first met.
    assert [file for _, file, _ in s.queue][:3] == [
        "index.html",
        "countries/pe/index.html",
        "countries/pe/entries.atom",
    ]


def test_live_only_addresses_have_no_file(tmp_path: Path) -> None:
    s = site(tmp_path)
    for address in (
        "/admin/",
        "/curate/links/",
        "/reading-list/",
        "/api/entries",
        "/entries/3/cite/",
        "/countries/pe/?style=apa",
        "/topics/forced-labour/?sort=new",
        "/sitemap-entries.xml?p=two",
        "/archive/99/",  # no such snapshot
    ):
        path, _, query = address.partition("?")
        assert s.target(path, query) is None, address
    assert not s.queue


def test_feed_addresses_are_absolute_under_the_base_url(tmp_path: Path) -> None:
    s = site(tmp_path)
    feed = (
        '<link href="https://example.org/lantern/countries/pe/" rel="alternate"/>'
        "<id>https://example.org/lantern/compare/?region=419&amp;x=</id>"
        "<loc>https://example.org/lantern/sitemap-entries.xml?p=2</loc>"
        '<link href="https://example.org/lantern/search/?q=a&amp;b=c"/>'
        '<link href="https://other.example/countries/pe/"/>'
    )
    assert s._absolute(feed) == (
        '<link href="https://example.org/lantern/countries/pe/" rel="alternate"/>'
        "<id>https://example.org/lantern/compare/?region=419&amp;x=</id>"
        "<loc>https://example.org/lantern/sitemap-entries-p2.xml</loc>"
        '<link href="https://example.org/lantern/search/?q=a"/>'
        '<link href="https://other.example/countries/pe/"/>'
    )
