"""``warden demo``: a fresh database with the October 2023 scenario, served on this machine.

Demo data, not real advice. See warden/demo/environment.py for how the database is chosen.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from warden.accounts.roles import ROLE_LABELS
from warden.alerting.stub import StubState, sms_stub
from warden.audit.context import origin
from warden.demo import environment
from warden.demo.mailsink import mail_sink
from warden.demo.processes import (
    first_exited,
    port_is_free,
    stop_children,
    stop_event_on_signals,
    warden_child,
)
from warden.demo.scenario import DemoError, DemoResult, load
from warden.demo.textlog import TextLog

DEMO_WEB_WORKERS = 2


class Command(BaseCommand):
    help = _(
        "Load the October 2023 scenario into a fresh database and run web, worker and a "
        "local mail sink. Demo data, not real advice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve",
            action="store_false",
            dest="serve",
            help=_("Load the scenario, print the logins and exit."),
        )
        parser.add_argument(
            "--port", type=int, default=8000, help=_("Port of the web server (default 8000).")
        )
        parser.add_argument(
            "--smtp-port",
            type=int,
            default=environment.default_smtp_port(),
            help=_("Port of the local mail sink (default DEMO_SMTP_PORT, 8025)."),
        )
        parser.add_argument(
            "--sms-port",
            type=int,
            default=8026,
            help=_("Port of the local SMS gateway stub (default 8026)."),
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_("Replace the SQLite database even if it holds data the demo did not make."),
        )

    def handle(
        self,
        *args: Any,
        serve: bool,
        port: int,
        smtp_port: int,
        sms_port: int,
        replace: bool,
        **options: Any,
    ) -> None:
        if serve:
            self.check_ports(port, smtp_port, sms_port)
        env = environment.demo_environment(port=port)
        if environment.needs_reset():
            if environment.holds_other_data() and not replace:
                raise CommandError(
                    _(
                        "%(path)s holds staff or editions that the demo did not make. Move it "
                        "away, set SQLITE_PATH to another file, or run warden demo --replace."
                    )
                    % {"path": environment.demo_database()}
                )
            environment.reset_demo_files()
            again = ["demo", "--port", str(port), "--smtp-port", str(smtp_port)]
            again += ["--sms-port", str(sms_port)]
            environment.run_again(again if serve else [*again, "--no-serve"], env)
        result = self.prepare()
        self.print_logins(result, url=env["SITE_URL"])
        if serve:
            self.serve(env, port=port, smtp_port=smtp_port, sms_port=sms_port)
        else:
            self.print_how_to_serve()

    def check_ports(self, *ports: int) -> None:
        for port in ports:
            if not port_is_free(port):
                raise CommandError(
                    _(
                        "Port %(port)s is in use: stop what uses it, or choose another with "
                        "--port / --smtp-port."
                    )
                    % {"port": port}
                )

    def prepare(self) -> DemoResult:
        self.stdout.write(_("Preparing the demo database…"))
        call_command("migrate", interactive=False, verbosity=0)
        try:
            with origin(channel="cli"):
                result = load(stdout=self.stdout)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Loaded %(count)d editions in %(seconds).1f s.")
            % {"count": result.editions, "seconds": result.seconds}
        )
        return result

    def print_logins(self, result: DemoResult, *, url: str) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.WARNING(_("Demo data, not real advice.")))
        self.stdout.write(_("Sign in at %(url)s/accounts/login/ as:") % {"url": url})
        header = (_("user"), _("role"), _("password"), _("backup codes (each works once)"))
        self.stdout.write(self.row(*header))
        for login in result.logins:
            self.stdout.write(
                self.row(
                    login.username,
                    str(ROLE_LABELS[login.role]),
                    login.password,
                    " ".join(login.backup_codes),
                )
            )
        self.stdout.write("")

    @staticmethod
    def row(user: str, role: str, password: str, codes: str) -> str:
        return f"  {user:<10} {role:<18} {password:<22} {codes}"

    def print_how_to_serve(self) -> None:
        self.stdout.write(
            _(
                "Turkey's level-4 messages are queued. Send them with: warden worker --burst "
                "(without EMAIL_URL they go to the sandbox inbox, /console/sandbox/)."
            )
        )
        self.stdout.write(_("Serve this database with: HTTPS=false warden serve"))

    def announce(self, line: str) -> None:
        self.stdout.write(line)

    def serve(self, env: dict[str, str], *, port: int, smtp_port: int, sms_port: int) -> None:
        connections.close_all()
        mail = environment.mail_directory()
        texts = TextLog(environment.text_log(), self.announce)
        token = secrets.token_urlsafe(24)
        with (
            stop_event_on_signals() as stop,
            mail_sink(mail, port=smtp_port, announce=self.announce),
            sms_stub(StubState(receipt_token=token, kept=texts), port=sms_port) as stub,
        ):
            env = environment.serve_environment(
                env, smtp_port=smtp_port, sms_url=stub.url, receipt_token=token
            )
            children = [
                warden_child(
                    "web",
                    [
                        "serve",
                        "--bind",
                        f"{environment.HOST}:{port}",
                        "--workers",
                        str(DEMO_WEB_WORKERS),
                    ],
                    env,
                ),
                warden_child("worker", ["worker"], env),
            ]
            try:
                self.stdout.write(
                    self.style.SUCCESS(
                        _(
                            "Warden demo: %(url)s/ — mail is kept in %(mail)s and shown at "
                            "%(url)s/console/sandbox/. Ctrl-C stops it."
                        )
                        % {"url": env["SITE_URL"], "mail": mail}
                    )
                )
                self.stdout.flush()
                exited = first_exited(children, stop)
            finally:
                stop_children(children)
        if exited is not None:
            raise CommandError(
                _("The %(name)s process stopped (exit code %(code)s).")
                % {"name": exited.name, "code": exited.process.returncode}
            )
        self.stdout.write(_("Demo stopped."))
