"""``warden rounds``: each check-in round with its counts (audience, reached, safe, needs
help, left, no answer). ``--open`` lists open rounds only; ``--country TR`` one country's."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from warden.welfare.models import CheckInRound
from warden.welfare.selectors import round_counts
from warden.welfare.services.inbox import answers_waiting


class Command(BaseCommand):
    help = "List check-in rounds with their counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--open", action="store_true", help="Open rounds only.")
        parser.add_argument("--country", help="ISO 3166-1 alpha-2 code of one country.")

    def handle(self, *args: Any, **options: Any) -> None:
        rounds = CheckInRound.objects.order_by("-opened_at", "-id")
        if options["open"]:
            rounds = rounds.filter(state=CheckInRound.State.OPEN)
        if options["country"]:
            rounds = rounds.filter(country_id=options["country"].upper())
        header = (
            _("Round"), _("Country"), _("State"), _("Opened"), _("Audience"), _("Reached"),
            _("Safe"), _("Needs help"), _("Left"),
            # Unreachable, missing or deceased: recorded by officers.
            _("Other"), _("No answer"),
        )  # fmt: skip
        rows = []
        for checkin in rounds:
            counts = round_counts(checkin)
            state = checkin.get_state_display()
            if checkin.is_exercise:
                state = f"{state} ({_('exercise')})"
            rows.append(
                (
                    f"#{checkin.pk}", checkin.country_id, state,
                    checkin.opened_at.strftime("%Y-%m-%d %H:%M"), counts.audience,
                    counts.reached, counts.safe, counts.needs_help, counts.left,
                    counts.other, counts.no_answer,
                )
            )  # fmt: skip
        if not rows:
            self.stdout.write(_("No check-in rounds."))
            return
        widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]
        for row in (header, *rows):
            cells = [str(v).ljust(w) for v, w in zip(row, widths, strict=True)]
            self.stdout.write("  ".join(cells).rstrip())
        waiting = answers_waiting()
        if waiting:
            self.stdout.write(
                ngettext(
                    "%(count)d answer is waiting for the worker to record it.",
                    "%(count)d answers are waiting for the worker to record them.",
                    waiting,
                )
                % {"count": waiting}
            )
