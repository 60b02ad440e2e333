"""The page an email verification link opens.

GET only shows a button: mail scanners that follow links must not verify an address.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from warden.people.services import contact_point_confirm


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        return render(request, "people/verify.html", {"state": "ask"})
    try:
        contact_point_confirm(token=token)
    except ValidationError as error:
        return render(
            request, "people/verify.html", {"state": "error", "errors": error.messages}, status=400
        )
    return render(request, "people/verify.html", {"state": "done"})
