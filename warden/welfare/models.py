"""Welfare: what each person said (or an officer recorded) about their safety, the check-in
rounds that ask them, and the cases opened for those who need help.

``WelfareEvent`` rows are append-only; a person's status is their latest event. A round's
``RoundMember`` rows copy each member's latest answer so that a round's counts are one
aggregate over an index, at any size (docs/decisions/0009-check-in-rounds.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from warden.geo.models import Country
from warden.people.fields import EncryptedTextField
from warden.people.models import Person


class Status(models.TextChoices):
    SAFE = "safe", _("I am safe")
    NEEDS_HELP = "needs_help", _("I need help")
    LEFT = "left", _("I have left")
    # Set only by officers (DOMAIN: welfare status).
    UNREACHABLE = "unreachable", _("Unreachable")
    MISSING = "missing", _("Missing")
    DECEASED = "deceased", _("Deceased")


# What a person can answer themselves; the rest only an officer records.
PERSON_ANSWERS = frozenset({Status.SAFE, Status.NEEDS_HELP, Status.LEFT})
OFFICER_ONLY = frozenset(set(Status) - PERSON_ANSWERS)


# Staff-facing names of the same statuses, and of having none.
STATUS_LABELS = {
    "": _("No answer"),
    Status.SAFE: _("Safe"),
    Status.NEEDS_HELP: _("Needs help"),
    Status.LEFT: _("Left the country"),
    Status.UNREACHABLE: _("Unreachable"),
    Status.MISSING: _("Missing"),
    Status.DECEASED: _("Deceased"),
}


class WelfareEvent(models.Model):
    class Channel(models.TextChoices):
        LINK = "link", _("Answer link")
        SMS = "sms", _("SMS reply")
        WEB = "web", _("Web form")
        API = "api", _("API")
        OFFICER = "officer", _("Recorded by an officer")

    person = models.ForeignKey(  # indexed by welfare_person_at
        Person, on_delete=models.CASCADE, related_name="welfare_events", db_index=False
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    channel = models.CharField(_("answered by"), max_length=10, choices=Channel.choices)
    message = models.ForeignKey(
        "alerting.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivery = models.ForeignKey(
        "alerting.Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = EncryptedTextField(_("note"), blank=True)
    # Where the person is (free text, optional): personal data, encrypted like the note.
    place = EncryptedTextField(_("place"), blank=True)
    # "I have left": where to (a country), and when.
    left_to = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["person", "at", "id"]
        verbose_name = _("welfare event")
        verbose_name_plural = _("welfare events")
        indexes = [models.Index(fields=["person", "at"], name="welfare_person_at")]

    def __str__(self) -> str:
        return f"Welfare event #{self.pk} ({self.status})"


class PendingAnswer(models.Model):
    """A person's answer taken from a link, the API or an SMS reply, waiting for the worker
    to record it as a WelfareEvent (``welfare.services.inbox``). Rows live for seconds.

    Its keys have no index: the table is read in id order and stays a few rows long, while
    every answer taken would pay for each index (``drop_covered_indexes``)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", db_index=False)
    status = models.CharField(max_length=12, choices=Status.choices)
    channel = models.CharField(max_length=10, choices=WelfareEvent.Channel.choices)
    message = models.ForeignKey(
        "alerting.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    delivery = models.ForeignKey(
        "alerting.Delivery",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    note = EncryptedTextField(blank=True)
    place = EncryptedTextField(blank=True)
    left_to = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # When the person answered: the recorded event keeps this time.
    at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"Pending answer #{self.pk} ({self.status})"


class CheckInRound(models.Model):
    """Asking everyone in an area (or a list of people) whether they are safe, with a
    deadline, reminders, and a cascade to each person's next contact point."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    # A country, subdivision or custom area code; "" when the round names its people.
    area_code = models.CharField(_("area"), max_length=40, blank=True)
    people = models.JSONField(_("people"), null=True, blank=True)
    # {language: {"title": ..., "body": ...}}: the question as sent.
    texts = models.JSONField(_("question"))
    answer_options = models.JSONField(_("answer options"), default=list)
    is_exercise = models.BooleanField(_("exercise"), default=False)
    # Opened automatically for this published edition (None: opened by an officer).
    edition = models.ForeignKey(
        "advisories.Edition", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"))
    # Answers given from this time on count for the round (an edition's round: from its
    # publication, so that answers to the advisory's own links count).
    answers_since = models.DateTimeField(_("answers count from"))
    deadline = models.DateTimeField(_("deadline"))
    reminder_minutes = models.JSONField(_("reminders (minutes after opening)"), default=list)
    cascade_minutes = models.PositiveIntegerField(
        _("next contact point after (minutes)"), null=True, blank=True
    )
    max_preference = models.PositiveSmallIntegerField(_("contact points to try"), default=3)
    # Progress of the schedule: the contact preference asked last, reminders sent.
    cascade_step = models.PositiveSmallIntegerField(default=1)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    # Members are written in pages of person ids, like deliveries.
    members_through = models.BigIntegerField(default=0)
    populated_at = models.DateTimeField(_("audience complete"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("check-in round")
        verbose_name_plural = _("check-in rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["edition"], condition=Q(edition__isnull=False), name="round_per_edition"
            ),
            models.CheckConstraint(
                condition=~Q(area_code="") | Q(people__isnull=False), name="round_has_audience"
            ),
        ]
        indexes = [models.Index(fields=["state", "country"], name="round_state_country")]

    def __str__(self) -> str:
        return f"Check-in round #{self.pk} ({self.country_id})"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def reference(self) -> str:
        return f"welfare.round:{self.pk}"


class RoundMember(models.Model):
    """One person asked in a round: their latest answer, when they first answered, when a
    message first reached them (handed off), and where they were when the round opened
    (city and area, for the aggregated map and table)."""

    round = models.ForeignKey(  # indexed by round_member_unique
        CheckInRound, on_delete=models.CASCADE, related_name="members", db_index=False
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, blank=True, default=""
    )
    status_at = models.DateTimeField(_("status since"), null=True, blank=True)
    answered_at = models.DateTimeField(_("first answer"), null=True, blank=True)
    reached_at = models.DateTimeField(_("reached"), null=True, blank=True)
    preference = models.PositiveSmallIntegerField(_("contact point asked"), default=1)
    city_geonameid = models.PositiveIntegerField(null=True, blank=True)
    city_name = models.CharField(_("city"), max_length=200, blank=True)
    area_code = models.CharField(_("area"), max_length=10, blank=True)

    class Meta:
        ordering = ["round", "person"]
        verbose_name = _("round member")
        verbose_name_plural = _("round members")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="round_member_unique"),
        ]
        indexes = [
            # The dashboard's counts: an index-only scan of one round.
            models.Index(fields=["round", "status", "reached_at"], name="round_member_counts"),
            # Answers over time: an index-only pass too.
            models.Index(
                fields=["round", "answered_at", "status"],
                condition=Q(answered_at__isnull=False),
                name="round_member_answers",
            ),
        ]

    def __str__(self) -> str:
        return f"Round member #{self.pk} (round #{self.round_id})"


class RoundMessage(models.Model):
    """A message that asked (part of) a round: the first ask, a reminder or a cascade step.

    ``synced_through`` is the delivery id up to which outcomes were copied to the members
    (``reached_at``); ``stragglers`` are the ids behind it that were still in flight (a
    retry waiting its turn), checked again on each pass so that they hold nobody up."""

    class Purpose(models.TextChoices):
        INITIAL = "initial", _("First ask")
        REMINDER = "reminder", _("Reminder")
        CASCADE = "cascade", _("Next contact point")

    round = models.ForeignKey(CheckInRound, on_delete=models.CASCADE, related_name="messages")
    message = models.ForeignKey("alerting.Message", on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    preference = models.PositiveSmallIntegerField(_("contact point"), null=True, blank=True)
    people = models.PositiveIntegerField(_("people asked"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    synced_through = models.BigIntegerField(default=0)
    stragglers = models.JSONField(default=list, blank=True)
    synced = models.BooleanField(default=False)

    class Meta:
        ordering = ["round", "created_at", "id"]
        verbose_name = _("round message")
        verbose_name_plural = _("round messages")
        indexes = [
            models.Index(fields=["id"], condition=Q(synced=False), name="round_message_unsynced")
        ]

    def __str__(self) -> str:
        return f"Round message #{self.pk} ({self.purpose})"


class Case(models.Model):
    """Someone who asked for help: a queue item until an officer resolves it."""

    class Severity(models.IntegerChoices):
        CRITICAL = 1, _("Critical: life or safety at risk")
        HIGH = 2, _("High")
        NORMAL = 3, _("Normal")

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for an officer")
        ASSIGNED = "assigned", _("Assigned")
        RESOLVED = "resolved", _("Resolved")

    class Resolution(models.TextChoices):
        HELPED = "helped", _("Helped")
        SAFE = "safe", _("Safe now")
        LEFT = "left", _("Left the country")
        REFERRED = "referred", _("Referred to local services")
        UNREACHABLE = "unreachable", _("Could not be reached")
        DUPLICATE = "duplicate", _("Duplicate request")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(
        CheckInRound, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    country = models.ForeignKey(
        Country, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        WelfareEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("asked for help"))
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, default=Severity.HIGH
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.CharField(
        _("resolution"), max_length=12, choices=Resolution.choices, blank=True
    )

    class Meta:
        ordering = ["severity", "opened_at", "id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=~Q(state="resolved"), name="case_one_open_per_person"
            ),
        ]
        indexes = [models.Index(fields=["state", "severity", "opened_at"], name="case_queue")]

    def __str__(self) -> str:
        return f"Case #{self.pk} ({self.state})"

    @property
    def is_resolved(self) -> bool:
        return self.state == self.State.RESOLVED


class CaseNote(models.Model):
    """A note or a contact attempt on a case: the case's contact history."""

    class Kind(models.TextChoices):
        NOTE = "note", _("Note")
        CALL = "call", _("Phone call")
        MESSAGE = "message", _("Message")
        VISIT = "visit", _("Visit")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.NOTE)
    text = EncryptedTextField(_("text"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        ordering = ["case", "at", "id"]
        verbose_name = _("case note")
        verbose_name_plural = _("case notes")

    def __str__(self) -> str:
        return f"Case note #{self.pk} ({self.kind})"


class StaffScope(models.Model):
    """The countries a staff member works on (e.g. a consular officer's posts). With any
    country set, they see only those countries' rounds and cases; without, all."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="welfare_scope"
    )
    countries = models.ManyToManyField(Country, related_name="+", blank=True)

    class Meta:
        verbose_name = _("welfare scope")
        verbose_name_plural = _("welfare scopes")

    def __str__(self) -> str:
        return f"Welfare scope of user #{self.user_id}"


class RoundTally(models.Model):
    """Running totals of a round's members by status and reached, kept by triggers on
    ``RoundMember`` in the database itself, so that every write (ORM, COPY, raw SQL,
    cascading deletes) keeps them exact and the dashboard reads a handful of rows
    (docs/decisions/0012-round-tallies.md).

    A round's count for a (status, reached) pair is the sum of ``n`` over its rows. On
    PostgreSQL each statement that writes members adds rows of deltas, which the worker
    folds together (``warden.welfare.tally.compact``); SQLite keeps one row per pair.
    """

    # No constraint and no cascade from Django: a trigger on the round's delete removes its
    # rows, whichever way the round goes.
    round = models.ForeignKey(
        CheckInRound,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    status = models.CharField(max_length=12, choices=Status.choices, blank=True, default="")
    reached = models.BooleanField(default=False)
    n = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["round", "status", "reached"], name="round_tally_key")]

    def __str__(self) -> str:
        return f"Round tally #{self.pk} (round #{self.round_id})"
