"""Exports: CSV and PFIF 1.4 (parsed back with lxml), a logged privilege."""

from __future__ import annotations

import csv
import io

import pytest
from lxml import etree

from warden.audit.models import AuditEvent
from warden.geo.models import Country
from warden.testing.staff import verified_client
from warden.welfare.exports import PFIF_NS
from warden.welfare.services import answer_record, officer_answer_record, round_open
from warden.welfare.tests.helpers import details, in_city, present

pytestmark = pytest.mark.django_db
NS = {"pfif": PFIF_NS}


@pytest.fixture
def answered(turkey, dave):
    """A round of three: Dana safe (herself), Eli left for Greece, Far without an answer."""
    dana = in_city("Dana", email="dana@example.org")
    eli = present("Eli", email="eli@example.org")
    far = present("Far", email="far@example.org")
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    answer_record(person=dana, status="safe", channel="link", note="At the hotel")
    officer_answer_record(
        acting_user=dave,
        person=eli,
        status="left",
        note="Reached by phone",
        left_to=Country.objects.get(pk="GR"),
    )
    return checkin, dana, eli, far


def _download(client, url):
    response = client.post(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_csv_lists_every_member_with_their_status(answered, dave):
    checkin, dana, eli, far = answered
    body = _download(verified_client(dave), f"/console/welfare/rounds/{checkin.pk}/export/csv/")
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert [(r["person_id"], r["given_name"], r["status"]) for r in rows] == [
        (str(dana.pk), "Dana", "safe"),
        (str(eli.pk), "Eli", "left"),
        (str(far.pk), "Far", "no_answer"),
    ]
    assert rows[0]["city"] == "Istanbul" and rows[0]["first_answer_at"].endswith("Z")
    event = AuditEvent.objects.get(action="welfare.export")
    assert event.after == {"format": "csv", "members": 3}
    assert event.actor_name == "dave"


def test_pfif_has_a_person_record_per_member_and_notes_for_answers(answered, dave):
    checkin, dana, eli, far = answered
    body = _download(verified_client(dave), f"/console/welfare/rounds/{checkin.pk}/export/pfif/")
    root = etree.fromstring(body)
    assert root.tag == f"{{{PFIF_NS}}}pfif"
    people = root.findall("pfif:person", NS)
    assert len(people) == 3
    by_id = {p.findtext("pfif:person_record_id", namespaces=NS): p for p in people}
    first = by_id[f"127.0.0.1/person.{dana.pk}"]
    assert first.findtext("pfif:full_name", namespaces=NS) == "Dana Levi"
    assert first.findtext("pfif:given_name", namespaces=NS) == "Dana"
    note = first.find("pfif:note", NS)
    assert note.findtext("pfif:status", namespaces=NS) == "is_note_author"
    assert note.findtext("pfif:person_record_id", namespaces=NS) == f"127.0.0.1/person.{dana.pk}"
    assert note.findtext("pfif:author_made_contact", namespaces=NS) == "true"
    assert note.findtext("pfif:text", namespaces=NS) == "Safe — At the hotel"
    assert note.findtext("pfif:last_known_location", namespaces=NS) == "Istanbul"
    assert note.findtext("pfif:source_date", namespaces=NS).endswith("Z")
    left = by_id[f"127.0.0.1/person.{eli.pk}"].find("pfif:note", NS)
    assert left.findtext("pfif:status", namespaces=NS) == "believed_alive"
    assert left.findtext("pfif:last_known_location", namespaces=NS) == "Greece"
    sought = by_id[f"127.0.0.1/person.{far.pk}"].find("pfif:note", NS)
    assert sought.findtext("pfif:status", namespaces=NS) == "information_sought"
    assert sought.findtext("pfif:author_made_contact", namespaces=NS) == "false"
    # Child elements come in the order PFIF 1.4 defines.
    fields = [etree.QName(child).localname for child in first]
    assert fields == [
        "person_record_id", "entry_date", "author_name", "source_name", "source_date",
        "full_name", "given_name", "family_name", "note",
    ]  # fmt: skip
    assert (AuditEvent.objects.get(action="welfare.export").after or {})["format"] == "pfif"


@pytest.mark.parametrize("who", ["alice", "bob", "erin", "frank", "mallory"])
def test_exporting_needs_the_export_role_and_leaves_no_trace_otherwise(answered, cast, who):
    checkin = answered[0]
    response = verified_client(cast[who]).post(f"/console/welfare/rounds/{checkin.pk}/export/csv/")
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="welfare.export").exists()


def test_an_export_must_be_posted(answered, dave):
    checkin = answered[0]
    response = verified_client(dave).get(f"/console/welfare/rounds/{checkin.pk}/export/csv/")
    assert response.status_code == 405
