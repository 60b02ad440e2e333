"""Atom feeds and CAP documents: every public change, per country, and the current CAP alerts.

- ``/cap/<identifier>.xml``: one CAP 1.2 message (see ``warden.site.cap``).
- ``/cap/feed.atom``: the CAP index. One entry per alert in force (each country's current
  edition, each published statement), plus the latest withdrawals' Cancel messages so that a
  consumer polling only the index learns of them. Each entry links to its CAP document.
- ``/feeds/advisories.atom`` and ``/feeds/<iso2>.atom``: every publication, withdrawal and
  reinstatement, newest first, linking to the public page.

Feeds are in English; the CAP documents carry every language. Exercise editions and
statements never appear. Every view is cached on the publication stamp (``public_cache``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, cast

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import require_safe

from warden.advisories.models import Edition, Statement, Status
from warden.geo.models import Country
from warden.site import cap
from warden.site.caching import public_cache, publication_stamp
from warden.site.cap import Kind, Message
from warden.site.selectors import public_authority

LANGUAGE = "en"
CHANGES_LIMIT = 100
INDEX_CANCELS = 20
CAP_MIME_TYPE = "application/cap+xml"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


# --- Which messages each feed lists -------------------------------------------------------


def current_messages() -> list[Message]:
    """The CAP index: the alerts in force and the latest Cancel messages, newest first."""
    editions = list(cap.public_editions().filter(status=Status.PUBLISHED))
    reinstated = _latest_reinstatements(editions)
    messages = [reinstated.get(edition.pk) or Message(edition) for edition in editions]
    messages += [Message(s) for s in cap.public_statements().filter(status=Status.PUBLISHED)]
    withdrawals = _withdrawals(cap.public_editions(), cap.public_statements(), INDEX_CANCELS)
    messages += [m for m in withdrawals if m.kind is Kind.CANCELLED]
    return sorted(messages, key=Message.sort_key, reverse=True)


def _latest_reinstatements(editions: list[Edition]) -> dict[int, Message]:
    """For each current edition put back in force by a withdrawal, the latest reinstatement."""
    by_pk = {edition.pk: edition for edition in editions}
    withdrawals = (
        cap.public_editions()
        .filter(status=Status.WITHDRAWN, previous__in=list(by_pk))
        .order_by("withdrawn_at")
    )
    return {
        w.previous_id: Message(by_pk[w.previous_id], Kind.REINSTATED, w)
        for w in withdrawals
        if w.previous_id is not None
    }


def change_messages(*, country: Country | None = None, limit: int = CHANGES_LIMIT) -> list[Message]:
    """Every publication, withdrawal and reinstatement (of ``country``), newest first."""
    editions = cap.public_editions()
    statements = cap.public_statements()
    if country is not None:
        editions = editions.filter(country=country)
        statements = statements.filter(countries=country)
    messages = [Message(e) for e in editions.order_by("-published_at")[:limit]]
    messages += [Message(s) for s in statements.order_by("-published_at")[:limit]]
    messages += _withdrawals(editions, statements, limit)
    return _newest_first(messages, limit)


def _withdrawals(
    editions: QuerySet[Edition], statements: QuerySet[Statement], limit: int
) -> list[Message]:
    """The latest ``limit`` withdrawals: their Cancel messages and what they reinstated."""
    withdrawn = editions.filter(status=Status.WITHDRAWN).order_by("-withdrawn_at")[:limit]
    messages = [m for edition in withdrawn for m in cap.edition_messages(edition)[1:]]
    gone = statements.filter(status=Status.WITHDRAWN).order_by("-withdrawn_at")[:limit]
    messages += [Message(statement, Kind.CANCELLED) for statement in gone]
    return messages


def _newest_first(messages: Iterable[Message], limit: int) -> list[Message]:
    return sorted(messages, key=Message.sort_key, reverse=True)[:limit]


# --- Atom ---------------------------------------------------------------------------------


class StableAtom1Feed(Atom1Feed):
    """Atom whose ``<updated>`` is the newest entry's, or the publication stamp when empty
    (never "now", so that one ETag always means one body)."""

    def latest_post_date(self) -> datetime:
        if self.items:
            return super().latest_post_date()
        return publication_stamp() or _EPOCH


class _TypedAlternate:
    """Hands every call on to the XML writer, marking the entry's alternate link as CAP."""

    def __init__(self, handler: SimplerXMLGenerator) -> None:
        self._handler = handler

    def addQuickElement(
        self, name: str, contents: str | None = None, attrs: dict[str, str] | None = None
    ) -> None:
        if name == "link" and attrs and attrs.get("rel") == "alternate":
            attrs = {**attrs, "type": CAP_MIME_TYPE}
        self._handler.addQuickElement(name, contents, attrs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handler, name)


class CapIndexAtom1Feed(StableAtom1Feed):
    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(cast(SimplerXMLGenerator, _TypedAlternate(handler)), item)


def _authority_name() -> str:
    authority = public_authority()
    return authority.name if authority else "Warden"


def _absolute(name: str, **kwargs: str) -> str:
    return f"{settings.SITE_URL}{reverse(name, kwargs=kwargs or None)}"


def summary(message: Message) -> str:
    """What changed, in a sentence or two of English."""
    subject = message.subject
    if message.kind is Kind.CANCELLED:
        return subject.withdrawn_reason or "Withdrawn."
    if isinstance(subject, Statement):
        return str(getattr(cap.text_in(subject, LANGUAGE), "text", ""))
    if message.withdrawn is not None:
        return (
            f"Edition {message.withdrawn.number} was withdrawn; "
            f"edition {subject.number} applies again."
        )
    return subject.change_note or "Minor update."


class _MessageFeed(Feed):
    """What every Warden feed says about one CAP message."""

    feed_type = StableAtom1Feed
    language = LANGUAGE

    def author_name(self) -> str:
        return _authority_name()

    def item_title(self, item: Message) -> str:
        return cap.headline(item, LANGUAGE)

    def item_description(self, item: Message) -> str:
        return str(escape(summary(item)))  # the Atom summary is type="html"

    def item_guid(self, item: Message) -> str:
        return item.url

    def item_updateddate(self, item: Message) -> datetime:
        return item.sent.replace(microsecond=0)  # exactly the CAP <sent>

    def item_author_name(self, item: Message) -> str:
        return item.subject.authority.name


class ChangesFeed(_MessageFeed):
    """All changes, or one country's when the URL names it."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Country | None:
        code = kwargs.get("code")
        return get_object_or_404(Country, code=code.upper()) if code else None

    def title(self, obj: Country | None) -> str:
        if obj is None:
            return f"{_authority_name()}: travel advisories"
        return f"{obj.local_name(LANGUAGE)}: travel advisory"

    def link(self, obj: Country | None) -> str:
        return cap.country_url(obj, LANGUAGE) if obj else _absolute("site:home")

    def feed_url(self, obj: Country | None) -> str:
        if obj is None:
            return _absolute("feeds:advisories")
        return _absolute("feeds:country", code=obj.code.lower())

    def feed_guid(self, obj: Country | None) -> str:
        return self.feed_url(obj)

    def items(self, obj: Country | None) -> list[Message]:
        return change_messages(country=obj)

    def item_link(self, item: Message) -> str:
        return cap.page_url(item.subject, LANGUAGE)


class CapIndexFeed(_MessageFeed):
    """The CAP alerts in force; each entry's alternate link is the CAP document."""

    feed_type = CapIndexAtom1Feed

    def title(self) -> str:
        return f"{_authority_name()}: CAP alerts"

    def link(self) -> str:
        return _absolute("site:home")

    def feed_url(self) -> str:
        return _absolute("feeds:cap_index")

    def feed_guid(self) -> str:
        return self.feed_url()

    def items(self) -> list[Message]:
        return current_messages()

    def item_link(self, item: Message) -> str:
        return item.url


_changes = ChangesFeed()
_cap_index = CapIndexFeed()


def _validated_by_stamp(response: HttpResponse) -> HttpResponse:
    """Drop the feed's own Last-Modified (its newest entry): ``public_cache`` sets the stamp."""
    del response["Last-Modified"]
    return response


# --- Views --------------------------------------------------------------------------------


@require_safe
@public_cache
def cap_alert(request: HttpRequest, identifier: str) -> HttpResponse:
    message = cap.message_for(identifier)
    if message is None:
        raise Http404("No such CAP alert")
    return HttpResponse(cap.render(message), content_type=cap.CONTENT_TYPE)


@require_safe
@public_cache
def cap_index(request: HttpRequest) -> HttpResponse:
    return _validated_by_stamp(_cap_index(request))


@require_safe
@public_cache
def advisories(request: HttpRequest) -> HttpResponse:
    return _validated_by_stamp(_changes(request))


@require_safe
@public_cache
def country(request: HttpRequest, code: str) -> HttpResponse:
    """One country's changes; the code is lower case (``/feeds/tr.atom``)."""
    if code != code.lower():
        return redirect("feeds:country", code=code.lower(), permanent=True)
    return _validated_by_stamp(_changes(request, code=code))
