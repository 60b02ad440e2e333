"""Official statements: ``/statements`` and ``/statements/{statement_id}``."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from ninja import Query, Router
from ninja.params import P, PathEx

from warden.advisories.models import Statement
from warden.advisories.selectors import statements_published
from warden.api.v1.pagination import page_of
from warden.api.v1.schemas import (
    CountryCode,
    Error,
    Language,
    LanguageParam,
    PageQuery,
    StatementOut,
    StatementPage,
    ValidationErrorOut,
    as_language,
)
from warden.site.caching import site_url

router = Router(tags=["statements"])

BIGINT_MAX = 2**63 - 1


def statements(*, country: str | None = None) -> QuerySet[Statement]:
    """Published actual statements, newest first (exercises never leave the console)."""
    return statements_published(country=country, exercise=False).order_by("-issued_at", "-id")


def statement_out(statement: Statement, language: Language) -> StatementOut:
    text = statement.text(language)
    return StatementOut(
        id=statement.pk,
        title=text.title if text else "",
        text=text.text if text else "",
        language=as_language(text.language if text else language),
        fallback=text is not None and text.language != language,
        countries=sorted(c.pk for c in statement.countries.all()),
        issued_at=statement.issued_at,
        published_at=statement.published_at,
        url=site_url(reverse("api-v1:statement", kwargs={"statement_id": statement.pk})),
    )


@router.get(
    "/statements",
    response={200: StatementPage, 422: ValidationErrorOut},
    url_name="statements",
    summary="Official statements, newest first",
)
def statement_list(
    request: HttpRequest,
    page: Query[PageQuery],
    country: CountryCode | None = None,
    lang: LanguageParam = None,
) -> StatementPage:
    """Published statements, optionally only those about one country.

    Texts are in ``lang``, else the Accept-Language header's best match, else English.
    """
    items, meta = page_of(request, statements(country=country), page)
    language = as_language(translation.get_language())
    return StatementPage(**meta, items=[statement_out(s, language) for s in items])


@router.get(
    "/statements/{statement_id}",
    response={200: StatementOut, 404: Error, 422: ValidationErrorOut},
    url_name="statement",
    summary="One official statement",
)
def statement_detail(
    request: HttpRequest,
    statement_id: PathEx[int, P(ge=1, le=BIGINT_MAX)],
    lang: LanguageParam = None,
) -> StatementOut:
    statement = statements().filter(pk=statement_id).first()
    if statement is None:
        raise Http404(f"No statement with id {statement_id}.")
    return statement_out(statement, as_language(translation.get_language()))
