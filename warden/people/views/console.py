"""Staff pages: find a person by exact email or phone, see them, count people by place.

The search is a POST, so that no address ever appears in a URL or an access log. Every
page that shows a person's personal data writes the audit event ``people.person.view``.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from warden.audit.services import record
from warden.console.access import StaffRequest, staff_required
from warden.geo.models import Country
from warden.people.models import Channel, Person
from warden.people.selectors import (
    counts_by_city,
    counts_by_country,
    person_find,
    person_with_details,
)


class PersonFindForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Search by"),
        choices=[(Channel.EMAIL, _("Email address")), (Channel.SMS, _("Mobile phone"))],
    )
    value = forms.CharField(
        label=_("Exact address or number"),
        max_length=320,
        help_text=_("Phone numbers with their country code, e.g. +90 532 123 45 67."),
    )


@staff_required("people.view")
def people_home(request: StaffRequest) -> HttpResponse:
    form = PersonFindForm(request.POST or None)
    found: list[Person] | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = list(person_find(channel=data["channel"], value=data["value"]))
    names = dict(Country.objects.values_list("code", "name"))
    countries = [(code, names.get(code, code), n) for code, n in counts_by_country()]
    return render(request, "people/console/home.html", {
        "form": form, "found": found, "countries": countries,
        "total": sum(n for _code, _name, n in countries),
    })  # fmt: skip


@staff_required("people.view")
def person_detail(request: StaffRequest, pk: int) -> HttpResponse:
    person = person_with_details(pk)
    if person is None:
        raise Http404
    record(actor=request.user, action="people.person.view", obj=person)
    return render(request, "people/console/person.html", {"person": person})


@staff_required("people.view")
def people_country(request: StaffRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, pk=code.upper())
    return render(request, "people/console/country.html", {
        "country": country, "cities": counts_by_city(country.pk),
    })  # fmt: skip
