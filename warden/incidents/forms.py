"""Console forms for incidents, claims, intake and feeds: parse input for the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from warden.geo.models import Country
from warden.incidents.services import ClaimContent, FeedContent, IncidentContent, SourceContent
from warden.incidents.services.claims import CUES
from warden.incidents.taxonomy import (
    COUNT_KINDS,
    COUNT_LABELS,
    Credibility,
    EventType,
    PlacePrecision,
    Reliability,
    SubEventType,
    TimePrecision,
    Verification,
)

BLANK: list[tuple[Any, Any]] = [("", "—")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _countries() -> list[tuple[str, str]]:
    return BLANK + [(c.code, f"{c.local_name()} ({c.code})") for c in Country.objects.all()]


class IncidentFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)
    event_type = forms.ChoiceField(
        label=_("Event type"), required=False, choices=BLANK + EventType.choices
    )
    verification = forms.ChoiceField(
        label=_("Verification"), required=False, choices=BLANK + Verification.choices
    )
    since = forms.DateField(label=_("From"), required=False, widget=DATE)
    until = forms.DateField(label=_("Until"), required=False, widget=DATE)
    q = forms.CharField(label=_("Title or place contains"), required=False, max_length=100)
    within_km = forms.FloatField(label=_("Within km of a post"), required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = _countries()


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    event_type = forms.ChoiceField(label=_("Event type"), choices=EventType.choices)
    sub_event_type = forms.ChoiceField(
        label=_("Sub-event type"), required=False, choices=BLANK + SubEventType.choices
    )
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    occurred_time = forms.TimeField(
        label=_("Time (optional)"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    time_precision = forms.TypedChoiceField(
        label=_("Time precision"), coerce=int, choices=TimePrecision.choices
    )
    country = forms.ChoiceField(label=_("Country"))
    subdivision = forms.CharField(
        label=_("Subdivision code (ISO 3166-2, optional)"), required=False, max_length=8
    )
    city = forms.CharField(label=_("City or place"), required=False, max_length=150)
    geonameid = forms.IntegerField(required=False, widget=forms.HiddenInput)
    latitude = forms.FloatField(label=_("Latitude"), required=False)
    longitude = forms.FloatField(label=_("Longitude"), required=False)
    place_precision = forms.TypedChoiceField(
        label=_("Place precision"), coerce=int, choices=PlacePrecision.choices
    )
    actors = forms.CharField(label=_("Actors (comma-separated)"), required=False, max_length=500)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    verification = forms.ChoiceField(label=_("Verification"), choices=Verification.choices)
    change_note = forms.CharField(
        label=_("What changed (for the history)"), required=False, max_length=500
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["country"]).choices = _countries()
        for kind in COUNT_KINDS:
            for part, label in (("low", _("low")), ("best", _("best")), ("high", _("high"))):
                self.fields[f"{kind}_{part}"] = forms.IntegerField(
                    label=f"{COUNT_LABELS[kind]} ({label})", required=False, min_value=0
                )

    def count_rows(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (COUNT_LABELS[k], [self[f"{k}_{p}"] for p in ("low", "best", "high")])
            for k in COUNT_KINDS
        ]

    def content(self) -> IncidentContent:
        d = self.cleaned_data
        counts = {
            k: (d.get(f"{k}_low"), d.get(f"{k}_best"), d.get(f"{k}_high")) for k in COUNT_KINDS
        }
        return IncidentContent(
            title=d["title"],
            event_type=d["event_type"],
            sub_event_type=d["sub_event_type"],
            occurred_on=d["occurred_on"],
            occurred_time=d.get("occurred_time"),
            time_precision=d["time_precision"],
            country=d["country"],
            subdivision=(d.get("subdivision") or "").upper() or None,
            city=d.get("city", ""),
            geonameid=d.get("geonameid"),
            latitude=d.get("latitude"),
            longitude=d.get("longitude"),
            place_precision=d["place_precision"],
            actors=tuple(a.strip() for a in d.get("actors", "").split(",") if a.strip()),
            counts=counts,
            notes=d.get("notes", ""),
            verification=d["verification"],
        )


def _chain(text: str) -> tuple[str, ...]:
    parts = [p.strip() for p in text.replace("→", ">").replace("->", ">").split(">")]
    return tuple(p for p in parts if p)


class ClaimForm(forms.Form):
    subject = forms.CharField(label=_("About (the disputed fact)"), required=False, max_length=60)
    claimant = forms.CharField(label=_("Who claims it"), max_length=200)
    cue = forms.ChoiceField(label=_("Cue"), required=False, choices=BLANK + [(c, c) for c in CUES])
    relay_chain = forms.CharField(
        label=_("Relay chain (a source → AFP → outlet)"), required=False, max_length=500
    )
    content = forms.CharField(label=_("Claim"), widget=forms.Textarea(attrs={"rows": 3}))
    credibility = forms.TypedChoiceField(
        label=_("Credibility"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=BLANK + Credibility.choices,
    )
    source = forms.TypedChoiceField(label=_("Source"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, sources: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["source"]).choices = BLANK + [
            (s.pk, str(s)) for s in sources
        ]

    def content_value(self) -> ClaimContent:
        d = self.cleaned_data
        return ClaimContent(
            claimant=d["claimant"],
            content=d["content"],
            cue=d.get("cue", ""),
            relay_chain=_chain(d.get("relay_chain", "")),
            subject=d.get("subject", ""),
            credibility=d.get("credibility"),
            source_id=d.get("source"),
        )


class GradeForm(forms.Form):
    credibility = forms.TypedChoiceField(
        label=_("Credibility"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=BLANK + Credibility.choices,
    )
    subject = forms.CharField(label=_("About"), required=False, max_length=60)


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Number of the incident to keep"), min_value=1)
    note = forms.CharField(label=_("Why they are the same"), required=False, max_length=500)


class LinkForm(forms.Form):
    edition = forms.IntegerField(label=_("Advisory edition number (id)"), required=False)
    statement = forms.IntegerField(label=_("Statement number (id)"), required=False)
    reference = forms.CharField(
        label=_("Drawdown decision reference"), required=False, max_length=200
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class SourceTextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}))
    title = forms.CharField(label=_("Headline"), required=False, max_length=300)
    outlet = forms.CharField(label=_("Outlet"), required=False, max_length=150)
    url = forms.URLField(assume_scheme="https", label=_("Address"), required=False, max_length=1000)
    published_at = forms.DateTimeField(
        label=_("Published"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    reliability = forms.ChoiceField(
        label=_("Reliability"), choices=Reliability.choices, initial=Reliability.F
    )

    def content(self) -> SourceContent:
        d = self.cleaned_data
        return SourceContent(
            text=d["text"],
            outlet=d.get("outlet", ""),
            url=d.get("url", ""),
            title=d.get("title", ""),
            published_at=d.get("published_at"),
            reliability=d["reliability"],
        )


class SourceUrlForm(forms.Form):
    url = forms.URLField(assume_scheme="https", label=_("Web address"), max_length=1000)
    outlet = forms.CharField(label=_("Outlet"), required=False, max_length=150)
    reliability = forms.ChoiceField(
        label=_("Reliability"), choices=Reliability.choices, initial=Reliability.F
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)


class FeedForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    url = forms.URLField(assume_scheme="https", label=_("Feed address"), max_length=1000)
    outlet = forms.CharField(label=_("Outlet"), max_length=150)
    language = forms.CharField(label=_("Language"), max_length=8, initial="en")
    reliability = forms.ChoiceField(
        label=_("Reliability"), choices=Reliability.choices, initial=Reliability.F
    )
    fetch_articles = forms.BooleanField(label=_("Fetch full articles"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def content(self) -> FeedContent:
        return FeedContent(**self.cleaned_data)
