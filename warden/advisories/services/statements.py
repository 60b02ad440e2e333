"""Official statements: the same workflow as editions, and always two people to publish."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.advisories.models import Authority, Edition, Statement, StatementText, Status
from warden.advisories.rules import EDITABLE
from warden.advisories.services.authorities import default_authority
from warden.advisories.services.content import language_codes
from warden.advisories.services.editions import (
    TwoPersonRuleError,
    _announce,
    _authors,
)
from warden.advisories.services.workflow import mark_returned, mark_submitted, require_status
from warden.alerting.services import messages_for_statement, notify_by_default
from warden.audit.services import record
from warden.geo.models import Country


@dataclass(frozen=True)
class StatementContent:
    countries: tuple[str, ...]
    texts: dict[str, tuple[str, str]]  # language -> (headline, text)
    edition_id: int | None = None
    issued_at: datetime | None = None  # when it was issued, if not at publication


def _snapshot(statement: Statement) -> dict[str, Any]:
    return {
        "status": statement.status,
        "exercise": statement.is_exercise,
        "countries": sorted(statement.countries.values_list("pk", flat=True)),
        "edition": statement.edition_id,
    }


def _write(statement: Statement, content: StatementContent) -> None:
    errors: dict[str, list[str]] = {}
    countries = list(Country.objects.filter(pk__in=content.countries))
    if not content.countries:
        errors.setdefault("countries", []).append(_("Choose at least one country."))
    elif len(countries) != len(set(content.countries)):
        errors.setdefault("countries", []).append(_("Unknown country code."))
    for language in content.texts:
        if language not in language_codes():
            errors.setdefault("texts", []).append(
                _("Unsupported language %(lang)s.") % {"lang": language}
            )
    edition = None
    if content.edition_id is not None:
        edition = Edition.objects.filter(
            pk=content.edition_id, is_exercise=statement.is_exercise
        ).first()
        if edition is None or edition.country_id not in content.countries:
            errors.setdefault("edition_id", []).append(
                _("Tie the statement to an edition for one of its countries.")
            )
    if content.issued_at is not None and content.issued_at > timezone.now() + timedelta(minutes=1):
        errors.setdefault("issued_at", []).append(_("The issue time cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    statement.edition = edition
    statement.issued_at = content.issued_at
    statement.save()
    statement.countries.set(countries)
    statement.texts.all().delete()
    StatementText.objects.bulk_create(
        StatementText(statement=statement, language=lang, title=title.strip(), text=text.strip())
        for lang, (title, text) in content.texts.items()
        if title.strip() or text.strip()
    )


@transaction.atomic
def statement_draft(
    *,
    acting_user: User,
    content: StatementContent,
    is_exercise: bool = False,
    authority: Authority | None = None,
) -> Statement:
    authorize(acting_user, "statement.draft")
    statement = Statement(
        authority=authority or default_authority(), is_exercise=is_exercise, author=acting_user
    )
    _write(statement, content)
    record(
        actor=acting_user,
        action="advisory.statement.draft",
        obj=statement,
        after=_snapshot(statement),
    )
    return statement


@transaction.atomic
def statement_revise(
    *, acting_user: User, statement: Statement, content: StatementContent
) -> Statement:
    authorize(acting_user, "statement.draft")
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    if statement.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned statement can be changed."))
    before = _snapshot(statement)
    _write(statement, content)
    if acting_user.pk != statement.author_id:
        statement.contributors.add(acting_user)
    record(
        actor=acting_user,
        action="advisory.statement.revise",
        obj=statement,
        before=before,
        after=_snapshot(statement),
    )
    return statement


@transaction.atomic
def statement_submit(*, acting_user: User, statement: Statement) -> Statement:
    authorize(acting_user, "statement.submit")
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    require_status(statement, Status.SUBMITTED)
    main = statement.texts.filter(language=settings.LANGUAGE_CODE).first()
    if main is None or not main.title or not main.text:
        raise ValidationError({"texts": _("The English headline and text are required.")})
    mark_submitted(statement, acting_user=acting_user)
    record(
        actor=acting_user,
        action="advisory.statement.submit",
        obj=statement,
        after=_snapshot(statement),
    )
    return statement


@transaction.atomic
def statement_return(*, acting_user: User, statement: Statement, comment: str) -> Statement:
    authorize(acting_user, "statement.return")
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    comment = mark_returned(statement, comment=comment)
    record(
        actor=acting_user,
        action="advisory.statement.return",
        obj=statement,
        summary=comment[:500],
        after=_snapshot(statement),
    )
    return statement


def _second_person(acting_user: User, statement: Statement) -> None:
    if acting_user.pk in _authors(statement):
        raise TwoPersonRuleError(
            _("You wrote or edited this statement; another approver must decide on it.")
        )


@transaction.atomic
def statement_publish(
    *, acting_user: User, statement: Statement, notify: bool | None = None
) -> Statement:
    """Publish a submitted statement. A statement always needs a second person.

    ``notify`` (default: on when one of its countries is at level 3 or above) messages the
    people in its countries in the same transaction.
    """
    authorize(acting_user, "statement.publish")
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    require_status(statement, Status.PUBLISHED)
    _second_person(acting_user, statement)
    if statement.edition is not None and statement.edition.status not in {
        Status.PUBLISHED,
        Status.SUBMITTED,
    }:
        raise ValidationError(_("The edition this statement is tied to is not published."))
    now = timezone.now()
    statement.status = Status.PUBLISHED
    statement.published_by = acting_user
    statement.published_at = now
    statement.issued_at = statement.issued_at or now
    statement.save()
    record(
        actor=acting_user,
        action="advisory.statement.publish",
        obj=statement,
        after=_snapshot(statement),
    )
    if notify is None:
        notify = statement_notifies_by_default(statement)
    if notify:
        messages_for_statement(acting_user=acting_user, statement=statement)
    if not statement.is_exercise:
        _announce(sorted(statement.countries.values_list("pk", flat=True)))
    return statement


def statement_notifies_by_default(statement: Statement) -> bool:
    """True when one of the statement's countries is at the notifying level or above."""
    levels = Edition.objects.filter(
        country__in=statement.countries.all(),
        is_exercise=statement.is_exercise,
        status=Status.PUBLISHED,
    ).values_list("level", flat=True)
    return any(notify_by_default(level) for level in levels)


def _withdraw(acting_user: User, statement: Statement, reason: str) -> Statement:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    statement.status = Status.WITHDRAWN
    statement.withdrawn_by = acting_user
    statement.withdrawn_at = timezone.now()
    statement.withdrawn_reason = reason.strip()
    statement.save()
    record(
        actor=acting_user,
        action="advisory.statement.withdraw",
        obj=statement,
        summary=reason.strip()[:500],
        after=_snapshot(statement),
    )
    if not statement.is_exercise:
        _announce(sorted(statement.countries.values_list("pk", flat=True)))
    return statement


@transaction.atomic
def statement_withdraw(*, acting_user: User, statement: Statement, reason: str) -> Statement:
    authorize(acting_user, "statement.withdraw")
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    require_status(statement, Status.WITHDRAWN)
    _second_person(acting_user, statement)
    return _withdraw(acting_user, statement, reason)


def statements_withdraw_with_edition(
    *, acting_user: User, edition: Edition, reason: str, statements: Iterable[Statement]
) -> None:
    """Withdraw the statements tied to an edition that is being withdrawn.

    Called only by ``edition_withdraw`` after its own role and two-person checks passed.
    """
    for statement in statements:
        _withdraw(acting_user, statement, reason)
