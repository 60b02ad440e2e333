"""Self-service registration: sign in by emailed link, then read and change "my registration".

``POST /registration/link`` mails a link (202, whether or not the address is registered);
the token is the last path segment of that link. ``POST /registration/token`` exchanges it,
once, for a short-lived bearer token. Every other operation needs that token
(``Authorization: Bearer …``) and answers 401 without it. Nothing here is cached.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone, translation
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from warden.api.v1.schemas import Error, ValidationErrorOut
from warden.people.enrolment.links import RateLimited, sign_in_link_request, sign_in_link_use
from warden.people.enrolment.services import enrolment_complete, registration_delete
from warden.people.enrolment.session import Citizen
from warden.people.enrolment.tokens import bearer_issue, bearer_resolve
from warden.people.models import ContactPoint, Person, Trip
from warden.people.selectors import person_with_details
from warden.people.services import (
    CodeRefused,
    PersonDetails,
    TripDetails,
    contact_point_add,
    contact_point_remove,
    person_update,
    phone_code_confirm,
    phone_code_request,
    trip_add,
    trip_remove,
    verification_start,
)

router = Router(tags=["registration"])

ChannelIn = Literal["email", "sms", "messaging"]
KindIn = Literal["citizen", "employee", "family_member"]
BIGINT_MAX = 2**63 - 1


class CitizenBearer(HttpBearer):
    """A bearer token from ``POST /registration/token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Citizen | None:
        return bearer_resolve(token)


AUTH = CitizenBearer()


# --- Schemas ------------------------------------------------------------------------------


class LinkIn(Schema):
    # ``\s`` differs between ECMAScript (the schema's readers: U+FEFF, not U+0085) and the
    # Rust engine that validates it (U+0085, not U+FEFF): name both so that all agree.
    email: str = Field(
        max_length=320,
        pattern=r"^[^@\s\u0085\ufeff]+@[^@\s\u0085\ufeff]+$",
        description="Where to send the link.",
    )


class Accepted(Schema):
    detail: str


class TokenIn(Schema):
    token: str = Field(max_length=500, description="The last path segment of the link.")


class TokenOut(Schema):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_at: datetime
    enrolled: bool = Field(description="False: complete the registration with PUT.")


class TripIn(Schema):
    country: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2.")
    subdivision: str | None = Field(None, max_length=10, description="ISO 3166-2.")
    city_geonameid: int | None = Field(None, ge=1, le=2**31 - 1)
    arrival: date
    departure: date | None = Field(None, description="None: open-ended (residents).")
    is_resident: bool = False


class TripOut(Schema):
    id: int
    country: str
    subdivision: str | None
    city_geonameid: int | None
    city_name: str
    arrival: datetime
    departure: datetime | None
    is_resident: bool


class ContactIn(Schema):
    channel: ChannelIn
    value: str = Field(min_length=1, max_length=500)


class ContactOut(Schema):
    id: int
    channel: str
    value: str
    priority: int
    state: str
    consent_at: datetime


class CodeIn(Schema):
    code: str = Field(min_length=1, max_length=20, description="The six digits that were sent.")


class CodeOut(Schema):
    detail: str
    expires_at: datetime = Field(description="When the code stops working.")


class RegistrationIn(Schema):
    given_name: str = Field("", max_length=200)
    family_name: str = Field("", max_length=200)
    kind: KindIn = "citizen"
    language: str = Field("en", max_length=8)
    consent: bool = Field(
        False, description="Required (true) to create the registration: consent to be contacted."
    )
    trips: list[TripIn] = Field(default_factory=list, max_length=20, description="On creation.")
    contact_points: list[ContactIn] = Field(
        default_factory=list,
        max_length=9,
        description="On creation, in order of preference; the signed-in email comes first.",
    )


class RegistrationOut(Schema):
    id: int
    given_name: str
    family_name: str
    kind: str
    language: str
    trips: list[TripOut]
    contact_points: list[ContactOut]


# --- Helpers ------------------------------------------------------------------------------


def _unprocessable(error: ValidationError, prefix: str = "body") -> JsonResponse:
    pairs = (
        [(name, m) for name, messages in error.message_dict.items() for m in messages]
        if hasattr(error, "error_dict")
        else [("__all__", m) for m in error.messages]
    )
    items = [{"loc": [prefix, name], "msg": str(msg), "type": "value_error"} for name, msg in pairs]
    where = "; ".join(f"{name}: {msg}" for name, msg in pairs)
    return JsonResponse({"detail": f"Invalid request. {where}", "errors": items}, status=422)


def _citizen(request: HttpRequest) -> Citizen:
    who = request.auth  # type: ignore[attr-defined]
    assert isinstance(who, Citizen)
    return who


def _person(request: HttpRequest) -> Person:
    who = _citizen(request)
    person = person_with_details(who.person.pk) if who.person else None
    if person is None:
        raise HttpError(404, "Not registered yet: complete the registration with PUT.")
    return person


def _trip_out(trip: Trip) -> TripOut:
    return TripOut(
        id=trip.pk, country=trip.country_id, subdivision=trip.subdivision_id,
        city_geonameid=trip.city_geonameid, city_name=trip.city_name, arrival=trip.arrival,
        departure=trip.departure, is_resident=trip.is_resident,
    )  # fmt: skip


def _contact_out(point: ContactPoint) -> ContactOut:
    return ContactOut(
        id=point.pk, channel=point.channel, value=point.value, priority=point.priority,
        state=point.state, consent_at=point.consent_at,
    )  # fmt: skip


def _registration_out(person: Person) -> RegistrationOut:
    return RegistrationOut(
        id=person.pk, given_name=person.given_name, family_name=person.family_name,
        kind=person.kind, language=person.language,
        trips=[_trip_out(t) for t in person.trips.all()],
        contact_points=[_contact_out(c) for c in person.contact_points.all()],
    )  # fmt: skip


def _verification_start(request: HttpRequest, points: Sequence[ContactPoint]) -> None:
    """Start verifying contact points just given (``verification_start``); a code refused
    for too many asked for is asked for again with ``…/code``."""
    for point in points:
        try:
            verification_start(contact_point=point, ip=request.META.get("REMOTE_ADDR", ""))
        except ValidationError:
            continue


def _my_contact_point(request: HttpRequest, contact_point_id: int) -> ContactPoint:
    person = _person(request)
    point = (
        person.contact_points.filter(pk=contact_point_id).first()
        if contact_point_id <= BIGINT_MAX
        else None
    )
    if point is None:
        raise HttpError(404, f"You have no contact point {contact_point_id}.")
    return point


def _trip_details(trip: TripIn) -> TripDetails:
    return TripDetails(
        country=trip.country, subdivision=trip.subdivision, city_geonameid=trip.city_geonameid,
        arrival=trip.arrival, departure=trip.departure, is_resident=trip.is_resident,
    )  # fmt: skip


def _details(data: RegistrationIn) -> PersonDetails:
    return PersonDetails(
        given_name=data.given_name,
        family_name=data.family_name,
        language=data.language,
        kind=data.kind,
    )


# --- Sign in -----------------------------------------------------------------------------


@router.post(
    "/registration/link",
    response={202: Accepted, 400: Error, 422: ValidationErrorOut, 429: Error},
    url_name="registration-link",
    summary="Mail a sign-in link",
)
def link_request(request: HttpRequest, data: LinkIn) -> Any:
    """Always 202, registered or not (an address that is not one gets no mail); 429 when
    asked too often."""
    try:
        sign_in_link_request(
            email=data.email,
            ip=request.META.get("REMOTE_ADDR", ""),
            language=translation.get_language() or "en",
        )
    except ValidationError:
        pass
    except RateLimited:
        return Status(429, Error(detail="Too many links were asked for. Try again in an hour."))
    return Status(202, Accepted(detail="If the address is valid, a sign-in link is on its way."))


@router.post(
    "/registration/token",
    response={200: TokenOut, 400: Error, 401: Error, 422: ValidationErrorOut},
    url_name="registration-token",
    summary="Exchange a sign-in link's token for a bearer token",
)
def token_exchange(request: HttpRequest, data: TokenIn) -> Any:
    """The link works once; 401 when it is invalid, expired or used."""
    try:
        signed = sign_in_link_use(token=data.token)
    except ValidationError as error:
        return Status(401, Error(detail=" ".join(error.messages)))
    bearer = bearer_issue(signed)
    out = TokenOut(
        access_token=bearer.token, expires_at=bearer.expires_at, enrolled=signed.person is not None
    )
    return Status(200, out)


# --- My registration -------------------------------------------------------------------

# 400: a body that is not JSON.
AUTHED = {400: Error, 401: Error, 404: Error, 422: ValidationErrorOut}


@router.get(
    "/registration",
    auth=AUTH,
    response={200: RegistrationOut, **AUTHED},
    url_name="registration",
    summary="My registration",
)
def registration_get(request: HttpRequest) -> Any:
    return Status(200, _registration_out(_person(request)))


@router.put(
    "/registration",
    auth=AUTH,
    response={200: RegistrationOut, **AUTHED},
    url_name="registration-put",
    summary="Create or update my registration",
)
def registration_put(request: HttpRequest, data: RegistrationIn) -> Any:
    """First time: creates the person with ``trips`` and ``contact_points`` (needs
    ``consent``). Later: updates the name, kind and language only."""
    who = _citizen(request)
    try:
        if who.person is not None:
            person_update(acting_user=None, person=who.person, details=_details(data))
            return Status(200, _registration_out(_person(request)))
        if not data.consent:
            raise ValidationError({"consent": ["Consent is needed to register."]})
        assert who.link is not None
        person = enrolment_complete(
            link=who.link,
            details=_details(data),
            trips=[_trip_details(t) for t in data.trips],
            contacts=[(c.channel, c.value) for c in data.contact_points],
            consent_at=timezone.now(),
        )
    except ValidationError as error:
        return _unprocessable(error)
    found = person_with_details(person.pk)
    assert found is not None
    _verification_start(request, list(found.contact_points.all()))
    return Status(200, _registration_out(found))


@router.delete(
    "/registration",
    auth=AUTH,
    response={204: None, 401: Error, 404: Error},
    url_name="registration-delete",
    summary="Delete my data",
)
def registration_remove(request: HttpRequest) -> Any:
    registration_delete(person=_person(request))
    return Status(204, None)


@router.post(
    "/registration/trips",
    auth=AUTH,
    response={201: TripOut, **AUTHED},
    url_name="registration-trips",
    summary="Add a trip",
)
def trip_create(request: HttpRequest, data: TripIn) -> Any:
    try:
        trip = trip_add(acting_user=None, person=_person(request), details=_trip_details(data))
    except ValidationError as error:
        return _unprocessable(error)
    return Status(201, _trip_out(trip))


@router.delete(
    "/registration/trips/{trip_id}",
    auth=AUTH,
    response={204: None, 401: Error, 404: Error, 422: ValidationErrorOut},
    url_name="registration-trip",
    summary="Remove a trip",
)
def trip_delete(request: HttpRequest, trip_id: int) -> Any:
    trip = _person(request).trips.filter(pk=trip_id).first() if trip_id <= BIGINT_MAX else None
    if trip is None:
        raise HttpError(404, f"You have no trip {trip_id}.")
    trip_remove(acting_user=None, trip=trip)
    return Status(204, None)


@router.post(
    "/registration/contact-points",
    auth=AUTH,
    response={201: ContactOut, **AUTHED},
    url_name="registration-contact-points",
    summary="Add a way to reach me (pending until verified)",
)
def contact_create(request: HttpRequest, data: ContactIn) -> Any:
    try:
        point = contact_point_add(
            acting_user=None, person=_person(request), channel=data.channel, value=data.value
        )
    except ValidationError as error:
        return _unprocessable(error)
    _verification_start(request, [point])
    return Status(201, _contact_out(point))


@router.post(
    "/registration/contact-points/{contact_point_id}/code",
    auth=AUTH,
    response={202: CodeOut, 429: Error, **AUTHED},
    url_name="registration-contact-point-code",
    summary="Send a new code to a phone number or messaging address",
)
def contact_code(request: HttpRequest, contact_point_id: int) -> Any:
    """A code is sent when a phone number or messaging address is added; this sends a new
    one (the one before stops working). 429 after three an hour for a number, or ten from
    one IP address; 422 for an email address (its link verifies it) or a verified one."""
    point = _my_contact_point(request, contact_point_id)
    try:
        code = phone_code_request(contact_point=point, ip=request.META.get("REMOTE_ADDR", ""))
    except ValidationError as error:
        if error.code == "throttled":
            return Status(429, Error(detail=" ".join(error.messages)))
        return _unprocessable(error)
    return Status(202, CodeOut(detail="A code is on its way.", expires_at=code.expires_at))


@router.post(
    "/registration/contact-points/{contact_point_id}/verify",
    auth=AUTH,
    response={200: ContactOut, **AUTHED},
    url_name="registration-contact-point-verify",
    summary="Verify a phone number or messaging address with the code it got",
)
def contact_verify(request: HttpRequest, contact_point_id: int, data: CodeIn) -> Any:
    """422 when the code is wrong (five wrong ones end it), expired or was never sent."""
    point = _my_contact_point(request, contact_point_id)
    try:
        verified = phone_code_confirm(contact_point=point, code=data.code)
    except CodeRefused as refused:
        return _unprocessable(ValidationError({"code": refused.messages}))
    return Status(200, _contact_out(verified))


@router.delete(
    "/registration/contact-points/{contact_point_id}",
    auth=AUTH,
    response={204: None, 401: Error, 404: Error, 422: ValidationErrorOut},
    url_name="registration-contact-point",
    summary="Remove a way to reach me",
)
def contact_delete(request: HttpRequest, contact_point_id: int) -> Any:
    point = _my_contact_point(request, contact_point_id)
    contact_point_remove(acting_user=None, contact_point=point)
    return Status(204, None)
