"""Incidents: create, change, merge duplicates, link to what cites them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.audit.services import record
from warden.geo.models import Country, Subdivision
from warden.geo.selectors import city_get
from warden.incidents.models import Incident, IncidentLink, Source
from warden.incidents.services.common import place_nearest_post, revise, snapshot
from warden.incidents.taxonomy import (
    COUNT_KINDS,
    EventType,
    PlacePrecision,
    TimePrecision,
    Verification,
    sub_type_fits,
)

Count = tuple[int | None, int | None, int | None]


@dataclass(frozen=True)
class IncidentContent:
    title: str
    event_type: str
    occurred_on: date
    country: str
    sub_event_type: str = ""
    occurred_time: time | None = None
    time_precision: int = TimePrecision.DAY
    subdivision: str | None = None
    city: str = ""
    geonameid: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    place_precision: int = PlacePrecision.TOWN
    actors: tuple[str, ...] = ()
    counts: dict[str, Count] = field(default_factory=dict)
    notes: str = ""
    verification: str = Verification.UNVERIFIED


def incident_content(incident: Incident) -> IncidentContent:
    return IncidentContent(
        title=incident.title,
        event_type=incident.event_type,
        occurred_on=incident.occurred_on,
        country=incident.country_id,
        sub_event_type=incident.sub_event_type,
        occurred_time=incident.occurred_time,
        time_precision=incident.time_precision,
        subdivision=incident.subdivision_id,
        city=incident.city,
        geonameid=incident.geonameid,
        latitude=incident.latitude,
        longitude=incident.longitude,
        place_precision=incident.place_precision,
        actors=tuple(incident.actors),
        counts=incident.counts(),
        notes=incident.notes,
        verification=incident.verification,
    )


def _errors(content: IncidentContent) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not content.title.strip():
        add("title", _("Give the incident a title."))
    if content.event_type not in EventType.values:
        add("event_type", _("Choose an event type."))
    elif not sub_type_fits(content.event_type, content.sub_event_type):
        add("sub_event_type", _("This sub-type does not belong to the event type."))
    if content.occurred_on > timezone.localdate() + timedelta(days=1):
        add("occurred_on", _("The date cannot be in the future."))
    if not Country.objects.filter(pk=content.country).exists():
        add("country", _("Unknown country code."))
    elif (
        content.subdivision
        and not Subdivision.objects.filter(
            pk=content.subdivision, country_id=content.country
        ).exists()
    ):
        add("subdivision", _("This subdivision is not in the country."))
    if (content.latitude is None) != (content.longitude is None):
        add("latitude", _("Give both latitude and longitude, or neither."))
    elif content.latitude is not None and not (
        -90 <= content.latitude <= 90 and -180 <= (content.longitude or 0) <= 180
    ):
        add("latitude", _("The point is outside the map."))
    if content.verification not in Verification.values:
        add("verification", _("Unknown verification state."))
    for kind, (low, best, high) in content.counts.items():
        if kind not in COUNT_KINDS:
            add("counts", _("Unknown count %(kind)s.") % {"kind": kind})
        elif any(v is not None and v < 0 for v in (low, best, high)) or not _ordered(
            low, best, high
        ):
            add(f"{kind}_best", _("Low, best and high must be in order (low ≤ best ≤ high)."))
    return errors


def _ordered(*values: int | None) -> bool:
    present = [v for v in values if v is not None]
    return present == sorted(present)


def _write(incident: Incident, content: IncidentContent) -> None:
    errors = _errors(content)
    if errors:
        raise ValidationError(errors)
    for name in (
        "title",
        "event_type",
        "sub_event_type",
        "occurred_on",
        "occurred_time",
        "time_precision",
        "city",
        "geonameid",
        "latitude",
        "longitude",
        "place_precision",
        "notes",
        "verification",
    ):
        value = getattr(content, name)
        setattr(incident, name, value.strip() if isinstance(value, str) else value)
    incident.country_id = content.country
    incident.subdivision_id = content.subdivision or None
    incident.actors = [a.strip() for a in content.actors if a.strip()]
    if incident.latitude is None and content.geonameid and (city := city_get(content.geonameid)):
        incident.latitude, incident.longitude = city.latitude, city.longitude
    for kind in COUNT_KINDS:
        low, best, high = content.counts.get(kind, (None, None, None))
        setattr(incident, f"{kind}_low", low)
        setattr(incident, f"{kind}_best", best)
        setattr(incident, f"{kind}_high", high)
    place_nearest_post(incident)
    incident.save()


@transaction.atomic
def incident_create(
    *,
    acting_user: User,
    content: IncidentContent,
    sources: tuple[Source, ...] = (),
    note: str = "",
) -> Incident:
    authorize(acting_user, "incident.edit")
    incident = Incident(created_by=acting_user)
    _write(incident, content)
    incident.sources.add(*sources)
    revise(incident, action="create", acting_user=acting_user, before=None, note=note)
    record(
        actor=acting_user,
        action="incidents.incident.create",
        obj=incident,
        after=snapshot(incident),
    )
    return incident


def _locked(incident: Incident) -> Incident:
    locked = Incident.objects.select_for_update().get(pk=incident.pk)
    if locked.merged_into_id is not None:
        raise ValidationError(_("This incident was merged into another; change that one."))
    return locked


@transaction.atomic
def incident_update(
    *, acting_user: User, incident: Incident, content: IncidentContent, note: str = ""
) -> Incident:
    authorize(acting_user, "incident.edit")
    incident = _locked(incident)
    before = snapshot(incident)
    _write(incident, content)
    after = snapshot(incident)
    if after != before:
        revise(incident, action="update", acting_user=acting_user, before=before, note=note)
        record(
            actor=acting_user,
            action="incidents.incident.update",
            obj=incident,
            before=before,
            after=after,
            summary=note[:200],
        )
    return incident


@transaction.atomic
def incident_merge(
    *, acting_user: User, duplicate: Incident, into: Incident, note: str = ""
) -> Incident:
    """Fold a duplicate into ``into``: its sources, claims, links and proposals move over,
    and the duplicate stays, marked as merged, so that its history is kept."""
    authorize(acting_user, "incident.edit")
    if duplicate.pk == into.pk:
        raise ValidationError(_("An incident cannot be merged into itself."))
    duplicate, into = _locked(duplicate), _locked(into)
    before_dup, before_into = snapshot(duplicate), snapshot(into)
    into.sources.add(*duplicate.sources.all())
    duplicate.claims.update(incident=into)
    duplicate.proposals.update(incident=into)
    for link in duplicate.links.all():
        if into.links.filter(
            edition=link.edition, statement=link.statement, reference=link.reference
        ).exists():
            link.delete()
        else:
            link.incident = into
            link.save(update_fields=["incident"])
    duplicate.merged_into = into
    duplicate.save(update_fields=["merged_into", "updated_at"])
    text = note or _("Merged #%(dup)s into #%(into)s.") % {"dup": duplicate.pk, "into": into.pk}
    revise(duplicate, action="merged_away", acting_user=acting_user, before=before_dup, note=text)
    revise(into, action="merge", acting_user=acting_user, before=before_into, note=text)
    record(
        actor=acting_user,
        action="incidents.incident.merge",
        obj=into,
        before={"duplicate": duplicate.pk, **before_into},
        after=snapshot(into),
        summary=text[:200],
    )
    return into


@transaction.atomic
def incident_link(
    *,
    acting_user: User,
    incident: Incident,
    edition: Any = None,
    statement: Any = None,
    reference: str = "",
    note: str = "",
) -> IncidentLink:
    """Record that an edition, a statement or a drawdown decision cites the incident."""
    authorize(acting_user, "incident.edit")
    targets = [t for t in (edition, statement, reference.strip()) if t]
    if len(targets) != 1:
        raise ValidationError(_("Link exactly one edition, statement or decision reference."))
    link, created = IncidentLink.objects.get_or_create(
        incident=incident,
        edition=edition,
        statement=statement,
        reference=reference.strip(),
        defaults={"note": note.strip()[:300], "created_by": acting_user},
    )
    if created:
        after = {
            "edition": link.edition_id,
            "statement": link.statement_id,
            "reference": link.reference,
        }
        revise(incident, action="link", acting_user=acting_user, before=None, note=str(after))
        record(actor=acting_user, action="incidents.incident.link", obj=incident, after=after)
    return link


@transaction.atomic
def incident_unlink(*, acting_user: User, link: IncidentLink) -> None:
    authorize(acting_user, "incident.edit")
    before = {
        "edition": link.edition_id,
        "statement": link.statement_id,
        "reference": link.reference,
    }
    incident = link.incident
    link.delete()
    revise(incident, action="unlink", acting_user=acting_user, before=None, note=str(before))
    record(actor=acting_user, action="incidents.incident.unlink", obj=incident, before=before)
