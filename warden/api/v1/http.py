"""What every v1 URL does around its handler: pick the language, answer conditional requests
from the publication stamp, and say what went wrong in JSON, never in HTML."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, re_path, reverse
from django.utils import translation
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date, quote_etag
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from warden.site.caching import MAX_AGE, publication_stamp

logger = logging.getLogger(__name__)

View = Callable[..., HttpResponse]
Cache = Callable[[HttpRequest, View, tuple[Any, ...], dict[str, Any]], HttpResponse]


def request_language(request: HttpRequest) -> str:
    """``?lang=``, else the best Accept-Language match, else the default language."""
    asked = request.GET.get("lang", "")
    if asked in {code for code, _name in settings.LANGUAGES}:
        return asked
    for tag, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if tag == "*":
            break
        try:
            return translation.get_supported_language_variant(tag)
        except LookupError:
            continue
    return str(settings.LANGUAGE_CODE)


def error(status: int, detail: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"detail": detail, **extra}, status=status)


# --- Caching --------------------------------------------------------------------------


def _cache_headers(response: HttpResponse) -> HttpResponse:
    patch_cache_control(
        response, public=True, max_age=MAX_AGE, s_maxage=MAX_AGE, stale_while_revalidate=10
    )
    patch_vary_headers(response, ["Accept-Language"])
    return response


def _publication_etag(request: HttpRequest, stamp: datetime | None) -> str:
    key = "|".join(
        [
            settings.WARDEN_RELEASE,
            request.get_full_path(),
            translation.get_language() or "",
            stamp.isoformat() if stamp else "-",
        ]
    )
    return quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])


def publication_cached(
    request: HttpRequest, view: View, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> HttpResponse:
    """Data depends only on what was published: validate it by the publication stamp.

    A conditional GET is answered 304 before the handler runs; a publication or withdrawal
    moves the stamp and so changes every ETag at once.
    """
    if request.method != "GET":
        return view(request, *args, **kwargs)
    stamp = publication_stamp()
    etag = _publication_etag(request, stamp)
    modified = int(stamp.timestamp()) if stamp else None
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        response = view(request, *args, **kwargs)
    if response.status_code not in (200, 304):
        return response
    response.headers["ETag"] = etag
    if modified is not None:
        response.headers["Last-Modified"] = http_date(modified)
    return _cache_headers(response)


def never_cached(
    request: HttpRequest, view: View, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> HttpResponse:
    """Personal data (the registration operations): ``private, no-store``, never a 304."""
    response = view(request, *args, **kwargs)
    add_never_cache_headers(response)
    return response


def content_cached(
    request: HttpRequest, view: View, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> HttpResponse:
    """Documents that change only with the code (the OpenAPI schema): ETag from the body."""
    response = view(request, *args, **kwargs)
    if request.method != "GET" or response.status_code != 200:
        return response
    set_response_etag(response)
    _cache_headers(response)
    etag = response.headers["ETag"]
    return get_conditional_response(request, etag=etag, response=response) or response


# --- Errors ---------------------------------------------------------------------------


def _as_json(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Errors from outside the handlers (405, 412) rendered as JSON like all the others."""
    if response.status_code < 400 or response.get("Content-Type", "").startswith(
        "application/json"
    ):
        return response
    if response.status_code == 405:
        allowed = response.get("Allow", "GET")
        replaced = error(405, f"Method {request.method} is not allowed here; use {allowed}.")
        replaced.headers["Allow"] = allowed
        return replaced
    return error(response.status_code, f"{response.reason_phrase}.")


def _no_endpoint(request: HttpRequest) -> JsonResponse:
    docs = reverse("api-v1:openapi-view")
    return error(404, f"No endpoint at {request.path}. The API is described at {docs}.")


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Every other path under the API's prefix."""
    return _no_endpoint(request)


def api_view(view: View, cache: Cache | None) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        language = request_language(request)
        with translation.override(language):
            try:
                if cache is None:
                    response = view(request, *args, **kwargs)
                else:
                    response = cache(request, view, args, kwargs)
            except Http404:  # ninja's root view raises it outside the handlers
                response = _no_endpoint(request)
        response = _as_json(request, response)
        response.headers.setdefault("Content-Language", language)
        return response

    return wrapper


def _validation_summary(errors: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """One sentence naming each bad parameter, and the errors without pydantic's internals."""
    items = []
    for err in errors:
        message = str(err.get("msg", err))
        if err.get("type") == "value_error":
            message = message.removeprefix("Value error, ")
        items.append(
            {"loc": list(err.get("loc", [])), "msg": message, "type": err.get("type", "invalid")}
        )
    # loc is (source, name, ...): ("query", "level_gte"), ("path", "iso2").
    where = "; ".join(
        f"{'.'.join(str(part) for part in item['loc'][1:]) or 'request'}: {item['msg']}"
        for item in items
    )
    return f"Invalid request. {where}", items


class WardenAPI(NinjaAPI):
    """A NinjaAPI whose URLs answer in the request's language, with HTTP caching on data and
    a JSON body on every error."""

    # URL names that are not data: the schema is validated by its body, the rest not cached.
    CACHE_BY_URL_NAME: dict[str | None, Cache | None] = {
        "openapi-json": content_cached,
        "openapi-view": None,
        "api-root": None,
    }

    # URL names of personal data (``registrations``): never cached.
    PRIVATE_URL_PREFIX = "registration"

    def _cache_for(self, name: str | None) -> Cache | None:
        if name and name.startswith(self.PRIVATE_URL_PREFIX):
            return never_cached
        return self.CACHE_BY_URL_NAME.get(name, publication_cached)

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        wrapped: list[URLResolver | URLPattern] = [
            URLPattern(
                p.pattern,
                api_view(p.callback, self._cache_for(p.name)),
                p.default_args,
                p.name,
            )
            if isinstance(p, URLPattern)
            else p
            for p in patterns
        ]
        wrapped.append(re_path(r"^.*$", api_view(not_found, None), name="not-found"))
        return wrapped, app_name, namespace

    def set_default_exception_handlers(self) -> None:
        self.add_exception_handler(ValidationError, self._validation_error)
        self.add_exception_handler(Http404, self._not_found)
        self.add_exception_handler(HttpError, self._http_error)
        self.add_exception_handler(Exception, self._server_error)

    # Handlers take ``object``: ninja types them as receiving an exception or its class.
    def _validation_error(self, request: HttpRequest, exc: object) -> HttpResponse:
        detail, errors = _validation_summary(exc.errors if isinstance(exc, ValidationError) else [])
        return error(422, detail, errors=errors)

    def _not_found(self, request: HttpRequest, exc: object) -> HttpResponse:
        return error(404, str(exc) or "Not found.")

    def _http_error(self, request: HttpRequest, exc: object) -> HttpResponse:
        status = exc.status_code if isinstance(exc, HttpError) else 400
        return error(status, str(exc))

    def _server_error(self, request: HttpRequest, exc: object) -> HttpResponse:
        logger.error(
            "API error on %s",
            request.get_full_path(),
            exc_info=exc if isinstance(exc, BaseException) else None,
        )
        return error(500, "Internal server error. It has been logged.")
