"""The texts the demo's SMS gateway stub takes: one line of JSON each in a file, which the
sandbox inbox shows, and one line on the terminal, as the demo's mail sink does for mail."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone


class TextLog:
    """``StubState.kept`` for the demo: append each text to ``path`` and announce it."""

    def __init__(self, path: Path, announce: Callable[[str], None]) -> None:
        self.path = path
        self.announce = announce
        self.lock = threading.Lock()

    def __call__(self, text: dict[str, Any]) -> None:
        line = {
            "at": timezone.now().isoformat(timespec="seconds"),
            "to": str(text.get("to", "")),
            "text": str(text.get("text", "")),
            "reference": str(text.get("reference", "")),
        }
        with self.lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.announce(f"text to {line['to']}: {line['text']}")


def last_texts(path: Path, count: int) -> list[dict[str, Any]]:
    """The ``count`` texts kept last in ``path``, newest first (none if there is no file),
    with ``at`` as a datetime; a line that is not a text is left out."""
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as handle:
        lines = deque(handle, maxlen=count)
    texts = []
    for line in reversed(lines):
        try:
            text = json.loads(line)
        except ValueError:
            continue
        if not isinstance(text, dict):
            continue
        try:
            at = datetime.fromisoformat(str(text.get("at")))
        except ValueError:
            continue
        words = {key: str(text.get(key, "")) for key in ("to", "text", "reference")}
        texts.append({"at": at, **words})
    return texts
