"""Writes to the registry of people abroad. Every function is keyword-only, runs in one
transaction and writes one audit event without personal data.

``acting_user`` is a staff user, who needs the role for ``people.manage`` (or
``people.import``), or ``None`` for the person acting on their own record (the enrolment
pages, after the person has signed in with their magic link) and for the system (seeding,
the retention purge). Views that pass ``None`` must have checked the person's session.

Enrolment in a few calls::

    person = person_create(acting_user=None, details=PersonDetails(
        given_name="Dana", family_name="Levi", language="he"))
    email = contact_point_add(acting_user=None, person=person, channel="email",
                              value="dana@example.org")
    verification_send(contact_point=email)          # mails the link after commit
    phone = contact_point_add(acting_user=None, person=person, channel="sms",
                              value="+972501234567")
    phone_code_request(contact_point=phone, ip=ip)  # the worker texts it a code
    trip_add(acting_user=None, person=person, details=TripDetails(
        country="TR", city_geonameid=745044, arrival=date(2023, 10, 10),
        departure=date(2023, 10, 20)))
    ...
    contact_point_confirm(token=token_from_the_link)  # the link's view
    phone_code_confirm(contact_point=phone, code="123456")  # the code typed in
    person_delete(acting_user=None, person=person)    # "delete my data"
"""

from __future__ import annotations

from warden.people.services.codes import CodeRefused, phone_code_confirm, phone_code_request
from warden.people.services.contact_points import (
    contact_point_add,
    contact_point_remove,
    contact_point_verify,
    contact_points_reorder,
)
from warden.people.services.persons import (
    PersonDetails,
    organisation_create,
    person_create,
    person_delete,
    person_update,
)
from warden.people.services.trips import TripDetails, trip_add, trip_remove, trip_update
from warden.people.services.verification import (
    contact_point_confirm,
    verification_link,
    verification_send,
    verification_start,
)

__all__ = [
    "CodeRefused",
    "PersonDetails",
    "TripDetails",
    "contact_point_add",
    "contact_point_confirm",
    "contact_point_remove",
    "contact_point_verify",
    "contact_points_reorder",
    "organisation_create",
    "person_create",
    "person_delete",
    "person_update",
    "phone_code_confirm",
    "phone_code_request",
    "trip_add",
    "trip_remove",
    "trip_update",
    "verification_link",
    "verification_send",
    "verification_start",
]
