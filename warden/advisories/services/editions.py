"""The advisory edition workflow: draft → submitted → published → superseded / withdrawn.

Every function checks the acting user's role and, where the level is 3 or higher on either
side of the change, that the approver is not among the edition's authors. These checks live
here so that no view, API, admin page or command can skip them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.advisories.models import (
    AreaLevel,
    Authority,
    Edition,
    EditionText,
    Statement,
    Status,
)
from warden.advisories.rules import (
    EDITABLE,
    author_ids,
    blocked_by_two_person_rule,
)
from warden.advisories.services.authorities import default_authority
from warden.advisories.services.content import (
    AreaContent,
    EditionContent,
    TextContent,
    check_complete,
    check_dates,
    check_structure,
)
from warden.advisories.services.workflow import mark_returned, mark_submitted, require_status
from warden.advisories.signals import publication_committed
from warden.alerting.services import messages_for_edition, notify_by_default
from warden.audit.services import record
from warden.geo.models import Country, CustomArea, Subdivision


def _announce(country_codes: list[str]) -> None:
    """After commit, tell receivers (public snapshots) which countries changed."""
    transaction.on_commit(
        lambda: publication_committed.send(sender=Edition, country_codes=country_codes),
        robust=True,
    )


class TwoPersonRuleError(PermissionDenied):
    """The acting approver wrote or edited what they are approving."""


def _lock_country(country: Country) -> Country:
    return Country.objects.select_for_update().get(pk=country.pk)


def current_edition(country: Country | str, *, exercise: bool = False) -> Edition | None:
    code = country.pk if isinstance(country, Country) else country
    return (
        Edition.objects.filter(country_id=code, is_exercise=exercise, status=Status.PUBLISHED)
        .select_related("authority")
        .first()
    )


def edition_content(edition: Edition) -> EditionContent:
    """Read an edition back as the content an analyst would write."""
    return EditionContent(
        level=edition.level,
        reasons=tuple(edition.reasons),
        texts={t.language: TextContent(t.summary, t.body) for t in edition.texts.all()},
        change_note=edition.change_note,
        is_minor=edition.is_minor,
        effective_at=edition.effective_at,
        review_due=edition.review_due,
        is_temporary=edition.is_temporary,
        expected_end=edition.expected_end,
        areas=tuple(
            AreaContent(code=a.area_code, level=a.level, notes=dict(a.notes))
            for a in edition.areas.select_related("custom_area")
        ),
        statement_ids=tuple(edition.statements.values_list("pk", flat=True)),
    )


def _snapshot(edition: Edition) -> dict[str, Any]:
    return {
        "status": edition.status,
        "level": edition.level,
        "exercise": edition.is_exercise,
        "areas": {a.area_code: a.level for a in edition.areas.select_related("custom_area")},
    }


def _authors(obj: Edition | Statement) -> set[int]:
    return author_ids(obj)


def _resolve_area(country: Country, area: AreaContent) -> dict[str, Any]:
    sub = Subdivision.objects.filter(pk=area.code, country=country).first()
    if sub is not None:
        return {"subdivision": sub}
    custom = CustomArea.objects.filter(code=area.code, country=country).first()
    if custom is not None:
        return {"custom_area": custom}
    raise ValidationError(
        {
            "areas": _("%(code)s is not an area of %(country)s.")
            % {"code": area.code, "country": country.local_name()}
        }
    )


def _write_content(edition: Edition, content: EditionContent) -> None:
    check_structure(content, authority=edition.authority, country=edition.country)
    for name in (
        "level",
        "change_note",
        "is_minor",
        "effective_at",
        "review_due",
        "is_temporary",
        "expected_end",
    ):
        setattr(edition, name, getattr(content, name))
    edition.reasons = list(content.reasons)
    edition.save()
    edition.texts.all().delete()
    EditionText.objects.bulk_create(
        EditionText(edition=edition, language=lang, summary=t.summary, body=t.body)
        for lang, t in content.texts.items()
        if t.summary.strip() or t.body.strip()
    )
    edition.areas.all().delete()
    for area in content.areas:
        AreaLevel.objects.create(
            edition=edition,
            level=area.level,
            notes=area.notes,
            **_resolve_area(edition.country, area),
        )
    statements = list(
        Statement.objects.filter(pk__in=content.statement_ids, countries=edition.country)
    )
    if len(statements) != len(set(content.statement_ids)):
        raise ValidationError({"statement_ids": _("Cite only statements about this country.")})
    edition.statements.set(statements)


@transaction.atomic
def edition_draft(
    *,
    acting_user: User,
    country: Country,
    content: EditionContent,
    is_exercise: bool = False,
    authority: Authority | None = None,
) -> Edition:
    """Start a new edition for ``country``. Exercise mode is fixed here, for good."""
    authorize(acting_user, "advisory.draft")
    country = _lock_country(country)
    authority = authority or default_authority()
    numbers = Edition.objects.filter(country=country, is_exercise=is_exercise)
    edition = Edition(
        authority=authority,
        country=country,
        number=(numbers.aggregate(n=Max("number"))["n"] or 0) + 1,
        level=content.level,
        is_exercise=is_exercise,
        author=acting_user,
        based_on=current_edition(country, exercise=is_exercise),
    )
    _write_content(edition, content)
    record(
        actor=acting_user, action="advisory.edition.draft", obj=edition, after=_snapshot(edition)
    )
    return edition


@transaction.atomic
def edition_revise(*, acting_user: User, edition: Edition, content: EditionContent) -> Edition:
    """Change a draft (or a returned edition). Whoever edits it becomes one of its authors."""
    authorize(acting_user, "advisory.draft")
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned edition can be changed."))
    before = _snapshot(edition)
    _write_content(edition, content)
    if acting_user.pk != edition.author_id:
        edition.contributors.add(acting_user)
    record(
        actor=acting_user,
        action="advisory.edition.revise",
        obj=edition,
        before=before,
        after=_snapshot(edition),
    )
    return edition


@transaction.atomic
def edition_submit(*, acting_user: User, edition: Edition) -> Edition:
    """Send a complete draft to the approvers."""
    authorize(acting_user, "advisory.submit")
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    require_status(edition, Status.SUBMITTED)
    current = current_edition(edition.country, exercise=edition.is_exercise)
    check_complete(edition_content(edition), previous_level=current.level if current else None)
    before = _snapshot(edition)
    mark_submitted(edition, acting_user=acting_user)
    record(
        actor=acting_user,
        action="advisory.edition.submit",
        obj=edition,
        before=before,
        after=_snapshot(edition),
    )
    return edition


@transaction.atomic
def edition_return(*, acting_user: User, edition: Edition, comment: str) -> Edition:
    """Send a submitted edition back to its author with a comment."""
    authorize(acting_user, "advisory.return")
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    comment = mark_returned(edition, comment=comment)
    record(
        actor=acting_user,
        action="advisory.edition.return",
        obj=edition,
        summary=comment[:500],
        after=_snapshot(edition),
    )
    return edition


def _check_second_person(acting_user: User, edition: Edition, other: Edition | None) -> None:
    if blocked_by_two_person_rule(user_id=acting_user.pk, edition=edition, other=other):
        raise TwoPersonRuleError(
            _("You wrote or edited this. A level of 3 or higher needs an approver who did neither.")
        )


@transaction.atomic
def edition_publish(*, acting_user: User, edition: Edition, notify: bool | None = None) -> Edition:
    """Publish a submitted edition; the current one becomes superseded.

    ``notify`` (default: on for level 3 and above, off for minor edits) creates the message
    to the people in the country in the same transaction; the worker sends it.
    """
    authorize(acting_user, "advisory.publish")
    _lock_country(edition.country)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    require_status(edition, Status.PUBLISHED)
    current = current_edition(edition.country, exercise=edition.is_exercise)
    if current is not None and current.pk != (edition.based_on_id or current.pk):
        raise ValidationError(
            _(
                "Edition %(number)s was published after this draft was started. Return it so "
                "that the author can bring it up to date."
            )
            % {"number": current.number}
        )
    if current is None and edition.based_on_id is not None:
        raise ValidationError(_("The edition this draft was based on is no longer current."))
    _check_second_person(acting_user, edition, current)
    content = edition_content(edition)
    check_complete(content, previous_level=current.level if current else None)
    now = timezone.now()
    effective = edition.effective_at or now
    edition.review_due = check_dates(
        content, effective=effective, current_effective=current.effective_at if current else None
    )
    if current is not None:
        current.status = Status.SUPERSEDED
        current.save(update_fields=["status", "updated_at"])
        record(
            actor=acting_user,
            action="advisory.edition.supersede",
            obj=current,
            after={"status": Status.SUPERSEDED, "by": edition.pk},
        )
    before = _snapshot(edition)
    edition.status = Status.PUBLISHED
    edition.effective_at = effective
    edition.published_by = acting_user
    edition.published_at = now
    edition.previous = current
    edition.save()
    record(
        actor=acting_user,
        action="advisory.edition.publish",
        obj=edition,
        before=before,
        after=_snapshot(edition) | {"previous": current.pk if current else None},
    )
    from warden.advisories.services.statements import statement_publish

    for statement in edition.tied_statements.filter(status=Status.SUBMITTED):
        # The edition's own message announces them.
        statement_publish(acting_user=acting_user, statement=statement, notify=False)
    if notify is None:
        notify = notify_by_default(edition.level, is_minor=edition.is_minor)
    if notify:
        messages_for_edition(acting_user=acting_user, edition=edition)
    if not edition.is_exercise:
        _announce([edition.country_id])
    return edition


@transaction.atomic
def edition_withdraw(*, acting_user: User, edition: Edition, reason: str) -> Edition:
    """Withdraw the current edition; the one it replaced becomes current again."""
    authorize(acting_user, "advisory.withdraw")
    _lock_country(edition.country)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    require_status(edition, Status.WITHDRAWN)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    previous = edition.previous
    _check_second_person(acting_user, edition, previous)
    before = _snapshot(edition)
    edition.status = Status.WITHDRAWN
    edition.withdrawn_by = acting_user
    edition.withdrawn_at = timezone.now()
    edition.withdrawn_reason = reason.strip()
    edition.save()
    record(
        actor=acting_user,
        action="advisory.edition.withdraw",
        obj=edition,
        summary=reason.strip()[:500],
        before=before,
        after=_snapshot(edition),
    )
    if previous is not None and previous.status == Status.SUPERSEDED:
        previous.status = Status.PUBLISHED
        previous.save(update_fields=["status", "updated_at"])
        record(
            actor=acting_user,
            action="advisory.edition.reinstate",
            obj=previous,
            after={"status": Status.PUBLISHED, "after_withdrawal_of": edition.pk},
        )
    from warden.advisories.services.statements import statements_withdraw_with_edition

    statements_withdraw_with_edition(
        acting_user=acting_user,
        edition=edition,
        reason=_("Withdrawn with its edition: %(reason)s") % {"reason": reason.strip()},
        statements=edition.tied_statements.select_for_update().filter(status=Status.PUBLISHED),
    )
    if not edition.is_exercise:
        _announce([edition.country_id])
    return edition
