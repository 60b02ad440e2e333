"""CAP 1.2 (OASIS Common Alerting Protocol) alerts for every public change.

Each publication or withdrawal of an actual edition or statement is one CAP message, served
for good at ``/cap/<identifier>.xml`` (superseded and withdrawn ones stay readable):

- ``<sender>.edition.<CC>.<n>``: edition n published; msgType Alert for a country's first
  edition, Update when it replaced one.
- ``<sender>.edition.<CC>.<n>.cancel``: edition n withdrawn (Cancel).
- ``<sender>.edition.<CC>.<p>.reinstated.<n>``: withdrawing edition n put the edition it had
  replaced, p, back in force (Alert).
- ``<sender>.statement.<pk>``: a statement published (Alert).
- ``<sender>.statement.<pk>.cancel``: ... and withdrawn (Cancel).

An Update's or Cancel's ``references`` names the message a consumer holds for that edition at
that moment, so the messages replayed in order leave exactly the current advice. Exercise
editions and statements have no CAP messages: they are staff drills, never broadcast.

Times are UTC written as the CAP 1.2 data dictionary requires: ``2025-01-31T08:15:00-00:00``
(no "Z", no fractions). No ``expires`` is sent: an advisory stays in force until an Update or
Cancel replaces it, also after its review date, and consumers drop expired alerts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from lxml import etree
from lxml.builder import ElementMaker

from warden.advisories.models import AreaLevel, Edition, Level, Statement, Status
from warden.geo.models import Country, CustomArea

NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
CONTENT_TYPE = "application/cap+xml; charset=utf-8"
PUBLIC_STATUSES = (Status.PUBLISHED, Status.SUPERSEDED, Status.WITHDRAWN)

E = ElementMaker(namespace=NAMESPACE, nsmap={None: NAMESPACE})

_EDITION_ID = re.compile(
    r"(?P<sender>.+)\.edition\.(?P<country>[A-Z]{2})\.(?P<number>[0-9]+)"
    r"(?:\.(?P<cancel>cancel)|\.reinstated\.(?P<by>[0-9]+))?"
)
_STATEMENT_ID = re.compile(r"(?P<sender>.+)\.statement\.(?P<pk>[0-9]+)(?:\.(?P<cancel>cancel))?")


class Kind(StrEnum):
    PUBLISHED = "published"
    CANCELLED = "cancelled"
    REINSTATED = "reinstated"


@dataclass(frozen=True)
class Message:
    """One CAP message about ``subject``; ``withdrawn`` is the edition whose withdrawal
    reinstated ``subject`` (for ``Kind.REINSTATED`` only)."""

    subject: Edition | Statement
    kind: Kind = Kind.PUBLISHED
    withdrawn: Edition | None = None

    @property
    def sender(self) -> str:
        return self.subject.authority.sender

    @property
    def identifier(self) -> str:
        subject = self.subject
        if isinstance(subject, Statement):
            base = f"{self.sender}.statement.{subject.pk}"
        else:
            base = f"{self.sender}.edition.{subject.country_id}.{subject.number}"
        if self.kind is Kind.CANCELLED:
            return f"{base}.cancel"
        if self.withdrawn is not None:
            return f"{base}.reinstated.{self.withdrawn.number}"
        return base

    @property
    def sent(self) -> datetime:
        if self.kind is Kind.CANCELLED:
            moment = self.subject.withdrawn_at
        elif self.withdrawn is not None:
            moment = self.withdrawn.withdrawn_at
        else:
            moment = self.subject.published_at
        if moment is None:
            raise ValueError(f"{self.identifier} has not happened")
        return moment

    @property
    def msg_type(self) -> str:
        if self.kind is Kind.CANCELLED:
            return "Cancel"
        if self.kind is Kind.PUBLISHED and isinstance(self.subject, Edition):
            return "Update" if self.subject.previous_id else "Alert"
        return "Alert"

    @property
    def reference(self) -> str:
        """This message as CAP ``references`` name it: ``sender,identifier,sent``."""
        return f"{self.sender},{self.identifier},{cap_time(self.sent)}"

    @property
    def path(self) -> str:
        return reverse("feeds:cap_alert", kwargs={"identifier": self.identifier})

    @property
    def url(self) -> str:
        return f"{settings.SITE_URL}{self.path}"

    def sort_key(self) -> tuple[datetime, int]:
        """Chronological; a withdrawal's Cancel comes before the reinstatement it causes."""
        return self.sent, list(Kind).index(self.kind)


def cap_time(moment: datetime) -> str:
    """A CAP date-time: UTC as ``-00:00``, whole seconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S-00:00")


# --- Which messages exist -----------------------------------------------------------------


def public_editions() -> QuerySet[Edition]:
    return (
        Edition.objects.filter(
            is_exercise=False, status__in=PUBLIC_STATUSES, published_at__isnull=False
        )
        .select_related("authority", "country", "previous__authority", "previous__country")
        .prefetch_related(
            "texts",
            "authority__levels",
            "areas__subdivision",
            "areas__custom_area",
            "previous__texts",
            "previous__authority__levels",
        )
    )


def public_statements() -> QuerySet[Statement]:
    return (
        Statement.objects.filter(
            is_exercise=False, status__in=PUBLIC_STATUSES, published_at__isnull=False
        )
        .select_related("authority")
        .prefetch_related("texts", "countries")
    )


def edition_messages(edition: Edition) -> list[Message]:
    """The messages an edition caused: its publication, its withdrawal and what that reinstated."""
    messages = [Message(edition)]
    if edition.status == Status.WITHDRAWN and edition.withdrawn_at is not None:
        messages.append(Message(edition, Kind.CANCELLED))
        if edition.previous is not None:
            messages.append(Message(edition.previous, Kind.REINSTATED, edition))
    return messages


def statement_messages(statement: Statement) -> list[Message]:
    messages = [Message(statement)]
    if statement.status == Status.WITHDRAWN and statement.withdrawn_at is not None:
        messages.append(Message(statement, Kind.CANCELLED))
    return messages


def edition_paths(edition: Edition) -> list[str]:
    """Every CAP document an actual edition caused (for the public snapshots)."""
    if edition.is_exercise or edition.status not in PUBLIC_STATUSES:
        return []
    return [message.path for message in edition_messages(edition)]


def announcement(edition: Edition, *, at: datetime | None = None) -> Message:
    """The message that last put ``edition`` in force (up to ``at``): its publication, or
    the reinstatement after the withdrawal of a later edition."""
    withdrawals = public_editions().filter(status=Status.WITHDRAWN, previous=edition)
    if at is not None:
        withdrawals = withdrawals.filter(withdrawn_at__lte=at)
    latest = withdrawals.order_by("-withdrawn_at").first()
    return Message(edition, Kind.REINSTATED, latest) if latest else Message(edition)


def references(message: Message) -> list[Message]:
    """The messages an Update replaces or a Cancel withdraws."""
    subject = message.subject
    if message.kind is Kind.CANCELLED:
        if isinstance(subject, Edition):
            return [announcement(subject, at=message.sent)]
        return [Message(subject)]
    if message.kind is Kind.PUBLISHED and isinstance(subject, Edition) and subject.previous:
        return [announcement(subject.previous, at=message.sent)]
    return []


def message_for(identifier: str) -> Message | None:
    """The public message with this identifier, or None."""
    message = _edition_message(identifier) or _statement_message(identifier)
    if message is None or message.identifier != identifier:
        return None
    return message


def _edition_message(identifier: str) -> Message | None:
    match = _EDITION_ID.fullmatch(identifier)
    if match is None:
        return None
    editions = public_editions().filter(
        country_id=match["country"], authority__sender=match["sender"]
    )
    edition = editions.filter(number=int(match["number"])).first()
    if edition is None:
        return None
    if match["cancel"]:
        return Message(edition, Kind.CANCELLED) if edition.status == Status.WITHDRAWN else None
    if match["by"]:
        withdrawn = editions.filter(
            number=int(match["by"]), status=Status.WITHDRAWN, previous=edition
        ).first()
        return Message(edition, Kind.REINSTATED, withdrawn) if withdrawn else None
    return Message(edition)


def _statement_message(identifier: str) -> Message | None:
    match = _STATEMENT_ID.fullmatch(identifier)
    if match is None:
        return None
    statement = (
        public_statements().filter(pk=int(match["pk"]), authority__sender=match["sender"]).first()
    )
    if statement is None:
        return None
    if match["cancel"]:
        withdrawn = statement.status == Status.WITHDRAWN
        return Message(statement, Kind.CANCELLED) if withdrawn else None
    return Message(statement)


# --- Words --------------------------------------------------------------------------------


def languages(subject: Edition | Statement) -> list[str]:
    """The shipped languages ``subject`` has text in, the default language first."""
    written = {text.language for text in subject.texts.all()}
    return [code for code, _name in settings.LANGUAGES if code in written]


def level_of(edition: Edition) -> Level:
    for level in edition.authority.levels.all():
        if level.number == edition.level:
            return level
    raise LookupError(f"{edition.authority} has no level {edition.level}")


def headline(message: Message, language: str) -> str:
    with translation.override(language):
        subject = message.subject
        if isinstance(subject, Statement):
            text = text_in(subject, language)
            words = getattr(text, "title", "")
        else:
            words = _("%(country)s: level %(number)d — %(name)s") % {
                "country": subject.country.local_name(language),
                "number": subject.level,
                "name": level_of(subject).name(language),
            }
            if message.kind is Kind.REINSTATED:
                words = _("%(headline)s (in force again)") % {"headline": words}
        if message.kind is Kind.CANCELLED:
            words = _("Withdrawn: %(headline)s") % {"headline": words}
        return str(words)


def event(subject: Edition | Statement, language: str) -> str:
    with translation.override(language):
        if isinstance(subject, Statement):
            return _("Official statement")
        return _("Travel advisory level %(number)d") % {"number": subject.level}


def country_url(country: Country, language: str) -> str:
    with translation.override(language):
        return f"{settings.SITE_URL}{reverse('site:country', args=[country.code])}"


def page_url(subject: Edition | Statement, language: str) -> str:
    """The public page about ``subject``: its country's page, or the home page."""
    if isinstance(subject, Edition):
        return country_url(subject.country, language)
    countries = list(subject.countries.all())
    if len(countries) == 1:
        return country_url(countries[0], language)
    with translation.override(language):
        return f"{settings.SITE_URL}{reverse('site:home')}"


def text_in(subject: Edition | Statement, language: str) -> Any:
    return next((t for t in subject.texts.all() if t.language == language), None)


def _sender_name(subject: Edition | Statement, language: str) -> str:
    authority = subject.authority
    return str(authority.names.get(language) or authority.name)


# --- The XML ------------------------------------------------------------------------------


def render(message: Message) -> bytes:
    """The CAP 1.2 document for ``message``."""
    alert = E.alert(
        E.identifier(message.identifier),
        E.sender(message.sender),
        E.sent(cap_time(message.sent)),
        E.status("Actual"),
        E.msgType(message.msg_type),
        E.scope("Public"),
        *_note(message),
        *_references(message),
        *[_info(message, language) for language in languages(message.subject)],
    )
    return bytes(etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _note(message: Message) -> list[Any]:
    reason = message.subject.withdrawn_reason
    return [E.note(reason)] if message.kind is Kind.CANCELLED and reason else []


def _references(message: Message) -> list[Any]:
    replaced = references(message)
    return [E.references(" ".join(m.reference for m in replaced))] if replaced else []


def _info(message: Message, language: str) -> Any:
    subject = message.subject
    if message.kind is Kind.CANCELLED:
        body: list[Any] = _cancel_body(message, language)
    elif isinstance(subject, Edition):
        body = _edition_body(message, subject, language)
    else:
        body = _statement_body(subject, language)
    return E.info(
        E.language(language), E.category("Security"), E.event(event(subject, language)), *body
    )


def _grading(urgency: str, severity: str, certainty: str) -> list[Any]:
    return [E.urgency(urgency), E.severity(severity), E.certainty(certainty)]


def _edition_body(message: Message, edition: Edition, language: str) -> list[Any]:
    level = level_of(edition)
    text = text_in(edition, language)
    effective = message.sent if message.kind is Kind.REINSTATED else edition.effective_at
    return [
        E.responseType(level.cap_response_type),
        *_grading(level.cap_urgency, level.cap_severity, "Likely"),
        E.effective(cap_time(effective or message.sent)),
        E.senderName(_sender_name(edition, language)),
        E.headline(headline(message, language)),
        E.description(_edition_description(edition, text.summary, text.body, language)),
        E.instruction(level.wording(language)),
        E.web(country_url(edition.country, language)),
        *_edition_parameters(edition),
        _country_area(edition.country, language),
        *[_area(area, language) for area in edition.areas.all()],
    ]


def _edition_description(edition: Edition, summary: str, body: str, language: str) -> str:
    parts = [summary, body]
    with translation.override(language):
        for area in edition.areas.all():
            note = area.notes.get(language)
            if note:
                values = {"area": area.area.local_name(language), "number": area.level}
                parts.append(_("%(area)s (level %(number)d): ") % values + note)
    return "\n\n".join(part.strip() for part in parts if part.strip())


def _parameter(name: str, value: str) -> Any:
    return E.parameter(E.valueName(name), E.value(value))


def _edition_parameters(edition: Edition) -> list[Any]:
    parameters = [_parameter("level", str(edition.level))]
    if edition.reasons:
        parameters.append(_parameter("riskIndicators", " ".join(edition.reasons)))
    parameters.append(_parameter("edition", str(edition.number)))
    parameters += [
        _parameter("areaLevel", f"{area.area_code}:{area.level}") for area in edition.areas.all()
    ]
    return parameters


def _statement_body(statement: Statement, language: str) -> list[Any]:
    text = text_in(statement, language)
    effective = statement.issued_at or statement.published_at
    return [
        *_grading("Unknown", "Unknown", "Unknown"),
        *([E.effective(cap_time(effective))] if effective else []),
        E.senderName(_sender_name(statement, language)),
        E.headline(text.title),
        E.description(text.text),
        E.web(page_url(statement, language)),
        *[_country_area(country, language) for country in statement.countries.all()],
    ]


def _cancel_body(message: Message, language: str) -> list[Any]:
    subject = message.subject
    countries = [subject.country] if isinstance(subject, Edition) else subject.countries.all()
    reason = subject.withdrawn_reason
    return [
        *_grading("Unknown", "Unknown", "Unknown"),
        E.senderName(_sender_name(subject, language)),
        E.headline(headline(message, language)),
        *([E.description(reason)] if reason else []),
        E.web(page_url(subject, language)),
        *[_country_area(country, language) for country in countries],
    ]


def _geocode(name: str, value: str) -> Any:
    return E.geocode(E.valueName(name), E.value(value))


def _country_area(country: Country, language: str) -> Any:
    return E.area(E.areaDesc(country.local_name(language)), _geocode("ISO3166-1", country.code))


def _area(area: AreaLevel, language: str) -> Any:
    if area.subdivision is not None:
        subdivision = area.subdivision
        return E.area(
            E.areaDesc(subdivision.local_name(language)),
            _geocode("ISO3166-2", subdivision.code),
        )
    custom = area.custom_area
    if custom is None:  # excluded by the arealevel_exactly_one_area constraint
        raise ValueError(f"area level {area.pk} has no area")
    return E.area(E.areaDesc(custom.local_name(language)), _shape(custom))


def _shape(area: CustomArea) -> Any:
    if area.kind == CustomArea.Kind.POLYGON and area.polygon:
        return E.polygon(cap_polygon(area.polygon["coordinates"][0]))
    return E.circle(
        f"{_number(area.center_lat)},{_number(area.center_lon)} {_number(area.radius_km)}"
    )


def cap_polygon(ring: Sequence[Sequence[float]]) -> str:
    """A GeoJSON ring (``[lon, lat]`` positions) as CAP ``lat,lon`` pairs, closed.

    CAP has no holes: a polygon with holes is sent as its outer ring.
    """
    points = [(position[1], position[0]) for position in ring]
    if points[0] != points[-1]:
        points.append(points[0])
    return " ".join(f"{_number(lat)},{_number(lon)}" for lat, lon in points)


def _number(value: float | None) -> str:
    """Up to six decimals (about 10 cm), without trailing zeros."""
    if value is None:
        raise ValueError("a circle needs its centre and radius")
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text
