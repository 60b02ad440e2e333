"""News feeds: an administrator registers them; the worker polls them with conditional GET,
reads new entries (and, if asked, their pages), and turns each new one into a proposal.

Every poll leaves a ``FeedPoll`` row with its outcome, error text and duration. A malformed
feed or a failing server is an error on that row and on the feed, never a crash.
"""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser
import lxml.html
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.audit.services import record
from warden.incidents.fetching import Fetched, FetchError, article_from_html, fetch
from warden.incidents.models import Feed, FeedPoll, Source
from warden.incidents.services.sources import SourceContent, ingest
from warden.incidents.taxonomy import Reliability

FEEDS_PER_PASS = 20


@dataclass(frozen=True)
class FeedContent:
    name: str
    url: str
    outlet: str
    language: str = "en"
    reliability: str = Reliability.F
    fetch_articles: bool = False
    is_active: bool = True


def _write(feed: Feed, content: FeedContent) -> None:
    if not content.url.lower().startswith(("http://", "https://")):
        raise ValidationError({"url": [_("Give an http or https address.")]})
    if Feed.objects.filter(url=content.url).exclude(pk=feed.pk).exists():
        raise ValidationError({"url": [_("This feed is already registered.")]})
    for name, value in content.__dict__.items():
        setattr(feed, name, value.strip() if isinstance(value, str) else value)
    feed.save()


def _snapshot(feed: Feed) -> dict[str, Any]:
    return {
        "name": feed.name,
        "url": feed.url,
        "outlet": feed.outlet,
        "active": feed.is_active,
        "reliability": feed.reliability,
        "fetch_articles": feed.fetch_articles,
    }


@transaction.atomic
def feed_create(*, acting_user: User, content: FeedContent) -> Feed:
    authorize(acting_user, "incident.feed_manage")
    feed = Feed()
    _write(feed, content)
    record(actor=acting_user, action="incidents.feed.create", obj=feed, after=_snapshot(feed))
    return feed


@transaction.atomic
def feed_update(*, acting_user: User, feed: Feed, content: FeedContent) -> Feed:
    authorize(acting_user, "incident.feed_manage")
    feed = Feed.objects.select_for_update().get(pk=feed.pk)
    before = _snapshot(feed)
    _write(feed, content)
    record(
        actor=acting_user,
        action="incidents.feed.update",
        obj=feed,
        before=before,
        after=_snapshot(feed),
    )
    return feed


def feed_poll_now(*, acting_user: User, feed: Feed) -> FeedPoll:
    """Poll one feed at once, from the console."""
    authorize(acting_user, "incident.feed_manage")
    poll = feed_poll(feed)
    record(
        actor=acting_user,
        action="incidents.feed.poll",
        obj=feed,
        after={"outcome": poll.outcome, "new": poll.new_sources},
    )
    return poll


def feeds_poll_step() -> bool:
    """Worker step: poll the active feeds, least recently polled first. Found new sources?"""
    feeds = Feed.objects.filter(is_active=True).order_by(
        F("last_polled_at").asc(nulls_first=True), "pk"
    )[:FEEDS_PER_PASS]
    return sum(feed_poll(feed).new_sources for feed in feeds) > 0


def feed_interval() -> float:
    """``INCIDENT_FEED_INTERVAL``: seconds between two polls of the feeds."""
    return float(settings.WARDEN_INCIDENT_FEED_INTERVAL)


def feed_poll(feed: Feed) -> FeedPoll:
    """Poll ``feed`` once and record the attempt."""
    poll = FeedPoll(feed=feed, started_at=timezone.now(), outcome=FeedPoll.Outcome.ERROR)
    started = time.monotonic()
    try:
        fetched = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        poll.http_status = fetched.status
        if fetched.not_modified:
            poll.outcome = FeedPoll.Outcome.NOT_MODIFIED
        else:
            _read_entries(feed, fetched, poll)
            feed.etag, feed.last_modified = fetched.etag[:300], fetched.last_modified[:100]
            poll.outcome = FeedPoll.Outcome.OK
    except FetchError as error:
        poll.http_status, poll.error = error.status, str(error)
    poll.duration_ms = int((time.monotonic() - started) * 1000)
    _finish(feed, poll)
    return poll


def _read_entries(feed: Feed, fetched: Fetched, poll: FeedPoll) -> None:
    parsed = feedparser.parse(fetched.body, response_headers=fetched.headers or {})
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        reason = parsed.get("bozo_exception") or _("it is not an RSS or Atom feed")
        raise FetchError(_("The feed could not be read: %(reason)s.") % {"reason": reason})
    if parsed.bozo:
        poll.error = _(
            "The feed is malformed (%(reason)s); %(count)s entries were read anyway."
        ) % {"reason": parsed.get("bozo_exception"), "count": len(parsed.entries)}
    for entry in parsed.entries:
        content = _entry_content(feed, entry)
        if content is None:
            continue
        try:
            intake = ingest(content=content, kind=Source.Kind.FEED, feed=feed)
        except ValidationError:
            continue
        if intake.duplicate:
            poll.duplicates += 1
        else:
            poll.new_sources += 1


def _entry_content(feed: Feed, entry: Any) -> SourceContent | None:
    url = str(entry.get("link") or "").strip()[:1000]
    title = _plain(str(entry.get("title") or ""))
    body = _entry_body(entry)
    if feed.fetch_articles and url:
        try:
            page = fetch(url)
            body = article_from_html(page.body.decode("utf-8", errors="replace"), url).text
        except FetchError:
            pass  # keep the summary from the feed
    if not body and not title:
        return None
    text = body if not title or title in body else f"{title}\n\n{body}"
    return SourceContent(
        text=text,
        outlet=feed.outlet,
        url=url,
        title=title,
        published_at=_published(entry),
        language=str(entry.get("language") or feed.language),
        reliability=feed.reliability,
    )


def _entry_body(entry: Any) -> str:
    contents = entry.get("content") or []
    html = contents[0].get("value", "") if contents else entry.get("summary", "")
    return _plain(str(html or ""))


def _plain(html: str) -> str:
    if "<" not in html:
        return " ".join(html.split())
    try:
        text = lxml.html.fragment_fromstring(html, create_parent="div").text_content()
    except (ValueError, lxml.etree.ParserError):
        return " ".join(html.split())
    return " ".join(str(text).split())


def _published(entry: Any) -> datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def _finish(feed: Feed, poll: FeedPoll) -> None:
    with transaction.atomic():
        poll.save()
        feed.last_polled_at = poll.started_at
        feed.last_outcome = poll.outcome
        feed.last_error = poll.error
        feed.failures = feed.failures + 1 if poll.outcome == FeedPoll.Outcome.ERROR else 0
        feed.save(
            update_fields=[
                "etag",
                "last_modified",
                "last_polled_at",
                "last_outcome",
                "last_error",
                "failures",
            ]
        )
