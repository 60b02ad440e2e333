"""Claims: who says what about an incident. A disputed fact gets another claim beside the
first, never an overwrite; only the analyst's grade and the subject can change later."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.audit.services import record
from warden.incidents.models import Claim, Incident, Source
from warden.incidents.services.common import revise
from warden.incidents.taxonomy import Credibility

CUES = (
    "said",
    "told",
    "reports",
    "according to",
    "claimed",
    "denied",
    "announced",
    "confirmed",
    "estimated",
)


@dataclass(frozen=True)
class ClaimContent:
    claimant: str
    content: str
    cue: str = ""
    relay_chain: tuple[str, ...] = ()
    subject: str = ""
    credibility: int | None = None
    source_id: int | None = None


def _snapshot(claim: Claim) -> dict[str, Any]:
    return {
        "incident": claim.incident_id,
        "source": claim.source_id,
        "subject": claim.subject,
        "claimant": claim.claimant,
        "cue": claim.cue,
        "relay_chain": claim.relay_chain,
        "credibility": claim.credibility,
    }


def _check(content: ClaimContent, incident: Incident) -> None:
    errors: dict[str, list[str]] = {}
    if not content.claimant.strip():
        errors["claimant"] = [_("Say who makes the claim.")]
    if not content.content.strip():
        errors["content"] = [_("Write what is claimed.")]
    if content.credibility is not None and content.credibility not in Credibility.values:
        errors["credibility"] = [_("Credibility is graded 1 to 6.")]
    if content.source_id is not None and not Source.objects.filter(pk=content.source_id).exists():
        errors["source"] = [_("Unknown source.")]
    if incident.merged_into_id is not None:
        errors["incident"] = [_("This incident was merged into another; add claims there.")]
    if errors:
        raise ValidationError(errors)


def _chain(content: ClaimContent) -> list[str]:
    steps = [step.strip() for step in content.relay_chain if step.strip()]
    return list(dict.fromkeys(steps))


@transaction.atomic
def claim_add(*, acting_user: User, incident: Incident, content: ClaimContent) -> Claim:
    authorize(acting_user, "incident.edit")
    _check(content, incident)
    claim = Claim.objects.create(
        incident=incident,
        source_id=content.source_id,
        subject=content.subject.strip()[:60],
        claimant=content.claimant.strip()[:200],
        cue=content.cue.strip()[:40],
        relay_chain=_chain(content),
        content=content.content.strip(),
        credibility=content.credibility,
        created_by=acting_user,
    )
    if claim.source_id is not None:
        incident.sources.add(claim.source_id)
    revise(
        incident,
        action="claim_add",
        acting_user=acting_user,
        before=None,
        note=f"{claim.claimant}: {claim.content[:200]}",
    )
    record(actor=acting_user, action="incidents.claim.add", obj=claim, after=_snapshot(claim))
    return claim


@transaction.atomic
def claim_grade(
    *, acting_user: User, claim: Claim, credibility: int | None, subject: str | None = None
) -> Claim:
    """Grade a claim's credibility (1-6) and, optionally, say which fact it is about."""
    authorize(acting_user, "incident.edit")
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if credibility is not None and credibility not in Credibility.values:
        raise ValidationError({"credibility": [_("Credibility is graded 1 to 6.")]})
    before = _snapshot(claim)
    claim.credibility = credibility
    if subject is not None:
        claim.subject = subject.strip()[:60]
    claim.save(update_fields=["credibility", "subject", "updated_at"])
    record(
        actor=acting_user,
        action="incidents.claim.grade",
        obj=claim,
        before=before,
        after=_snapshot(claim),
    )
    revise(
        claim.incident,
        action="claim_grade",
        acting_user=acting_user,
        before=None,
        note=f"{claim.claimant}: {before['credibility']} → {claim.credibility}",
    )
    return claim
