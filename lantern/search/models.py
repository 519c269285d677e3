"""What search stores in the database: on PostgreSQL, one row per entry with its
text-search vector and the facet values (the embedded backend keeps its index in
files and leaves this table empty)."""

from __future__ import annotations

from typing import Any

from django.db import models


class TsVectorField(models.Field):  # type: ignore[type-arg]
    """PostgreSQL's `tsvector` (plain text elsewhere, where the table stays empty)."""

    description = "Text-search vector"

    def db_type(self, connection: Any) -> str:
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchEntry(models.Model):
    """The PostgreSQL backend's document for one entry. Written only by
    `lantern.search.index` (never edit by hand); `lantern reindex` rebuilds it."""

    entry_id = models.BigIntegerField(primary_key=True)
    document = TsVectorField()
    title = models.TextField()
    body = models.TextField()
    countries = models.JSONField(default=list)
    regions = models.JSONField(default=list)
    topics = models.JSONField(default=list)
    kind = models.CharField(max_length=20, blank=True)
    format = models.CharField(max_length=10, blank=True)
    section = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(default=0)
    published = models.DateField(null=True)
    added = models.DateTimeField(null=True)
    verified = models.DateField(null=True)

    class Meta:
        db_table = "search_entry"

    def __str__(self) -> str:
        return self.title
