from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from warden.site import snapshots


class Command(BaseCommand):
    help = "Render the public snapshots (pages, feeds, CAP, API) into WARDEN_SNAPSHOT_DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("countries", nargs="*", help="ISO 3166-1 codes (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        if snapshots.snapshot_dir() is None:
            raise CommandError("Set SNAPSHOT_DIR to the directory the web server serves.")
        codes = [code.upper() for code in options["countries"]] or None
        result = snapshots.refresh(codes)
        assert result is not None
        self.stdout.write(f"snapshots: {result.written} written, {result.skipped} skipped")
