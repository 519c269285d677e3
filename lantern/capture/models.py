"""Snapshots: Lantern's own archived copy (WARC) of each page it cites."""

from __future__ import annotations

from django.db import models
from django.urls import reverse


class SnapshotQuerySet(models.QuerySet["Snapshot"]):
    def usable(self) -> SnapshotQuerySet:
        """Snapshots with a stored WARC of a successful response."""
        return self.exclude(warc_path="").filter(http_status__lt=400)


class Snapshot(models.Model):
    """One capture of a URL, stored as a WARC file (request and response records)."""

    entry = models.ForeignKey(
        "library.Entry", on_delete=models.CASCADE, related_name="snapshots"
    )
    url = models.CharField(max_length=2000, help_text="The address requested.")
    final_url = models.CharField(max_length=2000, blank=True)
    captured_at = models.DateTimeField()
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=200, blank=True)
    warc_path = models.CharField(
        max_length=500, blank=True, help_text="Name of the WARC file in storage."
    )
    warc_size = models.PositiveBigIntegerField(default=0)
    payload_sha256 = models.CharField(max_length=64, blank=True)
    payload_size = models.PositiveBigIntegerField(default=0)
    truncated = models.BooleanField(
        default=False, help_text="The body was longer than the size cap."
    )
    title = models.CharField(max_length=500, blank=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["-captured_at", "-id"]
        get_latest_by = "captured_at"

    def __str__(self) -> str:
        return f"{self.url} @ {self.captured_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("capture:snapshot", args=[self.pk])
