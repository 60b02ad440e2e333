"""The demo's drawdown: staff and family members at both posts in Turkey, and the ordered
departure of 19 October 2023, loaded through the real services.

- a consular officer registers each staff and family member as a person with a verified
  email address (``example.org``: nothing reaches a real person) and a stay at the post;
- the mission manager adds them to the posts and sets a "level 3 or higher" tripwire on
  each, which fires on the level 4 published on 18 October: both posts move to watch;
- on 19 October the mission manager requests an ordered departure of all staff and family
  members, temporary with a review date a month later, and an approver approves it;
- the people then move through departing, in transit and at the safe haven.

Names are invented. Times are historical; the rows are written at loading time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from warden.missions import services
from warden.missions.models import DepartureState, Post, PostDecision, Scope, StaffMember
from warden.people.models import ContactPoint, Person
from warden.people.services import (
    PersonDetails,
    TripDetails,
    contact_point_add,
    person_create,
    trip_add,
)

ISRAEL_TIME = ZoneInfo("Asia/Jerusalem")
TRIPWIRE_AT = datetime(2023, 10, 18, 16, 30, tzinfo=ISRAEL_TIME)
ORDERED_AT = datetime(2023, 10, 19, 11, 0, tzinfo=ISRAEL_TIME)
DEADLINE = datetime(2023, 10, 21, 20, 0, tzinfo=ISRAEL_TIME)
REVIEW = date(2023, 11, 19)
POSTED_SINCE = date(2022, 8, 1)
EMAIL_DOMAIN = "staff.example.org"

E, F, L = (
    StaffMember.Category.EMPLOYEE,
    StaffMember.Category.FAMILY_MEMBER,
    StaffMember.Category.LOCALLY_EMPLOYED,
)


@dataclass(frozen=True)
class Member:
    given: str
    family: str
    language: str
    category: str
    title: str = ""
    emergency: bool = False
    head: bool = False
    committee: bool = False
    family_of: int | None = None  # index of the employee in the same post's list


ANKARA = (
    Member("Irit", "Lavi", "he", E, "Ambassador", True, True, True),
    Member("Eyal", "Sadeh", "he", E, "Deputy head of mission", True, False, True),
    Member("Noam", "Ben-David", "he", E, "Security officer", True, False, True),
    Member("Michal", "Harel", "he", E, "Political officer"),
    Member("Yoav", "Harel", "he", F, family_of=3),
    Member("Tamar", "Harel", "he", F, family_of=3),
    Member("Daniel", "Katz", "en", E, "Administrative officer"),
    Member("Sarah", "Katz", "en", F, family_of=6),
    Member("Ayşe", "Demir", "en", L, "Receptionist"),
)
ISTANBUL = (
    Member("Shira", "Golan", "he", E, "Consul general", True, True, True),
    Member("Amir", "Peretz", "he", E, "Security officer", True, False, True),
    Member("Ruth", "Mizrahi", "he", E, "Consul"),
    Member("Avi", "Mizrahi", "he", F, family_of=2),
    Member("Noa", "Mizrahi", "he", F, family_of=2),
    Member("Jonathan", "Levy", "en", E, "Trade attaché"),
    Member("Mehmet", "Yılmaz", "en", L, "Driver"),
)
# Where each post's people are on the demo day, in the order of ANKARA / ISTANBUL
# (locally employed staff stay at post and are not listed).
PROGRESS = {
    0: (
        DepartureState.ORDERED,  # the ambassador leaves last
        DepartureState.DEPARTING,
        DepartureState.ORDERED,
        DepartureState.IN_TRANSIT,
        DepartureState.AT_SAFE_HAVEN,
        DepartureState.AT_SAFE_HAVEN,
        DepartureState.DEPARTING,
        DepartureState.IN_TRANSIT,
    ),
    1: (
        DepartureState.DEPARTING,
        DepartureState.ORDERED,
        DepartureState.IN_TRANSIT,
        DepartureState.AT_SAFE_HAVEN,
        DepartureState.AT_SAFE_HAVEN,
        DepartureState.AT_SAFE_HAVEN,
    ),
}
JOURNEY = (DepartureState.DEPARTING, DepartureState.IN_TRANSIT, DepartureState.AT_SAFE_HAVEN)


def _email(member: Member, post: Post) -> str:
    slug = f"{member.given}.{member.family}".lower().replace(" ", "").replace("-", "")
    slug = slug.encode("ascii", "ignore").decode()
    return f"{slug}.{post.pk}@{EMAIL_DOMAIN}"


def _person(member: Member, post: Post, consul: User) -> Person:
    kind = Person.Kind.FAMILY_MEMBER if member.category == F else Person.Kind.EMPLOYEE
    person = person_create(
        acting_user=consul,
        details=PersonDetails(member.given, member.family, member.language, kind),
    )
    contact_point_add(
        acting_user=consul,
        person=person,
        channel="email",
        value=_email(member, post),
        verified_by=ContactPoint.Method.ROSTER,
    )
    trip_add(
        acting_user=consul,
        person=person,
        details=TripDetails(
            country=post.country_id,
            city_geonameid=post.geonameid,
            arrival=POSTED_SINCE,
            is_resident=True,
        ),
    )
    return person


def _staff(post: Post, members: tuple[Member, ...], *, manager: User, consul: User) -> None:
    added: list[StaffMember] = []
    for member in members:
        added.append(
            services.staff_add(
                acting_user=manager,
                post=post,
                person=_person(member, post, consul),
                details=services.StaffDetails(
                    category=member.category,
                    role_title=member.title,
                    is_emergency=member.emergency,
                    family_of=added[member.family_of] if member.family_of is not None else None,
                    is_head_of_mission=member.head,
                    on_committee=member.committee,
                ),
            )
        )


def _order(post: Post, *, manager: User, approver: User) -> PostDecision:
    decision = services.decision_request(
        acting_user=manager,
        post=post,
        to_status="ordered_departure",
        details=services.DecisionDetails(
            reasons=(
                "Following the level 4 advisory for Turkey and the threat to Israeli "
                "representatives, all staff and family members leave as a temporary "
                "security measure."
            ),
            scope=Scope.ALL,
            deadline=DEADLINE,
            safe_haven="Israel",
            is_temporary=True,
            review_date=REVIEW,
            effective_at=ORDERED_AT,
        ),
    )
    return services.decision_approve(acting_user=approver, decision=decision)


def _progress(post: Post, states: tuple[str, ...], manager: User) -> None:
    people = post.staff.exclude(category=L).order_by("id")
    for member, state in zip(people, states, strict=True):
        for step in JOURNEY[: JOURNEY.index(state) + 1] if state in JOURNEY else ():
            services.departure_update(acting_user=manager, staff=member, state=step)


def load_drawdown(*, posts: tuple[Post, ...], users: dict[str, User]) -> list[PostDecision]:
    """Staff both posts, fire their tripwires, order the departure and move people along."""
    manager, approver, consul = users["mission"], users["approver"], users["consul"]
    decisions = []
    for post, members in zip(posts, (ANKARA, ISTANBUL), strict=True):
        _staff(post, members, manager=manager, consul=consul)
        services.tripwire_create(
            acting_user=manager,
            post=post,
            kind="level",
            name="Turkey at level 3 or higher",
            level=3,
        )
        services.tripwire_create(
            acting_user=manager, post=post, kind="manual", name="Host government warning"
        )
    services.tripwires_evaluate(now=TRIPWIRE_AT, kinds=("level",))
    for index, post in enumerate(posts):
        post.refresh_from_db()
        decisions.append(_order(post, manager=manager, approver=approver))
        _progress(post, PROGRESS[index], manager)
    return decisions
