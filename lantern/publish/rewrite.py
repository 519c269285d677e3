"""Rewriting the links of rendered pages for the static site. Pure text in, text out.

Every internal reference (`href`, `src`, `srcset`, `action`, `xlink:href`, `poster`,
CSS `url()`) goes through a resolver that says which file of the site it is
(`Target`), or that it has none (a live-only page). Published ones become relative
links (`../../entries/12/index.html`), so the site works from any sub-path and from
`file://`; links to live-only pages lose their `<a>` (their text stays), `<link>`s
to them go, and forms that need a server (any POST, any GET not to the search page)
are left out. External links, `mailto:`, `tel:` and `#fragment` links are untouched.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit


@dataclass(frozen=True)
class Target:
    """A file of the static site (path inside OUT_DIR) and the query it keeps."""

    file: str
    query: str = ""


@dataclass(frozen=True)
class Internal:
    path: str
    query: str
    fragment: str


Resolver = Callable[[str, str], "Target | None"]

URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "xlink:href", "poster", "formaction", "data"}
)
_ATTR = r"""(?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)"""
_TOKEN = re.compile(
    r"<!--.*?-->"
    r"|<(?P<raw>script|style|textarea)\b(?P<rawattrs>" + _ATTR + r"*)\s*>"
    r"(?P<rawbody>.*?)</(?P=raw)\s*>"
    r"|<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9:-]*)(?P<attrs>" + _ATTR + r"*)"
    r"\s*(?P<end>/?)>",
    re.S | re.I,
)
_ATTRIBUTE = re.compile(
    r"""(?P<space>\s+)(?P<name>[^\s"'>/=]+)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
)
_FORM = re.compile(r"<form\b(?P<attrs>" + _ATTR + r"*)\s*>.*?</form\s*>", re.S | re.I)
_CSS_URL = re.compile(r"""url\(\s*(?P<q>["']?)(?P<url>[^"')]+)(?P=q)\s*\)""", re.I)
_MAIN = re.compile(r"<main\b", re.I)
_MAIN_END = re.compile(r"<main\b" + "(?:" + _ATTR + r")*\s*>", re.I)


def _attributes(text: str) -> list[tuple[str, str, str | None]]:
    """(leading space, name, unescaped value or None) of a tag's attribute text."""
    found = []
    for m in _ATTRIBUTE.finditer(text):
        raw = m.group("value")
        value = None
        if raw is not None:
            if raw[:1] in "\"'":
                raw = raw[1:-1]
            value = html.unescape(raw)
        found.append((m.group("space"), m.group("name"), value))
    return found


def _attribute_text(attrs: list[tuple[str, str, str | None]]) -> str:
    return "".join(
        f"{space}{name}" if value is None else f'{space}{name}="{html.escape(value)}"'
        for space, name, value in attrs
    )


def internal(value: str, page_url: str, origins: tuple[str, ...]) -> Internal | None:
    """The site path a reference points to, or None when it leaves the site (or is
    a bare `#fragment`, which needs no change)."""
    text = value.strip()
    if not text or text.startswith("#"):
        return None
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https", ""):
            return None
        for origin in origins:
            home = urlsplit(origin)
            prefix = home.path.rstrip("/")
            if (
                parts.netloc == home.netloc
                and parts.scheme in ("", home.scheme)
                and (parts.path == prefix or parts.path.startswith(prefix + "/"))
            ):
                path = parts.path[len(prefix) :] or "/"
                return Internal(path, parts.query, parts.fragment)
        return None
    joined = urlsplit(urljoin("https://site.invalid" + page_url, text))
    return Internal(joined.path or "/", joined.query, joined.fragment)


def relative(target: str, page_file: str) -> str:
    """The link from one file of the site to another."""
    return posixpath.relpath(target, posixpath.dirname(page_file) or ".")


@dataclass
class Rewriter:
    """Rewrites the references of one page (`page_url` as rendered, written to
    `page_file`); `unresolved` collects internal references left as they were."""

    page_url: str
    page_file: str
    resolve: Resolver
    origins: tuple[str, ...]

    def __post_init__(self) -> None:
        self.unresolved: list[str] = []

    def link(self, value: str) -> str | None:
        """The rewritten reference; the value itself when it is not internal; None
        when it is internal but not published."""
        where = internal(value, self.page_url, self.origins)
        if where is None:
            return value
        target = self.resolve(where.path, where.query)
        if target is None:
            return None
        out = relative(target.file, self.page_file)
        if target.query:
            out += "?" + target.query
        if where.fragment:
            out += "#" + where.fragment
        return out

    def _link_or_keep(self, value: str) -> str:
        out = self.link(value)
        if out is None:
            self.unresolved.append(value)
            return value
        return out

    def srcset(self, value: str) -> str:
        candidates = []
        for candidate in value.split(","):
            bits = candidate.strip().split(None, 1)
            if not bits:
                continue
            bits[0] = self._link_or_keep(bits[0])
            candidates.append(" ".join(bits))
        return ", ".join(candidates)

    def css(self, text: str) -> str:
        def swap(m: re.Match[str]) -> str:
            url = m.group("url").strip()
            if url.startswith("data:"):
                return m.group(0)
            q = m.group("q")
            return f"url({q}{self._link_or_keep(url)}{q})"

        return _CSS_URL.sub(swap, text)

    def forms(self, text: str) -> str:
        """Leave out forms that need a server; keep GET forms to the search page."""

        def keep(m: re.Match[str]) -> str:
            attrs = {n.lower(): v for _, n, v in _attributes(m.group("attrs"))}
            if (attrs.get("method") or "get").lower() != "get":
                return ""
            target = self.link(attrs.get("action") or self.page_url)
            if target is None or not target.split("?")[0].endswith("search/index.html"):
                return ""
            return m.group(0)

        return _FORM.sub(keep, text)

    def html(self, text: str) -> str:
        text = self.forms(text)
        out: list[str] = []
        drop_close_a = False
        pos = 0
        for m in _TOKEN.finditer(text):
            out.append(text[pos : m.start()])
            pos = m.end()
            token = m.group(0)
            if token.startswith("<!--"):
                out.append(token)
                continue
            if m.group("raw"):
                name = m.group("raw")
                attrs = self._tag_attributes(name, m.group("rawattrs"))
                body = m.group("rawbody")
                if name.lower() == "style":
                    body = self.css(body)
                out.append(f"<{name}{_attribute_text(attrs or [])}>{body}</{name}>")
                continue
            name = m.group("name")
            lower = name.lower()
            if m.group("close"):
                if lower == "a" and drop_close_a:
                    drop_close_a = False
                    continue
                out.append(token)
                continue
            attrs = self._tag_attributes(name, m.group("attrs"))
            if attrs is None:
                if lower == "a":
                    drop_close_a = True
                continue  # an unpublished link: the tag goes, its text stays
            if lower == "a":
                drop_close_a = False
            end = " /" if m.group("end") else ""
            out.append(f"<{name}{_attribute_text(attrs)}{end}>")
        out.append(text[pos:])
        return "".join(out)

    def _tag_attributes(
        self, tag: str, text: str
    ) -> list[tuple[str, str, str | None]] | None:
        """The tag's attributes with references rewritten; None when the tag must
        go (a link or `<link>` to a page the static site does not have)."""
        attrs = _attributes(text)
        lower = tag.lower()
        rel = next((v or "" for _, n, v in attrs if n.lower() == "rel"), "").lower()
        for i, (space, name, value) in enumerate(attrs):
            key = name.lower()
            if value is None:
                continue
            if key == "style":
                attrs[i] = (space, name, self.css(value))
            elif key == "srcset":
                attrs[i] = (space, name, self.srcset(value))
            elif key in URL_ATTRIBUTES:
                if lower == "link" and "canonical" in rel:
                    continue  # the public address, as the live site gives it
                out = self.link(value)
                if out is None:
                    if lower in ("a", "link", "area") and key in ("href", "xlink:href"):
                        return None
                    self.unresolved.append(value)
                    continue
                attrs[i] = (space, name, out)
        return attrs


def mark_for_search(text: str, filters: list[tuple[str, str]]) -> str:
    """Make `<main>` the part Pagefind indexes and give it the page's filter values
    (country, topic, year), as hidden elements Pagefind reads but does not index."""
    m = _MAIN_END.search(text)
    if m is None:
        return text
    tag = _MAIN.sub("<main data-pagefind-body", m.group(0), count=1)
    hidden = "".join(
        f'<span hidden data-pagefind-ignore data-pagefind-filter="{html.escape(key)}">'
        f"{html.escape(value)}</span>"
        for key, value in filters
        if value
    )
    return text[: m.start()] + tag + hidden + text[m.end() :]


ARCHIVE_POLICY = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "img-src * data:; style-src * 'unsafe-inline'; font-src * data:; "
    "media-src *; form-action 'none'\">"
)
_DOCTYPE = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!doctype[^>]*>)?", re.I)


def lock_archived_html(body: bytes) -> bytes:
    """An archived HTML page as captured, with a content security policy put first
    so none of its scripts run in the site's origin (a static host cannot send
    the live site's `Content-Security-Policy: sandbox` header)."""
    m = _DOCTYPE.match(body)
    end = m.end() if m else 0
    return body[:end] + ARCHIVE_POLICY.encode() + body[end:]
