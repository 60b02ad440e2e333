"""Public pages: read-only, cached (see ``warden.site.caching``), in every shipped language."""

from __future__ import annotations

from warden.site.views.assets import levels_css, outlines
from warden.site.views.countries import (
    country,
    country_diff,
    exercise_country,
    exercise_country_diff,
)
from warden.site.views.home import home, search

__all__ = [
    "country",
    "country_diff",
    "exercise_country",
    "exercise_country_diff",
    "home",
    "levels_css",
    "outlines",
    "search",
]
