"""Alerting: a Message (what was decided to say, to whom) and its Deliveries (one per
contact point), each Delivery's Attempts, and the shared provider state (rate buckets,
health) that every worker reads.

A message's texts are frozen when it is created, in the transaction that publishes what it
announces; the worker only expands and sends. Delivery states:

    queued → sending (leased by one worker) → sent (handed to the provider) → delivered
                  ↘ queued again (retry, backoff)   ↘ failed (permanent, or out of attempts)
    queued / sending → cancelled (the message was cancelled)
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from warden.geo.models import Country
from warden.people.fields import EncryptedTextField
from warden.people.models import Channel, ContactPoint, Person


class Message(models.Model):
    class Kind(models.TextChoices):
        ADVISORY = "advisory", _("Travel advisory")
        STATEMENT = "statement", _("Statement")
        CORRECTION = "correction", _("Correction")
        CHECKIN = "checkin", _("Check-in")
        DRAWDOWN = "drawdown", _("Drawdown")
        NOTICE = "notice", _("Notice")

    class State(models.TextChoices):
        PLANNED = "planned", _("Waiting to be expanded")
        EXPANDING = "expanding", _("Creating deliveries")
        SENDING = "sending", _("Sending")
        CANCELLED = "cancelled", _("Cancelled")

    class Priority(models.IntegerChoices):
        URGENT = 0, _("Urgent")
        HIGH = 1, _("High")
        NORMAL = 2, _("Normal")
        LOW = 3, _("Low")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PLANNED
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    is_exercise = models.BooleanField(_("exercise"), default=False)
    answers = models.BooleanField(_("with answer links"), default=True)
    # What the message is about: an edition, a statement, a correction of another message,
    # or another app's object named in ``reference`` ("missions.decision:12").
    edition = models.ForeignKey(
        "advisories.Edition", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    statement = models.ForeignKey(
        "advisories.Statement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    # The audience: everyone present in ``area_code`` at ``audience_at``, or exactly
    # ``people`` (person ids), or (corrections) everyone the corrected message reached.
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area_code = models.CharField(_("area"), max_length=40, blank=True)
    people = models.JSONField(_("people"), null=True, blank=True)
    # Only each person's N-th verified contact point in their order of preference (1: the
    # preferred one; check-in rounds cascade 1 → 2 → 3); None: all of them.
    preference = models.PositiveSmallIntegerField(_("contact preference"), null=True, blank=True)
    audience_at = models.DateTimeField(_("audience at"))
    # {language: {"title": ..., "body": ..., "url": ...}}
    texts = models.JSONField(_("texts"))
    # Expansion progress: deliveries exist for every person id up to this one.
    expanded_through = models.BigIntegerField(default=0)
    planned = models.PositiveIntegerField(_("deliveries planned"), default=0)
    expanded_at = models.DateTimeField(_("expanded"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(
                fields=["priority", "id"],
                condition=Q(state__in=["planned", "expanding"]),
                name="message_to_expand",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(area_code="") | Q(people__isnull=False) | Q(corrects__isnull=False),
                name="message_has_audience",
            ),
        ]

    def __str__(self) -> str:
        return f"Message #{self.pk} ({self.kind})"

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED


class Delivery(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Handed off")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    # No single-column index on message, contact point or person: delivery_message_state,
    # delivery_unique_per_contact and delivery_person start with them
    # (warden.lib.migrations.drop_covered_indexes).
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("language"), max_length=8)
    priority = models.PositiveSmallIntegerField(_("priority"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    lease_until = models.DateTimeField(_("leased until"), null=True, blank=True)
    leased_by = models.CharField(_("worker"), max_length=64, blank=True)
    provider = models.CharField(_("provider"), max_length=40, blank=True)
    provider_ref = models.CharField(_("provider reference"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("handed off"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            # Led by the contact point, it is that key's index too (a message's rows are
            # found through delivery_message_state): one index fewer for each row version.
            models.UniqueConstraint(
                fields=["contact_point", "message"], name="delivery_unique_per_contact"
            ),
            # A delivery has a lease (until, by whom) exactly while it is being sent, so
            # that "leased by this worker" alone says it is still this worker's to record.
            models.CheckConstraint(
                condition=(Q(state="sending", lease_until__isnull=False) & ~Q(leased_by=""))
                | (~Q(state="sending") & Q(lease_until__isnull=True, leased_by="")),
                name="delivery_leased_while_sending",
            ),
        ]
        indexes = [
            # The claim: queued, due, most urgent first.
            models.Index(
                fields=["channel", "priority", "next_attempt_at", "id"],
                condition=Q(state="queued"),
                name="delivery_queue",
            ),
            # The leases, for the sweep (whose "lease_until < now" implies the condition).
            # Conditioned on the state, it answered a recording's "state = 'sending'" on
            # statistics that said nothing was leased (decisions/0015).
            models.Index(
                fields=["lease_until"],
                condition=Q(lease_until__isnull=False),
                name="delivery_leases",
            ),
            models.Index(fields=["message", "state"], name="delivery_message_state"),
            # Receipts found by the provider's reference are email's (anymail); the other
            # channels' rows stay out of it.
            models.Index(
                fields=["provider_ref"],
                condition=Q(channel="email") & ~Q(provider_ref=""),
                name="delivery_ref",
            ),
            models.Index(fields=["person", "message"], name="delivery_person"),
        ]

    def __str__(self) -> str:
        return f"Delivery #{self.pk} ({self.channel}, {self.state})"


class Attempt(models.Model):
    """One try at handing a delivery to a provider, kept whatever its outcome."""

    delivery = models.ForeignKey(  # indexed by attempt_delivery
        Delivery, on_delete=models.CASCADE, related_name="attempt_set", db_index=False
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    provider = models.CharField(_("provider"), max_length=40)
    ok = models.BooleanField(_("succeeded"))
    response = models.CharField(_("response"), max_length=500, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        ordering = ["delivery", "number", "id"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        indexes = [models.Index(fields=["delivery", "number"], name="attempt_delivery")]

    def __str__(self) -> str:
        return f"Attempt #{self.pk} of delivery #{self.delivery_id}"


class RateBucket(models.Model):
    """A token bucket per provider, shared by every worker through the database."""

    key = models.CharField(primary_key=True, max_length=60)
    tokens = models.FloatField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("rate bucket")
        verbose_name_plural = _("rate buckets")

    def __str__(self) -> str:
        return self.key


class ProviderHealth(models.Model):
    """Consecutive failures of a provider; past a threshold it is skipped for a while and
    its channel fails over to the next provider."""

    name = models.CharField(primary_key=True, max_length=60)
    failures = models.PositiveIntegerField(default=0)
    open_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("provider health")
        verbose_name_plural = _("provider health")

    def __str__(self) -> str:
        return self.name


class SandboxMessage(models.Model):
    """What the sandbox channel "sent": kept for the demo's inbox page and exercises."""

    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # Addresses and texts (which carry names) are personal data: encrypted like the registry.
    recipient = EncryptedTextField(_("to"))
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = EncryptedTextField(_("text"))
    html = EncryptedTextField(_("HTML"), blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("sandbox message")
        verbose_name_plural = _("sandbox messages")

    def __str__(self) -> str:
        return f"Sandbox message #{self.pk}"
