"""Console forms of welfare: opening a round, an officer's entry, working a case."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from warden.accounts.roles import Role
from warden.alerting.services import MessageText
from warden.geo.models import Country
from warden.geo.selectors import area_lookup
from warden.welfare.models import STATUS_LABELS, Case, CaseNote, Status
from warden.welfare.services import RoundDetails
from warden.welfare.services.answers import NOTE_MAX, PLACE_MAX

MAX_HOURS = 24 * 14


def _minutes(raw: str) -> list[int]:
    try:
        return [int(part) for part in raw.replace(" ", "").split(",") if part]
    except ValueError as exc:
        raise ValidationError(_("Give whole numbers of minutes, separated by commas.")) from exc


class RoundForm(forms.Form):
    country = forms.ModelChoiceField(label=_("Country"), queryset=Country.objects.order_by("name"))
    area = forms.CharField(
        label=_("Only this area (optional)"),
        help_text=_("An ISO 3166-2 code such as TR-34, or a custom area's code."),
        required=False,
        max_length=40,
    )
    title = forms.CharField(label=_("Title (for staff)"), max_length=200)
    question_title_en = forms.CharField(label=_("Question: subject (English)"), max_length=200)
    question_body_en = forms.CharField(
        label=_("Question: text (English)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    question_title_he = forms.CharField(
        label=_("Question: subject (Hebrew)"), max_length=200, required=False
    )
    question_body_he = forms.CharField(
        label=_("Question: text (Hebrew)"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "rtl"}),
        required=False,
    )
    answer_options = forms.MultipleChoiceField(
        label=_("Answers offered"),
        choices=Status.choices,
        initial=list(Status.values),
        widget=forms.CheckboxSelectMultiple,
    )
    deadline_hours = forms.IntegerField(
        label=_("Deadline (hours from now)"), min_value=1, max_value=MAX_HOURS
    )
    reminders = forms.CharField(
        label=_("Reminders (minutes after opening, separated by commas)"),
        required=False,
        max_length=100,
    )
    cascade_minutes = forms.IntegerField(
        label=_("Try the next contact point after (minutes)"),
        help_text=_("Email, then SMS, then a messaging app, in each person's order. Empty: never."),
        min_value=1,
        required=False,
    )
    exercise = forms.BooleanField(label=_("Exercise"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deadline_hours"].initial = settings.WARDEN_CHECKIN_DEADLINE_HOURS
        self.fields["reminders"].initial = ", ".join(settings.WARDEN_CHECKIN_REMINDER_MINUTES)
        cascade = settings.WARDEN_CHECKIN_CASCADE_MINUTES
        self.fields["cascade_minutes"].initial = cascade if cascade > 0 else None

    def clean_reminders(self) -> list[int]:
        return _minutes(self.cleaned_data.get("reminders", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = (data.get("area") or "").strip()
        country = data.get("country")
        if code and country is not None:
            area = area_lookup(code)
            within = area is not None and (
                area.pk == country.pk or getattr(area, "country_id", None) == country.pk
            )
            if not within:
                self.add_error("area", _("This area is not in the chosen country."))
            else:
                data["area_obj"] = area
        if bool(data.get("question_title_he")) != bool(data.get("question_body_he")):
            self.add_error(
                "question_body_he", _("Give both the Hebrew subject and text, or neither.")
            )
        return data

    def chosen_area(self) -> Any:
        return self.cleaned_data.get("area_obj") or self.cleaned_data["country"]

    def details(self) -> RoundDetails:
        data = self.cleaned_data
        texts = {"en": MessageText(data["question_title_en"], data["question_body_en"])}
        if data.get("question_title_he"):
            texts["he"] = MessageText(data["question_title_he"], data["question_body_he"])
        return RoundDetails(
            title=data["title"],
            texts=texts,
            deadline=timezone.now() + timedelta(hours=data["deadline_hours"]),
            reminder_minutes=data["reminders"],
            cascade_minutes=data.get("cascade_minutes"),
            answer_options=data["answer_options"],
            exercise=data.get("exercise", False),
        )


class OfficerAnswerForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(key, label) for key, label in STATUS_LABELS.items() if key],
    )
    note = forms.CharField(
        label=_("How you learned it, and details"),
        help_text=_("For example: reached by phone, at the hotel with two children."),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    place = forms.CharField(
        label=_("Where they are (optional)"), max_length=PLACE_MAX, required=False
    )
    left_to = forms.ModelChoiceField(
        label=_("Left for (with “left the country”)"),
        queryset=Country.objects.order_by("name"),
        required=False,
    )


class FindPersonForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Look up by"), choices=[("email", _("Email")), ("sms", _("Phone number"))]
    )
    value = forms.CharField(label=_("Address or number"), max_length=320)


def case_officers() -> Any:
    return User.objects.filter(groups__name=Role.CONSULAR_OFFICER, is_active=True).order_by(
        "username"
    )


class AssignForm(forms.Form):
    officer = forms.ModelChoiceField(label=_("Officer"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = case_officers()  # type: ignore[attr-defined]


class SeverityForm(forms.Form):
    severity = forms.TypedChoiceField(
        label=_("Severity"), choices=Case.Severity.choices, coerce=int
    )


class CaseNoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseNote.Kind.choices)
    text = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(label=_("Outcome"), choices=Case.Resolution.choices)
    note = forms.CharField(
        label=_("Closing note (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
