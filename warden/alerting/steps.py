"""The worker steps of alerting (registered in ``warden.ops.worker.STEPS``)."""

from __future__ import annotations

import time

from warden.alerting import codes, expand, queue
from warden.alerting.sender import Sender
from warden.alerting.transports.registry import enabled_channels

_sender: Sender | None = None
WAIT_FOR_DUE_SECONDS = 0.5
# Batches of a channel per step, each claimed while the one before is handed off, and no
# new one after a second (a slow provider's batch can take most of a lease); then the next
# channel, and the other steps, get their turn. 32 batches a step sent no faster.
BATCHES_PER_STEP = 4
STEP_SECONDS = 1.0


def sender() -> Sender:
    global _sender
    if _sender is None:
        _sender = Sender()
    return _sender


def alert_expand() -> bool:
    """Create the deliveries of new messages, a few pages at a time."""
    return expand.expand_step()


def alert_send() -> bool:
    """Send a few batches per channel. With nothing due but retries or leases pending, wait
    a moment and report work, so that ``--burst`` does not exit with work left."""
    claimed = sum(
        sender().send_batches(channel, BATCHES_PER_STEP, seconds=STEP_SECONDS)
        for channel in enabled_channels()
    )
    if claimed:
        return True
    if any(queue.pending()):
        time.sleep(WAIT_FOR_DUE_SECONDS)
        return True
    return False


def alert_codes() -> bool:
    """Send the codes people asked for to verify a phone number (they are waiting)."""
    return codes.codes_send(sender)


def alert_sweep() -> bool:
    """Queue again the deliveries whose worker's lease expired."""
    return queue.sweep_leases() > 0


def close() -> None:
    global _sender
    if _sender is not None:
        _sender.close()
        _sender = None
