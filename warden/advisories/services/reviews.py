"""Review reminders: a scheduled step that the worker runs."""

from __future__ import annotations

import logging

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


def responsible_analysts(edition: Edition) -> list[User]:
    """The edition's author and contributors who are still analysts; else every analyst."""
    analysts = User.objects.filter(is_active=True, groups__name=Role.ANALYST).exclude(email="")
    ids = {edition.author_id, *edition.contributors.values_list("pk", flat=True)}
    own = list(analysts.filter(pk__in=ids).distinct())
    return own or list(analysts.distinct())


def _send(edition: Edition, kind: str, recipients: list[User]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = (
            _("Review overdue: %(country)s, level %(level)s")
            if kind == ReviewReminder.Kind.OVERDUE
            else _("Review due soon: %(country)s, level %(level)s")
        ) % {"country": edition.country.name, "level": edition.level}
        body = _(
            "The advisory for %(country)s (edition %(number)s, level %(level)s) is due "
            "for review on %(due)s.\n\nOpen it in the console: %(url)s"
        ) % {
            "country": edition.country.name,
            "number": edition.number,
            "level": edition.level,
            "due": edition.review_due,
            "url": f"{settings.SITE_URL}/console/countries/{edition.country_id}/",
        }
    send_mail(subject, body, None, [u.email for u in recipients])


def review_reminders_send() -> int:
    """Send one "due soon" and one "overdue" reminder per current edition. Returns the count.

    Mail goes out before the reminder is recorded: after a crash a reminder may be sent
    twice, never lost.
    """
    sent = 0
    today = timezone.localdate()
    for edition in editions_review_due(today=today):
        kind = review_state(edition, today=today)
        if not kind or ReviewReminder.objects.filter(edition=edition, kind=kind).exists():
            continue
        recipients = responsible_analysts(edition)
        if recipients:
            _send(edition, kind, recipients)
        with transaction.atomic():
            reminder = ReviewReminder.objects.create(
                edition=edition, kind=kind, recipients=len(recipients)
            )
            record(
                actor=None,
                action=f"advisory.review.{kind}",
                obj=edition,
                after={"reminder": reminder.pk, "recipients": len(recipients)},
            )
        log.info(
            "review reminder %s for edition %s to %d analysts", kind, edition.pk, len(recipients)
        )
        sent += 1
    return sent
