"""The interface in Spanish, French and Portuguese: chosen by the browser or the
switcher, remembered in a cookie, and complete in every catalogue."""

from __future__ import annotations

import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]
LOCALE = ROOT / "lantern" / "locale"
LANGUAGES = ["es", "fr", "pt"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\w*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")

pytestmark = pytest.mark.django_db


def _i18n_script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("i18n", ROOT / "scripts" / "i18n.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _html(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("header", "lang", "word"),
    [
        ("es-MX,es;q=0.9,en;q=0.5", "es", "Países"),
        ("fr-CA,fr;q=0.9", "fr", "Pays"),
        ("pt-BR,pt;q=0.8", "pt", "Países"),
        ("de-DE,de;q=0.9", "en", "Countries"),
    ],
)
def test_the_browser_language_chooses_the_interface(
    client: Client, header: str, lang: str, word: str
) -> None:
    html = _html(client.get("/countries/", headers={"accept-language": header}))
    assert f'<html lang="{lang}">' in html
    assert f">{word}</a>" in html.split("</nav>")[0]
    response = client.get("/countries/", headers={"accept-language": header})
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary


def test_the_switcher_remembers_the_choice_and_returns_to_the_page(
    client: Client,
) -> None:
    html = _html(client.get("/countries/"))
    assert 'href="/language/fr/?next=/countries/"' in html
    assert 'lang="fr" hreflang="fr"' in html
    assert 'aria-current="true">English</a>' in html

    response = client.get("/language/fr/", {"next": "/countries/"})
    assert response.status_code == 302
    assert response["Location"] == "/countries/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fr"
    assert cookie["max-age"] == settings.LANGUAGE_COOKIE_AGE
    assert cookie["samesite"] == "Lax"

    # The cookie outranks the browser's own preference.
    html = _html(client.get("/countries/", headers={"accept-language": "es"}))
    assert '<html lang="fr">' in html
    assert 'aria-current="true">Français</a>' in html


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/path", "javascript:alert(1)", ""],
)
def test_the_switcher_never_leaves_the_site(client: Client, target: str) -> None:
    response = client.get("/language/es/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_an_unknown_language_changes_nothing(client: Client) -> None:
    response = client.get("/language/xx/", {"next": "/help/"})
    assert response.status_code == 302
    assert response["Location"] == "/help/"
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert '<html lang="en">' in _html(client.get("/help/"))


def test_the_switcher_keeps_the_query_of_the_page(client: Client) -> None:
    html = _html(client.get("/search/", {"q": "fishing boats"}))
    assert 'href="/language/pt/?next=/search/%3Fq%3Dfishing%2Bboats"' in html
    response = client.get("/language/pt/", {"next": "/search/?q=fishing+boats"})
    assert response["Location"] == "/search/?q=fishing+boats"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_keeps_its_placeholders(
    language: str,
) -> None:
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert len(catalogue) > 100
    problems = []
    for entry in catalogue:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        targets = (
            list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        )
        for target in targets:
            if not target.strip():
                problems.append(f"untranslated: {entry.msgid!r}")
                continue
            # A plural's singular may leave the number out ("one entry").
            wanted = set(PLACEHOLDER.findall(sources[-1])) | set(
                PLACEHOLDER.findall(sources[0])
            )
            if not set(PLACEHOLDER.findall(target)) <= wanted:
                problems.append(f"unknown placeholder in {target!r}")
            if sorted(TAG.findall(target)) != sorted(TAG.findall(sources[0])):
                problems.append(f"markup differs: {entry.msgid!r} -> {target!r}")
        if not entry.msgid_plural:
            missing = set(PLACEHOLDER.findall(entry.msgid)) - set(
                PLACEHOLDER.findall(entry.msgstr)
            )
            if missing:
                problems.append(f"lost {missing} in {entry.msgstr!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    source = polib.pofile(str(folder / "django.po"))
    compiled = polib.mofile(str(folder / "django.mo"))
    expected = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in source
        if not entry.obsolete and "fuzzy" not in entry.flags
    }
    found = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in compiled
        if entry.msgid
    }
    assert found == expected, "run: uv run python scripts/i18n.py update"


def test_the_catalogue_holds_every_marked_message() -> None:
    """A string marked in a template or module but missing from the catalogues
    would stay English; `scripts/i18n.py update` adds it."""
    script = _i18n_script()
    files = [
        str(path)
        for pattern in ("*.html", "*.py")
        for path in (ROOT / "lantern").rglob(pattern)
        if "tests" not in path.parts and "migrations" not in path.parts
    ]
    marked = {(item.get("msgctxt"), item["msgid"]) for item in script.msgids(files)}
    catalogue = polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))
    held = {(entry.msgctxt, entry.msgid) for entry in catalogue if not entry.obsolete}
    assert marked - held == set(), "run: uv run python scripts/i18n.py update"
    assert held - marked == set(), "stale messages: scripts/i18n.py update drops them"


PAGES = [
    "/",
    "/countries/",
    "/countries/pe/",
    "/countries/pe/cite/",
    "/regions/",
    "/regions/419/",
    "/entries/{entry}/",
    "/entries/{entry}/cite/",
    "/search/?q=trafficking",
    "/search/?q=nothing-matches-this-word",
    "/topics/",
    "/topics/forced-labour/",
    "/compare/?c=pe&c=bo&c=cl",
    "/map/",
    "/help/",
    "/teachers/",
    "/term-papers/",
    "/about/",
    "/reading-list/",
    "/reading-list/shared/?ids={entry}",
]


class _Texts(HTMLParser):
    """Each text node and label-like attribute of a page, whitespace folded: an
    interface message is a whole node (a heading, a label, a button), whereas
    library text that merely contains the same words is not."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "alt", "placeholder") and value:
                self.texts.add(" ".join(value.split()))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.add(" ".join(data.split()))


def _texts(html: str) -> set[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_of_the_demo_library_show_no_english_the_catalogue_translates(
    client: Client, language: str, settings, tmp_path
) -> None:
    """Every kind of public page renders in the language, and no message the
    catalogue translates is left in English on it (a string evaluated too early, at
    import, would be)."""
    from lantern.library.demo import load_demo
    from lantern.library.models import Country, Entry, Topic

    settings.LANTERN_SEARCH_DIR = str(tmp_path / "search")
    assert load_demo()
    entry = Entry.objects.filter(primary_country__code="PE").order_by("pk").first()
    assert entry is not None
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    english = {
        entry.msgid
        for entry in catalogue
        if not entry.msgid_plural
        and entry.msgstr != entry.msgid
        and len(entry.msgid) >= 3
        and "%" not in entry.msgid
        and "<" not in entry.msgid
    }
    # The library's own names are data, even when a message reads the same.
    names = set(Topic.objects.values_list("name", flat=True)) | set(
        Country.objects.values_list("name", flat=True)
    )
    leftovers = {}
    for path in PAGES:
        url = path.format(entry=entry.pk)
        response = client.get(url, headers={"accept-language": language})
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, url
        found = sorted((english & _texts(html)) - names)
        if found:
            leftovers[url] = found
    assert not leftovers, "\n".join(f"{u}: {m}" for u, m in leftovers.items())
