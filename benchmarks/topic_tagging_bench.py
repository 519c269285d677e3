"""Precision and recall of the topic tagger on the labelled excerpts.

    uv run python benchmarks/topic_tagging_bench.py            # test and dev splits
    uv run python benchmarks/topic_tagging_bench.py --split dev --errors
    uv run python benchmarks/topic_tagging_bench.py --tune     # thresholds from dev
    uv run python benchmarks/topic_tagging_bench.py --throughput [--pages 30]
        [--database-url postgres://postgres@127.0.0.1:5432/lantern_tag_bench]

`benchmarks/data/topic_labels.jsonl` holds excerpts we wrote and labelled by hand
(how: docs/benchmarks.md, "Topic tagging"). Thresholds are tuned on the dev split
only; the test split is for measuring. Run by hand; never part of the tests.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lantern.library.tagging import (  # noqa: E402
    DEFAULT_THRESHOLD,
    THRESHOLDS,
    Tagger,
)
from lantern.library.vocabulary import VOCABULARY, topic_specs  # noqa: E402

LABELS = ROOT / "benchmarks" / "data" / "topic_labels.jsonl"
GRID = (1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0)


def load(path: Path = LABELS) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
    slugs = set(topic_specs())
    for row in rows:
        unknown = set(row["topics"]) - slugs
        if unknown:
            raise SystemExit(f"{row['id']}: unknown topics {sorted(unknown)}")
    return rows


def predict(tagger: Tagger, row: dict) -> set[str]:
    paragraphs = [p for p in row["excerpt"].split("\n\n") if p.strip()]
    found = tagger.suggest(row["title"], paragraphs, (), row.get("source", ""))
    return {s.slug for s in found if s.accepted}


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(
    rows: list[dict], predictions: Mapping[str, set[str]]
) -> tuple[dict[str, tuple[int, int, int]], dict[str, float]]:
    counts: dict[str, list[int]] = {slug: [0, 0, 0] for slug in topic_specs()}
    for row in rows:
        gold, got = set(row["topics"]), predictions[row["id"]]
        for slug in gold & got:
            counts[slug][0] += 1
        for slug in got - gold:
            counts[slug][1] += 1
        for slug in gold - got:
            counts[slug][2] += 1
    per_topic = {slug: (c[0], c[1], c[2]) for slug, c in counts.items()}
    tp = sum(c[0] for c in per_topic.values())
    fp = sum(c[1] for c in per_topic.values())
    fn = sum(c[2] for c in per_topic.values())
    micro = prf(tp, fp, fn)
    scored = [prf(*c) for c in per_topic.values() if c[0] + c[2] > 0]
    macro = tuple(statistics.fmean(x[i] for x in scored) for i in range(3))
    return per_topic, {
        "micro_p": micro[0],
        "micro_r": micro[1],
        "micro_f1": micro[2],
        "macro_p": macro[0],
        "macro_r": macro[1],
        "macro_f1": macro[2],
    }


def report(name: str, rows: list[dict], tagger: Tagger) -> dict[str, float]:
    predictions = {row["id"]: predict(tagger, row) for row in rows}
    per_topic, summary = evaluate(rows, predictions)
    print(f"\n## {name} split: {len(rows)} excerpts, "
          f"{sum(len(r['topics']) for r in rows)} labels\n")  # fmt: skip
    print("| group | topic | support | TP | FP | FN | precision | recall | F1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for group in VOCABULARY:
        for spec in group.topics:
            tp, fp, fn = per_topic[spec.slug]
            p, r, f = prf(tp, fp, fn)
            print(f"| {group.slug} | {spec.slug} | {tp + fn} | {tp} | {fp} | {fn} "
                  f"| {p:.2f} | {r:.2f} | {f:.2f} |")  # fmt: skip
    print(f"\n**micro** P {summary['micro_p']:.3f} · R {summary['micro_r']:.3f} · "
          f"F1 {summary['micro_f1']:.3f}   **macro** P {summary['macro_p']:.3f} · "
          f"R {summary['macro_r']:.3f} · F1 {summary['macro_f1']:.3f}")  # fmt: skip
    return summary


def errors(rows: list[dict], tagger: Tagger) -> None:
    """Each excerpt's false positives and misses, with the evidence for the former."""
    for row in rows:
        paragraphs = [p for p in row["excerpt"].split("\n\n") if p.strip()]
        found = tagger.suggest(row["title"], paragraphs, (), row.get("source", ""))
        by_slug = {s.slug: s for s in found}
        got = {s.slug for s in found if s.accepted}
        gold = set(row["topics"])
        if got == gold:
            continue
        print(f"\n{row['id']} {row['title']}")
        for slug in sorted(got - gold):
            s = by_slug[slug]
            print(f"  + {slug} {s.score}/{s.threshold} "
                  f"{[p.text for p in s.phrases]} {s.implied_by or ''}")  # fmt: skip
        for slug in sorted(gold - got):
            s = by_slug.get(slug)
            evidence = (
                f"{s.score}/{s.threshold} {[p.text for p in s.phrases]}" if s else "-"
            )
            print(f"  - {slug} {evidence}")


def tune(rows: list[dict]) -> dict[str, float]:
    """Per topic, the threshold with the best F1 on these rows (ties: nearest the
    default). Scores do not depend on thresholds, so one pass scores them all."""
    tagger = Tagger(topic_specs())
    scores: dict[str, dict[str, float]] = {}
    for row in rows:
        paragraphs = [p for p in row["excerpt"].split("\n\n") if p.strip()]
        found = tagger.suggest(row["title"], paragraphs, (), row.get("source", ""))
        scores[row["id"]] = {s.slug: s.score for s in found}
    chosen = {}
    for slug in topic_specs():
        best: tuple[float, float, float] | None = None
        for threshold in GRID:
            tp = fp = fn = 0
            for row in rows:
                got = scores[row["id"]].get(slug, 0.0) >= threshold
                gold = slug in row["topics"]
                tp += got and gold
                fp += got and not gold
                fn += gold and not got
            f = prf(tp, fp, fn)[2]
            key = (f, -abs(threshold - DEFAULT_THRESHOLD), threshold)
            if best is None or key > best:
                best = key
        assert best is not None
        chosen[slug] = best[2]
    return chosen


def timing(rows: Iterable[dict], tagger: Tagger, repeat: int = 20) -> float:
    """Milliseconds per excerpt, median of `repeat` passes."""
    rows = list(rows)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        for row in rows:
            predict(tagger, row)
        times.append((time.perf_counter() - start) / len(rows) * 1000)
    return statistics.median(times)


def throughput(pages: int, entries: int, database_url: str) -> None:
    """Imports `import_bench.py`'s text pages into a fresh library without tagging,
    runs `lantern tag --all` on them (then again, unchanged), and imports them once
    more with tagging on import: entries per second for each."""
    import os
    import random
    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix="lantern-tag-bench-"))
    os.environ["LANTERN_DATA_DIR"] = str(workdir / "data")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lantern.settings")
    import django

    django.setup()
    import io

    from django.core.management import call_command
    from django.db import connection

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from import_bench import text_page

    from lantern.legacy.services import import_files
    from lantern.library.models import Country, Entry, SourcePage
    from lantern.library.signals import entries_written
    from lantern.library.tagging_services import tag_written_entries

    call_command("migrate", verbosity=0)
    Entry.objects.all().delete()
    SourcePage.objects.all().delete()
    names = [c.name for c in Country.objects.order_by("code") if "," not in c.name]
    rng = random.Random(7)
    folder = workdir / "pages"
    folder.mkdir()
    for name in names[:pages]:
        (folder / f"{name}.txt").write_text(text_page(rng, name, entries))
    files = sorted(folder.iterdir())
    uid = "lantern.library.tagging"

    def imported() -> tuple[int, float]:
        Entry.objects.all().delete()
        SourcePage.objects.all().delete()
        start = time.perf_counter()
        import_files(files)
        return Entry.objects.count(), time.perf_counter() - start

    def tag_all(*args: str) -> str:
        out = io.StringIO()
        call_command("tag", "--all", *args, stdout=out)
        return out.getvalue().splitlines()[0]

    entries_written.disconnect(dispatch_uid=uid)
    count, plain_s = imported()
    first, again = tag_all(), tag_all()
    entries_written.connect(tag_written_entries, dispatch_uid=uid)
    count_tagged, tagged_s = imported()
    print(f"database {connection.vendor} · {len(files)} pages · {count:,} entries")
    print(f"import without tagging: {plain_s:.1f} s ({count / plain_s:,.0f} entries/s)")
    print(f"lantern tag --all: {first}")
    print(f"lantern tag --all again: {again}")
    print(f"import with tagging on import: {tagged_s:.1f} s "
          f"({count_tagged / tagged_s:,.0f} entries/s)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["test", "dev", "both"], default="both")
    parser.add_argument(
        "--errors", action="store_true", help="list each excerpt's mistakes"
    )
    parser.add_argument(
        "--tune", action="store_true", help="print thresholds tuned on dev"
    )
    parser.add_argument(
        "--throughput",
        action="store_true",
        help="time tagging stored entries and tagging on import",
    )
    parser.add_argument("--pages", type=int, default=30)
    parser.add_argument("--entries", type=int, default=100)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    if args.throughput:
        throughput(args.pages, args.entries, args.database_url)
        return
    rows = load()
    dev = [r for r in rows if r["split"] == "dev"]
    test = [r for r in rows if r["split"] == "test"]
    if args.tune:
        chosen = tune(dev)
        print("THRESHOLDS: dict[str, float] = {")
        for slug, value in chosen.items():
            if value != DEFAULT_THRESHOLD:
                print(f'    "{slug}": {value},')
        print("}")
        return
    tagger = Tagger(topic_specs(), thresholds=THRESHOLDS)
    print(f"Python {platform.python_version()} on {platform.machine()} "
          f"({platform.processor() or platform.platform()}); "
          f"{len(rows)} excerpts: dev {len(dev)}, test {len(test)}")  # fmt: skip
    chosen_rows = {"test": test, "dev": dev, "both": test + dev}[args.split]
    if args.split in ("test", "both"):
        report("test", test, tagger)
    if args.split in ("dev", "both"):
        report("dev", dev, tagger)
    if args.errors:
        errors(chosen_rows, tagger)
    counts = Counter(len(r["excerpt"]) for r in chosen_rows)
    print(f"\nspeed: {timing(chosen_rows, tagger):.2f} ms per excerpt "
          f"(mean excerpt {sum(k * v for k, v in counts.items()) / len(chosen_rows):.0f} "
          "characters; tagger compiled once)")  # fmt: skip


if __name__ == "__main__":
    main()
