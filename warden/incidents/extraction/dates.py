"""The event's date (and time, when given), from the text and the publication time.

Absolute dates ("17 October 2023", "October 17", "2023-10-17") are taken as written, the year
from the publication when it is left out. Weekdays are the last such day on or before
publication; "yesterday" and "last night" the day before it; "today" and "overnight" the day
itself. The first date in the text wins; without one, the publication date is proposed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan", "ינואר"),
            ("february", "feb", "פברואר"),
            ("march", "mar", "מרץ"),
            ("april", "apr", "אפריל"),
            ("may", "מאי"),
            ("june", "jun", "יוני"),
            ("july", "jul", "יולי"),
            ("august", "aug", "אוגוסט"),
            ("september", "sep", "sept", "ספטמבר"),
            ("october", "oct", "אוקטובר"),
            ("november", "nov", "נובמבר"),
            ("december", "dec", "דצמבר"),
        ),
        start=1,
    )
    for name in names
}
WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "יום שני": 0,
    "יום שלישי": 1,
    "יום רביעי": 2,
    "יום חמישי": 3,
    "יום שישי": 4,
    "שבת": 5,
    "יום ראשון": 6,
}
RELATIVE = {
    "yesterday": -1,
    "last night": -1,
    "today": 0,
    "this morning": 0,
    "tonight": 0,
    "overnight": 0,
    "earlier today": 0,
    "אתמול": -1,
    "אמש": -1,
    "היום": 0,
    "הלילה": 0,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_RELATIVE = "|".join(sorted(RELATIVE, key=len, reverse=True))
B, E = r"(?<![\w\u0590-\u05ff])", r"(?![\w\u0590-\u05ff])"
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    (
        "day_month",
        re.compile(
            rf"{B}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:ב|of\s+)?(?P<month>{_MONTH})\.?{E}"
            r"(?:,?\s+(?P<y>\d{4}))?",
            re.IGNORECASE,
        ),
    ),
    (
        "month_day",
        re.compile(
            rf"{B}(?P<month>{_MONTH})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}}))?",
            re.IGNORECASE,
        ),
    ),
    ("weekday", re.compile(rf"{B}(?:ב|ה)?(?P<weekday>{_WEEKDAY}){E}", re.IGNORECASE)),
    ("relative", re.compile(rf"{B}(?P<relative>{_RELATIVE}){E}", re.IGNORECASE)),
)
CLOCK = re.compile(
    r"\b(?:at|around|about|shortly after|before)\s+(?P<h>\d{1,2})(?:[:.](?P<min>\d{2}))?"
    r"\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?(?:\s+local time)?",
    re.IGNORECASE,
)


def find_date(text: str, published: datetime | None) -> dict[str, Any]:
    """{"value": "YYYY-MM-DD" | None, "time", "precision", "from", "spans"}."""
    reference = published.date() if published is not None else None
    found: list[tuple[int, int, date]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            value = _resolve(kind, match, reference)
            if value is not None:
                found.append((match.start(), match.end(), value))
    clock = _clock(text)
    if found:
        start, end, value = min(found)
        return {
            "value": value.isoformat(),
            "time": clock,
            "precision": 1,
            "from": "text",
            "spans": [[start, end]],
        }
    if reference is not None:
        return {
            "value": reference.isoformat(),
            "time": clock,
            "precision": 1,
            "from": "published",
            "spans": [],
        }
    return {"value": None, "time": clock, "precision": 1, "from": "", "spans": []}


def _resolve(kind: str, match: re.Match[str], reference: date | None) -> date | None:
    groups = match.groupdict()
    try:
        if kind == "iso":
            return date(int(groups["y"]), int(groups["m"]), int(groups["d"]))
        if kind in ("day_month", "month_day"):
            year = int(groups["y"]) if groups.get("y") else (reference or date.today()).year
            value = date(year, MONTHS[groups["month"].lower()], int(groups["d"]))
            if not groups.get("y") and reference is not None and value > reference:
                value = value.replace(year=year - 1)
            return value
    except ValueError:
        return None
    if reference is None:
        return None
    if kind == "weekday":
        back = (reference.weekday() - WEEKDAYS[groups["weekday"].lower()]) % 7
        return reference - timedelta(days=back)
    return reference + timedelta(days=RELATIVE[groups["relative"].lower()])


def _clock(text: str) -> str | None:
    for match in CLOCK.finditer(text):
        hour, minute = int(match["h"]), int(match["min"] or 0)
        ampm = (match["ampm"] or "").replace(".", "").lower()
        if not ampm and match["min"] is None:
            continue  # "at 12" is not a time
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        if 0 <= hour < 24 and 0 <= minute < 60:
            return time(hour, minute).isoformat(timespec="minutes")
    return None
