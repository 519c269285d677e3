"""`lantern publish --jobs N`: pages rendered in forked worker processes. Each
worker has a `Site` of its own writing into memory (`Collected`); the main process
writes the bytes through the run's `Output` and queues the pages they link to."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connections

from lantern.publish.output import Output
from lantern.publish.site import Collected, Progress, Site

# Pages handed to a worker at a time: large enough that the round trip is
# nothing beside rendering them, small enough to keep every worker busy.
BATCH = 64

_worker: Site | None = None


def _start_worker(
    base: str,
    has_base: bool,
    snapshot_types: dict[int, str],
    filters: dict[str, list[tuple[str, str]]],
) -> None:
    global _worker
    site = Site(Collected(), base, has_base=has_base)
    site.snapshot_types = snapshot_types
    site.filters = filters
    _worker = site


@dataclass
class Rendered:
    """What a worker made of a batch: files, the pages and static files they link
    to (the main process decides which are new), and warnings."""

    pages: int
    writes: list[tuple[str, bytes, bool]]
    found: list[tuple[str, str, str]]
    statics: list[str]
    warnings: list[str]


def _render_batch(batch: list[tuple[str, str, str]]) -> Rendered:
    site = _worker
    assert site is not None and isinstance(site.output, Collected)
    site.output.writes = []
    site.warnings = []
    pages = 0
    for url, file, route in batch:
        site.planned.setdefault(file, url)
        if site.page(url, file, route):
            pages += 1
    found = list(site.queue)
    site.queue.clear()
    statics = list(site.static_queue)
    site.static_queue.clear()
    return Rendered(pages, site.output.writes, found, statics, site.warnings)


def _batches(site: Site) -> Iterator[list[tuple[str, str, str]]]:
    while site.queue:
        size = min(BATCH, len(site.queue))
        yield [site.queue.popleft() for _ in range(size)]


def render_in_parallel(
    site: Site, output: Output, jobs: int, progress: Progress | None
) -> int:
    """Render the queue with `jobs` forked worker processes. Each renders whole
    pages (views, templates, citations, link rewriting) into memory; this process
    writes the files and queues the pages they link to that are new. The output
    is the same as one process's: every address maps to its file by the same
    rules, wherever it is rendered. The library must be committed: workers read
    it on connections of their own. Returns the pages rendered."""
    # Workers open their own connections; one shared across fork would break.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    done = pages = 0
    with context.Pool(
        jobs,
        initializer=_start_worker,
        initargs=(site.base_url, site.has_base, site.snapshot_types, site.filters),
    ) as pool:
        while site.queue:
            for rendered in pool.imap_unordered(_render_batch, _batches(site)):
                pages += rendered.pages
                for rel, data, indexed in rendered.writes:
                    output.write(rel, data, indexed=indexed)
                    done += 1
                for url, file, route in rendered.found:
                    if file not in site.planned:
                        site.planned[file] = url
                        site.queue.append((url, file, route))
                for rel in rendered.statics:
                    site._static(rel)
                site.warnings += rendered.warnings
                if progress:
                    progress(done, len(site.planned))
    return pages


def default_jobs() -> int:
    """Worker processes by default: one per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
