"""Webhooks with Standard Webhooks signatures (``webhook-id`` is the delivery id, so a
receiver can de-duplicate); the receiver's 2xx answer is the delivery receipt."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime

from django.conf import settings
from standardwebhooks.webhooks import Webhook

from warden.alerting.transports.base import Outcome, Outgoing, Transport
from warden.alerting.transports.http import HttpClient


def signing_secret() -> str:
    """``WEBHOOK_SECRET`` (whsec_...), or one derived from SECRET_KEY."""
    if settings.WARDEN_WEBHOOK_SECRET:
        return str(settings.WARDEN_WEBHOOK_SECRET)
    derived = hmac.new(settings.SECRET_KEY.encode(), b"warden.webhooks", hashlib.sha256).digest()
    return "whsec_" + base64.b64encode(derived).decode()


class WebhookTransport(Transport):
    channel = "webhook"

    def __init__(self, url: str, **kwargs: object) -> None:
        super().__init__(url, **kwargs)  # type: ignore[arg-type]
        self.signer = Webhook(signing_secret())
        self.http = HttpClient(timeout=self.timeout, concurrency=self.concurrency)

    async def send(self, out: Outgoing) -> Outcome:
        body = json.dumps(out.data, ensure_ascii=False, separators=(",", ":"))
        webhook_id = f"delivery_{out.delivery_id}"
        now = datetime.now(tz=UTC)
        headers = {
            "Content-Type": "application/json",
            "webhook-id": webhook_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": self.signer.sign(webhook_id, now, body),
            "X-Warden-Delivery": str(out.delivery_id),
        }
        failure, response, _data = await self.http.post(
            out.address, body=body.encode(), headers=headers
        )
        if failure is not None:
            return failure
        return Outcome.sent(webhook_id, response=response)

    async def close(self) -> None:
        await self.http.close()
