"""Outgoing HTTP for transports: one aiohttp session per provider, on the worker's loop."""

from __future__ import annotations

from typing import Any

import aiohttp

from warden.alerting.transports.base import Outcome, http_outcome


class HttpClient:
    def __init__(self, *, timeout: float, concurrency: int) -> None:
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.concurrency = concurrency
        self.session: aiohttp.ClientSession | None = None

    def _session(self) -> aiohttp.ClientSession:
        if self.session is None or self.session.closed:
            connector = aiohttp.TCPConnector(limit=self.concurrency, ttl_dns_cache=300)
            # No cookie jar: a receiver's cookies are not kept, nor sent to anyone.
            self.session = aiohttp.ClientSession(
                timeout=self.timeout, connector=connector, cookie_jar=aiohttp.DummyCookieJar()
            )
        return self.session

    async def post(
        self, url: str, *, body: bytes, headers: dict[str, str]
    ) -> tuple[Outcome | None, str, Any]:
        """POST; returns (failure outcome or None, response text, parsed JSON or None)."""
        try:
            async with self._session().post(url, data=body, headers=headers) as response:
                text = await response.text()
                failure = http_outcome(
                    response.status, text, retry_after=response.headers.get("Retry-After")
                )
                data = None
                if failure is None and "json" in response.headers.get("Content-Type", ""):
                    try:
                        data = await response.json(content_type=None)
                    except ValueError:
                        data = None
                return failure, f"HTTP {response.status}: {text[:200]}", data
        except TimeoutError:
            return Outcome.retry("timeout"), "", None
        except aiohttp.ClientError as exc:
            return Outcome.retry(f"{type(exc).__name__}: {exc}"), "", None

    async def close(self) -> None:
        if self.session is not None and not self.session.closed:
            await self.session.close()
