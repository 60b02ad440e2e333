"""Per-person departure: staff updates, the person's own signed link (valid, expired,
tampered), and the rules on who may choose what."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from warden.audit.models import AuditEvent
from warden.missions import links, services
from warden.missions.models import DepartureEvent, StaffMember
from warden.missions.tests.conftest import order_details

pytestmark = pytest.mark.django_db


@pytest.fixture
def ordered(erin, bob, ankara, staff, level):
    """Ankara under ordered departure (non-emergency staff and family members)."""
    level(4)
    decision = services.decision_request(
        acting_user=erin, post=ankara, to_status="ordered_departure", details=order_details()
    )
    return services.decision_approve(acting_user=bob, decision=decision)


def fresh(member: StaffMember) -> StaffMember:
    return StaffMember.objects.get(pk=member.pk)


def test_staff_record_each_step_and_its_author(ordered, staff, dave):
    officer = staff["officer"]
    for state in ("departing", "in_transit", "at_safe_haven"):
        services.departure_update(acting_user=dave, staff=officer, state=state, note="ok")

    assert fresh(officer).departure_state == "at_safe_haven"
    events = DepartureEvent.objects.filter(staff=officer).order_by("id")
    assert [(e.from_state, e.to_state, e.channel) for e in events] == [
        ("at_post", "ordered", "decision"),
        ("ordered", "departing", "staff"),
        ("departing", "in_transit", "staff"),
        ("in_transit", "at_safe_haven", "staff"),
    ]
    assert {e.author for e in events[1:]} == {dave}
    assert AuditEvent.objects.filter(action="missions.departure.update").count() == 3


def test_an_impossible_move_is_refused_with_both_states(ordered, staff, erin):
    with pytest.raises(ValidationError, match="“Ordered to leave” cannot become “At the safe"):
        services.departure_update(acting_user=erin, staff=staff["officer"], state="at_safe_haven")


def test_nobody_returns_while_the_order_is_in_force(ordered, staff, erin, ankara):
    officer = staff["officer"]
    for state in ("departing", "at_safe_haven"):
        services.departure_update(acting_user=erin, staff=officer, state=state)
    with pytest.raises(ValidationError, match="cannot return while the departure is in force"):
        services.departure_update(acting_user=erin, staff=officer, state="returned")

    services.status_change(
        acting_user=erin, post=ankara, to_status="resuming", details=services.DecisionDetails("ok")
    )
    services.departure_update(acting_user=erin, staff=officer, state="returned")
    assert fresh(officer).departure_state == "returned"


@pytest.mark.parametrize("name", ["alice", "bob", "frank", "mallory"])
def test_only_mission_managers_and_the_crisis_cell_update(ordered, staff, cast, name):
    with pytest.raises(PermissionDenied):
        services.departure_update(acting_user=cast[name], staff=staff["officer"], state="departing")


def test_the_person_reports_through_their_link(ordered, staff):
    token = links.departure_token(staff["spouse"])

    services.departure_report(token=token, state="departing")

    assert fresh(staff["spouse"]).departure_state == "departing"
    event = DepartureEvent.objects.filter(staff=staff["spouse"]).latest("id")
    assert (event.channel, event.author) == ("link", None)
    audit = AuditEvent.objects.get(action="missions.departure.report")
    assert audit.after == {"state": "departing", "post": staff["spouse"].post_id}


def test_the_person_cannot_exempt_themselves(ordered, staff):
    with pytest.raises(ValidationError, match="cannot choose this state"):
        services.departure_report(token=links.departure_token(staff["spouse"]), state="exempt")
    assert fresh(staff["spouse"]).departure_state == "ordered"


def test_a_tampered_link_is_refused(ordered, staff):
    token = links.departure_token(staff["spouse"])
    other = links.departure_token(staff["officer"])
    forged = other.split(":")[0] + ":" + token.split(":", 1)[1]
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        assert links.staff_for_token(bad) is None
        with pytest.raises(PermissionDenied):
            services.departure_report(token=bad, state="departing")
    assert fresh(staff["spouse"]).departure_state == "ordered"


def test_an_expired_link_is_refused(ordered, staff):
    token = links.departure_token(staff["spouse"])
    later = time.time() + links.LINK_DAYS * 86400 + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert links.staff_for_token(token) is None
        with pytest.raises(PermissionDenied):
            services.departure_report(token=token, state="departing")
    assert links.staff_for_token(token) == staff["spouse"]


def test_a_link_signed_with_another_salt_is_refused(staff):
    token = signing.TimestampSigner(salt="other").sign_object(
        {"s": staff["spouse"].pk, "p": staff["spouse"].person_id}
    )
    assert links.staff_for_token(token) is None


def test_the_link_page_shows_the_choices_and_records_the_answer(ordered, staff, client):
    url = reverse("missions:departure", args=[links.departure_token(staff["spouse"])])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Ordered to leave" in body and 'value="departing"' in body
    assert "Sara" not in body  # no name on a page anyone holding the link can open
    assert 'value="exempt"' not in body

    done = client.post(url, {"state": "departing"})

    assert done.status_code == 200
    assert "Your post knows where you are" in done.content.decode()
    assert fresh(staff["spouse"]).departure_state == "departing"


def test_the_link_page_refuses_a_bad_link(client):
    response = client.get(reverse("missions:departure", args=["bad:token"]))
    assert response.status_code == 403
    assert "not valid or has expired" in response.content.decode()


def test_the_link_page_refuses_a_state_not_offered(ordered, staff, client):
    url = reverse("missions:departure", args=[links.departure_token(staff["spouse"])])
    response = client.post(url, {"state": "at_safe_haven"})
    assert response.status_code == 200
    assert fresh(staff["spouse"]).departure_state == "ordered"


def test_the_absolute_link_uses_the_site_url_and_the_persons_language(staff, settings):
    settings.SITE_URL = "https://warden.example"
    member = staff["spouse"]
    member.person.language = "he"
    assert links.departure_link(member).startswith("https://warden.example/he/missions/departure/")
