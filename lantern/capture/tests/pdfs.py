"""A small, valid PDF written by hand (Helvetica text on real pages, document
information with title, author and dates), so tests need no PDF library to make one."""

from __future__ import annotations

import textwrap


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content(paragraphs: list[str]) -> bytes:
    lines = ["BT", "/F1 10 Tf", "13 TL", "56 780 Td"]
    for paragraph in paragraphs:
        for line in textwrap.wrap(paragraph, 90):
            lines.append(f"({_escape(line)}) Tj T*")
        lines.append("T*")  # a blank line between paragraphs
    lines.append("ET")
    return "\n".join(lines).encode("latin-1")


def make_pdf(
    pages: list[list[str]],
    *,
    title: str = "",
    author: str = "",
    created: str = "D:20200612093000Z",
) -> bytes:
    """A PDF with one page per item of `pages` (each a list of paragraphs)."""
    count = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>",
    ]
    for i, paragraphs in enumerate(pages):
        stream = _content(paragraphs)
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(
            f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream"
        )
    info = (
        f"<< /Producer (Lantern tests) /CreationDate ({created}) /ModDate ({created})"
    )
    if title:
        info += f" /Title ({_escape(title)})"
    if author:
        info += f" /Author ({_escape(author)})"
    objects.append((info + " >>").encode("latin-1"))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info {len(objects)} 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)
