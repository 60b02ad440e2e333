"""Forms of the enrolment pages; each checks its input with the services' own rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from warden.geo.models import Country
from warden.geo.selectors import city_get, city_search, subdivisions_for
from warden.people.models import Channel, Person
from warden.people.services import PersonDetails, TripDetails

CONSENT_TEXT = _(
    "I agree that the ministry stores these details, encrypted, and uses them to send me "
    "travel-safety messages while I am abroad. I can change or delete them at any time on "
    "“My registration”; they are deleted 18 months after my last departure."
)
CHANNEL_CHOICES = [
    (Channel.EMAIL, _("Email")),
    (Channel.SMS, _("Mobile phone (SMS)")),
    (Channel.MESSAGING, _("Messaging app")),
]


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=320,
        help_text=_("We will send you a link to sign in. No password needed."),
    )


class WhoForm(forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=200, required=False)
    family_name = forms.CharField(label=_("Family name"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("I am"), choices=Person.Kind.choices)
    language = forms.ChoiceField(label=_("Send me messages in"), choices=settings.LANGUAGES)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                self.details().cleaned()
            except ValidationError as error:
                self.add_error(None, error)
        return data

    def details(self) -> PersonDetails:
        data = self.cleaned_data
        return PersonDetails(
            given_name=data.get("given_name", ""),
            family_name=data.get("family_name", ""),
            language=data.get("language", "en"),
            kind=data.get("kind", Person.Kind.CITIZEN),
        )


def _countries() -> list[tuple[str, str]]:
    return [("", "—")] + [(c.code, c.name) for c in Country.objects.order_by("name")]


class TripForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"))
    subdivision = forms.ChoiceField(label=_("Region or province (optional)"), required=False)
    city = forms.CharField(
        label=_("City (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-city-search": ""}),
    )
    city_geonameid = forms.IntegerField(required=False, widget=forms.HiddenInput)
    arrival = forms.DateField(label=_("Arrival"), widget=forms.DateInput(attrs={"type": "date"}))
    departure = forms.DateField(
        label=_("Departure (leave empty if you live there)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    is_resident = forms.BooleanField(label=_("I live there"), required=False)

    FIELD_OF = {"city_geonameid": "city", "latitude": "city", "longitude": "city", "leg": None}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        country_field = self.fields["country"]
        assert isinstance(country_field, forms.ChoiceField)
        country_field.choices = _countries()
        code = (self.data.get("country") if self.is_bound else self.initial.get("country")) or ""
        sub_field = self.fields["subdivision"]
        assert isinstance(sub_field, forms.ChoiceField)
        sub_field.choices = [("", "—")] + [(s.code, s.name) for s in subdivisions_for(str(code))]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        data["city_geonameid"] = self._city(data)
        try:
            self.details().fields()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                field = self.FIELD_OF.get(name, name)
                self.add_error(field if field in self.fields else None, messages)
        return data

    def _city(self, data: dict[str, Any]) -> int | None:
        """The city chosen from the suggestions, or else the first city of that name."""
        name = (data.get("city") or "").strip()
        chosen = data.get("city_geonameid")
        if chosen and (city := city_get(chosen)) is not None and (not name or name == city.name):
            return int(chosen)
        if not name:
            return None
        found = city_search(country_code=data["country"], query=name, limit=1)
        if not found:
            self.add_error("city", _("We do not know this city: choose one from the list."))
            return None
        return found[0].geonameid

    def details(self) -> TripDetails:
        data = self.cleaned_data
        return TripDetails(
            country=data["country"],
            subdivision=data.get("subdivision") or None,
            city_geonameid=data.get("city_geonameid") or None,
            arrival=data["arrival"],
            departure=data.get("departure"),
            is_resident=bool(data.get("is_resident")),
        )


def trip_from_draft(entry: dict[str, Any]) -> TripDetails:
    departure = entry.get("departure")
    return TripDetails(
        country=entry["country"],
        subdivision=entry.get("subdivision") or None,
        city_geonameid=entry.get("city_geonameid") or None,
        arrival=date.fromisoformat(entry["arrival"]),
        departure=date.fromisoformat(departure) if departure else None,
        is_resident=bool(entry.get("is_resident")),
    )


def trip_to_draft(details: TripDetails) -> dict[str, Any]:
    return {
        "country": details.country,
        "subdivision": details.subdivision or "",
        "city_geonameid": details.city_geonameid,
        "arrival": details.arrival.isoformat(),
        "departure": details.departure.isoformat() if details.departure else "",
        "is_resident": details.is_resident,
    }


class HowForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile phone (optional)"),
        max_length=40,
        required=False,
        help_text=_("With the country code, e.g. +972 50 123 4567. Confirmed by SMS later."),
    )
    messaging = forms.CharField(
        label=_("Messaging app address (optional)"),
        max_length=500,
        required=False,
        help_text=_("An address such as tgram://bot-token/chat-id."),
    )
    first = forms.ChoiceField(label=_("Reach me first by"), choices=CHANNEL_CHOICES)

    def clean(self) -> dict[str, Any]:
        from warden.people.contacts import address

        data = super().clean() or {}
        for name, channel in (("phone", Channel.SMS), ("messaging", Channel.MESSAGING)):
            if data.get(name):
                try:
                    data[name] = address(channel, data[name]).value
                except ValidationError as error:
                    self.add_error(name, error)
        first = data.get("first")
        if first == Channel.SMS and not data.get("phone") and not self.has_error("phone"):
            self.add_error("first", _("Enter a phone number to be reached by SMS first."))
        if (
            first == Channel.MESSAGING
            and not data.get("messaging")
            and not self.has_error("messaging")
        ):
            self.add_error("first", _("Enter a messaging address to be reached by it first."))
        return data

    def contacts(self) -> list[tuple[str, str]]:
        """(channel, value) in order of preference; ("email", "") is the verified address."""
        data = self.cleaned_data
        given: list[tuple[str, str]] = [(str(Channel.EMAIL), "")]
        if data.get("phone"):
            given.append((str(Channel.SMS), data["phone"]))
        if data.get("messaging"):
            given.append((str(Channel.MESSAGING), data["messaging"]))
        first = [entry for entry in given if entry[0] == data.get("first")]
        return first + [entry for entry in given if entry not in first]


class ConsentForm(forms.Form):
    consent = forms.BooleanField(label=CONSENT_TEXT, required=True)


class ContactAddForm(forms.Form):
    channel = forms.ChoiceField(label=_("Kind"), choices=CHANNEL_CHOICES)
    value = forms.CharField(label=_("Address or number"), max_length=500)


class CodeForm(forms.Form):
    """The code a phone number or messaging address got (``phone_code_confirm``)."""

    code = forms.RegexField(
        label=_("Code"),
        regex=r"^\s*[0-9]{6}\s*$",
        max_length=20,
        error_messages={"invalid": _("Type the six digits of the code.")},
    )

    def error_text(self) -> str:
        return " ".join(str(message) for messages in self.errors.values() for message in messages)
