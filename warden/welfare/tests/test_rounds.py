"""Check-in rounds: opening (by an officer or on publication), members, answers, reminders,
the cascade to the next contact point, reached counts, departures, `warden rounds`."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import override_settings
from django.utils import timezone

from warden.alerting.models import Delivery, Message
from warden.alerting.tests.helpers import expand_all, send_all
from warden.audit.models import AuditEvent
from warden.people.selectors import audience_count
from warden.test import publish
from warden.welfare import members, schedule, steps
from warden.welfare.models import CheckInRound, RoundMember, RoundMessage, Status
from warden.welfare.selectors import round_counts
from warden.welfare.services import answer_record, round_close, round_open
from warden.welfare.tests.helpers import details, in_city, minutes_after, present

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("authority")]
SANDBOX = override_settings(
    WARDEN_ALERT_EMAIL_URLS=["locmem:"],
    WARDEN_ALERT_SMS_URLS=["sandbox:"],
    WARDEN_ALERT_MESSAGING_URLS=["sandbox:"],
)


def test_an_officer_opens_a_round_for_everyone_present_in_the_country(turkey, dave):
    dana = present("Dana", email="dana@example.org")
    eli = in_city("Eli", email="eli@example.org")
    present("Far", email="far@example.org", country="FR")
    checkin = round_open(acting_user=dave, details=details(), area=turkey)

    assert checkin.populated_at is not None
    rows = RoundMember.objects.filter(round=checkin).order_by("person_id")
    assert [(m.person_id, m.status, m.city_name) for m in rows] == [
        (dana.pk, "", ""),
        (eli.pk, "", "Istanbul"),
    ]
    item = RoundMessage.objects.get(round=checkin)
    assert (item.purpose, item.preference) == ("initial", 1)
    message = item.message
    assert (message.kind, message.preference, message.area_code) == ("checkin", 1, "TR")
    assert message.reference == f"welfare.round:{checkin.pk}"
    assert message.answers is True
    assert round_counts(checkin).as_dict() == {
        "audience": 2, "reached": 0, "safe": 0, "needs_help": 0, "left": 0, "other": 0,
        "no_answer": 2, "answered": 0,
    }  # fmt: skip
    assert AuditEvent.objects.filter(
        action="welfare.round.open", object_id=str(checkin.pk)
    ).exists()


@pytest.mark.parametrize("who", ["alice", "bob", "frank", "mallory"])
def test_only_consular_officers_and_mission_managers_open_rounds(turkey, cast, who):
    present()
    with pytest.raises(PermissionDenied):
        round_open(acting_user=cast[who], details=details(), area=turkey)
    assert not CheckInRound.objects.exists()


def test_a_mission_manager_may_open_one(turkey, erin):
    present()
    assert round_open(acting_user=erin, details=details(), area=turkey).pk


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"deadline": timezone.now() - timedelta(minutes=1)}, "deadline"),
        ({"reminder_minutes": (60, 30)}, "reminder_minutes"),
        ({"reminder_minutes": (0,)}, "reminder_minutes"),
        ({"cascade_minutes": 0}, "cascade_minutes"),
        ({"answer_options": ["maybe"]}, "answer_options"),
        ({"title": "  "}, "title"),
    ],
)
def test_a_round_needs_sensible_settings(turkey, dave, change, field):
    present()
    with pytest.raises(ValidationError) as error:
        round_open(acting_user=dave, details=details(**change), area=turkey)
    assert field in error.value.message_dict


def test_a_round_of_named_people_asks_only_them(turkey, dave):
    dana = present("Dana", email="dana@example.org")
    present("Eli", email="eli@example.org")
    checkin = round_open(acting_user=dave, details=details(), people=[dana.pk], country=turkey)
    assert list(checkin.members.values_list("person_id", flat=True)) == [dana.pk]
    assert RoundMessage.objects.get(round=checkin).message.people == [dana.pk]


def test_publishing_level_4_opens_a_round_whose_first_ask_is_the_advisory(turkey, alice, bob):
    present("Dana")
    present("Eli", email="eli@example.org")
    edition = publish(turkey, 4, author=alice, approver=bob)
    assert steps.checkins() is True
    checkin = CheckInRound.objects.get()
    advisory = Message.objects.get(edition=edition)
    assert checkin.edition_id == edition.pk and checkin.opened_by is None
    assert checkin.answers_since == advisory.created_at
    item = RoundMessage.objects.get(round=checkin)
    assert (item.message_id, item.purpose, item.preference) == (advisory.pk, "initial", None)
    assert checkin.members.count() == 2
    assert set(checkin.texts) == {"en", "he"}
    assert checkin.texts["en"]["title"] == "Türkiye: are you safe?"
    # Once only, and never for an edition whose country already has an open round.
    assert schedule.auto_open_step() is False
    publish(turkey, 3, author=alice, approver=bob)
    assert schedule.auto_open_step() is False
    assert CheckInRound.objects.count() == 1


@pytest.mark.parametrize(("levels", "level", "opened"), [
    (["3", "4"], 2, 0), (["3", "4"], 3, 1), (["4"], 3, 0), ([], 4, 0),
])  # fmt: skip
def test_automatic_rounds_follow_the_configured_levels(
    turkey, alice, bob, settings, levels, level, opened
):
    settings.WARDEN_CHECKIN_AUTO_LEVELS = levels
    present()
    from warden.advisories import services
    from warden.test import content

    edition = services.edition_draft(acting_user=alice, country=turkey, content=content(level))
    services.edition_submit(acting_user=alice, edition=edition)
    services.edition_publish(acting_user=bob, edition=edition, notify=True)
    schedule.auto_open_step()
    assert CheckInRound.objects.count() == opened


def test_an_answer_marks_the_member_and_the_latest_answer_is_the_status(turkey, dave):
    dana = present("Dana")
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    first = answer_record(person=dana, status="needs_help", channel="web")
    answer_record(person=dana, status="safe", channel="officer", author=dave)
    member = RoundMember.objects.get(round=checkin, person=dana)
    assert member.status == Status.SAFE
    assert member.answered_at == first.at
    counts = round_counts(checkin)
    assert (counts.safe, counts.needs_help, counts.no_answer) == (1, 0, 0)


def test_answers_given_before_the_members_were_written_count(turkey, alice, bob):
    dana = present("Dana")
    publish(turkey, 4, author=alice, approver=bob)
    answer_record(person=dana, status="safe", channel="link")  # before the worker ran
    schedule.auto_open_step()
    checkin = CheckInRound.objects.get()
    assert checkin.members.get().status == "safe"


def test_reminders_go_only_to_members_without_an_answer_and_stop_after_one(turkey, dave):
    dana = present("Dana", email="dana@example.org")
    eli = present("Eli", email="eli@example.org")
    checkin = round_open(acting_user=dave, details=details(reminder_minutes=(60, 120)), area=turkey)
    answer_record(person=dana, status="safe", channel="link")
    assert schedule.round_advance(checkin, now=minutes_after(checkin, 59)) is False
    assert schedule.round_advance(checkin, now=minutes_after(checkin, 60)) is True
    reminder = RoundMessage.objects.get(round=checkin, purpose="reminder")
    assert reminder.message.people == [eli.pk]
    assert reminder.message.texts["en"]["title"] == "Reminder: Are you safe?"
    assert reminder.message.preference == 1
    assert schedule.round_advance(checkin, now=minutes_after(checkin, 61)) is False
    answer_record(person=eli, status="left", channel="sms")
    # Everyone answered: the second reminder is due but there is no one left to remind.
    assert schedule.round_advance(checkin, now=minutes_after(checkin, 121)) is True
    assert RoundMessage.objects.filter(round=checkin, purpose="reminder").count() == 1
    checkin.refresh_from_db()
    assert checkin.reminders_sent == 2


def test_the_cascade_moves_to_the_next_contact_point_on_time(turkey, dave):
    both = in_city("Both", email="both@example.org", phone="+90 532 123 45 67", app="tgram://b/1")
    answered = in_city("Answered", email="answered@example.org", phone="+90 532 123 45 68")
    only_mail = in_city("Mail", email="mail@example.org")
    checkin = round_open(
        acting_user=dave,
        details=details(cascade_minutes=30, reminder_minutes=(45,)),
        area=turkey,
    )
    answer_record(person=answered, status="safe", channel="link")
    assert schedule.round_advance(checkin, now=minutes_after(checkin, 29)) is False
    assert schedule.round_advance(checkin, now=minutes_after(checkin, 30)) is True
    second = RoundMessage.objects.get(round=checkin, purpose="cascade", preference=2)
    assert second.message.people == sorted([both.pk, only_mail.pk])
    assert second.message.preference == 2
    # The reminder at 45 minutes goes on the current step's contact point.
    assert schedule.round_advance(checkin, now=minutes_after(checkin, 45)) is True
    reminder = RoundMessage.objects.get(round=checkin, purpose="reminder")
    assert reminder.message.preference == 2
    assert schedule.round_advance(checkin, now=minutes_after(checkin, 60)) is True
    assert RoundMessage.objects.filter(round=checkin, purpose="cascade", preference=3).exists()
    # Three contact points tried: the cascade stops.
    assert schedule.round_advance(checkin, now=minutes_after(checkin, 90)) is False
    expand_all()
    channels = dict(
        Delivery.objects.filter(message__in=[second.message]).values_list("person_id", "channel")
    )
    assert channels == {both.pk: "sms"}  # the mail-only person has no second contact point
    member = RoundMember.objects.get(round=checkin, person=both)
    assert member.preference == 3


def test_nothing_is_sent_after_the_deadline_or_once_closed(turkey, dave):
    present("Dana")
    checkin = round_open(
        acting_user=dave,
        details=details(
            deadline=timezone.now() + timedelta(minutes=90), reminder_minutes=(60, 120)
        ),
        area=turkey,
    )
    assert schedule.round_advance(checkin, now=minutes_after(checkin, 125)) is False
    round_close(acting_user=dave, round=checkin)
    assert schedule.round_advance(checkin, now=minutes_after(checkin, 61)) is False
    with pytest.raises(ValidationError):
        round_close(acting_user=dave, round=checkin)


def test_answers_after_closing_do_not_change_the_round(turkey, dave):
    dana = present("Dana")
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    round_close(acting_user=dave, round=checkin)
    answer_record(person=dana, status="safe", channel="link")
    assert round_counts(checkin).no_answer == 1


@SANDBOX
def test_reached_counts_follow_the_deliveries_handed_off(turkey, dave, sender):
    present("Dana", email="dana@example.org")
    present("Eli", email="eli@example.org")
    present("Nomail", email=None)
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    expand_all()
    members.sync_step()
    assert round_counts(checkin).reached == 0
    send_all(sender)
    assert members.sync_step() is True
    counts = round_counts(checkin)
    assert (counts.audience, counts.reached) == (3, 2)
    assert RoundMessage.objects.get(round=checkin).synced is True  # caught up in one step
    assert members.sync_step() is False


@SANDBOX
def test_reached_keeps_up_with_a_large_send_page_after_page(turkey, dave, sender, monkeypatch):
    monkeypatch.setattr(members, "SYNC_PAGE", 2)
    for index in range(5):
        present(f"P{index}", email=f"p{index}@example.org")
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    expand_all()
    send_all(sender)
    assert members.sync_step(budget=0) is True  # out of time after one page
    assert round_counts(checkin).reached == 2
    assert members.sync_step() is True  # the rest, page after page, in one step
    assert round_counts(checkin).reached == 5
    assert RoundMessage.objects.get(round=checkin).synced is True


@SANDBOX
def test_a_delivery_still_in_flight_does_not_hold_up_the_others(turkey, dave, sender):
    for index in range(4):
        present(f"P{index}", email=f"p{index}@example.org")
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    expand_all()
    send_all(sender)
    slow = Delivery.objects.order_by("id")[1]  # a retry waiting its turn
    Delivery.objects.filter(pk=slow.pk).update(state=Delivery.State.QUEUED, sent_at=None)
    assert members.sync_step() is True
    item = RoundMessage.objects.get(round=checkin)
    assert item.stragglers == [slow.pk] and item.synced is False
    assert round_counts(checkin).reached == 3
    assert members.sync_step() is False  # nothing new
    Delivery.objects.filter(pk=slow.pk).update(state=Delivery.State.SENT)
    assert members.sync_step() is True
    item.refresh_from_db()
    assert (item.stragglers, item.synced) == ([], True)
    assert round_counts(checkin).reached == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@SANDBOX
def test_a_round_message_another_worker_is_copying_is_skipped(turkey, dave, sender):
    present("Dana", email="dana@example.org")
    present("Eli", email="eli@example.org")
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    expand_all()
    send_all(sender)
    item = RoundMessage.objects.get(round=checkin)
    holding, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        try:
            with transaction.atomic():
                RoundMessage.objects.select_for_update().get(pk=item.pk)
                holding.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert holding.wait(10)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '1s'")  # a wait would fail, not hang
            assert members.sync_step() is False  # skipped, not copied a second time
        assert round_counts(checkin).reached == 0
    finally:
        release.set()
        thread.join(10)
    assert members.sync_step() is True
    assert round_counts(checkin).reached == 2


@SANDBOX
def test_members_written_after_their_delivery_was_handed_off_count_as_reached(
    turkey, dave, sender, monkeypatch
):
    monkeypatch.setattr(members, "PAGE", 2)
    monkeypatch.setattr("warden.welfare.services.rounds.INLINE_PAGES", 1)
    for index in range(5):
        present(f"P{index}", email=f"p{index}@example.org")
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    expand_all()
    send_all(sender)
    assert checkin.members.count() == 2
    assert members.sync_step() is False  # the copy waits for the round's members
    while members.populate_step():
        pass
    assert round_counts(checkin).reached == 3  # the pages written after the hand-off
    assert members.sync_step() is True
    counts = round_counts(checkin)
    assert (counts.audience, counts.reached) == (5, 5)


def test_a_large_audience_is_written_in_pages_by_the_worker(turkey, dave, monkeypatch):
    monkeypatch.setattr(members, "PAGE", 2)
    monkeypatch.setattr("warden.welfare.services.rounds.INLINE_PAGES", 1)
    people = [present(f"P{index}", email=f"p{index}@example.org") for index in range(5)]
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    assert checkin.members.count() == 2 and checkin.populated_at is None
    assert members.populate_step() is True
    checkin.refresh_from_db()
    assert checkin.populated_at is not None
    assert sorted(checkin.members.values_list("person_id", flat=True)) == [p.pk for p in people]


def test_someone_who_left_drops_out_of_later_audiences_for_that_country(turkey, dave):
    from warden.geo.models import Country

    dana = present("Dana")
    present("Eli", email="eli@example.org")
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    greece = Country.objects.get(pk="GR")
    event = answer_record(person=dana, status="left", channel="link", left_to=greece)
    trip = dana.trips.get()
    assert trip.departure == event.at
    assert audience_count(turkey) == 1
    assert audience_count(turkey, event.at - timedelta(seconds=1)) == 2
    assert round_counts(checkin).left == 1
    later = round_open(acting_user=dave, details=details(), area=turkey)
    assert later.members.count() == 1


def test_the_rounds_command_prints_each_round_with_its_counts(turkey, dave):
    dana = present("Dana")
    present("Eli", email="eli@example.org")
    checkin = round_open(acting_user=dave, details=details(), area=turkey)
    answer_record(person=dana, status="needs_help", channel="link")
    out = StringIO()
    call_command("rounds", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == [
        "Round", "Country", "State", "Opened", "Audience", "Reached", "Safe", "Needs", "help",
        "Left", "Other", "No", "answer",
    ]  # fmt: skip
    cells = lines[1].split()
    assert cells[:3] == [f"#{checkin.pk}", "TR", "Open"]
    assert cells[-7:] == ["2", "0", "0", "1", "0", "0", "1"]
    empty = StringIO()
    call_command("rounds", "--country", "FR", stdout=empty)
    assert empty.getvalue().strip() == "No check-in rounds."
