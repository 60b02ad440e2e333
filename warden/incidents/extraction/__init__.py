"""Rule-based, offline extraction of a proposed incident from a news text.

``extract(text, gazetteer=...)`` returns a JSON-ready dict: the event type, date, places
(with country codes and the organisation's posts), counts, outlets ("sources") and claims
with their relay chains, each item with the character spans it came from. It never
downloads anything and gives the same answer for the same input
(docs/decisions/0007-rule-based-intake-extraction.md).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from warden.incidents.extraction.claims import find_claims
from warden.incidents.extraction.counts import find_counts
from warden.incidents.extraction.dates import find_date
from warden.incidents.extraction.events import find_event
from warden.incidents.extraction.gazetteer import Gazetteer, build, from_database
from warden.incidents.extraction.outlets import find_outlets
from warden.incidents.extraction.places import find_places
from warden.incidents.extraction.tokens import is_hebrew, sentences, tokenize

VERSION = 1
ACTORS: dict[str, str] = {
    r"(?:riot )?police|המשטרה": "Police",
    r"security forces|כוחות הביטחון": "Security forces",
    r"israeli (?:military|army|forces|troops)|israel defense forces|IDF|צה\"ל": (
        "Israel Defense Forces"
    ),
    r"Hamas|חמאס": "Hamas",
    r"Hezbollah|חיזבאללה": "Hezbollah",
    r"Palestinian Islamic Jihad|Islamic Jihad|הג'יהאד האסלאמי": "Palestinian Islamic Jihad",
    r"Houthis?": "Houthis",
    r"Rapid Support Forces|RSF": "Rapid Support Forces",
    r"Al-Shabaab|al-Shabab": "Al-Shabaab",
    r"protesters|demonstrators|מפגינים": "Protesters",
    r"rioters|mob": "Rioters",
    r"gunmen|militants|armed gangs?": "Armed group",
}
_ACTORS = [(re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.I), name) for p, name in ACTORS.items()]

__all__ = ["VERSION", "Gazetteer", "build", "extract", "from_database"]


def extract(
    text: str,
    *,
    gazetteer: Gazetteer,
    published: datetime | None = None,
    outlet: str = "",
    title: str = "",
) -> dict[str, Any]:
    words = tokenize(text)
    parts = sentences(text)
    outlets = find_outlets(text)
    outlet_spans = [tuple(span) for o in outlets for span in o["spans"]]
    lead_end = parts[0].end if parts else len(text)
    return {
        "version": VERSION,
        "language": "he" if is_hebrew(text) else "en",
        "title": title or _title(parts[0].text if parts else text),
        "event": find_event(text, lead_end),
        "date": find_date(text, published),
        "places": find_places(text, words, parts, gazetteer, exclude=outlet_spans),
        "counts": find_counts(text),
        "sources": outlets,
        "claims": find_claims(parts, outlets, outlet),
        "actors": _actors(text),
    }


def _title(sentence: str, limit: int = 120) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def _actors(text: str) -> list[str]:
    found = sorted((m.start(), name) for pattern, name in _ACTORS if (m := pattern.search(text)))
    return list(dict.fromkeys(name for _start, name in found))
