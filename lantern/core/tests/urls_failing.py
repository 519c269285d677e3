"""The site's URLs plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import path

from lantern.urls import urlpatterns as site


class SecretFailure(RuntimeError):
    pass


def explode(request: HttpRequest) -> HttpResponse:
    raise SecretFailure("db password is hunter2 at /srv/lantern/settings.py")


def forbid(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied("internal reason")


def bad(request: HttpRequest) -> HttpResponse:
    raise BadRequest("internal reason")


urlpatterns = [
    path("explode/", explode),
    path("forbid/", forbid),
    path("bad/", bad),
    *site,
]
