"""A readable comparison of two editions, for approvers and for the public history."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.translation import gettext as _

from warden.advisories.models import Edition, RiskIndicator
from warden.advisories.services.content import EditionContent
from warden.advisories.services.editions import edition_content


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class TextDiff:
    language: str
    part: str  # "summary" | "body"
    lines: list[tuple[str, str]]  # (" " | "-" | "+", line)


@dataclass(frozen=True)
class EditionDiff:
    fields: list[FieldChange]
    texts: list[TextDiff]

    @property
    def empty(self) -> bool:
        return not self.fields and not self.texts


def _reasons(codes: tuple[str, ...]) -> str:
    labels = dict(RiskIndicator.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes) or "—"


def _line_diff(old: str, new: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        if line[:1] in {" ", "-", "+"}:
            out.append((line[:1], line[2:]))
    return out


def _field_changes(old: EditionContent | None, new: EditionContent) -> list[FieldChange]:
    def fmt(value: object) -> str:
        return "—" if value in (None, "", ()) else str(value)

    pairs = [
        (_("Level"), fmt(old.level) if old else "—", fmt(new.level)),
        (_("Risk indicators"), _reasons(old.reasons) if old else "—", _reasons(new.reasons)),
        (_("Review due"), fmt(old.review_due) if old else "—", fmt(new.review_due)),
        (
            _("Temporary"),
            (_("yes") if old.is_temporary else _("no")) if old else "—",
            _("yes") if new.is_temporary else _("no"),
        ),
        (_("Expected end"), fmt(old.expected_end) if old else "—", fmt(new.expected_end)),
        (
            _("Areas"),
            ", ".join(f"{a.code}: {a.level}" for a in old.areas) or "—" if old else "—",
            ", ".join(f"{a.code}: {a.level}" for a in new.areas) or "—",
        ),
    ]
    return [FieldChange(label, a, b) for label, a, b in pairs if a != b]


def content_diff(old: EditionContent | None, new: EditionContent) -> EditionDiff:
    texts: list[TextDiff] = []
    for language in sorted(set(new.texts) | set(old.texts if old else {})):
        before = old.texts.get(language) if old else None
        after = new.texts.get(language)
        for part in ("summary", "body"):
            a = getattr(before, part, "") if before else ""
            b = getattr(after, part, "") if after else ""
            if a != b:
                texts.append(TextDiff(language, part, _line_diff(a, b)))
    return EditionDiff(_field_changes(old, new), texts)


def edition_diff(old: Edition | None, new: Edition) -> EditionDiff:
    return content_diff(edition_content(old) if old else None, edition_content(new))
