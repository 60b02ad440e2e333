"""Unreachable, missing and deceased: recorded only by officers, counted apart, exported
with their PFIF meaning."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from lxml import etree

from warden.testing.staff import verified_client
from warden.welfare.exports import PFIF_NS
from warden.welfare.models import Case, WelfareEvent
from warden.welfare.selectors import round_counts
from warden.welfare.services import answer_record, officer_answer_record, round_open
from warden.welfare.tests.helpers import details, present

pytestmark = pytest.mark.django_db
NS = {"pfif": PFIF_NS}


@pytest.mark.parametrize("status", ["unreachable", "missing", "deceased"])
@pytest.mark.parametrize("channel", ["link", "sms", "web", "api"])
def test_people_cannot_answer_an_officer_only_status(turkey, status, channel):
    dana = present("Dana", email="dana@example.org")
    with pytest.raises(ValidationError):
        answer_record(person=dana, status=status, channel=channel)
    assert not WelfareEvent.objects.exists()


def test_officer_statuses_are_counted_apart_and_missing_opens_a_case(turkey, dave):
    dana = present("Dana", email="dana@example.org")
    eli = present("Eli", email="eli@example.org")
    far = present("Far", email="far@example.org")
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    officer_answer_record(acting_user=dave, person=dana, status="missing", note="No contact")
    officer_answer_record(acting_user=dave, person=eli, status="unreachable")
    answer_record(person=far, status="safe", channel="link")
    counts = round_counts(checkin)
    assert (counts.safe, counts.other, counts.no_answer) == (1, 2, 0)
    case = Case.objects.get()
    assert case.person_id == dana.pk


def test_pfif_says_believed_missing_and_dead_for_an_officers_finding(turkey, dave):
    dana = present("Dana", email="dana@example.org")
    eli = present("Eli", email="eli@example.org")
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    officer_answer_record(acting_user=dave, person=dana, status="missing")
    officer_answer_record(acting_user=dave, person=eli, status="deceased")
    response = verified_client(dave).post(f"/console/welfare/rounds/{checkin.pk}/export/pfif/")
    assert response.status_code == 200
    root = etree.fromstring(response.getvalue())
    statuses = {
        person.findtext("pfif:given_name", namespaces=NS): person.findtext(
            "pfif:note/pfif:status", namespaces=NS
        )
        for person in root.findall("pfif:person", NS)
    }
    assert statuses == {"Dana": "believed_missing", "Eli": "believed_dead"}
