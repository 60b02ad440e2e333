"""Console pages to upload an organisation's roster (CSV) or itinerary (iCalendar).

Nothing is imported unless the whole file is valid; the report lists every problem by row
(or event), column (or property) and reason, never with the offending value.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from warden.console.access import StaffRequest, staff_required
from warden.people.imports import ROSTER_COLUMNS, ImportReport, itinerary_import, roster_import
from warden.people.imports.common import MAX_BYTES
from warden.people.models import Organisation


class ImportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all()
    )
    file = forms.FileField(label=_("File"))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        return upload


Importer = Callable[[StaffRequest, Organisation, object], ImportReport]


def _page(request: StaffRequest, kind: str, importer: Importer) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report: ImportReport | None = None
    if request.method == "POST" and form.is_valid():
        report = importer(request, form.cleaned_data["organisation"], form.cleaned_data["file"])
    status = 400 if report is not None and not report.ok else 200
    return render(request, "people/console/import.html", {
        "form": form, "report": report, "kind": kind, "columns": ROSTER_COLUMNS,
    }, status=status)  # fmt: skip


def _roster(request: StaffRequest, organisation: Organisation, file: object) -> ImportReport:
    return roster_import(acting_user=request.user, organisation=organisation, file=file)  # type: ignore[arg-type]


def _itinerary(request: StaffRequest, organisation: Organisation, file: object) -> ImportReport:
    return itinerary_import(acting_user=request.user, organisation=organisation, file=file)  # type: ignore[arg-type]


@staff_required("people.import")
def import_roster(request: StaffRequest) -> HttpResponse:
    return _page(request, "roster", _roster)


@staff_required("people.import")
def import_itinerary(request: StaffRequest) -> HttpResponse:
    return _page(request, "itinerary", _itinerary)
