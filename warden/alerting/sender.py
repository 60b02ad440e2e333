"""Sending batches: claim, render, hand off concurrently on an event loop, record.

One ``Sender`` per worker process keeps an asyncio loop for its whole life, so the
transports' connections (SMTP sessions, HTTP keep-alive) are reused from batch to batch.
The loop runs in a thread of its own and does nothing but the hand-off; every database
query stays on the calling thread, in its connection (and its transaction, in the tests).
So a worker claims and renders its next batch, and records the one before, while a batch
is being handed off (``send_batches``): the connections do not stand idle while the
database answers.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import logging
import os
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone

from warden.alerting import limits, queue
from warden.alerting.models import Message, ProviderHealth
from warden.alerting.render import Recipient, Renderer
from warden.alerting.transports import registry
from warden.alerting.transports.base import Outcome, Outgoing, Transport

log = logging.getLogger(__name__)
RENDERERS_KEPT = 64
# A batch must be handed off within this share of the lease; the rest of the lease is
# left for recording the results while the deliveries are still this worker's.
LEASE_SPENT = 0.8
# Seconds to wait for transports to close their connections when the worker stops.
CLOSE_SECONDS = 10

HandOff = tuple[list[queue.Result], list[queue.Claimed]]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


@dataclass
class Batch:
    """Claimed deliveries of one channel, being handed off on the sender's loop."""

    channel: str
    transport: Transport
    # The provider's health row was clean when the batch was claimed (see ``provider``),
    # and how many times this sender had written that row by then (``Sender.reports``).
    clean: bool
    reports: int
    claimed: list[queue.Claimed]
    handed: concurrent.futures.Future[HandOff]


class Sender:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(
            target=self.loop.run_forever, name="warden-sender", daemon=True
        )
        self.thread.start()
        self.name = worker_name()
        self.renderers: dict[int, Renderer] = {}
        self.clock = time.monotonic  # for ``send_batches``' time limit
        # Health rows this sender wrote, by provider: a batch claimed while another was in
        # flight saw the row before that one's results were written.
        self.reports: collections.Counter[str] = collections.Counter()

    def provider(self, channel: str) -> tuple[Transport | None, bool]:
        """The channel's first provider whose circuit is closed, and whether its health row
        is clean (no failures counted, circuit closed): then a batch without failures need
        not write it again."""
        available = self.providers(channel)
        return available[0] if available else (None, False)

    def providers(self, channel: str) -> list[tuple[Transport, bool]]:
        """The channel's providers whose circuit is closed, in failover order, each with
        whether its health row is clean (``provider``). One query for all of them."""
        transports = registry.providers(channel)
        if not transports:
            return []
        now = timezone.now()
        health = {
            name: (failures, open_until)
            for name, failures, open_until in ProviderHealth.objects.filter(
                name__in=[t.name for t in transports]
            ).values_list("name", "failures", "open_until")
        }
        available = []
        for transport in transports:
            failures, open_until = health.get(transport.name, (0, None))
            if open_until is None or open_until <= now:
                clean = transport.name in health and not failures and not open_until
                available.append((transport, clean))
        return available

    def renderer(self, message_id: int) -> Renderer:
        found = self.renderers.get(message_id)
        if found is None:
            if len(self.renderers) >= RENDERERS_KEPT:
                self.renderers.clear()
            message = Message.objects.select_related("country").get(pk=message_id)
            found = self.renderers[message_id] = Renderer(message)
        return found

    def send_channel(self, channel: str, *, batch: int | None = None) -> int:
        """Send one batch of ``channel``; returns how many deliveries were claimed."""
        started = self.start(channel, batch=batch)
        if started is None:
            return 0
        self.finish(started)
        return len(started.claimed)

    def send_batches(self, channel: str, count: int, *, seconds: float | None = None) -> int:
        """Send up to ``count`` batches of ``channel``, each claimed and rendered while the
        one before it is being handed off, and that one recorded while this one is;
        returns how many deliveries were claimed. No batch is started once ``seconds``
        have passed, so that a slow provider does not hold the worker (and a SIGTERM) for
        ``count`` batch deadlines. Every batch started is recorded before this returns,
        even when claiming the next one fails: none is left in flight between worker
        steps (a stopping worker records what it sent)."""
        until = None if seconds is None else self.clock() + seconds
        total = 0
        in_flight: Batch | None = None
        try:
            for _ in range(count):
                if until is not None and total and self.clock() >= until:
                    break
                started = self.start(channel)
                done, in_flight = in_flight, started
                if done is not None:
                    self.finish(done)
                if started is None:
                    break
                total += len(started.claimed)
        finally:
            if in_flight is not None:
                self.finish(in_flight)
        return total

    def start(self, channel: str, *, batch: int | None = None) -> Batch | None:
        """Claim a batch of ``channel``, render it and start handing it off on the loop."""
        transport, clean = self.provider(channel)
        if transport is None:
            return None
        want = limits.take_tokens(transport, batch or settings.WARDEN_ALERT_BATCH)
        claimed = queue.claim(channel, want, self.name)  # with each message's state
        limits.give_back(transport, want - len(claimed))
        if not claimed:
            return None
        deadline = self.loop.time() + settings.WARDEN_ALERT_LEASE_SECONDS * LEASE_SPENT
        queue.cancel_claimed([c.delivery_id for c in claimed if c.cancelled], self.name)
        work = [(item, self.render(item)) for item in claimed if not item.cancelled]
        handed = asyncio.run_coroutine_threadsafe(
            self.hand_off(transport, work, deadline), self.loop
        )
        return Batch(channel, transport, clean, self.reports[transport.name], claimed, handed)

    def finish(self, batch: Batch) -> None:
        """Wait for ``batch``'s hand-off and record its results."""
        results, unstarted = batch.handed.result()
        transport, channel = batch.transport, batch.channel
        transport.after_batch()
        queue.release([item.delivery_id for item in unstarted], self.name)
        counts = queue.record_results(
            results, channel=channel, provider=transport.name, worker=self.name
        )
        failures = [r.outcome.error for r in results if not r.outcome.ok]
        provider_failures = [r for r in results if not r.outcome.ok and not r.outcome.permanent]
        clean = batch.clean and self.reports[transport.name] == batch.reports
        if not (clean and counts["sent"] and not provider_failures):
            # A clean row and a batch without failures would be written unchanged.
            self.reports[transport.name] += 1
            limits.report(
                transport.name,
                successes=counts["sent"],
                failures=len(provider_failures),
                last_error=failures[-1] if failures else "",
            )
        log.info("sent %s batch via %s: %s", channel, transport.name, counts)

    def render(self, item: queue.Claimed) -> Outgoing | Outcome:
        try:
            recipient = Recipient(
                item.delivery_id, item.channel, item.language, item.address, item.name
            )
            return self.renderer(item.message_id).outgoing(recipient)
        except Exception as exc:  # a template error must fail this delivery, not the batch
            log.exception("rendering delivery %s failed", item.delivery_id)
            return Outcome.reject(f"rendering failed: {type(exc).__name__}")

    async def hand_off(
        self,
        transport: Transport,
        work: Sequence[tuple[queue.Claimed, Outgoing | Outcome]],
        deadline: float,
    ) -> tuple[list[queue.Result], list[queue.Claimed]]:
        """Send ``work`` over ``transport.concurrency`` lanes, each taking the next item when
        its send is done (rather than a task per item waiting on a semaphore: cheaper).

        Each transport bounds its own sends (``transport.timeout``); the batch as a whole
        must end by ``deadline`` (event loop time), while the lease is still held, or
        another worker could send the same deliveries again. After its first send, a lane
        starts another only if that send's timeout ends before the deadline, so that a slow
        provider's sends finish rather than being cut off (a send cut off may have arrived,
        and its retry would then be a duplicate). What still runs at the deadline ends as
        timed out. Returns (results, items not attempted, to be queued again)."""
        results: list[queue.Result | None] = [None] * len(work)
        begun: list[tuple[datetime, float] | None] = [None] * len(work)
        items = iter(enumerate(work))
        last_start = deadline - transport.timeout

        async def lane() -> None:
            first = True
            for index, (item, out) in items:
                if not first and self.loop.time() > last_start:
                    return  # this item and the rest stay unstarted
                first = False
                # datetime.now(UTC) is timezone.now() without a settings lookup per send.
                begun[index] = start = (datetime.now(UTC), time.perf_counter())
                results[index] = await self.attempt(transport, item, out, start)

        lanes = max(1, min(transport.concurrency, len(work)))
        try:
            async with asyncio.timeout_at(deadline):
                await asyncio.gather(*(lane() for _ in range(lanes)))
        except TimeoutError:
            log.warning("batch via %s reached its deadline; ending it", transport.name)
            for index, (item, _out) in enumerate(work):
                start = begun[index]
                if results[index] is None and start is not None:
                    results[index] = self.result(item, start, Outcome.retry("timeout"))
        unstarted = [item for (item, _out), start in zip(work, begun, strict=True) if not start]
        return [result for result in results if result is not None], unstarted

    async def attempt(
        self,
        transport: Transport,
        item: queue.Claimed,
        out: Outgoing | Outcome,
        start: tuple[datetime, float],
    ) -> queue.Result:
        if isinstance(out, Outcome):
            return self.result(item, start, out)
        try:
            outcome = await transport.send(out)
        except Exception as exc:  # a transport bug must not lose the batch
            log.exception("transport %s failed", transport.name)
            outcome = Outcome.retry(f"{type(exc).__name__}: {exc}"[:300])
        return self.result(item, start, outcome)

    @staticmethod
    def result(
        item: queue.Claimed, start: tuple[datetime, float], outcome: Outcome
    ) -> queue.Result:
        """The attempt begun at ``start`` (wall clock, performance counter)."""
        duration = int((time.perf_counter() - start[1]) * 1000)
        return queue.Result(item.delivery_id, item.attempts, start[0], duration, outcome)

    def close(self) -> None:
        for transport in registry.all_built():
            try:
                closing = asyncio.run_coroutine_threadsafe(transport.close(), self.loop)
                closing.result(timeout=CLOSE_SECONDS)
            except Exception:
                log.exception("closing %s failed", transport.name)
        registry.reset()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()
