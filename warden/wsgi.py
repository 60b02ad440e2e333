"""WSGI entry point (``warden serve`` runs it under gunicorn)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from werkzeug.middleware.proxy_fix import ProxyFix


def proxied(app: Any) -> Any:
    """``app`` seeing each client's own address as ``REMOTE_ADDR`` behind a reverse proxy
    (``BEHIND_PROXY``). The peer is then the proxy, for every request: the audit would
    name it as the source of every action, and the limits per address (sign-in links,
    phone codes, staff sign-in attempts) would count everyone together, so that a few
    requests an hour would shut everyone out. The client's address is the one the last
    of ``PROXY_HOPS`` proxies appended to ``X-Forwarded-For``; what a client put in that
    header before them is not believed. Without a proxy the header is ignored."""
    if not settings.WARDEN_BEHIND_PROXY:
        return app
    return ProxyFix(app, x_for=settings.WARDEN_PROXY_HOPS, x_proto=0, x_host=0)


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "warden.settings")
application = proxied(get_wsgi_application())
