"""Tagging stored entries: the tagger (`tagging.py`) run over entries in bulk, its
accepted topics kept as `TopicSuggestion`s with their evidence and put on the
entries, and the curators' decisions about them. Database only.

The rules:

- an accepted topic goes on the entry unless a curator rejected it for that entry;
- a topic the tagger put on an entry (`applied`) comes off when a later tagging no
  longer accepts it, unless a curator confirmed it; topics the entry had anyway
  (from its page, a curator or `lantern add`) are never taken off;
- a curator's confirmation or rejection survives every re-tagging;
- an entry is read again only when its text or the tagger changed since its last
  tagging (`Entry.tagging_hash`), unless `retag` asks for all.

Each chunk of entries costs a fixed number of queries, whatever its size.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from lantern.core.db import insert_rows
from lantern.core.text import paragraphs
from lantern.library.models import Entry, Topic
from lantern.library.signals import announce
from lantern.library.tagging import Suggestion, Tagger, default_tagger
from lantern.library.tagging_models import TopicSuggestion

CHUNK = 500
State = TopicSuggestion.State


@dataclass
class TagSummary:
    """What a tagging run did (or, dry, would do)."""

    entries: int = 0  # entries asked for
    tagged: int = 0  # entries read by the tagger
    unchanged: int = 0  # skipped: same text and tagger as at their last tagging
    suggestions: int = 0  # accepted topics found for the entries read
    kept_off: int = 0  # accepted, but a curator rejected them there
    added: Counter[str] = field(default_factory=Counter)  # topics put on entries
    removed: Counter[str] = field(default_factory=Counter)  # topics taken off
    seconds: float = 0.0
    dry_run: bool = False

    @property
    def topics_added(self) -> int:
        return sum(self.added.values())

    @property
    def topics_removed(self) -> int:
        return sum(self.removed.values())

    @property
    def rate(self) -> float:
        """Entries per second over the whole run."""
        return self.entries / self.seconds if self.seconds else 0.0


def text_hash(
    tagger: Tagger, title: str, excerpt: list[str], notes: list[str], source: str
) -> str:
    """What the tagger reads of an entry, and the tagger itself, as one hash."""
    text = json.dumps([tagger.version, title, excerpt, notes, source])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tag_entries(
    ids: Iterable[int],
    *,
    retag: bool = False,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    tagger: Tagger | None = None,
) -> TagSummary:
    """Tag these entries (see the module's rules) and say what changed. `progress`
    is told how many entries are done after each chunk. Writes nothing when
    `dry_run`."""
    started = time.perf_counter()
    tagger = tagger or default_tagger()
    wanted = sorted(set(ids))
    summary = TagSummary(entries=len(wanted), dry_run=dry_run)
    topic_ids = dict(
        Topic.objects.filter(slug__in=list(tagger.specs)).values_list("slug", "pk")
    )
    slugs = {pk: slug for slug, pk in topic_ids.items()}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        with transaction.atomic():
            _tag_chunk(chunk, tagger, topic_ids, slugs, summary, retag, dry_run)
        if progress is not None:
            progress(min(start + CHUNK, len(wanted)))
    summary.seconds = time.perf_counter() - started
    return summary


def _tag_chunk(
    chunk: list[int],
    tagger: Tagger,
    topic_ids: dict[str, int],
    slugs: dict[int, str],
    summary: TagSummary,
    retag: bool,
    dry_run: bool,
) -> None:
    now = timezone.now()
    todo: list[tuple[int, str, list[str], list[str], str, str]] = []
    for pk, title, excerpt, notes, source, old in Entry.objects.filter(
        pk__in=chunk
    ).values_list("pk", "title", "excerpt", "notes", "source_line", "tagging_hash"):
        texts, remarks = paragraphs(excerpt), paragraphs(notes)
        new = text_hash(tagger, title or "", texts, remarks, source or "")
        if new == old and not retag:
            summary.unchanged += 1
            continue
        todo.append((pk, title or "", texts, remarks, source or "", new))
    if not todo:
        return
    todo_ids = [row[0] for row in todo]
    Through = Entry.topics.through
    links = set(
        Through.objects.filter(entry_id__in=todo_ids).values_list(
            "entry_id", "topic_id"
        )
    )
    # Stored suggestions: (id, state, applied) by entry and topic.
    stored: dict[int, dict[int, tuple[int, str, bool]]] = {}
    for row in TopicSuggestion.objects.filter(entry_id__in=todo_ids).values_list(
        "pk", "entry_id", "topic_id", "state", "applied"
    ):
        stored.setdefault(row[1], {})[row[2]] = (row[0], row[3], row[4])

    creates: list[tuple[Any, ...]] = []
    updates: list[TopicSuggestion] = []
    deletes: list[int] = []
    add_links: list[tuple[int, int]] = []
    remove_links: list[tuple[int, int]] = []
    for pk, title, excerpt, notes, source, _hash in todo:
        summary.tagged += 1
        found = {s.slug: s for s in tagger.suggest(title, excerpt, notes, source)}
        before = stored.get(pk, {})
        for slug, suggestion in found.items():
            if not suggestion.accepted or slug not in topic_ids:
                continue
            summary.suggestions += 1
            topic = topic_ids[slug]
            on_entry = (pk, topic) in links
            previous = before.pop(topic, None)
            applied: bool | None
            if previous is not None and previous[1] != State.SUGGESTED:
                row_id, state, _ = previous
                updates.append(_refreshed(row_id, suggestion, now, accepted=True))
                if state == State.REJECTED:
                    summary.kept_off += 1
                    continue
                applied = None  # a decided row keeps its flag
            else:
                # Undecided rows are written afresh; `applied` carries over.
                applied = False
                if previous is not None:
                    deletes.append(previous[0])
                    applied = previous[2]
            if not on_entry:
                add_links.append((pk, topic))
                summary.added[slug] += 1
                if applied is not None:
                    applied = True
            if applied is not None:
                creates.append(
                    (pk, topic, suggestion.score, suggestion.threshold, True, applied,
                     suggestion.evidence(), State.SUGGESTED.value, now)
                )  # fmt: skip
        # What this tagging no longer accepts.
        for topic, (row_id, state, was_applied) in before.items():
            if state == State.SUGGESTED:
                deletes.append(row_id)
                if was_applied and (pk, topic) in links:
                    remove_links.append((pk, topic))
                    summary.removed[slugs.get(topic, str(topic))] += 1
            else:
                slug = slugs.get(topic, "")
                updates.append(
                    _refreshed(
                        row_id, found.get(slug), now, accepted=False,
                        threshold=tagger.thresholds.get(slug, 0.0),
                    )
                )  # fmt: skip
    if dry_run:
        return
    if deletes:
        TopicSuggestion.objects.filter(pk__in=deletes).delete()
    insert_rows(
        TopicSuggestion,
        ("entry_id", "topic_id", "score", "threshold", "accepted", "applied",
         "evidence", "state", "tagged_at"),
        creates,
    )  # fmt: skip
    TopicSuggestion.objects.bulk_update(
        updates,
        ["score", "threshold", "accepted", "evidence", "tagged_at"],
        batch_size=200,
    )
    Through.objects.bulk_create(
        [Through(entry_id=e, topic_id=t) for e, t in add_links],
        ignore_conflicts=True,
    )
    by_topic: dict[int, list[int]] = {}
    for e, t in remove_links:
        by_topic.setdefault(t, []).append(e)
    for t, entries in by_topic.items():
        Through.objects.filter(topic_id=t, entry_id__in=entries).delete()
    Entry.objects.bulk_update(
        [Entry(pk=pk, tagging_hash=new) for pk, *_, new in todo],
        ["tagging_hash"],
        batch_size=CHUNK,
    )
    touched = {e for e, _ in add_links} | {e for e, _ in remove_links}
    if touched:
        # The ORM's m2m signals do not see these writes: tell search and others.
        announce(touched, origin="tag")


def _refreshed(
    row_id: int,
    suggestion: Suggestion | None,
    now: Any,
    *,
    accepted: bool,
    threshold: float = 0.0,
) -> TopicSuggestion:
    """A decided suggestion's new score and evidence (for `bulk_update`)."""
    return TopicSuggestion(
        pk=row_id,
        score=suggestion.score if suggestion else 0.0,
        threshold=suggestion.threshold if suggestion else threshold,
        accepted=accepted,
        evidence=suggestion.evidence() if suggestion else {},
        tagged_at=now,
    )


# ----------------------------------------------------------------- curators' decisions


def decide(suggestion: TopicSuggestion, state: str, user: Any) -> None:
    """A curator's decision about a suggestion: a confirmed topic goes on the entry,
    a rejected one comes off it; back to "suggested", the tagger's rule applies."""
    if state not in State.values:
        raise ValueError(f"not a suggestion state: {state!r}")
    with transaction.atomic():
        suggestion.state = state
        undecided = state == State.SUGGESTED
        suggestion.decided_by = None if undecided else user
        suggestion.decided_at = None if undecided else timezone.now()
        suggestion.save(update_fields=["state", "decided_by", "decided_at"])
        entry = suggestion.entry
        if state == State.REJECTED:
            entry.topics.remove(suggestion.topic_id)
        elif state == State.CONFIRMED or suggestion.accepted:
            entry.topics.add(suggestion.topic_id)


def record_topic_edits(
    entry: Entry, added: Iterable[int], removed: Iterable[int], user: Any
) -> int:
    """Topics a curator added to or removed from an entry by hand count as confirming
    or rejecting the tagger's suggestions of them. How many suggestions changed."""
    now = timezone.now()
    changed = 0
    for topic_ids, state in (
        (set(added), State.CONFIRMED),
        (set(removed), State.REJECTED),
    ):
        if topic_ids:
            changed += (
                TopicSuggestion.objects.filter(entry=entry, topic_id__in=topic_ids)
                .exclude(state=state)
                .update(state=state, decided_by=user, decided_at=now)
            )
    return changed


_ON_IMPORT: ContextVar[bool] = ContextVar("lantern_tag_on_import", default=True)


@contextmanager
def untagged_imports() -> Iterator[None]:
    """Imports inside the block leave tagging to a later `lantern tag --all`."""
    token = _ON_IMPORT.set(False)
    try:
        yield
    finally:
        _ON_IMPORT.reset(token)


def tag_written_entries(sender: Any, ids: Any, origin: str = "", **kwargs: Any) -> None:
    """`entries_written` receiver: imported entries are tagged once stored (at the
    end of an import run, all of its pages together)."""
    if origin == "import" and ids and _ON_IMPORT.get():
        tag_entries(ids)
