"""WARC files written from real fetches (FakeWeb on 127.0.0.1) and read back with
warcio: request and response records, the raw gzip body kept as received, PDFs,
a body cut at the size cap."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import re

import pytest
from django.core.files.storage import default_storage
from warcio.archiveiterator import ArchiveIterator

from lantern import __version__
from lantern.capture.fetching import fetch_once
from lantern.capture.tests.conftest import KILN_PDF, page
from lantern.capture.warc import (
    CHUNKED_ALIAS,
    fetch_result,
    read_warc,
    read_warc_stream,
    store_warc,
    warc_bytes,
)
from lantern.core.fakeweb import FakeWeb
from lantern.core.http import FetchResult, Limits

WHEN = dt.datetime(2026, 11, 28, 12, 30, tzinfo=dt.UTC)


def records(path: str) -> list:
    """Each record of a stored WARC as (type, WARC headers, HTTP headers, raw body,
    decoded body), read with warcio alone."""
    out = []
    with default_storage.open(path, "rb") as handle:
        for record in ArchiveIterator(handle):
            raw = record.raw_stream.read()
            out.append((record.rec_type, record.rec_headers, record.http_headers, raw))
    return out


def test_gzip_response_is_archived_as_received_and_reads_back_decoded(web: FakeWeb):
    result = fetch_once(web.url("/gold-gz"))
    stored = store_warc(result, captured_at=WHEN)
    assert re.fullmatch(r"warcs/2026/11/[0-9a-f]{64}\.warc\.gz", stored.path)
    with default_storage.open(stored.path, "rb") as handle:
        data = handle.read()
    assert data[:2] == b"\x1f\x8b" and len(data) == stored.size
    assert hashlib.sha256(data).hexdigest() == stored.sha256 in stored.path

    kinds = [r[0] for r in records(stored.path)]
    assert kinds == ["warcinfo", "response", "request", "metadata"]
    info, response, request, metadata = records(stored.path)
    assert f"software: Lantern/{__version__}" in info[3].decode()

    # The response: status line and headers as received, body still gzipped.
    _, warc_headers, http_headers, raw = response
    assert warc_headers.get_header("WARC-Target-URI") == web.url("/gold-gz")
    assert warc_headers.get_header("WARC-Date").startswith("2026-11-28T12:30:00")
    assert warc_headers.get_header("WARC-Payload-Digest").startswith("sha1:")
    assert http_headers.get_statuscode() == "200"
    assert http_headers.get_header("Content-Encoding") == "gzip"
    assert raw == result.raw_body and raw[:2] == b"\x1f\x8b"
    assert gzip.decompress(raw) == page("andean-observer-gold.html")

    # The request: the method, path and headers we sent, tied to the response.
    _, request_warc, request_http, _ = request
    assert request_http.protocol == "GET"
    assert request_http.get_header("User-Agent").find("Lantern/") > 0
    assert request_http.get_header("Accept-Encoding") == "gzip, deflate"
    assert request_warc.get_header("WARC-Concurrent-To") == warc_headers.get_header(
        "WARC-Record-ID"
    )
    assert json.loads(metadata[3])["final_url"] == web.url("/gold-gz")


def test_read_warc_gives_status_headers_and_the_decoded_payload(web: FakeWeb):
    result = fetch_once(web.url("/gold-gz"))
    archived = read_warc(store_warc(result).path)
    assert archived.status == 200 and archived.reason == "OK"
    assert archived.content_type == "text/html; charset=utf-8"
    assert archived.payload == page("andean-observer-gold.html") == result.body
    assert archived.raw_payload == result.raw_body
    assert archived.request_method == "GET" and archived.request_path == "/gold-gz"
    assert not archived.truncated


def test_pdf_is_archived_byte_for_byte(web: FakeWeb):
    archived = read_warc(store_warc(fetch_once(web.url("/kilns.pdf"))).path)
    assert archived.content_type == "application/pdf"
    assert archived.payload == KILN_PDF


def test_a_body_cut_at_the_cap_is_marked_truncated(web: FakeWeb):
    limits = Limits(max_bytes=100_000, total=5)
    result = fetch_once(web.url("/huge"), limits=limits)
    assert result.truncated
    stored = store_warc(result)
    response = next(r for r in records(stored.path) if r[0] == "response")
    assert response[1].get_header("WARC-Truncated") == "length"
    assert len(response[3]) == 100_000
    archived = read_warc(stored.path)
    assert archived.truncated and len(archived.payload) == 100_000
    assert stored.payload_size == 100_000


def test_redirects_are_kept_in_the_metadata_record(web: FakeWeb):
    result = fetch_once(web.url("/old-gold"))
    archived = read_warc(store_warc(result).path)
    assert archived.target_uri == web.url("/gold-moved")
    assert archived.info["redirects"] == [{"url": web.url("/old-gold"), "status": 301}]
    rebuilt = fetch_result(archived)
    assert rebuilt.url == web.url("/old-gold")
    assert [(h.url, h.status) for h in rebuilt.hops] == [(web.url("/old-gold"), 301)]
    assert rebuilt.body == result.body and rebuilt.status == 200


def test_a_dechunked_body_does_not_claim_to_be_chunked():
    body = b"<html><body><p>Forced labour on fishing boats.</p></body></html>"
    result = FetchResult(
        url="http://news.example.org/boats",
        final_url="http://news.example.org/boats",
        status=200,
        reason="OK",
        http_version="HTTP/1.1",
        headers=[("content-type", "text/html"), ("transfer-encoding", "chunked")],
        request_headers=[("host", "news.example.org"), ("user-agent", "Lantern")],
        raw_body=body,
        body=body,
    )
    archived = read_warc_stream(io.BytesIO(warc_bytes(result, captured_at=WHEN)))
    assert archived.header(CHUNKED_ALIAS) == "chunked"
    assert archived.header("transfer-encoding") == ""
    assert archived.payload == body  # warcio did not try to de-chunk it
    assert ("transfer-encoding", "chunked") in fetch_result(archived).headers


def test_a_failed_fetch_has_nothing_to_archive():
    with pytest.raises(ValueError, match="nothing to archive"):
        warc_bytes(FetchResult(url="http://x.example", error="dns"), captured_at=WHEN)
