"""Template helpers for the console: levels with colour *and* number and name, statuses."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from django import template
from django.template.context import Context
from django.utils.html import format_html

from warden.advisories.models import Level, Status

register = template.Library()

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
_SWATCH = (
    "<svg xmlns='http://www.w3.org/2000/svg' width='16' height='16' viewBox='0 0 16 16'>"
    "<rect x='0.5' y='0.5' width='15' height='15' rx='3' fill='{color}' "
    "stroke='#1b1b1b' stroke-opacity='0.55'/></svg>"
)


def swatch_uri(color: str) -> str:
    """A small square of the level's colour as a data URI: the CSP allows data: images, and
    it needs no inline style. Decorative: the number and the name always go with it."""
    fill = color if _HEX.match(color or "") else "#888888"
    svg = _SWATCH.format(color=fill).encode()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _levels(context: Context, authority_id: int | None) -> dict[int, Level]:
    """The scale's levels, read once per rendering (tables show many badges)."""
    if "warden_levels" not in context.render_context:
        context.render_context["warden_levels"] = {}
    cache: dict[int | None, dict[int, Level]] = context.render_context["warden_levels"]
    if authority_id not in cache:
        levels = (
            Level.objects.filter(authority_id=authority_id)
            if authority_id
            else Level.objects.filter(authority__is_default=True)
        )
        cache[authority_id] = {level.number: level for level in levels}
    return cache[authority_id]


@register.simple_tag(takes_context=True)
def level_badge(
    context: Context,
    number: int | None,
    authority_id: int | None = None,
    language: str | None = None,
) -> str:
    """``4 High threat`` with a colour swatch; never colour alone."""
    if not number:
        return format_html('<span class="level level-none">{}</span>', "—")
    level = _levels(context, authority_id).get(int(number))
    name = level.name(language) if level else ""
    color = level.color if level else ""
    return format_html(
        '<span class="level level-{n}"><img class="swatch" src="{src}" alt="" width="16" '
        'height="16"><span class="level-number">{n}</span> <span class="level-name">{name}'
        "</span></span>",
        n=number,
        src=swatch_uri(color),
        name=name,
    )


@register.simple_tag
def status_badge(status: str) -> str:
    label = Status(status).label if status in Status.values else status
    return format_html('<span class="status status-{}">{}</span>', status, label)


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def pretty_json(value: Any) -> str:
    if value is None:
        return ""
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)
