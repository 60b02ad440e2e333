"""What the public would read, per language, for edition content that is not saved yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.utils import translation

from warden.advisories.models import Authority, Edition, Level, RiskIndicator
from warden.advisories.services import EditionContent
from warden.geo.models import Country, CustomArea, Subdivision


@dataclass(frozen=True)
class PreviewArea:
    code: str
    name: str
    level: int
    level_name: str
    note: str


@dataclass(frozen=True)
class PreviewText:
    language: str
    language_name: str
    bidi: bool
    country: str
    level: int | None
    level_name: str
    wording: str
    reasons: list[str]
    summary: str
    body: list[str]  # paragraphs
    areas: list[PreviewArea]
    review_due: date | None
    expected_end: date | None


def _area_names(country: Country, language: str) -> dict[str, str]:
    names = {s.code: s.local_name(language) for s in Subdivision.objects.filter(country=country)}
    names |= {a.code: a.local_name(language) for a in CustomArea.objects.filter(country=country)}
    return names


def _paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]


def _reasons(codes: tuple[str, ...]) -> list[str]:
    labels = dict(RiskIndicator.choices)
    return [str(labels[code]) for code in codes if code in labels]


def preview_texts(
    content: EditionContent, *, authority: Authority, country: Country
) -> list[PreviewText]:
    levels: dict[int, Level] = {lv.number: lv for lv in authority.levels.all()}
    out = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            out.append(_one(content, code, str(name), levels, country))
    return out


def _one(
    content: EditionContent, code: str, name: str, levels: dict[int, Level], country: Country
) -> PreviewText:
    text = content.texts.get(code)
    level = levels.get(content.level)
    area_names = _area_names(country, code) if content.areas else {}
    areas = [
        PreviewArea(
            a.code,
            area_names.get(a.code, a.code),
            a.level,
            levels[a.level].name(code) if a.level in levels else "",
            a.notes.get(code, ""),
        )
        for a in content.areas
    ]
    return PreviewText(
        language=code,
        language_name=name,
        bidi=translation.get_language_bidi(),
        country=country.local_name(code),
        level=content.level if level else None,
        level_name=level.name(code) if level else "",
        wording=level.wording(code) if level else "",
        reasons=_reasons(content.reasons),
        summary=text.summary if text else "",
        body=_paragraphs(text.body) if text else [],
        areas=areas,
        review_due=content.review_due,
        expected_end=content.expected_end,
    )


def edition_texts(edition: Edition) -> list[PreviewText]:
    """The saved edition as the public reads it."""
    from warden.advisories.services import edition_content

    return preview_texts(
        edition_content(edition), authority=edition.authority, country=edition.country
    )
