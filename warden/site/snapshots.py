"""Pre-rendered public snapshots: what is published, rendered once when it is published.

A web server or CDN serves these files directly (see docs/operations.md for the nginx
configuration), so the traffic spike after a level change never runs Django per request.
Django still answers every URL itself (development, the demo, and anything not snapshotted).

Snapshots are written after a publication commits (``publication_committed``) and, as a
safety net, by the worker whenever the publication stamp is newer than the last snapshot.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from warden.advisories.models import Edition, Statement
from warden.site.caching import publication_stamp

log = logging.getLogger(__name__)

EXTENSIONS = {
    "text/html": "html",
    "application/json": "json",
    "application/atom+xml": "atom",
    "application/cap+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
}
STAMP_FILE = ".publication-stamp"


def snapshot_dir() -> Path | None:
    configured = getattr(settings, "WARDEN_SNAPSHOT_DIR", "")
    return Path(configured) if configured else None


def file_for(root: Path, path: str, content_type: str) -> Path:
    """Where the response for ``path`` is stored, so that nginx's try_files finds it."""
    relative = path.lstrip("/")
    last = relative.rsplit("/", 1)[-1]
    if "." in last:
        return root / relative
    ext = EXTENSIONS.get(content_type.split(";")[0].strip(), "html")
    return root / relative / f"index.{ext}"


def _write_atomic(target: Path, body: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(body)
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)


def _reverse(name: str, language: str, **kwargs: str) -> str | None:
    with translation.override(language):
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def country_paths(code: str) -> list[str]:
    """Every public URL that shows ``code``'s advisory."""
    paths = [_reverse("site:country", lang, iso2=code) for lang in _languages()]
    paths += [
        f"/feeds/{code.lower()}.atom",
        f"/api/v1/countries/{code}",
        f"/api/v1/countries/{code}/history",
    ]
    return [p for p in paths if p]


def shared_paths() -> list[str]:
    """URLs that list every country or every change."""
    paths = [_reverse("site:home", lang) for lang in _languages()]
    paths += ["/feeds/advisories.atom", "/cap/feed.atom", "/api/v1/countries", "/api/v1/statements"]
    return [p for p in paths if p]


def cap_paths(codes: Iterable[str]) -> list[str]:
    """The CAP documents of ``codes``' editions and statements."""
    from warden.site import cap

    codes = list(codes)
    editions = cap.public_editions().filter(country_id__in=codes)
    statements = cap.public_statements().filter(countries__in=codes).distinct()
    paths = [path for edition in editions for path in cap.edition_paths(edition)]
    paths += [m.path for statement in statements for m in cap.statement_messages(statement)]
    return paths


@dataclass
class SnapshotResult:
    written: int = 0
    skipped: int = 0


def render(paths: Iterable[str], *, root: Path) -> SnapshotResult:
    """Render ``paths`` through Django and store every 200 response under ``root``."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    client = Client(HTTP_HOST=host, raise_request_exception=False)
    result = SnapshotResult()
    for path in dict.fromkeys(paths):
        response = client.get(path, secure=settings.SITE_URL.startswith("https"))
        if response.status_code != 200 or response.streaming:
            log.warning("snapshot %s skipped: HTTP %s", path, response.status_code)
            result.skipped += 1
            continue
        _write_atomic(file_for(root, path, response.get("Content-Type", "")), response.content)
        result.written += 1
    return result


def refresh(country_codes: Iterable[str] | None = None) -> SnapshotResult | None:
    """Re-render the given countries (all countries with an edition when None)."""
    root = snapshot_dir()
    if root is None:
        return None
    stamp = publication_stamp()
    if country_codes is None:
        country_codes = sorted(
            set(
                Edition.objects.filter(is_exercise=False)
                .exclude(published_at=None)
                .values_list("country_id", flat=True)
            )
        )
    codes = list(country_codes)
    paths = shared_paths() + [p for code in codes for p in country_paths(code)]
    result = render(paths + cap_paths(codes), root=root)
    _write_atomic(root / STAMP_FILE, (stamp.isoformat() if stamp else "-").encode())
    return result


def _stored_stamp(root: Path) -> datetime | None:
    try:
        return datetime.fromisoformat((root / STAMP_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return None


def changed_countries(since: datetime) -> list[str]:
    changed = Edition.objects.filter(is_exercise=False).filter(
        Q(published_at__gt=since) | Q(withdrawn_at__gt=since)
    )
    statements = Statement.objects.filter(is_exercise=False).filter(
        Q(published_at__gt=since) | Q(withdrawn_at__gt=since)
    )
    codes = set(changed.values_list("country_id", flat=True))
    codes |= set(statements.values_list("countries__code", flat=True))
    return sorted(code for code in codes if code)


def refresh_if_stale() -> bool:
    """Worker step: re-render what changed since the last snapshot. True if it did work."""
    root = snapshot_dir()
    stamp = publication_stamp()
    if root is None or stamp is None:
        return False
    stored = _stored_stamp(root)
    if stored is not None and stored >= stamp:
        return False
    refresh(None if stored is None else changed_countries(stored))
    return True


def on_publication(sender: object, country_codes: list[str], **kwargs: object) -> None:
    """Receiver for ``publication_committed``: re-render the changed countries at once."""
    if snapshot_dir() is not None:
        refresh(country_codes)
