"""Translation catalogue tools (docs/translations.md).

    uv run python scripts/i18n.py msgids FILE...      what the extractor sees
    uv run python scripts/i18n.py update              extract, merge, compile
    uv run python scripts/i18n.py merge JSON...       fill msgstr from JSON files
    uv run python scripts/i18n.py status              untranslated and fuzzy counts

`msgids` prints, as JSON, the messages Django's `makemessages` would extract from
the given templates and Python files, exactly as they will appear in the
catalogue (with `blocktranslate trimmed` whitespace folded and variables as
`%(name)s`). `merge` reads JSON lists of
`{"msgid", "msgid_plural"?, "msgctxt"?, "es", "fr", "pt"}` (a plural message gives
a list of two forms per language) and fills the matching catalogue entries; it
names every message it could not place. `update` runs `makemessages` for every
language and `compilemessages`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "lantern" / "locale"
LANGUAGES = ("es", "fr", "pt")
# Django's own keyword list for the "django" domain (makemessages).
KEYWORDS = [
    "--keyword=gettext_noop",
    "--keyword=gettext_lazy",
    "--keyword=ngettext_lazy:1,2",
    "--keyword=pgettext:1c,2",
    "--keyword=npgettext:1c,2,3",
    "--keyword=pgettext_lazy:1c,2",
    "--keyword=npgettext_lazy:1c,2,3",
]
PLURAL_FORMS = {
    "es": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
    "pt": "nplurals=2; plural=(n != 1);",
}


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    import django

    django.setup()


def msgids(files: list[str]) -> list[dict[str, str]]:
    _django()
    from django.utils.translation.template import templatize

    found: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        originals: dict[str, str] = {}
        for number, name in enumerate(files):
            path = Path(name)
            source = path.read_text(encoding="utf-8")
            if path.suffix in {".html", ".txt", ".xml"}:
                source = templatize(source, origin=str(path))
            target = Path(tmp) / f"{number}.py"
            target.write_text(source, encoding="utf-8")
            originals[target.name] = str(path)
        pot = subprocess.run(
            [
                "xgettext",
                "--language=Python",
                "--from-code=UTF-8",
                *KEYWORDS,
                "--output=-",
                *sorted(originals),
            ],
            cwd=tmp,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    for entry in polib.pofile(pot) if pot else []:
        for occurrence, _line in entry.occurrences:
            item = {"file": originals.get(occurrence, occurrence), "msgid": entry.msgid}
            if entry.msgid_plural:
                item["msgid_plural"] = entry.msgid_plural
            if entry.msgctxt:
                item["msgctxt"] = entry.msgctxt
            found.append(item)
    return found


def _catalogue(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def update() -> None:
    manage = [sys.executable, "-m", "django"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "lantern.settings"}
    args = [f"--locale={language}" for language in LANGUAGES]
    subprocess.run(
        [
            *manage,
            "makemessages",
            *args,
            "--no-obsolete",
            "--no-location",
            "--ignore=*/tests/*",
            "--ignore=.venv/*",
            "--ignore=benchmarks/*",
            "--ignore=scripts/*",
        ],
        cwd=ROOT / "lantern",
        env={**env, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    for language in LANGUAGES:
        catalogue = polib.pofile(str(_catalogue(language)))
        catalogue.metadata["Plural-Forms"] = PLURAL_FORMS[language]
        catalogue.metadata["Language"] = language
        catalogue.metadata["Project-Id-Version"] = "Lantern"
        catalogue.metadata["Report-Msgid-Bugs-To"] = ""
        catalogue.metadata["Last-Translator"] = "Lantern"
        catalogue.metadata["Language-Team"] = language
        catalogue.header = "Lantern's interface in this language."
        catalogue.save()
    compile_all()


def compile_all() -> None:
    for language in LANGUAGES:
        po = _catalogue(language)
        polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))


def merge(paths: list[str]) -> int:
    wanted: dict[tuple[str, str], dict[str, object]] = {}
    for name in paths:
        for item in json.loads(Path(name).read_text(encoding="utf-8")):
            wanted[(item.get("msgctxt") or "", item["msgid"])] = item
    used: set[tuple[str, str]] = set()
    for language in LANGUAGES:
        catalogue = polib.pofile(str(_catalogue(language)))
        for entry in catalogue:
            key = (entry.msgctxt or "", entry.msgid)
            item = wanted.get(key)
            if item is None or language not in item:
                continue
            used.add(key)
            value = item[language]
            if entry.msgid_plural:
                forms = value if isinstance(value, list) else [value, value]
                entry.msgstr_plural = {i: str(form) for i, form in enumerate(forms)}
            else:
                entry.msgstr = str(value[0] if isinstance(value, list) else value)
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        catalogue.save()
    compile_all()
    missing = [key for key in wanted if key not in used]
    for context, msgid in missing:
        where = f" (context {context!r})" if context else ""
        print(f"not in the catalogue{where}: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


def status() -> int:
    bad = 0
    for language in LANGUAGES:
        catalogue = polib.pofile(str(_catalogue(language)))
        untranslated = catalogue.untranslated_entries()
        fuzzy = catalogue.fuzzy_entries()
        print(
            f"{language}: {len(catalogue)} messages, {catalogue.percent_translated()}%"
            f" translated, {len(untranslated)} untranslated, {len(fuzzy)} fuzzy"
        )
        for entry in untranslated + fuzzy:
            print(f"  {entry.msgid!r}")
        bad += len(untranslated) + len(fuzzy)
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    if command == "msgids":
        print(json.dumps(msgids(rest), ensure_ascii=False, indent=1))
        return 0
    if command == "update":
        update()
        return 0
    if command == "merge":
        return merge(rest)
    if command == "status":
        return status()
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
