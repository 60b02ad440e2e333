"""Reads for the console and the ``warden posts`` command."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from warden.missions.models import (
    DepartureEvent,
    DepartureState,
    Post,
    PostDecision,
    PostStatus,
    StaffMember,
    TripwireHit,
)

# Map colours of the statuses: calm to severe (the same as the status tags in missions.css).
STATUS_COLORS = {
    PostStatus.NORMAL: "#00703c",
    PostStatus.WATCH: "#b58105",
    PostStatus.AUTHORIZED_DEPARTURE: "#d4351c",
    PostStatus.ORDERED_DEPARTURE: "#942514",
    PostStatus.SUSPENDED: "#0b0c0c",
    PostStatus.RESUMING: "#1d70b8",
}


def posts_all() -> QuerySet[Post]:
    return Post.objects.select_related("country", "alternate_post", "current_decision").order_by(
        "country__name", "name"
    )


def posts_by_status() -> list[tuple[PostStatus, list[Post]]]:
    """Every status with its posts, most severe first; statuses without posts left out."""
    posts = list(posts_all())
    order = [
        PostStatus.SUSPENDED,
        PostStatus.ORDERED_DEPARTURE,
        PostStatus.AUTHORIZED_DEPARTURE,
        PostStatus.WATCH,
        PostStatus.RESUMING,
        PostStatus.NORMAL,
    ]
    groups = [(status, [p for p in posts if p.status == status]) for status in order]
    return [(status, members) for status, members in groups if members]


def map_data(posts: list[Post]) -> dict[str, Any]:
    return {
        "posts": [
            {
                "id": post.pk,
                "name": post.local_name(),
                "lat": post.latitude,
                "lon": post.longitude,
                "status": post.status,
                "label": str(PostStatus(post.status).label),
                "color": STATUS_COLORS[PostStatus(post.status)],
            }
            for post in posts
        ]
    }


@dataclass(frozen=True)
class Progress:
    """How many of a post's people are in each departure state, in the order of the journey."""

    counts: list[tuple[DepartureState, int]]
    total: int
    left: int  # departing, in transit or at the safe haven


def departure_progress(post: Post) -> Progress:
    counts = Counter(post.staff.values_list("departure_state", flat=True))
    away = (DepartureState.DEPARTING, DepartureState.IN_TRANSIT, DepartureState.AT_SAFE_HAVEN)
    return Progress(
        counts=[(state, counts[state]) for state in DepartureState if counts[state]],
        total=sum(counts.values()),
        left=sum(counts[state] for state in away),
    )


def staff_of(post: Post) -> list[StaffMember]:
    """Employees, each followed by their family members; then locally employed staff."""
    members = list(post.staff.select_related("person").order_by("id"))
    family: dict[int, list[StaffMember]] = {}
    for member in members:
        if member.family_of_id is not None:
            family.setdefault(member.family_of_id, []).append(member)
    ordered: list[StaffMember] = []
    for member in members:
        if member.category == StaffMember.Category.EMPLOYEE:
            ordered += [member, *family.get(member.pk, [])]
    return ordered + [m for m in members if m.category == StaffMember.Category.LOCALLY_EMPLOYED]


def timeline(post: Post) -> QuerySet[PostDecision]:
    return post.decisions.select_related(
        "requested_by", "decided_by", "alternate_post", "advisory"
    ).order_by("-requested_at", "-id")


def open_request(post: Post) -> PostDecision | None:
    return (
        post.decisions.filter(state=PostDecision.State.REQUESTED)
        .select_related("requested_by", "advisory")
        .first()
    )


def hits_of(post: Post, limit: int = 20) -> QuerySet[TripwireHit]:
    return TripwireHit.objects.filter(tripwire__post=post).select_related("tripwire", "decision")[
        :limit
    ]


def departure_history(staff: StaffMember) -> QuerySet[DepartureEvent]:
    return staff.departures.select_related("author").order_by("occurred_at", "id")
