"""``warden audit verify``: check the audit log's hash chain from the first row to the head."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from warden.audit.models import AuditEvent
from warden.audit.services import ChainProblem, chain_verify


def describe(problem: ChainProblem) -> str:
    if problem.event_id is None:
        return _("chain head: %(reason)s") % {"reason": problem.reason}
    return _("event %(id)s: %(reason)s") % {"id": problem.event_id, "reason": problem.reason}


class Command(BaseCommand):
    help = _("Work with the audit log. verify: check that no row was changed or removed.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"], help=_("What to do: verify."))

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        self.verify()

    def verify(self) -> None:
        problems = list(chain_verify())
        for problem in problems:
            self.stderr.write(describe(problem))
        if problems:
            raise CommandError(
                ngettext(
                    "audit chain broken: %(count)d problem",
                    "audit chain broken: %(count)d problems",
                    len(problems),
                )
                % {"count": len(problems)}
            )
        count = AuditEvent.objects.count()
        message = ngettext(
            "audit chain OK: %(count)d event", "audit chain OK: %(count)d events", count
        )
        self.stdout.write(message % {"count": count})
