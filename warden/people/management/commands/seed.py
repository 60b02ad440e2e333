"""``warden seed --people N [--seed S]``: add a synthetic population (never real people)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from warden.geo.models import Country
from warden.people.seeding import BATCH, seed_people


class Command(BaseCommand):
    help = "Add synthetic people with trips and contact points (for demos and benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--people", type=int, required=True, help="how many people")
        parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
        parser.add_argument("--batch", type=int, default=BATCH, help="people per transaction")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["people"]
        if count < 1:
            raise CommandError(_("--people must be at least 1."))
        if not Country.objects.exists():
            raise CommandError(_("No countries are loaded: run `warden migrate` first."))
        bar = tqdm(total=count, unit=" people", file=sys.stderr, disable=options["no_progress"])
        with bar:
            report = seed_people(
                count=count,
                seed=options["seed"],
                batch_size=options["batch"],
                progress=bar.update,
            )
        self.stdout.write(
            _(
                "Created %(people)d people, %(trips)d trips and %(contacts)d contact points "
                "in %(seconds).1f s."
            )
            % {
                "people": report.people,
                "trips": report.trips,
                "contacts": report.contact_points,
                "seconds": report.seconds,
            }
        )
