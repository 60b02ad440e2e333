from __future__ import annotations

from django.http import HttpRequest

from warden.accounts.roles import ACTIONS, can


class _Can:
    """Template helper: ``{% if can.advisory_publish %}``."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def __getattr__(self, name: str) -> bool:
        action = name.replace("_", ".", 1)
        if action not in ACTIONS:
            raise AttributeError(name)
        return can(getattr(self.request, "user", None), action)


def roles(request: HttpRequest) -> dict[str, object]:
    return {"can": _Can(request)}
