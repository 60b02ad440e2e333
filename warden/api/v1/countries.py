"""Countries and their current advisory: ``/countries``, ``/countries/{iso2}`` and its history."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Query, Router

from warden.advisories.models import AreaLevel, Edition, Level, RiskIndicator
from warden.advisories.selectors import CountryLevel, country_levels, edition_history
from warden.advisories.services import current_edition
from warden.api.v1.pagination import page_of
from warden.api.v1.schemas import (
    AreaOut,
    CircleGeometry,
    CountryCode,
    CountryDetail,
    CountryFilters,
    CountryLinks,
    CountryPage,
    CountrySummary,
    EditionStatus,
    Error,
    HistoryItem,
    HistoryPage,
    Language,
    LanguageParam,
    LevelOut,
    PageQuery,
    PolygonGeometry,
    RiskIndicatorOut,
    ValidationErrorOut,
    as_language,
)
from warden.api.v1.statements import statement_out, statements
from warden.geo.models import Country, CustomArea
from warden.geo.selectors import area_lookup, country_search
from warden.site.caching import site_url

router = Router(tags=["countries"])

Levels = dict[tuple[int, int], Level]  # (authority id, number) -> level


def _country(code: str) -> Country:
    country = area_lookup(code)
    if not isinstance(country, Country):
        raise Http404(f"No country with code {code}.")
    return country


def _level(levels: Levels, authority_id: int, number: int, language: str) -> LevelOut:
    level = levels.get((authority_id, number))
    return LevelOut(
        number=number,
        name=level.name(language) if level else "",
        wording=level.wording(language) if level else "",
        colour=level.color if level else "",
    )


def _api_url(name: str, **kwargs: object) -> str:
    return site_url(reverse(f"api-v1:{name}", kwargs=kwargs))


# --- /countries -----------------------------------------------------------------------


def _filtered(rows: list[CountryLevel], filters: CountryFilters) -> list[CountryLevel]:
    every = len(rows)
    if filters.level_gte is not None:
        floor = filters.level_gte
        rows = [r for r in rows if r.edition is not None and r.edition.level >= floor]
    if filters.changed_since is not None:
        since = filters.changed_since
        rows = [r for r in rows if r.edition and _published_since(r.edition, since)]
    if filters.q:
        found = country_search(query=filters.q, limit=every)
        rank = {country.pk: position for position, country in enumerate(found)}
        rows = sorted((r for r in rows if r.country.pk in rank), key=lambda r: rank[r.country.pk])
    return rows


def _published_since(edition: Edition, since: datetime) -> bool:
    return edition.published_at is not None and edition.published_at >= since


def _summary(row: CountryLevel, levels: Levels, language: str) -> CountrySummary:
    edition = row.edition
    return CountrySummary(
        code=row.country.code,
        name=row.country.local_name(language),
        level=_level(levels, edition.authority_id, edition.level, language) if edition else None,
        review_due=edition.review_due if edition else None,
        is_temporary=edition.is_temporary if edition else False,
        updated_at=edition.published_at if edition else None,
        url=_api_url("country", iso2=row.country.code),
    )


@router.get(
    "/countries",
    response={200: CountryPage, 422: ValidationErrorOut},
    url_name="countries",
    summary="Every country and its current level",
)
def country_list(
    request: HttpRequest,
    filters: Query[CountryFilters],
    page: Query[PageQuery],
    lang: LanguageParam = None,
) -> CountryPage:
    """Every country, highest level first, then by name (by relevance with ``q``).

    Names and level wording are in ``lang``, else the Accept-Language header's best match,
    else English.
    """
    rows, meta = page_of(request, _filtered(country_levels(), filters), page)
    levels = {(level.authority_id, level.number): level for level in Level.objects.all()}
    language = translation.get_language()
    return CountryPage(**meta, items=[_summary(row, levels, language) for row in rows])


# --- /countries/{iso2} ----------------------------------------------------------------


def _geometry(area: CustomArea | None) -> PolygonGeometry | CircleGeometry | None:
    if area is None:
        return None
    if area.kind == CustomArea.Kind.POLYGON and area.polygon:
        return PolygonGeometry(type="Polygon", coordinates=area.polygon["coordinates"])
    if area.center_lat is not None and area.center_lon is not None and area.radius_km:
        return CircleGeometry(
            type="Circle", center=[area.center_lon, area.center_lat], radius_km=area.radius_km
        )
    return None


def _area(area: AreaLevel, edition: Edition, levels: Levels, language: str) -> AreaOut:
    notes = area.notes or {}
    return AreaOut(
        code=area.area_code,
        name=area.area.local_name(language),
        kind="subdivision" if area.subdivision_id else "custom",
        level=_level(levels, edition.authority_id, area.level, language),
        note=notes.get(language) or notes.get(settings.LANGUAGE_CODE) or None,
        geometry=_geometry(area.custom_area),
    )


def _links(country: Country, edition: Edition | None) -> CountryLinks:
    """Where the same advisory is published elsewhere (the page in the active language)."""
    code = country.code
    cap = None
    if edition is not None:
        identifier = f"{edition.authority.sender}.edition.{code}.{edition.number}"
        cap = site_url(reverse("feeds:cap_alert", kwargs={"identifier": identifier}))
    return CountryLinks(
        html=site_url(reverse("site:country", kwargs={"iso2": code})),
        feed=site_url(reverse("feeds:country", kwargs={"code": code.lower()})),
        cap=cap,
        history=_api_url("country_history", iso2=code),
    )


def _detail(country: Country, edition: Edition | None, language: Language) -> CountryDetail:
    """The country's page in data; every edition field is empty when there is no advisory."""
    text = edition.text(language) if edition else None
    levels: Levels = {}
    if edition is not None:
        levels = {(edition.authority_id, lvl.number): lvl for lvl in edition.authority.levels.all()}
    labels = dict(RiskIndicator.choices)
    return CountryDetail(
        code=country.code,
        name=country.local_name(language),
        level=_level(levels, edition.authority_id, edition.level, language) if edition else None,
        edition=edition.number if edition else None,
        risk_indicators=[
            RiskIndicatorOut(code=code, label=str(labels.get(code, code)))
            for code in (edition.reasons if edition else [])
        ],
        language=as_language(text.language if text else language),
        fallback=text is not None and text.language != language,
        summary=text.summary if text else None,
        body=text.body if text else None,
        effective_at=edition.effective_at if edition else None,
        published_at=edition.published_at if edition else None,
        review_due=edition.review_due if edition else None,
        is_temporary=edition.is_temporary if edition else False,
        expected_end=edition.expected_end if edition else None,
        change_note=edition.change_note if edition else "",
        areas=[_area(a, edition, levels, language) for a in edition.areas.all()] if edition else [],
        statements=[statement_out(s, language) for s in statements(country=country.code)],
        links=_links(country, edition),
    )


@router.get(
    "/countries/{iso2}",
    response={200: CountryDetail, 404: Error, 422: ValidationErrorOut},
    url_name="country",
    summary="A country's current advisory",
)
def country_detail(
    request: HttpRequest, iso2: CountryCode, lang: LanguageParam = None
) -> CountryDetail:
    """The current edition, its areas and the country's statements.

    Summary and body are in ``lang`` (else Accept-Language, else English); ``fallback`` says
    English was given because that edition has no translation.
    """
    country = _country(iso2)
    edition = current_edition(country, exercise=False)
    if edition is not None:
        prefetch_related_objects(
            [edition], "texts", "areas__subdivision", "areas__custom_area", "authority__levels"
        )
    return _detail(country, edition, as_language(translation.get_language()))


# --- /countries/{iso2}/history --------------------------------------------------------


@router.get(
    "/countries/{iso2}/history",
    response={200: HistoryPage, 404: Error, 422: ValidationErrorOut},
    url_name="country_history",
    summary="Every edition ever published for a country",
)
def country_history(request: HttpRequest, iso2: CountryCode, page: Query[PageQuery]) -> HistoryPage:
    """Published, superseded and withdrawn editions, newest first."""
    country = _country(iso2)
    rows = edition_history(country, exercise=False).prefetch_related(None)
    editions, meta = page_of(request, rows, page)
    return HistoryPage(
        **meta,
        items=[
            HistoryItem(
                number=e.number,
                level=e.level,
                status=cast(EditionStatus, e.status),  # the selector's statuses only
                effective_at=e.effective_at,
                published_at=e.published_at,
                withdrawn_at=e.withdrawn_at,
                change_note=e.change_note,
            )
            for e in editions
        ],
    )
