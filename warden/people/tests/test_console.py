from __future__ import annotations

import pytest
from django.urls import reverse

from warden.audit.models import AuditEvent
from warden.people.tests.helpers import EMAIL, PHONE, contact, person, trip
from warden.testing.staff import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana():
    someone = person("Dana", "Levi", language="he")
    contact(someone, "email", EMAIL)
    contact(someone, "sms", PHONE)
    trip(someone, departure=None, city_geonameid=745044, is_resident=True)
    return someone


def test_it_finds_a_person_by_exact_email_or_phone_without_putting_it_in_a_url(cast, dana):
    client = verified_client(cast["dave"])
    url = reverse("console:people_home")

    by_email = client.post(url, {"channel": "email", "value": EMAIL.upper()})
    by_phone = client.post(url, {"channel": "sms", "value": "+972-54-321-1234"})
    nobody = client.post(url, {"channel": "email", "value": "other@example.org"})

    person_url = reverse("console:people_person", args=[dana.pk])
    assert person_url in by_email.content.decode()
    assert person_url in by_phone.content.decode()
    assert "Nobody is registered" in nobody.content.decode()
    assert "Dana" not in by_email.content.decode()  # names only on the audited page


def test_viewing_a_person_shows_their_data_and_is_audited(cast, dana):
    client = verified_client(cast["dave"])

    page = client.get(reverse("console:people_person", args=[dana.pk])).content.decode()

    assert "Dana Levi" in page and EMAIL in page and "+972543211234" in page
    assert "Istanbul" in page and "Lives there" in page
    event = AuditEvent.objects.get(action="people.person.view")
    assert (event.actor_id, event.object_id) == (cast["dave"].pk, str(dana.pk))
    assert "Dana" not in str(event.after) + event.summary + event.object_repr


def test_it_counts_people_by_country_and_city(cast, dana):
    client = verified_client(cast["frank"])

    home = client.get(reverse("console:people_home")).content.decode()
    city = client.get(reverse("console:people_country", args=["tr"])).content.decode()

    assert reverse("console:people_country", args=["TR"]) in home
    assert "Istanbul" in city


@pytest.mark.parametrize("name", ["alice", "bob", "erin", "mallory"])
def test_only_consular_officers_and_administrators_may_look(cast, dana, name):
    client = verified_client(cast[name])

    assert client.get(reverse("console:people_home")).status_code == 403
    assert client.get(reverse("console:people_person", args=[dana.pk])).status_code == 403
    assert not AuditEvent.objects.filter(action="people.person.view").exists()


def test_an_unknown_person_is_not_found(cast):
    client = verified_client(cast["dave"])

    assert client.get(reverse("console:people_person", args=[999])).status_code == 404
