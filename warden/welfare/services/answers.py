"""Recording answers: every answer is a new WelfareEvent; nothing is overwritten.

An answer also, in the same transaction: marks the deliveries of the message it answers,
copies the status onto the person's memberships of open rounds (which stops their
reminders), opens a case for "I need help", and for "I have left" ends the person's stay in
the countries they were asked about, so later audiences there no longer include them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.alerting.models import Delivery
from warden.audit.services import Entry, record_many
from warden.geo.models import Country
from warden.people.models import Person, Trip
from warden.people.services import TripDetails, trip_update
from warden.welfare.models import OFFICER_ONLY, CheckInRound, RoundMember, Status, WelfareEvent
from warden.welfare.scope import check_scope
from warden.welfare.services.cases import case_open

NOTE_MAX = 2000
# Answers that need more than a status: a case, or the end of a stay.
FOLLOW_UP = frozenset({Status.NEEDS_HELP, Status.LEFT, Status.MISSING})
PLACE_MAX = 200


def check_answer(status: str, channel: str, note: str, place: str, left_to: Country | None) -> None:
    """Raise ``ValidationError`` unless this answer may be recorded."""
    if status not in Status.values:
        raise ValidationError({"status": _("Answer “safe”, “needs help” or “left”.")})
    if status in OFFICER_ONLY and channel != WelfareEvent.Channel.OFFICER:
        raise ValidationError(
            {"status": _("Only an officer records someone as unreachable, missing or deceased.")}
        )
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("Keep the note under %(max)d characters.") % {"max": NOTE_MAX}}
        )
    if len(place) > PLACE_MAX:
        raise ValidationError(
            {"place": _("Keep the place under %(max)d characters.") % {"max": PLACE_MAX}}
        )
    if left_to is not None and status != Status.LEFT:
        raise ValidationError({"left_to": _("A destination goes with “I have left” only.")})


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
    place: str = "",
) -> WelfareEvent:
    """Record what a person answered (or an officer learned). A delivery's answer marks
    every delivery of that message to the person as answered."""
    check_answer(status, channel, note, place, left_to)
    event = WelfareEvent.objects.create(
        person=person,
        status=status,
        channel=channel,
        message_id=delivery.message_id if delivery else None,
        delivery=delivery,
        author=author,
        note=note.strip(),
        place=place.strip(),
        left_to=left_to,
        at=at or timezone.now(),
    )
    answer_effects(event, message_country=delivery.message.country_id if delivery else None)
    record_many([answer_entry(event, author=author)])
    return event


def answer_effects(event: WelfareEvent, *, message_country: str | None) -> None:
    """What an answer changes besides its event: the deliveries of the message it answers
    (every one to the person) are answered, the person's memberships of open rounds take the
    status, "needs help" opens a case and "left" ends the stay. ``message_country`` is the
    country of the answered message, if any."""
    if event.message_id is not None:
        Delivery.objects.filter(
            message_id=event.message_id, person_id=event.person_id, answered_at__isnull=True
        ).update(answered_at=event.at)
    members_mark(person_id=event.person_id, status=event.status, at=event.at)
    if event.status in FOLLOW_UP:
        answer_follow_up(event, message_country=message_country)


def answer_entry(event: WelfareEvent, *, author: User | None) -> Entry:
    """The audit event of an answer. The note and place are personal data: the audit trail
    says only that there were some."""
    return Entry(
        action="welfare.answer",
        obj=event,
        actor=author,
        after={
            "person": event.person_id,
            "status": event.status,
            "channel": event.channel,
            "delivery": event.delivery_id,
            "has_note": bool(event.note),
            "has_place": bool(event.place),
            "left_to": event.left_to_id,
        },
    )


def members_mark(*, person_id: int, status: str, at: datetime) -> int:
    """Copy an answer onto the person's memberships of open rounds (unless a later answer
    is there already); the first answer's time stays. Returns the memberships changed."""
    return RoundMember.objects.filter(
        Q(status_at__isnull=True) | Q(status_at__lte=at),
        person_id=person_id,
        round__state=CheckInRound.State.OPEN,
        round__answers_since__lte=at,
    ).update(status=status, status_at=at, answered_at=Coalesce(F("answered_at"), Value(at)))


def _open_rounds(person_id: int) -> list[CheckInRound]:
    return list(
        CheckInRound.objects.filter(
            state=CheckInRound.State.OPEN, members__person_id=person_id
        ).order_by("-opened_at", "-id")
    )


def answer_follow_up(event: WelfareEvent, *, message_country: str | None) -> None:
    """A case for "needs help" (or an officer's "missing"); for "left", the stay ends."""
    rounds = _open_rounds(event.person_id)
    countries = {r.country_id for r in rounds}
    if message_country:
        countries.add(message_country)
    if event.status in (Status.NEEDS_HELP, Status.MISSING):
        country = rounds[0].country_id if rounds else next(iter(sorted(countries)), None)
        country = country or _person_country(event.person)
        case_open(event=event, round=rounds[0] if rounds else None, country_id=country)
    elif event.status == Status.LEFT:
        departure_record(person=event.person, at=event.at, countries=countries)


def departure_record(*, person: Person, at: datetime, countries: Iterable[str]) -> int:
    """End the person's stays in ``countries`` that cover ``at``: they left then. Returns
    the trips ended. The person says so themselves: no staff role is involved."""
    trips = Trip.objects.filter(
        person=person, country_id__in=list(countries), arrival__lte=at, until__gt=at
    ).select_related("subdivision")
    ended = 0
    for trip in trips:
        trip_update(acting_user=None, trip=trip, details=_ended(trip, at))
        ended += 1
    return ended


def _ended(trip: Trip, at: datetime) -> TripDetails:
    return TripDetails(
        country=trip.country_id,
        arrival=trip.arrival,
        departure=at,
        subdivision=trip.subdivision_id,
        city_geonameid=trip.city_geonameid,
        latitude=trip.latitude,
        longitude=trip.longitude,
        is_resident=trip.is_resident,
        companions=trip.companions,
        itinerary=trip.itinerary,
        leg=trip.leg,
    )


def officer_answer_record(
    *,
    acting_user: User,
    person: Person,
    status: str,
    note: str = "",
    place: str = "",
    left_to: Country | None = None,
    at: datetime | None = None,
    country_id: str | None = None,
) -> WelfareEvent:
    """An officer's entry ("reached by phone"): needs ``welfare.record`` and, for a
    scoped officer, a person in one of their countries."""
    authorize(acting_user, "welfare.record")
    check_scope(acting_user, country_id or _person_country(person))
    if at is not None and at > timezone.now():
        raise ValidationError({"at": _("The time of an answer cannot be in the future.")})
    return answer_record(
        person=person,
        status=status,
        channel=WelfareEvent.Channel.OFFICER,
        author=acting_user,
        note=note,
        place=place,
        left_to=left_to,
        at=at,
    )


def _person_country(person: Person) -> str | None:
    rounds = _open_rounds(person.pk)
    if rounds:
        return rounds[0].country_id
    now = timezone.now()
    trip = (
        Trip.objects.filter(person=person, arrival__lte=now, until__gt=now)
        .order_by("-arrival")
        .first()
    )
    return trip.country_id if trip else None


def latest_status(person: Person) -> WelfareEvent | None:
    return WelfareEvent.objects.filter(person=person).order_by("-at", "-id").first()
