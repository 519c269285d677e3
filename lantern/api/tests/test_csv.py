"""The CSV form of every list: parsed back with `csv`, it holds what the JSON holds."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from lantern.api.tables import cell
from lantern.api.tests.conftest import get_json

LISTS = [
    ("/api/entries", {}),
    ("/api/entries", {"country": "GH"}),
    ("/api/countries", {"with_entries": "true"}),
    ("/api/helplines", {}),
    ("/api/topics", {"limit": 10}),
    ("/api/search", {"q": "cocoa"}),
]


def read_csv(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content[:1000]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def as_cell(value: Any) -> str:
    """What the JSON's value should read as in the CSV."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text


@pytest.mark.parametrize(("url", "params"), LISTS)
def test_csv_has_a_header_and_the_same_rows_as_the_json(client, library, url, params):
    data = get_json(client, url, **params)
    rows = read_csv(client.get(url, {**params, "format": "csv"}))
    assert data["results"], "the comparison needs rows"
    assert list(rows[0]) == list(data["results"][0])
    assert len(rows) == len(data["results"])
    for row, item in zip(rows, data["results"], strict=True):
        assert row == {k: as_cell(v) for k, v in item.items()}


def test_accesses_as_csv_match_the_json(client, library):
    url = f"/api/entries/{library.cocoa.pk}/accesses"
    data = get_json(client, url)
    rows = read_csv(client.get(url, {"format": "csv"}))
    assert [r["outcome"] for r in rows] == [a["outcome"] for a in data["results"]]
    assert rows[1]["http_status"] == "200" and rows[1]["verifies"] == "true"


def test_accept_text_csv_asks_for_csv(client, library):
    response = client.get("/api/helplines", HTTP_ACCEPT="text/csv")
    assert len(read_csv(response)) == 3
    json_wins = client.get("/api/helplines", HTTP_ACCEPT="application/json, text/csv")
    assert json_wins["Content-Type"].startswith("application/json")
    explicit = client.get("/api/helplines", {"format": "json"}, HTTP_ACCEPT="text/csv")
    assert explicit["Content-Type"].startswith("application/json")


def test_csv_pages_like_json_with_the_next_page_in_a_link_header(client, library):
    first = client.get("/api/entries", {"format": "csv", "limit": 10})
    rows = read_csv(first)
    assert len(rows) == 10
    link = first["Link"]
    assert link.startswith("<http://testserver/api/entries?") and link.endswith(
        '>; rel="next"'
    )
    second = client.get(link[1 : link.index(">")])
    rest = read_csv(second)
    assert "Link" not in second
    ids = [int(r["id"]) for r in rows + rest]
    assert ids == library.ids()


def test_formula_text_is_defused_and_lists_are_joined(client, library):
    rows = read_csv(client.get("/api/entries", {"format": "csv", "limit": 500}))
    by_id = {int(r["id"]): r for r in rows}
    assert by_id[library.review.pk]["title"].startswith("'=HYPERLINK(")
    assert by_id[library.kilns.pk]["authors"] == "'-Dash, Leading; Ravi Kumar"
    assert by_id[library.cocoa.pk]["topics"] == "agriculture; child-labour"
    helplines = read_csv(client.get("/api/helplines", {"format": "csv"}))
    assert "'@Line =1+1" in [h["organisation"] for h in helplines]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+33 1", "'+33 1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=x", "'\t=x"),
        ("plain", "plain"),
        (-3, "-3"),
        (None, ""),
        (["=a", "b"], "'=a; b"),
    ],
)
def test_cells(value, expected):
    assert cell(value) == expected


def test_an_unknown_format_is_refused(client, library):
    error = get_json(client, "/api/entries", expect=400, format="xml")
    assert error["parameter"] == "format"
