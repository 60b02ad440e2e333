"""Tripwires: rules per post that move it to watch and alert its emergency action committee.

Rules: the country's published level at or above a threshold; an incident of a type within
N km of the post in the last H hours; or a manual tripwire that staff pull. Each hit is
recorded once per piece of evidence (the edition, the set of new incidents), with it.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.advisories.services import current_edition
from warden.audit.services import record
from warden.missions import notify, rules
from warden.missions.incidents import IncidentSource, incidents_near, matching
from warden.missions.models import Post, PostDecision, PostStatus, Tripwire, TripwireHit
from warden.missions.services.decisions import apply_decision

Evidence = tuple[str, dict[str, Any]]  # (key, evidence)
MAX_RADIUS_KM = 500
MAX_HOURS = 24 * 14


def _rule_problems(
    kind: str, level: int | None, event_type: str, radius_km: float | None, hours: int | None
) -> dict[str, str]:
    if kind == Tripwire.Kind.LEVEL and (level is None or not 1 <= level <= 4):
        return {"level": _("Choose a level from 1 to 4.")}
    if kind != Tripwire.Kind.INCIDENT:
        return {}
    problems = {}
    if not event_type.strip():
        problems["event_type"] = _("Choose the type of incident.")
    if radius_km is None or not 0 < radius_km <= MAX_RADIUS_KM:
        problems["radius_km"] = _("The distance must be more than 0 and at most %(max)s km.") % {
            "max": MAX_RADIUS_KM
        }
    if hours is None or not 0 < hours <= MAX_HOURS:
        problems["hours"] = _("The period must be 1 to %(max)s hours.") % {"max": MAX_HOURS}
    return problems


@transaction.atomic
def tripwire_create(
    *,
    acting_user: User,
    post: Post,
    kind: str,
    name: str,
    level: int | None = None,
    event_type: str = "",
    radius_km: float | None = None,
    hours: int | None = None,
) -> Tripwire:
    authorize(acting_user, "post.manage_tripwires")
    problems = {} if kind in Tripwire.Kind.values else {"kind": _("Choose a kind of rule.")}
    problems |= _rule_problems(kind, level, event_type, radius_km, hours)
    if not name.strip():
        problems["name"] = _("Name the tripwire.")
    if problems:
        raise ValidationError(problems)
    incident = kind == Tripwire.Kind.INCIDENT
    tripwire = Tripwire.objects.create(
        post=post,
        kind=kind,
        name=name.strip(),
        level=level if kind == Tripwire.Kind.LEVEL else None,
        event_type=event_type.strip() if incident else "",
        radius_km=radius_km if incident else None,
        hours=hours if incident else None,
        created_by=acting_user,
    )
    record(
        actor=acting_user,
        action="missions.tripwire.create",
        obj=tripwire,
        after={"post": post.pk, "kind": kind, "level": tripwire.level, "hours": tripwire.hours},
    )
    return tripwire


@transaction.atomic
def tripwire_deactivate(*, acting_user: User, tripwire: Tripwire) -> Tripwire:
    authorize(acting_user, "post.manage_tripwires")
    tripwire.is_active = False
    tripwire.save(update_fields=["is_active"])
    record(actor=acting_user, action="missions.tripwire.deactivate", obj=tripwire)
    return tripwire


def level_evidence(tripwire: Tripwire) -> Evidence | None:
    edition = current_edition(tripwire.post.country_id)
    if edition is None or tripwire.level is None or edition.level < tripwire.level:
        return None
    return f"edition:{edition.pk}", {
        "rule": "level",
        "country": edition.country_id,
        "edition": edition.pk,
        "number": edition.number,
        "level": edition.level,
        "threshold": tripwire.level,
    }


def _seen_incidents(tripwire: Tripwire) -> set[int]:
    seen: set[int] = set()
    for evidence in tripwire.hits.values_list("evidence", flat=True):
        seen.update(item["id"] for item in evidence.get("incidents", []))
    return seen


def incident_evidence(
    tripwire: Tripwire, *, now: datetime, source: IncidentSource = incidents_near
) -> Evidence | None:
    """New incidents of the tripwire's type near the post; None when there are none."""
    post = tripwire.post
    radius, hours = float(tripwire.radius_km or 0), int(tripwire.hours or 0)
    since = now - timedelta(hours=hours)
    points = source(since, now, post.latitude, post.longitude, radius)
    found = matching(
        points,
        event_type=tripwire.event_type,
        latitude=post.latitude,
        longitude=post.longitude,
        radius_km=radius,
        since=since,
        until=now,
    )
    seen = _seen_incidents(tripwire)
    new = [(point, km) for point, km in found if point.id not in seen]
    if not new:
        return None
    ids = ",".join(str(point.id) for point, _km in new)
    return "incidents:" + hashlib.sha256(ids.encode()).hexdigest()[:40], {
        "rule": "incident",
        "event_type": tripwire.event_type,
        "radius_km": radius,
        "hours": hours,
        "incidents": [
            {"id": p.id, "occurred_at": p.occurred_at.isoformat(), "km": round(km, 1)}
            for p, km in new
        ],
    }


def _watch(post: Post, hit: TripwireHit, *, now: datetime) -> PostDecision | None:
    """Raise the post to watch when it is below it; record the decision as the system's."""
    if post.status not in rules.BELOW_WATCH:
        return None
    decision = PostDecision(
        post=post,
        from_status=post.status,
        to_status=PostStatus.WATCH,
        reasons=_("Tripwire: %(rule)s") % {"rule": hit.tripwire.name},
        requested_by=hit.reported_by,
        requested_at=now,
        effective_at=now,
    )
    apply_decision(decision, decider=hit.reported_by, now=now)
    return decision


def _without_notes(facts: dict[str, Any]) -> dict[str, Any]:
    """The evidence for the audit log: free text (a manual pull's note) stays out of it."""
    return {key: value for key, value in facts.items() if key != "note"}


@transaction.atomic
def record_hit(
    tripwire: Tripwire,
    evidence: Evidence,
    *,
    now: datetime,
    reported_by: User | None = None,
) -> TripwireHit | None:
    """Record a hit (None if this evidence was recorded before), move the post to watch
    and tell its committee, all in one transaction. The post's row lock makes concurrent
    evaluations of its tripwires take turns."""
    key, facts = evidence
    post = Post.objects.select_for_update().get(pk=tripwire.post_id)
    if tripwire.hits.filter(evidence_key=key).exists():
        return None
    hit = TripwireHit.objects.create(
        tripwire=tripwire, evidence_key=key, evidence=facts, hit_at=now, reported_by=reported_by
    )
    hit.decision = _watch(post, hit, now=now)
    hit.save(update_fields=["decision"])
    record(
        actor=reported_by,
        action="missions.tripwire.hit",
        obj=hit,
        after={
            "tripwire": tripwire.pk,
            "post": post.pk,
            "evidence": _without_notes(facts),
            "decision": hit.decision_id,
        },
    )
    notify.notify_committee(hit)
    return hit


def tripwires_evaluate(
    *,
    now: datetime | None = None,
    countries: list[str] | None = None,
    kinds: tuple[str, ...] = (Tripwire.Kind.LEVEL, Tripwire.Kind.INCIDENT),
    source: IncidentSource = incidents_near,
) -> list[TripwireHit]:
    """Check every active rule (of ``kinds``, for posts in ``countries``); return new hits."""
    now = now or timezone.now()
    tripwires = Tripwire.objects.filter(is_active=True, kind__in=kinds).select_related("post")
    if countries is not None:
        tripwires = tripwires.filter(post__country__in=countries)
    hits = []
    for tripwire in tripwires:
        if tripwire.kind == Tripwire.Kind.LEVEL:
            evidence = level_evidence(tripwire)
        else:
            evidence = incident_evidence(tripwire, now=now, source=source)
        hit = record_hit(tripwire, evidence, now=now) if evidence else None
        if hit is not None:
            hits.append(hit)
    return hits


def tripwire_pull(*, acting_user: User, tripwire: Tripwire, note: str) -> TripwireHit:
    """Pull a manual tripwire, saying what was seen."""
    authorize(acting_user, "post.request")
    if tripwire.kind != Tripwire.Kind.MANUAL or not tripwire.is_active:
        raise ValidationError(_("Only an active manual tripwire can be pulled."))
    if not note.strip():
        raise ValidationError({"note": _("Say what happened.")})
    now = timezone.now()
    evidence = {"rule": "manual", "note": note.strip()[:1000], "by": acting_user.pk}
    hit = record_hit(tripwire, (f"manual:{now.isoformat()}", evidence), now=now,
                     reported_by=acting_user)  # fmt: skip
    if hit is None:
        raise ValidationError(_("This tripwire was just pulled. Try again in a moment."))
    return hit


def tripwires_check() -> bool:
    """One worker step: evaluate every tripwire; whether any fired."""
    return bool(tripwires_evaluate())
