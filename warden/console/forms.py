"""Console forms. They parse input into the services' content objects and nothing more."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from warden.advisories.models import Authority, Edition, RiskIndicator, Status
from warden.advisories.services import (
    AreaContent,
    EditionContent,
    StatementContent,
    TextContent,
)
from warden.geo.models import Country


def languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def text_attrs(language: str, rows: int) -> dict[str, Any]:
    """Textareas for another language keep that language's direction in any console UI."""
    bidi = get_language_info(language)["bidi"]
    return {"lang": language, "dir": "rtl" if bidi else "ltr", "rows": rows}


def level_choices(authority: Authority) -> list[tuple[int, str]]:
    return [(level.number, f"{level.number} — {level.name()}") for level in authority.levels.all()]


def reason_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} — {label}") for code, label in RiskIndicator.choices]


def area_choices(country: Country) -> list[tuple[str, str]]:
    subdivisions = [(s.code, f"{s.code} — {s.local_name()}") for s in country.subdivisions.all()]
    custom = [(a.code, f"{a.code} — {a.local_name()}") for a in country.custom_areas.all()]
    return [("", "—"), *custom, *subdivisions]


def set_choices(form: forms.Form, name: str, choices: Iterable[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = list(choices)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class EditionForm(forms.Form):
    """One advisory edition: level, reasons, texts per language, dates. Areas are a formset."""

    level = forms.TypedChoiceField(label=_("Level"), coerce=int, widget=forms.RadioSelect)
    reasons = forms.MultipleChoiceField(
        label=_("Risk indicators"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one is needed for level 2 or higher."),
    )
    change_note = forms.CharField(
        label=_("Change note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What changed and why, in one or two sentences. Shown in the public history."),
    )
    is_minor = forms.BooleanField(
        label=_("Minor edit (wording or typo only, no notifications)"), required=False
    )
    effective_at = forms.DateTimeField(
        label=_("Effective from"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Leave empty to take effect when it is published."),
    )
    review_due = forms.DateField(
        label=_("Review due"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the longest period the level allows."),
    )
    is_temporary = forms.BooleanField(label=_("Temporary advisory"), required=False)
    expected_end = forms.DateField(
        label=_("Expected end"),
        required=False,
        widget=DateInput(),
        help_text=_("Needed for a temporary advisory."),
    )
    is_exercise = forms.BooleanField(
        label=_("Exercise: this draft is for practice and never reaches real recipients"),
        required=False,
    )

    def __init__(
        self, *args: Any, authority: Authority, allow_exercise: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "level", level_choices(authority))
        set_choices(self, "reasons", reason_choices())
        if not allow_exercise:
            del self.fields["is_exercise"]
        for code, name in languages():
            self.fields[f"summary_{code}"] = forms.CharField(
                label=_("Summary (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs=text_attrs(code, 3)),
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Full advice (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs=text_attrs(code, 10)),
            )

    def language_fields(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        return [
            (code, name, self[f"summary_{code}"], self[f"body_{code}"])
            for code, name in languages()
        ]

    def content(self, areas: Iterable[AreaContent]) -> EditionContent:
        """The content as entered. Lenient, so that a half-filled form can be previewed."""
        data = getattr(self, "cleaned_data", {})
        return EditionContent(
            level=data.get("level") or 0,
            reasons=tuple(data.get("reasons") or ()),
            texts={
                code: TextContent(
                    data.get(f"summary_{code}", "").strip(), data.get(f"body_{code}", "").strip()
                )
                for code, _name in languages()
            },
            change_note=data.get("change_note", "").strip(),
            is_minor=bool(data.get("is_minor")),
            effective_at=data.get("effective_at"),
            review_due=data.get("review_due"),
            is_temporary=bool(data.get("is_temporary")),
            expected_end=data.get("expected_end"),
            areas=tuple(areas),
        )


def edition_initial(content: EditionContent, *, as_new: bool) -> dict[str, Any]:
    """Form values from an edition; a new draft keeps the text but not the dates or note."""
    initial: dict[str, Any] = {
        "level": content.level,
        "reasons": list(content.reasons),
        "is_temporary": content.is_temporary,
        "expected_end": content.expected_end,
    }
    for code, text in content.texts.items():
        initial[f"summary_{code}"] = text.summary
        initial[f"body_{code}"] = text.body
    if not as_new:
        initial.update(
            change_note=content.change_note,
            is_minor=content.is_minor,
            effective_at=content.effective_at,
            review_due=content.review_due,
        )
    return initial


def areas_initial(content: EditionContent) -> list[dict[str, Any]]:
    return [
        {
            "code": a.code,
            "level": a.level,
            **{f"note_{code}": a.notes.get(code, "") for code, _name in languages()},
        }
        for a in content.areas
    ]


class AreaForm(forms.Form):
    code = forms.ChoiceField(label=_("Area"), required=False)
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, country: Country, authority: Authority, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "code", area_choices(country))
        set_choices(self, "level", [("", "—"), *level_choices(authority)])
        for code, name in languages():
            self.fields[f"note_{code}"] = forms.CharField(
                label=_("Note (%(language)s)") % {"language": name},
                required=False,
                max_length=500,
                widget=forms.TextInput(attrs=text_attrs(code, 1)),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("code") and data.get("level") is None:
            self.add_error("level", _("Choose a level for this area."))
        if data.get("level") is not None and not data.get("code"):
            self.add_error("code", _("Choose the area this level is for."))
        return data

    def area(self) -> AreaContent | None:
        data = getattr(self, "cleaned_data", {})
        if not data.get("code") or data.get("level") is None:
            return None
        notes = {
            code: data.get(f"note_{code}", "").strip()
            for code, _name in languages()
            if data.get(f"note_{code}", "").strip()
        }
        return AreaContent(code=data["code"], level=data["level"], notes=notes)


AreaFormSet = forms.formset_factory(AreaForm, extra=2, max_num=50, validate_max=True)


def formset_areas(formset: forms.BaseFormSet) -> list[AreaContent]:
    return [area for form in formset.forms if (area := form.area()) is not None]


def apply_errors(
    form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: by field where it names one."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    aliases = aliases or {}
    for key, messages in error.message_dict.items():
        field = aliases.get(key, key)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


EDITION_ERROR_FIELDS = {"texts": f"summary_{settings.LANGUAGE_CODE}"}


class StatementForm(forms.Form):
    countries = forms.CharField(
        label=_("Countries"),
        max_length=400,
        help_text=_("Two-letter ISO codes separated by spaces or commas, for example TR."),
    )
    edition = forms.TypedChoiceField(
        label=_("Tied to the edition"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Optional. A tied statement is published and withdrawn with its edition."),
    )
    is_exercise = forms.BooleanField(
        label=_("Exercise: this draft is for practice and never reaches real recipients"),
        required=False,
    )

    def __init__(self, *args: Any, allow_exercise: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "edition", [("", "—"), *edition_choices()])
        if not allow_exercise:
            del self.fields["is_exercise"]
        for code, name in languages():
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Headline (%(language)s)") % {"language": name},
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs=text_attrs(code, 1)),
            )
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs=text_attrs(code, 8)),
            )

    def language_fields(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        return [
            (code, name, self[f"title_{code}"], self[f"text_{code}"]) for code, name in languages()
        ]

    def clean_countries(self) -> tuple[str, ...]:
        raw = self.cleaned_data["countries"].replace(",", " ").upper().split()
        return tuple(dict.fromkeys(raw))

    def content(self) -> StatementContent:
        data = self.cleaned_data
        return StatementContent(
            countries=data["countries"],
            texts={
                code: (data.get(f"title_{code}", ""), data.get(f"text_{code}", ""))
                for code, _name in languages()
            },
            edition_id=data.get("edition"),
        )


def edition_choices() -> list[tuple[int, str]]:
    editions = (
        Edition.objects.filter(
            status__in=[Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.PUBLISHED]
        )
        .select_related("country")
        .order_by("country__name", "-number")
    )
    return [(e.pk, _edition_label(e)) for e in editions]


def _edition_label(edition: Edition) -> str:
    label = _("%(country)s, edition %(number)s, level %(level)s (%(status)s)") % {
        "country": edition.country.local_name(),
        "number": edition.number,
        "level": edition.level,
        "status": edition.get_status_display(),
    }
    return f"{label} — {_('EXERCISE')}" if edition.is_exercise else str(label)


def statement_initial(statement: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "countries": " ".join(statement.countries.values_list("pk", flat=True)),
        "edition": statement.edition_id,
    }
    for text in statement.texts.all():
        initial[f"title_{text.language}"] = text.title
        initial[f"text_{text.language}"] = text.text
    return initial


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What should the author change?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the withdrawal"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the public history."),
    )


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Actor"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action starts with"),
        required=False,
        max_length=80,
        help_text=_("For example advisory.edition"),
    )
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args: Any, object_types: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "object_type", [("", _("Any")), *((t, t) for t in object_types if t)])
