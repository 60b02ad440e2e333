"""Sources: pasted text, web pages and feed entries, de-duplicated by address and content,
each run through extraction into a proposal that waits for an analyst."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.audit.services import record
from warden.incidents import extraction
from warden.incidents.extraction.tokens import is_hebrew
from warden.incidents.fetching import FetchError, article_from_html, fetch
from warden.incidents.models import Feed, Proposal, Source
from warden.incidents.services.common import content_hash
from warden.incidents.taxonomy import Reliability

MAX_TEXT = 100_000


@dataclass(frozen=True)
class SourceContent:
    text: str
    outlet: str = ""
    url: str = ""
    title: str = ""
    published_at: datetime | None = None
    language: str = ""
    reliability: str = Reliability.F


@dataclass(frozen=True)
class Intake:
    source: Source
    proposal: Proposal | None
    duplicate: bool


_cache: dict[str, Any] = {}


def gazetteer() -> extraction.Gazetteer:
    """This installation's gazetteer, rebuilt when countries or posts change."""
    from warden.geo.models import Country
    from warden.missions.models import Post

    posts = Post.objects.aggregate(last=Max("pk"))
    key = (Country.objects.count(), Post.objects.count(), posts["last"])
    if _cache.get("key") != key:
        _cache["gazetteer"] = extraction.from_database()
        _cache["key"] = key
    gazetteer: extraction.Gazetteer = _cache["gazetteer"]
    return gazetteer


def duplicate_of(*, url: str, text: str) -> Source | None:
    query = Q(content_hash=content_hash(text))
    if url:
        query |= Q(url=url)
    return Source.objects.filter(query).order_by("pk").first()


def _check(content: SourceContent) -> None:
    if not content.text.strip():
        raise ValidationError({"text": [_("The source has no text.")]})
    if len(content.text) > MAX_TEXT:
        raise ValidationError(
            {"text": [_("The text is too long to read (at most 100,000 characters).")]}
        )
    if content.reliability not in Reliability.values:
        raise ValidationError({"reliability": [_("Reliability is graded A to F.")]})


@transaction.atomic
def ingest(
    *,
    content: SourceContent,
    kind: str,
    acting_user: User | None = None,
    feed: Feed | None = None,
) -> Intake:
    """Store a source and propose an incident from it, unless it is already known.

    Callers check permissions: the console services below, or the worker for feeds.
    """
    _check(content)
    existing = duplicate_of(url=content.url, text=content.text)
    if existing is not None:
        return Intake(existing, None, duplicate=True)
    language = content.language or ("he" if is_hebrew(content.text) else "en")
    source = Source.objects.create(
        kind=kind,
        outlet=content.outlet.strip()[:150],
        url=content.url.strip(),
        title=content.title.strip()[:300],
        published_at=content.published_at,
        language=language[:8],
        reliability=content.reliability,
        text=content.text.strip(),
        content_hash=content_hash(content.text),
        feed=feed,
        added_by=acting_user,
    )
    data = extraction.extract(
        source.text,
        gazetteer=gazetteer(),
        published=source.published_at or timezone.now(),
        outlet=source.outlet,
        title=source.title,
    )
    proposal = Proposal.objects.create(source=source, data=data)
    record(
        actor=acting_user,
        action="incidents.source.add",
        obj=source,
        after={"kind": kind, "feed": feed.pk if feed else None, "proposal": proposal.pk},
    )
    return Intake(source, proposal, duplicate=False)


def source_add_text(*, acting_user: User, content: SourceContent) -> Intake:
    """An analyst pastes a text (with its outlet, address and time if known)."""
    authorize(acting_user, "incident.intake")
    return ingest(content=content, kind=Source.Kind.TEXT, acting_user=acting_user)


def source_add_url(
    *, acting_user: User, url: str, outlet: str = "", reliability: str = Reliability.F
) -> Intake:
    """An analyst gives a web address: the page is downloaded and its article text read."""
    authorize(acting_user, "incident.intake")
    url = url.strip()
    existing = Source.objects.filter(url=url).first() if url else None
    if existing is not None:
        return Intake(existing, None, duplicate=True)
    try:
        page = fetch(url)
        article = article_from_html(page.body.decode("utf-8", errors="replace"), page.url)
    except FetchError as error:
        raise ValidationError({"url": [str(error)]}) from error
    text = article.text if article.title in article.text else f"{article.title}\n\n{article.text}"
    content = SourceContent(
        text=text,
        outlet=outlet or article.outlet,
        url=url,
        title=article.title,
        published_at=article.published,
        language=article.language,
        reliability=reliability,
    )
    return ingest(content=content, kind=Source.Kind.URL, acting_user=acting_user)
