"""Background jobs, claimed from the database so several workers on several machines
can share one library without doing a job twice."""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class JobQuerySet(models.QuerySet["Job"]):
    def ready(self) -> JobQuerySet:
        """Pending jobs whose time has come, in the order workers take them."""
        from django.db.models.functions import Now

        return self.filter(status=Job.Status.PENDING, run_after__lte=Now()).order_by(
            "priority", "run_after", "id"
        )


class Job(models.Model):
    """A unit of background work: check one entry's link, capture one entry's page."""

    class Kind(models.TextChoices):
        CHECK = "check", "Check a link"
        CAPTURE = "capture", "Capture a snapshot"
        WAYBACK = "wayback", "Find an Internet Archive copy"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    entry = models.ForeignKey(
        "library.Entry", on_delete=models.CASCADE, related_name="jobs", null=True
    )
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    priority = models.SmallIntegerField(default=100, help_text="Lower runs first.")
    run_after = models.DateTimeField(help_text="Not before this time.")
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    claimed_by = models.CharField(max_length=200, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["priority", "run_after", "id"]
        indexes = [models.Index(fields=["status", "run_after", "priority"])]
        constraints = [
            # At most one unfinished job of a kind per entry.
            models.UniqueConstraint(
                fields=["kind", "entry"],
                condition=Q(status__in=["pending", "running"]),
                name="one_open_job_per_entry_and_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"
