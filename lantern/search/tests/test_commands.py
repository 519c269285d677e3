"""`lantern search`: the same search as the page, as text or JSON."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lantern.search.management.commands.search import Command


def run(*args: str) -> str:
    out = StringIO()
    call_command("search", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str) -> dict:  # type: ignore[type-arg]
    return json.loads(run(*args, "--format", "json"))


def test_json_lists_hits_and_facet_counts(library):
    data = run_json("cocoa")
    assert data["total"] == 3
    assert [h["id"] for h in data["hits"]] == [
        library.cocoa_title.pk,
        library.cocoa_thrice.pk,
        library.cocoa_once.pk,
    ]
    first = data["hits"][0]
    assert set(first) >= {"id", "title", "countries", "score", "snippet"}
    assert first["title"] == library.cocoa_title.title
    assert first["countries"] == ["GH"]
    assert isinstance(first["score"], float) and first["score"] > 0
    # Snippets are plain text: the marks are dropped, the text unescaped.
    assert "<mark>" not in first["snippet"]
    assert "Ashanti" in first["snippet"]
    assert sorted(data["hits"][2]["countries"]) == ["CI", "GH"]
    facets = data["facets"]
    assert {v["value"]: v["count"] for v in facets["country"]} == {
        "GH": 2,
        "TH": 1,
        "CI": 1,
    }
    assert {"value": "GH", "label": "Ghana", "count": 2} in facets["country"]
    assert set(facets) == {"country", "region", "topic", "kind", "format",
                           "section", "decade", "year", "status"}  # fmt: skip


def test_snippets_in_json_keep_the_text_as_written(library):
    (hit,) = run_json("bondage")["hits"]
    assert '"<script>alert(1)</script>" & fled debt bondage' in hit["snippet"]


def test_country_and_topic_options_filter(library):
    data = run_json("cocoa", "--country", "gh")
    assert [h["id"] for h in data["hits"]] == [
        library.cocoa_title.pk,
        library.cocoa_once.pk,
    ]
    assert data["filters"] == {"country": ["GH"]}
    data = run_json("cocoa", "--topic", "fishing")
    assert [h["id"] for h in data["hits"]] == [library.cocoa_thrice.pk]
    data = run_json("cocoa", "--filter", "decade=2010", "--filter", "kind=news")
    assert [h["id"] for h in data["hits"]] == [library.cocoa_title.pk]


def test_sort_and_pages(library):
    data = run_json("cocoa", "--sort", "published", "--limit", "2", "--page", "2")
    assert data["total"] == 3
    assert data["page"] == 2
    assert [h["id"] for h in data["hits"]] == [library.cocoa_thrice.pk]
    assert data["hits"][0]["score"] is None


def test_text_output(library):
    out = run("cocoa", "--country", "GH")
    lines = out.splitlines()
    assert lines[0].startswith(f"1. [{library.cocoa_title.pk}] Cocoa farms in Ghana")
    assert "(GH)" in lines[0]
    assert "score" in lines[0]
    assert "Country: Ghana 2" in out
    assert out.rstrip().endswith("entries 2 · page 1 of 1")


def test_several_words_make_one_query(library):
    assert run_json("cocoa", "ashanti")["total"] == 1
    assert run_json('"child labour"')["total"] == 1
    assert run_json("cocoa", "OR", "kilns")["total"] == 4


def test_nothing_found(library):
    data = run_json("xylophone")
    assert data["total"] == 0
    assert data["hits"] == []
    assert data["facets"] == {}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"debt', "quotation mark"),
        ("(cocoa", "not closed"),
        ("cocoa)", "without a matching"),
        ("OR", "OR"),
        ("*", "beginning of a word"),
        ("-cocoa -kilns", "not only what to leave out"),
        ("x" * 600, "too long"),
    ],
)
def test_a_malformed_query_is_a_clear_error(library, query, message):
    with pytest.raises(CommandError, match=message):
        run(query)


def test_a_minus_sign_after_the_options_marker_excludes(library):
    assert json.loads(run("--format", "json", "--", "cocoa", "-fishing"))["total"] == 2
    assert run_json("cocoa -fishing")["total"] == 2


def test_a_malformed_query_exits_non_zero_without_a_traceback(library, capsys):
    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["lantern", "search", '"debt bondage'])
    assert exit_.value.code != 0
    err = capsys.readouterr().err
    assert "quotation mark" in err
    assert "Traceback" not in err


def test_a_bad_filter_is_a_clear_error(library):
    with pytest.raises(CommandError, match="FACET=VALUE"):
        run("cocoa", "--filter", "colour=red")
    with pytest.raises(CommandError, match="FACET=VALUE"):
        run("cocoa", "--filter", "country")
