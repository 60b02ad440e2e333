"""`warden intake <file>`: run extraction on a text file (or an RSS/Atom file) and print the
proposals as JSON, for analysts and for evaluation. Nothing is stored."""

from __future__ import annotations

import calendar
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from warden.incidents.extraction import extract
from warden.incidents.services.sources import gazetteer


class Command(BaseCommand):
    help = "Extract proposed incidents from a text or feed file and print them as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a UTF-8 text file, or an RSS/Atom file")
        parser.add_argument("--published", help="publication time (ISO 8601) of a text file")
        parser.add_argument("--outlet", default="", help="the outlet that published it")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        published = self._published(options.get("published"))
        items = self._feed_items(raw) or [("", raw.decode("utf-8", errors="replace"), published)]
        places = gazetteer()
        proposals = [
            {
                "title": title,
                **extract(
                    text, gazetteer=places, published=at, outlet=options["outlet"], title=title
                ),
            }
            for title, text, at in items
        ]
        output = {"file": str(path), "proposals": proposals}
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))

    def _published(self, value: str | None) -> datetime:
        if not value:
            return timezone.now()
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError as error:
            raise CommandError(f"--published is not an ISO 8601 time: {value}") from error
        return parsed if parsed.tzinfo else timezone.make_aware(parsed)

    def _feed_items(self, raw: bytes) -> list[tuple[str, str, datetime | None]]:
        if not raw.lstrip().startswith(b"<"):
            return []
        parsed = feedparser.parse(raw)
        if not parsed.entries:
            if parsed.get("version") and not parsed.bozo:
                return []
            reason = parsed.get("bozo_exception") or "it is not an RSS or Atom feed"
            raise CommandError(f"Not a readable feed: {reason}")
        items = []
        for entry in parsed.entries:
            stamp = entry.get("published_parsed")
            at = datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC) if stamp else None
            title = str(entry.get("title") or "")
            items.append((title, f"{title}\n\n{entry.get('summary') or ''}".strip(), at))
        return items
