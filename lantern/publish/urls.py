"""The URLs `lantern publish` renders with: the whole site plus the static search
page (never served live)."""

from django.urls import include, path

from lantern.publish import views

urlpatterns = [
    path("__lantern_publish__/search/", views.static_search, name="publish-search"),
    path("", include("lantern.urls")),
]
