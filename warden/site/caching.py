"""HTTP caching for everything the public reads: ETag, Last-Modified, Cache-Control.

Every public response depends only on what has been published, so one "publication
stamp" — the newest publication or withdrawal time of any edition or statement — validates
them all. It is one indexed query; conditional requests are answered 304 from it without
rendering anything. A publish moves the stamp, so nothing stale is served after it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import condition

from warden.advisories.models import Edition, Statement

# Browsers revalidate after a minute; a CDN may serve a stale copy for a few seconds while it
# revalidates, never longer.
MAX_AGE = 60


def publication_stamp() -> datetime | None:
    """The newest moment anything public changed (publication or withdrawal)."""
    stamps = [
        Edition.objects.filter(is_exercise=False).aggregate(
            p=Max("published_at"), w=Max("withdrawn_at")
        ),
        Statement.objects.filter(is_exercise=False).aggregate(
            p=Max("published_at"), w=Max("withdrawn_at")
        ),
    ]
    values = [v for row in stamps for v in row.values() if v is not None]
    return max(values) if values else None


def _etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    stamp = publication_stamp()
    release = settings.WARDEN_RELEASE
    key = f"{release}|{request.path}|{get_language()}|{stamp.isoformat() if stamp else '-'}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> datetime | None:
    return publication_stamp()


def public_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a public view: validators, 304 answers and CDN-friendly Cache-Control."""
    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = conditional(request, *args, **kwargs)
        if response.status_code in (200, 304):
            patch_cache_control(
                response,
                public=True,
                max_age=MAX_AGE,
                s_maxage=MAX_AGE,
                stale_while_revalidate=10,
            )
            patch_vary_headers(response, ["Accept-Language"])
        return response

    wrapper.public_cache = True  # type: ignore[attr-defined]
    return wrapper


def site_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
