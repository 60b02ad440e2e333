"""Opening and closing check-in rounds.

A round is opened by an officer (``round_open``) or, for a published edition at one of the
levels in ``CHECKIN_AUTO_LEVELS``, by the worker (``round_open_for_edition``): then the
edition's own advisory message, which already carries the answer links, is the round's
first ask. Otherwise the round sends its question to each member's preferred contact point
(``preference=1``); reminders and the cascade to the next contact points follow
(``warden.welfare.schedule``). Members are written in pages (``warden.welfare.members``):
the first pages here, the rest by the worker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.alerting.models import Message
from warden.alerting.services import MessageText, message_create
from warden.audit.services import record
from warden.geo.models import Country, CustomArea, Subdivision
from warden.welfare import members
from warden.welfare.models import CheckInRound, RoundMessage, Status
from warden.welfare.scope import check_scope

if TYPE_CHECKING:
    from warden.advisories.models import Edition

Area = Country | Subdivision | CustomArea
INLINE_PAGES = 2
MAX_REMINDERS = 10
MAX_PREFERENCE = 3


@dataclass(frozen=True)
class RoundDetails:
    """What an officer decides when opening a round. ``texts``: the question per language
    (title and body). ``reminder_minutes``: after opening; ``cascade_minutes``: the time
    between moving to each person's next contact point (None: no cascade)."""

    title: str
    texts: Mapping[str, MessageText]
    deadline: datetime
    reminder_minutes: Sequence[int] = ()
    cascade_minutes: int | None = None
    answer_options: Sequence[str] = field(default_factory=lambda: list(Status.values))
    exercise: bool = False
    max_preference: int = MAX_PREFERENCE


def _check(details: RoundDetails, now: datetime) -> None:
    problems: dict[str, str] = {}
    if not details.title.strip():
        problems["title"] = _("Give the round a title.")
    if details.deadline <= now:
        problems["deadline"] = _("The deadline must be in the future.")
    minutes = list(details.reminder_minutes)
    if len(minutes) > MAX_REMINDERS or any(m <= 0 for m in minutes):
        problems["reminder_minutes"] = _("Give up to ten reminder times, in minutes after opening.")
    elif minutes != sorted(set(minutes)):
        problems["reminder_minutes"] = _("List the reminder times once each, in increasing order.")
    if details.cascade_minutes is not None and details.cascade_minutes <= 0:
        problems["cascade_minutes"] = _("The time before the next contact point must be positive.")
    options = list(details.answer_options)
    if not options or any(o not in Status.values for o in options):
        problems["answer_options"] = _("Choose at least one answer from the list.")
    if not 1 <= details.max_preference <= MAX_PREFERENCE:
        problems["max_preference"] = _("Try one to three contact points.")
    if problems:
        raise ValidationError(problems)


def _country_of(area: Area) -> str:
    return area.pk if isinstance(area, Country) else str(area.country_id)


def _area_code(area: Area) -> str:
    return area.code if isinstance(area, CustomArea) else str(area.pk)


@transaction.atomic
def round_open(
    *,
    acting_user: User | None,
    details: RoundDetails,
    area: Area | None = None,
    people: Sequence[int] | None = None,
    country: Country | None = None,
    edition: Edition | None = None,
    first_message: Message | None = None,
    answers_since: datetime | None = None,
) -> CheckInRound:
    """Open a round for everyone present in ``area`` now, or for ``people`` (person ids,
    with the ``country`` they are asked about). ``acting_user`` None: the system."""
    if acting_user is not None:
        authorize(acting_user, "welfare.round")
    if (area is None) == (people is None):
        raise ValidationError(_("A round asks the people in an area, or a list of people."))
    people_ids = sorted({int(pk) for pk in people}) if people is not None else None
    if people_ids is not None and (not people_ids or country is None):
        raise ValidationError(_("Name the people to ask and the country they are in."))
    country_id = _country_of(area) if area is not None else str(country.pk if country else "")
    if acting_user is not None:
        check_scope(acting_user, country_id)
    now = timezone.now()
    _check(details, now)
    texts = {lang: {"title": t.title, "body": t.body} for lang, t in details.texts.items()}
    checkin = CheckInRound.objects.create(
        title=details.title.strip(),
        country_id=country_id,
        area_code=_area_code(area) if area is not None else "",
        people=people_ids,
        texts=texts,
        answer_options=list(details.answer_options),
        is_exercise=details.exercise,
        edition=edition,
        opened_by=acting_user,
        opened_at=now,
        answers_since=answers_since or now,
        deadline=details.deadline,
        reminder_minutes=list(details.reminder_minutes),
        cascade_minutes=details.cascade_minutes,
        max_preference=details.max_preference,
    )
    _first_ask(checkin, acting_user, details, area, people_ids, first_message)
    for _page in range(INLINE_PAGES):
        if not members.populate_page(checkin):
            break
    record(
        actor=acting_user,
        action="welfare.round.open",
        obj=checkin,
        after={
            "country": country_id,
            "area": checkin.area_code,
            "people": len(people_ids) if people_ids else None,
            "edition": edition.pk if edition else None,
            "deadline": details.deadline.isoformat(),
            "reminders": list(details.reminder_minutes),
            "cascade_minutes": details.cascade_minutes,
            "exercise": details.exercise,
        },
    )
    return checkin


def _first_ask(
    checkin: CheckInRound,
    acting_user: User | None,
    details: RoundDetails,
    area: Area | None,
    people_ids: list[int] | None,
    first_message: Message | None,
) -> RoundMessage:
    if first_message is not None:
        return RoundMessage.objects.create(
            round=checkin,
            message=first_message,
            purpose=RoundMessage.Purpose.INITIAL,
            preference=first_message.preference,
        )
    message = message_create(
        acting_user=acting_user,
        kind=Message.Kind.CHECKIN,
        texts=details.texts,
        area=area,
        people=people_ids,
        exercise=details.exercise,
        priority=Message.Priority.URGENT,
        answers=True,
        reference=checkin.reference,
        preference=1,
    )
    return RoundMessage.objects.create(
        round=checkin, message=message, purpose=RoundMessage.Purpose.INITIAL, preference=1
    )


@transaction.atomic
def round_close(*, acting_user: User, round: CheckInRound) -> CheckInRound:
    """Stop the round: no more reminders, and later answers no longer change its counts."""
    authorize(acting_user, "welfare.round")
    check_scope(acting_user, round.country_id)
    checkin = CheckInRound.objects.select_for_update().get(pk=round.pk)
    if not checkin.is_open:
        raise ValidationError(_("This round is already closed."))
    checkin.state = CheckInRound.State.CLOSED
    checkin.closed_at = timezone.now()
    checkin.closed_by = acting_user
    checkin.save(update_fields=["state", "closed_at", "closed_by"])
    record(
        actor=acting_user,
        action="welfare.round.close",
        obj=checkin,
        before={"state": CheckInRound.State.OPEN},
        after={"state": checkin.state},
    )
    return checkin


# --- Defaults and automatic rounds ----------------------------------------------------


def default_texts(
    country: Country, deadline: datetime, languages: Sequence[str]
) -> dict[str, MessageText]:
    """The standard question, in each language."""
    texts = {}
    for language in languages:
        with translation.override(language):
            place = country.local_name(language)
            texts[language] = MessageText(
                title=_("%(country)s: are you safe?") % {"country": place},
                body=_(
                    "We are checking on everyone registered in %(country)s. Tell us how you "
                    "are by %(deadline)s (UTC): one click on a link below, or reply SAFE, HELP "
                    "or LEFT with any details."
                )
                % {"country": place, "deadline": deadline.strftime("%Y-%m-%d %H:%M")},
            )
    return texts


def default_details(
    country: Country, *, languages: Sequence[str], exercise: bool = False
) -> RoundDetails:
    """A round as configured in settings (CHECKIN_*): deadline, reminders, cascade."""
    deadline = timezone.now() + timedelta(hours=settings.WARDEN_CHECKIN_DEADLINE_HOURS)
    minutes = sorted({int(m) for m in settings.WARDEN_CHECKIN_REMINDER_MINUTES if int(m) > 0})
    cascade = settings.WARDEN_CHECKIN_CASCADE_MINUTES
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Check-in: %(country)s") % {"country": country.name}
    return RoundDetails(
        title=title,
        texts=default_texts(country, deadline, languages),
        deadline=deadline,
        reminder_minutes=minutes,
        cascade_minutes=cascade if cascade > 0 else None,
        exercise=exercise,
    )


def auto_levels() -> frozenset[int]:
    """The levels whose publication opens a round (CHECKIN_AUTO_LEVELS, e.g. "3,4")."""
    return frozenset(
        int(item) for item in settings.WARDEN_CHECKIN_AUTO_LEVELS if str(item).strip().isdigit()
    )


@transaction.atomic
def round_open_for_edition(*, message: Message) -> CheckInRound:
    """The round of a published edition: its advisory message is the first ask."""
    edition = message.edition
    assert edition is not None
    details = default_details(
        edition.country, languages=list(message.texts), exercise=edition.is_exercise
    )
    return round_open(
        acting_user=None,
        details=details,
        area=edition.country,
        edition=edition,
        first_message=message,
        answers_since=message.created_at,
    )
