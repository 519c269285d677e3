"""The curators' Atom feed of link-status changes (`curation.status_changes`)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from lantern.web.curation import Change, status_changes

FEED_SIZE = 50


class LinkChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "Lantern: link status changes"
    subtitle = (
        "Entries whose latest link check came out differently from the one "
        "before, newest first."
    )

    def link(self) -> str:
        return reverse("web:curate-links")

    def items(self) -> list[Change]:
        return status_changes(limit=FEED_SIZE)

    def item_title(self, item: Change) -> str:
        return f"{item.entry.title}: {item.summary}"

    def item_description(self, item: Change) -> str:
        country = item.entry.primary_country
        parts = [
            f"{item.previous_label} → {item.latest_label}, checked "
            f"{item.checked_at:%Y-%m-%d %H:%M} UTC",
        ]
        if item.run_id:
            parts.append(f"check run #{item.run_id}")
        if country is not None:
            parts.append(country.name)
        if item.entry.url:
            parts.append(item.entry.url)
        return " · ".join(parts)

    def item_link(self, item: Change) -> str:
        return reverse("admin:library_entry_change", args=[item.entry.pk])

    def item_guid(self, item: Change) -> str:
        # One item per change, not per entry: the same entry may change again.
        stamp = item.checked_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        return f"lantern-link-change:{item.entry.pk}:{stamp}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Change) -> dt.datetime:
        return item.checked_at

    def item_updateddate(self, item: Change) -> dt.datetime:
        return item.checked_at
