"""What every public page needs: the language links, the stylesheet of level colours."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils import translation

from warden.site import selectors


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # in its own language
    url: str
    bidi: bool
    current: bool


def language_links(request: HttpRequest) -> list[LanguageLink]:
    """The same page in each shipped language (the path prefix selects the language)."""
    here = request.get_full_path()
    current = selectors.language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        links.append(
            LanguageLink(
                code, info["name_local"], translate_url(here, code), info["bidi"], code == current
            )
        )
    return links


def neutral_url(name: str, *args: Any) -> str:
    """A URL without a language prefix, for assets that are the same in every language."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def page_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    authority = selectors.public_authority()
    return {
        "authority": authority,
        "authority_name": str(authority) if authority else "Warden",
        "language_links": language_links(request),
        "levels_css_url": neutral_url("site:levels_css"),
        **extra,
    }
