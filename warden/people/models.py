"""People abroad: organisations, persons, their contact points and their trips.

Personal data (names, contact addresses) is encrypted at rest (``EncryptedTextField``);
exact lookups use the blind index ``ContactPoint.lookup``. ``__str__`` never shows personal
data, because audit rows and logs use it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from warden.geo.models import Country, Subdivision
from warden.people.fields import EncryptedTextField

# ``Trip.until`` of an open-ended trip: later than any real departure, so that "present at
# t" is the single index range ``until > t`` (see ``warden.people.audience``).
OPEN_ENDED = datetime(9999, 12, 31, tzinfo=UTC)


class Organisation(models.Model):
    """A company, NGO or ministry that manages a roster of its people."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        NGO = "ngo", _("Non-governmental organisation")
        MINISTRY = "ministry", _("Ministry or government body")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Someone Warden may alert: a citizen, an employee or a family member."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        EMPLOYEE = "employee", _("Employee")
        FAMILY_MEMBER = "family_member", _("Family member")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CITIZEN)
    given_name = EncryptedTextField(_("given name"), blank=True)
    family_name = EncryptedTextField(_("family name"), blank=True)
    language = models.CharField(_("preferred language"), max_length=8, default="en")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    exercise_participant = models.BooleanField(_("takes part in exercises"), default=False)
    # Kept by the trip services: the latest departure, and whether a trip is open-ended.
    # The retention purge deletes people whose last departure is long past.
    last_departure = models.DateTimeField(_("last departure"), null=True, blank=True)
    open_ended = models.BooleanField(_("has an open-ended stay"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [
            models.Index(
                fields=["last_departure"],
                condition=Q(open_ended=False),
                name="person_retention",
            ),
            models.Index(
                fields=["id"], condition=Q(exercise_participant=True), name="person_exercise"
            ),
        ]

    def __str__(self) -> str:
        return f"Person #{self.pk}"

    def __repr__(self) -> str:
        return f"<Person #{self.pk} {self.kind}>"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Mobile phone (SMS)")
    PUSH = "push", _("Web Push")
    MESSAGING = "messaging", _("Messaging app")
    WEBHOOK = "webhook", _("Webhook")


class ContactPoint(models.Model):
    """One way to reach a person, in the order the person prefers (``priority``, 1 first)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")

    class Method(models.TextChoices):
        LINK = "link", _("Link sent by email")
        CODE = "code", _("Code sent to the number or app")
        ROSTER = "roster", _("Vouched for by the organisation's roster")
        STAFF = "staff", _("Confirmed by staff")
        SYNTHETIC = "synthetic", _("Synthetic test data")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="contact_points"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    value = EncryptedTextField(_("address"))
    # Blind index of the normalised value (warden.people.crypto.blind_index).
    lookup = models.CharField(_("lookup key"), max_length=32)
    priority = models.PositiveSmallIntegerField(_("order of preference"), default=1)
    state = models.CharField(
        _("verification"), max_length=10, choices=State.choices, default=State.PENDING
    )
    verification_method = models.CharField(
        _("verified by"), max_length=10, choices=Method.choices, blank=True
    )
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    consent_at = models.DateTimeField(_("consent given"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["person", "priority", "id"]
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "channel", "lookup"], name="contactpoint_unique_per_person"
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(verified_at__isnull=False),
                name="contactpoint_verified_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["lookup", "channel"], name="contactpoint_lookup"),
            models.Index(fields=["person", "state", "channel"], name="contactpoint_person"),
        ]

    def __str__(self) -> str:
        return f"Contact point #{self.pk} ({self.channel})"

    def __repr__(self) -> str:
        return f"<ContactPoint #{self.pk} {self.channel} {self.state}>"

    @property
    def is_verified(self) -> bool:
        return self.state == self.State.VERIFIED


class Trip(models.Model):
    """A stay in a country between arrival and departure (none: open-ended, e.g. residents).

    ``latitude``/``longitude`` hold the point given, or else the city's coordinates: custom
    areas (polygons, circles) are matched against them.
    """

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="trips"
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+"
    )
    subdivision = models.ForeignKey(
        Subdivision,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    city_geonameid = models.PositiveIntegerField(_("city (GeoNames id)"), null=True, blank=True)
    city_name = models.CharField(_("city"), max_length=200, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    arrival = models.DateTimeField(_("arrival"))
    departure = models.DateTimeField(_("departure"), null=True, blank=True)
    # departure, or OPEN_ENDED when there is none: the column the audience index ranges on.
    until = models.DateTimeField(editable=False)
    is_resident = models.BooleanField(_("lives there"), default=False)
    companions = models.PositiveSmallIntegerField(_("people travelling with them"), default=0)
    # Several legs of one journey share an itinerary id and are numbered from 1.
    itinerary = models.UUIDField(_("itinerary"), null=True, blank=True)
    leg = models.PositiveSmallIntegerField(_("leg"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["person", "arrival", "id"]
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(departure__isnull=True, until=OPEN_ENDED)
                    | Q(departure__isnull=False, until=F("departure"))
                ),
                name="trip_until_is_departure_or_open",
            ),
            models.CheckConstraint(
                condition=Q(until__gte=F("arrival")), name="trip_departure_after_arrival"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="trip_point_in_range",
            ),
        ]
        indexes = [
            # Who is in a country at t: country = ? AND until > t AND arrival <= t, covering
            # person_id, so COUNT(DISTINCT person_id) never reads the table.
            models.Index(fields=["country", "until", "arrival", "person"], name="trip_presence"),
            # Streaming the audience in person-id pages: country = ? AND person_id > ? in
            # index order, until and arrival checked from the index.
            models.Index(fields=["country", "person", "until", "arrival"], name="trip_keyset"),
            models.Index(
                fields=["subdivision", "until", "arrival", "person"],
                condition=Q(subdivision__isnull=False),
                name="trip_presence_subdivision",
            ),
            models.Index(
                fields=["country", "latitude", "longitude"],
                condition=Q(latitude__isnull=False),
                name="trip_point",
            ),
        ]

    def __str__(self) -> str:
        return f"Trip #{self.pk} ({self.country_id})"

    def __repr__(self) -> str:
        return f"<Trip #{self.pk} {self.country_id} {self.arrival:%Y-%m-%d}>"

    @property
    def is_open_ended(self) -> bool:
        return self.departure is None


class SignInLink(models.Model):
    """A magic link asked for on the enrolment pages or through the API.

    The link's token carries this row's id, never the address (see
    ``warden.people.enrolment.links``); ``used_at`` makes it single-use. ``person`` is set
    once the link has signed someone in (an existing person) or their enrolment is complete.
    Rows are purged a day after they were created.
    """

    email = EncryptedTextField(_("email address"))
    lookup = models.CharField(_("lookup key"), max_length=32)
    language = models.CharField(_("language"), max_length=8, default="en")
    person = models.ForeignKey(
        Person, verbose_name=_("person"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")

    def __str__(self) -> str:
        return f"Sign-in link #{self.pk}"


class PhoneCode(models.Model):
    """A code that verifies a phone number or messaging address: asked for by the person
    on their registration page, sent by the worker (``warden.alerting.codes``) and typed
    in there. Encrypted, as the worker reads it to send it; deleted once used, or replaced
    by the next one asked for; worthless after ``expires_at`` or ``TRIES`` wrong codes."""

    TRIES = 5

    contact_point = models.ForeignKey(
        ContactPoint, on_delete=models.CASCADE, related_name="codes", db_index=False
    )
    code = EncryptedTextField(_("code"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    # Sending (the worker): when it is due, how many times it was tried, what went wrong.
    send_at = models.DateTimeField(_("to be sent"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(_("attempts to send"), default=0)
    send_error = models.CharField(_("error"), max_length=300, blank=True)
    wrong = models.PositiveSmallIntegerField(_("wrong codes typed"), default=0)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        constraints = [
            # One code at a time: asking again replaces it.
            models.UniqueConstraint(fields=["contact_point"], name="phonecode_one_per_contact")
        ]
        indexes = [
            # The worker's queue: codes still to be sent.
            models.Index(
                fields=["send_at"], name="phonecode_to_send", condition=Q(send_at__isnull=False)
            ),
            models.Index(fields=["expires_at"], name="phonecode_expiry"),
        ]

    def __str__(self) -> str:
        return f"code for contact point #{self.contact_point_id}"


class RateCounter(models.Model):
    """Requests counted per key (a hash of an address's blind index, or of an IP address) in
    fixed windows. In the database, not the cache: Warden runs several processes and
    configures no shared cache, so a per-process LocMemCache would let each process count
    alone."""

    key = models.CharField(_("key"), max_length=64)
    window_start = models.DateTimeField(_("window start"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="ratecounter_unique")
        ]
        indexes = [models.Index(fields=["window_start"], name="ratecounter_window")]

    def __str__(self) -> str:
        return f"Rate counter #{self.pk}"
