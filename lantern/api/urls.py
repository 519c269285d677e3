"""`/api/`: the API's operations, its OpenAPI document and docs page, and Swagger
UI's files (served from django-ninja's package)."""

from django.urls import URLPattern, URLResolver, path, re_path

from lantern.api import docs
from lantern.api.api import api
from lantern.api.views import index, unknown

app_name = "api"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", index, name="index"),
    path("docs/assets/<str:name>", docs.asset, name="docs-asset"),
    *api.urls[0],
    # Anything else under /api/ is a JSON 404, as the operations' own are.
    re_path(r"^.*$", unknown, name="unknown"),
]
