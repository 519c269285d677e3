"""Database helpers shared by apps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert plain rows with one `executemany`, for hot paths that write thousands of
    small rows (accesses, many-to-many links) and need no ids back.

    `columns` are concrete field attnames (`entry_id`, `accessed_on`); values go
    through the field's own database preparation, so dates and JSON work on SQLite
    and PostgreSQL alike. Touches the database only.
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
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column or f.name) for f in fields),
        ", ".join(["%s"] * len(fields)),
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
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)
