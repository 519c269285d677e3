"""Search URLs. Names live in the `search:` namespace; always reverse them."""

from django.urls import path

from lantern.search import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("cite/", views.cite_results, name="cite"),
]
