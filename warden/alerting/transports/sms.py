"""SMS: a generic HTTP gateway, or any SMS service Apprise supports.

The generic gateway (``https://user:token@gateway.example/send``) receives
``POST {"to": "+90...", "text": "...", "reference": "<delivery id>", "callback": "..."}``
with ``Authorization: Bearer <token>`` and answers ``{"id": "<provider id>"}``; it reports
delivery to ``/hooks/sms/receipts`` and forwards replies to ``/hooks/sms/inbound``
(``warden.alerting.receipts``). ``warden.alerting.stub`` is a local server that behaves so.
"""

from __future__ import annotations

import asyncio
import json
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings

from warden.alerting.transports.base import Outcome, Outgoing, Transport
from warden.alerting.transports.http import HttpClient


class GatewayTransport(Transport):
    channel = "sms"

    def __init__(self, url: str, **kwargs: object) -> None:
        super().__init__(url, **kwargs)  # type: ignore[arg-type]
        parts = urlsplit(url)
        self.token = unquote(parts.password or parts.username or "")
        netloc = parts.hostname or ""
        if parts.port:
            netloc += f":{parts.port}"
        self.endpoint = urlunsplit((parts.scheme, netloc, parts.path or "/", "", ""))
        self.http = HttpClient(timeout=self.timeout, concurrency=self.concurrency)

    async def send(self, out: Outgoing) -> Outcome:
        body = json.dumps(
            {
                "to": out.address,
                "text": out.text,
                "reference": str(out.delivery_id),
                "callback": f"{settings.SITE_URL}/hooks/sms/receipts",
            }
        ).encode()
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        failure, response, data = await self.http.post(self.endpoint, body=body, headers=headers)
        if failure is not None:
            return failure
        ref = str(data.get("id", "")) if isinstance(data, dict) else ""
        return Outcome.sent(ref or str(out.delivery_id), response=response)

    async def close(self) -> None:
        await self.http.close()


def _apprise_notify(url: str, title: str, body: str) -> bool:
    import apprise

    notifier = apprise.Apprise()
    if not notifier.add(url):
        raise ValueError("not an Apprise URL Warden can use")
    return bool(notifier.notify(body=body, title=title))


class AppriseTransport(Transport):
    """An Apprise URL. For SMS, the provider URL with the number appended as its target;
    for messaging apps (``apprise:``), each person's own Apprise URL."""

    def __init__(self, url: str, *, per_person: bool = False, **kwargs: object) -> None:
        super().__init__(url, **kwargs)  # type: ignore[arg-type]
        self.per_person = per_person
        self.base = url.split("?", 1)[0]
        if not per_person:
            import apprise

            # The provider's own URL, with a sample number as its target, must parse.
            if apprise.Apprise.instantiate(self.target_for("+15555550123")) is None:
                raise ValueError("not an Apprise URL Warden can use")

    def target_for(self, number: str) -> str:
        return f"{self.base.rstrip('/')}/{number.lstrip('+')}"

    def target(self, out: Outgoing) -> str:
        return out.address if self.per_person else self.target_for(out.address)

    async def send(self, out: Outgoing) -> Outcome:
        try:
            ok = await asyncio.wait_for(
                asyncio.to_thread(_apprise_notify, self.target(out), out.subject, out.text),
                timeout=self.timeout,
            )
        except ValueError as exc:
            return Outcome.reject(str(exc))
        except TimeoutError:
            return Outcome.retry("timeout")
        if not ok:
            return Outcome.retry("the service did not accept the message")
        return Outcome.sent(str(out.delivery_id))
