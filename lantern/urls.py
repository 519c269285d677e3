"""Top-level URLs: the public site at /, the curators' admin at /admin/."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Lantern curators"
admin.site.site_title = "Lantern curators"
admin.site.index_title = "Library"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("archive/", include("lantern.capture.urls")),
    path("search/", include("lantern.search.urls")),
    path("", include("lantern.web.urls")),
]
