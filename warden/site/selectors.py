"""Reads for the public site: levels as shown, map data, recent changes, country pages.

Everything here takes ``exercise``: the public site always reads actual editions
(``exercise=False``); only the staff exercise view passes ``True``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from warden.advisories.models import (
    AreaLevel,
    Authority,
    Edition,
    EditionText,
    Level,
    RiskIndicator,
    Statement,
    StatementText,
    Status,
)
from warden.advisories.selectors import country_levels, edition_history, statements_published
from warden.geo.models import Country

# What each risk indicator means, in a sentence a traveller can act on.
RISK_EXPLANATIONS: dict[str, Promise] = {
    RiskIndicator.CRIME: _("Violent or organised crime is widespread in parts of the country."),
    RiskIndicator.TERRORISM: _(
        "Terrorist attacks have taken place, or there are specific threats against civilians, "
        "groups or places they visit."
    ),
    RiskIndicator.CIVIL_UNREST: _(
        "Political, economic, religious or ethnic tension may lead to violent demonstrations, "
        "disruption or risks to your safety."
    ),
    RiskIndicator.HEALTH: _(
        "A disease outbreak or a crisis in the health system puts your health at risk."
    ),
    RiskIndicator.NATURAL_DISASTER: _(
        "Earthquakes, floods, storms or other natural disasters are possible or under way."
    ),
    RiskIndicator.EVENT: _(
        "A short-term event, such as an election or a large gathering, may bring risks."
    ),
    RiskIndicator.KIDNAPPING: _(
        "Criminal or terrorist groups have threatened or carried out kidnappings or hostage-taking."
    ),
    RiskIndicator.WRONGFUL_DETENTION: _(
        "Foreign nationals, including ours, risk being detained arbitrarily or wrongfully."
    ),
    RiskIndicator.OTHER: _(
        "There are other risks, described in the full advice below; read it before you travel."
    ),
}


def language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE)[:2]


def _relative_luminance(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    a, b = sorted((_relative_luminance(first), _relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def ink_for(color: str) -> str:
    """Black or white, whichever reads better on ``color``."""
    white, black = "#ffffff", "#0b0c0c"
    return white if contrast_ratio(color, white) >= contrast_ratio(color, black) else black


@dataclass(frozen=True)
class LevelView:
    """A level as the public sees it, in the current language."""

    number: int
    name: str
    wording: str
    color: str

    @property
    def ink(self) -> str:
        return ink_for(self.color)

    @property
    def css_class(self) -> str:
        return f"level-{self.number}"


def level_label(level: LevelView) -> str:
    """A label such as "Level 4: High threat", where no badge can be shown (map tooltips)."""
    return pgettext("level label", "Level %(number)s: %(name)s") % {
        "number": level.number,
        "name": level.name,
    }


def _level_view(level: Level) -> LevelView:
    return LevelView(level.number, level.name(), level.wording(), level.color)


def public_authority() -> Authority | None:
    """The authority whose scale the public site shows (the default one)."""
    return Authority.objects.filter(is_default=True).prefetch_related("levels").first()


def scale(authority: Authority | None = None) -> list[LevelView]:
    authority = authority or public_authority()
    if authority is None:
        return []
    return [_level_view(level) for level in authority.levels.all()]


class Scales:
    """Level views by (authority, number), loaded once per request."""

    def __init__(self) -> None:
        self._levels = {
            (level.authority_id, level.number): _level_view(level) for level in Level.objects.all()
        }

    def get(self, edition: Edition) -> LevelView:
        found = self._levels.get((edition.authority_id, edition.level))
        return found or LevelView(edition.level, str(edition.level), "", "#6f777b")

    def of(self, authority_id: int, number: int) -> LevelView:
        return self._levels.get((authority_id, number)) or LevelView(number, "", "", "#6f777b")


# --- Home page -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CountryRow:
    code: str
    name: str
    level: LevelView | None
    effective_at: datetime | None


def country_rows(*, exercise: bool = False) -> list[CountryRow]:
    """Every country with its current level, highest first, then by name."""
    scales = Scales()
    rows = [
        CountryRow(
            code=row.country.code,
            name=row.country.local_name(),
            level=scales.get(row.edition) if row.edition else None,
            effective_at=row.edition.effective_at if row.edition else None,
        )
        for row in country_levels(exercise=exercise)
    ]
    rows.sort(key=lambda r: (-(r.level.number if r.level else 0), r.name.casefold()))
    return rows


@dataclass(frozen=True)
class Change:
    edition: Edition
    country_name: str
    previous: LevelView | None
    level: LevelView


def recent_changes(*, limit: int = 8, exercise: bool = False) -> list[Change]:
    """The latest published editions (minor edits aside), newest first."""
    editions = (
        Edition.objects.filter(
            is_exercise=exercise,
            is_minor=False,
            status__in=[Status.PUBLISHED, Status.SUPERSEDED, Status.WITHDRAWN],
        )
        .select_related("country", "previous")
        .order_by("-published_at", "-pk")[:limit]
    )
    scales = Scales()
    return [
        Change(
            edition=e,
            country_name=e.country.local_name(),
            previous=scales.get(e.previous) if e.previous else None,
            level=scales.get(e),
        )
        for e in editions
    ]


@dataclass(frozen=True)
class StatementView:
    statement: Statement
    title: str
    text: str
    language: str  # the language of title and text; differs from the page's on fallback
    countries: list[tuple[str, str]]  # (code, local name)

    @property
    def is_fallback(self) -> bool:
        return self.language != language()


def _statement_view(statement: Statement) -> StatementView:
    texts: dict[str, StatementText] = {t.language: t for t in statement.texts.all()}
    chosen = texts.get(language()) or texts.get(settings.LANGUAGE_CODE)
    countries = sorted(
        ((c.code, c.local_name()) for c in statement.countries.all()), key=lambda c: c[1]
    )
    return StatementView(
        statement=statement,
        title=chosen.title if chosen else "",
        text=chosen.text if chosen else "",
        language=chosen.language if chosen else settings.LANGUAGE_CODE,
        countries=countries,
    )


def latest_statements(
    *, limit: int = 5, country: Country | None = None, exercise: bool = False
) -> list[StatementView]:
    statements = statements_published(country=country, exercise=exercise)
    if limit:
        statements = statements[:limit]
    return [_statement_view(s) for s in statements]


# --- Country page --------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaView:
    code: str
    name: str
    kind: str  # "subdivision" | "polygon" | "circle"
    level: LevelView
    note: str
    shape: dict[str, Any] | None  # for the map: a GeoJSON polygon or a circle


@dataclass(frozen=True)
class EditionView:
    """An edition as the public reads it, in the current language (English as fallback)."""

    edition: Edition
    level: LevelView
    summary: str
    body: str
    language: str
    reasons: list[tuple[str, str, str]]  # (code, label, explanation)
    areas: list[AreaView] = field(default_factory=list)

    @property
    def is_fallback(self) -> bool:
        return self.language != language()


def _area_view(area: AreaLevel, scales: Scales, authority_id: int) -> AreaView:
    lang = language()
    note = area.notes.get(lang) or area.notes.get(settings.LANGUAGE_CODE) or ""
    if area.subdivision is not None:
        return AreaView(
            area.subdivision.code,
            area.subdivision.local_name(),
            "subdivision",
            scales.of(authority_id, area.level),
            note,
            None,
        )
    custom = area.custom_area
    assert custom is not None  # a database constraint: exactly one kind of area
    shape: dict[str, Any]
    if custom.kind == custom.Kind.CIRCLE:
        shape = {
            "type": "circle",
            "center": [custom.center_lat, custom.center_lon],
            "radius_m": (custom.radius_km or 0) * 1000,
        }
    else:
        shape = {"type": "polygon", "geometry": custom.polygon}
    return AreaView(
        custom.code,
        custom.local_name(),
        custom.kind,
        scales.of(authority_id, area.level),
        note,
        shape,
    )


def edition_view(edition: Edition, *, scales: Scales | None = None) -> EditionView:
    scales = scales or Scales()
    texts: dict[str, EditionText] = {t.language: t for t in edition.texts.all()}
    chosen = texts.get(language()) or texts.get(settings.LANGUAGE_CODE)
    labels = dict(RiskIndicator.choices)
    reasons = [
        (code, str(labels.get(code, code)), str(RISK_EXPLANATIONS.get(code, "")))
        for code in edition.reasons
    ]
    areas = [_area_view(a, scales, edition.authority_id) for a in edition.areas.all()]
    return EditionView(
        edition=edition,
        level=scales.get(edition),
        summary=chosen.summary if chosen else "",
        body=chosen.body if chosen else "",
        language=chosen.language if chosen else settings.LANGUAGE_CODE,
        reasons=reasons,
        areas=areas,
    )


@dataclass(frozen=True)
class HistoryEntry:
    edition: Edition
    level: LevelView
    previous_number: int | None  # the edition before this one in the public history


def history(country: Country, *, exercise: bool = False) -> list[HistoryEntry]:
    """Every edition ever published for the country, newest first."""
    scales = Scales()
    editions = list(edition_history(country, exercise=exercise))
    numbers = sorted(e.number for e in editions)
    before = {n: numbers[i - 1] if i else None for i, n in enumerate(numbers)}
    return [HistoryEntry(e, scales.get(e), before[e.number]) for e in editions]


def history_edition(country: Country, number: int, *, exercise: bool = False) -> Edition | None:
    """One edition of the public history (never a draft), with what a diff reads."""
    return edition_history(country, exercise=exercise).filter(number=number).first()


@dataclass(frozen=True)
class CountryPage:
    country: Country
    current: EditionView | None
    review_due: date | None
    statements: list[StatementView]
    history: list[HistoryEntry]


def country_page(country: Country, *, exercise: bool = False) -> CountryPage:
    scales = Scales()
    entries = history(country, exercise=exercise)
    current = next((h.edition for h in entries if h.edition.status == Status.PUBLISHED), None)
    return CountryPage(
        country=country,
        current=edition_view(current, scales=scales) if current else None,
        review_due=current.review_due if current else None,
        statements=latest_statements(limit=0, country=country, exercise=exercise),
        history=entries,
    )
