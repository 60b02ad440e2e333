"""The enrolment pages under ``/register/``: private, never cached, CSRF protected.

Views parse input and call the services; the wizard keeps what it collects in an encrypted
session draft (``session.draft``) until the consent step creates everything at once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from warden.geo.selectors import city_search
from warden.people.enrolment import forms, session
from warden.people.enrolment.links import RateLimited, sign_in_link_request, sign_in_link_use
from warden.people.enrolment.services import enrolment_complete, registration_delete
from warden.people.models import ContactPoint, Person, PhoneCode
from warden.people.selectors import person_with_details
from warden.people.services import (
    CodeRefused,
    contact_point_add,
    contact_point_remove,
    contact_points_reorder,
    person_update,
    phone_code_confirm,
    phone_code_request,
    trip_add,
    trip_remove,
    verification_start,
)
from warden.people.services.codes import CODE_CHANNELS
from warden.site.views.common import page_context

View = Callable[..., HttpResponse]
CitizenView = Callable[..., HttpResponse]


def private(view: View) -> View:
    """Never cached anywhere (``private, no-store``), CSRF protected."""
    return never_cache(csrf_protect(view))


def page(request: HttpRequest, template: str, status: int = 200, **context: Any) -> HttpResponse:
    return render(request, template, page_context(request, **context), status=status)


def _signed_in(*, enrolled: bool | None) -> Callable[[CitizenView], View]:
    """Views of a signed-in citizen: enrolled (a person), enrolling (a link), or either."""

    def decorator(view: CitizenView) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            who = session.citizen(request)
            if who is None:
                return redirect("register:start")
            if enrolled is True and who.person is None:
                return redirect("register:who")
            if enrolled is False and who.person is not None:
                return redirect("register:mine")
            return view(request, who, *args, **kwargs)

        return private(wrapped)

    return decorator


enrolling = _signed_in(enrolled=False)
enrolled = _signed_in(enrolled=True)


# --- Sign in ----------------------------------------------------------------------------


@private
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    form = forms.EmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sign_in_link_request(
                email=form.cleaned_data["email"],
                ip=request.META.get("REMOTE_ADDR", ""),
                language=translation.get_language() or "en",
            )
        except RateLimited:
            return page(request, "people/enrolment/limited.html", status=429)
        return redirect("register:sent")
    return page(request, "people/enrolment/start.html", form=form)


@private
@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return page(request, "people/enrolment/sent.html")


@private
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """GET only shows a button: mail scanners that follow links must not use the link."""
    if request.method == "GET":
        return page(request, "people/enrolment/sign_in.html")
    try:
        signed = sign_in_link_use(token=token)
    except ValidationError as error:
        return page(request, "people/enrolment/sign_in.html", status=400, errors=error.messages)
    session.sign_in(request, signed)
    return redirect("register:mine" if signed.person else "register:who")


@private
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    session.sign_out(request)
    return redirect("site:home")


@private
@require_GET
def cities(request: HttpRequest) -> JsonResponse:
    """Suggestions for the city field (progressive enhancement of a plain text input)."""
    if session.citizen(request) is None:
        return JsonResponse({"cities": []}, status=403)
    country = request.GET.get("country", "")[:2]
    query = request.GET.get("q", "")[:100]
    found = city_search(country_code=country, query=query, limit=8) if country else []
    return JsonResponse({"cities": [{"id": c.geonameid, "name": c.name} for c in found]})


# --- The wizard ---------------------------------------------------------------------------

STEPS = ("who", "where", "how", "consent")


def _wizard(request: HttpRequest, step: str, **context: Any) -> HttpResponse:
    return page(
        request,
        f"people/enrolment/{step}.html",
        step=step,
        steps=STEPS,
        number=STEPS.index(step) + 1,
        **context,
    )


@enrolling
@require_http_methods(["GET", "POST"])
def who(request: HttpRequest, citizen: session.Citizen) -> HttpResponse:
    draft = session.draft(request)
    initial = draft.get("who") or {"language": translation.get_language()}
    form = forms.WhoForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        draft["who"] = {k: form.cleaned_data[k] for k in forms.WhoForm.base_fields}
        session.draft_save(request, draft)
        return redirect("register:where")
    return _wizard(request, "who", form=form)


@enrolling
@require_http_methods(["GET", "POST"])
def where(request: HttpRequest, citizen: session.Citizen) -> HttpResponse:
    draft = session.draft(request)
    if "who" not in draft:
        return redirect("register:who")
    trips: list[dict[str, Any]] = draft.setdefault("trips", [])
    form = forms.TripForm(request.POST or None)
    if request.method == "POST":
        if "remove" in request.POST:
            index = _int(request.POST["remove"])
            if index is not None and 0 <= index < len(trips):
                trips.pop(index)
            session.draft_save(request, draft)
            return redirect("register:where")
        if "next" in request.POST and trips and not request.POST.get("country"):
            return redirect("register:how")
        if form.is_valid():
            trips.append(forms.trip_to_draft(form.details()))
            session.draft_save(request, draft)
            return redirect("register:how" if "next" in request.POST else "register:where")
    return _wizard(request, "where", form=form, trips=_trip_rows(trips))


def _int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _trip_rows(trips: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from warden.geo.models import Country
    from warden.geo.selectors import city_get

    names = dict(Country.objects.values_list("code", "name"))
    rows = []
    for index, trip in enumerate(trips):
        city = city_get(trip["city_geonameid"]) if trip.get("city_geonameid") else None
        rows.append({
            "index": index, "country": names.get(trip["country"], trip["country"]),
            "city": city.name if city else "", "arrival": trip["arrival"],
            "departure": trip.get("departure") or "", "is_resident": trip.get("is_resident"),
        })  # fmt: skip
    return rows


@enrolling
@require_http_methods(["GET", "POST"])
def how(request: HttpRequest, citizen: session.Citizen) -> HttpResponse:
    draft = session.draft(request)
    if not draft.get("trips"):
        return redirect("register:where")
    form = forms.HowForm(request.POST or None, initial=draft.get("how") or {})
    if request.method == "POST" and form.is_valid():
        draft["how"] = {k: form.cleaned_data[k] for k in forms.HowForm.base_fields}
        session.draft_save(request, draft)
        return redirect("register:consent")
    email = citizen.link.email if citizen.link else ""
    return _wizard(request, "how", form=form, email=email)


@enrolling
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest, citizen: session.Citizen) -> HttpResponse:
    draft = session.draft(request)
    if "how" not in draft:
        return redirect("register:how")
    form = forms.ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and citizen.link is not None:
        how_form = forms.HowForm(draft["how"])
        who_form = forms.WhoForm(draft["who"])
        if not (how_form.is_valid() and who_form.is_valid()):
            return redirect("register:who")
        try:
            person = enrolment_complete(
                link=citizen.link,
                details=who_form.details(),
                trips=[forms.trip_from_draft(t) for t in draft["trips"]],
                contacts=how_form.contacts(),
                consent_at=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            session.become(request, person)
            for point in person.contact_points.all():
                _verification_start(request, point)  # a refusal shows on the next page
            return redirect("register:mine")
    return _wizard(request, "consent", form=form)


# --- My registration ------------------------------------------------------------------


def _person(citizen: session.Citizen) -> Person:
    assert citizen.person is not None
    person = person_with_details(citizen.person.pk)
    if person is None:
        raise Http404
    return person


def _my_contact_point(person: Person, pk: int) -> ContactPoint:
    """One of ``person``'s contact points; 404 for anyone else's."""
    point = person.contact_points.filter(pk=pk).first()
    if point is None:
        raise Http404
    return point


def _verification_start(
    request: HttpRequest, point: ContactPoint, *, new_code: bool = False
) -> tuple[int, str]:
    """Start verifying ``point`` as its channel is (``verification_start``), or send it a
    new code: (0, "") when done, else the status to answer with (429 when too many codes
    were asked for, 400 when this address takes none) and the reason."""
    start = phone_code_request if new_code else verification_start
    try:
        start(contact_point=point, ip=request.META.get("REMOTE_ADDR", ""))
    except ValidationError as error:
        return 429 if error.code == "throttled" else 400, " ".join(error.messages)
    return 0, ""


def _mine(
    request: HttpRequest,
    person: Person,
    status: int = 200,
    code_error: tuple[int, str] | None = None,
    **forms_: Any,
) -> HttpResponse:
    points = list(person.contact_points.all())
    codes = {
        code.contact_point_id: code
        for code in PhoneCode.objects.filter(contact_point__in=[p.pk for p in points])
    }
    context = {
        "person": person,
        # Each contact point, and for a pending number its code's state (see mine.html).
        "contacts": [
            (point, point.channel in CODE_CHANNELS and not point.is_verified, codes.get(point.pk))
            for point in points
        ],
        "code_error": code_error,
        # A departure is stored as the end of its day: show the day itself.
        "trips": [
            (t, (t.departure - timedelta(seconds=1)).date() if t.departure else None)
            for t in person.trips.all()
        ],
        "who_form": forms.WhoForm(initial={
            "given_name": person.given_name, "family_name": person.family_name,
            "kind": person.kind, "language": person.language,
        }),
        "trip_form": forms.TripForm(),
        "contact_form": forms.ContactAddForm(),
        **forms_,
    }  # fmt: skip
    return page(request, "people/enrolment/mine.html", status=status, **context)


@enrolled
@require_GET
def mine(request: HttpRequest, citizen: session.Citizen) -> HttpResponse:
    return _mine(request, _person(citizen))


@enrolled
@require_POST
def mine_who(request: HttpRequest, citizen: session.Citizen) -> HttpResponse:
    person = _person(citizen)
    form = forms.WhoForm(request.POST)
    if not form.is_valid():
        return _mine(request, person, status=400, who_form=form)
    person_update(acting_user=None, person=person, details=form.details())
    return redirect("register:mine")


@enrolled
@require_POST
def trip_new(request: HttpRequest, citizen: session.Citizen) -> HttpResponse:
    person = _person(citizen)
    form = forms.TripForm(request.POST)
    if not form.is_valid():
        return _mine(request, person, status=400, trip_form=form)
    trip_add(acting_user=None, person=person, details=form.details())
    return redirect("register:mine")


@enrolled
@require_POST
def trip_delete(request: HttpRequest, citizen: session.Citizen, pk: int) -> HttpResponse:
    trip = _person(citizen).trips.filter(pk=pk).first()
    if trip is None:
        raise Http404
    trip_remove(acting_user=None, trip=trip)
    return redirect("register:mine")


@enrolled
@require_POST
def contact_new(request: HttpRequest, citizen: session.Citizen) -> HttpResponse:
    person = _person(citizen)
    form = forms.ContactAddForm(request.POST)
    if form.is_valid():
        try:
            point = contact_point_add(
                acting_user=None,
                person=person,
                channel=form.cleaned_data["channel"],
                value=form.cleaned_data["value"],
            )
        except ValidationError as error:
            form.add_error("value", error.messages)
        else:
            status, reason = _verification_start(request, point)
            if status:
                return _mine(request, person, status=status, code_error=(point.pk, reason))
            return redirect("register:mine")
    return _mine(request, person, status=400, contact_form=form)


@enrolled
@require_POST
def contact_code(request: HttpRequest, citizen: session.Citizen, pk: int) -> HttpResponse:
    """Send a (new) code to one of my pending phone numbers or messaging addresses."""
    person = _person(citizen)
    point = _my_contact_point(person, pk)
    status, reason = _verification_start(request, point, new_code=True)
    if status:
        return _mine(request, person, status=status, code_error=(point.pk, reason))
    return redirect("register:mine")


@enrolled
@require_POST
def contact_confirm(request: HttpRequest, citizen: session.Citizen, pk: int) -> HttpResponse:
    """Verify one of my phone numbers or messaging addresses with the code it got."""
    person = _person(citizen)
    point = _my_contact_point(person, pk)
    form = forms.CodeForm(request.POST)
    if not form.is_valid():
        return _mine(request, person, status=400, code_error=(point.pk, form.error_text()))
    try:
        phone_code_confirm(contact_point=point, code=form.cleaned_data["code"])
    except CodeRefused as refused:
        return _mine(request, person, status=400, code_error=(point.pk, " ".join(refused.messages)))
    return redirect("register:mine")


@enrolled
@require_POST
def contact_delete(request: HttpRequest, citizen: session.Citizen, pk: int) -> HttpResponse:
    point = _my_contact_point(_person(citizen), pk)
    contact_point_remove(acting_user=None, contact_point=point)
    return redirect("register:mine")


@enrolled
@require_POST
def contact_up(request: HttpRequest, citizen: session.Citizen, pk: int) -> HttpResponse:
    """Move a contact point one place up in the order of preference."""
    person = _person(citizen)
    order = [point.pk for point in person.contact_points.all()]
    if pk not in order:
        raise Http404
    at = order.index(pk)
    if at > 0:
        order[at - 1], order[at] = order[at], order[at - 1]
        contact_points_reorder(acting_user=None, person=person, order=order)
    return redirect("register:mine")


@enrolled
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, citizen: session.Citizen) -> HttpResponse:
    """Delete my data: a confirmation page, then everything goes and the session ends."""
    person = _person(citizen)
    if request.method == "GET":
        return page(request, "people/enrolment/delete.html")
    registration_delete(person=person)
    session.sign_out(request)
    return page(request, "people/enrolment/deleted.html")
