"""A real HTTP/1.1 server for tests and benchmarks, on 127.0.0.1 or many 127.0.0.x
addresses, whose pages can misbehave on purpose: answer slowly or never, reset the
connection, send a huge body or a gzip bomb, loop redirects, rate-limit with
Retry-After, block agents that do not look like browsers, or serve "not found"
pages with status 200.

It runs its own event loop in a background thread and records every request (host,
path, agent, start and end time), so tests can check politeness: how many requests
a host had at once and how far apart they started. Never listens beyond loopback.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import itertools
import socket
import struct
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field


@dataclass
class Request:
    host: str  # the address:port it arrived on
    method: str
    path: str
    headers: dict[str, str]
    started: float = 0.0
    ended: float = 0.0


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Misbehaviours: "hang" (never answer), "reset" (abort the connection),
    # "drip" (send the body a byte at a time, `delay` apart), "" (behave).
    behaviour: str = ""
    delay: float = 0.0  # seconds before answering (or between drips)
    stream_bytes: int = 0  # send this many extra filler bytes after `body`


Handler = Callable[[Request], Response]

REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 303: "See Other",
           307: "Temporary Redirect", 308: "Permanent Redirect", 401: "Unauthorized",
           403: "Forbidden", 404: "Not Found", 410: "Gone", 429: "Too Many Requests",
           500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}  # fmt: skip


def html(body: str, *, title: str = "", status: int = 200, **headers: str) -> Response:
    """An HTML page."""
    page = f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"
    return Response(
        status, page.encode(), {"Content-Type": "text/html; charset=utf-8", **headers}
    )


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, b"", {"Location": location})


def gzip_bomb(decompressed_size: int) -> Response:
    """A small gzip body that inflates to `decompressed_size` bytes of zeros."""
    return Response(
        200,
        gzip.compress(b"\0" * decompressed_size, compresslevel=9),
        {"Content-Type": "text/html", "Content-Encoding": "gzip"},
    )


class FakeWeb:
    """Serve `routes` — `{path: handler}` or `{(host, path): handler}` — on each of
    `addresses` (127.0.0.x). A handler is a Response or a function of the Request."""

    def __init__(
        self,
        routes: dict[object, Response | Handler] | None = None,
        *,
        addresses: tuple[str, ...] = ("127.0.0.1",),
        port: int = 0,
        default: Response | Handler | None = None,
    ) -> None:
        for address in addresses:
            if not address.startswith("127."):
                raise ValueError(f"FakeWeb serves on loopback only, not {address}")
        self.routes: dict[object, Response | Handler] = dict(routes or {})
        self.addresses = addresses
        self.port = port
        self.default = default or html(
            "<h1>Not Found</h1>", title="Not Found", status=404
        )
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._servers: list[asyncio.base_events.Server] = []
        self.ports: dict[str, int] = {}
        self._ready = threading.Event()

    # --------------------------------------------------------------------- control

    def __enter__(self) -> FakeWeb:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="fakeweb", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the fake web did not start")

    def stop(self) -> None:
        loop = self._loop
        if loop is not None and loop.is_running():

            async def shutdown() -> None:
                for server in self._servers:
                    server.close()
                tasks = [
                    t for t in asyncio.all_tasks() if t is not asyncio.current_task()
                ]
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                loop.stop()

            asyncio.run_coroutine_threadsafe(shutdown(), loop)
        if self._thread is not None:
            self._thread.join(10)

    def url(self, path: str = "/", address: str | None = None) -> str:
        address = address or self.addresses[0]
        return f"http://{address}:{self.ports[address]}{path}"

    def add(self, path: object, handler: Response | Handler) -> None:
        self.routes[path] = handler

    def hits(self, path: str | None = None) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if path is None or r.path == path]

    # ------------------------------------------------------------------------ loop

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)

        async def open_all() -> None:
            for address in self.addresses:

                def serve(
                    reader: asyncio.StreamReader,
                    writer: asyncio.StreamWriter,
                    address: str = address,
                ) -> Awaitable[None]:
                    return self._serve(reader, writer, address)

                server = await asyncio.start_server(
                    serve,
                    host=address,
                    port=self.port,
                    reuse_address=True,
                    backlog=1024,
                )
                self._servers.append(server)
                self.ports[address] = server.sockets[0].getsockname()[1]

        loop.run_until_complete(open_all())
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            loop.close()

    def _handler_for(self, address: str, path: str) -> Response | Handler:
        bare = path.split("?", 1)[0]
        for key in ((address, path), (address, bare), path, bare):
            if key in self.routes:
                return self.routes[key]
        return self.default

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, address: str
    ) -> None:
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, path, _ = ([*lines[0].split(" "), "", ""])[:3]
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        key, value = line.split(":", 1)
                        headers[key.strip().lower()] = value.strip()
                request = Request(f"{address}:{self.ports[address]}", method, path, headers,
                                  started=time.monotonic())  # fmt: skip
                with self._lock:
                    self.requests.append(request)
                handler = self._handler_for(address, path)
                response = handler(request) if callable(handler) else handler
                keep_open = await self._answer(writer, request, response)
                request.ended = time.monotonic()
                if not keep_open or headers.get("connection", "").lower() == "close":
                    return
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _answer(
        self, writer: asyncio.StreamWriter, request: Request, response: Response
    ) -> bool:
        if response.behaviour == "hang":
            await asyncio.sleep(3600)
            return False
        if response.behaviour == "reset":
            sock = writer.get_extra_info("socket")
            if sock is not None:
                sock.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
            writer.transport.abort()
            return False
        if response.delay and response.behaviour != "drip":
            await asyncio.sleep(response.delay)
        body = response.body
        length = len(body) + response.stream_bytes
        head = [f"HTTP/1.1 {response.status} {REASONS.get(response.status, 'Status')}"]
        headers = {
            "Content-Length": str(length),
            "Server": "fakeweb",
            **response.headers,
        }
        head += [f"{k}: {v}" for k, v in headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        if request.method == "HEAD":
            await writer.drain()
            return True
        try:
            if response.behaviour == "drip":
                for i in range(len(body)):
                    writer.write(body[i : i + 1])
                    await writer.drain()
                    await asyncio.sleep(response.delay)
            else:
                writer.write(body)
            filler = b"<!-- filler -->" * 4096
            remaining = response.stream_bytes
            while remaining > 0:
                chunk = filler[: min(remaining, len(filler))]
                writer.write(chunk)
                remaining -= len(chunk)
                await writer.drain()
            await writer.drain()
        except ConnectionError:
            return False
        return True


def overlap_per_host(requests: list[Request]) -> dict[str, int]:
    """The most requests each host had in flight at once."""
    most: dict[str, int] = {}
    by_host: dict[str, list[Request]] = {}
    for request in requests:
        by_host.setdefault(request.host, []).append(request)
    for host, items in by_host.items():
        events = sorted(
            [(r.started, 1) for r in items]
            + [(r.ended or r.started, -1) for r in items],
            key=lambda e: (e[0], e[1]),
        )
        current = peak = 0
        for _, change in events:
            current += change
            peak = max(peak, current)
        most[host] = peak
    return most


def smallest_gap_per_host(requests: list[Request]) -> dict[str, float]:
    """The shortest time between two request starts at each host."""
    gaps: dict[str, float] = {}
    by_host: dict[str, list[float]] = {}
    for request in requests:
        by_host.setdefault(request.host, []).append(request.started)
    for host, starts in by_host.items():
        starts.sort()
        if len(starts) > 1:
            gaps[host] = min(b - a for a, b in itertools.pairwise(starts))
    return gaps
