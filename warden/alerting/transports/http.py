"""Outgoing HTTP for transports: one aiohttp session per provider, on the worker's loop."""

from __future__ import annotations

import json
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
                status = response.status
                content = await response.read()
                # Most receivers answer a webhook with an empty 2xx: nothing to decode.
                text = content.decode(response.get_encoding(), "replace") if content else ""
                failure = None
                if not 200 <= status < 300:
                    retry_after = response.headers.get("Retry-After")
                    failure = http_outcome(status, text, retry_after=retry_after)
                data = None
                if failure is None and text and "json" in response.content_type:
                    try:
                        data = json.loads(text)
                    except ValueError:
                        data = None
                return failure, f"HTTP {status}: {text[:200]}", data
        except TimeoutError:
            return Outcome.retry("timeout"), "", None
        except aiohttp.ClientError as exc:
            return Outcome.retry(f"{type(exc).__name__}: {exc}"), "", None

    async def close(self) -> None:
        if self.session is not None and not self.session.closed:
            await self.session.close()
