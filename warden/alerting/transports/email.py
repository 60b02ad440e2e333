"""Email: SMTP through aiosmtplib with a pool of reused connections, or any django-anymail
provider (run in a thread: anymail's backends are synchronous).

Every message carries ``X-Warden-Delivery: <delivery id>`` and a Message-ID derived from it,
so that a receiver can de-duplicate a message sent twice after a crash.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import email.policy
import email.utils
import functools
import secrets
from email.header import Header
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from warden.alerting.transports.base import Outcome, Outgoing, Transport

DELIVERY_HEADER = "X-Warden-Delivery"


def _domain() -> str:
    address = email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"


def build_email(out: Outgoing) -> EmailMessage:
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = settings.DEFAULT_FROM_EMAIL
    message["To"] = out.address
    message["Subject"] = out.subject
    message["Date"] = email.utils.formatdate(localtime=False)
    message["Message-ID"] = f"<delivery-{out.delivery_id}@{_domain()}>"
    message[DELIVERY_HEADER] = str(out.delivery_id)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(out.text)
    if out.html:
        message.add_alternative(out.html, subtype="html")
    # After the content: set_content() and add_alternative() move Content-* headers.
    message["Content-Language"] = out.language
    return message


@functools.lru_cache(maxsize=256)
def _header(value: str, name: str) -> str:
    """A header value on one logical line, folded, RFC 2047-encoded when it is not ASCII."""
    value = " ".join(value.splitlines())
    charset = "us-ascii" if value.isascii() else "utf-8"
    return Header(value, charset, header_name=name).encode(linesep="\r\n")


@functools.lru_cache(maxsize=8)
def _sender(from_email: str) -> tuple[str, str]:
    """(From header, envelope sender) of DEFAULT_FROM_EMAIL."""
    name, address = email.utils.parseaddr(from_email)
    return email.utils.formataddr((name, address), charset="utf-8"), address


def _part(content_type: str, text: str) -> bytes:
    """A UTF-8 text part: quoted-printable when ASCII (long lines stay legal), else base64."""
    lines = text.replace("\r\n", "\n")
    if text.isascii():
        encoding, body = "quoted-printable", binascii.b2a_qp(lines.encode(), istext=True)
    else:  # the canonical form of text is encoded: lines end in CRLF
        encoding, body = "base64", base64.encodebytes(lines.replace("\n", "\r\n").encode())
    head = (
        f'Content-Type: {content_type}; charset="utf-8"\nContent-Transfer-Encoding: {encoding}\n\n'
    )
    return (head.encode() + body).replace(b"\n", b"\r\n")


def email_bytes(out: Outgoing) -> bytes:
    """The message ``build_email`` makes, serialised directly: the email package spends about
    4 ms of CPU on each message's headers, which capped a worker near 250 emails a second.
    An unusual address (not ASCII, or with a line break) goes through ``build_email``."""
    if not out.address.isascii() or len(out.address.splitlines()) != 1:
        return build_email(out).as_bytes()
    from_header, address = _sender(settings.DEFAULT_FROM_EMAIL)
    domain = address.rpartition("@")[2] or "localhost"
    headers = [
        f"From: {from_header}",
        f"To: {out.address}",
        f"Subject: {_header(out.subject, 'Subject')}",
        f"Date: {email.utils.formatdate(localtime=False)}",
        f"Message-ID: <delivery-{out.delivery_id}@{domain}>",
        f"{DELIVERY_HEADER}: {out.delivery_id}",
        "Auto-Submitted: auto-generated",
        f"Content-Language: {out.language}",
        "MIME-Version: 1.0",
    ]
    if not out.html:
        head = "\r\n".join(headers).encode() + b"\r\n"
        return head + _part("text/plain", out.text)
    # No part can contain the boundary: quoted-printable always escapes "=", and "_" is
    # not a base64 character.
    boundary = f"=_warden_{secrets.token_hex(12)}"
    headers.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
    dash = f"--{boundary}".encode()
    return b"\r\n".join(
        [
            "\r\n".join(headers).encode() + b"\r\n",
            dash,
            _part("text/plain", out.text),
            dash,
            _part("text/html", out.html),
            dash + b"--",
            b"",
        ]
    )


class SmtpTransport(Transport):
    """``smtp://user:pass@host:port?tls=1`` or ``smtps://`` (implicit TLS)."""

    channel = "email"

    def __init__(self, url: str, **kwargs: object) -> None:
        super().__init__(url, **kwargs)  # type: ignore[arg-type]
        parts = urlsplit(url)
        self.host = parts.hostname or "localhost"
        self.implicit_tls = parts.scheme == "smtps"
        self.port = parts.port or (465 if self.implicit_tls else 25)
        self.user = unquote(parts.username or "")
        self.password = unquote(parts.password or "")
        self.starttls = self.options.get("tls", "").lower() in {"1", "true", "yes", "on"}
        self.pool: asyncio.Queue[aiosmtplib.SMTP] | None = None
        self.opened = 0

    async def _connect(self) -> aiosmtplib.SMTP:
        client = aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            use_tls=self.implicit_tls,
            start_tls=self.starttls and not self.implicit_tls,
            timeout=self.timeout,
        )
        await client.connect()
        if self.user:
            await client.login(self.user, self.password)
        return client

    async def _client(self) -> aiosmtplib.SMTP | None:
        if self.pool is None:
            self.pool = asyncio.Queue()
        with contextlib.suppress(asyncio.QueueEmpty):
            return self.pool.get_nowait()
        if self.opened < self.concurrency:
            self.opened += 1
            return None  # the caller connects a new one
        return await self.pool.get()

    def _give_back(self, client: aiosmtplib.SMTP | None) -> None:
        assert self.pool is not None
        if client is not None and client.is_connected:
            self.pool.put_nowait(client)
        else:
            self.opened -= 1

    async def send(self, out: Outgoing) -> Outcome:
        client = await self._client()
        try:
            if client is None or not client.is_connected:
                client = await self._connect()
            sender = _sender(settings.DEFAULT_FROM_EMAIL)[1]
            errors, response = await client.sendmail(sender, [out.address], email_bytes(out))
        except aiosmtplib.SMTPRecipientsRefused as exc:
            return self._refused(exc.recipients[0] if exc.recipients else None, str(exc))
        except aiosmtplib.SMTPResponseException as exc:
            await self._discard(client)
            client = None
            text = f"{exc.code} {exc.message}"
            if 500 <= exc.code < 600:
                return Outcome.reject(text, response=text)
            return Outcome.retry(text, response=text)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            await self._discard(client)
            client = None
            return Outcome.retry(f"{type(exc).__name__}: {exc}")
        finally:
            self._give_back(client)
        if errors:
            code, text = next(iter(errors.values()))
            if 500 <= code < 600:
                return Outcome.reject(f"{code} {text}")
            return Outcome.retry(f"{code} {text}")
        return Outcome.sent(str(out.delivery_id), response=response)

    @staticmethod
    def _refused(error: aiosmtplib.SMTPRecipientRefused | None, text: str) -> Outcome:
        if error is not None and 400 <= error.code < 500:
            return Outcome.retry(text, response=text)
        return Outcome.reject(text, response=text)

    async def _discard(self, client: aiosmtplib.SMTP | None) -> None:
        if client is not None:
            with contextlib.suppress(Exception):
                client.close()

    async def close(self) -> None:
        if self.pool is None:
            return
        while not self.pool.empty():
            client = self.pool.get_nowait()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(client.quit(), timeout=2)
        self.opened = 0


class AnymailTransport(Transport):
    """``anymail:<esp>``: the django-anymail backend configured in settings (ANYMAIL)."""

    channel = "email"

    def __init__(self, url: str, **kwargs: object) -> None:
        super().__init__(url, **kwargs)  # type: ignore[arg-type]
        esp = urlsplit(url).path.strip("/")
        self.backend = f"anymail.backends.{esp}.EmailBackend"

    def _send(self, out: Outgoing) -> Outcome:
        from anymail.exceptions import AnymailError

        message = EmailMultiAlternatives(
            subject=out.subject,
            body=out.text,
            to=[out.address],
            headers={DELIVERY_HEADER: str(out.delivery_id)},
            connection=get_connection(self.backend),
        )
        if out.html:
            message.attach_alternative(out.html, "text/html")
        message.metadata = {"delivery": str(out.delivery_id)}  # type: ignore[attr-defined]
        try:
            message.send()
        except AnymailError as exc:
            status = getattr(getattr(exc, "response", None), "status_code", 500) or 500
            text = str(exc)[:400]
            return (
                Outcome.reject(text)
                if 400 <= status < 500 and status != 429
                else Outcome.retry(text)
            )
        status = getattr(message, "anymail_status", None)
        ref = getattr(status, "message_id", "") or ""
        return Outcome.sent(str(ref), response=str(getattr(status, "status", "")))

    async def send(self, out: Outgoing) -> Outcome:
        return await asyncio.to_thread(self._send, out)
