"""What a round does over time, run by the worker: reminders and the cascade.

Times count from the round's opening. At ``cascade_minutes × k`` the members who have not
answered are asked on their (k+1)-th contact point (``preference``; e.g. email → SMS →
messaging app), up to ``max_preference``. At each of ``reminder_minutes`` they are asked
again on the contact point of the current step. Nothing is sent after the deadline or
once the round is closed, and never to a member who answered: an answer stops them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from warden.alerting.models import Message
from warden.alerting.services import MessageText, message_create
from warden.audit.services import record
from warden.welfare.models import CheckInRound, RoundMember, RoundMessage
from warden.welfare.services.rounds import auto_levels, round_open_for_edition

AUTO_OPEN_WITHIN = timedelta(days=1)


def cascade_due(checkin: CheckInRound, now: datetime) -> bool:
    if not checkin.cascade_minutes or checkin.cascade_step >= checkin.max_preference:
        return False
    due = checkin.opened_at + timedelta(minutes=checkin.cascade_minutes * checkin.cascade_step)
    return now >= due


def reminder_due(checkin: CheckInRound, now: datetime) -> bool:
    minutes = checkin.reminder_minutes or []
    if checkin.reminders_sent >= len(minutes):
        return False
    return now >= checkin.opened_at + timedelta(minutes=int(minutes[checkin.reminders_sent]))


def reminder_texts(checkin: CheckInRound) -> dict[str, MessageText]:
    texts = {}
    for language, text in checkin.texts.items():
        with translation.override(language):
            title = _("Reminder: %(title)s") % {"title": text["title"]}
        texts[language] = MessageText(title=title[:200], body=text["body"])
    return texts


def ask_again(checkin: CheckInRound, *, purpose: str, preference: int) -> RoundMessage | None:
    """Ask the members without an answer, on their ``preference``-th contact point."""
    unanswered = RoundMember.objects.filter(round=checkin, status="")
    ids = list(unanswered.order_by("person_id").values_list("person_id", flat=True))
    if not ids:
        return None
    message = message_create(
        acting_user=None,
        kind=Message.Kind.CHECKIN,
        texts=reminder_texts(checkin),
        people=ids,
        exercise=checkin.is_exercise,
        priority=Message.Priority.URGENT,
        answers=True,
        reference=checkin.reference,
        preference=preference,
    )
    if purpose == RoundMessage.Purpose.CASCADE:
        unanswered.update(preference=preference)
    item = RoundMessage.objects.create(
        round=checkin, message=message, purpose=purpose, preference=preference, people=len(ids)
    )
    record(
        actor=None,
        action=f"welfare.round.{purpose}",
        obj=checkin,
        after={"message": message.pk, "preference": preference, "people": len(ids)},
    )
    return item


def round_advance(checkin: CheckInRound, *, now: datetime | None = None) -> bool:
    """Take the round's next due step (one cascade step or one reminder); False if none."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            CheckInRound.objects.select_for_update(skip_locked=True).filter(pk=checkin.pk).first()
        )
        if locked is None or not locked.is_open or locked.populated_at is None:
            return False
        if now >= locked.deadline:
            return False
        if cascade_due(locked, now):
            locked.cascade_step += 1
            ask_again(locked, purpose=RoundMessage.Purpose.CASCADE, preference=locked.cascade_step)
            locked.save(update_fields=["cascade_step"])
            return True
        if reminder_due(locked, now):
            locked.reminders_sent += 1
            ask_again(locked, purpose=RoundMessage.Purpose.REMINDER, preference=locked.cascade_step)
            locked.save(update_fields=["reminders_sent"])
            return True
    return False


def advance_step(*, now: datetime | None = None) -> bool:
    """Worker: every open round's due reminders and cascade steps."""
    found = False
    moment = now or timezone.now()
    rounds = CheckInRound.objects.filter(
        state=CheckInRound.State.OPEN, populated_at__isnull=False, deadline__gt=moment
    )
    for checkin in rounds.order_by("opened_at", "id"):
        while round_advance(checkin, now=moment):
            found = True
    return found


def editions_to_open(now: datetime | None = None) -> list[Message]:
    """Advisory messages of recent editions at an automatic level that have no round."""
    levels = auto_levels()
    if not levels:
        return []
    since = (now or timezone.now()) - AUTO_OPEN_WITHIN
    opened = CheckInRound.objects.filter(edition__isnull=False).values("edition_id")
    # A country with an open round for everyone there is being asked already: a level
    # change does not start a second one. Rounds for a list of people (a post's staff
    # during a drawdown) do not count: the rest of the country is not being asked.
    asking = CheckInRound.objects.filter(state=CheckInRound.State.OPEN, people__isnull=True).values(
        "country_id"
    )
    messages = (
        Message.objects.filter(
            kind=Message.Kind.ADVISORY,
            edition__isnull=False,
            edition__level__in=sorted(levels),
            created_at__gte=since,
        )
        .exclude(state=Message.State.CANCELLED)
        .exclude(edition_id__in=opened)
        .exclude(edition__country_id__in=asking)
        .select_related("edition__country")
        .order_by("id")
    )
    return list(messages[:10])


def auto_open_step(*, now: datetime | None = None) -> bool:
    """Worker: open the round of each newly published edition at an automatic level."""
    found = False
    for message in editions_to_open(now):
        try:
            with transaction.atomic():
                round_open_for_edition(message=message)
        except IntegrityError:  # another worker opened it first
            continue
        found = True
    return found
