"""Database helpers shared by apps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert plain rows in few statements, for hot paths that write thousands of
    small rows (accesses, many-to-many links) and need no ids back.

    `columns` are concrete field attnames (`entry_id`, `accessed_on`); columns not
    named get their field's default. Values go through the field's own database
    preparation, so dates and JSON work on SQLite and PostgreSQL alike. Touches the
    database only.
    """
    if not rows:
        return
    fields: list[models.Field[Any, Any]] = []
    for name in columns:
        field = model._meta.get_field(
            name.removesuffix("_id") if name.endswith("_id") else name
        )
        assert isinstance(field, models.Field), f"{name} is not a concrete field"
        fields.append(field)
    # Every other column gets the field's default, as the ORM would give it.
    given = {f.name for f in fields}
    rest = [
        f
        for f in model._meta.concrete_fields
        if f.name not in given and not f.primary_key
    ]
    defaults = tuple(f.get_default() for f in rest)
    fields += rest
    rows = [row + defaults for row in rows]
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column or f.name) for f in fields),
    )
    prepared = [
        tuple(
            value
            if value is None
            or (
                isinstance(value, (int, str, bool))
                and not isinstance(f, models.JSONField)
            )
            else f.get_db_prep_save(value, connection)
            for f, value in zip(fields, row, strict=True)
        )
        for row in rows
    ]
    if connection.vendor == "postgresql":
        # COPY streams the rows in one go, far faster than INSERT for thousands.
        with connection.cursor() as cursor:
            copy_sql = head.replace("INSERT INTO", "COPY", 1) + " FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in prepared:
                    copy.write_row(row)
        return
    # Many rows per statement: one round trip per chunk instead of one per row,
    # within the bound parameters SQLite allows (32,766).
    per_row = ", ".join(["%s"] * len(fields))
    chunk = max(1, 30000 // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), chunk):
            batch = prepared[start : start + chunk]
            values = ", ".join(f"({per_row})" for _ in batch)
            cursor.execute(f"{head} VALUES {values}", [v for row in batch for v in row])
