"""The sandbox: "sends" by keeping the message in the database, for the demo's inbox page,
exercises, and development without providers. Rows are written after each batch, outside
the event loop (``after_batch``), in the worker's own connection."""

from __future__ import annotations

import itertools
from collections import deque

from warden.alerting.models import SandboxMessage
from warden.alerting.transports.base import Outcome, Outgoing, Transport

_serial = itertools.count(1)


class SandboxTransport(Transport):
    def __init__(self, url: str, **kwargs: object) -> None:
        super().__init__(url, **kwargs)  # type: ignore[arg-type]
        # Filled on the sender's loop, emptied by ``after_batch`` on the worker's thread (a
        # deque's append and popleft are safe between threads).
        self.kept: deque[Outgoing] = deque()

    async def send(self, out: Outgoing) -> Outcome:
        self.kept.append(out)
        return Outcome.sent(f"sandbox-{out.delivery_id}-{next(_serial)}")

    def after_batch(self) -> None:
        kept = [self.kept.popleft() for _ in range(len(self.kept))]
        SandboxMessage.objects.bulk_create(
            [
                SandboxMessage(
                    delivery_id=out.delivery_id or None,
                    channel=out.channel,
                    recipient=out.address,
                    subject=out.subject[:300],
                    body=out.text,
                    html=out.html,
                )
                for out in kept
            ],
            batch_size=500,
        )
