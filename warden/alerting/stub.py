"""A local SMS gateway that behaves like a commercial one, for tests and the demo.

It speaks the generic gateway protocol of ``warden.alerting.transports.sms``: it accepts
``POST /send`` with a bearer token, answers ``{"id": ...}``, and a moment later posts a
delivery receipt to the request's ``callback``. Its ``script`` makes it misbehave the way
real providers do: ``"500"`` (server error), ``"429"`` (throttled, Retry-After), ``"slow"``
(answers after ``slow_seconds``), ``"drop"`` (reads the request, then closes the connection
without answering), ``"reject"`` (400, bad number). Each request takes the next script
entry; when the script runs out, ``mode`` applies.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web


@dataclass
class StubState:
    token: str = "stub-token"  # noqa: S105 (a local stub)
    mode: str = "ok"
    script: list[str] = field(default_factory=list)
    slow_seconds: float = 3.0
    receipts: bool = True
    receipt_token: str = ""
    accepted: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    # Given each text taken, as the request had it (the demo keeps and prints them).
    kept: Callable[[dict[str, Any]], None] | None = None

    def next_mode(self) -> str:
        with self.lock:
            self.requests += 1
            return self.script.pop(0) if self.script else self.mode


def make_app(state: StubState) -> web.Application:
    pending: set[asyncio.Task[None]] = set()

    async def receipt(callback: str, reference: str, provider_id: str) -> None:
        await asyncio.sleep(0.05)
        headers = {"Authorization": f"Bearer {state.receipt_token}"}
        body = {"reference": reference, "id": provider_id, "status": "delivered"}
        with contextlib.suppress(Exception):
            async with ClientSession(timeout=ClientTimeout(total=5)) as session:
                await session.post(callback, json=body, headers=headers)

    async def send(request: web.Request) -> web.StreamResponse:
        if request.headers.get("Authorization") != f"Bearer {state.token}":
            return web.json_response({"error": "unauthorised"}, status=401)
        try:
            data = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return web.json_response({"error": "invalid JSON"}, status=400)
        if not isinstance(data, dict) or not data.get("to") or not data.get("text"):
            return web.json_response({"error": "to and text are required"}, status=400)
        mode = state.next_mode()
        if mode == "500":
            return web.json_response({"error": "internal error"}, status=500)
        if mode == "429":
            return web.json_response(
                {"error": "slow down"}, status=429, headers={"Retry-After": "1"}
            )
        if mode == "reject":
            return web.json_response({"error": "invalid destination number"}, status=400)
        if mode == "drop":
            transport = request.transport
            if transport is not None:
                transport.close()
            raise asyncio.CancelledError
        if mode == "slow":
            await asyncio.sleep(state.slow_seconds)
        provider_id = f"stub-{next(state.ids)}"
        with state.lock:
            state.accepted.append({**data, "id": provider_id})
        if state.kept is not None:
            state.kept({**data, "id": provider_id})
        callback = data.get("callback")
        if state.receipts and callback:
            task = asyncio.ensure_future(
                receipt(callback, str(data.get("reference", "")), provider_id)
            )
            pending.add(task)
            task.add_done_callback(pending.discard)
        return web.json_response({"id": provider_id, "status": "accepted"}, status=202)

    app = web.Application()
    app.router.add_post("/send", send)
    return app


class StubServer:
    """The stub on 127.0.0.1:``port`` (0: any free port) in a background thread."""

    def __init__(self, state: StubState | None = None, *, port: int = 0) -> None:
        self.state = state or StubState()
        self.port = port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """The provider URL to put in SMS_URLS."""
        return f"http://{self.state.token}@127.0.0.1:{self.port}/send"

    def start(self) -> StubServer:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(timeout=10)
        return self

    async def _start(self) -> None:
        self.runner = web.AppRunner(make_app(self.state), access_log=None)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", self.port)
        await site.start()
        server = site._server
        if self.port == 0 and server is not None:
            self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def _cleanup(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
        current = asyncio.current_task()
        for task in asyncio.all_tasks():
            if task is not current:
                task.cancel()

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._cleanup(), self.loop).result(timeout=10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@contextlib.contextmanager
def sms_stub(state: StubState | None = None, *, port: int = 0) -> Iterator[StubServer]:
    server = StubServer(state, port=port).start()
    try:
        yield server
    finally:
        server.stop()
