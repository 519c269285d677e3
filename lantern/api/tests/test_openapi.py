"""The OpenAPI document, and the interactive docs page built on it."""

from __future__ import annotations

import re
from typing import get_args

import lxml.html
from openapi_spec_validator import validate

from lantern.api.api import api
from lantern.api.parameters import (
    Collection,
    EntryFormat,
    LinkStatus,
    PublisherKind,
    Section,
    SortName,
)
from lantern.library.models import Access, Entry, Publisher
from lantern.search.facets import SORTS

OPERATIONS = {
    "/api/countries",
    "/api/countries/{code}",
    "/api/entries",
    "/api/entries/{entry_id}",
    "/api/entries/{entry_id}/accesses",
    "/api/search",
    "/api/helplines",
    "/api/topics",
}


def test_the_openapi_document_validates(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert set(document["paths"]) == OPERATIONS


def test_every_operation_is_a_documented_get_with_its_errors(client, db):
    document = client.get("/api/openapi.json").json()
    for path, item in document["paths"].items():
        assert set(item) == {"get"}, path
        responses = item["get"]["responses"]
        assert {"200", "400", "429"} <= set(responses), path
        error = responses["429"]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/ErrorOut"}
        if "{" in path:
            assert "404" in responses, path


def test_every_list_documents_its_csv_form_and_pagination(client, db):
    document = client.get("/api/openapi.json").json()
    lists = OPERATIONS - {"/api/countries/{code}", "/api/entries/{entry_id}"}
    for path in lists:
        operation = document["paths"][path]["get"]
        assert "text/csv" in operation["responses"]["200"]["content"], path
        names = {p["name"] for p in operation["parameters"]}
        assert {"limit", "cursor", "format"} <= names, path


def test_the_description_documents_rate_limits_pagination_and_csv():
    text = api.get_openapi_schema(path_prefix="/api/")["info"]["description"]
    assert "60 requests a minute" in text
    assert "Retry-After" in text
    assert "LANTERN_API_RATE" in text
    assert "cursor" in text and "`next`" in text
    assert "format=csv" in text and "formula" in text


def test_the_docs_page_loads_swagger_ui_from_this_site(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.content)
    sources = doc.xpath("//script/@src") + doc.xpath("//link/@href")
    assert sources, "the page names its script and stylesheet"
    for source in sources:
        # Swagger UI's files, and Lantern's own contrast fixes for them.
        assert source.startswith(("/api/docs/assets/", "/static/api/")), source
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert b"".join(asset.streaming_content)
    assert not re.search(rb"https?://", response.content.replace(b"http://www.w3", b""))
    settings_json = doc.xpath("//script[@id='swagger-settings']/text()")[0]
    assert '"url": "/api/openapi.json"' in settings_json


def test_only_swagger_files_are_served_as_assets(client, db):
    assert client.get("/api/docs/assets/__init__.py").status_code == 404
    assert client.get("/api/docs/assets/..%2F__init__.py").status_code == 404


def test_the_documented_choices_follow_the_library():
    assert set(get_args(EntryFormat)) == set(Entry.Format.values)
    assert set(get_args(PublisherKind)) == set(Publisher.Kind.values)
    assert set(get_args(LinkStatus)) == {*Access.Outcome.values, "unchecked"}
    assert set(get_args(SortName)) == set(SORTS)
    assert set(get_args(Section)) == set(Entry.Section.values)
    assert set(get_args(Collection)) == set(Entry.Collection.values)


def test_lists_vary_on_accept(client, db):
    for params in ({}, {"format": "csv"}):
        response = client.get("/api/topics", params)
        assert "Accept" in response["Vary"]
