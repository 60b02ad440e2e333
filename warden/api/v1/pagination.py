"""Page-number pagination with absolute next/previous links."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar, overload

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from warden.api.v1.schemas import PageQuery
from warden.site.caching import site_url

T = TypeVar("T")
M = TypeVar("M", bound=Model)
Meta = dict[str, Any]


@overload
def page_of(request: HttpRequest, rows: QuerySet[M], query: PageQuery) -> tuple[list[M], Meta]: ...
@overload
def page_of(request: HttpRequest, rows: Sequence[T], query: PageQuery) -> tuple[list[T], Meta]: ...
def page_of(
    request: HttpRequest, rows: Sequence[Any] | QuerySet[Any], query: PageQuery
) -> tuple[list[Any], Meta]:
    """The rows on the requested page, and the page's count/next/previous."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    start = (query.page - 1) * query.page_size
    items = list(rows[start : start + query.page_size])
    last = max(1, -(-count // query.page_size))
    meta = {
        "count": count,
        "next": _link(request, query.page + 1) if query.page < last else None,
        "previous": _link(request, min(query.page - 1, last)) if query.page > 1 else None,
    }
    return items, meta


def _link(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return site_url(f"{request.path}?{params.urlencode()}")
