"""Schemathesis generates requests from the OpenAPI document for every operation,
valid and invalid, and sends them through the WSGI app to a populated library: no
answer may be a server error, and every answer must match the document (status
codes, content types, the response schemas)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app() -> Iterator[object]:
    """The site's WSGI app, sharing the test's database connection (a request
    would otherwise close it, and the test's transaction with it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _run(operation, mode: GenerationMode, examples: int, checks, **fixed) -> list[int]:  # type: ignore[no-untyped-def]
    """Run the checks on up to `examples` generated requests; the statuses seen."""
    statuses: list[int] = []

    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:  # type: ignore[no-untyped-def]
        response = case.call_and_validate(checks=checks)
        statuses.append(response.status_code)

    run()
    return statuses


def test_no_operation_fails_or_breaks_its_schema(library, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    seen: dict[str, set[int]] = {}
    for operation in operations:
        valid = _run(operation, GenerationMode.POSITIVE, 40, CHECKS)
        invalid = _run(
            operation, GenerationMode.NEGATIVE, 25, [*CHECKS, negative_data_rejection]
        )
        seen[operation.label] = set(valid) | set(invalid)
        assert len(valid) >= 5 and len(invalid) >= 5, operation.label
    # Stored entries and countries too, with every other parameter generated.
    by_label = {operation.label: operation for operation in operations}
    for label, path in [
        ("GET /api/entries/{entry_id}", {"entry_id": library.kilns.pk}),
        ("GET /api/entries/{entry_id}/accesses", {"entry_id": library.cocoa.pk}),
        ("GET /api/countries/{code}", {"code": "pe"}),
    ]:
        statuses = _run(
            by_label[label], GenerationMode.POSITIVE, 15, CHECKS, path_parameters=path
        )
        assert 200 in statuses, label
    # Requests were answered, both with data and with refusals naming a parameter.
    assert all(200 in s or 404 in s for s in seen.values()), seen
    assert all(400 in s for s in seen.values()), seen
