"""The one interface every channel's transport implements.

A transport hands one rendered message to a provider and says what happened. It never
raises for a provider's answer: it returns an ``Outcome`` (ok, retryable failure, or
permanent failure), so that the sender can record every attempt and decide on retries.
"""

from __future__ import annotations

import abc
from typing import NamedTuple
from urllib.parse import parse_qs, urlsplit

# Outgoing and Outcome are named tuples rather than frozen dataclasses: one of each is made
# for every delivery, and a frozen dataclass takes about four times as long to build.


class Outgoing(NamedTuple):
    """One delivery, rendered for its channel."""

    delivery_id: int
    message_id: int
    channel: str
    address: str
    language: str
    subject: str = ""
    text: str = ""
    html: str = ""
    url: str = ""
    # Webhooks: the JSON document to post.
    body: str = ""


class Outcome(NamedTuple):
    ok: bool
    # A permanent failure (bad address, rejected) is not retried.
    permanent: bool = False
    provider_ref: str = ""
    response: str = ""
    error: str = ""
    # Seconds the provider asked us to wait (429 Retry-After).
    retry_after: float | None = None

    @classmethod
    def sent(cls, ref: str = "", response: str = "") -> Outcome:
        return cls(True, provider_ref=ref[:200], response=response[:500])

    @classmethod
    def retry(cls, error: str, *, retry_after: float | None = None, response: str = "") -> Outcome:
        return cls(False, error=error[:500], retry_after=retry_after, response=response[:500])

    @classmethod
    def reject(cls, error: str, *, response: str = "") -> Outcome:
        return cls(False, permanent=True, error=error[:500], response=response[:500])


class Transport(abc.ABC):
    """A provider for one channel, built from its URL (see ``registry``)."""

    channel: str = ""

    def __init__(self, url: str, *, name: str, timeout: float, concurrency: int) -> None:
        self.url = url
        self.name = name
        self.timeout = timeout
        self.concurrency = concurrency
        query = {k: v[-1] for k, v in parse_qs(urlsplit(url).query).items()}
        self.options = query
        rate = query.get("rate")
        self.rate: float | None = float(rate) if rate else None

    @abc.abstractmethod
    async def send(self, out: Outgoing) -> Outcome:
        """Hand ``out`` to the provider (on the worker's event loop)."""

    def after_batch(self) -> None:  # noqa: B027 (optional hook)
        """Called outside the event loop after each batch (the sandbox writes rows here)."""

    async def close(self) -> None:  # noqa: B027 (optional hook)
        """Release connections."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


def http_outcome(status: int, body: str, *, retry_after: str | None = None) -> Outcome | None:
    """The outcome of a provider's HTTP answer when it is not a success (None if 2xx)."""
    if 200 <= status < 300:
        return None
    text = f"HTTP {status}: {body[:300]}"
    if status == 429:
        wait = None
        if retry_after and retry_after.strip().isdigit():
            wait = float(retry_after.strip())
        return Outcome.retry(text, retry_after=wait, response=text)
    if status >= 500 or status in (408, 409, 425):
        return Outcome.retry(text, response=text)
    return Outcome.reject(text, response=text)
