"""Email: SMTP through aiosmtplib with a pool of reused connections, or any django-anymail
provider (run in a thread: anymail's backends are synchronous).

Every message carries ``X-Warden-Delivery: <delivery id>`` and a Message-ID derived from it,
so that a receiver can de-duplicate a message sent twice after a crash.
"""

from __future__ import annotations

import asyncio
import binascii
import contextlib
import email.policy
import email.utils
import functools
import re
import secrets
import time
from email.header import Header
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib
from aiosmtplib import SMTPStatus
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from warden.alerting.transports.base import Outcome, Outgoing, Transport

DELIVERY_HEADER = "X-Warden-Delivery"
BASE64_LINE = 76
# An address the SMTP envelope can carry as it is (no quoting, no comments, ASCII).
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9.-]+\Z")
# Per process: two processes never share a boundary for the same delivery.
BOUNDARY_SALT = secrets.token_hex(4)


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


def _base64(data: bytes) -> bytes:
    """Base64 in lines of 76 characters ending in CRLF (as ``base64.encodebytes`` makes
    them, with CRLF), encoded in one call rather than one per line."""
    encoded = binascii.b2a_base64(data, newline=False)
    if len(encoded) <= BASE64_LINE:
        return encoded + b"\r\n"
    lines = [encoded[i : i + BASE64_LINE] for i in range(0, len(encoded), BASE64_LINE)]
    lines.append(b"")
    return b"\r\n".join(lines)


def _part(content_type: str, text: str) -> bytes:
    """A UTF-8 text part: quoted-printable when ASCII (long lines stay legal), else base64."""
    lines = text.replace("\r\n", "\n")
    if text.isascii():
        head = QP_HEADS[content_type]
        return head + binascii.b2a_qp(lines.encode(), istext=True).replace(b"\n", b"\r\n")
    # The canonical form of text is encoded: lines end in CRLF.
    return BASE64_HEADS[content_type] + _base64(lines.replace("\n", "\r\n").encode())


def _heads(encoding: str) -> dict[str, bytes]:
    return {
        kind: (
            f'Content-Type: {kind}; charset="utf-8"\r\n'
            f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
        ).encode()
        for kind in ("text/plain", "text/html")
    }


QP_HEADS = _heads("quoted-printable")
BASE64_HEADS = _heads("base64")


class _Clock:
    """The Date header, formatted once a second rather than for every message."""

    second = -1
    value = ""

    @classmethod
    def date(cls) -> str:
        now = int(time.time())
        if now != cls.second:
            cls.second, cls.value = now, email.utils.formatdate(now, localtime=False)
        return cls.value


def email_bytes(out: Outgoing) -> bytes:
    """The message ``build_email`` makes, serialised directly: the email package spends about
    4 ms of CPU on each message's headers, which capped a worker near 250 emails a second.
    An unusual address (not ASCII, or with a line break) goes through ``build_email``."""
    if not out.address.isascii() or len(out.address.splitlines()) != 1:
        return build_email(out).as_bytes()
    from_header, address = _sender(settings.DEFAULT_FROM_EMAIL)
    domain = address.rpartition("@")[2] or "localhost"
    delivery = out.delivery_id
    head = (
        f"From: {from_header}\r\n"
        f"To: {out.address}\r\n"
        f"Subject: {_header(out.subject, 'Subject')}\r\n"
        f"Date: {_Clock.date()}\r\n"
        f"Message-ID: <delivery-{delivery}@{domain}>\r\n"
        f"{DELIVERY_HEADER}: {delivery}\r\n"
        "Auto-Submitted: auto-generated\r\n"
        f"Content-Language: {out.language}\r\n"
        "MIME-Version: 1.0\r\n"
    )
    if not out.html:
        return head.encode() + _part("text/plain", out.text)
    # No part can contain the boundary: quoted-printable always escapes "=", and "_" is
    # not a base64 character. The delivery id keeps it unique without drawing random bytes.
    boundary = f"=_warden_{delivery}_{BOUNDARY_SALT}"
    dash = f"--{boundary}\r\n".encode()
    return b"".join(
        (
            head.encode(),
            f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n\r\n'.encode(),
            dash,
            _part("text/plain", out.text),
            b"\r\n",
            dash,
            _part("text/html", out.html),
            f"\r\n--{boundary}--\r\n".encode(),
        )
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
        if client.is_ehlo_or_helo_needed:  # the extensions must be known before MAIL
            try:
                await client.ehlo()
            except aiosmtplib.SMTPHeloError:
                await client.helo()
        return client

    async def _transaction(
        self, client: aiosmtplib.SMTP, sender: str, address: str, data: bytes
    ) -> tuple[dict[str, aiosmtplib.SMTPResponse], str]:
        """``client.sendmail(sender, [address], data)`` for one plain address: MAIL, RCPT and
        DATA with the addresses quoted once. ``sendmail`` parses each of the two addresses
        twice with the email package (a fifth of a worker's time at full speed); a verified
        contact point needs none of it. Anything unusual goes through ``sendmail``."""
        if not (PLAIN_ADDRESS.match(address) and PLAIN_ADDRESS.match(sender)):
            return await client.sendmail(sender, [address], data)
        options = [b"SIZE=%d" % len(data)] if client.supports_extension("size") else []
        response = await client.execute_command(b"MAIL", b"FROM:<%s>" % sender.encode(), *options)
        if response.code != SMTPStatus.completed:
            raise aiosmtplib.SMTPSenderRefused(response.code, response.message, sender)
        response = await client.execute_command(b"RCPT", b"TO:<%s>" % address.encode())
        if response.code not in (SMTPStatus.completed, SMTPStatus.will_forward):
            refused = aiosmtplib.SMTPRecipientRefused(response.code, response.message, address)
            with contextlib.suppress(aiosmtplib.SMTPException):
                await client.rset()  # as sendmail does: the next message needs a clean envelope
            raise aiosmtplib.SMTPRecipientsRefused([refused])
        response = await client.data(data)
        return {}, response.message

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
            errors, response = await self._transaction(
                client, sender, out.address, email_bytes(out)
            )
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
        except asyncio.CancelledError:  # the batch's deadline: the session's state is unknown
            await self._discard(client)
            client = None
            raise
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
