"""Form data for console tests."""

from __future__ import annotations

from typing import Any


def edition_data(level: int = 4, **overrides: Any) -> dict[str, Any]:
    """A complete edition editor submission at ``level`` with no area rows."""
    data: dict[str, Any] = {
        "level": str(level),
        "reasons": ["T", "U"],
        "summary_en": f"All travellers should leave: level {level}.",
        "body_en": "Leave as soon as possible.\n\nAvoid demonstrations.",
        "summary_he": f"יש לעזוב: רמה {level}.",
        "body_he": "יש לעזוב בהקדם האפשרי.",
        "change_note": f"Raised to level {level} after the demonstrations.",
        "areas-TOTAL_FORMS": "0",
        "areas-INITIAL_FORMS": "0",
        "areas-MIN_NUM_FORMS": "0",
        "areas-MAX_NUM_FORMS": "1000",
        "save": "1",
    }
    data.update(overrides)
    return data
