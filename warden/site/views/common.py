"""What every public page needs: the language links, the stylesheet of level colours."""

from __future__ import annotations

from collections.abc import Callable
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
    # This page is already in its own language: nothing to reverse for it.
    return _links(
        lambda code, here: request.get_full_path() if here else _in_language(request, code)
    )


def language_links_to(name: str, **kwargs: Any) -> list[LanguageLink]:
    """Another page (a view's name and its keyword arguments) in each shipped language."""

    def url(code: str, _here: bool) -> str:
        with translation.override(code):
            return reverse(name, kwargs=kwargs)

    return _links(url)


def _links(url: Callable[[str, bool], str]) -> list[LanguageLink]:
    """A link per shipped language; ``url(code, here)`` is that language's address, ``here``
    telling whether it is the current language."""
    current = selectors.language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        here = code == current
        links.append(LanguageLink(code, info["name_local"], url(code, here), info["bidi"], here))
    return links


def _in_language(request: HttpRequest, code: str) -> str:
    """This page's URL in ``code``: its view reversed under that language, with the query.
    ``translate_url`` gives the same but resolves the path again for every language."""
    match = request.resolver_match
    if match is None or not match.url_name:
        return translate_url(request.get_full_path(), code)
    with translation.override(code):
        url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if query else url


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
