"""The one way Lantern talks HTTP: a client factory and a careful fetch.

Every outgoing request goes through `GuardedTransport`, which resolves the host
itself, refuses private, loopback, link-local, multicast and reserved addresses
(unless `LANTERN_ALLOW_PRIVATE_NETWORKS=1`, as tests and local use set it, or the
address and port are on the `LANTERN_FETCH_ALLOW` list), and then
connects to the very address it checked, so a second DNS answer cannot slip past.
Redirects are followed by `fetch` one hop at a time, each hop through the same guard.
Bodies are read with a cap on the bytes received and on the bytes they decompress to
(a gzip bomb stops at the cap), and a whole fetch has a wall-clock limit.

Touches the network; nothing else.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
import zlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

import httpx

from lantern import __version__

USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    f"Chrome/124.0 Safari/537.36 Lantern/{__version__} "
    "(verifies links cited in an evidence library; +https://github.com/lantern-library)"
)
# The name robots.txt rules address Lantern by.
ROBOTS_AGENT = "Lantern"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

Resolver = Callable[[str, int], Awaitable[list[str]]]


@dataclass(frozen=True)
class Limits:
    """How long and how much one fetch may take."""

    connect: float = 10.0
    read: float = 20.0
    total: float = 45.0  # wall clock for the whole fetch, redirects included
    max_bytes: int = 25 * 1024 * 1024  # received, and again after decompression
    max_redirects: int = 10


class AddressNotAllowed(httpx.ConnectError):
    """The host resolves only to addresses Lantern may not reach."""


class NameNotResolved(httpx.ConnectError):
    """The host name has no address (DNS failure)."""


def address_problem(address: str) -> str:
    """Why an IP address may not be fetched ('' when it may): anything that is not a
    public, globally routed address (private, loopback, link-local, shared, reserved,
    multicast, documentation ranges; IPv4 inside IPv6 judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is not None:
            ip = inner
    if ip.is_global and not ip.is_multicast:
        return ""
    for test, name in (
        ("is_loopback", "a loopback"),
        ("is_link_local", "a link-local"),
        ("is_multicast", "a multicast"),
        ("is_unspecified", "an unspecified"),
        ("is_private", "a private"),
        ("is_reserved", "a reserved"),
    ):
        if getattr(ip, test):
            return f"{address} is {name} address"
    return f"{address} is not a public address"


AddressPolicy = Callable[[str], str]


async def system_resolver(host: str, port: int) -> list[str]:
    """Addresses for a host name from the operating system's resolver."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise NameNotResolved(f"cannot resolve {host}: {exc.strerror or exc}") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def numeric_ipv4(host: str) -> str:
    """The dotted IPv4 address a numeric host stands for in the old inet_aton forms
    (`2130706433`, `0x7f.1`, `127.1`, `0177.0.0.1`), which a system resolver would
    quietly accept; '' for anything else (names, IPv6, ordinary dotted quads)."""
    if not host or not all(c in "0123456789abcdefABCDEFxX." for c in host):
        return ""
    try:
        return socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return ""


def allowed_pairs(entries: Sequence[str]) -> frozenset[tuple[str, int]]:
    """`LANTERN_FETCH_ALLOW` entries ("127.0.0.1:8000", "[::1]:8000") as (address,
    port) pairs, the address in its canonical form."""
    pairs = set()
    for entry in entries:
        address, sep, port = entry.strip().rpartition(":")
        if not sep or not port.isdigit():
            raise ValueError(f"not an address:port pair: {entry!r}")
        pairs.add((str(ipaddress.ip_address(address.strip("[]"))), int(port)))
    return frozenset(pairs)


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport that checks where it connects before it connects."""

    def __init__(
        self,
        *,
        allow_private: bool,
        resolver: Resolver | None = None,
        policy: AddressPolicy = address_problem,
        max_connections: int = 100,
        allow: Sequence[str] = (),
    ) -> None:
        self.allow_private = allow_private
        self.resolver = resolver or system_resolver
        self.policy = policy
        # Exceptions to the policy, each one address and port (LANTERN_FETCH_ALLOW).
        self.allow = allowed_pairs(allow)
        self.inner = httpx.AsyncHTTPTransport(
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=20
            ),
            retries=0,
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        if request.url.scheme not in {"http", "https"}:
            raise httpx.UnsupportedProtocol(f"not a web address: {request.url}")
        if _is_ip(host):
            addresses = [host]
        elif numeric := numeric_ipv4(host):
            # Never handed to a resolver, which would read it as 127.0.0.1 & co.
            addresses = [numeric]
        else:
            addresses = await self.resolver(host, port)
        if not addresses:
            raise NameNotResolved(f"cannot resolve {host}")
        chosen = None
        problems = []
        for address in addresses:
            problem = "" if self.allow_private else self.policy(address)
            if problem and self._listed(address, port):
                problem = ""
            if not problem:
                chosen = address
                break
            problems.append(problem)
        if chosen is None:
            raise AddressNotAllowed(f"refused {host}: {'; '.join(problems)}")
        if chosen != host:
            # Connect to the address just checked; keep the name for Host and TLS.
            request.url = request.url.copy_with(host=chosen)
            request.extensions = {**request.extensions, "sni_hostname": host}
        return await self.inner.handle_async_request(request)

    def _listed(self, address: str, port: int) -> bool:
        """Whether this address and port are on the allow-list."""
        try:
            canonical = str(ipaddress.ip_address(address.split("%", 1)[0]))
        except ValueError:
            return False
        return (canonical, port) in self.allow

    async def aclose(self) -> None:
        await self.inner.aclose()


def allow_private_default() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "LANTERN_ALLOW_PRIVATE_NETWORKS", False))


def allow_list_default() -> list[str]:
    from django.conf import settings

    return list(getattr(settings, "LANTERN_FETCH_ALLOW", []) or [])


def make_client(
    *,
    limits: Limits = Limits(),
    allow_private: bool | None = None,
    resolver: Resolver | None = None,
    policy: AddressPolicy = address_problem,
    max_connections: int = 100,
    user_agent: str = USER_AGENT,
    allow: Sequence[str] | None = None,
) -> httpx.AsyncClient:
    """The async client every fetch uses: guarded transport, timeouts, honest agent.

    `resolver` and `policy` are for tests (a fake DNS; a stand-in for "private");
    `allow` lists "address:port" pairs let through although not public (default:
    `LANTERN_FETCH_ALLOW`)."""
    transport = GuardedTransport(
        allow_private=allow_private_default()
        if allow_private is None
        else allow_private,
        resolver=resolver,
        policy=policy,
        max_connections=max_connections,
        allow=allow_list_default() if allow is None else allow,
    )
    return httpx.AsyncClient(
        transport=transport,
        timeout=httpx.Timeout(limits.read, connect=limits.connect),
        follow_redirects=False,
        headers={
            "User-Agent": user_agent,
            "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8",
            "Accept-Language": "en;q=1.0, *;q=0.5",
            "Accept-Encoding": "gzip, deflate",
        },
    )


# ------------------------------------------------------------------------------ fetch


@dataclass(frozen=True)
class Hop:
    url: str
    status: int


@dataclass
class FetchResult:
    """What one fetch found. `error` names what went wrong ('' when nothing did)."""

    url: str
    final_url: str = ""
    status: int | None = None
    reason: str = ""
    http_version: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    raw_body: bytes = b""  # as received (maybe compressed), for the WARC
    body: bytes = b""  # decompressed
    truncated: bool = False
    hops: list[Hop] = field(default_factory=list)
    elapsed: float = 0.0
    # "", "timeout", "dns", "connect", "reset", "refused-address", "redirect-loop",
    # "too-many-redirects", "protocol", "too-large", "decode"
    error: str = ""
    error_detail: str = ""

    def header(self, name: str) -> str:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), "")

    @property
    def content_type(self) -> str:
        return self.header("content-type").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str:
        for part in self.header("content-type").split(";")[1:]:
            key, _, value = part.partition("=")
            if key.strip().lower() == "charset":
                return value.strip().strip('"') or "utf-8"
        return ""

    def text(self) -> str:
        """The body as text (declared charset, else UTF-8, else Windows-1252)."""
        for encoding in (self.charset, "utf-8", "cp1252"):
            if not encoding:
                continue
            try:
                return self.body.decode(encoding)
            except (UnicodeDecodeError, LookupError):
                continue
        return self.body.decode("latin-1")


def _decoder(encoding: str) -> zlib._Decompress | None:
    encoding = encoding.strip().lower()
    if encoding in {"gzip", "x-gzip"}:
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    return None


def decode_body(
    raw: bytes, content_encoding: str, max_bytes: int
) -> tuple[bytes, bool]:
    """Decompress a body, stopping at `max_bytes`. Returns (body, truncated)."""
    encodings = [e for e in content_encoding.split(",") if e.strip()]
    data = raw
    truncated = False
    for encoding in reversed(encodings):
        decoder = _decoder(encoding)
        if decoder is None:
            if encoding.strip().lower() == "identity":
                continue
            raise ValueError(f"unsupported content encoding {encoding.strip()!r}")
        try:
            out = decoder.decompress(data, max_bytes + 1)
        except zlib.error:
            if encoding.strip().lower() == "deflate":
                # Some servers send raw deflate without the zlib header.
                out = zlib.decompressobj(-zlib.MAX_WBITS).decompress(
                    data, max_bytes + 1
                )
            else:
                raise
        if len(out) > max_bytes or decoder.unconsumed_tail:
            out = out[:max_bytes]
            truncated = True
        data = out
    return data, truncated


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    limits: Limits = Limits(),
    method: str = "GET",
    headers: dict[str, str] | None = None,
    read_body: bool = True,
) -> FetchResult:
    """Fetch a URL, following redirects by hand (each hop guarded), reading at most
    `limits.max_bytes`. Never raises for network trouble: it is in `error`."""
    result = FetchResult(url=url, final_url=url)
    started = time.monotonic()
    try:
        async with asyncio.timeout(limits.total):
            await _follow(client, result, limits, method, headers or {}, read_body)
    except TimeoutError:
        result.error, result.error_detail = (
            "timeout",
            f"no answer within {limits.total:g} s",
        )
    except httpx.TimeoutException as exc:
        result.error, result.error_detail = "timeout", str(exc) or type(exc).__name__
    except AddressNotAllowed as exc:
        result.error, result.error_detail = "refused-address", str(exc)
    except NameNotResolved as exc:
        result.error, result.error_detail = "dns", str(exc)
    except (httpx.ReadError, httpx.WriteError) as exc:
        # The peer dropped the connection mid-exchange (a reset, usually silent).
        result.error, result.error_detail = "reset", str(exc) or "connection reset"
    except httpx.RemoteProtocolError as exc:
        text = str(exc) or type(exc).__name__
        reset = "reset" in text.lower() or "disconnected" in text.lower()
        result.error, result.error_detail = ("reset" if reset else "protocol"), text
    except httpx.ConnectError as exc:
        result.error, result.error_detail = "connect", str(exc) or "connection failed"
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        result.error, result.error_detail = "protocol", str(exc)
    except httpx.HTTPError as exc:
        result.error, result.error_detail = "protocol", str(exc) or type(exc).__name__
    except ValueError as exc:
        result.error, result.error_detail = "decode", str(exc)
    result.elapsed = time.monotonic() - started
    return result


async def _follow(
    client: httpx.AsyncClient,
    result: FetchResult,
    limits: Limits,
    method: str,
    headers: dict[str, str],
    read_body: bool,
) -> None:
    current = result.url
    seen = {current}
    for _ in range(limits.max_redirects + 1):
        request = client.build_request(method, current, headers=headers)
        result.request_headers = list(request.headers.multi_items())
        response = await client.send(request, stream=True)
        try:
            location = response.headers.get("location")
            if response.status_code in REDIRECT_STATUSES and location:
                result.hops.append(Hop(current, response.status_code))
                current = urljoin(current, location.strip())
                if current in seen:
                    result.final_url = current
                    result.error = "redirect-loop"
                    result.error_detail = f"{current} redirects back to itself"
                    return
                seen.add(current)
                continue
            result.final_url = current
            result.status = response.status_code
            result.reason = response.reason_phrase
            result.http_version = response.http_version
            result.headers = list(response.headers.multi_items())
            if read_body and method != "HEAD":
                await _read(response, result, limits)
            return
        finally:
            await response.aclose()
    result.final_url = current
    result.error = "too-many-redirects"
    result.error_detail = f"more than {limits.max_redirects} redirects"


async def _read(response: httpx.Response, result: FetchResult, limits: Limits) -> None:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_raw():
        chunks.append(chunk)
        size += len(chunk)
        if size > limits.max_bytes:
            result.truncated = True
            break
    raw = b"".join(chunks)[: limits.max_bytes]
    result.raw_body = raw
    body, truncated = decode_body(
        raw, response.headers.get("content-encoding", ""), limits.max_bytes
    )
    result.body = body
    result.truncated = result.truncated or truncated


def fetch_sync(
    url: str, *, limits: Limits = Limits(), **client_options: object
) -> FetchResult:
    """`fetch` for synchronous callers (commands, admin forms): one client, one URL."""

    async def run() -> FetchResult:
        async with make_client(limits=limits, **client_options) as client:  # type: ignore[arg-type]
            return await fetch(client, url, limits=limits)

    return asyncio.run(run())


def host_of(url: str) -> str:
    """The host:port a URL's requests go to (the unit of politeness)."""
    parsed = httpx.URL(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return f"{parsed.host}:{port}"


def normalise_url(url: str) -> str:
    """A cited address made fetchable: `www.example.org/x` → `http://www.example.org/x`."""
    url = url.strip()
    if url.startswith("//"):
        return "http:" + url
    if "://" not in url:
        return "http://" + url
    return url


def headers_text(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(f"{k}: {v}\r\n" for k, v in pairs)
