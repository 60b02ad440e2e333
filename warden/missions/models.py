"""Posts abroad, their staff and family members, drawdown decisions and tripwires.

``PostDecision`` rows are the history of a post's status: a serious step (authorized or
ordered departure, suspension) is requested by one person and approved by another, each
a row field, never an overwrite. ``Post.status`` and the staff's departure states follow
the decisions in force. Names of staff live, encrypted, on their ``people.Person``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from warden.geo.models import Country


class PostStatus(models.TextChoices):
    NORMAL = "normal", _("Normal operations")
    WATCH = "watch", _("Watch")
    AUTHORIZED_DEPARTURE = "authorized_departure", _("Authorized departure")
    ORDERED_DEPARTURE = "ordered_departure", _("Ordered departure")
    SUSPENDED = "suspended", _("Operations suspended")
    RESUMING = "resuming", _("Resuming operations")


class Scope(models.TextChoices):
    FAMILY_MEMBERS = "family_members", _("Family members only")
    NON_EMERGENCY = "non_emergency", _("Family members and non-emergency staff")
    ALL = "all", _("All staff and family members")


class DepartureState(models.TextChoices):
    AT_POST = "at_post", _("At post")
    ELIGIBLE = "eligible", _("Eligible to leave")
    ORDERED = "ordered", _("Ordered to leave")
    DEPARTING = "departing", _("Departing")
    IN_TRANSIT = "in_transit", _("In transit")
    AT_SAFE_HAVEN = "at_safe_haven", _("At the safe haven")
    RETURNED = "returned", _("Returned to post")
    EXEMPT = "exempt", _("Exempt")


class Post(models.Model):
    """A diplomatic post (embassy, consulate...) and where its drawdown stands."""

    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("Embassy")
        CONSULATE_GENERAL = "consulate_general", _("Consulate general")
        CONSULATE = "consulate", _("Consulate")
        OFFICE = "office", _("Office")

    name = models.CharField(_("name"), max_length=150)
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="posts")
    city = models.CharField(_("city"), max_length=100)
    geonameid = models.PositiveIntegerField(_("GeoNames city id"), null=True, blank=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    # Kept by the decision services: the status in force and the decision that set it.
    status = models.CharField(
        _("status"), max_length=24, choices=PostStatus.choices, default=PostStatus.NORMAL
    )
    status_since = models.DateTimeField(_("status since"), null=True, blank=True)
    is_temporary = models.BooleanField(_("temporary"), default=False)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    alternate_post = models.ForeignKey(
        "self",
        verbose_name=_("alternate post for consular services"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    current_decision = models.ForeignKey(
        "PostDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["country", "name"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return self.name

    def local_name(self, language: str | None = None) -> str:
        language = language or translation.get_language() or settings.LANGUAGE_CODE
        return str(self.names.get(language[:2], self.name))

    @property
    def head_of_mission(self) -> StaffMember | None:
        return self.staff.filter(is_head_of_mission=True).select_related("person").first()


class StaffMember(models.Model):
    """Someone posted abroad (or their family member), linked to a Person for messages."""

    class Category(models.TextChoices):
        EMPLOYEE = "employee", _("Employee")
        FAMILY_MEMBER = "family_member", _("Family member")
        LOCALLY_EMPLOYED = "locally_employed", _("Locally employed staff")

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="staff")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    is_emergency = models.BooleanField(_("emergency staff"), default=False)
    role_title = models.CharField(_("position"), max_length=150, blank=True)
    family_of = models.ForeignKey(
        "self",
        verbose_name=_("family member of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="family",
    )
    is_head_of_mission = models.BooleanField(_("head of mission"), default=False)
    on_committee = models.BooleanField(_("on the emergency action committee"), default=False)
    departure_state = models.CharField(
        _("departure"),
        max_length=16,
        choices=DepartureState.choices,
        default=DepartureState.AT_POST,
    )
    departure_updated_at = models.DateTimeField(_("departure updated"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["post", "category", "id"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff and family members")
        constraints = [
            models.UniqueConstraint(fields=["post", "person"], name="staff_once_per_post"),
            models.UniqueConstraint(
                fields=["post"], condition=Q(is_head_of_mission=True), name="one_head_of_mission"
            ),
            models.CheckConstraint(
                condition=Q(category="family_member", family_of__isnull=False)
                | (~Q(category="family_member") & Q(family_of__isnull=True)),
                name="staff_family_member_has_employee",
            ),
            models.CheckConstraint(
                condition=Q(category="employee") | Q(is_emergency=False),
                name="staff_only_employees_are_emergency",
            ),
        ]
        indexes = [models.Index(fields=["post", "departure_state"], name="staff_departure")]

    def __str__(self) -> str:
        return f"Staff member #{self.pk} ({self.category})"


class DepartureEvent(models.Model):
    """One change of a staff member's departure state: append-only, newest last."""

    class Channel(models.TextChoices):
        STAFF = "staff", _("Console")
        LINK = "link", _("The person's own link")
        DECISION = "decision", _("Post decision")

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="departures")
    from_state = models.CharField(max_length=16, choices=DepartureState.choices)
    to_state = models.CharField(max_length=16, choices=DepartureState.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.ForeignKey(
        "PostDecision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    occurred_at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["staff", "occurred_at", "id"]
        verbose_name = _("departure event")
        verbose_name_plural = _("departure events")

    def __str__(self) -> str:
        return f"Departure event #{self.pk} ({self.from_state} → {self.to_state})"


class PostDecision(models.Model):
    """A change of a post's status, with its reasons, scope and dates.

    Serious steps start ``requested`` and take effect when a different person approves
    them (``decided_by``); other steps take effect at once (``needs_approval`` false).
    """

    class State(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("In force")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled by the requester")

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="decisions")
    from_status = models.CharField(_("from"), max_length=24, choices=PostStatus.choices)
    to_status = models.CharField(_("to"), max_length=24, choices=PostStatus.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    needs_approval = models.BooleanField(_("needs a second person"), default=False)
    reasons = models.TextField(_("reasons"))
    scope = models.CharField(_("who leaves"), max_length=16, choices=Scope.choices, blank=True)
    deadline = models.DateTimeField(_("departure deadline"), null=True, blank=True)
    safe_haven = models.CharField(_("safe haven"), max_length=150, blank=True)
    is_temporary = models.BooleanField(_("temporary"), default=False)
    review_date = models.DateField(_("review date"), null=True, blank=True)
    alternate_post = models.ForeignKey(
        Post,
        verbose_name=_("alternate post for consular services"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    return_date = models.DateField(_("return date"), null=True, blank=True)
    committee_notes = models.TextField(_("emergency action committee record"), blank=True)
    advisory = models.ForeignKey(
        "advisories.Edition",
        verbose_name=_("advisory edition submitted with it"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)
    effective_at = models.DateTimeField(_("in force from"), null=True, blank=True)

    class Meta:
        ordering = ["post", "-requested_at", "-id"]
        verbose_name = _("post decision")
        verbose_name_plural = _("post decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["post"], condition=Q(state="requested"), name="one_open_request_per_post"
            ),
            # The two-person rule, kept by the database too.
            models.CheckConstraint(
                condition=~Q(needs_approval=True, state="approved", decided_by=F("requested_by")),
                name="decision_approver_is_not_requester",
            ),
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="decision_changes_status"
            ),
        ]

    def __str__(self) -> str:
        return f"Decision #{self.pk} ({self.from_status} → {self.to_status}, {self.state})"


class AfterActionReport(models.Model):
    """What a post learnt from a drawdown, written when it is back to normal."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="reports")
    decision = models.OneToOneField(
        PostDecision, on_delete=models.PROTECT, related_name="after_action_report"
    )
    summary = models.TextField(_("what happened"))
    went_well = models.TextField(_("what worked"), blank=True)
    to_improve = models.TextField(_("what to change"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["post", "-written_at"]
        verbose_name = _("after-action report")
        verbose_name_plural = _("after-action reports")

    def __str__(self) -> str:
        return f"After-action report #{self.pk}"


class Tripwire(models.Model):
    """A rule that moves a post to watch and alerts its emergency action committee."""

    class Kind(models.TextChoices):
        LEVEL = "level", _("Country level at or above")
        INCIDENT = "incident", _("Incident nearby")
        MANUAL = "manual", _("Manual")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="tripwires")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    event_type = models.CharField(_("event type"), max_length=60, blank=True)
    radius_km = models.FloatField(_("within (km)"), null=True, blank=True)
    hours = models.PositiveIntegerField(_("in the last (hours)"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["post", "kind", "id"]
        verbose_name = _("tripwire")
        verbose_name_plural = _("tripwires")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="level") | Q(level__gte=1, level__lte=4),
                name="tripwire_level_rule_has_level",
            ),
            models.CheckConstraint(
                condition=~Q(kind="incident") | Q(radius_km__gt=0, hours__gt=0) & ~Q(event_type=""),
                name="tripwire_incident_rule_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Tripwire #{self.pk} ({self.kind})"


class TripwireHit(models.Model):
    """A tripwire that fired, with its evidence; once per piece of evidence."""

    tripwire = models.ForeignKey(Tripwire, on_delete=models.CASCADE, related_name="hits")
    evidence_key = models.CharField(max_length=64)
    evidence = models.JSONField(_("evidence"), default=dict)
    hit_at = models.DateTimeField(_("when"))
    decision = models.ForeignKey(
        PostDecision, null=True, blank=True, on_delete=models.PROTECT, related_name="tripwire_hits"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-hit_at", "-id"]
        verbose_name = _("tripwire hit")
        verbose_name_plural = _("tripwire hits")
        constraints = [
            models.UniqueConstraint(
                fields=["tripwire", "evidence_key"], name="tripwire_hit_once_per_evidence"
            )
        ]

    def __str__(self) -> str:
        return f"Tripwire hit #{self.pk}"
