"""A local SMTP server for the demo: keeps each message as an .eml file and announces it."""

from __future__ import annotations

import contextlib
import email
import email.policy
import itertools
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from django.utils import timezone

HOST = "127.0.0.1"


class EmlHandler:
    """aiosmtpd handler: write every message to ``directory`` and report it in one line."""

    def __init__(self, directory: Path, announce: Callable[[str], None]) -> None:
        self.directory = directory
        self.announce = announce
        self.counter = itertools.count(1)

    def path_for(self) -> Path:
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
        return self.directory / f"{stamp}-{next(self.counter):05d}.eml"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content: bytes = envelope.original_content or envelope.content
        path = self.path_for()
        path.write_bytes(content)
        message = email.message_from_bytes(content, policy=email.policy.default)
        self.announce(f"mail to {', '.join(envelope.rcpt_tos)}: {message['subject']} ({path.name})")
        return "250 Message accepted for delivery"


@contextlib.contextmanager
def mail_sink(
    directory: Path, *, port: int, announce: Callable[[str], None]
) -> Iterator[Controller]:
    """Run the sink on 127.0.0.1:``port`` for the duration of the block."""
    directory.mkdir(parents=True, exist_ok=True)
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    controller = Controller(EmlHandler(directory, announce), hostname=HOST, port=port)
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()
