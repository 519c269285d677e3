"""Readers' Atom feeds of new entries: the whole library, one country, one topic, or
one search (the search page's own parameters, so a reader subscribes to a search).

Each feed lists the newest `FEED_SIZE` entries by date added. Item text is plain
text (`type="text"`): titles and summaries are never read as HTML.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from lantern.library.models import Country, Entry, Topic
from lantern.search.facets import Filters, label_for, value_labels
from lantern.search.services import QueryError, run_search
from lantern.web import pages, topics

FEED_SIZE = 50
SUMMARY_WORDS = 60


@dataclass(frozen=True)
class Item:
    """One entry as a feed shows it, with its public address worked out."""

    entry: Entry
    url: str
    categories: list[tuple[str, str, str]]  # (term, label, scheme)


@dataclass(frozen=True)
class Scope:
    """What a feed covers: its title and page, and the entries in it."""

    title: str
    subtitle: str
    page: str  # absolute address of the page the feed belongs to
    feed: str  # absolute address of the feed itself
    items: list[Item] = field(default_factory=list)


class TextAtomFeed(Atom1Feed):
    """Atom with plain-text summaries, every author, and labelled categories."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        for name in item.get("authors", ()):
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.endElement("author")
        if item.get("summary"):
            handler.addQuickElement("summary", item["summary"], {"type": "text"})
        for term, label, scheme in item.get("labelled_categories", ()):
            handler.addQuickElement(
                "category", "", {"term": term, "label": label, "scheme": scheme}
            )


def _listing() -> Any:
    return Entry.objects.select_related("publisher").prefetch_related(
        Prefetch("countries", queryset=Country.objects.only("code", "name")),
        Prefetch("topics", queryset=Topic.objects.only("id", "slug", "name")),
    )


def _items(request: HttpRequest, entries: Sequence[Entry]) -> list[Item]:
    topic_scheme = pages.public_url(request, reverse("web:topics"))
    country_scheme = pages.public_url(request, reverse("web:countries"))
    return [
        Item(
            entry=e,
            url=pages.public_url(request, e.get_absolute_url()),
            categories=[(t.slug, t.name, topic_scheme) for t in e.topics.all()]
            + [(c.code, c.name, country_scheme) for c in e.countries.all()],
        )
        for e in entries
    ]


def _newest(queryset: Any) -> list[Entry]:
    return list(queryset.order_by("-created_at", "-id")[:FEED_SIZE])


class EntriesFeed(Feed):
    """The base of every readers' feed: items are `Item`s of a `Scope`."""

    feed_type = TextAtomFeed

    def get_scope(self, request: HttpRequest, **kwargs: Any) -> Scope:
        raise NotImplementedError

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Scope:
        return self.get_scope(request, **kwargs)

    def title(self, obj: Scope) -> str:
        return obj.title

    def subtitle(self, obj: Scope) -> str:
        return obj.subtitle

    def link(self, obj: Scope) -> str:
        return obj.page

    def feed_url(self, obj: Scope) -> str:
        return obj.feed

    def feed_guid(self, obj: Scope) -> str:
        return obj.feed

    def author_name(self) -> str:
        return str(settings.LANTERN_CURATOR)

    def items(self, obj: Scope) -> list[Item]:
        return obj.items

    def item_title(self, item: Item) -> str:
        return item.entry.title

    def item_link(self, item: Item) -> str:
        return item.url

    def item_guid(self, item: Item) -> str:
        return item.url

    def item_description(self, item: Item) -> None:  # type: ignore[override]
        return None  # written as a plain-text summary instead

    def item_pubdate(self, item: Item) -> Any:
        return item.entry.created_at

    def item_updateddate(self, item: Item) -> Any:
        return item.entry.updated_at

    def item_extra_kwargs(self, item: Item) -> dict[str, Any]:
        entry = item.entry
        authors = [str(a) for a in entry.authors if str(a).strip()]
        if not authors and entry.publisher is not None:
            authors = [entry.publisher.name]
        first = next((str(p) for p in entry.excerpt if str(p).strip()), "")
        return {
            "authors": authors,
            "summary": Truncator(first).words(SUMMARY_WORDS),
            "labelled_categories": item.categories,
        }


def _site() -> str:
    return str(settings.LANTERN_SITE_NAME)


class LatestEntriesFeed(EntriesFeed):
    def get_scope(self, request: HttpRequest, **kwargs: Any) -> Scope:
        return Scope(
            title=f"{_site()}: new entries",
            subtitle="Reports and articles newly added to the library, newest first.",
            page=pages.public_url(request, reverse("web:home")),
            feed=pages.public_url(request, reverse("web:feed-entries")),
            items=_items(request, _newest(_listing())),
        )


class CountryEntriesFeed(EntriesFeed):
    def get_scope(self, request: HttpRequest, **kwargs: Any) -> Scope:
        code = str(kwargs["code"])
        if len(code) != 2 or not code.isalpha():
            raise Http404("No such country code.")
        country = get_object_or_404(
            Country.objects.only("code", "name"), code=code.upper()
        )
        entries = _newest(_listing().filter(countries=country).distinct())
        return Scope(
            title=f"{_site()}: new entries on {country.name}",
            subtitle=(
                f"Reports and articles about {country.name} newly added to the "
                "library, newest first."
            ),
            page=pages.public_url(request, country.get_absolute_url()),
            feed=pages.public_url(
                request, reverse("web:country-feed", args=[country.slug])
            ),
            items=_items(request, entries),
        )


class TopicEntriesFeed(EntriesFeed):
    def get_scope(self, request: HttpRequest, **kwargs: Any) -> Scope:
        topic = get_object_or_404(Topic, slug=kwargs["slug"])
        about = topics.entries_about(topic).values("pk")
        entries = _newest(_listing().filter(pk__in=about))
        return Scope(
            title=f"{_site()}: new entries on {topic.name}",
            subtitle=(
                f"Reports and articles on {topic.name.lower()} newly added to the "
                "library, newest first."
            ),
            page=pages.public_url(request, reverse("web:topic", args=[topic.slug])),
            feed=pages.public_url(
                request, reverse("web:topic-feed", args=[topic.slug])
            ),
            items=_items(request, entries),
        )


def search_params(text: str, filters: Filters) -> str:
    """The query string of a search feed (and of its page): words and filters."""
    params: list[tuple[str, str]] = [("q", text)] if text else []
    return urlencode(params + filters.items())


class SearchEntriesFeed(EntriesFeed):
    """`/search/feed.atom?q=…&country=…`: the newest entries a search finds."""

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except QueryError as error:
            return HttpResponseBadRequest(
                f"That search could not be read. {error}\n",
                content_type="text/plain; charset=utf-8",
            )

    def get_scope(self, request: HttpRequest, **kwargs: Any) -> Scope:
        text = request.GET.get("q", "")[:1000].strip()
        filters = Filters.from_params(dict(request.GET.lists()))
        found = run_search(
            text, filters=filters, sort="added", per_page=FEED_SIZE, facets=False
        ).found
        entries = [f.entry for f in found]
        prefetch_related_objects(
            entries,
            Prefetch("topics", queryset=Topic.objects.only("id", "slug", "name")),
        )
        described = []
        if text:
            described.append(f"“{text}”")
        if filters:
            labels = value_labels()
            described += [
                label_for(labels, key, value) for key, value in filters.items()
            ]
        scope = ", ".join(described) if described else "everything"
        query = search_params(text, filters)
        page = reverse("search:search") + (f"?{query}" if query else "")
        feed = reverse("web:search-feed") + (f"?{query}" if query else "")
        return Scope(
            title=f"{_site()}: new entries matching {scope}",
            subtitle=(f"Entries found by the search for {scope}, newest added first."),
            page=pages.public_url(request, page),
            feed=pages.public_url(request, feed),
            items=_items(request, entries),
        )


latest_entries = LatestEntriesFeed()
country_entries = CountryEntriesFeed()
topic_entries = TopicEntriesFeed()
search_entries = SearchEntriesFeed()
