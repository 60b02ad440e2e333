"""Organisations and persons: create, update, delete ("delete my data")."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from warden.audit.services import record
from warden.people.models import Organisation, Person
from warden.people.services.common import Actor, authorize_staff

MAX_NAME_LENGTH = 200


@dataclass(frozen=True)
class PersonDetails:
    """What a person tells about themselves; names are stored encrypted."""

    given_name: str = ""
    family_name: str = ""
    language: str = "en"
    kind: str = Person.Kind.CITIZEN
    exercise_participant: bool = False

    def cleaned(self) -> PersonDetails:
        """The details with spaces trimmed, or ValidationError naming each bad field."""
        problems: dict[str, ValidationError] = {}
        given, family = self.given_name.strip(), self.family_name.strip()
        if not (given or family):
            problems["given_name"] = ValidationError(_("Enter a name."), code="required")
        for name, value in (("given_name", given), ("family_name", family)):
            if len(value) > MAX_NAME_LENGTH:
                problems[name] = ValidationError(
                    _("Use at most %(limit)d characters."),
                    code="max_length",
                    params={"limit": MAX_NAME_LENGTH},
                )
        language = self.language.strip().lower()
        if language not in language_codes():
            problems["language"] = language_problem(language)
        if self.kind not in Person.Kind.values:
            problems["kind"] = ValidationError(
                _("Choose citizen, employee or family member."), code="kind"
            )
        if problems:
            raise ValidationError(problems)
        return PersonDetails(given, family, language, self.kind, self.exercise_participant)


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_problem(language: str) -> ValidationError:
    return ValidationError(
        _("Warden writes to people in %(codes)s, not “%(language)s”."),
        code="language",
        params={"codes": ", ".join(language_codes()), "language": language[:10]},
    )


@transaction.atomic
def organisation_create(*, acting_user: Actor, name: str, kind: str) -> Organisation:
    authorize_staff(acting_user)
    if kind not in Organisation.Kind.values:
        raise ValidationError({"kind": _("Choose company, NGO or ministry.")})
    if not name.strip():
        raise ValidationError({"name": _("Enter the organisation's name.")})
    if Organisation.objects.filter(name=name.strip()).exists():
        raise ValidationError({"name": _("An organisation with this name exists already.")})
    organisation = Organisation.objects.create(name=name.strip(), kind=kind)
    record(
        actor=acting_user,
        action="people.organisation.create",
        obj=organisation,
        after={"kind": kind},
    )
    return organisation


@transaction.atomic
def person_create(
    *,
    acting_user: Actor,
    details: PersonDetails,
    organisation: Organisation | None = None,
) -> Person:
    """Register a person. Add contact points and trips with their own services."""
    authorize_staff(acting_user)
    clean = details.cleaned()
    person = Person.objects.create(
        kind=clean.kind,
        given_name=clean.given_name,
        family_name=clean.family_name,
        language=clean.language,
        organisation=organisation,
        exercise_participant=clean.exercise_participant,
    )
    record(actor=acting_user, action="people.person.create", obj=person, after=_facts(person))
    return person


def _facts(person: Person) -> dict[str, object]:
    """What an audit row may say about a person: no names."""
    return {
        "kind": person.kind,
        "language": person.language,
        "organisation": person.organisation_id,
        "exercise_participant": person.exercise_participant,
    }


@transaction.atomic
def person_update(*, acting_user: Actor, person: Person, details: PersonDetails) -> Person:
    """Replace the person's details; the audit row names the fields changed, not the names."""
    authorize_staff(acting_user)
    clean = details.cleaned()
    before = _facts(person)
    changed = [
        field
        for field in ("given_name", "family_name", "language", "kind", "exercise_participant")
        if getattr(person, field) != getattr(clean, field)
    ]
    for field in changed:
        setattr(person, field, getattr(clean, field))
    if changed:
        person.save()
        record(
            actor=acting_user,
            action="people.person.update",
            obj=person,
            before=before,
            after={**_facts(person), "changed": changed},
        )
    return person


@transaction.atomic
def person_delete(*, acting_user: Actor, person: Person) -> dict[str, int]:
    """Delete the person with every contact point and trip; returns how many of each."""
    authorize_staff(acting_user)
    counts = {
        "contact_points": person.contact_points.count(),
        "trips": person.trips.count(),
    }
    record(
        actor=acting_user,
        action="people.person.delete",
        obj=person,
        before=_facts(person),
        after=counts,
    )
    person.delete()
    return counts
