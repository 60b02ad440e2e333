"""Demo incidents for the October 2023 scenario, loaded through the services.

- the Tuesday-night (17 October 2023) demonstrations at the embassy in Ankara and at the
  consulate general in Istanbul, each with its sources and claims, cited by Turkey's level-4
  edition and its statement;
- the disputed blast at the Al-Ahli hospital in Gaza on 17 October 2023, with the competing
  claims side by side (the health ministry in Gaza, the Israeli military, Palestinian
  Islamic Jihad, the US assessment, a French assessment reported by the press);
- the entries of the demo feed (``data/demo-feed.xml``) as proposals waiting for review.

The texts are written for the demo; the outlets are fictional, the agencies in the relay
chains are the ones such stories usually come through.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import feedparser
from django.contrib.auth.models import User

from warden.incidents import services
from warden.incidents.models import Incident, Proposal, Source
from warden.incidents.services import ClaimContent, IncidentContent, SourceContent
from warden.incidents.taxonomy import EventType, SubEventType, Verification

DEMO_FEED = Path(__file__).resolve().parent / "data" / "demo-feed.xml"
OUTLET = "Example Wire (demo)"


@dataclass(frozen=True)
class DemoIncidents:
    incidents: tuple[Incident, ...]
    proposals: int


def _source(analyst: User, text: str, title: str, slug: str, at: datetime, grade: str) -> Proposal:
    content = SourceContent(
        text=text,
        title=title,
        outlet=OUTLET,
        url=f"https://news.example.org/demo/{slug}",
        published_at=at,
        reliability=grade,
    )
    proposal = services.source_add_text(acting_user=analyst, content=content).proposal
    assert proposal is not None
    return proposal


def _accept(analyst: User, proposal: Proposal, content: IncidentContent) -> Incident:
    """Accept the proposal from the demo source as the incident, as an analyst would."""
    return services.proposal_accept(acting_user=analyst, proposal=proposal, content=content)


def _claims(analyst: User, incident: Incident, source: Source, rows: list[tuple[Any, ...]]) -> None:
    for subject, claimant, cue, chain, content, grade in rows:
        services.claim_add(
            acting_user=analyst,
            incident=incident,
            content=ClaimContent(
                claimant=claimant,
                cue=cue,
                relay_chain=(claimant, *chain, OUTLET),
                content=content,
                subject=subject,
                credibility=grade,
                source_id=source.pk,
            ),
        )


def _ankara(analyst: User) -> Incident:
    text = (
        "Thousands of demonstrators gathered outside the Israeli embassy in Ankara on Tuesday "
        "night. Police used tear gas and water cannon when some tried to climb the outer wall, "
        "according to the Anadolu news agency. The governor's office said 12 people were "
        "detained; organisers told Reuters that about 10,000 people took part."
    )
    at = datetime(2023, 10, 18, 4, 30, tzinfo=UTC)
    proposal = _source(
        analyst, text, "Thousands protest at Israeli embassy in Ankara", "ankara-embassy", at, "B"
    )
    incident = _accept(
        analyst,
        proposal,
        IncidentContent(
            title="Demonstration at the embassy in Ankara",
            event_type=EventType.PROTESTS,
            sub_event_type=SubEventType.PROTEST_WITH_INTERVENTION,
            occurred_on=date(2023, 10, 17),
            occurred_time=time(21, 0),
            country="TR",
            city="Ankara",
            geonameid=323786,
            actors=("Protesters", "Police"),
            counts={"crowd": (3000, 5000, 10000), "arrested": (12, 12, 12)},
            notes="Crowd size disputed: police and organisers differ.",
            verification=Verification.CORROBORATED,
        ),
    )
    _claims(
        analyst,
        incident,
        proposal.source,
        [
            (
                "crowd",
                "Ankara police",
                "said",
                ("Anadolu Agency",),
                "About 3,000 people took part.",
                2,
            ),
            ("crowd", "the organisers", "told", ("Reuters",), "About 10,000 people took part.", 4),
            ("arrests", "the governor's office", "said", (), "12 people were detained.", 2),
        ],
    )
    return incident


def _istanbul(analyst: User) -> Incident:
    text = (
        "In Istanbul, several hundred protesters marched to the Israeli consulate general late "
        "on Tuesday. Some threw stones and fireworks at the building and set fire to a barrier "
        "before riot police dispersed them, witnesses told AFP. At least 40 people were taken "
        "into custody, police said."
    )
    at = datetime(2023, 10, 18, 5, 0, tzinfo=UTC)
    proposal = _source(
        analyst,
        text,
        "Stones and fireworks at Israeli consulate in Istanbul",
        "istanbul-consulate",
        at,
        "B",
    )
    incident = _accept(
        analyst,
        proposal,
        IncidentContent(
            title="Riot at the consulate general in Istanbul",
            event_type=EventType.RIOTS,
            sub_event_type=SubEventType.VIOLENT_DEMONSTRATION,
            occurred_on=date(2023, 10, 17),
            occurred_time=time(23, 0),
            country="TR",
            city="Istanbul",
            geonameid=745044,
            actors=("Protesters", "Police"),
            counts={"crowd": (200, 300, 500), "arrested": (40, 40, None)},
            verification=Verification.CONFIRMED,
        ),
    )
    _claims(
        analyst,
        incident,
        proposal.source,
        [
            (
                "damage",
                "witnesses",
                "told",
                ("AFP",),
                "Protesters threw stones and fireworks and set fire to a barrier.",
                2,
            ),
            (
                "arrests",
                "Istanbul police",
                "said",
                (),
                "At least 40 people were taken into custody.",
                2,
            ),
        ],
    )
    return incident


HOSPITAL_CLAIMS = [
    (
        "cause",
        "the health ministry in Gaza",
        "said",
        ("AFP",),
        "An Israeli air strike hit the Al-Ahli Arab Hospital.",
        5,
    ),
    (
        "cause",
        "the Israeli military",
        "said",
        (),
        "A rocket misfired by Palestinian Islamic Jihad fell on the hospital grounds.",
        3,
    ),
    (
        "cause",
        "Palestinian Islamic Jihad",
        "denied",
        ("Al Jazeera",),
        "The group denied responsibility for the blast.",
        6,
    ),
    (
        "cause",
        "US intelligence (National Security Council)",
        "according to",
        ("Associated Press",),
        "Israel was not responsible; the evidence points to a misfired rocket.",
        3,
    ),
    ("killed", "the health ministry in Gaza", "said", ("Reuters",), "471 people were killed.", 5),
    (
        "killed",
        "a US official",
        "told",
        ("Associated Press",),
        "The death toll is likely at the low end of 100 to 300.",
        3,
    ),
    (
        "killed",
        "French military intelligence",
        "according to",
        ("Le Monde",),
        "Between 10 and 50 people were killed.",
        3,
    ),
]


def _hospital(analyst: User) -> Incident:
    text = (
        "An explosion hit the courtyard of the Al-Ahli Arab Hospital in Gaza City on Tuesday "
        "evening. The health ministry in Gaza said an Israeli air strike hit the hospital and "
        "that 471 people were killed. The Israeli military said a rocket misfired by "
        "Palestinian Islamic Jihad caused the blast, which the group denied."
    )
    at = datetime(2023, 10, 17, 20, 30, tzinfo=UTC)
    proposal = _source(
        analyst,
        text,
        "Blast at Al-Ahli hospital in Gaza: competing accounts",
        "gaza-hospital",
        at,
        "C",
    )
    incident = _accept(
        analyst,
        proposal,
        IncidentContent(
            title="Explosion at the Al-Ahli Arab Hospital, Gaza",
            event_type=EventType.EXPLOSIONS,
            sub_event_type=SubEventType.SHELLING_MISSILE,
            occurred_on=date(2023, 10, 17),
            occurred_time=time(18, 59),
            country="PS",
            city="Gaza",
            geonameid=281133,
            counts={"killed": (10, 100, 471)},
            verification=Verification.DISPUTED,
            notes="Cause and toll disputed; see the competing claims.",
        ),
    )
    _claims(analyst, incident, proposal.source, HOSPITAL_CLAIMS)
    return incident


def demo_feed_entries(path: Path = DEMO_FEED) -> list[SourceContent]:
    parsed = feedparser.parse(path.read_bytes())
    entries = []
    for entry in parsed.entries:
        published = datetime.fromtimestamp(calendar.timegm(entry.published_parsed), tz=UTC)
        text = f"{entry.title}\n\n{entry.summary}"
        entries.append(
            SourceContent(
                text=text,
                title=entry.title,
                url=entry.link,
                outlet="Example Wire",
                published_at=published,
            )
        )
    return entries


def load_demo_incidents(
    *, analyst: User, edition: Any = None, statement: Any = None
) -> DemoIncidents:
    """Create the demo incidents, link them to Turkey's edition and statement, and queue the
    demo feed's entries for review."""
    ankara, istanbul, hospital = _ankara(analyst), _istanbul(analyst), _hospital(analyst)
    for incident in (ankara, istanbul):
        if edition is not None:
            services.incident_link(
                acting_user=analyst,
                incident=incident,
                edition=edition,
                note="Raised to level 4 after the demonstrations.",
            )
        if statement is not None:
            services.incident_link(acting_user=analyst, incident=incident, statement=statement)
    proposals = 0
    for content in demo_feed_entries():
        proposals += int(
            not services.source_add_text(acting_user=analyst, content=content).duplicate
        )
    return DemoIncidents((ankara, istanbul, hospital), proposals)
