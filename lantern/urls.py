"""Top-level URLs: the public site at /, the curators' admin at /admin/, the health
check at /healthz."""

from django.contrib import admin
from django.urls import include, path

from lantern.core.views import healthz
from lantern.web.sitemaps import robots_txt, sitemap_index, sitemap_section

admin.site.site_header = "Lantern curators"
admin.site.site_title = "Lantern curators"
admin.site.index_title = "Library"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("archive/", include("lantern.capture.urls")),
    path("search/", include("lantern.search.urls")),
    path("reading-list/", include("lantern.readinglist.urls")),
    path("api/", include("lantern.api.urls")),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", sitemap_section, name="sitemap-section"),
    path("robots.txt", robots_txt, name="robots"),
    # For load balancers and monitors: database and data directory (docs/security.md).
    path("healthz", healthz, name="healthz"),
    path("", include("lantern.web.urls")),
]
