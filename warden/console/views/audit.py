"""The audit log, filtered and paginated."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from warden.console.access import StaffRequest, staff_required
from warden.console.forms import AuditFilterForm
from warden.console.selectors import AUDIT_PAGE_SIZE, audit_object_types, audit_search


@staff_required("audit.view")
def audit(request: StaffRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, object_types=audit_object_types())
    filters = form.cleaned_data if form.is_valid() else {}
    paginator = Paginator(audit_search(**filters), AUDIT_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "console/audit.html", {"form": form, "page": page})
