"""Where the current action comes from (request IP and id, or a command), for audit rows."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class Origin:
    source_ip: str | None = None
    request_id: str = ""
    channel: str = "system"  # web | api | cli | worker | system


_origin: ContextVar[Origin] = ContextVar("warden_origin", default=Origin())  # noqa: B039 (frozen)


def current_origin() -> Origin:
    return _origin.get()


@contextlib.contextmanager
def origin(*, source_ip: str | None = None, channel: str = "system") -> Iterator[Origin]:
    value = Origin(source_ip=source_ip, request_id=uuid.uuid4().hex, channel=channel)
    token = _origin.set(value)
    try:
        yield value
    finally:
        _origin.reset(token)
