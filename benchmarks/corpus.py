"""A realistic synthetic library for the search benchmark.

    uv run python benchmarks/corpus.py --entries 1000000 [--seed 1]
        [--data-dir DIR | --database-url postgres://postgres@127.0.0.1:5432/lantern_corpus]

Writes ENTRIES entries straight into a fresh database (a SQLite file in DIR, default
a new temporary folder, or the PostgreSQL database of --database-url, created if
missing and emptied of entries first), with bulk inserts, and prints where it went.

What the library looks like:

- 190 countries with a skewed share of entries (the busiest country has about 25
  times the median one's), one to three countries per entry;
- 2,000 publishers with kinds (news, NGO, government, intergovernmental, academic,
  other), used with a long-tailed popularity;
- titles from headline, report and study patterns naming countries and topics;
- excerpts of one to four paragraphs drawn from trafficking reporting's vocabulary
  with a Zipf-like word distribution over 20,000 words (function words and the
  head of the list are in nearly every entry, the tail in a handful), with the
  keywords of the entry's topics mixed in; notes on one entry in ten;
- publication dates 2000–2025 (more in later years) with day, month, year or
  unknown precision; dates added 2008–2026; formats, sections, collections; link
  statuses from the checker's outcomes, and one access line per entry.

The same seed gives the same library. Nothing here is part of the test run.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import math
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FUNCTION_WORDS = ("the", "of", "and", "to", "in", "a", "for", "were", "by", "with",
                  "that", "on", "as", "from", "their", "was", "had", "at", "are")  # fmt: skip

# Trafficking reporting's own words, most frequent first: the head of the Zipf list.
DOMAIN_WORDS = [
    "trafficking",
    "victims",
    "government",
    "labor",
    "women",
    "children",
    "workers",
    "police",
    "forced",
    "report",
    "traffickers",
    "sexual",
    "exploitation",
    "law",
    "country",
    "persons",
    "cases",
    "year",
    "officials",
    "people",
    "national",
    "anti",
    "girls",
    "victim",
    "migrants",
    "human",
    "prosecution",
    "labour",
    "protection",
    "work",
    "authorities",
    "girls",
    "recruited",
    "identified",
    "women's",
    "minors",
    "shelter",
    "security",
    "border",
    "investigation",
    "arrested",
    "rescued",
    "men",
    "ministry",
    "court",
    "sentenced",
    "prison",
    "convicted",
    "organizations",
    "international",
    "services",
    "assistance",
    "networks",
    "brothels",
    "domestic",
    "recruiters",
    "agencies",
    "prosecutors",
    "judges",
    "families",
    "debt",
    "wages",
    "passports",
    "employers",
    "recruitment",
    "abroad",
    "smuggling",
    "migration",
    "visa",
    "documents",
    "corruption",
    "complicity",
    "training",
    "awareness",
    "campaign",
    "prevention",
    "funding",
    "cooperation",
    "partnership",
    "agreement",
    "legislation",
    "penal",
    "code",
    "amendment",
    "enacted",
    "servitude",
    "slavery",
    "bondage",
    "fishing",
    "vessels",
    "plantations",
    "factories",
    "construction",
    "mining",
    "agriculture",
    "harvest",
    "cocoa",
    "cotton",
    "sugarcane",
    "garment",
    "textile",
    "kilns",
    "brick",
    "quarry",
    "logging",
    "timber",
    "gold",
    "seafood",
    "shrimp",
    "boats",
    "crew",
    "captains",
    "brokers",
    "fees",
    "contractors",
    "hotels",
    "nightclubs",
    "bars",
    "massage",
    "karaoke",
    "tourism",
    "tourists",
    "begging",
    "street",
    "homeless",
    "orphans",
    "orphanages",
    "adoption",
    "organ",
    "kidney",
    "marriage",
    "brides",
    "dowry",
    "soldiers",
    "armed",
    "groups",
    "militia",
    "conflict",
    "refugees",
    "camps",
    "asylum",
    "displaced",
    "indigenous",
    "rural",
    "villages",
    "poverty",
    "hunger",
    "drought",
    "famine",
    "floods",
    "earthquake",
    "unemployment",
    "school",
    "education",
    "teachers",
    "social",
    "welfare",
    "hotline",
    "helpline",
    "ngo",
    "foundation",
    "charity",
    "church",
    "volunteers",
    "survivors",
    "testimony",
    "interviews",
    "researchers",
    "survey",
    "estimates",
    "data",
    "statistics",
    "prevalence",
    "study",
    "article",
    "journal",
    "analysis",
    "findings",
    "recommendations",
    "tier",
    "watch",
    "list",
    "upgrade",
    "downgrade",
    "minimum",
    "standards",
    "efforts",
    "significant",
    "increased",
    "decreased",
    "reported",
    "alleged",
    "suspected",
    "accused",
    "charged",
    "acquitted",
    "fined",
    "deported",
    "repatriated",
    "returned",
    "reintegrated",
    "compensation",
    "restitution",
    "counseling",
    "medical",
    "legal",
    "aid",
    "interpreters",
    "embassy",
    "consulate",
    "diplomats",
    "peacekeepers",
    "contractors",
    "military",
    "navy",
    "coast",
    "guard",
    "airport",
    "checkpoint",
    "highway",
    "trucks",
    "buses",
    "trains",
    "ports",
    "harbors",
    "online",
    "internet",
    "social",
    "media",
    "advertisements",
    "websites",
    "chat",
    "messages",
    "phones",
    "cameras",
    "videos",
    "images",
    "pornography",
    "exploitation",
    "abuse",
    "violence",
    "rape",
    "beatings",
    "threats",
    "confiscated",
    "withheld",
    "locked",
    "confined",
    "deceived",
    "lured",
    "promised",
    "jobs",
    "modeling",
    "dancing",
    "waitress",
    "housemaid",
    "nanny",
    "caregiver",
    "cleaners",
    "cooks",
    "drivers",
    "guards",
    "farmhands",
    "herders",
]

# Real words placed at fixed ranks deep in the tail, for the benchmark's rare queries.
RARE_AT = {
    "ombudsman": 2500,
    "kafala": 1200,
    "sponsorship": 700,
    "camel": 4000,
    "jockeys": 4001,
    "carpet": 900,
    "weavers": 901,
    "madrasa": 6000,
    "trokosi": 15000,
}

SYLLABLES = ["ka", "ri", "mo", "ta", "na", "lu", "se", "po", "vi", "de", "ga", "bo", "ne", "si", "ra", "to", "mi", "ku", "le", "pa", "ho", "zu", "ye", "fa", "ji", "wo", "tsu", "ba", "ne", "ar", "el", "on", "is", "ur", "an", "ek"]  # fmt: skip

TITLE_PATTERNS = (
    "{Country}: {headline}",
    "{Headline} in {country}",
    "{Headline}, {country} report says",
    "Trafficking in Persons Report {year}: {country}",
    "Country Narrative: {country}",
    "{Topic} in {country}: a rapid assessment",
    "{country} {noun} {verb} over {topic}",
    "Police in {city} {verb} {noun} linked to {topic}",
    "Survivors of {topic} in {country} speak out",
    "{Noun} and {noun}: {topic} in {region}",
    "The hidden {noun} of {country}'s {sector}",
    "{Country} passes law against {topic}",
    "Inside {country}'s {sector}: {headline}",
)
HEADLINES = (
    "children forced to work in {sector}", "women lured abroad with false job offers",
    "migrant workers trapped in debt bondage", "police rescue victims of {topic}",
    "court jails traffickers", "NGO warns of rise in {topic}",
    "government launches hotline for victims", "girls sold into forced marriage",
    "fishermen held at sea for years", "raids free workers from {sector}",
    "boys recruited by armed groups", "new law targets recruiters",
    "shelters overwhelmed as cases rise", "survivors describe years of abuse",
)  # fmt: skip
NOUNS = ("traffickers", "recruiters", "brokers", "officials", "survivors", "workers",
         "children", "girls", "migrants", "families", "activists", "judges")  # fmt: skip
VERBS = ("arrest", "charge", "rescue", "question", "convict", "free", "warn",
         "protect", "deport", "sentence")  # fmt: skip
SECTORS = ("fishing industry", "brick kilns", "cocoa farms", "garment factories",
           "gold mines", "construction sites", "domestic work", "sugarcane fields",
           "carpet looms", "nightclubs", "cotton harvest", "logging camps")  # fmt: skip
CITIES = ("the capital", "the border town", "the port city", "the northern province",
          "the south", "the coastal region")  # fmt: skip

PUBLISHER_KINDS = (("news", 35), ("ngo", 25), ("government", 20),
                   ("intergovernmental", 10), ("academic", 7), ("other", 3))  # fmt: skip
PUBLISHER_PATTERNS = {
    "news": ("The {place} Times", "{place} Daily News", "{place} Post", "{Word} Herald",
             "Radio {place}", "{place} Tribune", "{Word} Wire"),
    "ngo": ("{Word} Foundation", "{Word} Alliance Against Trafficking",
            "Friends of {Word}", "{place} Children's Rights Network",
            "{Word} Coalition", "Stop {Word}"),
    "government": ("{place} Ministry of Labour", "{place} National Police",
                   "{place} Ministry of Justice", "{place} Office of the Ombudsman"),
    "intergovernmental": ("{Word} Regional Commission", "UN {Word} Office",
                          "{Word} Development Programme"),
    "academic": ("University of {place}", "{Word} Institute", "{place} Law Review",
                 "Journal of {Word} Studies"),
    "other": ("{Word} Consulting", "{Word} Press", "{Word} Media Group"),
}  # fmt: skip
FORMATS = (("web", 60), ("pdf", 28), ("doc", 3), ("book", 4), ("video", 3),
           ("audio", 1), ("other", 1))  # fmt: skip
PRECISIONS = (("day", 55), ("month", 25), ("year", 15), ("unknown", 5))
LINK_STATUSES = (("", 30), ("alive", 45), ("moved", 6), ("dead", 8), ("soft-dead", 3),
                 ("drifted", 3), ("blocked", 2), ("server-error", 1), ("timeout", 1),
                 ("network-error", 1))  # fmt: skip
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
VOCABULARY_SIZE = 20_000
UTC = dt.UTC


def _weighted(pairs: Sequence[tuple[Any, int]]) -> tuple[list[Any], list[float]]:
    values = [v for v, _ in pairs]
    return values, list(itertools.accumulate(w for _, w in pairs))


class Generator:
    """Draws entries; everything comes from one seeded `random.Random`."""

    def __init__(
        self,
        seed: int,
        countries: list[tuple[str, str, str]],
        topics: list[tuple[int, str, list[str]]],
    ) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.words = self._vocabulary()
        # Zipf-like (weight 1/(rank + 3)) over the content words.
        self.word_cum = list(
            itertools.accumulate(1 / (r + 3) for r in range(len(self.words)))
        )
        # Country skew: a seeded order, weights falling off as 1/(rank + 4).
        order = countries[:]
        rng.shuffle(order)
        self.countries = order
        self.country_cum = list(
            itertools.accumulate(1 / (r + 4) for r in range(len(order)))
        )
        self.topics = topics[:]
        rng.shuffle(self.topics)
        self.topic_cum = list(
            itertools.accumulate(1 / (r + 2) for r in range(len(self.topics)))
        )
        self.formats = _weighted(FORMATS)
        self.precisions = _weighted(PRECISIONS)
        self.statuses = _weighted(LINK_STATUSES)
        # Later years have more entries (the web grew).
        self.years = _weighted([(y, 10 + (y - 2000) * 3) for y in range(2000, 2026)])

    def _vocabulary(self) -> list[str]:
        rng = self.rng
        seen = set(DOMAIN_WORDS) | set(RARE_AT)
        words = list(dict.fromkeys(DOMAIN_WORDS))
        while len(words) < VOCABULARY_SIZE:
            word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        for word, rank in sorted(RARE_AT.items(), key=lambda kv: kv[1]):
            words.insert(rank, word)
        return words[:VOCABULARY_SIZE]

    def pick(self, values: Sequence[Any], cum: list[float]) -> Any:
        return values[bisect.bisect(cum, self.rng.random() * cum[-1])]

    def publishers(self, n: int) -> list[tuple[str, str]]:
        """(name, kind) for n publishers with distinct names."""
        rng = self.rng
        kinds = _weighted(PUBLISHER_KINDS)
        names: dict[str, str] = {}
        places = [name for _, name, _ in self.countries]
        while len(names) < n:
            kind = self.pick(*kinds)
            word = self.words[rng.randint(300, 3000)].capitalize()
            name = rng.choice(PUBLISHER_PATTERNS[kind]).format(
                place=rng.choice(places), Word=word
            )
            names.setdefault(name, kind)
        return list(names.items())

    def paragraph(self, extra: list[str]) -> str:
        rng = self.rng
        sentences = []
        for _ in range(rng.randint(2, 5)):
            n = rng.randint(6, 18)
            words = rng.choices(self.words, cum_weights=self.word_cum, k=n)
            for i in range(0, n, 3):
                words.insert(i, rng.choice(FUNCTION_WORDS))
            if extra and rng.random() < 0.5:
                words.insert(rng.randint(0, len(words)), rng.choice(extra))
            sentences.append(" ".join(words).capitalize() + ".")
        return " ".join(sentences)

    def title(self, country: str, region: str, topic: str, year: int) -> str:
        rng = self.rng
        pattern = rng.choice(TITLE_PATTERNS)
        values = {
            "country": country,
            "region": region or "the region",
            "topic": topic.lower(),
            "year": year,
            "noun": rng.choice(NOUNS),
            "verb": rng.choice(VERBS),
            "sector": rng.choice(SECTORS),
            "city": rng.choice(CITIES),
        }
        values["headline"] = rng.choice(HEADLINES).format(**values)
        text = pattern.format(
            **values,
            **{
                k.capitalize(): str(v)[:1].upper() + str(v)[1:]
                for k, v in values.items()
            },
        )
        return text[:1].upper() + text[1:]

    def entries(
        self, n: int, publishers: list[tuple[int, str]], start_id: int
    ) -> Iterator[dict[str, Any]]:
        rng = self.rng
        pub_cum = list(
            itertools.accumulate(1 / (r + 3) for r in range(len(publishers)))
        )
        added_start = dt.datetime(2008, 1, 1, tzinfo=UTC)
        added_span = (dt.datetime(2026, 6, 1, tzinfo=UTC) - added_start).total_seconds()
        for i in range(n):
            entry_id = start_id + i
            ncountries = rng.choices((1, 2, 3), (70, 22, 8))[0]
            chosen: dict[str, tuple[str, str, str]] = {}
            while len(chosen) < ncountries:
                c = self.pick(self.countries, self.country_cum)
                chosen.setdefault(c[0], c)
            cs = list(chosen.values())
            ntopics = rng.choices((0, 1, 2, 3), (10, 45, 30, 15))[0]
            ts: dict[int, tuple[int, str, list[str]]] = {}
            while len(ts) < ntopics:
                t = self.pick(self.topics, self.topic_cum)
                ts.setdefault(t[0], t)
            topics = list(ts.values())
            keywords = [k for t in topics for k in t[2]]
            year = self.pick(*self.years)
            precision = self.pick(*self.precisions)
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            published: dt.date | None = None
            raw = ""
            if precision == "day":
                published = dt.date(year, month, day)
                raw = f"{MONTHS[month - 1]} {day}, {year}"
            elif precision == "month":
                published = dt.date(year, month, 1)
                raw = f"{MONTHS[month - 1]} {year}"
            elif precision == "year":
                published = dt.date(year, 1, 1)
                raw = str(year)
            publisher_id, publisher_name = self.pick(publishers, pub_cum)
            topic_name = topics[0][1].replace("-", " ") if topics else "trafficking"
            title = self.title(cs[0][1], cs[0][2], topic_name, year)
            excerpt = [
                self.paragraph(keywords)
                for _ in range(rng.choices((1, 2, 3, 4), (35, 35, 20, 10))[0])
            ]
            notes = (
                [self.paragraph(keywords)[: rng.randint(60, 200)]]
                if rng.random() < 0.1
                else []
            )
            status = self.pick(*self.statuses)
            created = added_start + dt.timedelta(seconds=rng.random() * added_span)
            checked = (
                created + dt.timedelta(days=rng.randint(0, 900)) if status else None
            )
            accessed = (created + dt.timedelta(days=rng.randint(0, 30))).date()
            yield {
                "id": entry_id,
                "title": title,
                "format": self.pick(*self.formats),
                "publisher_id": publisher_id,
                "source_line": f"{publisher_name}, {raw}".rstrip(", "),
                "published_raw": raw,
                "published_date": published,
                "published_precision": precision,
                "url": f"https://example.org/{entry_id}",
                "excerpt": excerpt,
                "notes": notes,
                "section": "current" if rng.random() < 0.35 else "archive",
                "collection": "trafficking"
                if rng.random() < 0.92
                else "street-children",
                "primary_country_id": cs[0][0],
                "origin": "import",
                "position": i % 500,
                "key": f"synthetic-{entry_id}",
                "cached_link_status": status,
                "cached_last_checked_at": checked,
                "created_at": created,
                "updated_at": created,
                "countries": [c[0] for c in cs],
                "topics": [t[0] for t in topics],
                "accessed_on": accessed,
            }


ENTRY_COLUMNS = ("id", "title", "format", "publisher_id", "source_line",
                 "published_raw", "published_date", "published_precision", "url",
                 "excerpt", "notes", "section", "collection", "primary_country_id",
                 "origin", "position", "key", "cached_link_status",
                 "cached_last_checked_at", "created_at", "updated_at")  # fmt: skip


def build(entries: int, *, seed: int = 1, progress: bool = True) -> dict[str, Any]:
    """Fill the configured database with a synthetic library of `entries` entries
    (replacing entries, accesses and publishers already there). Needs Django set up
    and migrated. Returns counts and timings."""
    from django.db import connection, transaction

    from lantern.core.db import insert_rows
    from lantern.library.models import Access, Country, Entry, Publisher, Topic

    started = time.perf_counter()
    countries = list(
        Country.objects.filter(independent=True)
        .order_by("code")
        .values_list("code", "name", "region")[:190]
    )
    topics = [
        (t.pk, t.slug, list(t.keywords))
        for t in Topic.objects.filter(parent__isnull=False)
    ]
    gen = Generator(seed, countries, topics)
    with transaction.atomic():
        Access.objects.all().delete()
        Entry.countries.through.objects.all().delete()
        Entry.topics.through.objects.all().delete()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("TRUNCATE library_entry CASCADE")
        else:
            Entry.objects.all().delete()
        Publisher.objects.all().delete()
        pubs = gen.publishers(2000)
        Publisher.objects.bulk_create(
            [
                Publisher(name=name, name_key=name.lower(), kind=kind)
                for name, kind in pubs
            ]
        )
        publishers = list(Publisher.objects.order_by("id").values_list("id", "name"))
    batch = 20_000
    done = 0
    for start in range(0, entries, batch):
        rows = list(gen.entries(min(batch, entries - start), publishers, start + 1))
        with transaction.atomic():
            insert_rows(
                Entry, ENTRY_COLUMNS, [tuple(r[c] for c in ENTRY_COLUMNS) for r in rows]
            )
            insert_rows(
                Entry.countries.through,
                ("entry_id", "country_id"),
                [(r["id"], c) for r in rows for c in r["countries"]],
            )
            insert_rows(
                Entry.topics.through,
                ("entry_id", "topic_id"),
                [(r["id"], t) for r in rows for t in r["topics"]],
            )
            insert_rows(
                Access,
                ("entry_id", "position", "url", "accessed_on", "accessed_precision",
                 "raw", "origin", "outcome", "final_url"),
                [(r["id"], 0, r["url"], r["accessed_on"], "day",
                  f"[accessed {r['accessed_on']:%d %B %Y}]", "import", "", "")
                 for r in rows],
            )  # fmt: skip
        done += len(rows)
        if progress:
            rate = done / (time.perf_counter() - started)
            print(f"  {done:,} entries ({rate:,.0f}/s)", file=sys.stderr, flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('library_entry', 'id'), "
                "(SELECT COALESCE(MAX(id), 1) FROM library_entry))"
            )
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"entries": entries, "seconds": time.perf_counter() - started}


def setup_django(data_dir: Path | None, database_url: str | None) -> Path:
    """Point Lantern at the benchmark database, set Django up and migrate."""
    if database_url:
        _create_postgres_database(database_url)
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix="lantern-corpus-"))
    data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["LANTERN_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    import django

    django.setup()
    from lantern.core.setup import prepare_database

    prepare_database()
    return data_dir


def _create_postgres_database(url: str) -> None:
    import psycopg
    from dj_database_url import parse

    name = parse(url)["NAME"]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    data_dir = setup_django(args.data_dir, args.database_url)
    result = build(args.entries, seed=args.seed)
    where = args.database_url or f"{data_dir}/lantern.sqlite3"
    print(
        f"entries {result['entries']:,} · seed {args.seed} · "
        f"{result['seconds']:.1f} s · {math.floor(result['entries'] / result['seconds']):,}"
        f" entries/s · {where}"
    )


if __name__ == "__main__":
    main()
