"""Creating, cancelling and correcting messages.

``message_create`` runs inside the caller's transaction (a publication, a drawdown
decision), so a message exists exactly when what it announces was committed; the worker
then expands it into deliveries and sends them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.alerting.models import Delivery, Message
from warden.audit.services import record
from warden.geo.models import Country, CustomArea, Subdivision

if TYPE_CHECKING:
    from warden.advisories.models import Edition, Statement

Area = Country | Subdivision | CustomArea
UNSENT = (Delivery.State.QUEUED, Delivery.State.SENDING)
REACHED = (Delivery.State.SENT, Delivery.State.DELIVERED)
TITLE_MAX = 200
BODY_MAX = 20_000


@dataclass(frozen=True)
class MessageText:
    """A message in one language: a title (email subject, push title), the body, and a link
    to read more (the public page)."""

    title: str
    body: str
    url: str = ""


def _check_texts(texts: Mapping[str, MessageText]) -> dict[str, dict[str, str]]:
    languages = {code for code, _name in settings.LANGUAGES}
    if not texts:
        raise ValidationError({"texts": _("A message needs its text in at least one language.")})
    checked: dict[str, dict[str, str]] = {}
    for language, text in texts.items():
        if language not in languages:
            raise ValidationError(
                {
                    "texts": _("%(language)s is not a language Warden sends in.")
                    % {"language": language}
                }
            )
        if not text.title.strip() or not text.body.strip():
            raise ValidationError(
                {
                    "texts": _("The %(language)s text needs a title and a body.")
                    % {"language": language}
                }
            )
        if len(text.title) > TITLE_MAX or len(text.body) > BODY_MAX:
            raise ValidationError(
                {"texts": _("The %(language)s text is too long.") % {"language": language}}
            )
        checked[language] = {k: v.strip() for k, v in asdict(text).items()}
    return checked


def _area_fields(area: Area) -> dict[str, object]:
    if isinstance(area, Country):
        return {"country": area, "area_code": area.pk}
    if isinstance(area, Subdivision):
        return {"country_id": area.country_id, "area_code": area.pk}
    return {"country_id": area.country_id, "area_code": area.code}


def message_create(
    *,
    acting_user: User | None,
    kind: str,
    texts: Mapping[str, MessageText],
    area: Area | None = None,
    people: Iterable[int] | None = None,
    exercise: bool = False,
    priority: int = Message.Priority.HIGH,
    answers: bool = True,
    reference: str = "",
    edition: Edition | None = None,
    statement: Statement | None = None,
    corrects: Message | None = None,
    preference: int | None = None,
) -> Message:
    """A message to everyone present in ``area`` now, or to exactly ``people`` (person ids),
    or (a correction) to everyone ``corrects`` reached. ``preference`` N sends only to each
    person's N-th verified contact point (1: their preferred one); None to all of them.

    Call it inside the transaction that decides what it announces. Exercise messages go only
    to exercise participants. The caller has checked the user's right to decide; this
    records who asked for the message.
    """
    if kind not in Message.Kind.values:
        raise ValidationError({"kind": _("Unknown message kind.")})
    chosen = sum(x is not None for x in (area, people, corrects))
    if chosen != 1:
        raise ValidationError(
            _("A message goes to an area, to a list of people, or to the reach of a message.")
        )
    people_ids = sorted({int(pk) for pk in people}) if people is not None else None
    if preference is not None and preference < 1:
        raise ValidationError({"preference": _("The contact preference starts at 1.")})
    if people_ids is not None and not people_ids:
        raise ValidationError({"people": _("The list of people to message is empty.")})
    message = Message(
        kind=kind,
        priority=priority,
        is_exercise=exercise,
        answers=answers,
        reference=reference,
        edition=edition,
        statement=statement,
        corrects=corrects,
        people=people_ids,
        preference=preference,
        audience_at=timezone.now(),
        texts=_check_texts(texts),
        created_by=acting_user,
        **(_area_fields(area) if area is not None else {}),
    )
    if corrects is not None:
        message.country_id = corrects.country_id
    message.full_clean(exclude=["texts", "people"])
    message.save()
    record(
        actor=acting_user,
        action="alerting.message.create",
        obj=message,
        after={
            "kind": kind,
            "area": message.area_code,
            "people": len(people_ids) if people_ids else None,
            "corrects": corrects.pk if corrects else None,
            "exercise": exercise,
            "reference": reference,
        },
    )
    return message


def _site(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _country_url(code: str, language: str, *, exercise: bool) -> str:
    from django.urls import reverse

    with translation.override(language):
        name = "site:exercise_country" if exercise else "site:country"
        return _site(reverse(name, kwargs={"iso2": code}))


def edition_texts(edition: Edition) -> dict[str, MessageText]:
    """The message announcing an edition, in each language it was written in."""
    level = edition.level_obj()
    texts = {}
    for text in edition.texts.all():
        with translation.override(text.language):
            title = _("%(country)s: level %(level)s — %(name)s") % {
                "country": edition.country.local_name(text.language),
                "level": edition.level,
                "name": level.text("name", text.language),
            }
            texts[text.language] = MessageText(
                title=title,
                body=f"{text.summary}\n\n{level.text('wording', text.language)}".strip(),
                url=_country_url(edition.country_id, text.language, exercise=edition.is_exercise),
            )
    return texts


def notify_by_default(level: int, *, is_minor: bool = False) -> bool:
    """Level 3 and above notify unless the approver unticks it; minor edits never do."""
    return not is_minor and level >= settings.WARDEN_NOTIFY_FROM_LEVEL


def messages_for_edition(*, acting_user: User, edition: Edition) -> Message:
    """The message announcing a published edition to the people in its country."""
    return message_create(
        acting_user=acting_user,
        kind=Message.Kind.ADVISORY,
        texts=edition_texts(edition),
        area=edition.country,
        exercise=edition.is_exercise,
        priority=Message.Priority.URGENT if edition.level >= 4 else Message.Priority.HIGH,
        answers=edition.level >= 3,
        edition=edition,
    )


def statement_texts(statement: Statement) -> dict[str, MessageText]:
    texts = {}
    for text in statement.texts.all():
        codes = list(statement.countries.values_list("code", flat=True))
        url = _country_url(codes[0], text.language, exercise=statement.is_exercise) if codes else ""
        texts[text.language] = MessageText(title=text.title, body=text.text, url=url)
    return texts


def messages_for_statement(*, acting_user: User, statement: Statement) -> list[Message]:
    """One message per country the statement concerns."""
    texts = statement_texts(statement)
    return [
        message_create(
            acting_user=acting_user,
            kind=Message.Kind.STATEMENT,
            texts=texts,
            area=country,
            exercise=statement.is_exercise,
            priority=Message.Priority.HIGH,
            answers=False,
            statement=statement,
        )
        for country in statement.countries.all()
    ]


@transaction.atomic
def message_cancel(
    *,
    acting_user: User,
    message: Message,
    reason: str,
    correction: Mapping[str, MessageText] | None = None,
) -> tuple[int, Message | None]:
    """Stop every unsent delivery of ``message``; with ``correction``, send it to everyone
    the message already reached. Returns (deliveries stopped, the correction message)."""
    authorize(acting_user, "message.cancel")
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.is_cancelled:
        raise ValidationError(_("This message was already cancelled."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    now = timezone.now()
    stopped = Delivery.objects.filter(message=message, state__in=UNSENT).update(
        state=Delivery.State.CANCELLED, lease_until=None, leased_by="", error=_("Cancelled")
    )
    before = {"state": message.state}
    message.state = Message.State.CANCELLED
    message.cancelled_at = now
    message.cancelled_by = acting_user
    message.cancel_reason = reason.strip()
    message.save(update_fields=["state", "cancelled_at", "cancelled_by", "cancel_reason"])
    record(
        actor=acting_user,
        action="alerting.message.cancel",
        obj=message,
        summary=reason.strip()[:500],
        before=before,
        after={"state": message.state, "stopped": stopped},
    )
    fix = None
    if correction:
        fix = message_create(
            acting_user=acting_user,
            kind=Message.Kind.CORRECTION,
            texts=correction,
            corrects=message,
            exercise=message.is_exercise,
            priority=Message.Priority.URGENT,
            answers=False,
        )
    return stopped, fix
