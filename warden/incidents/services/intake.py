"""The review of proposals: an analyst accepts one (as a new incident or into an existing
one, with the claims they keep) or rejects it. Nothing is published before that."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.audit.services import record
from warden.incidents.models import Incident, Proposal
from warden.incidents.services.claims import ClaimContent, claim_add
from warden.incidents.services.incidents import IncidentContent, incident_create


def _pending(proposal: Proposal) -> Proposal:
    locked = Proposal.objects.select_for_update().select_related("source").get(pk=proposal.pk)
    if locked.status != Proposal.Status.PENDING:
        raise ValidationError(_("This proposal was already decided."))
    return locked


@transaction.atomic
def proposal_accept(
    *,
    acting_user: User,
    proposal: Proposal,
    content: IncidentContent | None,
    claims: tuple[ClaimContent, ...] = (),
    into: Incident | None = None,
) -> Incident:
    """Accept a proposal as a new incident (``content``) or into an existing one (``into``)."""
    authorize(acting_user, "incident.intake")
    proposal = _pending(proposal)
    source = proposal.source
    if into is not None:
        if into.merged_into_id is not None:
            raise ValidationError(_("That incident was merged into another; choose that one."))
        incident = into
        incident.sources.add(source)
    elif content is not None:
        note = _("From proposal #%(pk)s.") % {"pk": proposal.pk}
        incident = incident_create(
            acting_user=acting_user, content=content, sources=(source,), note=note
        )
    else:
        raise ValidationError(_("Give the incident's details or choose an existing incident."))
    for claim in claims:
        claim_add(
            acting_user=acting_user,
            incident=incident,
            content=ClaimContent(**{**claim.__dict__, "source_id": source.pk}),
        )
    proposal.status = Proposal.Status.ACCEPTED
    proposal.incident = incident
    proposal.decided_by = acting_user
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["status", "incident", "decided_by", "decided_at"])
    record(
        actor=acting_user,
        action="incidents.proposal.accept",
        obj=proposal,
        after={"incident": incident.pk, "claims": len(claims), "into": into is not None},
    )
    return incident


@transaction.atomic
def proposal_reject(*, acting_user: User, proposal: Proposal, reason: str = "") -> Proposal:
    authorize(acting_user, "incident.intake")
    proposal = _pending(proposal)
    proposal.status = Proposal.Status.REJECTED
    proposal.decided_by = acting_user
    proposal.decided_at = timezone.now()
    proposal.decision_note = reason.strip()[:500]
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    record(
        actor=acting_user,
        action="incidents.proposal.reject",
        obj=proposal,
        summary=proposal.decision_note[:200],
        after={"status": proposal.status},
    )
    return proposal
