"""A reading list written out: its bibliography in a citation style as a
standalone HTML document, Markdown, plain text or a Word document, and its
entries as BibTeX or RIS.

The bibliography is the HTML Lantern's citation engine gives (`render_html`,
which escapes the entries' own text); for the other formats that HTML is read
back into runs of text with their emphasis (italic, bold, small capitals …), so
every format says the same thing. Pure apart from the citation engine's cache."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from html.parser import HTMLParser

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.shared import Inches, Pt

from lantern.cite.bibtex import write_bibtex
from lantern.cite.csl import CslItem
from lantern.cite.ris import write_ris
from lantern.web.cite_views import Cited, render_html

# Format → (label, content type, file extension).
FORMATS: dict[str, tuple[str, str, str]] = {
    "html": ("HTML", "text/html; charset=utf-8", "html"),
    "md": ("Markdown", "text/markdown; charset=utf-8", "md"),
    "txt": ("Plain text", "text/plain; charset=utf-8", "txt"),
    "docx": (
        "Word (DOCX)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "docx",
    ),
    "bib": ("BibTeX", "application/x-bibtex; charset=utf-8", "bib"),
    "ris": ("RIS", "application/x-research-info-systems; charset=utf-8", "ris"),
}
# The formats that are a bibliography in a style (the others ignore the style).
STYLED = ("html", "md", "txt", "docx")


@dataclass(frozen=True)
class Run:
    """A stretch of a reference's text with one emphasis."""

    text: str
    italic: bool = False
    bold: bool = False
    underline: bool = False
    small_caps: bool = False
    superscript: bool = False
    subscript: bool = False
    href: str = ""


_SMALL_CAPS = re.compile(r"font-variant\s*:\s*small-caps")


class _RunReader(HTMLParser):
    """The runs of one reference's HTML (the few tags citeproc-py writes, and
    the link to an archived copy)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[Run] = []
        self._stack: list[tuple[str, Run]] = []

    @property
    def _current(self) -> Run:
        return self._stack[-1][1] if self._stack else Run("")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        style = dict(attrs)
        run = self._current
        if tag in ("i", "em"):
            run = replace(run, italic=True)
        elif tag in ("b", "strong"):
            run = replace(run, bold=True)
        elif tag == "u":
            run = replace(run, underline=True)
        elif tag == "sup":
            run = replace(run, superscript=True)
        elif tag == "sub":
            run = replace(run, subscript=True)
        elif tag == "span" and _SMALL_CAPS.search(style.get("style") or ""):
            run = replace(run, small_caps=True)
        elif tag == "a":
            run = replace(run, href=style.get("href") or "")
        self._stack.append((tag, run))

    def handle_endtag(self, tag: str) -> None:
        for at in range(len(self._stack) - 1, -1, -1):
            if self._stack[at][0] == tag:
                del self._stack[at:]
                break

    def handle_data(self, data: str) -> None:
        if not data:
            return
        run = replace(self._current, text=data)
        if self.runs and replace(self.runs[-1], text="") == replace(run, text=""):
            self.runs[-1] = replace(self.runs[-1], text=self.runs[-1].text + data)
        else:
            self.runs.append(run)


def runs_of(html: str) -> list[Run]:
    """A reference's HTML as runs of text (entities decoded)."""
    reader = _RunReader()
    reader.feed(html)
    reader.close()
    return reader.runs


def plain_of(html: str) -> str:
    return "".join(run.text for run in runs_of(html))


@dataclass(frozen=True)
class Bibliography:
    """A reading list cited in one style, ready to be written out."""

    title: str
    style: str
    style_label: str
    cited: list[Cited]  # in the style's order
    share_url: str  # the address that shows the list, "" if not known
    made_on: dt.date


def bibliography(
    items: Sequence[CslItem],
    *,
    style: str,
    style_label: str,
    title: str = "Reading list",
    share_url: str = "",
    made_on: dt.date | None = None,
) -> Bibliography:
    """`items` cited in `style`. Raises UnknownStyle, StyleFailed."""
    return Bibliography(
        title=title,
        style=style,
        style_label=style_label,
        cited=render_html(items, style),
        share_url=share_url,
        made_on=made_on or timezone.localdate(),
    )


def _count(n: int) -> str:
    return f"{n} {'entry' if n == 1 else 'entries'}"


def _about(bib: Bibliography) -> str:
    return (
        f"{bib.style_label} · {_count(len(bib.cited))} · "
        f"made with Lantern on {bib.made_on.day} {bib.made_on:%B %Y}"
    )


def write_html(bib: Bibliography) -> str:
    """A standalone HTML document: the references as the site shows them."""
    return render_to_string(
        "readinglist/export.html", {"bib": bib, "about": _about(bib)}
    )


def write_text(bib: Bibliography) -> str:
    lines = [bib.title, _about(bib), ""]
    for cited in bib.cited:
        lines += [plain_of(cited.reference), ""]
    if bib.share_url:
        lines.append(f"This list online: {bib.share_url}")
    return "\n".join(lines).rstrip("\n") + "\n"


# Characters that mean something to Markdown inside a paragraph.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&#])")
# A paragraph starting with these would become a list item.
_MD_BULLET = re.compile(r"^(\s*)([-+])")
_MD_NUMBER = re.compile(r"^(\s*\d+)([.)])")


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_url(url: str) -> str:
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def markdown_of(html: str) -> str:
    """A reference's HTML as one Markdown paragraph."""
    out = []
    for run in runs_of(html):
        text = _md_escape(run.text)
        stripped = text.strip()
        if stripped and (run.italic or run.bold):
            # Emphasis marks must touch the words they wrap.
            mark = ("*" if run.italic else "") + ("**" if run.bold else "")
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            text = f"{lead}{mark}{stripped}{mark[::-1]}{trail}"
        if run.href.startswith(("http://", "https://")):
            text = f"[{text}]({_md_url(run.href)})"
        out.append(text)
    paragraph = " ".join("".join(out).split())
    paragraph = _MD_BULLET.sub(r"\1\\\2", paragraph)
    return _MD_NUMBER.sub(r"\1\\\2", paragraph)


def write_markdown(bib: Bibliography) -> str:
    parts = [f"# {_md_escape(bib.title)}", _md_escape(_about(bib))]
    parts += [markdown_of(cited.reference) for cited in bib.cited]
    if bib.share_url:
        parts.append(f"This list online: <{bib.share_url}>")
    return "\n\n".join(parts) + "\n"


def write_docx(bib: Bibliography) -> bytes:
    """A Word document: a heading, then each reference as a paragraph with a
    hanging indent, its emphasis kept as run formatting."""
    document = Document()
    document.core_properties.title = bib.title
    document.add_heading(bib.title, level=1)
    document.add_paragraph(_about(bib))
    for cited in bib.cited:
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Inches(0.5)
        paragraph.paragraph_format.first_line_indent = Inches(-0.5)
        paragraph.paragraph_format.space_after = Pt(8)
        for run in runs_of(cited.reference):
            written = paragraph.add_run(run.text)
            written.italic = run.italic or None
            written.bold = run.bold or None
            written.underline = run.underline or None
            written.font.small_caps = run.small_caps or None
            written.font.superscript = run.superscript or None
            written.font.subscript = run.subscript or None
    if bib.share_url:
        document.add_paragraph(f"This list online: {bib.share_url}")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_bib(items: Sequence[CslItem]) -> str:
    """BibTeX, the entries in the list's order."""
    return write_bibtex(list(items))


def write_ris_file(items: Sequence[CslItem]) -> str:
    """RIS, the entries in the list's order."""
    return write_ris(list(items))
