"""The published shapes of API v1. Changing a field here changes the public contract."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Literal, get_args

from ninja import Field, Schema
from ninja.params import P, QueryEx
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema

# The languages of settings.LANGUAGES (a test keeps the two in step).
Language = Literal["en", "he"]
LANGUAGES: tuple[Language, ...] = get_args(Language)


def as_language(code: str | None) -> Language:
    """``code`` as a Language; anything else is the default language, English."""
    for language in LANGUAGES:
        if language == code:
            return language
    return "en"


LanguageParam = QueryEx[
    Language | None,
    P(
        description="Language of names and texts; default: the Accept-Language header's best "
        "match, else en."
    ),
]

MAX_PAGE_SIZE = 250  # every country fits on one page
DEFAULT_PAGE_SIZE = 50
MAX_PAGE = 1_000_000

ISO2_PATTERN = "^[A-Za-z]{2}$"
ISO2_MESSAGE = "A country code is two letters (ISO 3166-1 alpha-2), for example TR."


def _iso2(value: str) -> str:
    if len(value) != 2 or not value.isascii() or not value.isalpha():
        raise ValueError(ISO2_MESSAGE)
    return value.upper()


# Checked by a validator (for a clear message) and published as a pattern (for clients).
CountryCode = Annotated[
    str,
    AfterValidator(_iso2),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": ISO2_PATTERN,
            "description": "ISO 3166-1 alpha-2 code, either case.",
            "examples": ["TR"],
        }
    ),
]


_ISO_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:?\d{2})?"
)
ISO_TIME_MESSAGE = (
    "Give an ISO 8601 time such as 2024-01-31T12:00:00Z; write a + in the offset as %2B."
)


def _iso_time(value: object) -> datetime:
    """Only ISO 8601 text (no Unix timestamps); a time without an offset is UTC."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and _ISO_TIME.fullmatch(value):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(ISO_TIME_MESSAGE) from None
    else:
        raise ValueError(ISO_TIME_MESSAGE)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


IsoTime = Annotated[
    datetime,
    BeforeValidator(_iso_time),
    WithJsonSchema({"type": "string", "format": "date-time", "examples": ["2024-01-31T12:00:00Z"]}),
]


# --- Errors ---------------------------------------------------------------------------


class Error(Schema):
    detail: str = Field(description="What went wrong, in a sentence.")


class FieldError(Schema):
    loc: list[str | int] = Field(description='Where: ["query", "level_gte"], ["path", "iso2"]…')
    msg: str
    type: str


class ValidationErrorOut(Schema):
    detail: str = Field(description="Every problem with the request, in one sentence.")
    errors: list[FieldError]


# --- Input ----------------------------------------------------------------------------


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")


class CountryFilters(Schema):
    level_gte: int | None = Field(
        None, ge=1, le=4, description="Only countries whose current level is at least this."
    )
    changed_since: IsoTime | None = Field(
        None,
        description=(
            "Only countries whose current edition was published at or after this ISO 8601 "
            "time (UTC if it has no offset)."
        ),
    )
    q: str | None = Field(
        None, max_length=100, description="Country name or code, in any shipped language."
    )


# --- Output ---------------------------------------------------------------------------


class PageMeta(Schema):
    count: int = Field(description="Items on all pages.")
    next: str | None = Field(description="The next page, or null on the last page.")
    previous: str | None = Field(description="The previous page, or null on the first page.")


class LevelOut(Schema):
    number: int = Field(ge=1, le=4)
    name: str
    wording: str
    colour: str = Field(description="#rrggbb")


class RiskIndicatorOut(Schema):
    code: str = Field(description="US State Department risk indicator code, e.g. T.")
    label: str


class PolygonGeometry(Schema):
    type: Literal["Polygon"]
    coordinates: list[list[list[float]]] = Field(
        description="GeoJSON (RFC 7946) rings of [longitude, latitude] positions."
    )


class CircleGeometry(Schema):
    type: Literal["Circle"]
    center: list[float] = Field(
        min_length=2, max_length=2, description="[longitude, latitude], as in GeoJSON."
    )
    radius_km: float


class AreaOut(Schema):
    code: str = Field(description="ISO 3166-2 code, or the custom area's code.")
    name: str
    kind: Literal["subdivision", "custom"]
    level: LevelOut
    note: str | None
    geometry: PolygonGeometry | CircleGeometry | None = Field(
        description="Custom areas only; subdivisions are known by their ISO 3166-2 code."
    )


class StatementOut(Schema):
    id: int
    title: str
    text: str
    language: Language = Field(description="The language of title and text.")
    fallback: bool = Field(description="True when English was given for want of a translation.")
    countries: list[str]
    issued_at: datetime | None
    published_at: datetime | None
    url: str


class StatementPage(PageMeta):
    items: list[StatementOut]


class CountryLinks(Schema):
    html: str = Field(description="The public page.")
    feed: str = Field(description="Atom feed of this country's advisories.")
    cap: str | None = Field(description="CAP 1.2 alert of the current edition.")
    history: str = Field(description="Every edition published, in this API.")


class CountrySummary(Schema):
    code: str
    name: str
    level: LevelOut | None = Field(description="Null when there is no advisory.")
    review_due: date | None
    is_temporary: bool
    updated_at: datetime | None = Field(description="When the current edition was published.")
    url: str


class CountryPage(PageMeta):
    items: list[CountrySummary]


class CountryDetail(Schema):
    code: str
    name: str
    level: LevelOut | None = Field(description="Null when there is no advisory.")
    edition: int | None = Field(description="Number of the current edition.")
    risk_indicators: list[RiskIndicatorOut]
    language: Language = Field(description="The language of summary and body.")
    fallback: bool = Field(description="True when English was given for want of a translation.")
    summary: str | None
    body: str | None
    effective_at: datetime | None
    published_at: datetime | None
    review_due: date | None
    is_temporary: bool
    expected_end: date | None
    change_note: str
    areas: list[AreaOut]
    statements: list[StatementOut]
    links: CountryLinks


EditionStatus = Literal["published", "superseded", "withdrawn"]


class HistoryItem(Schema):
    number: int
    level: int = Field(ge=1, le=4)
    status: EditionStatus
    effective_at: datetime | None
    published_at: datetime | None
    withdrawn_at: datetime | None
    change_note: str


class HistoryPage(PageMeta):
    items: list[HistoryItem]
