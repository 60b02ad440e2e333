"""Web Push: the payload is encrypted and signed with pywebpush (VAPID), then posted with
aiohttp on the worker's loop. ``warden vapid`` generates the keys."""

from __future__ import annotations

import json
import time
from urllib.parse import urlsplit

from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPusher

from warden.alerting.transports.base import Outcome, Outgoing, Transport
from warden.alerting.transports.http import HttpClient

TTL_SECONDS = 24 * 3600


class PushTransport(Transport):
    channel = "push"

    def __init__(self, url: str, **kwargs: object) -> None:
        super().__init__(url, **kwargs)  # type: ignore[arg-type]
        self.vapid = Vapid.from_string(settings.WARDEN_WEBPUSH_PRIVATE_KEY)
        self.http = HttpClient(timeout=self.timeout, concurrency=self.concurrency)
        self.claims: dict[str, tuple[float, dict[str, str]]] = {}

    def _vapid_headers(self, endpoint: str) -> dict[str, str]:
        parts = urlsplit(endpoint)
        audience = f"{parts.scheme}://{parts.netloc}"
        cached = self.claims.get(audience)
        if cached and cached[0] > time.time() + 600:
            return cached[1]
        expires = int(time.time()) + 12 * 3600
        headers = self.vapid.sign(
            {"aud": audience, "exp": expires, "sub": settings.WARDEN_WEBPUSH_SUBJECT}
        )
        self.claims[audience] = (expires, headers)
        return headers

    async def send(self, out: Outgoing) -> Outcome:
        try:
            subscription = json.loads(out.address)
            payload = json.dumps(
                {
                    "title": out.subject,
                    "body": out.text,
                    "url": out.url,
                    "delivery": out.delivery_id,
                }
            ).encode()
            encoded = WebPusher(subscription).encode(payload, content_encoding="aes128gcm")
        except (ValueError, KeyError, TypeError) as exc:
            return Outcome.reject(f"unusable push subscription: {type(exc).__name__}")
        headers = {
            "TTL": str(TTL_SECONDS),
            "Content-Encoding": "aes128gcm",
            "Urgency": "high",
            "Topic": f"m{out.message_id}",
            **self._vapid_headers(subscription["endpoint"]),
        }
        failure, response, _data = await self.http.post(
            subscription["endpoint"], body=encoded["body"], headers=headers
        )
        if failure is not None:
            if "HTTP 404" in failure.error or "HTTP 410" in failure.error:
                return Outcome.reject("the subscription has expired", response=failure.response)
            return failure
        return Outcome.sent(str(out.delivery_id), response=response)

    async def close(self) -> None:
        await self.http.close()
