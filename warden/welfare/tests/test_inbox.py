"""The answer inbox: answers from people are taken at once and recorded by the worker in
batches, with the same effects as one at a time, in order, and nothing lost on a failure."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from warden.alerting.links import answer_token
from warden.alerting.models import Delivery
from warden.alerting.tests.helpers import expand_all
from warden.audit.models import AuditEvent
from warden.audit.services import chain_verify
from warden.people.models import Person
from warden.welfare.models import Case, PendingAnswer, RoundMember, WelfareEvent
from warden.welfare.services import inbox, officer_answer_record, round_open
from warden.welfare.services.inbox import answer_accept, answers_apply
from warden.welfare.tests.helpers import details, present


@pytest.fixture
def asked(turkey, dave):
    """Three people in Turkey asked in a round, with one email delivery each."""
    people = [present(name, email=f"{name.lower()}@example.org") for name in ("Ann", "Ben", "Cy")]
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    expand_all()
    return checkin, people


def _accept(who: Person, status: str, **extra):
    delivery = Delivery.objects.get(person=who)
    return answer_accept(
        person_id=who.pk,
        status=status,
        channel=WelfareEvent.Channel.LINK,
        delivery_id=delivery.pk,
        message_id=delivery.message_id,
        **extra,
    )


def test_an_answer_is_taken_at_once_and_recorded_by_the_worker_with_its_own_time(asked):
    checkin, (ann, _ben, _cy) = asked
    taken = _accept(ann, "safe", note="At the hotel")
    assert not WelfareEvent.objects.exists()
    assert RoundMember.objects.get(round=checkin, person=ann).status == ""
    audited = AuditEvent.objects.filter(action="welfare.answer").count()

    assert answers_apply() == 1
    event = WelfareEvent.objects.get()
    assert (event.person_id, event.status, event.channel, event.note) == (
        ann.pk, "safe", "link", "At the hotel",
    )  # fmt: skip
    assert event.at == taken.at  # the time the person answered, not the time recorded
    member = RoundMember.objects.get(round=checkin, person=ann)
    assert (member.status, member.status_at) == ("safe", taken.at)
    assert Delivery.objects.get(person=ann).answered_at == taken.at
    assert AuditEvent.objects.filter(action="welfare.answer").count() == audited + 1
    assert not PendingAnswer.objects.exists()
    assert answers_apply() == 0


def test_a_batch_keeps_the_order_of_answers_and_follows_up_each(asked):
    checkin, (ann, ben, cy) = asked
    _accept(ann, "safe")
    _accept(ben, "needs_help", note="No passport")
    _accept(ann, "needs_help")  # Ann's later answer wins
    _accept(cy, "left")
    assert answers_apply(limit=3) == 3  # a partial batch leaves the rest waiting
    assert PendingAnswer.objects.count() == 1
    assert answers_apply() == 1

    statuses = dict(RoundMember.objects.filter(round=checkin).values_list("person", "status"))
    assert statuses == {ann.pk: "needs_help", ben.pk: "needs_help", cy.pk: "left"}
    assert list(WelfareEvent.objects.order_by("id").values_list("person", "status")) == [
        (ann.pk, "safe"), (ben.pk, "needs_help"), (ann.pk, "needs_help"), (cy.pk, "left"),
    ]  # fmt: skip
    assert sorted(Case.objects.values_list("person", flat=True)) == sorted([ann.pk, ben.pk])
    assert not cy.trips.filter(until__gt=timezone.now()).exists()  # "left" ended the stay
    assert list(chain_verify()) == []


def test_a_failure_half_way_records_nothing_and_loses_nothing(asked, monkeypatch):
    _checkin, people = asked
    for who in people:
        _accept(who, "safe")
    _accept(people[0], "needs_help")

    def audit_down(entries):  # after the events, deliveries, members and the case
        raise RuntimeError("the database went away")

    monkeypatch.setattr(inbox, "record_many", audit_down)
    with pytest.raises(RuntimeError):
        answers_apply()
    assert not WelfareEvent.objects.exists()
    assert not Case.objects.exists()
    assert PendingAnswer.objects.count() == 4
    assert not RoundMember.objects.exclude(status="").exists()
    assert not Delivery.objects.filter(answered_at__isnull=False).exists()

    monkeypatch.undo()
    assert answers_apply() == 4
    assert RoundMember.objects.filter(status="safe").count() == 2
    assert Case.objects.count() == 1


def test_an_officers_later_entry_is_not_overwritten_by_an_earlier_answer_recorded_after_it(
    asked, dave
):
    checkin, (ann, _ben, _cy) = asked
    _accept(ann, "safe", at=timezone.now() - timedelta(minutes=5))
    officer_answer_record(acting_user=dave, person=ann, status="missing", country_id="TR")
    answers_apply()
    member = RoundMember.objects.get(round=checkin, person=ann)
    assert member.status == "missing"
    assert WelfareEvent.objects.filter(person=ann).count() == 2


def test_an_answer_given_before_a_round_opened_does_not_count_in_it(asked):
    checkin, (ann, ben, _cy) = asked
    _accept(ann, "safe", at=checkin.answers_since - timedelta(minutes=1))
    _accept(ben, "safe")
    assert answers_apply() == 2
    statuses = dict(RoundMember.objects.filter(round=checkin).values_list("person", "status"))
    assert (statuses[ann.pk], statuses[ben.pk]) == ("", "safe")
    assert WelfareEvent.objects.count() == 2


def test_a_person_deleted_before_their_answer_is_recorded_leaves_nothing_behind(asked):
    _checkin, (ann, _ben, _cy) = asked
    _accept(ann, "safe", note="Private")
    ann.delete()
    assert answers_apply() == 0
    assert not WelfareEvent.objects.exists()


def test_waiting_notes_are_encrypted_at_rest(asked):
    _checkin, (ann, _ben, _cy) = asked
    _accept(ann, "safe", note="Room 714 at the Hilton", place="Taksim")
    with connection.cursor() as cursor:
        cursor.execute("SELECT note, place FROM welfare_pendinganswer")
        raw = " ".join(str(value) for value in cursor.fetchone())
    assert "Hilton" not in raw and "Taksim" not in raw
    assert PendingAnswer.objects.get().note == "Room 714 at the Hilton"


@pytest.mark.parametrize(
    ("status", "extra"),
    [("maybe", {}), ("missing", {}), ("safe", {"note": "x" * 3000})],
)
def test_an_unacceptable_answer_is_refused_before_it_is_taken(asked, status, extra):
    _checkin, (ann, _ben, _cy) = asked
    with pytest.raises(ValidationError):
        _accept(ann, status, **extra)
    assert not PendingAnswer.objects.exists()


def test_the_worker_records_answers_taken_by_the_answer_page(asked):
    checkin, (ann, _ben, _cy) = asked
    token = answer_token(Delivery.objects.get(person=ann).pk)
    assert Client().post(f"/answer/{token}/safe/", {"note": ""}).status_code == 200
    out = StringIO()
    call_command("rounds", stdout=out)
    assert "1 answer is waiting for the worker to record it." in out.getvalue()
    call_command("worker", "--burst")
    assert RoundMember.objects.get(round=checkin, person=ann).status == "safe"
    assert not PendingAnswer.objects.exists()


def test_the_worker_goes_on_at_once_only_after_a_full_batch(asked, settings):
    from warden.ops.worker import welfare_answers

    settings.WARDEN_ANSWER_BATCH = 2
    _checkin, people = asked
    for who in people:
        _accept(who, "safe")
    assert welfare_answers() is True  # a full batch: more may be waiting
    assert welfare_answers() is False  # the last one: the worker may rest
    assert not PendingAnswer.objects.exists()
    assert WelfareEvent.objects.count() == 3
