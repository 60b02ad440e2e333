from __future__ import annotations

import email
import email.policy
import smtplib
import socket
from email.message import EmailMessage
from pathlib import Path

from warden.demo.mailsink import mail_sink


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_sink_keeps_each_message_as_an_eml_file_and_announces_it(tmp_path: Path):
    message = EmailMessage()
    message["From"] = "warden@demo.warden.example"
    message["To"] = "analyst@demo.warden.example"
    message["Subject"] = "Review overdue: Türkiye, level 4"
    message.set_content("כל האזרחים השוהים בטורקיה מתבקשים לצאת ממנה בהקדם האפשרי")
    lines: list[str] = []
    port = free_port()

    with (
        mail_sink(tmp_path / "mail", port=port, announce=lines.append),
        smtplib.SMTP("127.0.0.1", port, timeout=10) as client,
    ):
        client.send_message(message)

    [path] = (tmp_path / "mail").glob("*.eml")
    kept = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert kept["Subject"] == "Review overdue: Türkiye, level 4"
    assert "בהקדם האפשרי" in kept.get_content()
    assert lines == [
        f"mail to analyst@demo.warden.example: Review overdue: Türkiye, level 4 ({path.name})"
    ]
