"""Builders for incident tests."""

from __future__ import annotations

from datetime import date
from typing import Any

from warden.incidents.services import IncidentContent


def content(**overrides: Any) -> IncidentContent:
    values: dict[str, Any] = {
        "title": "Demonstration at the embassy in Ankara",
        "event_type": "protests",
        "sub_event_type": "protest_with_intervention",
        "occurred_on": date(2023, 10, 17),
        "country": "TR",
        "city": "Ankara",
        "latitude": 39.92,
        "longitude": 32.85,
        "counts": {"crowd": (3000, 5000, 10000), "arrested": (12, 12, 12)},
    }
    values.update(overrides)
    return IncidentContent(**values)


ARTICLE = (
    "Thousands of demonstrators gathered outside the Israeli embassy in Ankara on Tuesday "
    "night. The Ankara governor's office said 12 people were detained. Organisers told "
    "Reuters that 10,000 people took part."
)
