"""The page a staff or family member's departure link opens: no sign-in, the link is the key.

GET only shows the choices; a change needs a POST, so that a mail scanner following the
link changes nothing. The page shows no name, only the post and the current state.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from warden.missions import links, rules
from warden.missions.forms import SelfReportForm
from warden.missions.models import StaffMember
from warden.missions.services import departure_report

TEMPLATE = "missions/departure.html"


def _page(request: HttpRequest, staff: StaffMember, **extra: object) -> HttpResponse:
    choices = rules.self_service_targets(staff.departure_state, staff.post.status)
    form = extra.pop("form", None) or SelfReportForm(choices=choices)
    return render(request, TEMPLATE, {"staff": staff, "form": form, "choices": choices, **extra})


@never_cache
@require_http_methods(["GET", "POST"])
def departure(request: HttpRequest, token: str) -> HttpResponse:
    staff = links.staff_for_token(token)
    if staff is None:
        return render(request, TEMPLATE, {"invalid": True}, status=403)
    if request.method == "GET":
        return _page(request, staff)
    choices = rules.self_service_targets(staff.departure_state, staff.post.status)
    form = SelfReportForm(request.POST, choices=choices)
    if not form.is_valid():
        return _page(request, staff, form=form)
    try:
        staff = departure_report(token=token, state=form.cleaned_data["state"])
    except PermissionDenied:
        return render(request, TEMPLATE, {"invalid": True}, status=403)
    except ValidationError as error:
        return _page(request, staff, errors=error.messages)
    return _page(request, staff, done=_("Thank you. Your post knows where you are."))
