"""Import throughput: generate legacy pages and time parse-and-store.

    uv run python benchmarks/import_bench.py [--pages 200] [--entries 100]
        [--database-url postgres://postgres@127.0.0.1:5432/lantern_bench]
        [--no-tag] [--no-search]

Generates PAGES country pages of ENTRIES entries each, once as text renderings and
once as Word-style HTML, then imports each set into a fresh database (SQLite in a
temporary folder unless --database-url is given) and prints a table: parse-only and
parse-and-store entries per second, for each rendering. By default the import does
all `lantern import` does, tagging the entries with topics and updating the search
index at the end of the run; `--no-tag` leaves out tagging (`lantern import
--no-tag`), `--no-search` the search index (LANTERN_SEARCH_AUTO_UPDATE=0). Nothing
here is part of the test run.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "workers",
    "recruited",
    "promised",
    "wages",
    "passports",
    "debt",
    "contractor",
    "factory",
    "mine",
    "farm",
    "border",
    "police",
    "rescued",
    "shelter",
    "girls",
    "boys",
    "women",
    "men",
    "families",
    "village",
    "city",
    "brokers",
    "fees",
    "transport",
    "documents",
    "court",
    "prosecutors",
    "convicted",
    "inspectors",
    "agency",
    "migrants",
    "labour",
    "domestic",
    "fishing",
    "boats",
    "kiln",
    "harvest",
    "season",
    "school",
]
PUBLISHERS = [
    "Reuters", "BBC News", "Associated Press", "The Guardian", "Human Rights Watch",
    "U.S. Dept of State Bureau of Democracy, Human Rights, and Labor",
    "International Labour Organization", "UNICEF", "Save the Children",
    "Inter Press Service IPS", "Al Jazeera", "The Borgen Project",
]  # fmt: skip
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]  # fmt: skip


def sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def entry_parts(rng: random.Random, country: str, i: int) -> dict[str, object]:
    year = rng.randint(2000, 2024)
    date = rng.choice(
        [
            f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {year}",
            f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {year}",
            f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            str(year),
        ]
    )
    return {
        "title": f"{sentence(rng, rng.randint(4, 9))[:-1]} in {country} ({i})"
        + rng.choice(["", "", "", " [PDF]", " [DOC]"]),
        "source": f"{rng.choice(PUBLISHERS)}, {country}, {date}",
        "url": f"www.example{i % 50}.org/{country.lower().replace(' ', '-')}/{i}?a=1&b=2",
        "accessed": [
            f"[accessed {rng.randint(1, 28)} {rng.choice(MONTHS)} {y}]"
            for y in sorted(rng.sample(range(2008, 2025), rng.randint(1, 3)))
        ],
        "excerpt": [
            sentence(rng, rng.randint(20, 60)) for _ in range(rng.randint(1, 3))
        ],
    }


def text_page(rng: random.Random, country: str, entries: int) -> str:
    lines = [
        "Main Menu", "Street Children", "", "Human Trafficking & Modern-day Slavery", "",
        "Poverty drives the unsuspecting poor into the hands of traffickers", "",
        "Published reports & articles from 2000 to 2025", "", f"Republic of {country}", "",
        sentence(rng, 40) + "  [The World Factbook, U.S.C.I.A. 2009]", "",
        sentence(rng, 50)
        + "   - U.S. State Dept Trafficking in Persons Report, June, 2009", "",
        "CAUTION:  " + sentence(rng, 30), "",
        "If you are looking for material to use in a term-paper, " + sentence(rng, 20), "",
        "HELP for Victims", "", "Ministry of Interior", "0800 123 4567", "",
    ]  # fmt: skip
    for i in range(entries):
        if i == entries // 5:
            lines += ["*** ARCHIVES ***", ""]
        e = entry_parts(rng, country, i)
        lines += [str(e["title"]), "", str(e["source"]), "", str(e["url"]), ""]
        for a in e["accessed"]:  # type: ignore[attr-defined]
            lines += [a, ""]
        for p in e["excerpt"]:  # type: ignore[attr-defined]
            lines += [p, ""]
    lines.append(
        "All material used herein reproduced under the fair use exception of 17 USC § "
        f'107.  Cite this webpage as: Patt, Prof. Martin, "Human Trafficking & '
        f'Modern-day Slavery - {country}",, [accessed <date>]'
    )
    return "\n".join(lines) + "\n"


def html_page(rng: random.Random, country: str, entries: int) -> str:
    def p(text: str) -> str:
        return f"<p class=MsoNormal><span style='font-family:Arial'>{text}</span></p>\n"

    out = [
        "<html><head><meta charset=utf-8><title>",
        country,
        "</title></head><body>\n",
    ]
    out += [p("Main Menu"), p("Human Trafficking &amp; Modern-day Slavery"),
            p("Published reports &amp; articles from 2000 to 2025"),
            p(f"Republic of {country}"), p(sentence(rng, 40)),
            p("CAUTION: " + sentence(rng, 20)), p("HELP for Victims"),
            p("Ministry of Interior<br>0800 123 4567")]  # fmt: skip
    for i in range(entries):
        if i == entries // 5:
            out.append(p("*** ARCHIVES ***"))
        e = entry_parts(rng, country, i)
        title = str(e["title"]).replace("&", "&amp;")
        out.append(p(f'<b><a href="http://{e["url"]}">{title}</a></b>'))
        out.append(p(f"<i>{e['source']}</i>"))
        for a in e["accessed"]:  # type: ignore[attr-defined]
            out.append(p(str(a)))
        for para in e["excerpt"]:  # type: ignore[attr-defined]
            out.append(p(str(para)))
    out.append(
        p(
            "All material used herein reproduced under the fair use exception of 17 USC "
            f'§ 107. Cite this webpage as: Patt, Prof. Martin, "Human Trafficking &amp; '
            f'Modern-day Slavery - {country}",, [accessed &lt;date&gt;]'
        )
    )
    out.append("</body></html>\n")
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--no-tag", action="store_true", help="import without tagging")
    parser.add_argument(
        "--no-search", action="store_true", help="import without updating search"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="lantern-bench-"))
    os.environ["LANTERN_DATA_DIR"] = str(workdir / "data")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    if args.no_search:
        os.environ["LANTERN_SEARCH_AUTO_UPDATE"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from lantern.legacy.parser import parse_page
    from lantern.legacy.services import import_files
    from lantern.library.models import Country, Entry
    from lantern.library.reference import alias_index
    from lantern.library.tagging_services import untagged_imports

    call_command("migrate", verbosity=0)
    names = [c.name for c in Country.objects.order_by("code") if "," not in c.name][
        : args.pages
    ]
    rng = random.Random(7)
    rows = []
    for rendering, make, suffix in (
        ("text", text_page, ".txt"),
        ("html", html_page, ".htm"),
    ):
        folder = workdir / rendering
        folder.mkdir()
        for name in names:
            (folder / f"{name}{suffix}").write_text(make(rng, name, args.entries))
        files = sorted(folder.iterdir())
        total_bytes = sum(f.stat().st_size for f in files)

        start = time.perf_counter()
        parsed_entries = 0
        for f in files:
            page = parse_page(f.read_bytes(), resolve_country=alias_index().get)
            parsed_entries += len(page.entries)
        parse_s = time.perf_counter() - start

        Entry.objects.all().delete()
        start = time.perf_counter()
        if args.no_tag:
            with untagged_imports():
                report = import_files(files)
        else:
            report = import_files(files)
        store_s = time.perf_counter() - start
        stored = Entry.objects.count()
        assert not report.errors, report.errors[:3]
        rows.append((rendering, len(files), stored, parsed_entries, total_bytes, parse_s,
                     store_s, report.unparsed_count))  # fmt: skip

    print(f"database: {connection.vendor}  pages per rendering: {len(names)}  "
          f"entries per page: {args.entries}  tagging: {not args.no_tag}  "
          f"search: {not args.no_search}")  # fmt: skip
    header = ("rendering", "pages", "entries", "MB", "parse s", "parse entries/s",
              "import s", "import entries/s", "unparsed")  # fmt: skip
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for rendering, pages, stored, parsed, size, parse_s, store_s, unparsed in rows:
        print(
            f"{rendering} | {pages} | {stored} | {size / 1e6:.1f} | {parse_s:.2f} | "
            f"{parsed / parse_s:,.0f} | {store_s:.2f} | {stored / store_s:,.0f} | {unparsed}"
        )


if __name__ == "__main__":
    main()
