"""The home page (world map, legend, latest changes and statements, every country) and search.

Search has its own URL: a page that varies with its query string must never be confused
with the home page by a cache or a pre-rendered snapshot (which ignore query strings).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from warden.geo.selectors import country_search
from warden.site import selectors
from warden.site.caching import public_cache, publication_stamp
from warden.site.views import maps
from warden.site.views.assets import outlines_version
from warden.site.views.common import neutral_url, page_context

MAX_QUERY = 100


@public_cache
def home(request: HttpRequest) -> HttpResponse:
    rows = selectors.country_rows()
    levels = selectors.scale()
    context = page_context(
        request,
        levels=levels,
        rows=rows,
        legend=_legend(levels, rows),
        changes=selectors.recent_changes(),
        statements=selectors.latest_statements(),
        updated_at=publication_stamp(),
        map_json=maps.as_attribute(maps.world_map_data(rows, levels=levels)),
        outlines_url=f"{neutral_url('site:outlines')}?v={outlines_version()}",
        has_map=True,
    )
    return render(request, "site/home.html", context)


@public_cache
def search(request: HttpRequest) -> HttpResponse:
    """Countries by name in any shipped language, or by code, each with its level."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = None
    if query:
        by_code = {row.code: row for row in selectors.country_rows()}
        results = [by_code[c.code] for c in country_search(query=query) if c.code in by_code]
    context = page_context(request, query=query, results=results)
    return render(request, "site/search.html", context)


def _legend(
    levels: list[selectors.LevelView], rows: list[selectors.CountryRow]
) -> list[tuple[selectors.LevelView, int]]:
    """Each level of the scale with how many countries are at it."""
    counts: dict[int, int] = {}
    for row in rows:
        if row.level:
            counts[row.level.number] = counts.get(row.level.number, 0) + 1
    return [(level, counts.get(level.number, 0)) for level in levels]
