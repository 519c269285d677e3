"""Replay of Lantern's own snapshots, under /archive/. Names live in the `capture:`
namespace; always reverse them."""

from django.urls import path

from lantern.capture import views

app_name = "capture"

urlpatterns = [
    path("<int:pk>/", views.snapshot, name="snapshot"),
    path("<int:pk>/raw/", views.snapshot_raw, name="snapshot-raw"),
]
