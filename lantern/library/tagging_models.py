"""What the topic tagger suggested for each entry, with its evidence, and what the
curators decided about it (imported by `models.py`; written by
`tagging_services.py`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TopicSuggestionQuerySet(models.QuerySet["TopicSuggestion"]):
    def unreviewed(self) -> TopicSuggestionQuerySet:
        """Suggestions no curator has confirmed or rejected yet."""
        return self.filter(state=TopicSuggestion.State.SUGGESTED)


class TopicSuggestion(models.Model):
    """A topic the tagger found an entry to be about, with the phrases that told it.

    The tagger puts its accepted topics on the entry unless a curator rejected them
    there; a topic it put there itself (`applied`) it takes off again when a later
    tagging no longer accepts it, unless a curator confirmed it. Topics the entry
    had anyway (from its page or a curator) are never taken off."""

    class State(models.TextChoices):
        SUGGESTED = "suggested", "Suggested"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    entry = models.ForeignKey(
        "library.Entry", on_delete=models.CASCADE, related_name="topic_suggestions"
    )
    topic = models.ForeignKey(
        "library.Topic", on_delete=models.CASCADE, related_name="suggestions"
    )
    score = models.FloatField(default=0.0)
    threshold = models.FloatField(default=0.0)
    accepted = models.BooleanField(
        default=True, help_text="The latest tagging accepted the topic."
    )
    applied = models.BooleanField(
        default=False, help_text="The tagger put the topic on the entry."
    )
    evidence = models.JSONField(
        default=dict,
        blank=True,
        help_text="Phrases found, each with snippets of the text around it.",
    )
    state = models.CharField(
        max_length=10, choices=State.choices, default=State.SUGGESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    tagged_at = models.DateTimeField()

    objects = TopicSuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["entry", "-score", "topic"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "topic"], name="library_topic_suggestion_unique"
            )
        ]
        indexes = [models.Index(fields=["state", "entry"])]

    def __str__(self) -> str:
        return f"{self.topic.slug} ({self.state}) for entry {self.entry_id}"
