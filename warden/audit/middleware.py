"""Records where each request comes from, so that services can put it in audit rows."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from warden.audit.context import origin


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        # The client: behind a reverse proxy, warden.wsgi takes it from X-Forwarded-For.
        with origin(source_ip=request.META.get("REMOTE_ADDR") or None, channel=channel):
            return self.get_response(request)
