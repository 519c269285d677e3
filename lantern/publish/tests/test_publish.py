"""`lantern publish` on the demo library: a static site whose every link works,
with feeds, sitemap, archived copies and Pagefind search, rewritten incrementally."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from lantern.capture.models import Snapshot
from lantern.capture.warc import store_warc
from lantern.core.http import FetchResult
from lantern.core.tests.database import restore_reference_state
from lantern.library.demo import load_demo
from lantern.library.models import Country, Entry
from lantern.library.reference import load_reference_data
from lantern.publish.output import MANIFEST_NAME
from lantern.publish.services import PublishError, PublishResult, publish
from lantern.publish.tests.sitecheck import (
    broken_references,
    file_for_address,
    html_files,
    xml_addresses,
)

# Every test is a database test, so pytest-django's ordering keeps the module's
# tests together and the published site is built once.
pytestmark = pytest.mark.django_db

ARCHIVED_PAGE = (
    b"<!DOCTYPE html><html><head><title>Archived report</title>"
    b"<script>document.title = 'ran'</script></head>"
    b'<body><p>Original text.</p><a href="/elsewhere">a link</a></body></html>'
)


@dataclass
class Built:
    root: Path
    result: PublishResult
    entries: list[int]
    snapshot: int


@pytest.fixture(scope="module")
def built(
    django_db_setup: None,
    django_db_blocker: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Built]:
    """The demo library (plus one archived copy) published once for the module.
    The library is committed, as `--jobs` needs (workers read it on connections of
    their own), and every table is emptied afterwards, reference facts put back."""
    media = tmp_path_factory.getbasetemp() / "media"
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    with (
        django_db_blocker.unblock(),  # type: ignore[attr-defined]
        override_settings(MEDIA_ROOT=media, STORAGES=storages),
    ):
        try:
            if not Country.objects.exists():  # emptied by a transactional test
                load_reference_data()
            assert load_demo(force=True)
            entries = list(Entry.objects.order_by("pk").values_list("pk", flat=True))
            entry = Entry.objects.get(pk=entries[0])
            fetched = FetchResult(
                url="https://reports.example.org/peru",
                final_url="https://reports.example.org/peru",
                status=200,
                reason="OK",
                http_version="HTTP/1.1",
                headers=[("Content-Type", "text/html; charset=utf-8")],
                raw_body=ARCHIVED_PAGE,
                body=ARCHIVED_PAGE,
            )
            when = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
            stored = store_warc(fetched, captured_at=when)
            snapshot = Snapshot.objects.create(
                entry=entry,
                url=fetched.url,
                final_url=fetched.final_url,
                captured_at=when,
                http_status=200,
                content_type="text/html; charset=utf-8",
                warc_path=stored.path,
                warc_size=stored.size,
                payload_sha256=stored.payload_sha256,
                payload_size=stored.payload_size,
                title="Archived report",
            )
            root = tmp_path_factory.mktemp("published") / "site"
            result = publish(root)
            yield Built(root, result, entries, snapshot.pk)
        finally:
            call_command("flush", interactive=False, verbosity=0)
            restore_reference_state()


def copy_site(built: Built, tmp_path: Path) -> Path:
    """A copy of the published site, modification times kept, to publish again."""
    copy = tmp_path / "site"
    shutil.copytree(built.root, copy)
    return copy


def manifest(root: Path) -> dict[str, str]:
    return dict(json.loads((root / MANIFEST_NAME).read_text())["files"])


def test_every_page_of_the_library_is_published(built: Built) -> None:
    root = built.root
    expected = [
        "index.html",
        "countries/index.html",
        "countries/pe/index.html",
        "countries/pe/entries.atom",
        "topics/index.html",
        "map/index.html",
        "compare/index.html",
        "compare/region-419/index.html",  # Latin America and the Caribbean
        "help/index.html",
        "about/index.html",
        "search/index.html",
        "feeds/entries.atom",
        "sitemap.xml",
        "robots.txt",
        "static/web/lantern.css",
        f"archive/{built.snapshot}/index.html",
        f"archive/{built.snapshot}/raw/index.html",
    ] + [f"entries/{pk}/index.html" for pk in built.entries]
    missing = [rel for rel in expected if not (root / rel).is_file()]
    assert missing == []
    assert built.result.pages > len(expected)
    assert built.result.written == built.result.files


def test_every_internal_link_and_asset_resolves(built: Built) -> None:
    assert broken_references(built.root) == []
    # Links are relative, to index.html files, so the site works under any path.
    home = (built.root / "entries" / str(built.entries[0]) / "index.html").read_text()
    assert 'href="../../countries/pe/index.html"' in home
    assert 'href="../../static/web/lantern.css"' in home


def test_feeds_and_sitemaps_parse_and_name_published_files(built: Built) -> None:
    xml_files = sorted(built.root.rglob("*.atom")) + sorted(
        built.root.glob("sitemap*.xml")
    )
    assert len(xml_files) > 10
    unresolved = [
        (path.name, address)
        for path in xml_files
        for address in xml_addresses(path)
        if file_for_address(built.root, address) is None
    ]
    assert unresolved == []
    sitemap_pages = xml_addresses(built.root / "sitemap-entries.xml")
    assert {f"/entries/{pk}/" for pk in built.entries} <= set(sitemap_pages)
    assert "Sitemap: /sitemap.xml" in (built.root / "robots.txt").read_text()


def test_no_live_only_control_or_placeholder_remains(built: Built) -> None:
    offending = []
    for page in html_files(built.root):
        if page.parent.name == "raw":
            continue
        text = page.read_text()
        if re.search(r"<form[^>]*method=\"?post", text, re.I):
            offending.append(f"{page}: POST form")
        if "/admin/" in text or "/curate/" in text or "reading-list/" in text:
            offending.append(f"{page}: curator or reading-list link")
        if "lantern-publish.invalid" in text or "testserver" in text:
            offending.append(f"{page}: placeholder address")
        if re.search(r"href=\"[^\"]*cite/\?style=", text):
            offending.append(f"{page}: live citation link")
        if "/language/" in text or 'class="language-nav"' in text:
            offending.append(f"{page}: language switcher (needs a server)")
    assert offending == []
    entry = (built.root / "entries" / str(built.entries[0]) / "index.html").read_text()
    assert "BibTeX" in entry  # the text of the unlinked live-only control stays
    # The comparison's choice forms need a server; its region links stay.
    compare = (built.root / "compare" / "region-419" / "index.html").read_text()
    assert "<form" not in compare
    assert 'href="../region-005/index.html"' in compare
    assert "Curators’ sign-in" not in entry
    # The static site is published in English.
    assert '<html lang="en">' in entry


def test_search_index_covers_entries_countries_and_topics(built: Built) -> None:
    root = built.root
    assert built.result.search_ran
    info = json.loads((root / "pagefind" / "pagefind-entry.json").read_text())
    indexed = sum(lang["page_count"] for lang in info["languages"].values())
    assert indexed == built.result.indexed_pages
    assert indexed >= len(built.entries) + 200  # entries, every country, topics
    search = (root / "search" / "index.html").read_text()
    assert 'src="../pagefind/pagefind-ui.js"' in search
    assert (root / "pagefind" / "pagefind-ui.js").is_file()
    entry = (root / "entries" / str(built.entries[0]) / "index.html").read_text()
    assert "<main data-pagefind-body" in entry
    assert 'data-pagefind-filter="country">Peru</span>' in entry
    about = (root / "about" / "index.html").read_text()
    assert "data-pagefind-body" not in about
    # The header's search link goes to the static search page.
    assert 'href="../search/index.html"' in about


def indexed_text(root: Path) -> dict[str, str]:
    """What Pagefind indexed of each page (its fragments: gzip, a signature, then
    JSON), by the page's address (its folder, as the live site writes it)."""
    import gzip

    texts = {}
    for fragment in (root / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{") :])
        texts[record["url"].removesuffix("index.html")] = record["content"]
    return texts


def test_search_indexes_each_text_once_on_its_own_page(built: Built) -> None:
    """Readers' searches match an entry on its own page (title, source, excerpt),
    not every list that shows it, nor the citations and records around it: this
    is also what keeps Pagefind's memory within reach at 100,000 entries."""
    texts = indexed_text(built.root)
    entry = Entry.objects.exclude(excerpt=[]).select_related("primary_country").first()
    assert entry is not None and entry.primary_country is not None
    mine = texts[f"/entries/{entry.pk}/"]
    assert entry.title in mine
    assert entry.excerpt[0][:60] in mine
    for left_out in ("Cite this source", "Access history", "Provenance", "BibTeX"):
        assert left_out not in mine
    country = texts[f"/countries/{entry.primary_country.slug}/"]
    assert entry.primary_country.name in country
    assert "HELP for Victims" in country
    assert entry.title not in country  # listed there, indexed on its own page
    assert "Cite this page" not in country
    others = [url for url, text in texts.items() if entry.excerpt[0][:60] in text]
    assert others == [f"/entries/{entry.pk}/"]


def test_archived_copy_is_published_without_running_its_scripts(built: Built) -> None:
    folder = built.root / "archive" / str(built.snapshot)
    frame = (folder / "index.html").read_text()
    assert 'src="raw/index.html"' in frame
    raw = (folder / "raw" / "index.html").read_bytes()
    assert raw.startswith(b'<!DOCTYPE html><meta http-equiv="Content-Security-Policy"')
    assert b"default-src 'none'" in raw
    assert b"<p>Original text.</p>" in raw


# Workers read the library on connections of their own, so this test runs outside
# a transaction (pytest-django runs it after the module's other tests).
@pytest.mark.django_db(transaction=True)
def test_a_second_run_in_two_processes_writes_nothing(
    built: Built, tmp_path: Path
) -> None:
    """Workers render every page to the same bytes as one process did, so a second
    run with `--jobs 2` finds every file as it was."""
    root = copy_site(built, tmp_path)
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    result = publish(root, jobs=2)
    assert result.pages == built.result.pages > 1000
    assert (result.written, result.deleted) == (0, 0)
    assert result.unchanged == built.result.files
    assert not result.search_ran
    after = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    changed = [p for p in before if after.get(p) != before[p]]
    assert [p.name for p in changed] == [MANIFEST_NAME]


@pytest.mark.django_db
def test_changed_and_deleted_entries_rewrite_only_pages_that_show_them(
    built: Built, tmp_path: Path
) -> None:
    root = copy_site(built, tmp_path)
    old = manifest(root)
    entry = Entry.objects.get(pk=built.entries[1])
    gone = Entry.objects.get(pk=built.entries[-1])
    showed_gone = {
        rel
        for rel in old
        if rel.endswith((".html", ".atom")) and gone.title in (root / rel).read_text()
    }
    # Its countries' neighbours show how many entries those countries have.
    neighbour_pages = {
        f"countries/{n.slug}/index.html"
        for c in gone.countries.all()
        for n in c.neighbours.all()
    }
    entry.title = "A retitled report on forced labour in Peru"
    entry.save()
    gone.delete()
    result = publish(root, search=False)
    new = manifest(root)
    changed = {rel for rel in new if new[rel] != old.get(rel)}
    assert f"entries/{entry.pk}/index.html" in changed
    assert result.written == len(changed)
    # Pages that count entries (comparisons, regions, the map, indexes, about,
    # neighbouring countries) change with a deletion; every other changed file
    # shows one of the two entries.
    counting = ("compare/", "regions/", "map/", "sitemap", "index.html", "about/")
    unexplained = sorted(
        rel
        for rel in changed
        if not rel.startswith(counting)
        and rel not in ("countries/index.html", "topics/index.html")
        and rel not in showed_gone
        and rel not in neighbour_pages
        and entry.title not in (root / rel).read_text()
    )
    assert not unexplained, "\n".join(unexplained)
    other_entries = [
        rel
        for rel in changed
        if rel.startswith("entries/")
        and rel != f"entries/{entry.pk}/index.html"
        and rel not in showed_gone
    ]
    assert other_entries == []
    assert "countries/fr/index.html" not in changed
    assert len(changed) < len(new) // 10
    # The deleted entry's page is gone, and nothing links to it any more.
    assert not (root / "entries" / str(gone.pk)).exists()
    assert f"entries/{gone.pk}/index.html" not in new
    assert result.deleted >= 1
    assert broken_references(root) == []


@pytest.mark.django_db
def test_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(PublishError, match=r"not empty.*--force"):
        publish(tmp_path)
    with pytest.raises(CommandError, match="not empty"):
        call_command("publish", str(tmp_path))
    assert (tmp_path / "notes.txt").read_text() == "keep me"
    assert not (tmp_path / MANIFEST_NAME).exists()


@pytest.mark.django_db
def test_refuses_bad_places_and_addresses(tmp_path: Path) -> None:
    static = Path(__file__).resolve().parents[2] / "web" / "static" / "site"
    with pytest.raises(PublishError, match=r"OUT_DIR .* overlaps"):
        publish(static)
    assert not static.exists()
    (tmp_path / "file").write_text("x")
    with pytest.raises(PublishError, match="not a folder"):
        publish(tmp_path / "file")
    with pytest.raises(
        PublishError, match=re.escape("--base-url 'lantern.example.org'")
    ):
        publish(tmp_path / "out", base_url="lantern.example.org")
