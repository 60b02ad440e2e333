"""Country pages: the current advice, areas, statements, history and the diff of two editions.

The same views serve the staff exercise view (``exercise=True``), which reads exercise
editions only, is marked EXERCISE everywhere and is never cached.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache

from warden.advisories.diff import edition_diff
from warden.advisories.models import Edition
from warden.console.access import staff_required
from warden.geo.models import Country
from warden.site import selectors
from warden.site.caching import public_cache
from warden.site.views import maps
from warden.site.views.assets import outlines_version
from warden.site.views.common import neutral_url, page_context

CountryView = Callable[..., HttpResponse]


def _country_or_redirect(request: HttpRequest, code: str, url_name: str) -> Country | HttpResponse:
    """The country for ``code``; a lower-case code redirects to the canonical upper-case URL."""
    if code != code.upper():
        target = redirect(url_name, code.upper(), permanent=True)
        if request.META.get("QUERY_STRING"):
            target["Location"] += f"?{request.META['QUERY_STRING']}"
        return target
    return get_object_or_404(Country, code=code)


def _url_names(exercise: bool) -> dict[str, str]:
    prefix = "site:exercise_" if exercise else "site:"
    return {"country": f"{prefix}country", "diff": f"{prefix}country_diff"}


def _render_country(request: HttpRequest, code: str, *, exercise: bool) -> HttpResponse:
    names = _url_names(exercise)
    found = _country_or_redirect(request, code, names["country"])
    if isinstance(found, HttpResponse):
        return found
    page = selectors.country_page(found, exercise=exercise)
    context = page_context(
        request,
        page=page,
        exercise=exercise,
        url_names=names,
        map_json=maps.as_attribute(maps.country_map_data(page)),
        outlines_url=f"{neutral_url('site:outlines')}?v={outlines_version()}",
        has_map=True,
        subdivision_areas=[a for a in page.current.areas if a.kind == "subdivision"]
        if page.current
        else [],
    )
    return render(request, "site/country.html", context)


def _edition_number(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise Http404("Unknown edition")
    return int(value)


def _render_diff(request: HttpRequest, code: str, *, exercise: bool) -> HttpResponse:
    names = _url_names(exercise)
    found = _country_or_redirect(request, code, names["diff"])
    if isinstance(found, HttpResponse):
        return found
    entries = selectors.history(found, exercise=exercise)
    if not entries:
        raise Http404("No published editions")
    new_number = _edition_number(request.GET.get("to")) or entries[0].edition.number
    new = _edition(found, new_number, exercise)
    entry = next(e for e in entries if e.edition.number == new.number)
    old_number = _edition_number(request.GET.get("from"))
    if old_number is None:
        old_number = entry.previous_number
    old = _edition(found, old_number, exercise) if old_number is not None else None
    scales = selectors.Scales()
    context = page_context(
        request,
        country=found,
        exercise=exercise,
        url_names=names,
        entries=entries,
        old=old,
        new=new,
        old_level=scales.get(old) if old else None,
        new_level=scales.get(new),
        diff=edition_diff(old, new),
    )
    return render(request, "site/diff.html", context)


def _edition(country: Country, number: int, exercise: bool) -> Edition:
    edition = selectors.history_edition(country, number, exercise=exercise)
    if edition is None:
        raise Http404("Unknown edition")
    return edition


@public_cache
def country(request: HttpRequest, iso2: str) -> HttpResponse:
    return _render_country(request, iso2, exercise=False)


@public_cache
def country_diff(request: HttpRequest, iso2: str) -> HttpResponse:
    return _render_diff(request, iso2, exercise=False)


@never_cache
@staff_required("console.view")
def exercise_country(request: HttpRequest, iso2: str) -> HttpResponse:
    return _render_country(request, iso2, exercise=True)


@never_cache
@staff_required("console.view")
def exercise_country_diff(request: HttpRequest, iso2: str) -> HttpResponse:
    return _render_diff(request, iso2, exercise=True)
