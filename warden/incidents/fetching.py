"""Downloads for intake: feeds with conditional GET, and article pages with their text.

Plain ``urllib`` with a timeout and a size limit; only http and https. Errors come back as
``FetchError`` with a message an analyst can act on, never as a crash.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

USER_AGENT = "Warden-intake/1 (+https://warden.example/intake)"


class FetchError(Exception):
    """A download failed; the message says why."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Fetched:
    status: int
    body: bytes
    url: str
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""
    headers: dict[str, str] | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """GET ``url``; with ``etag``/``last_modified`` a 304 comes back as ``not_modified``."""
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError(_("Only http and https addresses can be fetched."))
    headers = {"User-Agent": USER_AGENT, "Accept": "*/*"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked above)
    timeout = settings.WARDEN_INCIDENT_FETCH_TIMEOUT
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return _read(response, url)
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Fetched(304, b"", url, etag=etag, last_modified=last_modified)
        raise FetchError(
            _("The server answered %(status)s %(reason)s.")
            % {"status": error.code, "reason": error.reason},
            status=error.code,
        ) from error
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(_("Could not download it: %(reason)s.") % {"reason": reason}) from error


def _read(response: Any, url: str) -> Fetched:
    limit = settings.WARDEN_INCIDENT_FETCH_MAX_BYTES
    body = response.read(limit + 1)
    if len(body) > limit:
        raise FetchError(_("The response is larger than %(limit)s bytes.") % {"limit": limit})
    headers = {key.lower(): value for key, value in response.headers.items()}
    return Fetched(
        status=response.status,
        body=body,
        url=response.geturl() or url,
        etag=headers.get("etag", ""),
        last_modified=headers.get("last-modified", ""),
        content_type=headers.get("content-type", ""),
        headers=headers,
    )


@dataclass(frozen=True)
class Article:
    title: str
    text: str
    published: datetime | None
    outlet: str
    language: str


def article_from_html(html: str, url: str) -> Article:
    """The main text of a web page and its metadata (trafilatura)."""
    import trafilatura

    document: Any = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, favor_precision=True
    )
    if document is None or not (document.text or "").strip():
        raise FetchError(_("No article text was found on that page."))
    published = None
    if document.date:
        try:
            published = datetime.fromisoformat(document.date)
            if published.tzinfo is None:
                published = published.replace(tzinfo=UTC)
        except ValueError:
            published = None
    return Article(
        title=(document.title or "")[:300],
        text=document.text.strip(),
        published=published,
        outlet=(document.sitename or "")[:150],
        language=(document.language or "")[:8],
    )
