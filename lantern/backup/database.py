"""The database side of a backup: which models are kept, their rows as JSON Lines
(Django's serialised form, one object per line), reading them back, and emptying
the database before a restore.

Every concrete model of every installed app is kept, many-to-many tables included
(as their own models, so their ids survive and no per-row query is needed), so a
new app's tables (the audit history, say) are backed up without a change here.
Primary keys are kept as they are, content types and permissions included: a
restore replaces every table, so ids stay consistent with each other, and the
clash `loaddata` avoids with natural keys (content types that `migrate` already
created under other ids) cannot arise.

Touches the database.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.core.serializers import base, python
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

from lantern.backup.archive import BackupError

ROWS_PER_CHUNK = 2_000
ROWS_PER_INSERT = 500

# Left out of every backup, with the reason. Both tables are emptied by a restore.
EXCLUDED = {
    # Sign-ins: short-lived, and a backup that holds them can be used to sign in.
    # A restored library starts with everyone signed out.
    "sessions.session": "sign-ins",
    # Derived from the entries; a restore rebuilds the search index.
    "search.searchentry": "search index",
}

# Filled by `migrate` itself (post-migrate signals and data migrations), so a fresh
# database holds them; rows of any other model count as a library already there.
FILLED_BY_MIGRATE = frozenset(
    [
        "contenttypes.contenttype",
        "auth.permission",
        "auth.group",
        "auth.group_permissions",
        "library.country",
        "library.country_neighbours",
        "library.topic",
        "library.series",
        "library.tierplacement",
    ]
)


def label(model: type[Model]) -> str:
    return model._meta.label_lower


def backed_up_models() -> list[type[Model]]:
    """Every model whose rows a backup keeps: concrete, managed, not swapped out,
    many-to-many tables included; in app and definition order."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and label(model) not in EXCLUDED
    ]


def applied_migrations() -> list[str]:
    """The migrations applied in the database, as sorted "app.name" strings."""
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def library_data() -> dict[str, int]:
    """Rows per model of what a restore would replace, leaving out what a freshly
    migrated database holds anyway (reference facts, content types, permissions)."""
    counts = {}
    for model in backed_up_models():
        if label(model) in FILLED_BY_MIGRATE:
            continue
        rows = model._base_manager.using(DEFAULT_DB_ALIAS).count()
        if rows:
            counts[label(model)] = rows
    return counts


@contextmanager
def read_snapshot() -> Iterator[None]:
    """Read the whole database as of one moment, while others keep writing: a
    read-only REPEATABLE READ transaction on PostgreSQL, a deferred (read)
    transaction on SQLite, which in WAL mode does not block writers. Inside a
    transaction already (a test), that transaction is the snapshot."""
    if connection.in_atomic_block:
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
        return
    if connection.vendor != "sqlite":
        with transaction.atomic():
            yield
        return
    # Django's own transactions on SQLite are IMMEDIATE (they take the write lock
    # at once, see settings.py); a backup only reads, so it opens a plain one.
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        if connection.connection.in_transaction:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")


class _Encoder(DjangoJSONEncoder):
    """Django's encoder keeps only milliseconds of a time; a backup keeps them all."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class _RowSerializer(python.Serializer):
    """Django's serialised form of a row, without many-to-many lists (their tables
    are backed up as models of their own)."""

    def handle_m2m_field(self, obj: Any, field: Any) -> None:
        return None


def dump_rows(model: type[Model]) -> Iterator[bytes]:
    """The model's rows in primary-key order as JSON Lines, a chunk of lines at a
    time (memory stays flat however large the table). Reads the database."""
    rows = model._base_manager.using(DEFAULT_DB_ALIAS).order_by("pk")
    chunk: list[Model] = []
    for obj in rows.iterator(chunk_size=ROWS_PER_CHUNK):
        chunk.append(obj)
        if len(chunk) == ROWS_PER_CHUNK:
            yield _encode(chunk)
            chunk = []
    if chunk:
        yield _encode(chunk)


def _encode(objects: list[Model]) -> bytes:
    records = _RowSerializer().serialize(objects)
    return b"".join(
        json.dumps(r, cls=_Encoder, ensure_ascii=False).encode() + b"\n"
        for r in records
    )


def load_rows(model: type[Model], lines: Iterable[bytes], where: str) -> int:
    """Insert the rows of one model from its JSON Lines; returns how many. Runs
    inside the restore's transaction; `where` names the member in errors, which
    also give the line."""
    expected = label(model)
    line_no = 0

    def records() -> Iterator[dict[str, Any]]:
        nonlocal line_no
        for line_no, line in enumerate(lines, start=1):  # line_no: read on error
            if not line.strip():
                continue
            record = json.loads(line)
            if not isinstance(record, dict) or record.get("model") != expected:
                raise BackupError(
                    f"{where}, line {line_no}: not a row of {expected} "
                    f"({str(record)[:80]})"
                )
            yield record

    count = 0
    batch: list[Model] = []
    first = 1  # the line of the batch's first row, for errors
    try:
        for obj in python.Deserializer(records(), using=DEFAULT_DB_ALIAS):
            if not batch:
                first = line_no
            batch.append(obj.object)
            if len(batch) == ROWS_PER_INSERT:
                insert_rows(model, batch)
                count += len(batch)
                batch = []
        if batch:
            insert_rows(model, batch)
            count += len(batch)
    except BackupError:
        raise
    except DatabaseError as exc:
        raise BackupError(f"{where}, lines {first}–{line_no}: {exc}") from exc
    except (
        json.JSONDecodeError,
        UnicodeDecodeError,
        base.DeserializationError,
        FieldDoesNotExist,
        ValueError,
        TypeError,
        LookupError,
    ) as exc:
        raise BackupError(f"{where}, line {line_no}: {exc}") from exc
    return count


def insert_rows(model: type[Model], rows: list[Model]) -> None:
    """Insert rows exactly as they are: Django's raw save (what fixtures use, and
    what `save_base(raw=True)` runs for one row), many rows per statement. No
    field computes its value (`auto_now` would stamp the time of the restore) and
    no signal is sent: a restore is not an edit, and the search index is rebuilt
    at the end."""
    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
    size = connection.ops.bulk_batch_size(fields, rows) or len(rows)
    for start in range(0, len(rows), size):
        model._base_manager.using(DEFAULT_DB_ALIAS)._insert(  # type: ignore[attr-defined]
            rows[start : start + size], fields=fields, raw=True
        )


def empty_database() -> None:
    """Delete every row of every table Django knows (as `flush` does, without
    re-creating content types and permissions: the backup brings its own). Meant
    for inside the restore's transaction."""
    statements = sql_flush(no_style(), connection, reset_sequences=True)
    connection.ops.execute_sql_flush(statements)
    _forget_content_types()


def finish_load(models: list[type[Model]], where: str) -> None:
    """After loading: check every foreign key now (the error names the table and
    row), and move PostgreSQL's id sequences past the restored ids so new rows
    get fresh ones. `where` names the archive in errors."""
    try:
        connection.check_constraints(table_names=[m._meta.db_table for m in models])
    except DatabaseError as exc:
        raise BackupError(
            f"{where}: the rows do not fit together, nothing was restored: {exc}"
        ) from exc
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    _forget_content_types()


def _forget_content_types() -> None:
    """Content types are cached per process by id; the restored ones may differ."""
    if apps.is_installed("django.contrib.contenttypes"):
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
