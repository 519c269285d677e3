"""The fetcher's private-address guard against the usual tricks, with the real policy
(not a stand-in): numeric host forms, IPv6 and IPv4-in-IPv6 loopback, the unspecified
address, cloud metadata addresses, DNS answers that point inside, and redirects from
an allowed server to a private address. The allow-list (LANTERN_FETCH_ALLOW) lets
exactly one test server through. No test leaves 127.0.0.1: refused addresses are
never connected to, and names are answered by a fake resolver."""

from __future__ import annotations

import asyncio
import gzip
import io
import time
import tracemalloc
import zlib

import pytest

from lantern.capture.pdf import extract_pdf
from lantern.capture.tests.pdfs import make_pdf
from lantern.core.fakeweb import FakeWeb, Response, html, redirect
from lantern.core.http import (
    FetchResult,
    Limits,
    allowed_pairs,
    decode_body,
    fetch,
    make_client,
    numeric_ipv4,
)

FAST = Limits(connect=2, read=2, total=4, max_bytes=100_000, max_redirects=5)


class NoDNS:
    """A resolver that records what it was asked and answers from a table."""

    def __init__(self, answers: dict[str, list[str]] | None = None) -> None:
        self.answers = answers or {}
        self.asked: list[str] = []

    async def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        return self.answers.get(host, ["192.0.2.1"])  # TEST-NET: refused too


def guarded(
    url: str, *, resolver: NoDNS | None = None, allow: list[str] | None = None
) -> FetchResult:
    """Fetch with the production guard (private networks refused)."""

    async def go() -> FetchResult:
        async with make_client(
            limits=FAST,
            allow_private=False,
            resolver=resolver or NoDNS(),
            allow=allow or [],
        ) as client:
            return await fetch(client, url, limits=FAST)

    return asyncio.run(go())


@pytest.fixture(scope="module")
def web() -> FakeWeb:
    with FakeWeb(
        {"/page": html("<p>Debt bondage.</p>", title="Debt")},
        addresses=("127.0.0.1", "127.0.0.2"),
    ) as server:
        yield server


@pytest.mark.parametrize(
    "host",
    ["2130706433", "0x7f.1", "0x7f000001", "127.1", "017700000001", "127.0.0.1",
     "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0", "0", "[::]",
     "169.254.169.254", "[fd00:ec2::254]", "10.0.0.1", "[fe80::1]",
     "100.100.100.200"],
)  # fmt: skip
def test_inside_addresses_are_refused_in_every_spelling(
    host: str, web: FakeWeb
) -> None:
    port = web.ports["127.0.0.1"]
    dns = NoDNS()
    before = len(web.hits())
    result = guarded(f"http://{host}:{port}/page", resolver=dns)
    assert result.error == "refused-address", (host, result.error_detail)
    assert result.status is None
    assert dns.asked == []  # numbers are never handed to a resolver
    assert len(web.hits()) == before


def test_octal_forms_httpx_rejects_never_reach_a_server(web: FakeWeb) -> None:
    before = len(web.hits())
    result = guarded(f"http://0177.0.0.1:{web.ports['127.0.0.1']}/page")
    assert result.error in {"refused-address", "protocol"}
    assert len(web.hits()) == before


@pytest.mark.parametrize(
    ("host", "address"),
    [("2130706433", "127.0.0.1"), ("0x7f.1", "127.0.0.1"), ("127.1", "127.0.0.1"),
     ("017700000001", "127.0.0.1"), ("10.1", "10.0.0.1"), ("example.org", ""),
     ("cafe.be", ""), ("::1", ""), ("", "")],
)  # fmt: skip
def test_numeric_host_forms_are_read_as_addresses(host: str, address: str) -> None:
    assert numeric_ipv4(host) == address


def test_a_public_looking_name_pointing_inside_is_refused(web: FakeWeb) -> None:
    port = web.ports["127.0.0.1"]
    dns = NoDNS(
        {
            "reports.example.org": ["127.0.0.1"],
            "metadata.example.org": ["169.254.169.254"],
            "v6.example.org": ["fd00:ec2::254"],
            "mapped.example.org": ["::ffff:10.0.0.1"],
        }
    )
    for name in dns.answers:
        result = guarded(f"http://{name}:{port}/page", resolver=dns)
        assert result.error == "refused-address", name
    assert dns.asked == list(dns.answers)
    assert web.hits() == [] or all(h.path != "/page" or h.headers.get("host", "")
                                   .split(":")[0] not in dns.answers
                                   for h in web.hits())  # fmt: skip


def test_allow_list_lets_exactly_the_test_server_through(web: FakeWeb) -> None:
    port = web.ports["127.0.0.1"]
    allow = [f"127.0.0.1:{port}"]
    ok = guarded(web.url("/page"), allow=allow)
    assert ok.status == 200 and b"Debt bondage" in ok.body
    # The same server on another loopback address, or another port: refused.
    other = guarded(web.url("/page", "127.0.0.2"), allow=allow)
    assert other.error == "refused-address"
    assert guarded(f"http://127.0.0.1:{port + 1}/page", allow=allow).error == (
        "refused-address"
    )
    # A name resolving to the allowed address and port is let through as well.
    dns = NoDNS({"kilns.example.org": ["127.0.0.1"]})
    named = guarded(f"http://kilns.example.org:{port}/page", resolver=dns, allow=allow)
    assert named.status == 200


@pytest.mark.parametrize("target", ["http://127.0.0.2:{port2}/page",
                                    "http://10.0.0.1/", "http://[::1]:{port}/page",
                                    "http://169.254.169.254/latest/meta-data/",
                                    "http://2130706434:{port2}/page"])  # fmt: skip
def test_redirect_from_an_allowed_server_to_inside_is_refused(
    web: FakeWeb, target: str
) -> None:
    port, port2 = web.ports["127.0.0.1"], web.ports["127.0.0.2"]
    location = target.format(port=port, port2=port2)
    web.add(("127.0.0.1", "/away"), redirect(location, 302))
    before = len(web.hits())
    result = guarded(web.url("/away"), allow=[f"127.0.0.1:{port}"])
    assert result.error == "refused-address", result.error_detail
    assert [h.status for h in result.hops] == [302]
    assert [h.path for h in web.hits()[before:]] == ["/away"]


def test_allow_list_comes_from_settings(web: FakeWeb, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LANTERN_ALLOW_PRIVATE_NETWORKS = False
    settings.LANTERN_FETCH_ALLOW = [f"127.0.0.1:{web.ports['127.0.0.1']}"]

    async def go(url: str) -> FetchResult:
        async with make_client(limits=FAST) as client:
            return await fetch(client, url, limits=FAST)

    assert asyncio.run(go(web.url("/page"))).status == 200
    assert asyncio.run(go(web.url("/page", "127.0.0.2"))).error == "refused-address"


def test_allow_list_entries_are_address_and_port() -> None:
    assert allowed_pairs(["127.0.0.1:8000", "[::1]:9000", " 10.0.0.5:80 "]) == {
        ("127.0.0.1", 8000), ("::1", 9000), ("10.0.0.5", 80)}  # fmt: skip
    for bad in ("127.0.0.1", "localhost:80", "127.0.0.1:http"):
        with pytest.raises(ValueError):
            allowed_pairs([bad])


# ------------------------------------------------------------------------- caps


def test_a_body_bigger_than_the_cap_is_cut_at_the_cap(web: FakeWeb) -> None:
    web.add("/big", Response(200, b"<html>", {"Content-Type": "text/html"},
                             stream_bytes=3_000_000))  # fmt: skip
    started = time.monotonic()
    result = guarded(web.url("/big"), allow=[f"127.0.0.1:{web.ports['127.0.0.1']}"])
    assert result.truncated
    assert len(result.raw_body) == FAST.max_bytes
    assert len(result.body) <= FAST.max_bytes
    assert time.monotonic() - started < FAST.total


def test_a_gzip_bomb_is_stopped_while_inflating(web: FakeWeb) -> None:
    # 1 GB of zeros in about a megabyte: far below the cap on the wire.
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    assert len(bomb) < FAST.max_bytes
    web.add("/bomb", Response(200, bomb, {"Content-Type": "text/html",
                                          "Content-Encoding": "gzip"}))  # fmt: skip
    result = guarded(web.url("/bomb"), allow=[f"127.0.0.1:{web.ports['127.0.0.1']}"])
    assert result.truncated and result.error == ""
    assert len(result.body) == FAST.max_bytes


def test_decoding_never_produces_more_than_the_cap() -> None:
    # The decoder is asked for at most cap + 1 bytes: the bomb is never inflated
    # whole, so memory stays near the cap whatever the ratio.
    bomb = zlib.compress(b"\0" * 200_000_000, 9)
    started = time.monotonic()
    body, truncated = decode_body(bomb, "deflate", 1_000_000)
    assert truncated and len(body) == 1_000_000
    assert time.monotonic() - started < 1.0
    nested = gzip.compress(gzip.compress(b"\0" * 50_000_000))
    body, truncated = decode_body(nested, "gzip, gzip", 10_000)
    assert truncated and len(body) == 10_000


# -------------------------------------------------------------------------- PDF


def test_a_pdf_with_thousands_of_pages_is_read_only_to_the_page_cap() -> None:
    data = make_pdf([[f"Page {n} of a very long report."] for n in range(1, 2001)])
    started = time.monotonic()
    metadata = extract_pdf(data, max_pages=50)
    assert len(metadata.pages) == 50
    assert any("first 50 pages" in p for p in metadata.problems)
    assert time.monotonic() - started < 30


def test_pdf_text_stops_at_the_text_cap() -> None:
    data = make_pdf([["Forced labour in brick kilns. " * 60] for _ in range(20)])
    metadata = extract_pdf(data, max_text=5_000)
    assert sum(len(p) for p in metadata.pages) <= 5_000
    assert any("characters of text" in p for p in metadata.problems)


def flate_bomb_pdf(inflated: int) -> bytes:
    """A one-page PDF whose content stream inflates to `inflated` bytes of spaces
    before the text it shows ("hidden")."""
    stream = zlib.compress(
        b" " * inflated + b"\nBT /F1 12 Tf 56 700 Td (hidden) Tj ET", 9
    )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))  # fmt: skip
    return out.getvalue()


def test_a_small_flate_pdf_shows_its_text() -> None:
    # The bomb below differs only in size: this one is read, so the test can fail.
    assert "hidden" in extract_pdf(flate_bomb_pdf(1_000)).text


def test_a_pdf_compression_bomb_is_stopped_not_inflated() -> None:
    data = flate_bomb_pdf(200_000_000)  # 200 MB of spaces in about 200 kB
    assert len(data) < 1_000_000
    started = time.monotonic()
    tracemalloc.start()
    try:
        metadata = extract_pdf(data, max_stream_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Uncapped, this takes over a minute and 450 MB; capped, seconds (most of them
    # tracemalloc's) and a few tens of MB.
    assert time.monotonic() - started < 30
    assert peak < 100_000_000
    assert "hidden" not in metadata.text
    assert any("page 1 unreadable" in p for p in metadata.problems)
