"""`/api/topics`: the topic vocabulary, groups and their topics."""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from lantern.api import serialise
from lantern.api.answers import CSV_CONTENT, LIST_RESPONSES, paged
from lantern.api.pagination import DEFAULT_LIMIT
from lantern.api.parameters import CursorParam, FormatParam, Limit, Slug
from lantern.api.schemas import TopicList, TopicOut
from lantern.library.models import Topic

router = Router()


@router.get(
    "/topics",
    response={200: TopicList, **LIST_RESPONSES},
    url_name="topics",
    tags=["topics"],
    operation_id="lantern_api_api_list_topics",
    openapi_extra=CSV_CONTENT,
)
def list_topics(
    request: HttpRequest,
    response: HttpResponse,
    group: Annotated[
        Slug | None, Query(None, description="Only the topics of this group.")
    ] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: CursorParam = None,
    format: FormatParam = None,
) -> Any:
    """The topic vocabulary: groups and their topics, with entry counts."""
    topics = Topic.objects.annotate(
        entry_count=Count("entries", distinct=True), parent_slug=F("parent__slug")
    )
    if group:
        topics = topics.filter(parent__slug=group.lower())
    return paged(
        request,
        response,
        topics,
        name="topics",
        order=["position", "slug"],
        cursor=cursor,
        limit=limit,
        format=format,
        row=lambda t: serialise.topic_row(request, t),
        schema=TopicOut,
    )
