"""What a fetched body says: its text (HTML, PDF or plain text), its fingerprint,
and whether it is a "not found" page, a bot challenge or a site's home page. Pure
functions over a `FetchResult`; the checker decides what follows from them."""

from __future__ import annotations

import functools
import hashlib
import io
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from lantern.core.http import FetchResult
from lantern.core.matching import normalise, page_text

# ------------------------------------------------------------------- page content


@dataclass(frozen=True)
class Page:
    """A fetched body read as a document."""

    kind: str  # "html", "pdf", "text" or "other"
    text: str | None  # None when the body cannot be read as text
    problem: str = ""
    document: str = ""  # the HTML, for the title and headings

    @functools.cached_property
    def _title_and_headings(self) -> tuple[str, tuple[str, ...]]:
        # Only pages that lack the excerpt need these: parsed on first use.
        if not self.document:
            return "", ()
        try:
            root = lxml_html.document_fromstring(self.document)
        except (ValueError, TypeError, etree.ParserError):
            return "", ()
        title = " ".join(" ".join(root.xpath("//title//text()")).split())
        headings = tuple(
            " ".join(node.text_content().split())
            for node in root.xpath("//h1|//h2")[:12]
        )
        return title, headings

    @property
    def title(self) -> str:
        return self._title_and_headings[0]

    @property
    def headings(self) -> tuple[str, ...]:
        return self._title_and_headings[1]

    @functools.cached_property
    def normalised(self) -> str:
        """The page's text normalised once, for the hash and the excerpt search."""
        return normalise(self.text or "")

    def leading_words(self, count: int = 5000) -> list[str]:
        """The first `count` normalised words (enough to compare two pages)."""
        return normalise(_head(self.text or "", count * 20)).split()[:count]


MAX_PARSED_CHARS = 5_000_000


def read_page(result: FetchResult) -> Page:
    """The text, title and headings of a fetched body (HTML, PDF or plain text)."""
    body = result.body
    kind_of = result.content_type
    if kind_of == "application/pdf" or body[:5] == b"%PDF-":
        return _read_pdf(body, truncated=result.truncated)
    if kind_of in {"text/html", "application/xhtml+xml"} or (
        kind_of in {"", "text/plain", "application/octet-stream"}
        and body.lstrip()[:1] == b"<"
    ):
        document = result.text()
        if len(document) > MAX_PARSED_CHARS:
            # Parsing costs many times a document's size in memory; a cited
            # passage is not found beyond the first few megabytes in practice.
            return Page(
                "html",
                page_text(document[:MAX_PARSED_CHARS]),
                problem=f"only the first {MAX_PARSED_CHARS // 1_000_000} MB were read",
                document=document[:MAX_PARSED_CHARS],
            )
        return Page("html", page_text(document), document=document)
    if kind_of.startswith("text/") or kind_of in {
        "application/json",
        "application/xml",
    }:
        return Page("text", result.text())
    return Page("other", None)


def _read_pdf(body: bytes, *, truncated: bool) -> Page:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(body))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except Exception as exc:  # pypdf raises many kinds; an unreadable PDF is data
        cut = " (the file was larger than the fetch limit)" if truncated else ""
        return Page("pdf", None, problem=f"could not read the PDF's text{cut}: {exc}")
    return Page("pdf", text)


def _head(text: str, size: int) -> str:
    """The start of `text`, about `size` characters, cut between words."""
    if len(text) <= size:
        return text
    cut = text.rfind(" ", 0, size)
    return text[: cut if cut > 0 else size]


def fingerprint(result: FetchResult) -> str:
    """The content hash of a fetched page, as checks record it (one definition for
    the first access a curator's `lantern add` records and every later check)."""
    return content_hash(read_page(result), result.body)


def content_hash(page: Page, body: bytes) -> str:
    """SHA-256 of the page's normalised text (of the body when it has none)."""
    if page.text is not None:
        return hashlib.sha256(page.normalised.encode()).hexdigest()
    return hashlib.sha256(body).hexdigest() if body else ""


# ------------------------------------------------------------- recognising pages


def _phrases(*items: str) -> tuple[str, ...]:
    return tuple(normalise(item) for item in items)


# Titles and headings of "not found" pages, in the languages of the library's
# sources. Matched on normalised text (case, accents and punctuation folded).
NOT_FOUND_HEADINGS = _phrases(
    "page not found", "not found", "page cannot be found", "page could not be found",
    "page does not exist", "page no longer exists", "no longer available",
    "file not found", "document not found", "article not found", "nothing found",
    "nothing was found", "we can't find", "we couldn't find", "can't be found",
    "page missing", "error 404", "404 error", "404 page",
    "página no encontrada", "no se encontró la página", "la página no existe",
    "no encontrado", "no encontrada", "página não encontrada", "não encontrada",
    "não encontrado", "page introuvable", "page non trouvée", "page inexistante",
    "cette page n'existe pas", "introuvable", "seite nicht gefunden",
    "nicht gefunden", "seite existiert nicht", "pagina non trovata", "non trovata",
    "pagina niet gevonden", "niet gevonden", "strona nie istnieje",
    "nie znaleziono", "sayfa bulunamadı", "halaman tidak ditemukan",
    "halaman tidak dijumpai", "không tìm thấy trang", "ukurasa haupatikani",
    "страница не найдена", "не найдена", "не найдено", "сторінку не знайдено",
    "الصفحة غير موجودة", "لم يتم العثور", "页面不存在", "找不到页面", "页面未找到",
    "ページが見つかりません", "페이지를 찾을 수 없습니다", "ไม่พบหน้า",
)  # fmt: skip
# Whole titles or headings that on their own mean "not found".
NOT_FOUND_EXACT = frozenset(_phrases("404", "error", "oops", "sorry", "gone"))
# Sentences a short "not found" page says in its text.
NOT_FOUND_TEXT = _phrases(
    "page not found", "page you requested could not be found",
    "page you are looking for", "page you were looking for", "does not exist",
    "no longer exists", "has been removed", "could not be found",
    "página no encontrada", "página que buscas", "page introuvable",
    "seite nicht gefunden", "pagina non trovata", "página não encontrada",
    "страница не найдена",
)  # fmt: skip
SHORT_PAGE = 1500  # characters of text: longer pages are articles, not error pages

CHALLENGE_TITLES = _phrases(
    "just a moment", "attention required", "checking your browser",
    "please wait while we verify", "verifying you are human", "verify you are human",
    "are you a robot", "are you a human", "human verification", "security check",
    "access denied", "pardon our interruption", "ddos-guard", "one more step",
    "robot check", "request rejected", "you have been blocked", "bot verification",
    "captcha", "please enable cookies", "too many requests",
)  # fmt: skip
CHALLENGE_MARKERS = (
    b"cf-chl-", b"cf_chl_opt", b"/cdn-cgi/challenge-platform", b"captcha-delivery.com",
    b"_incapsula_resource", b"incapsula incident id", b"px-captcha",
    b"sucuri website firewall", b"ddos-guard", b"g-recaptcha", b"h-captcha",
    b"hcaptcha.com", b"awswaf", b"sgcaptcha",
)  # fmt: skip


def _contains(text: str, phrase: str) -> bool:
    if " " in phrase or phrase.isascii():
        return f" {phrase} " in f" {text} "
    return phrase in text  # scripts written without spaces between words


def not_found_page(page: Page) -> str:
    """Why a page served with 200 reads as a "not found" page ('' when it does not)."""
    if page.kind != "html":
        return ""
    for heading in (page.title, *page.headings):
        folded = normalise(heading)
        if not folded:
            continue
        if folded in NOT_FOUND_EXACT or any(
            _contains(folded, phrase) for phrase in NOT_FOUND_HEADINGS
        ):
            return f"the page says it was not found (“{heading[:80]}”)"
    text = page.text or ""
    if len(text) <= SHORT_PAGE:
        folded = normalise(text)
        for phrase in NOT_FOUND_TEXT:
            if _contains(folded, phrase):
                return f"the page says it was not found (“{phrase}”)"
    return ""


def challenge(result: FetchResult, page: Page) -> str:
    """Why a response is a bot challenge rather than the page ('' when it is not)."""
    if result.header("cf-mitigated"):
        return f"bot challenge (cf-mitigated: {result.header('cf-mitigated')})"
    if page.kind != "html":
        return ""
    title = normalise(page.title)
    for phrase in CHALLENGE_TITLES:
        if title and _contains(title, phrase):
            return f"bot challenge (page titled “{page.title[:80]}”)"
    status = result.status or 0
    if status >= 400 or len(page.text or "") <= SHORT_PAGE:
        head = result.body[:200_000].lower()
        for marker in CHALLENGE_MARKERS:
            if marker in head:
                return f"bot challenge ({marker.decode()} on the page)"
    return ""


_HOME = re.compile(
    r"^/?(?:[a-z]{2}(?:[-_][a-z]{2})?/?)?(?:(?:index|default|home|start)(?:\.\w+)?)?/?$",
    re.IGNORECASE,
)


def is_home(url: str) -> bool:
    """Whether a URL is a site's home page (`/`, `/index.html`, `/en/` …)."""
    parts = urlsplit(url)
    return not parts.query and bool(_HOME.match(parts.path or "/"))


def shingles(words: list[str], size: int = 3) -> set[tuple[str, ...]]:
    words = words[:5000]
    if len(words) < size:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def resemblance(a: set[tuple[str, ...]], b: set[tuple[str, ...]]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
