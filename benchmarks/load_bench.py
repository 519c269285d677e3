"""The site under load, on SQLite and PostgreSQL, while a worker writes link checks.

    uv run python benchmarks/load_bench.py [--entries 10000] [--seconds 60]
        [--warmup 5] [--concurrency 16] [--workers 2] [--backends sqlite,postgres,static]
        [--database-url postgres://postgres@127.0.0.1:5432/lantern_load]
        [--data-dir DIR] [--checks 3000] [--writers 1] [--check-delay 0.05]
        [--entry-pages 500] [--seed 1] [--prepare-only]

For each of SQLite and PostgreSQL: builds the synthetic library of
`benchmarks/corpus.py` (SQLite in DIR/sqlite, PostgreSQL in the database of
--database-url; an existing library of the same size is reused) and its search index
(`lantern reindex`), points CHECKS entries' links at a fake web on 127.0.0.1 that
serves each one's excerpt, and queues a check job for each. Then starts the site
(`lantern serve --workers WORKERS --no-demo`, gunicorn), waits until it answers,
starts WRITERS `lantern worker --kinds check` processes and waits for their first
check (each check writes a run, an access, the entry's new status and the search
index's copy of the entry, all through the measured window), and drives the site
from a second process (`benchmarks/loadgen.py`: CONCURRENCY readers in an asyncio
httpx client, no pause between requests) for WARMUP seconds not counted and SECONDS
counted, with a mix of country pages (30 %), entry pages (30 %), search pages (20 %:
common words, phrases, prefixes, OR, half of them with a facet) and API calls (20 %:
a country, an entry, entries of a country, a search).

The ceiling ("static"): the same country and entry pages, fetched from the SQLite
site once and saved as files, served by WhiteNoise under gunicorn with the same
number of workers, driven with the country and entry part of the mix (search and
the API have no static equivalent).

Prints requests/s, latency percentiles, errors (no answer, or a status other than
2xx), the checks the worker wrote during the window, and the lines saying
"database is locked" in the site's and the worker's logs; one row per backend and
one per kind of request. The rate limits of the API and the search page are off
(LANTERN_API_RATE and LANTERN_SEARCH_RATE empty): one client address sends
everything. DIR defaults to a fixed folder in the temporary directory, so a later
run reuses the libraries and the saved pages (`--prepare-only` makes them and
stops); logs stay in DIR/logs. The load generator shares the machine with the
site and the worker; their CPU seconds are printed too. Nothing here is part of the
test run, and nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import html
import io
import json
import multiprocessing
import os
import platform
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from hardware import hardware  # noqa: E402

from lantern.core.fakeweb import FakeWeb, Request, Response  # noqa: E402

BIN = Path(sys.executable).parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/lantern_load"
BACKENDS = ("sqlite", "postgres", "static")
WEIGHTS = {"country": 30.0, "entry": 30.0, "search": 20.0, "api": 20.0}
KINDS = tuple(WEIGHTS)
STATIC_KINDS = ("country", "entry")  # the pages a static export has
# Searches a reader of this library would type: common words, a phrase, a prefix,
# OR, a rare word; each asked bare and with one facet.
QUERIES = (
    "trafficking",
    "forced labour",
    "children police",
    "domestic workers",
    '"debt bondage"',
    "traff*",
    "kafala OR sponsorship",
    "migrants border",
    "sexual exploitation",
    "fishing boats",
)
LOCKED = "database is locked"
STOP_WAIT = 30.0  # seconds a child gets to stop after SIGTERM


# ------------------------------------------------------------------ libraries


@dataclass(frozen=True)
class Library:
    name: str  # "sqlite" or "postgres"
    data_dir: Path
    database_url: str = ""

    def env(self) -> dict[str, str]:
        """The environment of a `lantern` child using this library."""
        env = {
            k: v
            for k, v in os.environ.items()
            if k != "DATABASE_URL" and not k.startswith("LANTERN_")
        }
        env.update(
            LANTERN_DATA_DIR=str(self.data_dir),
            DJANGO_SETTINGS_MODULE="lantern.settings",
            LANTERN_LOG_LEVEL="WARNING",
            # One client address sends every request: no per-address limits.
            LANTERN_API_RATE="",
            LANTERN_SEARCH_RATE="",
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env


def prepare_library(
    library: Library,
    *,
    entries: int,
    seed: int,
    checks: int,
    link_base: str,
    entry_pages: int,
) -> dict[str, Any]:
    """In a child process of its own (Django is set up once per process): build or
    reuse the corpus and its index, forget the checks of earlier runs, point `checks`
    entries at the fake web and queue a check job for each, and read the paths the
    load generator will ask for. Returns the plan, the excerpts the fake web must
    serve, timings and the database's version."""
    os.environ["LANTERN_SEARCH_AUTO_UPDATE"] = "0"  # the bulk writes here, reindexed
    os.environ["LANTERN_LOG_LEVEL"] = "WARNING"
    import corpus

    corpus.setup_django(library.data_dir, library.database_url or None)
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat
    from django.urls import reverse
    from django.utils import timezone

    from lantern.core.models import Job
    from lantern.library.models import Access, Country, Entry, Topic
    from lantern.linkcheck.models import CheckRun
    from lantern.search import index

    started = time.perf_counter()
    built = Entry.objects.count() != entries
    if built:
        corpus.build(entries, seed=seed, progress=False)
    build_seconds = time.perf_counter() - started
    started = time.perf_counter()
    reindexed = built or index.get_backend().count() != entries
    if reindexed:
        call_command("reindex", stdout=io.StringIO(), stderr=io.StringIO())
    index_seconds = time.perf_counter() - started

    ids = sorted(Entry.objects.values_list("pk", flat=True))
    rng = random.Random(seed)
    checked = sorted(rng.sample(ids, min(checks, len(ids))))
    with transaction.atomic():
        # Earlier runs' checks, runs and jobs go, so every run starts alike.
        Job.objects.all().delete()
        Access.objects.filter(origin=Access.Origin.CHECKER).delete()
        CheckRun.objects.all().delete()
        for start in range(0, len(checked), 500):
            Entry.objects.filter(pk__in=checked[start : start + 500]).update(
                url=Concat(Value(link_base), Cast("id", output_field=CharField()))
            )
        run_after = timezone.now().replace(microsecond=0) - dt.timedelta(minutes=1)
        Job.objects.bulk_create(
            [
                Job(kind=Job.Kind.CHECK, entry_id=pk, run_after=run_after)
                for pk in checked
            ],
            batch_size=500,
        )
    excerpts = {
        pk: list(excerpt or [])
        for pk, excerpt in Entry.objects.filter(pk__in=checked).values_list(
            "pk", "excerpt"
        )
    }

    codes = sorted(
        Country.objects.filter(entries__isnull=False)
        .distinct()
        .values_list("code", flat=True)
    )
    shown = sorted(rng.sample(ids, min(entry_pages, len(ids))))
    topics = list(
        Topic.objects.filter(parent__isnull=False).values_list("slug", flat=True)
    )
    # (site parameter, API parameter, values); the API's `format` is json or csv.
    facets: list[tuple[str, str, list[str]]] = [
        ("country", "country", codes),
        ("topic", "topic", topics),
        ("decade", "decade", ["2000", "2010", "2020"]),
        ("format", "type", ["web", "pdf"]),
    ]
    from urllib.parse import quote_plus

    search: list[str] = []
    api: list[str] = []
    for q in QUERIES:
        for _ in range(5):
            site = api_query = f"q={quote_plus(q)}"
            if rng.random() < 0.5:
                key, api_key, values = rng.choice(facets)
                value = rng.choice(values)
                site += f"&{key}={value}"
                api_query += f"&{api_key}={value}"
            search.append(f"{reverse('search:search')}?{site}")
            api.append(f"/api/search?{api_query}")
    for code in codes:
        api.append(f"/api/countries/{code}")
        api.append(f"/api/entries?country={code}")
    api += [f"/api/entries/{pk}" for pk in shown]
    paths = {
        "country": [reverse("web:country", args=[c.lower()]) for c in codes],
        "entry": [reverse("web:entry", args=[pk]) for pk in shown],
        "search": search,
        "api": api,
    }
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = "PostgreSQL " + str(cursor.fetchone()[0]).split()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            database = "SQLite " + str(cursor.fetchone()[0])
    connection.close()
    return {
        "built": built,
        "build_seconds": build_seconds,
        "reindexed": reindexed,
        "index_seconds": index_seconds,
        "search_backend": index.backend_name(),
        "checks_queued": len(checked),
        "excerpts": excerpts,
        "paths": paths,
        "database": database,
    }


def count_checks(library: Library, opens: float, closes: float) -> dict[str, Any]:
    """In a child process: checks written between two wall-clock times, their
    outcomes, and the check jobs still waiting."""
    os.environ["LANTERN_LOG_LEVEL"] = "WARNING"
    import corpus

    corpus.setup_django(library.data_dir, library.database_url or None)
    from django.db import connection

    from lantern.core.models import Job
    from lantern.library.models import Access

    window = Access.objects.filter(
        origin=Access.Origin.CHECKER,
        checked_at__gte=dt.datetime.fromtimestamp(opens, dt.UTC),
        checked_at__lt=dt.datetime.fromtimestamp(closes, dt.UTC),
    )
    result = {
        "written": window.count(),
        "outcomes": dict(Counter(window.values_list("outcome", flat=True))),
        "all": Access.objects.filter(origin=Access.Origin.CHECKER).count(),
        "waiting": Job.objects.filter(
            kind=Job.Kind.CHECK, status=Job.Status.PENDING
        ).count(),
    }
    connection.close()
    return result


def in_child(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run `function` in a fresh (spawned) process and return its result."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(function, *args, **kwargs).result()


# ------------------------------------------------------------------ the fake web


class Articles:
    """The fake web's pages: `/<library>/<entry id>` answers with the entry's
    excerpt (so the check finds it: alive); anything else is not found."""

    def __init__(self) -> None:
        self.excerpts: dict[tuple[str, int], list[str]] = {}

    def __call__(self, request: Request) -> Response:
        parts = request.path.split("?", 1)[0].strip("/").split("/")
        if len(parts) == 2 and parts[1].isdigit():
            paragraphs = self.excerpts.get((parts[0], int(parts[1])))
            if paragraphs is not None:
                body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
                page = (
                    f"<!doctype html><html><head><title>Report {parts[1]}</title>"
                    f"</head><body><article><h1>Report {parts[1]}</h1>{body}"
                    "</article></body></html>"
                )
                return Response(
                    200, page.encode(), {"Content-Type": "text/html; charset=utf-8"}
                )
        return Response(
            404,
            b"<!doctype html><title>Not Found</title><h1>Not Found</h1>",
            {"Content-Type": "text/html; charset=utf-8"},
        )


# ------------------------------------------------------------------ child processes


@dataclass
class Child:
    name: str
    process: subprocess.Popen[bytes]
    log: Path
    cpu: float = 0.0  # user + system seconds, its reaped children included
    code: int | None = None


class Children:
    """Every child process started, so each is stopped on the way out (Ctrl-C too)."""

    def __init__(self) -> None:
        self.running: list[Child] = []

    def start(
        self,
        name: str,
        command: list[str],
        *,
        env: dict[str, str],
        log: Path,
        stdout: Path | None = None,
    ) -> Child:
        """Start a child; stderr (and stdout, unless `stdout` names a file of its
        own) go to `log`."""
        with log.open("ab") as err:
            out = stdout.open("ab") if stdout else None
            try:
                process = subprocess.Popen(
                    command,
                    stdout=out or err,
                    stderr=err,
                    stdin=subprocess.DEVNULL,
                    env=env,
                    cwd=ROOT,
                    start_new_session=True,  # Ctrl-C reaches us; we stop them
                )
            finally:
                if out is not None:
                    out.close()
        child = Child(name, process, log)
        self.running.append(child)
        return child

    def wait(self, child: Child, timeout: float | None = None) -> bool:
        """Reap `child` (collecting its CPU time, its reaped children's included) if
        it ends within `timeout` seconds (None: however long it takes; 0: only if it
        has ended). Children are reaped only here, never by `Popen.poll`."""
        if child.code is not None:
            return True
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(
                child.process.pid, 0 if deadline is None else os.WNOHANG
            )
            if pid:
                child.code = os.waitstatus_to_exitcode(status)
                child.process.returncode = child.code
                child.cpu = usage.ru_utime + usage.ru_stime
                if child in self.running:
                    self.running.remove(child)
                return True
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.1)

    def stop(self, child: Child) -> None:
        """SIGTERM (gunicorn and the worker then finish what they are doing), and
        SIGKILL to its whole process group if that takes longer than STOP_WAIT."""
        if self.wait(child, 0):
            return
        with contextlib.suppress(ProcessLookupError):
            child.process.send_signal(signal.SIGTERM)
        if not self.wait(child, STOP_WAIT):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.process.pid, signal.SIGKILL)
            self.wait(child)

    def stop_all(self) -> None:
        for child in list(reversed(self.running)):
            self.stop(child)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(
    base: str, child: Child, children: Children, *, timeout: float = 180.0
) -> bool:
    """Poll `base` until it answers 200; False when the child exits first."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if children.wait(child, 0):
            return False
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(base + "/", timeout=30).status_code == 200:
                return True
        time.sleep(0.5)
    return False


def start_site(
    children: Children, library: Library, workers: int, logs: Path, label: str
) -> tuple[Child, str]:
    """`lantern serve` on a free port, retried (another developer's half-saved edit
    can stop it from starting for a moment). Returns the child and its base URL."""
    for attempt in range(1, 5):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        site = children.start(
            f"site ({label})",
            [
                str(BIN / "lantern"),
                "serve",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--no-demo",
            ],
            env=library.env(),
            log=logs / f"{label}-site.log",
            stdout=logs / f"{label}-access.log",
        )
        if wait_until_up(base, site, children):
            return site, base
        children.stop(site)
        tail = site.log.read_text(errors="replace")[-1500:]
        print(f"the site did not start (attempt {attempt}); its log ends:\n{tail}")
        time.sleep(15)
    raise SystemExit(f"the site would not start; see {logs / f'{label}-site.log'}")


def run_loadgen(
    children: Children,
    base: str,
    plan: dict[str, Any],
    args: argparse.Namespace,
    logs: Path,
    label: str,
) -> tuple[dict[str, Any], Child]:
    plan_file = logs / f"{label}-plan.json"
    out = logs / f"{label}-samples.json"
    plan_file.write_text(json.dumps(plan, indent=1))
    out.unlink(missing_ok=True)
    busy = busy_cpu_seconds()
    child = children.start(
        f"load generator ({label})",
        [
            sys.executable,
            str(ROOT / "benchmarks" / "loadgen.py"),
            "--base",
            base,
            "--plan",
            str(plan_file),
            "--out",
            str(out),
            "--seconds",
            f"{args.seconds:g}",
            "--warmup",
            f"{args.warmup:g}",
            "--concurrency",
            str(args.concurrency),
            "--seed",
            str(args.seed),
        ],
        env={k: v for k, v in os.environ.items() if not k.startswith("LANTERN_")},
        log=logs / f"{label}-loadgen.log",
    )
    children.wait(child)
    if child.code != 0 or not out.exists():
        raise SystemExit(f"the load generator failed; see {child.log}")
    result = json.loads(out.read_text())
    result["machine_busy"] = busy_cpu_seconds() - busy
    return result, child


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = [int(x) for x in Path("/proc/stat").read_text().split()[1:9]]
        idle = fields[3] + fields[4]  # idle, iowait
        return (sum(fields) - idle) / os.sysconf("SC_CLK_TCK")
    return float("nan")


def count_lines(path: Path, text: str) -> int:
    if not path.exists():
        return 0
    with path.open(errors="replace") as f:
        return sum(1 for line in f if text in line.lower())


# ------------------------------------------------------------------ runs


@dataclass
class Run:
    backend: str
    samples: list[list[Any]]
    seconds: float
    drain: float
    kinds: tuple[str, ...]
    checks: dict[str, Any] = field(default_factory=dict)
    locked: int | None = None  # lines saying "database is locked"; None: no worker
    tracebacks: int = 0
    cpu: dict[str, float] = field(default_factory=dict)
    note: str = ""


def run_live(
    library: Library,
    prepared: dict[str, Any],
    args: argparse.Namespace,
    children: Children,
    logs: Path,
) -> Run:
    """The site on `library`, the workers writing checks, the load generator."""
    label = library.name
    for old in logs.glob(f"{label}-*.log"):
        old.unlink()
    site, base = start_site(children, library, args.workers, logs, label)
    env = library.env()
    env.update(
        LANTERN_LOG_LEVEL="INFO",
        LANTERN_ALLOW_PRIVATE_NETWORKS="1",
        LANTERN_CHECK_DELAY=f"{args.check_delay:g}",
        LANTERN_FETCH_TIMEOUT="10",
    )
    workers = [
        children.start(
            f"worker {n} ({label})",
            [
                str(BIN / "lantern"),
                "worker",
                "--kinds",
                "check",
                "--sleep",
                "0.2",
                "--schedule-every",
                "0",
            ],
            env=env,
            log=logs / f"{label}-worker{n}.log",
        )
        for n in range(1, args.writers + 1)
    ]
    plan = {"weights": WEIGHTS, "paths": prepared["paths"]}
    try:
        # The load starts once every writer has finished a check, so checks are
        # written through the whole window (a worker takes seconds to start).
        deadline = time.monotonic() + 180
        while not all(count_lines(w.log, "check #") for w in workers):
            if time.monotonic() > deadline or any(children.wait(w, 0) for w in workers):
                raise SystemExit(
                    f"a worker wrote no check; see {logs}/{label}-worker*.log"
                )
            time.sleep(0.5)
        result, loadgen = run_loadgen(children, base, plan, args, logs, label)
    finally:
        for worker in workers:
            children.stop(worker)
        children.stop(site)
    opens, closes = result["window"]
    checks = in_child(count_checks, library, opens, closes)
    logged = [logs / f"{label}-site.log", *(w.log for w in workers)]
    failed = [f"{w.name} exit {w.code}" for w in workers if w.code not in (0, -15)]
    return Run(
        backend=f"{label} ({prepared['search_backend']} search)",
        samples=result["samples"],
        seconds=result["seconds"],
        drain=result["drain"],
        kinds=KINDS,
        checks=checks,
        locked=sum(count_lines(path, LOCKED) for path in logged),
        tracebacks=sum(count_lines(path, "traceback") for path in logged),
        cpu={
            "site": site.cpu,
            "writers" if len(workers) > 1 else "worker": sum(w.cpu for w in workers),
            "load generator": loadgen.cpu,
            "whole machine": result["machine_busy"],
        },
        note="; ".join(failed),
    )


def snapshot_pages(
    library: Library,
    paths: list[str],
    folder: Path,
    args: argparse.Namespace,
    children: Children,
    logs: Path,
) -> bool:
    """Save each page as the live site serves it, as `folder/<path>/index.html`,
    unless an earlier run saved the same pages. Returns whether it saved them."""
    import httpx

    listing = folder / "paths.json"
    wanted = json.dumps(sorted(paths))
    if listing.exists() and listing.read_text() == wanted:
        return False  # saved by an earlier run from the same library
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    site, base = start_site(children, library, args.workers, logs, "snapshot")
    try:

        def save(path: str) -> None:
            response = httpx.get(base + path, timeout=120)
            response.raise_for_status()
            target = folder / path.strip("/") / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(response.content)

        with concurrent.futures.ThreadPoolExecutor(args.workers) as pool:
            list(pool.map(save, paths))
    finally:
        children.stop(site)
    listing.write_text(wanted)
    return True


def run_static(
    library: Library,
    prepared: dict[str, Any],
    args: argparse.Namespace,
    children: Children,
    logs: Path,
) -> Run:
    """The ceiling: the country and entry pages as files, under gunicorn."""
    kinds = STATIC_KINDS
    paths = {k: prepared["paths"][k] for k in kinds}
    folder = library.data_dir.parent / "static-pages"
    started = time.perf_counter()
    fresh = snapshot_pages(
        library, [p for k in kinds for p in paths[k]], folder, args, children, logs
    )
    saved = time.perf_counter() - started
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LANTERN_")}
    env["LOAD_BENCH_STATIC_ROOT"] = str(folder)
    (logs / "static-access.log").unlink(missing_ok=True)
    server = children.start(
        "static server",
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--pythonpath",
            str(ROOT / "benchmarks"),
            "--access-logfile",
            "-",
            "--log-level",
            "warning",
            "loadgen:static_app",
        ],
        env=env,
        log=logs / "static-server.log",
        stdout=logs / "static-access.log",
    )
    # Its root answers 404 (no index page): wait for the first country page.
    probe = paths["country"][0].rstrip("/")
    if not wait_until_up(base + probe, server, children, timeout=60):
        raise SystemExit(f"the static server did not start; see {server.log}")
    plan = {"weights": {k: WEIGHTS[k] for k in kinds}, "paths": paths}
    try:
        result, loadgen = run_loadgen(children, base, plan, args, logs, "static")
    finally:
        children.stop(server)
    return Run(
        backend="static (WhiteNoise)",
        samples=result["samples"],
        seconds=result["seconds"],
        drain=result["drain"],
        kinds=kinds,
        cpu={
            "site": server.cpu,
            "load generator": loadgen.cpu,
            "whole machine": result["machine_busy"],
        },
        note=(
            f"{len(paths['country']) + len(paths['entry'])} pages "
            + (f"saved from the SQLite site in {saved:.0f} s" if fresh else "reused")
            + f" ({folder})"
        ),
    )


# ------------------------------------------------------------------ the report


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile of sorted `values`."""
    if not values:
        return float("nan")
    rank = max(1, round(q / 100 * len(values) + 0.5 - 1e-9))
    return values[min(rank, len(values)) - 1]


def is_error(sample: list[Any]) -> bool:
    status = int(sample[3])
    return not 200 <= status < 300


def rows_of(run: Run) -> Iterator[tuple[str, list[list[Any]]]]:
    yield "all", run.samples
    for kind in run.kinds:
        yield kind, [s for s in run.samples if s[0] == kind]


def machine(databases: list[str]) -> str:
    from importlib.metadata import version

    return (
        f"{hardware()}; Python "
        f"{platform.python_version()}, Django {version('django')}, gunicorn "
        f"{version('gunicorn')}, WhiteNoise {version('whitenoise')}, httpx "
        f"{version('httpx')}" + "".join(f", {d}" for d in databases)
    )


def report(
    runs: list[Run], args: argparse.Namespace, databases: list[str], notes: list[str]
) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=140)
    table = Table(
        title=(
            f"lantern serve under load · {args.entries:,} entries · "
            f"{args.workers} gunicorn workers · {args.concurrency} readers · "
            f"{args.seconds:g} s after {args.warmup:g} s warm-up"
        )
    )
    for column in ("backend", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms",
                   "max ms", "errors", "checks written", "'database is locked'"):  # fmt: skip
        table.add_column(column, justify="left" if column == "backend" else "right")
    for run in runs:
        for n, (kind, samples) in enumerate(rows_of(run)):
            latencies = sorted(float(s[2]) * 1000 for s in samples)
            errors = sum(1 for s in samples if is_error(s))
            last = n == len(run.kinds)
            if n == 0:
                checks = (
                    f"{run.checks['written']:,} ({run.checks['written'] / run.seconds:.1f}/s)"
                    if run.checks
                    else "—"
                )
                locked = "—" if run.locked is None else str(run.locked)
                label = run.backend
            else:
                checks = locked = ""
                label = f"  {kind}"
            table.add_row(
                label,
                f"{len(samples):,}",
                f"{len(samples) / run.seconds:,.1f}",
                *(
                    f"{percentile(latencies, q):,.0f}" if latencies else "—"
                    for q in (50, 95, 99)
                ),
                f"{latencies[-1]:,.0f}" if latencies else "—",
                f"{errors:,}",
                checks,
                locked,
                end_section=last,
                style="bold" if n == 0 else None,
            )
    console.print(table)
    for run in runs:
        failed = Counter((s[4] or str(s[3]), s[0]) for s in run.samples if is_error(s))
        cpu = ", ".join(f"{k} {v:.0f}" for k, v in run.cpu.items())
        available = (run.seconds + args.warmup) * (os.cpu_count() or 1)
        line = (
            f"{run.backend}: CPU s {cpu} (of ~{available:.0f} CPU s in warm-up and "
            f"window; the whole machine's is from the load generator's start to its "
            f"end, the others' whole lives); last answer {run.drain:.1f} s after the window"
        )
        if run.checks:
            outcomes = ", ".join(
                f"{k} {v}" for k, v in sorted(run.checks["outcomes"].items())
            )
            line += (
                f"; checks in the window: {outcomes or 'none'}; check jobs still "
                f"waiting {run.checks['waiting']:,}; tracebacks in the logs "
                f"{run.tracebacks}"
            )
        if run.note:
            line += f"; {run.note}"
        console.print(line)
        if failed:
            console.print(
                "  errors: "
                + ", ".join(
                    f"{what} on {kind} ×{n}" for (what, kind), n in failed.most_common()
                )
            )
            for s in [s for s in run.samples if is_error(s)][:5]:
                console.print(f"    {s[3]} {s[4]} {s[5]}")
    for note in notes:
        console.print(note)
    console.print(f"machine: {machine(databases)}")
    console.print("load average now: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))


# ------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "lantern-loadbench",
        help="where the SQLite library, the saved pages and the logs go "
        "(default: %(default)s; a library of the same size there is reused)",
    )
    parser.add_argument(
        "--checks", type=int, default=3000, help="check jobs queued for the worker"
    )
    parser.add_argument(
        "--writers",
        type=int,
        default=1,
        help="lantern worker processes writing checks (default: 1)",
    )
    parser.add_argument(
        "--check-delay",
        type=float,
        default=0.05,
        help="LANTERN_CHECK_DELAY for the worker (seconds between starts at a host)",
    )
    parser.add_argument(
        "--entry-pages", type=int, default=500, help="distinct entries asked for"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="build the libraries (and save the static pages), then stop",
    )
    args = parser.parse_args()
    backends = [b.strip() for b in args.backends.split(",") if b.strip()]
    unknown = sorted(set(backends) - set(BACKENDS))
    if unknown or not backends:
        parser.error(f"--backends: choose from {', '.join(BACKENDS)}")

    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    data_dir = args.data_dir.resolve()
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    libraries = {
        "sqlite": Library("sqlite", data_dir / "sqlite"),
        "postgres": Library("postgres", data_dir / "postgres", args.database_url),
    }
    needed = [
        name
        for name in ("sqlite", "postgres")
        if name in backends or (name == "sqlite" and "static" in backends)
    ]

    children = Children()
    articles = Articles()
    web = FakeWeb({}, default=articles)
    web.start()

    def interrupted(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    runs: list[Run] = []
    notes: list[str] = []
    databases: list[str] = []
    prepared: dict[str, dict[str, Any]] = {}
    try:
        for name in needed:
            library = libraries[name]
            started = time.perf_counter()
            print(f"preparing the {name} library ({args.entries:,} entries) …")
            prepared[name] = in_child(
                prepare_library,
                library,
                entries=args.entries,
                seed=args.seed,
                checks=args.checks,
                link_base=web.url(f"/{name}/"),
                entry_pages=args.entry_pages,
            )
            info = prepared[name]
            articles.excerpts.update(
                ((name, int(pk)), paragraphs)
                for pk, paragraphs in info.pop("excerpts").items()
            )
            databases.append(info["database"])
            corpus_note = (
                f"built in {info['build_seconds']:.0f} s" if info["built"] else "reused"
            )
            index_note = (
                f"indexed in {info['index_seconds']:.0f} s"
                if info["reindexed"]
                else "index reused"
            )
            where = library.database_url or f"{library.data_dir}/lantern.sqlite3"
            notes.append(
                f"{name}: {where}, corpus {corpus_note}, {info['search_backend']} "
                f"search {index_note}; {info['checks_queued']:,} check jobs queued; "
                f"ready in {time.perf_counter() - started:.0f} s"
            )
        if args.prepare_only:
            if "static" in backends:
                print("saving the static pages …")
                snapshot_pages(
                    libraries["sqlite"],
                    [p for k in STATIC_KINDS for p in prepared["sqlite"]["paths"][k]],
                    data_dir / "static-pages",
                    args,
                    children,
                    logs,
                )
            print("\n".join(notes))
            return
        for backend in backends:
            print(f"running {backend} …")
            if backend == "static":
                runs.append(
                    run_static(
                        libraries["sqlite"],
                        prepared["sqlite"],
                        args,
                        children,
                        logs,
                    )
                )
            else:
                runs.append(
                    run_live(
                        libraries[backend], prepared[backend], args, children, logs
                    )
                )
            time.sleep(2)
    except KeyboardInterrupt:
        print("interrupted: stopping the child processes")
        raise SystemExit(130) from None
    finally:
        children.stop_all()
        web.stop()
    first = next(iter(prepared.values()), None)
    mix = (
        ", ".join(
            f"{k} {WEIGHTS[k]:.0f}% ({len(first['paths'][k])} paths)" for k in KINDS
        )
        if first
        else ""
    )
    notes += [
        f"mix: {mix}; the static mix is the country and entry pages only, half each "
        "(search and the API have no static equivalent)",
        "rate limits off for the test: LANTERN_API_RATE='' LANTERN_SEARCH_RATE='' "
        "(one client address sends every request)",
        f"writer: {args.writers} × lantern worker --kinds check (one check job at "
        "a time each), "
        f"LANTERN_CHECK_DELAY={args.check_delay:g}, pages from a fake web on "
        "127.0.0.1 (each with its entry's excerpt); checks written = checker "
        "accesses with checked_at in the window",
        "errors: no answer, or a status other than 2xx; latency from the request's "
        "start to its whole answer, measured in the load generator (one process, "
        "one CPU at most: when its CPU seconds near the window's length, the "
        "client, not the server, sets the rate)",
        f"logs: {logs}",
    ]
    report(runs, args, databases, notes)


if __name__ == "__main__":
    main()
