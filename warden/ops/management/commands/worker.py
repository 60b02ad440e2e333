"""``warden worker [--burst]``: run the background steps (see warden/ops/worker.py)."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from warden.ops import worker as worker_module
from warden.ops.worker import Worker

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextlib.contextmanager
def stop_on_signals(worker: Worker) -> Iterator[None]:
    """SIGTERM and SIGINT let the current step finish, then stop the worker."""
    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    for sig in STOP_SIGNALS:
        signal.signal(sig, lambda _signum, _frame: worker.stop())
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


class Command(BaseCommand):
    help = _("Run the background worker: review reminders now, alert deliveries later.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--burst",
            action="store_true",
            help=_("Exit as soon as a full pass over the steps finds no work."),
        )

    def handle(self, *args: Any, burst: bool, **options: Any) -> None:
        worker = Worker(worker_module.STEPS, burst=burst)
        with stop_on_signals(worker):
            worker.run()
        if burst and worker.failures:
            raise CommandError(
                ngettext(
                    "%(count)d worker step failed; see the log.",
                    "%(count)d worker steps failed; see the log.",
                    worker.failures,
                )
                % {"count": worker.failures}
            )
