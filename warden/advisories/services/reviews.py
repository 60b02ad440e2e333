"""Review reminders: a scheduled step that the worker runs.

Each analyst gets one digest per run listing the editions they answer for that are due
soon or overdue; each edition is reminded once per kind.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from warden.accounts.roles import Role
from warden.advisories.models import Edition, ReviewReminder
from warden.advisories.selectors import editions_review_due, review_state
from warden.audit.services import record

log = logging.getLogger(__name__)

Due = tuple[Edition, str]


def responsible_analysts(edition: Edition) -> list[User]:
    """The edition's author and contributors who are still analysts; else every analyst."""
    analysts = User.objects.filter(is_active=True, groups__name=Role.ANALYST).exclude(email="")
    ids = {edition.author_id, *edition.contributors.values_list("pk", flat=True)}
    own = list(analysts.filter(pk__in=ids).distinct())
    return own or list(analysts.distinct())


def _subject(items: list[Due]) -> str:
    if len(items) > 1:
        return _("%(count)s advisories are due for review") % {"count": len(items)}
    edition, kind = items[0]
    text = (
        _("Review overdue: %(country)s, level %(level)s")
        if kind == ReviewReminder.Kind.OVERDUE
        else _("Review due soon: %(country)s, level %(level)s")
    )
    return text % {"country": edition.country.name, "level": edition.level}


def _line(edition: Edition, kind: str) -> str:
    label = _("overdue") if kind == ReviewReminder.Kind.OVERDUE else _("due soon")
    return _(
        "- %(country)s (edition %(number)s, level %(level)s): review %(label)s, %(due)s, %(url)s"
    ) % {
        "country": edition.country.name,
        "number": edition.number,
        "level": edition.level,
        "label": label,
        "due": edition.review_due,
        "url": f"{settings.SITE_URL}/console/countries/{edition.country_id}/",
    }


def _send_digest(user: User, items: list[Due]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        body = "\n".join(
            [
                _("These advisories need their review:"),
                "",
                *(_line(edition, kind) for edition, kind in items),
            ]
        )
        send_mail(_subject(items), body, None, [user.email])


def _pending(limit: int) -> list[Due]:
    today = timezone.localdate()
    due = list(editions_review_due(today=today)[:limit])
    sent = set(ReviewReminder.objects.filter(edition__in=due).values_list("edition_id", "kind"))
    items = [(edition, review_state(edition, today=today)) for edition in due]
    return [(e, kind) for e, kind in items if kind and (e.pk, kind) not in sent]


def review_reminders_send(*, limit: int = 1000) -> int:
    """Send the due reminders as one digest per analyst. Returns how many editions.

    Mail goes out before the reminders are recorded: after a crash a reminder may be sent
    twice, never lost.
    """
    pending = _pending(limit)
    digests: dict[int, tuple[User, list[Due]]] = {}
    counts: dict[int, int] = defaultdict(int)
    for edition, kind in pending:
        for user in responsible_analysts(edition):
            digests.setdefault(user.pk, (user, []))[1].append((edition, kind))
            counts[edition.pk] += 1
    for user, items in digests.values():
        _send_digest(user, items)
    with transaction.atomic():
        for edition, kind in pending:
            reminder = ReviewReminder.objects.create(
                edition=edition, kind=kind, recipients=counts[edition.pk]
            )
            record(
                actor=None,
                action=f"advisory.review.{kind}",
                obj=edition,
                after={"reminder": reminder.pk, "recipients": counts[edition.pk]},
            )
    if pending:
        log.info("review reminders: %d editions, %d digests", len(pending), len(digests))
    return len(pending)
