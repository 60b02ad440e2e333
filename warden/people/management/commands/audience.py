"""``warden audience <ISO2 or area code> [--at TIME] [--breakdown]``: who is there."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from warden.people.selectors import area_for_code, audience_breakdown, audience_count


def parse_moment(text: str) -> datetime:
    """An ISO 8601 time (UTC unless it says otherwise) or date (its midnight, UTC)."""
    value = parse_datetime(text)
    if value is None:
        day = parse_date(text)
        if day is None:
            raise CommandError(
                _("--at takes an ISO time like 2023-10-18T12:00 or 2023-10-18T12:00+03:00.")
            )
        value = datetime(day.year, day.month, day.day)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = "Count the people present in a country or area (and how to reach them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="ISO 3166-1 country, ISO 3166-2 area or custom area code")
        parser.add_argument("--at", help="ISO 8601 time (default: now)")
        parser.add_argument("--exercise", action="store_true", help="exercise participants only")
        parser.add_argument(
            "--breakdown", action="store_true", help="also count by channel and by language"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        area = area_for_code(options["code"])
        if area is None:
            raise CommandError(
                _("No country or area has the code %(code)s.") % {"code": options["code"]}
            )
        at = parse_moment(options["at"]) if options["at"] else None
        exercise = options["exercise"]
        if not options["breakdown"]:
            self.stdout.write(str(audience_count(area, at, exercise=exercise)))
            return
        result = audience_breakdown(area, at, exercise=exercise)
        self.stdout.write(_("people: %(count)d") % {"count": result.total})
        for channel, number in sorted(result.by_channel.items()):
            self.stdout.write(_("channel %(name)s: %(count)d") % {"name": channel, "count": number})
        self.stdout.write(_("no verified channel: %(count)d") % {"count": result.unreachable})
        for language, number in sorted(result.by_language.items()):
            self.stdout.write(
                _("language %(name)s: %(count)d") % {"name": language, "count": number}
            )
