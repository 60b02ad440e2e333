"""What drawdown sends: orders and reminders to the people they cover, and tripwire alerts
to the post's emergency action committee. Everything goes through the alerting engine
(``kind="drawdown"``), inside the caller's transaction; the worker expands and sends.

Each person gets their own message, because each carries the person's own signed link
for reporting their departure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import translation
from django.utils.translation import gettext as _

from warden.alerting.models import Message
from warden.alerting.services import MessageText, message_create
from warden.missions import links, rules
from warden.missions.models import PostDecision, PostStatus, StaffMember, TripwireHit
from warden.missions.services.departures import staff_in_scope

if TYPE_CHECKING:
    from warden.welfare.models import CheckInRound

KIND = Message.Kind.DRAWDOWN
URGENT = Message.Priority.URGENT


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def _order_text(decision: PostDecision, *, reminder: bool) -> tuple[str, str]:
    post = decision.post
    values = {
        "post": post.local_name(),
        "status": PostStatus(decision.to_status).label,
        "haven": decision.safe_haven or "—",
        "deadline": decision.deadline.strftime("%Y-%m-%d %H:%M UTC") if decision.deadline else "—",
    }
    if reminder:
        title = _("Reminder: %(status)s at %(post)s") % values
    else:
        title = _("%(status)s at %(post)s") % values
    body = (
        _(
            "%(status)s is in force at %(post)s. Safe haven: %(haven)s. Deadline: "
            "%(deadline)s. Tell us where you are with your personal link, at each step."
        )
        % values
    )
    return title, body + "\n\n" + decision.reasons


def _texts(decision: PostDecision, staff: StaffMember, *, reminder: bool) -> dict[str, MessageText]:
    texts: dict[str, MessageText] = {}
    url = links.departure_link(staff)
    for language in _languages():
        with translation.override(language):
            title, body = _order_text(decision, reminder=reminder)
        texts[language] = MessageText(title=title, body=body, url=url)
    return texts


def _send(
    *,
    acting_user: User | None,
    staff: Iterable[StaffMember],
    decision: PostDecision,
    reminder: bool,
) -> int:
    sent = 0
    for member in staff:
        message_create(
            acting_user=acting_user,
            kind=KIND,
            texts=_texts(decision, member, reminder=reminder),
            people=[member.person_id],
            priority=URGENT,
            answers=True,
            reference=f"missions.decision:{decision.pk}",
        )
        sent += 1
    return sent


def affected_staff(decision: PostDecision) -> list[StaffMember]:
    """Everyone a departure decision covers who is not exempt."""
    return [m for m in staff_in_scope(decision) if m.departure_state != "exempt"]


def notify_staff(decision: PostDecision) -> int:
    """Send the drawdown order to everyone it covers; returns how many messages."""
    staff = affected_staff(decision)
    sent = _send(acting_user=decision.decided_by, staff=staff, decision=decision, reminder=False)
    open_staff_round(decision)
    return sent


def remind_staff(decision: PostDecision, *, acting_user: User) -> int:
    """Remind those covered who have not left yet."""
    staff = [m for m in affected_staff(decision) if m.departure_state in rules.NOT_LEFT]
    return _send(acting_user=acting_user, staff=staff, decision=decision, reminder=True)


def open_staff_round(decision: PostDecision) -> CheckInRound | None:
    """Open a check-in round for everyone the drawdown order covers, so that the crisis
    cell sees who is safe and who needs help as they leave. Deadline, reminders and the
    cascade to each person's next contact point come from the CHECKIN_* settings."""
    from warden.welfare.services import default_details, round_open

    people = sorted({member.person_id for member in affected_staff(decision)})
    if not people:
        return None
    post = decision.post
    details = default_details(post.country, languages=["en", "he"])
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Staff check-in: %(post)s") % {"post": post.name}
    return round_open(
        acting_user=None,
        details=dataclasses.replace(details, title=title),
        people=people,
        country=post.country,
    )


def _committee(hit: TripwireHit) -> list[StaffMember]:
    post = hit.tripwire.post
    members = list(post.staff.filter(on_committee=True))
    return members or list(post.staff.filter(is_head_of_mission=True))


def notify_committee(hit: TripwireHit) -> int:
    """Tell the post's emergency action committee (or its head) that a tripwire fired."""
    members = _committee(hit)
    if not members:
        return 0
    post = hit.tripwire.post
    texts = {}
    for language in _languages():
        with translation.override(language):
            values = {"post": post.local_name(), "rule": hit.tripwire.name}
            texts[language] = MessageText(
                title=_("Tripwire at %(post)s: %(rule)s") % values,
                body=_(
                    "The tripwire “%(rule)s” fired at %(post)s. The emergency action "
                    "committee should meet; the evidence is in the console."
                )
                % values,
            )
    message_create(
        acting_user=hit.reported_by,
        kind=KIND,
        texts=texts,
        people=[m.person_id for m in members],
        priority=URGENT,
        answers=False,
        reference=f"missions.tripwire_hit:{hit.pk}",
    )
    return len(members)
