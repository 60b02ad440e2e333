"""``warden serve``: the web process (gunicorn WSGI workers)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from warden.ops.conf import web_bind, web_workers
from warden.ops.web import WardenWeb, gunicorn_options


class Command(BaseCommand):
    help = _("Serve the site, console and API with gunicorn. SIGTERM stops it gracefully.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=None,
            help=_("Address and port to listen on (default: WEB_BIND or 127.0.0.1:8000)."),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=_("Worker processes (default: WEB_WORKERS or 2 × cores + 1, at most 8)."),
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_false",
            dest="collectstatic",
            help=_("Do not collect static files into STATIC_ROOT before starting."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        bind = options["bind"] or web_bind()
        workers = options["workers"] or web_workers()
        # Workers are forked: no database connection may be shared with them.
        connections.close_all()
        WardenWeb(gunicorn_options(bind=bind, workers=workers)).run()
