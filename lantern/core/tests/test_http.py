"""The HTTP client against real servers on 127.0.0.1: caps, timeouts, redirects, and
the private-address guard (with a stand-in "private" address, 127.0.0.2, and a fake
DNS, since no test may leave the machine)."""

from __future__ import annotations

import asyncio
import gzip

import pytest

from lantern.core.fakeweb import FakeWeb, Response, gzip_bomb, html, redirect
from lantern.core.http import (
    FetchResult,
    Limits,
    address_problem,
    fetch,
    make_client,
)

FAST = Limits(connect=2, read=1, total=3, max_bytes=200_000, max_redirects=5)


def run_fetch(url: str, limits: Limits = FAST, **client: object) -> FetchResult:
    async def go() -> FetchResult:
        async with make_client(limits=limits, allow_private=True, **client) as c:  # type: ignore[arg-type]
            return await fetch(c, url, limits=limits)

    return asyncio.run(go())


@pytest.fixture(scope="module")
def web() -> FakeWeb:
    page = html("<p>Forced labour in brick kilns.</p>", title="Kilns")
    routes = {
        "/page": page,
        "/gzip": Response(200, gzip.compress(page.body), {
            "Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"}),
        "/huge": Response(200, b"<html>", {"Content-Type": "text/html"},
                          stream_bytes=5_000_000),
        "/bomb": gzip_bomb(50_000_000),
        "/hang": Response(behaviour="hang"),
        "/reset": Response(behaviour="reset"),
        "/loop-a": redirect("/loop-b"),
        "/loop-b": redirect("/loop-a"),
        "/chain": redirect("/chain-2", 301),
        "/chain-2": redirect("/page", 302),
        "/far": redirect("/far-1"),
        **{f"/far-{i}": redirect(f"/far-{i + 1}") for i in range(1, 12)},
    }  # fmt: skip
    with FakeWeb(routes, addresses=("127.0.0.1", "127.0.0.2")) as server:
        yield server


def test_fetches_a_page_and_keeps_raw_and_decoded_bodies(web: FakeWeb) -> None:
    result = run_fetch(web.url("/gzip"))
    assert result.status == 200 and result.error == ""
    assert b"brick kilns" in result.body
    assert result.raw_body[:2] == b"\x1f\x8b"  # as received, for the WARC
    assert result.content_type == "text/html"
    assert "Lantern/" in dict(result.request_headers)["user-agent"]


def test_redirect_chain_is_recorded(web: FakeWeb) -> None:
    result = run_fetch(web.url("/chain"))
    assert result.status == 200
    assert [h.status for h in result.hops] == [301, 302]
    assert result.final_url == web.url("/page")


def test_redirect_loop_and_too_many_redirects(web: FakeWeb) -> None:
    assert run_fetch(web.url("/loop-a")).error == "redirect-loop"
    assert run_fetch(web.url("/far")).error == "too-many-redirects"


def test_huge_body_and_gzip_bomb_stop_at_the_cap(web: FakeWeb) -> None:
    huge = run_fetch(web.url("/huge"))
    assert huge.truncated and len(huge.raw_body) <= FAST.max_bytes
    bomb = run_fetch(web.url("/bomb"))
    assert bomb.truncated
    assert len(bomb.body) <= FAST.max_bytes


def test_never_answering_server_times_out(web: FakeWeb) -> None:
    result = run_fetch(web.url("/hang"))
    assert result.error == "timeout"
    assert result.elapsed < FAST.total + 1


def test_connection_reset_is_a_network_error(web: FakeWeb) -> None:
    assert run_fetch(web.url("/reset")).error in {"reset", "protocol"}


def test_nobody_listening_is_a_connect_error() -> None:
    assert run_fetch("http://127.0.0.1:9/").error == "connect"


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "0.0.0.0",
     "100.64.0.1", "::1", "fe80::1", "fc00::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
     "224.0.0.1", "2002:7f00:1::"],
)  # fmt: skip
def test_non_public_addresses_are_refused(address: str) -> None:
    assert address_problem(address)


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_problem(address) == ""


def stand_in_policy(address: str) -> str:
    """127.0.0.2 plays "private"; 127.0.0.1 plays the public internet."""
    return "" if address == "127.0.0.1" else f"{address} is a private address"


def guarded(url: str, resolver: object = None) -> FetchResult:
    async def go() -> FetchResult:
        async with make_client(limits=FAST, allow_private=False, policy=stand_in_policy,
                               resolver=resolver) as c:  # type: ignore[arg-type]  # fmt: skip
            return await fetch(c, url, limits=FAST)

    return asyncio.run(go())


def test_guard_refuses_private_literal_decimal_and_hex_forms(web: FakeWeb) -> None:
    port = web.ports["127.0.0.2"]
    for host in ("127.0.0.2", "2130706434", "0x7f000002", "127.0.2"):
        result = guarded(f"http://{host}:{port}/page")
        assert result.error == "refused-address", host
    assert web.hits() == [] or all(r.host.startswith("127.0.0.1") for r in web.hits())


def test_guard_refuses_redirects_into_private_addresses(web: FakeWeb) -> None:
    web.add(("127.0.0.1", "/to-inside"), redirect(web.url("/page", "127.0.0.2")))
    result = guarded(web.url("/to-inside"))
    assert result.error == "refused-address"
    assert [h.status for h in result.hops] == [301]


def test_guard_refuses_dns_answers_pointing_inside(web: FakeWeb) -> None:
    async def fake_dns(host: str, port: int) -> list[str]:
        return {"evil.test": ["127.0.0.2"], "good.test": ["127.0.0.1"],
                "mixed.test": ["127.0.0.2", "127.0.0.1"]}[host]  # fmt: skip

    port = web.ports["127.0.0.1"]
    assert guarded(f"http://evil.test:{port}/page", fake_dns).error == "refused-address"
    good = guarded(f"http://good.test:{port}/page", fake_dns)
    assert good.status == 200
    # The checked address is the one connected to, with the name kept as Host.
    assert web.hits("/page")[-1].headers["host"] == f"good.test:{port}"
    assert guarded(f"http://mixed.test:{port}/page", fake_dns).status == 200


def test_unknown_host_is_a_dns_error() -> None:
    async def no_dns(host: str, port: int) -> list[str]:
        from lantern.core.http import NameNotResolved

        raise NameNotResolved(f"cannot resolve {host}")

    assert guarded("http://nowhere.invalid/", no_dns).error == "dns"
