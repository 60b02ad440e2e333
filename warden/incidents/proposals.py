"""What a proposal suggests, as starting values for the review form, and its text with the
spans extraction used marked, for the reviewer to see where each value came from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from warden.incidents.models import Proposal
from warden.incidents.taxonomy import COUNT_KINDS, EventType


def main_place(data: dict[str, Any]) -> dict[str, Any] | None:
    """The most precise place: a post, then a city, then an area, then a country."""
    places = data.get("places") or []
    for kind in ("post", "city", "area", "country"):
        for place in places:
            if place["kind"] == kind:
                return dict(place)
    return None


def initial(proposal: Proposal) -> dict[str, Any]:
    """Initial values of the incident form for this proposal."""
    data = proposal.data
    event = data.get("event") or {}
    place = main_place(data) or {}
    values: dict[str, Any] = {
        "title": (proposal.source.title or data.get("title") or "")[:200],
        "event_type": event.get("type") or EventType.STRATEGIC_DEVELOPMENTS,
        "sub_event_type": event.get("sub_type") or "",
        "occurred_on": (data.get("date") or {}).get("value") or date.today().isoformat(),
        "occurred_time": (data.get("date") or {}).get("time") or "",
        "country": place.get("country", ""),
        "city": place.get("city") or (place.get("name") if place.get("kind") == "city" else ""),
        "geonameid": place.get("geonameid"),
        "latitude": place.get("latitude"),
        "longitude": place.get("longitude"),
        "place_precision": 1 if place.get("kind") in ("post", "city") else 3,
        "actors": ", ".join(data.get("actors") or []),
    }
    counts = data.get("counts") or {}
    for kind in COUNT_KINDS:
        found = counts.get(kind) or {}
        for part in ("low", "best", "high"):
            values[f"{kind}_{part}"] = found.get(part)
    return values


@dataclass(frozen=True)
class Segment:
    text: str
    mark: str  # "" or what the span is: place, source, claim, event, date, count


def marked_text(proposal: Proposal) -> list[Segment]:
    """The source text cut into plain and marked segments (first mark wins on overlap)."""
    text = proposal.source.text
    spans = sorted(_spans(proposal.data), key=lambda s: (s[0], -s[1]))
    segments: list[Segment] = []
    position = 0
    for start, end, mark in spans:
        if start < position or end > len(text) or start >= end:
            continue
        if start > position:
            segments.append(Segment(text[position:start], ""))
        segments.append(Segment(text[start:end], mark))
        position = end
    if position < len(text):
        segments.append(Segment(text[position:], ""))
    return segments


def _spans(data: dict[str, Any]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for place in data.get("places") or []:
        spans += [(s, e, "place") for s, e in place.get("spans", [])]
    for source in data.get("sources") or []:
        spans += [(s, e, "source") for s, e in source.get("spans", [])]
    for claim in data.get("claims") or []:
        s, e = claim.get("cue_span", [0, 0])
        spans.append((s, e, "claim"))
    spans += [(s, e, "event") for s, e in ((data.get("event") or {}).get("spans") or [])]
    spans += [(s, e, "date") for s, e in (data.get("date") or {}).get("spans") or []]
    for count in (data.get("counts") or {}).values():
        spans += [(s, e, "count") for s, e in count.get("spans", [])]
    return spans
