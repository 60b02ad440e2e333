"""Gunicorn, embedded: ``warden serve`` runs Django's WSGI application in sync workers."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

# The request line without its query string (%(U)s is the path only): query strings can
# carry tokens. No referrer either, for the same reason.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'


def gunicorn_options(*, bind: str, workers: int) -> dict[str, Any]:
    return {
        "bind": [bind],
        "workers": workers,
        "worker_class": "sync",
        "proc_name": "warden-web",
        "accesslog": "-",
        "errorlog": "-",
        "access_log_format": ACCESS_LOG_FORMAT,
        "timeout": 30,
        "graceful_timeout": 20,
        "keepalive": 5,
    }


class WardenWeb(BaseApplication):
    """Gunicorn configured from a dict rather than its own command line."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        # Newer gunicorn opens a control socket in the home directory by default; two
        # servers on one machine would fight over it, and nothing here uses it.
        if "control_socket_disable" in self.cfg.settings:
            self.cfg.set("control_socket_disable", True)
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from warden.wsgi import application

        return application
