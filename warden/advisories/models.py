from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from warden.geo.models import Country, CustomArea, Subdivision


class RiskIndicator(models.TextChoices):
    """Reasons behind a level (US State Department risk indicator codes)."""

    CRIME = "C", _("Crime")
    TERRORISM = "T", _("Terrorism")
    CIVIL_UNREST = "U", _("Civil unrest")
    HEALTH = "H", _("Health")
    NATURAL_DISASTER = "N", _("Natural disaster")
    EVENT = "E", _("Time-limited event")
    KIDNAPPING = "K", _("Kidnapping or hostage-taking")
    WRONGFUL_DETENTION = "D", _("Wrongful detention")
    OTHER = "O", _("Other")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for approval")
    RETURNED = "returned", _("Returned to author")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Authority(models.Model):
    """The body that issues levels and statements, with its own level scale."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    names = models.JSONField(_("names by language"), default=dict, blank=True)
    # CAP <sender>: no spaces or commas.
    sender = models.CharField(_("CAP sender"), max_length=100)
    web = models.URLField(_("web address"), blank=True)
    is_default = models.BooleanField(_("default authority"), default=False)

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_authority",
            )
        ]

    def __str__(self) -> str:
        language = translation.get_language() or settings.LANGUAGE_CODE
        return str(self.names.get(language[:2], self.name))


class Level(models.Model):
    """One step of an authority's scale, e.g. 4 "High threat: do not travel"."""

    class Severity(models.TextChoices):
        EXTREME = "Extreme"
        SEVERE = "Severe"
        MODERATE = "Moderate"
        MINOR = "Minor"

    class Urgency(models.TextChoices):
        IMMEDIATE = "Immediate"
        EXPECTED = "Expected"
        FUTURE = "Future"
        PAST = "Past"

    class ResponseType(models.TextChoices):
        EVACUATE = "Evacuate"
        AVOID = "Avoid"
        PREPARE = "Prepare"
        MONITOR = "Monitor"
        NONE = "None"

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("level"))
    color = models.CharField(_("colour"), max_length=7, help_text=_("#rrggbb"))
    # {"en": {"name": "High threat", "wording": "Do not travel; ..."}, "he": {...}}
    texts = models.JSONField(_("name and wording by language"), default=dict)
    cap_severity = models.CharField(max_length=10, choices=Severity.choices)
    cap_urgency = models.CharField(max_length=10, choices=Urgency.choices)
    cap_response_type = models.CharField(max_length=10, choices=ResponseType.choices)

    class Meta:
        ordering = ["authority", "number"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            models.UniqueConstraint(fields=["authority", "number"], name="unique_level_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=4), name="level_between_1_and_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.name()}"

    def text(self, key: str, language: str | None = None) -> str:
        language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
        chosen = self.texts.get(language) or self.texts.get(settings.LANGUAGE_CODE) or {}
        return str(chosen.get(key, ""))

    def name(self, language: str | None = None) -> str:
        return self.text("name", language)

    def wording(self, language: str | None = None) -> str:
        return self.text("wording", language)


class Edition(models.Model):
    """One edition of the advisory for a country: its level, reasons and texts."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="editions")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="editions")
    number = models.PositiveIntegerField(_("edition number"))
    level = models.PositiveSmallIntegerField(_("level"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    is_exercise = models.BooleanField(_("exercise"), default=False)
    reasons = models.JSONField(_("risk indicators"), default=list, blank=True)
    change_note = models.TextField(_("change note"), blank=True)
    is_minor = models.BooleanField(_("minor edit"), default=False)
    effective_at = models.DateTimeField(_("effective from"), null=True, blank=True)
    review_due = models.DateField(_("review due"), null=True, blank=True)
    is_temporary = models.BooleanField(_("temporary"), default=False)
    expected_end = models.DateField(_("expected end"), null=True, blank=True)
    statements: models.ManyToManyField[Statement, Any] = models.ManyToManyField(
        "Statement", blank=True, related_name="cited_by"
    )

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contributors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_comment = models.TextField(_("comment from the approver"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The current edition when this draft was started."),
    )
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The edition this one replaced when published."),
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        ordering = ["country", "-number"]
        verbose_name = _("advisory edition")
        verbose_name_plural = _("advisory editions")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "is_exercise", "number"], name="unique_edition_number"
            ),
            models.UniqueConstraint(
                fields=["country", "is_exercise"],
                condition=models.Q(status="published"),
                name="one_published_edition_per_country",
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4), name="edition_level_between_1_and_4"
            ),
        ]
        indexes = [models.Index(fields=["status", "review_due"])]

    def __str__(self) -> str:
        mode = " [EXERCISE]" if self.is_exercise else ""
        return f"{self.country_id} #{self.number} level {self.level}{mode}"

    def text(self, language: str | None = None) -> EditionText | None:
        language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
        texts = {t.language: t for t in self.texts.all()}
        return texts.get(language) or texts.get(settings.LANGUAGE_CODE)

    def level_obj(self) -> Level:
        return self.authority.levels.get(number=self.level)


class EditionText(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8)
    summary = models.TextField(_("summary"))
    body = models.TextField(_("full advice"))

    class Meta:
        ordering = ["edition", "language"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "language"], name="one_text_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.edition} [{self.language}]"


class AreaLevel(models.Model):
    """A level for part of a country, different from the country's own."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="areas")
    subdivision = models.ForeignKey(Subdivision, null=True, blank=True, on_delete=models.PROTECT)
    custom_area = models.ForeignKey(CustomArea, null=True, blank=True, on_delete=models.PROTECT)
    level = models.PositiveSmallIntegerField(_("level"))
    # {"en": "Do not travel within 10 km of the border.", "he": "..."}
    notes = models.JSONField(_("note by language"), default=dict, blank=True)

    class Meta:
        ordering = ["edition", "-level", "id"]
        constraints = [
            models.CheckConstraint(
                name="arealevel_exactly_one_area",
                condition=(
                    models.Q(subdivision__isnull=False, custom_area__isnull=True)
                    | models.Q(subdivision__isnull=True, custom_area__isnull=False)
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=4),
                name="arealevel_level_between_1_and_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area} level {self.level}"

    @property
    def area(self) -> Subdivision | CustomArea:
        return self.subdivision or self.custom_area  # type: ignore[return-value]

    @property
    def area_code(self) -> str:
        return self.subdivision_id or self.custom_area.code  # type: ignore[union-attr]


class Statement(models.Model):
    """An official statement of the authority, for one or more countries."""

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="statements")
    countries = models.ManyToManyField(Country, related_name="statements")
    edition = models.ForeignKey(
        Edition, null=True, blank=True, on_delete=models.PROTECT, related_name="tied_statements"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    is_exercise = models.BooleanField(_("exercise"), default=False)
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    contributors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    returned_comment = models.TextField(_("comment from the approver"), blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")

    def __str__(self) -> str:
        text = self.text()
        headline = text.title if text else "—"
        mode = " [EXERCISE]" if self.is_exercise else ""
        return f"{headline}{mode}"

    def text(self, language: str | None = None) -> StatementText | None:
        language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
        texts = {t.language: t for t in self.texts.all()}
        return texts.get(language) or texts.get(settings.LANGUAGE_CODE)


class StatementText(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(_("headline"), max_length=200)
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["statement", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "language"], name="one_statement_text_per_language"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ReviewReminder(models.Model):
    """A review reminder already sent, so that the worker sends each one once."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Review due soon")
        OVERDUE = "overdue", _("Review overdue")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "kind"], name="one_reminder_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.edition} {self.kind}"
