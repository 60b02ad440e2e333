from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from warden.audit.models import AuditEvent
from warden.people.models import OPEN_ENDED, ContactPoint, Person, Trip
from warden.people.services import (
    PersonDetails,
    TripDetails,
    contact_point_add,
    contact_point_confirm,
    contact_point_verify,
    contact_points_reorder,
    organisation_create,
    person_create,
    person_delete,
    person_update,
    trip_remove,
    trip_update,
    verification_link,
    verification_send,
)
from warden.people.services.verification import verification_token
from warden.people.tests.helpers import EMAIL, PHONE, PHONE_E164, contact, person, trip

pytestmark = pytest.mark.django_db

ISTANBUL = 745044
ANKARA = 323786


def audit_text() -> str:
    return json.dumps(
        [
            [e.object_repr, e.summary, e.before, e.after]
            for e in AuditEvent.objects.filter(action__startswith="people.")
        ]
    )


def test_it_creates_a_person_with_encrypted_names_and_an_audit_row_without_them():
    dana = person("Dana", "Levi", language="he")

    dana.refresh_from_db()
    assert (dana.given_name, dana.family_name, dana.language) == ("Dana", "Levi", "he")
    assert str(dana) == f"Person #{dana.pk}"
    assert "Dana" not in repr(dana)
    assert AuditEvent.objects.filter(action="people.person.create", object_id=dana.pk).exists()
    assert "Dana" not in audit_text() and "Levi" not in audit_text()


def test_it_refuses_bad_details_field_by_field():
    with pytest.raises(ValidationError) as error:
        person_create(acting_user=None, details=PersonDetails(language="fr", kind="alien"))

    assert set(error.value.error_dict) == {"given_name", "language", "kind"}


def test_staff_need_the_people_role(cast):
    person_create(acting_user=cast["dave"], details=PersonDetails(given_name="Dana"))
    with pytest.raises(PermissionDenied):
        person_create(acting_user=cast["alice"], details=PersonDetails(given_name="Dana"))


def test_an_update_records_which_fields_changed_but_not_the_names():
    dana = person()

    person_update(
        acting_user=None, person=dana, details=PersonDetails("Dana", "Cohen", language="he")
    )

    event = AuditEvent.objects.get(action="people.person.update")
    assert event.after is not None
    assert event.after["changed"] == ["family_name", "language"]
    assert "Cohen" not in audit_text()


def test_deleting_a_person_removes_everything_of_theirs():
    dana = person()
    contact(dana)
    trip(dana)

    counts = person_delete(acting_user=None, person=dana)

    assert counts == {"contact_points": 1, "trips": 1}
    assert not Person.objects.exists()
    assert not ContactPoint.objects.exists()
    assert not Trip.objects.exists()
    assert AuditEvent.objects.get(action="people.person.delete").after == counts


def test_contact_points_are_validated_normalised_and_ordered():
    dana = person()
    email = contact(dana, "email", "Dana.Levi@Example.org")
    phone = contact(dana, "sms", PHONE)

    assert (email.priority, phone.priority) == (1, 2)
    assert email.value == EMAIL
    assert ContactPoint.objects.get(pk=phone.pk).value == PHONE_E164
    assert email.state == ContactPoint.State.PENDING
    with pytest.raises(ValidationError, match="registered for this person already"):
        contact(dana, "email", EMAIL.upper())
    with pytest.raises(ValidationError, match="country code"):
        contact(dana, "sms", "054 321 1234")

    contact_points_reorder(acting_user=None, person=dana, order=[phone.pk, email.pk])
    assert list(dana.contact_points.values_list("channel", flat=True)) == ["sms", "email"]
    with pytest.raises(ValidationError):
        contact_points_reorder(acting_user=None, person=dana, order=[phone.pk])


def test_the_same_email_may_belong_to_two_people_of_a_family():
    contact(person("Dana"))
    contact(person("Noa"))

    assert ContactPoint.objects.count() == 2


def test_an_email_is_verified_through_its_link(client: Client):
    dana = person(language="he")
    email = contact(dana)

    with pytest.raises(ValueError):
        verification_link(contact(dana, "sms", PHONE))
    link = verification_link(email)
    assert link.startswith("http") and "/he/people/verify/" in link
    assert EMAIL not in link
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    assert ContactPoint.objects.get(pk=email.pk).state == ContactPoint.State.PENDING

    assert client.post("/" + path).status_code == 200
    email.refresh_from_db()
    assert email.is_verified and email.verification_method == "link"


def test_a_verification_link_expires_and_dies_with_its_address(settings):
    email = contact(person())
    token = verification_token(email)

    settings.WARDEN_VERIFICATION_LINK_HOURS = -1
    with pytest.raises(ValidationError, match="expired"):
        contact_point_confirm(token=token)
    settings.WARDEN_VERIFICATION_LINK_HOURS = 72
    with pytest.raises(ValidationError, match="not valid"):
        contact_point_confirm(token=token + "x")
    email.delete()
    with pytest.raises(ValidationError, match="no longer registered"):
        contact_point_confirm(token=token)


def test_the_verification_mail_leaves_after_commit_in_the_persons_language(
    django_capture_on_commit_callbacks,
):
    email = contact(person(language="he"))

    with django_capture_on_commit_callbacks(execute=True):
        verification_send(contact_point=email)

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]
    assert "/he/people/verify/" in mail.outbox[0].body


def test_staff_may_vouch_for_a_phone_until_sms_codes_exist(cast):
    phone = contact(person(), "sms", PHONE)

    contact_point_verify(acting_user=cast["dave"], contact_point=phone, method="staff")

    assert phone.is_verified and phone.verification_method == "staff"
    with pytest.raises(ValueError):
        contact_point_verify(
            acting_user=None, contact_point=contact(person(), "sms", PHONE), method="staff"
        )


def test_a_trip_stores_its_city_and_day_bounds():
    dana = person()

    stay = trip(
        dana,
        arrival=date(2023, 10, 10),
        departure=date(2023, 10, 20),
        city_geonameid=ISTANBUL,
        subdivision="TR-34",
    )

    assert stay.arrival == datetime(2023, 10, 10, tzinfo=UTC)
    assert stay.departure == stay.until == datetime(2023, 10, 21, tzinfo=UTC)
    assert (stay.city_name, stay.subdivision_id) == ("Istanbul", "TR-34")
    assert stay.latitude == pytest.approx(41.01, abs=0.1)
    dana.refresh_from_db()
    assert dana.last_departure == stay.departure and not dana.open_ended


def test_a_resident_stays_open_ended():
    dana = person()

    home = trip(dana, departure=None, is_resident=True)

    assert home.until == OPEN_ENDED and home.is_open_ended
    dana.refresh_from_db()
    assert dana.open_ended


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"departure": date(2023, 10, 1)}, "departure"),
        ({"subdivision": "IL-TA"}, "subdivision"),
        ({"city_geonameid": 293397}, "city_geonameid"),  # Tel Aviv is not in Turkey
        ({"latitude": 41.0}, "latitude"),
        ({"latitude": 91.0, "longitude": 0.0}, "latitude"),
        ({"companions": 120}, "companions"),
    ],
)
def test_a_bad_trip_names_its_field(extra, field):
    with pytest.raises(ValidationError) as error:
        trip(person(), **extra)

    assert field in error.value.error_dict
    assert not Trip.objects.exists()


def test_updating_and_removing_trips_keeps_the_last_departure():
    dana = person()
    first = trip(dana)
    later = trip(dana, arrival=date(2024, 1, 1), departure=date(2024, 1, 5))

    trip_update(
        acting_user=None,
        trip=first,
        details=TripDetails(
            country="TR", arrival=date(2023, 10, 10), departure=None, is_resident=True
        ),
    )
    dana.refresh_from_db()
    assert dana.open_ended
    trip_remove(acting_user=None, trip=first)
    dana.refresh_from_db()
    assert not dana.open_ended
    assert dana.last_departure == later.departure
    assert AuditEvent.objects.get(action="people.trip.update").after["changed"]


def test_organisations_are_created_by_staff(cast):
    org = organisation_create(acting_user=cast["frank"], name="Acme", kind="company")

    assert str(org) == "Acme"
    with pytest.raises(ValidationError):
        organisation_create(acting_user=cast["frank"], name="Acme", kind="company")
    with pytest.raises(PermissionDenied):
        organisation_create(acting_user=cast["erin"], name="Other", kind="ngo")


def test_consent_time_is_recorded():
    given = datetime.now(UTC) - timedelta(days=2)

    point = contact_point_add(
        acting_user=None, person=person(), channel="email", value=EMAIL, consent_at=given
    )

    assert point.consent_at == given
