"""Level scales that ship with Warden (see docs: DOMAIN, level scales).

A scale is data: each level's name and wording per language, its colour and its CAP
mapping. ``authority_create(preset=...)`` copies one of these into the database, where an
administrator can change it.
"""

from __future__ import annotations

from typing import TypedDict


class LevelPreset(TypedDict):
    number: int
    color: str
    cap_severity: str
    cap_urgency: str
    cap_response_type: str
    texts: dict[str, dict[str, str]]


# Colours: WCAG AA contrast against white text is not needed (text is dark on the colour
# swatch); each level also always shows its number and name, never colour alone.
_COLORS = {1: "#3a7d44", 2: "#e0b000", 3: "#e06c00", 4: "#c0162c"}
_CAP = {
    1: ("Minor", "Future", "None"),
    2: ("Moderate", "Future", "Monitor"),
    3: ("Severe", "Expected", "Avoid"),
    4: ("Extreme", "Immediate", "Evacuate"),
}


def _level(number: int, texts: dict[str, dict[str, str]]) -> LevelPreset:
    severity, urgency, response = _CAP[number]
    return LevelPreset(
        number=number,
        color=_COLORS[number],
        cap_severity=severity,
        cap_urgency=urgency,
        cap_response_type=response,
        texts=texts,
    )


ISRAEL_NSC: list[LevelPreset] = [
    _level(
        1,
        {
            "en": {"name": "Basic precautions", "wording": "Take basic precautions."},
            "he": {"name": "אמצעי זהירות בסיסיים", "wording": "יש לנקוט אמצעי זהירות בסיסיים."},
        },
    ),
    _level(
        2,
        {
            "en": {
                "name": "Increased precautions",
                "wording": "Potential threat: take increased precautions.",
            },
            "he": {
                "name": "אמצעי זהירות מוגברים",
                "wording": "איום פוטנציאלי: יש לנקוט אמצעי זהירות מוגברים.",
            },
        },
    ),
    _level(
        3,
        {
            "en": {
                "name": "Moderate threat",
                "wording": "Moderate threat: reconsider non-essential travel.",
            },
            "he": {
                "name": "איום בינוני",
                "wording": "איום בינוני: יש לשקול מחדש נסיעות שאינן חיוניות.",
            },
        },
    ),
    _level(
        4,
        {
            "en": {
                "name": "High threat",
                "wording": "High threat: do not travel; those there should leave.",
            },
            "he": {
                "name": "איום גבוה",
                "wording": "איום גבוה: אין לנסוע; השוהים במקום מתבקשים לצאת ממנו.",
            },
        },
    ),
]

US_STATE_DEPARTMENT: list[LevelPreset] = [
    _level(
        1,
        {
            "en": {
                "name": "Exercise normal precautions",
                "wording": "Exercise normal precautions.",
            },
            "he": {"name": "זהירות רגילה", "wording": "יש לנקוט זהירות רגילה."},
        },
    ),
    _level(
        2,
        {
            "en": {"name": "Exercise increased caution", "wording": "Exercise increased caution."},
            "he": {"name": "זהירות מוגברת", "wording": "יש לנקוט זהירות מוגברת."},
        },
    ),
    _level(
        3,
        {
            "en": {"name": "Reconsider travel", "wording": "Reconsider travel."},
            "he": {"name": "שקילה מחדש של הנסיעה", "wording": "יש לשקול מחדש את הנסיעה."},
        },
    ),
    _level(
        4,
        {
            "en": {"name": "Do not travel", "wording": "Do not travel."},
            "he": {"name": "אין לנסוע", "wording": "אין לנסוע."},
        },
    ),
]

PRESETS: dict[str, list[LevelPreset]] = {
    "israel-nsc": ISRAEL_NSC,
    "us-state": US_STATE_DEPARTMENT,
}
