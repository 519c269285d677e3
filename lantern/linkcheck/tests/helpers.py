"""Pages, PDFs and a one-call checker for the link-check tests."""

from __future__ import annotations

import asyncio
from typing import Any

from lantern.core.fakeweb import Response, html
from lantern.core.http import Limits, make_client
from lantern.linkcheck.checker import CheckResult, check_url
from lantern.linkcheck.politeness import Politeness, RetryPolicy, RobotsRules

# Small limits keep the slow and never-answering cases to about a second.
LIMITS = Limits(connect=1, read=0.5, total=1.5, max_bytes=300_000, max_redirects=5)
RETRY = RetryPolicy(attempts=3, base=0.05, cap=0.2, retry_after_cap=5)

QUOTE = (
    "Traffickers recruit young women from rural provinces with false offers of "
    "restaurant work in the capital, then hold them in debt bondage."
)
OTHER_TEXT = (
    "The ministry announced a new programme of vocational training for teachers "
    "in coastal districts, with courses starting next spring in six towns."
)
FILLER = " ".join(
    f"Paragraph {n} of the report describes labour inspections, prosecutions and "
    f"shelters in region {n}."
    for n in range(12)
)


def article(quote: str = QUOTE, *, title: str = "Report on trafficking") -> Response:
    """A realistic article page carrying `quote`."""
    return html(
        f"<header><nav>Home · Reports · About</nav></header><h1>{title}</h1>"
        f"<p>{FILLER}</p><blockquote><p>{quote}</p></blockquote><p>{FILLER}</p>",
        title=title,
    )


def home_page() -> Response:
    return html(
        "<h1>Anti-Slavery Network</h1><p>We publish research on forced labour, "
        "child labour and human trafficking across the region.</p>"
        "<ul><li>Latest reports</li><li>Campaigns</li><li>Contact us</li></ul>"
        f"<p>{FILLER}</p>",
        title="Anti-Slavery Network: home",
    )


def make_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text is `lines` (Helvetica), built by hand."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = (
        "BT /F1 11 Tf 50 750 Td 14 TL "
        + " ".join(f"({escape(line)}) Tj T*" for line in lines)
        + " ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return out


def words_in_lines(text: str, per_line: int = 8) -> list[str]:
    words = text.split()
    return [" ".join(words[i : i + per_line]) for i in range(0, len(words), per_line)]


def pdf(text: str) -> Response:
    return Response(
        200,
        make_pdf(["Annual report", *words_in_lines(text)]),
        {"Content-Type": "application/pdf"},
    )


def check(
    url: str,
    excerpt: list[str] | None = None,
    *,
    robots: RobotsRules | None = None,
    politeness: Politeness | None = None,
    **client: Any,
) -> CheckResult:
    """Check one URL with a fresh client (as a run would, minus the database)."""

    async def go() -> CheckResult:
        async with make_client(limits=LIMITS, allow_private=True, **client) as c:
            return await check_url(
                c,
                url,
                excerpt=[QUOTE] if excerpt is None else excerpt,
                limits=LIMITS,
                robots=robots or RobotsRules(),
                politeness=politeness,
                retry=RETRY,
            )

    return asyncio.run(go())
