"""Writes for incidents. Import from here: ``from warden.incidents import services``."""

from warden.incidents.services.claims import ClaimContent, claim_add, claim_grade
from warden.incidents.services.feeds import (
    FeedContent,
    feed_create,
    feed_poll,
    feed_poll_now,
    feed_update,
    feeds_poll_step,
)
from warden.incidents.services.incidents import (
    IncidentContent,
    incident_content,
    incident_create,
    incident_link,
    incident_merge,
    incident_unlink,
    incident_update,
)
from warden.incidents.services.intake import proposal_accept, proposal_reject
from warden.incidents.services.sources import (
    Intake,
    SourceContent,
    ingest,
    source_add_text,
    source_add_url,
)

__all__ = [
    "ClaimContent",
    "FeedContent",
    "IncidentContent",
    "Intake",
    "SourceContent",
    "claim_add",
    "claim_grade",
    "feed_create",
    "feed_poll",
    "feed_poll_now",
    "feed_update",
    "feeds_poll_step",
    "incident_content",
    "incident_create",
    "incident_link",
    "incident_merge",
    "incident_unlink",
    "incident_update",
    "ingest",
    "proposal_accept",
    "proposal_reject",
    "source_add_text",
    "source_add_url",
]
