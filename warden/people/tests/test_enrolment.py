"""Self-service enrolment on the public site: magic link, wizard, my registration, delete."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.db import connection
from django.http.response import HttpResponseBase
from django.test import Client, TestCase
from django.urls import reverse

from warden.audit.models import AuditEvent
from warden.people.enrolment import links
from warden.people.models import ContactPoint, Person, PhoneCode, RateCounter, SignInLink, Trip
from warden.people.tests.helpers import EMAIL, contact, person

pytestmark = pytest.mark.django_db

NEW_EMAIL = "noa.cohen@example.org"
PHONE = "+972 54 321 1234"


def ask_link(client: Client, email: str):
    """Ask for a link; the mail goes out when the (test's) transaction would commit."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("register:start"), {"email": email})


def link_in_mail(to: str) -> str:
    message = next(m for m in reversed(mail.outbox) if m.to == [to])
    match = re.search(r"https?://\S+", str(message.body))
    assert match is not None
    return match.group(0)


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def sign_in(client: Client, email: str) -> str:
    with_link = ask_link(client, email)
    assert with_link.status_code == 302
    path = path_of(link_in_mail(email))
    assert client.get(path).status_code == 200
    return path


def location(response: HttpResponseBase) -> str:
    return str(response["Location"])


def enrol(client: Client, email: str = NEW_EMAIL) -> Person:
    path = sign_in(client, email)
    assert location(client.post(path)) == reverse("register:who")
    who = {"given_name": "Noa", "family_name": "Cohen", "kind": "citizen", "language": "en"}
    assert location(client.post(reverse("register:who"), who)) == reverse("register:where")
    trip = {"country": "TR", "city": "Istanbul", "arrival": "2030-05-01", "departure": "2030-05-20"}
    assert location(client.post(reverse("register:where"), {**trip, "next": "1"})) == reverse(
        "register:how"
    )
    how = {"phone": PHONE, "messaging": "", "first": "sms"}
    assert location(client.post(reverse("register:how"), how)) == reverse("register:consent")
    assert location(client.post(reverse("register:consent"), {"consent": "on"})) == reverse(
        "register:mine"
    )
    return Person.objects.get()


def test_the_whole_enrolment_creates_the_person_their_trip_and_contact_points(client):
    enrolled = enrol(client)

    assert enrolled.full_name == "Noa Cohen"
    trip = Trip.objects.get(person=enrolled)
    assert (trip.country_id, trip.city_name) == ("TR", "Istanbul")
    points = list(enrolled.contact_points.order_by("priority"))
    assert [(p.channel, p.state) for p in points] == [
        ("sms", ContactPoint.State.PENDING),
        ("email", ContactPoint.State.VERIFIED),
    ]
    assert points[1].value == NEW_EMAIL and points[1].verification_method == "link"
    assert all(p.consent_at is not None for p in points)
    page = client.get(reverse("register:mine"))
    assert "Noa" in page.content.decode() and "Istanbul" in page.content.decode()


def test_personal_data_is_encrypted_in_the_database(client):
    enrol(client)

    with connection.cursor() as cursor:
        cursor.execute("SELECT given_name, family_name FROM people_person")
        rows = cursor.fetchall()
        cursor.execute("SELECT value FROM people_contactpoint")
        rows += cursor.fetchall()
        cursor.execute("SELECT email FROM people_signinlink")
        rows += cursor.fetchall()
        cursor.execute("SELECT session_data FROM django_session")
        sessions = " ".join(row[0] for row in cursor.fetchall())
    dump = " ".join(str(value) for row in rows for value in row) + sessions
    assert "Noa" not in dump and "Cohen" not in dump
    assert NEW_EMAIL not in dump and "543211234" not in dump


def test_pages_are_private_and_never_cached(client):
    response = client.get(reverse("register:start"))
    cache_control = response.headers["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()


def test_the_link_carries_no_address():
    ask_link(Client(), NEW_EMAIL)
    token = link_in_mail(NEW_EMAIL).rstrip("/").rsplit("/", 1)[1]
    # The payload is the link's id and nothing else; the rest is a timestamp and an HMAC
    # (random letters, which may spell anything, so they are not searched for the address).
    payload, _timestamp, _signature = token.split(":")
    assert json.loads(signing.b64_decode(payload.encode())) == {"l": SignInLink.objects.get().pk}


def test_a_link_works_once(client):
    path = sign_in(client, NEW_EMAIL)
    assert client.post(path).status_code == 302

    replayed = Client().post(path)

    assert replayed.status_code == 400
    assert "used already" in replayed.content.decode()


def test_a_tampered_link_is_refused(client):
    path = sign_in(client, NEW_EMAIL)
    token = path.rstrip("/").rsplit("/", 1)[1]
    other = SignInLink.objects.get().pk + 1
    forged = signing.TimestampSigner(salt="another purpose").sign_object({"l": other})
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        response = client.post(reverse("register:sign_in", args=[bad]))
        assert response.status_code == 400
        assert "not valid" in response.content.decode()


def test_an_expired_link_is_refused(client, settings):
    path = sign_in(client, NEW_EMAIL)
    settings.WARDEN_SIGN_IN_LINK_MINUTES = -1

    response = client.post(path)

    assert response.status_code == 400
    assert "expired" in response.content.decode()


def test_a_known_address_and_an_unknown_one_get_the_same_answer(client):
    someone = person()
    contact(someone, "email", EMAIL)

    known = ask_link(Client(), EMAIL)
    unknown = ask_link(Client(), "nobody@example.org")

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    page_known = Client().get(known.url).content.decode()
    page_unknown = Client().get(unknown.url).content.decode()
    assert page_known.replace(EMAIL, "") == page_unknown


def test_a_known_address_signs_in_to_my_registration_and_is_verified(client):
    someone = person()
    point = contact(someone, "email", EMAIL)
    path = sign_in(client, EMAIL)
    old_session = client.session.session_key

    response = client.post(path)

    assert response.url == reverse("register:mine")
    assert client.session.session_key != old_session  # rotated
    point.refresh_from_db()
    assert point.is_verified
    assert "Dana" in client.get(reverse("register:mine")).content.decode()


def test_the_citizen_session_is_not_a_staff_login(client):
    enrol(client)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("console:home")).status_code == 302


def test_the_citizen_session_expires(client, settings):
    enrol(client)
    session = client.session
    session["warden_citizen_until"] = 0
    session.save()

    assert client.get(reverse("register:mine")).url == reverse("register:start")


def test_links_are_rate_limited_per_address(client, settings):
    settings.WARDEN_SIGN_IN_RATE_PER_EMAIL = 2
    answers = [ask_link(Client(REMOTE_ADDR=f"10.0.0.{n}"), NEW_EMAIL).status_code for n in range(3)]

    assert answers == [302, 302, 429]
    assert len(mail.outbox) == 2
    assert NEW_EMAIL not in str(list(RateCounter.objects.values_list("key", flat=True)))


def test_links_are_rate_limited_per_ip_address(client, settings):
    settings.WARDEN_SIGN_IN_RATE_PER_IP = 2
    answers = [ask_link(client, f"person{n}@example.org").status_code for n in range(3)]

    assert answers == [302, 302, 429]


def test_an_invalid_address_is_reported_on_the_form(client):
    response = ask_link(client, "not an address")
    assert response.status_code == 200
    assert "Enter a valid email address" in response.content.decode()


def test_the_wizard_reports_bad_trips(client):
    path = sign_in(client, NEW_EMAIL)
    client.post(path)
    client.post(reverse("register:who"), {"given_name": "Noa", "kind": "citizen", "language": "en"})

    response = client.post(
        reverse("register:where"),
        {"country": "TR", "city": "Atlantis", "arrival": "2030-05-20", "departure": "2030-05-01"},
    )

    page = response.content.decode()
    assert "We do not know this city" in page
    assert "departure is before the arrival" in page


def test_consent_is_required(client):
    path = sign_in(client, NEW_EMAIL)
    client.post(path)
    client.post(reverse("register:who"), {"given_name": "Noa", "kind": "citizen", "language": "en"})
    client.post(reverse("register:where"), {"country": "GR", "arrival": "2030-05-01", "next": "1"})
    client.post(reverse("register:how"), {"first": "email"})

    response = client.post(reverse("register:consent"), {})

    assert response.status_code == 200
    assert not Person.objects.exists()


def test_my_registration_edits_each_part(client):
    enrolled = enrol(client)
    trip = enrolled.trips.get()

    client.post(
        reverse("register:mine_who"),
        {"given_name": "Noa", "family_name": "Levi", "kind": "citizen", "language": "he"},
    )
    client.post(
        reverse("register:trip_add"),
        {"country": "GR", "arrival": "2030-06-01", "is_resident": "on"},
    )
    client.post(reverse("register:trip_remove", args=[trip.pk]))
    client.post(
        reverse("register:contact_add"),
        {"channel": "messaging", "value": "tgram://123456:abcdef/987654"},
    )
    email = enrolled.contact_points.get(channel="email")
    client.post(reverse("register:contact_up", args=[email.pk]))
    sms = enrolled.contact_points.get(channel="sms")
    client.post(reverse("register:contact_remove", args=[sms.pk]))

    enrolled.refresh_from_db()
    assert (enrolled.family_name, enrolled.language) == ("Levi", "he")
    assert list(enrolled.trips.values_list("country_id", "is_resident")) == [("GR", True)]
    assert [p.channel for p in enrolled.contact_points.order_by("priority")] == [
        "email",
        "messaging",
    ]


def test_someone_else_s_trip_cannot_be_removed(client):
    enrol(client)
    other = person("Other", "Person")
    from warden.people.tests.helpers import trip

    theirs = trip(other)
    assert client.post(reverse("register:trip_remove", args=[theirs.pk])).status_code == 404
    assert Trip.objects.filter(pk=theirs.pk).exists()


def test_delete_my_data_removes_everything_and_signs_out(client):
    enrolled = enrol(client)
    assert client.get(reverse("register:delete")).status_code == 200

    response = client.post(reverse("register:delete"))

    assert response.status_code == 200
    assert not Person.objects.exists()
    assert not ContactPoint.objects.exists() and not Trip.objects.exists()
    assert not SignInLink.objects.exists()
    event = AuditEvent.objects.get(action="people.person.delete")
    assert event.object_id == str(enrolled.pk)
    recorded = f"{event.before} {event.after} {event.summary} {event.object_repr}"
    assert "Noa" not in recorded and NEW_EMAIL not in recorded
    assert client.get(reverse("register:mine")).url == reverse("register:start")


def test_old_links_are_purged():
    ask_link(Client(), NEW_EMAIL)
    SignInLink.objects.update(created_at=SignInLink.objects.get().created_at - timedelta(days=2))

    assert links.links_purge() == 1


def test_the_hebrew_pages_read_right_to_left(client):
    enrol(client)
    page = client.get("/he/register/mine/").content.decode()
    assert 'dir="rtl"' in page


def _code_of(point: ContactPoint) -> str:
    return PhoneCode.objects.get(contact_point=point).code


def test_a_phone_given_at_enrolment_gets_a_code_and_typing_it_verifies_the_phone(client):
    enrolled = enrol(client)
    phone = enrolled.contact_points.get(channel="sms")
    page = client.get(reverse("register:mine")).content.decode()
    assert "A code is on its way" in page
    assert reverse("register:contact_confirm", args=[phone.pk]) in page

    response = client.post(
        reverse("register:contact_confirm", args=[phone.pk]), {"code": _code_of(phone)}
    )

    assert location(response) == reverse("register:mine")
    phone.refresh_from_db()
    assert phone.state == ContactPoint.State.VERIFIED and phone.verification_method == "code"
    page = client.get(reverse("register:mine")).content.decode()
    assert reverse("register:contact_confirm", args=[phone.pk]) not in page


def test_a_wrong_or_malformed_code_is_refused_on_the_page(client):
    enrolled = enrol(client)
    phone = enrolled.contact_points.get(channel="sms")
    right = _code_of(phone)
    url = reverse("register:contact_confirm", args=[phone.pk])

    wrong = client.post(url, {"code": f"{(int(right) + 1) % 10**6:06d}"})
    malformed = client.post(url, {"code": "12ab"})

    assert wrong.status_code == 400
    assert "This code is not the one we sent." in wrong.content.decode()
    assert 'aria-invalid="true"' in wrong.content.decode()
    assert malformed.status_code == 400
    assert "Type the six digits of the code." in malformed.content.decode()
    assert PhoneCode.objects.get(contact_point=phone).wrong == 1  # the malformed one is no try
    phone.refresh_from_db()
    assert phone.state == ContactPoint.State.PENDING


def test_a_new_code_can_be_asked_for_a_few_times_an_hour(client):
    enrolled = enrol(client)  # the first code
    phone = enrolled.contact_points.get(channel="sms")
    url = reverse("register:contact_code", args=[phone.pk])
    assert location(client.post(url)) == reverse("register:mine")
    assert location(client.post(url)) == reverse("register:mine")
    assert PhoneCode.objects.filter(contact_point=phone).count() == 1
    last = PhoneCode.objects.get(contact_point=phone).pk
    refused = client.post(url)
    assert refused.status_code == 429
    assert "Too many codes were asked for" in refused.content.decode()
    assert PhoneCode.objects.get(contact_point=phone).pk == last  # the last code still holds
    email = enrolled.contact_points.get(channel="email")
    refused = client.post(reverse("register:contact_code", args=[email.pk]))
    assert refused.status_code == 400  # its link verified it; it takes no code
    assert not PhoneCode.objects.filter(contact_point=email).exists()


def test_an_added_phone_gets_a_code_and_someone_else_s_cannot_be_used(client):
    enrolled = enrol(client)
    client.post(reverse("register:contact_add"), {"channel": "sms", "value": "+30 691 234 5678"})
    added = enrolled.contact_points.get(channel="sms", priority__gt=1)
    assert PhoneCode.objects.filter(contact_point=added).exists()
    theirs = contact(person("Other", "Person"), "sms", "+30 691 234 5679")
    assert client.post(reverse("register:contact_code", args=[theirs.pk])).status_code == 404
    confirm = reverse("register:contact_confirm", args=[theirs.pk])
    assert client.post(confirm, {"code": "123456"}).status_code == 404
    assert not PhoneCode.objects.filter(contact_point=theirs).exists()
