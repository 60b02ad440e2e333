"""What an analyst writes into an edition, and how it is checked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.advisories.models import Authority, RiskIndicator
from warden.advisories.rules import default_review_due, review_months
from warden.geo.models import Country


@dataclass(frozen=True)
class TextContent:
    summary: str
    body: str


@dataclass(frozen=True)
class AreaContent:
    """A level for a subdivision (ISO 3166-2 code) or a custom area (its code)."""

    code: str
    level: int
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EditionContent:
    level: int
    reasons: tuple[str, ...] = ()
    texts: dict[str, TextContent] = field(default_factory=dict)
    change_note: str = ""
    is_minor: bool = False
    effective_at: datetime | None = None
    review_due: date | None = None
    is_temporary: bool = False
    expected_end: date | None = None
    areas: tuple[AreaContent, ...] = ()
    statement_ids: tuple[int, ...] = ()


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def check_structure(content: EditionContent, *, authority: Authority, country: Country) -> None:
    """Errors that make a draft meaningless; raised on save."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    numbers = set(authority.levels.values_list("number", flat=True))
    if content.level not in numbers:
        add("level", _("Choose a level from 1 to 4."))
    valid = set(RiskIndicator.values)
    unknown = [r for r in content.reasons if r not in valid]
    if unknown:
        add("reasons", _("Unknown risk indicators: %(codes)s.") % {"codes": ", ".join(unknown)})
    if len(set(content.reasons)) != len(content.reasons):
        add("reasons", _("Each risk indicator may be given once."))
    for language in content.texts:
        if language not in language_codes():
            add("texts", _("Unsupported language %(lang)s.") % {"lang": language})
    seen: set[str] = set()
    for area in content.areas:
        if area.code in seen:
            add("areas", _("Area %(code)s is listed twice.") % {"code": area.code})
        seen.add(area.code)
        if area.level not in numbers:
            add("areas", _("Area %(code)s needs a level from 1 to 4.") % {"code": area.code})
    if errors:
        raise ValidationError(errors)


def check_complete(content: EditionContent, *, previous_level: int | None) -> None:
    """Everything an approver needs to see; checked on submit and again on publish."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    main = content.texts.get(settings.LANGUAGE_CODE)
    if main is None or not main.summary.strip() or not main.body.strip():
        add("texts", _("The English summary and full advice are required."))
    if not content.is_minor and not content.change_note.strip():
        add("change_note", _("Write a change note, or mark the edit as minor."))
    if content.is_minor and previous_level is None:
        add("is_minor", _("The first edition for a country cannot be a minor edit."))
    if content.is_minor and previous_level is not None and previous_level != content.level:
        add("is_minor", _("A level change is never a minor edit."))
    if content.level >= 2 and not content.reasons:
        add("reasons", _("Choose at least one risk indicator for level 2 or higher."))
    if content.is_temporary and content.expected_end is None:
        add("expected_end", _("A temporary advisory needs its expected end date."))
    if not content.is_temporary and content.expected_end is not None:
        add("expected_end", _("Only a temporary advisory has an expected end date."))
    if errors:
        raise ValidationError(errors)


def check_dates(
    content: EditionContent, *, effective: datetime, current_effective: datetime | None
) -> date:
    """Check the dates against the moment of publication; return the review-due date."""
    errors: dict[str, list[str]] = {}
    now = timezone.now()
    if effective > now + timedelta(minutes=1):
        errors.setdefault("effective_at", []).append(
            _("The effective time cannot be in the future; publish when it takes effect.")
        )
    if current_effective is not None and effective < current_effective:
        errors.setdefault("effective_at", []).append(
            _("The effective time cannot be earlier than the current edition's.")
        )
    effective_day = timezone.localdate(effective)
    latest = default_review_due(level=content.level, effective=effective_day)
    review_due = content.review_due or latest
    if review_due <= effective_day:
        errors.setdefault("review_due", []).append(
            _("The review date must be after the effective date.")
        )
    elif review_due > latest:
        errors.setdefault("review_due", []).append(
            _("Level %(level)s must be reviewed within %(months)s months, by %(latest)s.")
            % {
                "level": content.level,
                "months": review_months(content.level),
                "latest": latest.isoformat(),
            }
        )
    if content.expected_end is not None and content.expected_end < effective_day:
        errors.setdefault("expected_end", []).append(
            _("The expected end cannot be before the effective date.")
        )
    if errors:
        raise ValidationError(errors)
    return review_due
