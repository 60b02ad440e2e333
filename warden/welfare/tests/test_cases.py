"""Cases: opened by "I need help", worked by consular officers, audited, scoped by country."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from warden.audit.models import AuditEvent
from warden.testing.staff import verified_client
from warden.welfare.models import Case, CaseNote
from warden.welfare.scope import scope_set
from warden.welfare.selectors import case_queue
from warden.welfare.services import (
    answer_record,
    case_assign,
    case_note_add,
    case_resolve,
    case_severity_set,
    round_open,
)
from warden.welfare.tests.helpers import details, present

pytestmark = pytest.mark.django_db


def test_asking_for_help_opens_one_case_per_person(turkey, dave):
    dana = present("Dana")
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    event = answer_record(person=dana, status="needs_help", channel="link", note="Injured")
    case = Case.objects.get()
    assert (case.person_id, case.round_id, case.country_id) == (dana.pk, checkin.pk, "TR")
    assert case.event_id == event.pk and case.opened_at == event.at
    assert case.state == Case.State.OPEN and case.severity == Case.Severity.HIGH
    answer_record(person=dana, status="needs_help", channel="sms")
    assert Case.objects.count() == 1
    assert CaseNote.objects.get(case=case).text == "Asked for help again."
    assert AuditEvent.objects.filter(action="welfare.case.open").count() == 1


def test_an_officer_assigns_writes_notes_and_resolves(turkey, dave):
    dana = present("Dana")
    answer_record(person=dana, status="needs_help", channel="link")
    case = Case.objects.get()
    case_assign(acting_user=dave, case=case, officer=dave)
    case_severity_set(acting_user=dave, case=case, severity=Case.Severity.CRITICAL)
    case_note_add(
        acting_user=dave, case=case, text="Called: at the airport, no ticket", kind="call"
    )
    case_resolve(
        acting_user=dave, case=case, resolution="helped", note="Seat on the evening flight"
    )
    case.refresh_from_db()
    assert case.state == Case.State.RESOLVED and case.assigned_to == dave
    assert case.severity == Case.Severity.CRITICAL and case.resolution == "helped"
    notes = list(case.notes.values_list("kind", "text"))
    assert notes == [
        ("call", "Called: at the airport, no ticket"),
        ("note", "Seat on the evening flight"),
    ]
    actions = list(
        AuditEvent.objects.filter(object_type="welfare.case")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "welfare.case.open", "welfare.case.assign", "welfare.case.severity", "welfare.case.note",
        "welfare.case.resolve",
    ]  # fmt: skip
    assert "airport" not in json.dumps([e.after for e in AuditEvent.objects.all()])
    with pytest.raises(ValidationError):
        case_note_add(acting_user=dave, case=case, text="Too late")
    # A new request after resolution opens a new case.
    answer_record(person=dana, status="needs_help", channel="link")
    assert Case.objects.exclude(state="resolved").count() == 1


@pytest.mark.parametrize("who", ["alice", "bob", "erin", "frank", "mallory"])
def test_only_consular_officers_work_cases(turkey, cast, who):
    dana = present("Dana")
    answer_record(person=dana, status="needs_help", channel="link")
    case = Case.objects.get()
    with pytest.raises(PermissionDenied):
        case_note_add(acting_user=cast[who], case=case, text="x")
    with pytest.raises(PermissionDenied):
        case_resolve(acting_user=cast[who], case=case, resolution="helped")


def test_cases_can_only_be_assigned_to_those_who_work_them(turkey, dave, alice):
    answer_record(person=present("Dana"), status="needs_help", channel="link")
    with pytest.raises(ValidationError):
        case_assign(acting_user=dave, case=Case.objects.get(), officer=alice)


def test_the_queue_is_ordered_by_severity_then_age(turkey, dave):
    now = timezone.now()
    people = [present(name, email=f"{name}@example.org") for name in ("old", "new", "worst")]
    for index, person in enumerate(people):
        answer_record(
            person=person, status="needs_help", channel="link", at=now - timedelta(hours=3 - index)
        )
    worst = Case.objects.get(person=people[2])
    case_severity_set(acting_user=dave, case=worst, severity=Case.Severity.CRITICAL)
    assert [c.person_id for c in case_queue(dave)] == [people[2].pk, people[0].pk, people[1].pk]


def test_a_scoped_officer_sees_and_works_only_their_countries(turkey, dave, frank):
    from warden.accounts.roles import Role
    from warden.test import make_staff

    answer_record(person=present("Dana"), status="needs_help", channel="link")
    answer_record(
        person=present("Far", email="far@example.org", country="FR"),
        status="needs_help",
        channel="link",
    )
    assert case_queue(dave).count() == 2
    paris = make_staff("paris", Role.CONSULAR_OFFICER)
    scope_set(acting_user=frank, user=paris, countries=["FR"])
    assert [c.country_id for c in case_queue(paris)] == ["FR"]
    turkish = Case.objects.get(country_id="TR")
    with pytest.raises(PermissionDenied):
        case_note_add(acting_user=paris, case=turkish, text="x")
    client = verified_client(paris)
    assert client.get(f"/console/welfare/cases/{turkish.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="welfare.scope.set").exists()
    with pytest.raises(PermissionDenied):
        scope_set(acting_user=dave, user=paris, countries=[])


def test_the_queue_and_a_case_show_a_running_clock(turkey, dave):
    dana = present("Dana")
    answer_record(person=dana, status="needs_help", channel="link", note="Broken leg")
    case = Case.objects.get()
    client = verified_client(dave)
    page = client.get("/console/welfare/cases/").content.decode()
    assert 'class="case-clock"' in page and "welfare/js/clock.js" in page
    assert "Dana Levi" in page
    detail = client.get(f"/console/welfare/cases/{case.pk}/").content.decode()
    assert "Contact history" in detail and "I need help" in detail
    response = client.post(
        f"/console/welfare/cases/{case.pk}/note/", {"kind": "call", "text": "No answer"}
    )
    assert response.status_code == 302
    assert case.notes.get().text == "No answer"
    client.post(f"/console/welfare/cases/{case.pk}/resolve/", {"resolution": "safe"})
    case.refresh_from_db()
    assert case.state == "resolved"
