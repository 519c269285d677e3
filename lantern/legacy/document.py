"""Turning a saved legacy page (HTML as published, or a text rendering) into numbered
lines of text, the common input of every page parser.

A *line* is a paragraph-sized piece of text with the physical line number(s) it came
from, so every message and every unparsed line can name its place as `file:line`. For
HTML a line is a block (paragraph, cell, list item, `<br>`-separated run) and keeps the
links inside it; for text it is a physical line, except that hard-wrapped paragraphs
are joined back together. Pure: reads bytes, touches nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from lxml import etree
from lxml import html as lxml_html

from lantern.core.text import clean_space


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass
class Line:
    """A paragraph of text and the physical lines it spans (first and last)."""

    no: int
    text: str
    last: int = 0
    links: tuple[Link, ...] = ()
    is_image: bool = False  # an image's alt text, not running text
    anchor: object = Ellipsis  # the entry-anchor kind, once worked out

    def __post_init__(self) -> None:
        if not self.last:
            self.last = self.no

    @property
    def numbers(self) -> range:
        return range(self.no, self.last + 1)


@dataclass
class Document:
    rendering: str  # "html" | "text"
    lines: list[Line]
    line_count: int  # physical lines in the file
    title: str = ""  # HTML <title>
    meta_description: str = ""  # HTML <meta name="description">
    nonblank: list[int] = field(default_factory=list)  # physical lines with text


# ------------------------------------------------------------------------------ bytes


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (with or without BOM), else Windows-1252, else Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


_HTML_SNIFF = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|p|div|table|meta|title|br|font|span)\b",
    re.IGNORECASE,
)


def looks_like_html(data: bytes) -> bool:
    head = data[:4096].lstrip()
    return (bool(_HTML_SNIFF.search(head)) and head[:1] == b"<") or bool(
        re.search(rb"<(html|body)\b", head, re.IGNORECASE)
    )


def read_document(data: bytes) -> Document:
    """Parse a file's bytes into a Document, choosing the rendering by content."""
    if looks_like_html(data):
        return read_html(data)
    return read_text(decode(data))


# ------------------------------------------------------------------------------- text

_DEBRIS = re.compile(r"^[|\s–—\-_=+*~·•.]*$")


def is_debris(text: str) -> bool:
    """Layout leftovers of a text rendering: `|`, `||`, a lone dash."""
    return bool(_DEBRIS.match(text)) and not re.fullmatch(r"\*{3}.*\*{3}", text)


def _normalise(text: str) -> str:
    """A physical line without its ends' whitespace; inner spacing is kept (double
    spaces separate run-together fields on flattened lines)."""
    for old, new in (
        ("\t", "    "),
        ("\u00a0", " "),
        ("\ufeff", ""),
        ("\r", ""),
        ("\x00", ""),
    ):
        text = text.replace(old, new)
    return text.strip()


# A line that must stand alone in any rendering: never joined to a neighbour.
_STANDALONE = re.compile(
    r"^(\[\s*accessed\b|\[page\b|note\s*::|\*{2,}|https?://|www\.|country code\s*:|"
    r"help for victims|caution\s*:|main menu$|street children$|archives?\b|"
    r"\d{1,3}[.)]\s|[•·▪*–-]\s)",
    re.IGNORECASE,
)


def _wrap_width(texts: list[str]) -> int:
    """The column a hard-wrapped text was wrapped at, or 0 if it is not hard-wrapped.

    Judged from the lines that another line follows directly (the wrapped ones): their
    length, near the 95th percentile, is the wrap width; a text with many lines much
    longer than that is not wrapped.
    """
    lengths = [len(t) for t in texts if t]
    if len(lengths) < 8:
        return 0
    followed = sorted(
        len(t)
        for t, nxt in pairwise(texts)
        if t and nxt and not _STANDALONE.match(nxt) and not _STANDALONE.match(t)
    )
    if len(followed) < 4:
        return 0
    width = followed[int(0.95 * (len(followed) - 1))]
    if width > 100 or width < 30:
        return 0
    too_long = sum(1 for n in lengths if n > width + 10)
    if too_long > max(2, len(lengths) // 20):
        return 0
    return width


# Lines that are complete in themselves: nothing continues them.
_CLOSED = re.compile(
    r"^(\[\s*accessed\b.*\]|\[page\b.*\]|\*{2,}.*|https?://\S+|www\.\S+|"
    r"help for victims\W*|main menu|street children|archives?\b.*)$",
    re.IGNORECASE,
)


def _joins(previous: str, current: str, width: int) -> bool:
    """Whether `current` continues `previous` in a text hard-wrapped at `width`."""
    if not previous or not current or not width:
        return False
    if _STANDALONE.match(current) or _CLOSED.match(previous):
        return False
    if is_debris(current) or is_debris(previous):
        return False
    first_word = current.split(" ", 1)[0]
    # The line before was broken because the next word did not fit.
    return (
        len(previous) + 1 + len(first_word) > width - 2 and len(previous) >= width * 0.6
    )


def read_text(text: str) -> Document:
    """Lines of a text rendering; hard-wrapped paragraphs are joined again."""
    physical = [_normalise(t) for t in text.split("\n")]
    if physical and physical[-1] == "":
        physical.pop()
    width = _wrap_width(physical)
    lines: list[Line] = []
    nonblank = []
    for number, content in enumerate(physical, start=1):
        if not content:
            continue
        nonblank.append(number)
        if (
            lines
            and lines[-1].last == number - 1
            and _joins(physical[number - 2], content, width)
        ):
            joined = lines[-1]
            joined.text = f"{joined.text} {content}"
            joined.last = number
            continue
        lines.append(Line(no=number, text=content))
    return Document("text", lines, len(physical), nonblank=nonblank)


# ------------------------------------------------------------------------------- html

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "dt",
        "dd",
        "td",
        "th",
        "tr",
        "table",
        "blockquote",
        "pre",
        "center",
        "address",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "ul",
        "ol",
        "dl",
        "form",
        "hr",
        "title",
        "body",
    ]
)
_SKIP_TAGS = frozenset(
    ["script", "style", "head", "noscript", "template", "xml", "object"]
)


def safe_href(href: str) -> str:
    """A link address worth keeping: web, mail or relative; '' for `javascript:`,
    `data:` and other schemes a page should never carry into the library."""
    href = href.strip()
    scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", href)
    if scheme and scheme.group(1).lower() not in {"http", "https", "mailto", "ftp"}:
        return ""
    return href


class _Collector:
    """Walks an lxml tree and emits one Line per block of text.

    `cursor` follows the physical line the walk has reached (element start lines come
    from lxml; text moves the cursor by its newlines), so tail text gets its line
    without serialising anything."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.links: list[Link] = []
        self.line_no = 0
        self.last_no = 0
        self.cursor = 1

    def flush(self) -> None:
        text = clean_space("".join(self.parts))
        if text:
            links = tuple(link for link in self.links if link.text or link.href)
            self.lines.append(
                Line(
                    no=self.line_no or 1,
                    text=text,
                    last=max(self.last_no, self.line_no),
                    links=links,
                )
            )
        self.parts = []
        self.links = []
        self.line_no = 0
        self.last_no = 0

    def add_text(self, text: str | None) -> None:
        """Append text that starts at the cursor, and move the cursor past it."""
        if not text:
            return
        stripped = text.lstrip()
        if stripped:
            first = self.cursor + text[: len(text) - len(stripped)].count("\n")
            if not self.line_no:
                self.line_no = first
            self.last_no = max(self.last_no, first + stripped.rstrip().count("\n"))
        self.parts.append(text)
        self.cursor += text.count("\n")

    def walk(self, element: etree._Element) -> None:
        if element.sourceline:
            self.cursor = max(self.cursor, element.sourceline)
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.rsplit("}", 1)[-1].lower()
        if not tag or tag in _SKIP_TAGS:  # comments, scripts, styles
            self.add_text(element.tail)
            return
        block = tag in _BLOCK_TAGS
        if block or tag == "br":
            self.flush()
        if tag == "img":
            alt = clean_space(element.get("alt") or "")
            if alt:
                self.flush()
                self.lines.append(Line(no=self.cursor, text=alt, is_image=True))
        link_start = len("".join(self.parts))
        self.add_text(element.text)
        for child in element:
            self.walk(child)
        href = safe_href(element.get("href") or "") if tag == "a" else ""
        if href:
            joined = "".join(self.parts)
            text = clean_space(
                joined[link_start:] if link_start <= len(joined) else joined
            )
            self.links.append(Link(text=text, href=href))
        if block:
            self.flush()
        self.add_text(element.tail)


def _iter_meta(tree: etree._Element) -> Iterator[tuple[str, str]]:
    for meta in tree.iter("meta"):
        name = (meta.get("name") or "").lower()
        if name:
            yield name, meta.get("content") or ""


def read_html(data: bytes) -> Document:
    """Blocks of text of an HTML page, with their source lines and links."""
    text = decode(data)
    # Word writes `<![if !supportLists]>` markers that are not comments; drop them.
    text = re.sub(r"<!\[(?:end)?if[^\]]*\]>", "", text, flags=re.IGNORECASE)
    text = re.sub(r"<\?xml[^>]*>", "", text)
    parser = lxml_html.HTMLParser(recover=True, encoding="utf-8", remove_comments=True)
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError):
        return read_text(re.sub(r"<[^>]+>", " ", text))
    collector = _Collector()
    body = root.find("body")
    collector.walk(body if body is not None else root)
    collector.flush()
    title_el = root.find(".//title")
    title = clean_space(title_el.text_content()) if title_el is not None else ""
    meta = dict(_iter_meta(root))
    physical = text.split("\n")
    nonblank = sorted({n for line in collector.lines for n in line.numbers})
    return Document(
        "html",
        collector.lines,
        len(physical),
        title=title,
        meta_description=clean_space(meta.get("description", "")),
        nonblank=nonblank,
    )
