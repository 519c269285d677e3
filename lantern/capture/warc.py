"""WARC snapshots: one fetch written as a gzipped WARC file (warcinfo, request,
response and a metadata record with the redirect chain), stored through Django's
default storage under `warcs/YYYY/MM/<sha256 of the file>.warc.gz`, and read back.

The records are built by hand from our `FetchResult`, because warcio's automatic
capture only sees `http.client` traffic and Lantern fetches with httpx. The response
record keeps the body exactly as it came off the wire (still gzip-compressed when
the server sent `Content-Encoding: gzip`), so the WARC is the server's answer, not
our decoding of it. httpx has already undone any chunked transfer coding, so that
header is kept under another name (`X-Lantern-Orig-Transfer-Encoding`) and replay
tools do not try to de-chunk a body that is not chunked. A body cut at the size cap
is marked `WARC-Truncated: length`.

All file access goes through `django.core.files.storage.default_storage`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from lantern import __version__
from lantern.core.http import FetchResult, Hop, decode_body

SOFTWARE = f"Lantern/{__version__}"
CHUNKED_ALIAS = "X-Lantern-Orig-Transfer-Encoding"


@dataclass(frozen=True)
class StoredWarc:
    """A WARC file in storage, and what its response held."""

    path: str
    size: int
    sha256: str  # of the WARC file
    payload_sha256: str  # of the decoded body (what a reader sees)
    payload_size: int
    captured_at: dt.datetime


@dataclass
class ArchivedResponse:
    """A WARC's response (and request) read back."""

    target_uri: str
    captured_at: dt.datetime | None
    status: int
    reason: str
    http_version: str
    headers: list[tuple[str, str]]
    payload: bytes  # decoded (Content-Encoding undone)
    raw_payload: bytes  # as stored
    truncated: bool
    request_method: str = ""
    request_path: str = ""
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)  # the metadata record

    def header(self, name: str) -> str:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), "")

    @property
    def content_type(self) -> str:
        return self.header("content-type")


def _warc_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _response_headers(result: FetchResult) -> list[tuple[str, str]]:
    headers = []
    for name, value in result.headers:
        if name.lower() == "transfer-encoding":
            headers.append((CHUNKED_ALIAS, value))
        else:
            headers.append((name, value))
    return headers


def _request_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def warc_bytes(
    result: FetchResult, *, captured_at: dt.datetime, filename: str = ""
) -> bytes:
    """The gzipped WARC of one successful fetch (it must have a status)."""
    if result.status is None:
        raise ValueError(f"nothing to archive: {result.error or 'no response'}")
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    date = _warc_date(captured_at)
    target = result.final_url or result.url
    protocol = result.http_version or "HTTP/1.1"
    writer.write_record(
        writer.create_warcinfo_record(
            filename,
            {
                "software": SOFTWARE,
                "format": "WARC File Format 1.1",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
                "description": "A page cited by a Lantern evidence library entry.",
            },
        )
    )
    request = writer.create_warc_record(
        target,
        "request",
        http_headers=StatusAndHeaders(
            f"GET {_request_target(target)} {protocol}",
            list(result.request_headers),
            is_http_request=True,
        ),
        warc_headers_dict={"WARC-Date": date},
    )
    response_headers = {"WARC-Date": date}
    if result.truncated:
        response_headers["WARC-Truncated"] = "length"
    response = writer.create_warc_record(
        target,
        "response",
        payload=io.BytesIO(result.raw_body),
        length=len(result.raw_body),
        http_headers=StatusAndHeaders(
            f"{result.status} {result.reason}".strip(),
            _response_headers(result),
            protocol=protocol,
        ),
        warc_headers_dict=response_headers,
    )
    writer.write_request_response_pair(request, response)
    info = {
        "requested_url": result.url,
        "final_url": target,
        "redirects": [{"url": h.url, "status": h.status} for h in result.hops],
        "elapsed_ms": round(result.elapsed * 1000),
        "truncated": result.truncated,
        "software": SOFTWARE,
    }
    writer.write_record(
        writer.create_warc_record(
            target,
            "metadata",
            payload=io.BytesIO(json.dumps(info, indent=1).encode()),
            warc_content_type="application/json",
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
    )
    return buffer.getvalue()


def store_warc(
    result: FetchResult, *, captured_at: dt.datetime | None = None
) -> StoredWarc:
    """Write the WARC of a fetch to storage. Touches storage only."""
    captured_at = captured_at or timezone.now()
    data = warc_bytes(result, captured_at=captured_at)
    digest = hashlib.sha256(data).hexdigest()
    name = f"warcs/{captured_at:%Y/%m}/{digest}.warc.gz"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    return StoredWarc(
        path=name,
        size=len(data),
        sha256=digest,
        payload_sha256=hashlib.sha256(result.body).hexdigest(),
        payload_size=len(result.body),
        captured_at=captured_at,
    )


def delete_warc(path: str) -> None:
    """Remove a stored WARC (one whose entry was never saved). Touches storage."""
    if path and default_storage.exists(path):
        default_storage.delete(path)


def _parse_warc_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def read_warc(path: str) -> ArchivedResponse:
    """The response (with its request and metadata) of a stored WARC. The payload
    comes decoded by warcio's `content_stream()`, or by our own decoder when a body
    cut at the size cap ends mid-stream. Raises FileNotFoundError when missing,
    ValueError when the file holds no response."""
    with default_storage.open(path, "rb") as handle:
        return read_warc_stream(handle)


def read_warc_stream(stream: Any) -> ArchivedResponse:
    """`read_warc` on an open binary stream."""
    found: ArchivedResponse | None = None
    request: tuple[str, str, list[tuple[str, str]]] | None = None
    info: dict[str, Any] = {}
    for record in ArchiveIterator(stream):
        if record.rec_type == "response" and found is None:
            found = _read_response(record)
        elif record.rec_type == "request" and request is None:
            http = record.http_headers  # protocol: "GET"; statusline: "/path HTTP/1.1"
            target = (http.statusline or "").split(" ", 1)[0]
            request = (http.protocol or "", target, list(http.headers))
        elif record.rec_type == "metadata":
            try:
                info = json.loads(record.content_stream().read())
            except ValueError:
                info = {}
    if found is None:
        raise ValueError("the WARC holds no response record")
    if request is not None:
        found.request_method, found.request_path, found.request_headers = request
    found.info = info
    return found


def _read_response(record: Any) -> ArchivedResponse:
    from django.conf import settings

    cap = int(settings.LANTERN_FETCH_MAX_BYTES)
    http = record.http_headers
    truncated = bool(record.rec_headers.get_header("WARC-Truncated"))
    raw = record.raw_stream.read()
    # Decode the stored bytes with warcio's own reader (it undoes Content-Encoding),
    # reading no more than the fetch cap (a stored gzip bomb stays small).
    record.raw_stream = io.BytesIO(raw)
    try:
        payload = record.content_stream().read(cap)
    except (OSError, ValueError, EOFError, zlib.error):
        # A body cut at the cap can end mid-gzip-stream; keep what decodes.
        try:
            payload, _ = decode_body(
                raw, http.get_header("Content-Encoding") or "", cap
            )
        except (ValueError, OSError, zlib.error):
            payload = raw
    status_text = http.get_statuscode() or "0"
    return ArchivedResponse(
        target_uri=record.rec_headers.get_header("WARC-Target-URI") or "",
        captured_at=_parse_warc_date(record.rec_headers.get_header("WARC-Date")),
        status=int(status_text) if status_text.isdigit() else 0,
        reason=(http.statusline or "").partition(" ")[2],
        http_version=http.protocol or "",
        headers=list(http.headers),
        payload=payload,
        raw_payload=raw,
        truncated=truncated,
    )


def fetch_result(archived: ArchivedResponse) -> FetchResult:
    """The `FetchResult` a WARC was written from, rebuilt (so a curator's second
    step works on the very response the first step showed, without fetching again)."""
    headers = [
        ("transfer-encoding" if k == CHUNKED_ALIAS else k, v)
        for k, v in archived.headers
    ]
    info = archived.info
    return FetchResult(
        url=str(info.get("requested_url") or archived.target_uri),
        final_url=archived.target_uri,
        status=archived.status,
        reason=archived.reason,
        http_version=archived.http_version,
        headers=headers,
        request_headers=archived.request_headers,
        raw_body=archived.raw_payload,
        body=archived.payload,
        truncated=archived.truncated,
        hops=[Hop(h["url"], int(h["status"])) for h in info.get("redirects", [])],
        elapsed=float(info.get("elapsed_ms", 0)) / 1000,
    )
