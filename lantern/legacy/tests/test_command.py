"""`lantern import` as a curator runs it: summary line, file:line messages, exit status."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.library.models import Entry

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_seed_prints_one_summary_line(seed_path: Path) -> None:
    out, _ = run(str(seed_path))
    summary = out.strip().splitlines()[-1]
    assert summary.startswith("pages 1 (country 1; created 1)")
    assert "entries 15 (current 2, archive 13; created 15)" in summary
    assert "accesses 20" in summary
    assert "unparsed 0" in summary

    out, _ = run(str(seed_path))
    assert "unchanged 15" in out.strip().splitlines()[-1]
    assert Entry.objects.count() == 15


def test_unparsed_lines_are_listed_with_file_and_line(
    tmp_path: Path, seed_path: Path
) -> None:
    lines = seed_path.read_text(encoding="utf-8").splitlines()
    coverage = next(i for i, x in enumerate(lines) if x.startswith("Published reports"))
    # A stray line in the header, where it belongs to nothing.
    lines.insert(coverage + 1, "PLACEHOLDER BANNER")
    text = "\n".join(lines)
    page = tmp_path / "Peru.htm.txt"
    page.write_text(text, encoding="utf-8")
    out, _ = run(str(page))
    line = text.splitlines().index("PLACEHOLDER BANNER") + 1
    assert f"{page}:{line}: unparsed: PLACEHOLDER BANNER" in out
    assert "unparsed 1" in out.strip().splitlines()[-1]
    with pytest.raises(CommandError, match="1 lines could not be parsed"):
        run(str(page), "--strict")


def test_bad_files_fail_with_their_names(tmp_path: Path, seed_path: Path) -> None:
    empty = tmp_path / "empty.htm"
    empty.write_bytes(b"")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 files could not be imported"):
        call_command("import", str(empty), str(seed_path), stdout=out, stderr=err)
    assert f"{empty}: error: empty file" in err.getvalue()
    # The good file was imported all the same.
    assert Entry.objects.count() == 15


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file or folder"):
        run(str(tmp_path / "nope.htm"))


def test_dry_run_stores_nothing(seed_path: Path) -> None:
    out, _ = run(str(seed_path), "--dry-run")
    assert out.strip().splitlines()[-1].startswith("dry run · pages 1")
    assert not Entry.objects.exists()


def test_folder_import_reads_every_page(tmp_path: Path, seed_path: Path) -> None:
    (tmp_path / "humantrafficking").mkdir()
    (tmp_path / "humantrafficking" / "Peru.htm").write_bytes(seed_path.read_bytes())
    (tmp_path / "notes.md").write_text("not a page")
    out, _ = run(str(tmp_path))
    assert "pages 1" in out.strip().splitlines()[-1]
