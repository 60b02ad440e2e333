"""Recording answers: every answer is a new WelfareEvent; nothing is overwritten."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.alerting.models import Delivery
from warden.audit.services import record
from warden.geo.models import Country
from warden.people.models import Person
from warden.welfare.models import Status, WelfareEvent

NOTE_MAX = 2000


@transaction.atomic
def answer_record(
    *,
    person: Person,
    status: str,
    channel: str,
    delivery: Delivery | None = None,
    author: User | None = None,
    note: str = "",
    left_to: Country | None = None,
    at: datetime | None = None,
) -> WelfareEvent:
    """Record what a person answered (or an officer learned). A delivery's answer marks
    every delivery of that message to the person as answered."""
    if status not in Status.values:
        raise ValidationError({"status": _("Answer “safe”, “needs help” or “left”.")})
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("Keep the note under %(max)d characters.") % {"max": NOTE_MAX}}
        )
    if left_to is not None and status != Status.LEFT:
        raise ValidationError({"left_to": _("A destination goes with “I have left” only.")})
    moment = at or timezone.now()
    event = WelfareEvent.objects.create(
        person=person,
        status=status,
        channel=channel,
        message_id=delivery.message_id if delivery else None,
        delivery=delivery,
        author=author,
        note=note.strip(),
        left_to=left_to,
        at=moment,
    )
    if delivery is not None:
        Delivery.objects.filter(
            message_id=delivery.message_id, person=person, answered_at__isnull=True
        ).update(answered_at=moment)
    # The note is personal data: the audit trail says only that there was one.
    record(
        actor=author,
        action="welfare.answer",
        obj=event,
        after={
            "person": person.pk,
            "status": status,
            "channel": channel,
            "delivery": delivery.pk if delivery else None,
            "has_note": bool(note.strip()),
            "left_to": left_to.pk if left_to else None,
        },
    )
    return event


def latest_status(person: Person) -> WelfareEvent | None:
    return WelfareEvent.objects.filter(person=person).order_by("-at", "-id").first()
