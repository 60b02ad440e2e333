"""The JSON that the map script reads from a page's data-map-data attribute.

The map only repeats what the page says in text, so everything here is also on the page.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext

from warden.site.selectors import CountryPage, CountryRow, LevelView, level_label


def as_attribute(data: dict[str, Any]) -> str:
    """Compact JSON for a data- attribute (the template escapes it)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def world_map_data(rows: list[CountryRow], *, levels: list[LevelView]) -> dict[str, Any]:
    """Each country's level and name, and the colour and label of each level."""
    return {
        "levels": {r.code: r.level.number for r in rows if r.level},
        "names": {r.code: r.name for r in rows},
        "scale": {str(lv.number): {"color": lv.color, "label": level_label(lv)} for lv in levels},
    }


def country_map_data(page: CountryPage) -> dict[str, Any]:
    """The country's colour and its custom areas (subdivisions have no outline to draw)."""
    current = page.current
    data: dict[str, Any] = {
        "country": page.country.code,
        "name": page.country.local_name(),
        "level": None,
        "areas": [],
    }
    if current is None:
        return data
    data["level"] = {"number": current.level.number, "color": current.level.color}
    data["areas"] = [
        {
            "code": area.code,
            "name": area.name,
            "level": area.level.number,
            "color": area.level.color,
            "label": gettext("%(area)s: %(level)s")
            % {"area": area.name, "level": level_label(area.level)},
            **area.shape,
        }
        for area in current.areas
        if area.shape
    ]
    return data
