"""A fake web for the capture tests: recorded-style pages (an English news article,
a Spanish and a French one, a press release dated only in its text), the same
article gzipped, a PDF, a redirect, a huge body, and a stand-in for the Wayback
Machine's availability API. One real server on 127.0.0.1 for the whole session."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from lantern.capture.tests.pdfs import make_pdf
from lantern.core.fakeweb import FakeWeb, Request, Response, redirect

DATA = Path(__file__).parent / "data"
HTML = {"Content-Type": "text/html; charset=utf-8"}

KILN_PAGES = [
    [
        "Forced Labour in the Brick Kilns of Nepal",
        "This report examines debt bondage among brick kiln workers in the "
        "Kathmandu Valley, where families borrow advances from contractors and are "
        "then bound to work until the debt is repaid, often for years at a time.",
        "The research was carried out between January and March 2020.",
    ],
    [
        "Children as young as ten carry loads of bricks for twelve hours a day. "
        "Labour inspectors found that many workers in the kilns visited were under "
        "fourteen, and that most families had been recruited in Bihar, India, with "
        "advances they could not repay.",
        "Nepali law forbids bonded labour, yet no kiln owner has been convicted.",
    ],
]
KILN_PDF = make_pdf(
    KILN_PAGES,
    title="Microsoft Word - kilns-final.docx",
    author="Anti-Slavery International",
)
TIP_PDF = make_pdf(
    [["Peru is a source, transit, and destination country for men, women, and "
      "children subjected to sex trafficking and forced labor. Traffickers exploit "
      "Peruvian and Venezuelan women and girls in sex trafficking in Lima."]],
    title="2021 Trafficking in Persons Report: Peru",
    author="U.S. Department of State",
)  # fmt: skip

# Captures the fake availability API knows, by the address asked about.
WAYBACK: dict[str, dict[str, object]] = {}


def page(name: str) -> bytes:
    return (DATA / name).read_bytes()


def wayback(request: Request) -> Response:
    """The availability API's answers, in its real shape."""
    query = parse_qs(urlsplit(request.path).query)
    url = query.get("url", [""])[0]
    if url.endswith("/api-broken"):
        return Response(503, b"busy", {"Content-Type": "text/plain"})
    closest = WAYBACK.get(url)
    answer: dict[str, object] = {"url": url, "archived_snapshots": {}}
    if closest is not None:
        answer["archived_snapshots"] = {"closest": closest}
    if "timestamp" in query:
        answer["timestamp"] = query["timestamp"][0]
    return Response(
        200, json.dumps(answer).encode(), {"Content-Type": "application/json"}
    )


def routes() -> dict[object, object]:
    gold = page("andean-observer-gold.html")
    return {
        "/gold": Response(200, gold, HTML),
        "/gold-gz": Response(200, gzip.compress(gold), {**HTML, "Content-Encoding": "gzip"}),
        "/gold-other": Response(200, gold, HTML),
        "/old-gold": redirect("/gold-moved", 301),
        "/gold-moved": Response(200, gold, HTML),
        "/via-temporary": redirect("/gold-other", 302),
        "/trata": Response(200, page("trata-bolivia-es.html"), HTML),
        "/cacao": Response(200, page("cacao-cote-divoire-fr.html"), HTML),
        "/press": Response(200, page("press-release-date-in-text.html"), HTML),
        "/kilns.pdf": Response(200, KILN_PDF, {"Content-Type": "application/pdf"}),
        "/tip-peru.pdf": Response(200, TIP_PDF, {"Content-Type": "application/pdf"}),
        "/huge": Response(200, b"<html><body>", HTML, stream_bytes=1_000_000),
        "/script.js": Response(200, b"alert(document.cookie)", {"Content-Type": "application/javascript"}),
        "/reset": Response(behaviour="reset"),
        "/wayback/available": wayback,
    }  # fmt: skip


@pytest.fixture(scope="session")
def web() -> Iterator[FakeWeb]:
    with FakeWeb(routes()) as server:  # type: ignore[arg-type]
        yield server


@pytest.fixture
def wayback_api(web: FakeWeb, settings) -> Iterator[dict[str, dict[str, object]]]:  # type: ignore[no-untyped-def]
    """Point LANTERN_WAYBACK_API at the fake; tests fill in what it knows."""
    settings.LANTERN_WAYBACK_API = web.url("/wayback/available")
    WAYBACK.clear()
    yield WAYBACK
    WAYBACK.clear()
