"""Link checking: a local fake web checked by Lantern and, in the same run, by LinkChecker.

    uv run python benchmarks/linkcheck_bench.py [--hosts 200] [--urls 3000]
        [--per-host 2] [--delay 0.25] [--concurrency 50] [--timeout 5] [--seed 7]
        [--skip-linkchecker] [--keep]

Starts one FakeWeb serving HOSTS addresses (127.0.x.y; Linux routes all of 127/8 to
loopback) with URLS cited pages spread over them unevenly (a few hosts carry many
links, as real libraries cite a few big sites heavily), each answer delayed by a
latency drawn from a long-tailed distribution, and the failure mix of issue 3:
alive pages with the excerpt, moved, dead, soft-404s, pages sent home, drifted
pages, bot challenges, a bot wall that lets browsers through, 429 with
Retry-After on the first hit, server errors, slow pages, pages that never answer,
connection resets, redirect loops and huge bodies.

Lantern checks them in a child process (`lantern check-links` on a temporary
SQLite library, every entry with its excerpt), then LinkChecker does in another
(an HTML page with one link per URL, recursion level 1, `--check-extern`, the same
threads, timeout and per-host request spacing, CSV output). For each: wall time,
URLs/s, peak memory and CPU of the child (`os.wait4`), outcomes against the scripted
truth, and politeness seen from the server's request log. Prints markdown tables.
Nothing here is part of the test run.

The politeness bound: request starts to one host must be DELAY apart, and at most
PER_HOST requests of mean latency L̄ can be in flight there, so the busiest host's N
links need at least  N × max(DELAY, L̄ / PER_HOST)  seconds, whatever the checker.
The forced-request bound counts, instead of N, the requests any checker must make
there to say what became of each link (one per link, one more per redirect hop,
robots.txt, the hit after a 429) and adds the waits the 429s' Retry-After asks for.
`--py-spy PATH` runs Lantern's child under that py-spy binary (a profile of every
thread lands in the work folder, kept with `--keep`).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import csv
import dataclasses
import html as html_lib
import itertools
import math
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from hardware import hardware  # noqa: E402

from lantern.core.fakeweb import (  # noqa: E402
    FakeWeb,
    Request,
    Response,
    overlap_per_host,
    smallest_gap_per_host,
)

BIN = Path(sys.executable).parent
SLACK = 0.02  # seconds: two starts closer than DELAY - SLACK break the spacing
HUGE_BYTES = 30 * 1024 * 1024

# ------------------------------------------------------------------ the cases


@dataclass(frozen=True)
class Case:
    name: str
    lantern: str  # the outcome Lantern should record
    linkchecker: str  # what LinkChecker should say; "" when it cannot tell
    share: float = 0.0  # of all URLs
    per_thousand: float = 0.0  # for the rare cases: a count, at least 2


CASES = (
    Case("alive, excerpt on the page", "alive", "valid"),  # the rest
    Case("moved (301 → live page)", "moved", "moved", share=0.08),
    Case("dead (404)", "dead", "dead", share=0.05),
    Case("dead (410)", "dead", "dead", share=0.02),
    Case("soft-404 (200 'Page not found')", "soft-dead", "", share=0.035),
    Case("deep link sent home (302 → /)", "soft-dead", "", share=0.01),
    Case("drifted (excerpt gone)", "drifted", "", share=0.06),
    Case("bot challenge (403)", "blocked", "", share=0.025),
    Case("bot wall, browsers let through", "alive", "valid", share=0.01),
    Case("429 Retry-After: 1, then the page", "alive", "valid", share=0.02),
    Case("server error (500/502/503)", "server-error", "server-error", share=0.03),
    Case("slow (within the timeout)", "alive", "valid", share=0.02),
    Case("never answers", "timeout", "timeout", per_thousand=2.5),
    Case("connection reset", "network-error", "network-error", per_thousand=2.5),
    Case("redirect loop", "redirect-loop", "redirect-loop", per_thousand=1.5),
    Case("huge body (30 MB)", "alive", "valid", per_thousand=1.25),
)
ALIVE = CASES[0]
SECTIONS = ("reports", "news", "publications", "press", "research", "media")


@dataclass
class Link:
    n: int
    address: str
    path: str
    case: Case
    latency: float  # seconds before the (first) answer
    excerpt: str
    status: int = 200  # for server errors
    target: str = ""  # where a redirect goes
    url: str = ""


WORDS = [
    "workers",
    "recruited",
    "promised",
    "wages",
    "passports",
    "debt",
    "contractor",
    "factory",
    "mine",
    "farm",
    "border",
    "police",
    "rescued",
    "shelter",
    "girls",
    "boys",
    "women",
    "families",
    "village",
    "city",
    "brokers",
    "fees",
    "transport",
    "documents",
    "court",
    "prosecutors",
    "convicted",
    "inspectors",
    "agency",
    "migrants",
    "labour",
    "domestic",
    "fishing",
    "boats",
    "kiln",
    "harvest",
    "season",
    "school",
    "ministry",
    "province",
    "survivors",
    "traffickers",
    "exploitation",
    "bondage",
    "coastal",
    "inland",
    "recruiters",
]


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


# ------------------------------------------------------------------ the fake web


class Pages:
    """Builds every answer from a few shared blocks, so thousands of pages cost
    little memory: head (scripts and styles), navigation, filler paragraphs."""

    def __init__(self, rng: random.Random) -> None:
        script = "".join(
            f"window.dataLayer.push({{'event':'e{i}','value':{i * 7}}});\n"
            for i in range(300)
        )
        self.head = (
            f"<meta charset=utf-8><style>{'.c{margin:0 auto;padding:1em}' * 120}</style>"
            f"<script>{script}</script>"
        )
        self.nav = (
            "<nav><ul>"
            + "".join(f'<li><a href="/{s}/">{s.title()}</a></li>' for s in SECTIONS)
            + "</ul></nav>"
        )
        self.footer = (
            "<footer><p>Contact · Privacy · Terms · Donate</p>"
            + "".join(f'<a href="/about/{i}">About {i}</a> ' for i in range(40))
            + "</footer>"
        )
        self.paragraphs = [
            f"<p>{sentence(rng, rng.randint(40, 90))}</p>" for _ in range(300)
        ]

    def article(self, link: Link, *, with_excerpt: bool = True) -> bytes:
        rng = random.Random(link.n)
        before = "".join(rng.choice(self.paragraphs) for _ in range(rng.randint(3, 25)))
        after = "".join(rng.choice(self.paragraphs) for _ in range(rng.randint(3, 25)))
        quote = (
            f"<blockquote><p>{link.excerpt}</p></blockquote>"
            if with_excerpt
            else rng.choice(self.paragraphs)
        )
        title = f"Report {link.n} on forced labour"
        return self._page(
            title, f"<article><h1>{title}</h1>{before}{quote}{after}</article>"
        )

    def home(self) -> bytes:
        return self._page(
            "Anti-Slavery Network: home",
            "<h1>Anti-Slavery Network</h1>" + "".join(self.paragraphs[:6]),
        )

    def not_found(self) -> bytes:
        return self._page(
            "Page not found | Anti-Slavery Network",
            "<h1>Page not found</h1><p>Sorry, the page you are looking for does not "
            "exist or has been moved.</p>",
        )

    def challenge(self) -> bytes:
        return (
            b"<!doctype html><html><head><title>Just a moment...</title></head><body>"
            b"<div id=cf-chl-widget>Checking your browser before accessing the site."
            b"</div><script src='/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1'>"
            b"</script></body></html>"
        )

    def _page(self, title: str, main: str) -> bytes:
        return (
            f"<!doctype html><html><head><title>{title}</title>{self.head}</head>"
            f"<body>{self.nav}<main>{main}</main>{self.footer}</body></html>"
        ).encode()


HTML = {"Content-Type": "text/html; charset=utf-8"}
BOTS = ("bot", "crawl", "spider", "linkchecker", "python", "curl", "wget")


class BenchWeb(FakeWeb):
    """FakeWeb whose never-answering pages count as in flight until the client
    hangs up (FakeWeb's own "hang" leaves the request's end unknown)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._readers: dict[object, asyncio.StreamReader] = {}

    async def _serve(self, reader, writer, address):  # type: ignore[no-untyped-def]
        self._readers[writer] = reader
        try:
            await super()._serve(reader, writer, address)
        finally:
            self._readers.pop(writer, None)

    async def _answer(self, writer, request, response):  # type: ignore[no-untyped-def]
        if response.behaviour == "hang":
            reader = self._readers.get(writer)
            with contextlib.suppress(Exception):
                async with asyncio.timeout(3600):
                    while reader is not None and await reader.read(65536):
                        pass
            return False
        return await super()._answer(writer, request, response)


class Site:
    """The scripted web: what each (address, path) answers."""

    def __init__(
        self, links: list[Link], medians: dict[str, float], pages: Pages
    ) -> None:
        self.by_path: dict[tuple[str, str], tuple[str, Link]] = {}
        for link in links:
            self.by_path[(link.address, link.path)] = ("cited", link)
            if link.target:
                self.by_path[(link.address, link.target)] = ("target", link)
        self.medians = medians
        self.pages = pages
        self.seen: set[tuple[str, str]] = set()  # for "429 on the first hit"
        self._home = pages.home()
        self._not_found = pages.not_found()
        self._challenge = pages.challenge()

    def reset(self) -> None:
        self.seen.clear()

    def __call__(self, request: Request) -> Response:
        address = request.host.rsplit(":", 1)[0]
        median = self.medians[address]
        if request.path == "/robots.txt":
            body = b"User-agent: *\nDisallow: /private/\n"
            return Response(200, body, {"Content-Type": "text/plain"}, delay=median)
        if request.path == "/":
            return Response(200, self._home, HTML, delay=median)
        found = self.by_path.get((address, request.path))
        if found is None:
            return Response(404, self._not_found, HTML, delay=median)
        role, link = found
        case, delay = link.case.name, link.latency
        if role == "target":
            if case.startswith("redirect loop"):
                return Response(301, b"", {"Location": link.path}, delay=delay)
            return Response(200, self.pages.article(link), HTML, delay=delay)
        if case.startswith("alive") or case.startswith("slow"):
            return Response(200, self.pages.article(link), HTML, delay=delay)
        if case.startswith(("moved", "redirect loop")):
            return Response(301, b"", {"Location": link.target}, delay=delay)
        if case.startswith("deep link sent home"):
            return Response(302, b"", {"Location": "/"}, delay=delay)
        if case.startswith("dead"):
            return Response(link.status, self._not_found, HTML, delay=delay)
        if case.startswith("soft-404"):
            return Response(200, self._not_found, HTML, delay=delay)
        if case.startswith("drifted"):
            return Response(
                200, self.pages.article(link, with_excerpt=False), HTML, delay=delay
            )
        if case.startswith("bot challenge"):
            return Response(
                403, self._challenge, {**HTML, "cf-mitigated": "challenge"}, delay=delay
            )
        if case.startswith("bot wall"):
            agent = request.headers.get("user-agent", "").lower()
            if not agent.startswith("mozilla/") or any(b in agent for b in BOTS):
                return Response(403, b"<h1>Forbidden</h1>", HTML, delay=delay)
            return Response(200, self.pages.article(link), HTML, delay=delay)
        if case.startswith("429"):
            key = (address, request.path)
            if key not in self.seen:
                self.seen.add(key)
                return Response(
                    429, b"Too many requests", {"Retry-After": "1"}, delay=delay
                )
            return Response(200, self.pages.article(link), HTML, delay=delay)
        if case.startswith("server error"):
            return Response(link.status, b"<h1>Server error</h1>", HTML, delay=delay)
        if case.startswith("never answers"):
            return Response(behaviour="hang")
        if case.startswith("connection reset"):
            return Response(behaviour="reset", delay=delay)
        if case.startswith("huge"):
            return Response(
                200,
                self.pages.article(link),
                HTML,
                delay=delay,
                stream_bytes=HUGE_BYTES,
            )
        raise AssertionError(case)


def addresses_for(hosts: int) -> list[str]:
    return [f"127.0.{1 + i // 200}.{1 + i % 200}" for i in range(hosts)]


def script_web(args: argparse.Namespace) -> tuple[list[Link], dict[str, float]]:
    """The links, their hosts, cases and latencies (deterministic for a seed)."""
    rng = random.Random(args.seed)
    addresses = addresses_for(args.hosts)
    # Skewed: the host of rank r carries a share ∝ 1 / (r + 3), each at least one.
    weights = [1 / (rank + 3) for rank in range(1, args.hosts + 1)]
    spare = args.urls - args.hosts
    if spare < 0:
        raise SystemExit("--urls must be at least --hosts")
    raw = [spare * w / sum(weights) for w in weights]
    counts = [1 + math.floor(x) for x in raw]
    for i in sorted(
        range(args.hosts), key=lambda i: raw[i] - math.floor(raw[i]), reverse=True
    )[: args.urls - sum(counts)]:
        counts[i] += 1
    medians = {
        a: min(0.3, max(0.02, rng.lognormvariate(math.log(0.06), 0.5)))
        for a in addresses
    }
    hosts = [a for a, c in zip(addresses, counts, strict=True) for _ in range(c)]
    rng.shuffle(hosts)  # the library's order mixes hosts

    cases: list[Case] = []
    for case in CASES[1:]:
        if case.per_thousand:
            cases += [case] * max(2, round(args.urls * case.per_thousand / 1000))
        else:
            cases += [case] * round(args.urls * case.share)
    cases += [ALIVE] * (args.urls - len(cases))
    rng.shuffle(cases)

    links = []
    for n, (address, case) in enumerate(zip(hosts, cases, strict=True)):
        section = rng.choice(SECTIONS)
        style = rng.random()
        slug = "-".join(rng.choice(WORDS) for _ in range(3))
        if style < 0.6:
            path = f"/{section}/{rng.randint(2005, 2024)}/{slug}-{n}.html"
        elif style < 0.85:
            path = f"/{section}/{slug}-{n}"
        else:
            path = f"/article.php?id={n}"
        latency = min(2.5, max(0.02, medians[address] * rng.lognormvariate(0, 0.6)))
        link = Link(n, address, path, case, latency, sentence(rng, rng.randint(25, 45)))
        if case.name.startswith("slow"):
            link.latency = rng.uniform(0.3, 0.6) * args.timeout
        elif case.name.startswith("moved"):
            link.target = f"/new/{section}/{slug}-{n}.html"
        elif case.name.startswith("redirect loop"):
            link.target = f"/loop/{n}/b"
        elif case.name == "dead (410)":
            link.status = 410
        elif case.name.startswith("dead"):
            link.status = 404
        elif case.name.startswith("server error"):
            link.status = rng.choice((500, 502, 503))
        links.append(link)
    return links, medians


# ------------------------------------------------------------------ the checkers


@dataclass
class RunResult:
    tool: str
    wall: float = 0.0
    cpu: float = 0.0
    peak_mib: float = 0.0
    exit_code: int = 0
    # link number → what the tool said
    outcomes: dict[int, str] = dataclasses.field(default_factory=dict)
    requests: list[Request] = dataclasses.field(default_factory=list)
    note: str = ""


def run_child(
    command: list[str], *, env: dict[str, str], log: Path, stdin: Path | None = None
) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MiB, exit code) of one child process."""
    with log.open("wb") as out, Path(stdin or os.devnull).open("rb") as given:
        started = time.perf_counter()
        child = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=given,
            env=env,
            cwd=log.parent,
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    return (
        wall,
        usage.ru_utime + usage.ru_stime,
        usage.ru_maxrss / 1024,
        child.returncode,
    )


def lantern_env(workdir: Path, timeout: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        LANTERN_DATA_DIR=str(workdir / "data"),
        LANTERN_ALLOW_PRIVATE_NETWORKS="1",
        LANTERN_FETCH_TIMEOUT=f"{timeout:g}",
        DJANGO_SETTINGS_MODULE="lantern.settings",
    )
    return env


def prepare_library(links: list[Link], workdir: Path, timeout: float) -> None:
    """A fresh SQLite library with one entry per link, the excerpt set."""
    os.environ.update(lantern_env(workdir, timeout))
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.db import connection

    from lantern.core.setup import prepare_database
    from lantern.library.models import Entry

    prepare_database()
    Entry.objects.bulk_create(
        [
            Entry(
                title=f"Report {link.n} on forced labour",
                url=link.url,
                excerpt=[link.excerpt],
                key=f"bench-{link.n}",
                position=link.n,
                source_line="Anti-Slavery Network, 2020",
            )
            for link in links
        ],
        batch_size=500,
    )
    connection.close()


def run_lantern(
    args: argparse.Namespace, links: list[Link], web: BenchWeb, workdir: Path
) -> RunResult:
    from django.db import connection

    from lantern.library.models import Access

    command = [
        str(BIN / "lantern"),
        "check-links",
        "--concurrency",
        str(args.concurrency),
        "--per-host",
        str(args.per_host),
        "--delay",
        f"{args.delay:g}",
    ]
    if args.py_spy:
        command = [
            args.py_spy,
            "record",
            "--threads",
            "--rate",
            "200",
            "--format",
            "raw",
            "-o",
            str(workdir / "lantern.pyspy.txt"),
            "--",
            *command,
        ]
    first = len(web.requests)
    wall, cpu, peak, code = run_child(
        command, env=lantern_env(workdir, args.timeout), log=workdir / "lantern.log"
    )
    result = RunResult("Lantern", wall, cpu, peak, code)
    result.requests = web.hits()[first:]
    save_requests(result.requests, workdir / "lantern-requests.csv")
    by_url = {link.url: link.n for link in links}
    for url, outcome in Access.objects.filter(origin="checker").values_list(
        "url", "outcome"
    ):
        result.outcomes[by_url[url]] = outcome
    connection.close()
    if code != 0:
        result.note = f"exit {code}; see {workdir / 'lantern.log'}"
    return result


def run_linkchecker(
    args: argparse.Namespace, links: list[Link], web: BenchWeb, workdir: Path
) -> RunResult:
    """LinkChecker on an HTML page listing the links. It drops root privileges to
    `nobody` after reading its config, so its folder and files are open to all."""
    folder = workdir / "linkchecker"
    folder.mkdir()
    for path in (workdir, folder):
        path.chmod(0o777)
    page = folder / "links.html"
    page.write_text(
        "<!doctype html><html><head><title>links</title></head><body>\n"
        + "".join(
            f'<p><a href="{html_lib.escape(link.url)}">link {link.n}</a></p>\n'
            for link in links
        )
        + "</body></html>\n"
    )
    output = folder / "out.csv"
    output.touch()
    config = folder / "linkcheckerrc"
    # maxrequestspersecond = 1 / DELAY: LinkChecker then spaces request starts to
    # one host by a random DELAY … 6 × DELAY. It has no per-host concurrency limit;
    # --threads is its only concurrency setting.
    config.write_text(
        "[checking]\n"
        f"threads={args.concurrency}\n"
        f"timeout={math.ceil(args.timeout)}\n"
        "recursionlevel=1\n"
        f"maxrequestspersecond={1 / args.delay if args.delay else 1000:g}\n"
        "[output]\nstatus=0\n"
        "[csv]\nseparator=;\n"
    )
    for path in (page, output, config):
        path.chmod(0o666)
    command = [
        str(BIN / "linkchecker"),
        "-f",
        str(config),
        "--check-extern",
        "-r",
        "1",
        "--threads",
        str(args.concurrency),
        "--timeout",
        str(math.ceil(args.timeout)),
        "--no-status",
        "-v",
        "-o",
        "none",
        "-F",
        f"csv/utf-8/{output}",
        str(page),
    ]
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("LANTERN_", "DJANGO_"))
    }
    env["HOME"] = str(folder)  # nobody cannot write under /root
    first = len(web.requests)
    wall, cpu, peak, code = run_child(command, env=env, log=folder / "linkchecker.log")
    result = RunResult("LinkChecker", wall, cpu, peak, code)
    result.requests = web.hits()[first:]
    save_requests(result.requests, workdir / "linkchecker-requests.csv")
    by_url = {link.url: link.n for link in links}
    lines = [
        line for line in output.read_text().splitlines() if not line.startswith("#")
    ]
    for row in csv.DictReader(lines, delimiter=";"):
        n = by_url.get(row.get("urlname", ""))
        if n is None:
            continue
        result.outcomes[n] = linkchecker_verdict(row)
    if len(result.outcomes) < len(links):
        result.note = (
            f"only {len(result.outcomes)} of {len(links)} links in its output; "
            f"see {folder / 'linkchecker.log'}"
        )
    return result


def save_requests(requests: list[Request], path: Path) -> None:
    """The server's log of one run (for --keep and later study)."""
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["host", "method", "path", "started", "ended", "agent"])
        for r in requests:
            writer.writerow(
                [
                    r.host,
                    r.method,
                    r.path,
                    f"{r.started:.6f}",
                    f"{r.ended:.6f}",
                    r.headers.get("user-agent", ""),
                ]
            )


def linkchecker_verdict(row: dict[str, str]) -> str:
    """LinkChecker's answer in our terms, as far as it has words for it."""
    result = (row.get("result") or "").lower()
    warnings = (row.get("warningstring") or "").lower()
    if row.get("valid") == "True":
        return "moved" if "redirected to" in warnings else "valid"
    status = result.split(" ", 1)[0]
    if status.isdigit():
        code = int(status)
        return "server-error" if code >= 500 else "dead"
    if "redirect" in result:
        return "redirect-loop"
    if "timed out" in result or "timeout" in result:
        return "timeout"
    return "network-error"


# ------------------------------------------------------------------ measuring


@dataclass
class Politeness:
    hosts_over_limit: int
    most_in_flight: int
    close_starts: int  # pairs of consecutive starts at one host closer than allowed
    hosts_too_close: int
    smallest_gap: float
    requests: int


def politeness(requests: list[Request], *, per_host: int, delay: float) -> Politeness:
    # A request the server never finished (the client gave up mid-way, or the run
    # ended) counts as in flight until the last request of the run.
    last = max((r.ended or r.started for r in requests), default=0.0)
    done = [r if r.ended else dataclasses.replace(r, ended=last) for r in requests]
    overlap = overlap_per_host(done)
    gaps = smallest_gap_per_host(done)
    starts: dict[str, list[float]] = defaultdict(list)
    for r in done:
        starts[r.host].append(r.started)
    close = 0
    hosts_close = 0
    for times in starts.values():
        times.sort()
        n = sum(1 for a, b in itertools.pairwise(times) if b - a < delay - SLACK)
        close += n
        hosts_close += n > 0
    return Politeness(
        hosts_over_limit=sum(1 for v in overlap.values() if v > per_host),
        most_in_flight=max(overlap.values(), default=0),
        close_starts=close,
        hosts_too_close=hosts_close,
        smallest_gap=min(gaps.values(), default=float("nan")),
        requests=len(requests),
    )


def busiest_host_span(requests: list[Request], host: str) -> float:
    mine = [r for r in requests if r.host == host]
    if not mine:
        return float("nan")
    return max(r.ended or r.started for r in mine) - min(r.started for r in mine)


def request_mix(requests: list[Request], host: str, links: list[Link]) -> Counter[str]:
    """What the requests to one host were for: the cited pages, redirect hops,
    asking again (retries, the hit after a 429), made-up-address probes, robots.txt."""
    cited = {link.path for link in links}
    hops = {link.target for link in links if link.target} | {"/"}
    seen: set[str] = set()
    mix: Counter[str] = Counter()
    for r in sorted((r for r in requests if r.host == host), key=lambda r: r.started):
        if r.path == "/robots.txt":
            mix["robots.txt"] += 1
        elif r.path in seen:
            mix["again"] += 1
        elif r.path in cited:
            mix["cited"] += 1
        elif r.path in hops:
            mix["hops"] += 1
        else:
            mix["probes"] += 1
        seen.add(r.path)
    return mix


def forced_requests(links: list[Link]) -> tuple[int, int]:
    """(requests, Retry-After waits) any checker that follows redirects, reads
    robots.txt and honours Retry-After must make for these links."""
    requests = len(links) + 1  # each link, robots.txt
    waits = 0
    for link in links:
        name = link.case.name
        if name.startswith(("moved", "deep link sent home", "redirect loop")):
            requests += 1  # the hop (a loop is seen on its second address)
        elif name.startswith("429"):
            requests += 1
            waits += 1
    return requests, waits


def machine() -> str:
    from importlib.metadata import version

    return (
        f"{hardware()}; Python {platform.python_version()}, "
        f"Django {version('django')}, httpx {version('httpx')}, "
        f"LinkChecker {version('linkchecker')}"
    )


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hosts", type=int, default=200)
    parser.add_argument("--urls", type=int, default=3000)
    parser.add_argument("--per-host", type=int, default=2)
    parser.add_argument("--delay", type=float, default=0.25)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-linkchecker", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument(
        "--py-spy",
        metavar="PATH",
        default="",
        help="profile Lantern's child with this py-spy binary",
    )
    args = parser.parse_args()

    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    links, medians = script_web(args)
    pages = Pages(random.Random(args.seed + 1))
    site = Site(links, medians, pages)
    workdir = Path(tempfile.mkdtemp(prefix="lantern-linkbench-"))
    web = BenchWeb({}, addresses=tuple(medians), default=site)
    web.start()
    try:
        for link in links:
            link.url = web.url(link.path, link.address)
        prepare_library(links, workdir, args.timeout)

        results = [run_lantern(args, links, web, workdir)]
        if not args.skip_linkchecker:
            time.sleep(1)
            site.reset()
            results.append(run_linkchecker(args, links, web, workdir))
    finally:
        web.stop()
    report(args, links, results, workdir)
    if args.keep:
        print(f"\nwork folder: {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


def report(
    args: argparse.Namespace, links: list[Link], results: list[RunResult], workdir: Path
) -> None:
    per_host = Counter(link.address for link in links)
    busiest, n_busiest = per_host.most_common(1)[0]
    mine = [link for link in links if link.address == busiest]
    mean_latency = statistics.fmean(
        args.timeout if link.case.name == "never answers" else link.latency
        for link in mine
    )
    bound = n_busiest * max(args.delay, mean_latency / args.per_host)
    forced, waits = forced_requests(mine)
    forced_bound = max(
        forced * args.delay + waits * max(0.0, 1 - args.delay),
        forced * mean_latency / args.per_host,
    )
    latencies = sorted(
        link.latency
        for link in links
        if not link.case.name.startswith(("never", "slow"))
    )
    q = statistics.quantiles(latencies, n=100)
    port_of: dict[str, str] = {}
    for r in results[0].requests:
        port_of.setdefault(r.host.rsplit(":", 1)[0], r.host)
    busiest_key = port_of.get(busiest, busiest)

    print(
        f"hosts {args.hosts} · URLs {args.urls:,} · per host {args.per_host} · "
        f"delay {args.delay:g} s · concurrency {args.concurrency} · timeout "
        f"{args.timeout:g} s · seed {args.seed}"
    )
    print(
        f"latency per answer: lognormal(σ 0.6) around a per-host median drawn "
        f"lognormal(60 ms, σ 0.5), clipped to 20 ms–2.5 s; p50 {q[49] * 1000:.0f} ms, p90 "
        f"{q[89] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms, max {latencies[-1]:.2f} s "
        f"(slow pages 0.3–0.6 × timeout)"
    )
    top = per_host.most_common(5)
    print(
        "URLs per host: busiest " + ", ".join(str(c) for _, c in top) + f" … least "
        f"{min(per_host.values())}; median {statistics.median(per_host.values()):g}"
    )
    print(f"machine: {machine()}")
    print(
        f"Lantern: lantern check-links --concurrency {args.concurrency} --per-host "
        f"{args.per_host} --delay {args.delay:g}, LANTERN_FETCH_TIMEOUT={args.timeout:g} "
        "(its own retry policy: 3 attempts, back-off from 1 s, Retry-After honoured)"
    )
    rate = 1 / args.delay if args.delay else 1000
    print(
        f"LinkChecker: --threads {args.concurrency} --timeout {math.ceil(args.timeout)} "
        f"-r 1 --check-extern, maxrequestspersecond={rate:g} (starts to one host "
        f"{args.delay:g}–{6 * args.delay:g} s apart; it has no per-host concurrency "
        "setting), its default user agent"
    )
    print()
    print(
        f"politeness bound = N × max(delay, L̄ / per-host) = {n_busiest} × max("
        f"{args.delay:g}, {mean_latency:.3f} / {args.per_host}) = {bound:.1f} s "
        f"(busiest host {busiest}: N = {n_busiest} URLs, mean latency L̄ = "
        f"{mean_latency * 1000:.0f} ms)"
    )
    print(
        f"forced-request bound = {forced} requests (its URLs, redirect hops, robots.txt, "
        f"the hit after each 429) × {args.delay:g} s + {waits} Retry-After waits × "
        f"{max(0.0, 1 - args.delay):g} s = {forced_bound:.1f} s"
    )
    print()

    rows: list[tuple[str, list[str]]] = []
    measured = {}
    for result in results:
        p = politeness(result.requests, per_host=args.per_host, delay=args.delay)
        truth = [(link, result.outcomes.get(link.n, "missing")) for link in links]
        if result.tool == "Lantern":
            correct = sum(1 for link, got in truth if got == link.case.lantern)
            tellable = len(links)
        else:
            told = [(link, got) for link, got in truth if link.case.linkchecker]
            correct = sum(1 for link, got in told if got == link.case.linkchecker)
            tellable = len(told)
        false_dead = sum(
            1
            for link, got in truth
            if link.case.lantern in {"alive", "moved", "blocked", "drifted"}
            and got in {"dead", "invalid"}
        )
        span = busiest_host_span(result.requests, busiest_key)
        mix = request_mix(result.requests, busiest_key, mine)
        measured[result.tool] = (result, p, correct, tellable, false_dead, span, mix)

    def row(label: str, cell) -> None:  # type: ignore[no-untyped-def]
        rows.append((label, [cell(*measured[r.tool]) for r in results]))

    row("wall s (whole process)", lambda r, *_: f"{r.wall:.1f}")
    row("URLs/s", lambda r, *_: f"**{len(links) / r.wall:.1f}**")
    row(
        "over the politeness bound", lambda r, *_: f"{100 * (r.wall / bound - 1):+.0f}%"
    )
    row(
        "over the forced-request bound",
        lambda r, *_: f"{100 * (r.wall / forced_bound - 1):+.0f}%",
    )
    row("busiest host: first request → last answer, s", lambda *m: f"{m[5]:.1f}")
    row(
        "busiest host: requests (cited + hops + again + probes + robots.txt)",
        lambda *m: (
            f"{sum(m[6].values())} = "
            + " + ".join(
                str(m[6][k]) for k in ("cited", "hops", "again", "probes", "robots.txt")
            )
        ),
    )
    row("CPU s (child)", lambda r, *_: f"{r.cpu:.1f}")
    row("peak memory MiB (child RSS)", lambda r, *_: f"{r.peak_mib:.0f}")
    row("requests the server saw", lambda r, p, *_: f"{p.requests:,}")
    row(
        "correct outcomes",
        lambda r, p, c, t, *_: (
            f"**{pct(c, t)}** ({c:,} of {t:,})"
            + ("" if t == len(links) else f"; {pct(c, len(links))} of all")
        ),
    )
    row(
        "alive, moved, drifted or blocked reported dead",
        lambda r, p, c, t, fd, *_: str(fd),
    )
    row(
        "hosts over the per-host limit",
        lambda r, p, *_: (
            f"{p.hosts_over_limit} (most in flight at one host: {p.most_in_flight})"
        ),
    )
    row(
        f"request starts closer than delay − {SLACK * 1000:.0f} ms",
        lambda r, p, *_: (
            f"{p.close_starts:,} at {p.hosts_too_close} hosts "
            f"(smallest gap {p.smallest_gap * 1000:.0f} ms)"
        ),
    )

    print("| | " + " | ".join(r.tool for r in results) + " |")
    print("|---|" + "---|" * len(results))
    for label, cells in rows:
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()

    print("| case | URLs | Lantern should say | Lantern right | LinkChecker right |")
    print("|---|---|---|---|---|")
    for case in CASES:
        mine = [link for link in links if link.case is case]
        cells = []
        for result in results[:2]:
            if result.tool == "LinkChecker" and not case.linkchecker:
                said = Counter(result.outcomes.get(link.n, "missing") for link in mine)
                cells.append(
                    "n/a (" + ", ".join(f"{k} {v}" for k, v in said.most_common()) + ")"
                )
                continue
            want = case.lantern if result.tool == "Lantern" else case.linkchecker
            right = sum(1 for link in mine if result.outcomes.get(link.n) == want)
            wrong = Counter(
                result.outcomes.get(link.n, "missing")
                for link in mine
                if result.outcomes.get(link.n) != want
            )
            cell = f"{right} of {len(mine)}"
            if wrong:
                cell += (
                    " (" + ", ".join(f"{k} {v}" for k, v in wrong.most_common()) + ")"
                )
            cells.append(cell)
        if len(results) == 1:
            cells.append("—")
        print(
            f"| {case.name} | {len(mine)} | {case.lantern} | "
            + " | ".join(cells)
            + " |"
        )
    print()

    lantern, p, correct, tellable, *_ = measured["Lantern"]
    aims = [
        # The least time the busiest host needs counts every request it must get
        # (redirect hops, robots.txt, the second hit after a 429) and the waits it
        # asks for: the forced-request bound. The URL-count bound is shown too.
        ("within 15% of the forced-request bound", lantern.wall <= 1.15 * forced_bound),
        ("within 15% of the URL-count bound", lantern.wall <= 1.15 * bound),
        ("≥ 99% correct outcomes", correct >= 0.99 * len(links)),
        ("zero politeness violations", p.hosts_over_limit == 0 and p.close_starts == 0),
    ]
    if "LinkChecker" in measured:
        other = measured["LinkChecker"][0]
        aims.append(("≥ 3× LinkChecker's throughput", other.wall >= 3 * lantern.wall))
        print(
            f"Lantern's throughput is {other.wall / lantern.wall:.2f}× LinkChecker's."
        )
    print(
        "aims: "
        + " · ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in aims)
    )
    for result in results:
        if result.note:
            print(f"{result.tool}: {result.note}")


if __name__ == "__main__":
    main()
