"""Files the pages load: the country outlines and the level colours as a stylesheet."""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_safe

import warden.geo
from warden.site import selectors

OUTLINES_PATH = Path(warden.geo.__file__).resolve().parent / "data" / "countries.geojson"
ONE_YEAR = 365 * 24 * 3600
LEVELS_MAX_AGE = 300
HEX_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


@functools.cache
def outlines_file() -> tuple[bytes, str]:
    """The Natural Earth outlines (see warden/geo/data/README.md) and their content hash."""
    data = OUTLINES_PATH.read_bytes()
    return data, hashlib.sha256(data).hexdigest()[:16]


def outlines_version() -> str:
    return outlines_file()[1]


@require_safe
@gzip_page
@condition(etag_func=lambda request: outlines_version())
def outlines(request: HttpRequest) -> HttpResponse:
    """Country outlines as GeoJSON; cached for a year when asked for by their version."""
    data, version = outlines_file()
    response = HttpResponse(data, content_type="application/geo+json")
    if request.GET.get("v") == version:
        patch_cache_control(response, public=True, max_age=ONE_YEAR, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=LEVELS_MAX_AGE)
    return response


def levels_stylesheet() -> str:
    """Each level colour of the public scale as CSS custom properties on ``.level-N``."""
    rules = [
        f".level-{lv.number}{{--level-color:{lv.color};--level-ink:{lv.ink}}}"
        for lv in selectors.scale()
        if HEX_COLOR.fullmatch(lv.color)
    ]
    return "\n".join(rules) + "\n"


def _stylesheet_etag(request: HttpRequest) -> str:
    return hashlib.sha256(levels_stylesheet().encode()).hexdigest()[:32]


@require_safe
@condition(etag_func=_stylesheet_etag)
def levels_css(request: HttpRequest) -> HttpResponse:
    """The level colours: the scale is data, and the CSP allows no inline styles."""
    response = HttpResponse(levels_stylesheet(), content_type="text/css; charset=utf-8")
    patch_cache_control(response, public=True, max_age=LEVELS_MAX_AGE)
    return response
