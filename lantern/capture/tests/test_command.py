"""`lantern add URL`: what it prints, what it creates, and how it fails."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from lantern.capture.models import Snapshot
from lantern.core.fakeweb import FakeWeb
from lantern.library.models import Entry
from lantern.library.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    """Answers typed at a terminal."""

    def isatty(self) -> bool:
        return True


def run(*args: str, stdin: io.StringIO | None = None) -> str:
    out = io.StringIO()
    call_command(
        "add", *args, stdout=out, stderr=io.StringIO(), stdin=stdin or io.StringIO()
    )
    return out.getvalue()


def test_add_with_yes_prints_what_it_found_and_creates_the_entry(web: FakeWeb):
    output = run(web.url("/gold"), "--yes", "--pick", "1", "2")
    entry = Entry.objects.get()
    snapshot = Snapshot.objects.get()
    assert "title:      Gold, debt and silence" in output
    assert "authors:    María Quispe; John Carter" in output
    assert "publisher:  Andean Observer" in output
    assert "published:  12 March 2021 (2021-03-12, day)" in output
    assert "language:   en" in output
    assert "PE* 5 (Peru, Peruvian)" in output and "BO 1" in output
    assert "debt-bondage 10.0 (debt×2, debt bondage×1, owe×1)" in output
    assert "[1] score" in output and "[2] score" in output
    assert f"entry {entry.pk} · /entries/{entry.pk}/" in output
    assert "· alive · HTTP 200 ·" in output and "excerpt found: True" in output
    assert f"snapshot {snapshot.pk} · {snapshot.warc_path}" in output
    assert "added 1 entry · 1 access · 1 snapshot" in output
    assert len(entry.excerpt) == 2


def test_dry_run_shows_and_writes_nothing(web: FakeWeb):
    output = run(web.url("/kilns.pdf"), "--dry-run", "--country", "NP",
                 "--excerpt", "Children as young as ten carry loads of bricks")  # fmt: skip
    assert "pages:      2" in output
    assert "page 2" in output and "dry run · nothing written" in output
    assert not Entry.objects.exists() and not Snapshot.objects.exists()


def test_without_a_terminal_or_yes_nothing_is_written(web: FakeWeb):
    with pytest.raises(CommandError, match="confirm with --yes"):
        run(web.url("/press"))
    assert not Entry.objects.exists()


def test_a_curator_chooses_at_the_terminal(web: FakeWeb):
    answers = Terminal("TH\nforced-labour fishing\n1 3\ny\n")
    run(web.url("/press"), stdin=answers)
    entry = Entry.objects.get()
    assert entry.primary_country_id == "TH"
    assert set(entry.topics.values_list("slug", flat=True)) == {
        "forced-labour",
        "fishing",
    }
    assert len(entry.excerpt) == 2


def test_a_curator_can_say_no(web: FakeWeb):
    output = run(web.url("/press"), stdin=Terminal("\n\n\nn\n"))
    assert output.rstrip().endswith("nothing written")
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("not a url", "not a web address"),
        ("/no-such-page", "answered 404"),
        ("/reset", "could not fetch"),
    ],
)
def test_failures_are_clear_command_errors(web: FakeWeb, target: str, message: str):
    url = web.url(target) if target.startswith("/") else target
    with pytest.raises(CommandError, match=message):
        run(url, "--yes")


def test_duplicates_and_refused_addresses_are_command_errors(web: FakeWeb, settings):
    existing = EntryFactory(url=web.url("/gold"))
    with pytest.raises(CommandError, match=f"entry {existing.pk}"):
        run(web.url("/gold"), "--yes")
    settings.LANTERN_ALLOW_PRIVATE_NETWORKS = False
    with pytest.raises(CommandError, match="refused"):
        run(web.url("/press"), "--yes")


def test_pick_and_excerpt_exclude_each_other(web: FakeWeb):
    with pytest.raises(CommandError, match="not allowed with"):
        run(web.url("/press"), "--pick", "1", "--excerpt", "text")
