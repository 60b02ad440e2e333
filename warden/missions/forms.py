"""Console forms of missions: they parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from warden.advisories.models import Edition, Status
from warden.console.forms import DateInput, DateTimeInput
from warden.missions import rules
from warden.missions.models import DepartureState, Post, PostStatus, Scope, Tripwire
from warden.missions.services import DecisionDetails


class DecisionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    scope = forms.ChoiceField(
        label=_("Who leaves"),
        required=False,
        choices=[("", "—"), *Scope.choices],
        help_text=_("For authorized and ordered departure. Locally employed staff stay."),
    )
    deadline = forms.DateTimeField(
        label=_("Departure deadline (UTC)"),
        required=False,
        widget=DateTimeInput(),
        help_text=_("Needed for an ordered departure."),
    )
    safe_haven = forms.CharField(
        label=_("Safe haven"), required=False, max_length=150, help_text=_("For departures.")
    )
    is_temporary = forms.BooleanField(label=_("Temporary measure"), required=False)
    review_date = forms.DateField(
        label=_("Review date"),
        required=False,
        widget=DateInput(),
        help_text=_("Needed for a temporary measure."),
    )
    alternate_post = forms.ModelChoiceField(
        label=_("Alternate post for consular services"),
        queryset=Post.objects.none(),
        required=False,
        help_text=_("Needed for a suspension."),
    )
    return_date = forms.DateField(
        label=_("Return date"), required=False, widget=DateInput(), help_text=_("For resuming.")
    )
    committee_notes = forms.CharField(
        label=_("Emergency action committee record"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    advisory = forms.ModelChoiceField(
        label=_("Advisory edition raising the level"),
        queryset=Edition.objects.none(),
        required=False,
        help_text=_(
            "For an ordered departure while the public level is below 3: your draft is "
            "submitted for approval with this request."
        ),
    )

    def __init__(self, *args: Any, post: Post, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.post = post
        targets = rules.allowed_targets(post.status)
        status = self.fields["to_status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [(value, label) for value, label in PostStatus.choices if value in targets]
        alternate = self.fields["alternate_post"]
        advisory = self.fields["advisory"]
        assert isinstance(alternate, forms.ModelChoiceField)
        assert isinstance(advisory, forms.ModelChoiceField)
        alternate.queryset = Post.objects.exclude(pk=post.pk)
        advisory.queryset = Edition.objects.filter(
            country=post.country_id,
            is_exercise=False,
            level__gte=rules.MATCHING_LEVEL,
            status__in=(Status.DRAFT, Status.RETURNED, Status.SUBMITTED),
        )

    def details(self) -> DecisionDetails:
        data = self.cleaned_data
        return DecisionDetails(
            reasons=data["reasons"],
            scope=data["scope"] or "",
            deadline=data["deadline"],
            safe_haven=data["safe_haven"],
            is_temporary=data["is_temporary"],
            review_date=data["review_date"],
            alternate_post=data["alternate_post"],
            return_date=data["return_date"],
            committee_notes=data["committee_notes"],
        )


class RejectForm(forms.Form):
    comment = forms.CharField(
        label=_("Why it is rejected"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DepartureForm(forms.Form):
    state = forms.ChoiceField(label=_("Departure"), choices=DepartureState.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class TripwireForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rule"), choices=Tripwire.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    level = forms.TypedChoiceField(
        label=_("Level"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *((n, str(n)) for n in range(1, 5))],
    )
    event_type = forms.CharField(label=_("Incident type"), required=False, max_length=60)
    radius_km = forms.FloatField(label=_("Within (km)"), required=False, min_value=0)
    hours = forms.IntegerField(label=_("In the last (hours)"), required=False, min_value=1)


class PullForm(forms.Form):
    note = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    summary = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}))
    went_well = forms.CharField(
        label=_("What worked"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    to_improve = forms.CharField(
        label=_("What to change"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class SelfReportForm(forms.Form):
    """The person's own choice on their link page: only the states open to them now."""

    state = forms.ChoiceField(label=_("Where are you now?"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, choices: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["state"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, DepartureState(value).label) for value in choices]
