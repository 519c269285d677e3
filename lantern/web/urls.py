"""Public URLs. Names live in the `web:` namespace; always reverse them."""

from django.urls import path

from lantern.web import (
    cite_views,
    discovery_views,
    language,
    public_feeds,
    region_views,
    views,
)

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("countries/", views.country_index, name="countries"),
    path("countries/<str:code>/", views.country_detail, name="country"),
    path("regions/", region_views.region_index, name="regions"),
    path("regions/<str:code>/", region_views.region_detail, name="region"),
    path("countries/<str:code>/cite/", cite_views.country_cite, name="country-cite"),
    path("entries/<int:pk>/", views.entry_detail, name="entry"),
    path("entries/<int:pk>/cite/", cite_views.entry_cite, name="entry-cite"),
    path("topics/", discovery_views.topic_index, name="topics"),
    path("topics/<slug:slug>/", discovery_views.topic_detail, name="topic"),
    path("compare/", discovery_views.compare_view, name="compare"),
    path("map/", discovery_views.world_map, name="map"),
    path("help/", views.helplines, name="helplines"),
    path("teachers/", views.teachers, name="teachers"),
    path("teachers/lesson-plans/<int:pk>/", views.lesson_plan, name="lesson-plan"),
    path("term-papers/", views.term_papers, name="term-papers"),
    path("about/", views.about, name="about"),
    path("language/<str:code>/", language.switch_language, name="language"),
    path("curate/links/", views.curate_links, name="curate-links"),
    path("curate/links/entries/", views.curate_entries, name="curate-entries"),
    path("curate/links/changes.atom", views.link_changes_feed, name="curate-feed"),
    path("feeds/entries.atom", public_feeds.latest_entries, name="feed-entries"),
    path(
        "countries/<str:code>/entries.atom",
        public_feeds.country_entries,
        name="country-feed",
    ),
    path(
        "topics/<slug:slug>/entries.atom", public_feeds.topic_entries, name="topic-feed"
    ),
    path("search/feed.atom", public_feeds.search_entries, name="search-feed"),
]
