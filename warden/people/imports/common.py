"""What imports report, and reading an uploaded file as text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    """One problem: the row (1 is the CSV header; for iCalendar, the event's number), the
    column or property ("" for the whole row or file) and the reason, without its value."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = _("row %(row)d") % {"row": self.row} if self.row else _("file")
        return f"{where}, {self.column or '-'}: {self.reason}"


@dataclass
class ImportReport:
    created_people: int = 0
    created_trips: int = 0
    created_contact_points: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class UnreadableFile(Exception):
    """The file cannot be read at all; carries the one ``RowError`` saying why."""

    def __init__(self, error: RowError) -> None:
        super().__init__(error.reason)
        self.error = error


def read_bytes(file: IO[bytes] | IO[str] | bytes | str) -> bytes:
    data = file if isinstance(file, bytes | str) else file.read(MAX_BYTES + 1)
    raw = data.encode() if isinstance(data, str) else data
    if len(raw) > MAX_BYTES:
        raise UnreadableFile(RowError(0, "", _("The file is larger than 10 MB.")))
    return raw


def decode(raw: bytes) -> str:
    """UTF-8 text (a byte-order mark is dropped); the error names the first bad line."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise UnreadableFile(
            RowError(line, "", _("The file is not UTF-8 text: save it as “CSV UTF-8”."))
        ) from None


def messages(error: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs of a ValidationError."""
    if hasattr(error, "error_dict"):
        return [(name, m) for name, errors in error.message_dict.items() for m in errors]
    return [("", m) for m in error.messages]
