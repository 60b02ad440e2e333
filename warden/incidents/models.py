"""Incidents with their sources and competing claims, and the intake that proposes them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from warden.geo.models import Country, Subdivision
from warden.incidents.taxonomy import (
    COUNT_KINDS,
    Credibility,
    EventType,
    PlacePrecision,
    Reliability,
    SubEventType,
    TimePrecision,
    Verification,
)


def _count(label: Any) -> models.PositiveIntegerField[Any, Any]:
    return models.PositiveIntegerField(label, null=True, blank=True)


class Feed(models.Model):
    """An RSS or Atom feed that the worker polls."""

    name = models.CharField(_("name"), max_length=150)
    url = models.URLField(_("feed address"), max_length=1000, unique=True)
    outlet = models.CharField(_("outlet"), max_length=150)
    language = models.CharField(_("language"), max_length=8, default="en")
    reliability = models.CharField(
        _("reliability"), max_length=1, choices=Reliability.choices, default=Reliability.F
    )
    is_active = models.BooleanField(_("active"), default=True)
    fetch_articles = models.BooleanField(
        _("fetch full articles"),
        default=False,
        help_text=_("Download each entry's page and extract its text, not just the summary."),
    )
    # Conditional GET: what the server sent last time.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_outcome = models.CharField(_("last outcome"), max_length=20, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("feed")
        verbose_name_plural = _("feeds")

    def __str__(self) -> str:
        return self.name


class FeedPoll(models.Model):
    """One attempt to poll a feed, with its outcome, error text and duration."""

    class Outcome(models.TextChoices):
        OK = "ok", _("New entries read")
        NOT_MODIFIED = "not_modified", _("Not modified")
        ERROR = "error", _("Error")

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="polls")
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    new_sources = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.feed_id} {self.started_at:%Y-%m-%d %H:%M} {self.outcome}"


class Source(models.Model):
    """A news item, report or pasted text that incidents and claims rest on."""

    class Kind(models.TextChoices):
        FEED = "feed", _("Feed entry")
        URL = "url", _("Web page")
        TEXT = "text", _("Pasted text")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    outlet = models.CharField(_("outlet"), max_length=150, blank=True)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=8, default="en")
    reliability = models.CharField(
        _("reliability"), max_length=1, choices=Reliability.choices, default=Reliability.F
    )
    text = models.TextField(_("text"))
    # SHA-256 of the text with case and spacing folded: the same story from two addresses.
    content_hash = models.CharField(_("content hash"), max_length=64, unique=True)
    feed = models.ForeignKey(
        Feed, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~models.Q(url=""), name="incidents_source_unique_url"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.outlet or f"#{self.pk}"


class Incident(models.Model):
    """One event on the ground (ACLED-style), resting on sources and claims."""

    title = models.CharField(_("title"), max_length=200)
    event_type = models.CharField(_("event type"), max_length=30, choices=EventType.choices)
    sub_event_type = models.CharField(
        _("sub-event type"), max_length=30, choices=SubEventType.choices, blank=True
    )
    occurred_on = models.DateField(_("date"), db_index=True)
    occurred_time = models.TimeField(_("time"), null=True, blank=True)
    time_precision = models.PositiveSmallIntegerField(
        _("time precision"), choices=TimePrecision.choices, default=TimePrecision.DAY
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="incidents"
    )
    subdivision = models.ForeignKey(
        Subdivision,
        verbose_name=_("subdivision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    city = models.CharField(_("city or place"), max_length=150, blank=True)
    geonameid = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    place_precision = models.PositiveSmallIntegerField(
        _("place precision"), choices=PlacePrecision.choices, default=PlacePrecision.TOWN
    )
    nearest_post = models.ForeignKey(
        "missions.Post",
        verbose_name=_("nearest post"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nearest_post_km = models.FloatField(_("distance to the nearest post (km)"), null=True)
    actors = models.JSONField(_("actors"), default=list, blank=True)
    killed_low = _count(_("killed (low)"))
    killed_best = _count(_("killed (best)"))
    killed_high = _count(_("killed (high)"))
    injured_low = _count(_("injured (low)"))
    injured_best = _count(_("injured (best)"))
    injured_high = _count(_("injured (high)"))
    arrested_low = _count(_("arrested (low)"))
    arrested_best = _count(_("arrested (best)"))
    arrested_high = _count(_("arrested (high)"))
    crowd_low = _count(_("crowd (low)"))
    crowd_best = _count(_("crowd (best)"))
    crowd_high = _count(_("crowd (high)"))
    notes = models.TextField(_("notes"), blank=True)
    verification = models.CharField(
        _("verification"),
        max_length=12,
        choices=Verification.choices,
        default=Verification.UNVERIFIED,
        db_index=True,
    )
    sources = models.ManyToManyField(Source, blank=True, related_name="incidents")
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        help_text=_("The incident this duplicate was merged into."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [models.Index(fields=["country", "occurred_on"])]
        constraints = [
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{kind}_low__lte": models.F(f"{kind}_best")})
                    | models.Q(**{f"{kind}_low__isnull": True})
                    | models.Q(**{f"{kind}_best__isnull": True}),
                    name=f"incident_{kind}_low_not_above_best",
                )
                for kind in COUNT_KINDS
            ),
            *(
                models.CheckConstraint(
                    condition=models.Q(**{f"{kind}_best__lte": models.F(f"{kind}_high")})
                    | models.Q(**{f"{kind}_best__isnull": True})
                    | models.Q(**{f"{kind}_high__isnull": True}),
                    name=f"incident_{kind}_best_not_above_high",
                )
                for kind in COUNT_KINDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%Y-%m-%d} {self.title}"

    def counts(self) -> dict[str, tuple[int | None, int | None, int | None]]:
        return {
            kind: (
                getattr(self, f"{kind}_low"),
                getattr(self, f"{kind}_best"),
                getattr(self, f"{kind}_high"),
            )
            for kind in COUNT_KINDS
        }


class IncidentRevision(models.Model):
    """The edit history: one row per change to an incident, never updated."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=40)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["incident", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "number"], name="unique_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} r{self.number} {self.action}"

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field that differs."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


class Claim(models.Model):
    """Who says what about an incident, through whom. Disputed facts are several claims."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="claims")
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="claims"
    )
    subject = models.CharField(
        _("about"),
        max_length=60,
        blank=True,
        help_text=_('The disputed fact, e.g. "cause" or "killed"; claims on it are compared.'),
    )
    claimant = models.CharField(_("who claims it"), max_length=200)
    cue = models.CharField(_("cue"), max_length=40, blank=True)
    relay_chain = models.JSONField(_("relay chain"), default=list, blank=True)
    content = models.TextField(_("claim"))
    credibility = models.PositiveSmallIntegerField(
        _("credibility"), choices=Credibility.choices, null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["incident", "subject", "id"]
        verbose_name = _("claim")
        verbose_name_plural = _("claims")

    def __str__(self) -> str:
        return f"{self.claimant}: {self.content[:60]}"

    @property
    def chain_text(self) -> str:
        return " → ".join(str(step) for step in self.relay_chain)


class IncidentLink(models.Model):
    """An advisory edition, a statement or a drawdown decision that cites an incident."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="links")
    edition = models.ForeignKey(
        "advisories.Edition",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident_links",
    )
    statement = models.ForeignKey(
        "advisories.Statement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incident_links",
    )
    # A drawdown decision (missions), by reference, e.g. "drawdown:12".
    reference = models.CharField(_("decision reference"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["incident", "id"]
        constraints = [
            models.CheckConstraint(
                name="incidentlink_exactly_one_target",
                condition=(
                    models.Q(edition__isnull=False, statement__isnull=True, reference="")
                    | models.Q(edition__isnull=True, statement__isnull=False, reference="")
                    | (
                        models.Q(edition__isnull=True, statement__isnull=True)
                        & ~models.Q(reference="")
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["incident", "edition", "statement", "reference"],
                name="incidentlink_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.edition_id is not None:
            return str(self.edition)
        if self.statement_id is not None:
            return str(self.statement)
        return self.reference


class Proposal(models.Model):
    """An incident that extraction proposes from a source, waiting for an analyst."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="proposals")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # What extraction found, each item with the text span it came from (see extraction/).
    data = models.JSONField(default=dict)
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"{self.source} [{self.status}]"
