"""Pure rules of drawdown: which status changes are allowed, who must agree, who leaves.

No database access here, so that every rule can be read in one place and tested as a table.
"""

from __future__ import annotations

from warden.missions.models import DepartureState, PostStatus, Scope, StaffMember

S = PostStatus
D = DepartureState

# The escalation ladder; ``resuming`` is the way back from a departure or a suspension.
LADDER: tuple[str, ...] = (
    S.NORMAL,
    S.WATCH,
    S.AUTHORIZED_DEPARTURE,
    S.ORDERED_DEPARTURE,
    S.SUSPENDED,
)
# Statuses from which people have left (or may have), so that they will have to come back.
DEPARTED = frozenset({S.AUTHORIZED_DEPARTURE, S.ORDERED_DEPARTURE, S.SUSPENDED})
# Decisions that need a requester and a different approver.
TWO_PERSON = frozenset({S.AUTHORIZED_DEPARTURE, S.ORDERED_DEPARTURE, S.SUSPENDED})
# Level the public advisory must have reached before staff are ordered to leave.
MATCHING_LEVEL = 3


# Statuses a tripwire hit raises to watch; a post at watch or above stays where it is.
BELOW_WATCH = frozenset({S.NORMAL, S.RESUMING})


def allowed_targets(current: str) -> frozenset[str]:
    """Where a post may go from ``current``: any rung up or down the ladder, and resuming
    after people have left; from resuming, back to normal or up again."""
    if current == S.RESUMING:
        return frozenset(LADDER)
    targets = {status for status in LADDER if status != current}
    if current in DEPARTED:
        targets.add(S.RESUMING)
    return frozenset(targets)


def can_transition(current: str, target: str) -> bool:
    return target in allowed_targets(current)


def needs_two_people(target: str) -> bool:
    return target in TWO_PERSON


def needs_matching_advisory(target: str) -> bool:
    """No double standard: staff are ordered out only if citizens are told to leave too."""
    return target == S.ORDERED_DEPARTURE


def in_scope(*, category: str, is_emergency: bool, scope: str) -> bool:
    """Whether a staff member is covered by a departure of ``scope``.

    Locally employed staff live in the country and are never part of a drawdown.
    """
    if category == StaffMember.Category.LOCALLY_EMPLOYED:
        return False
    if category == StaffMember.Category.FAMILY_MEMBER:
        return True
    if scope == Scope.FAMILY_MEMBERS:
        return False
    return scope == Scope.ALL or not is_emergency


# Departure states: from -> states it may move to.
DEPARTURE_TRANSITIONS: dict[str, frozenset[str]] = {
    D.AT_POST: frozenset({D.ELIGIBLE, D.ORDERED, D.EXEMPT}),
    D.ELIGIBLE: frozenset({D.DEPARTING, D.ORDERED, D.EXEMPT, D.AT_POST}),
    D.ORDERED: frozenset({D.DEPARTING, D.ELIGIBLE, D.EXEMPT, D.AT_POST}),
    D.DEPARTING: frozenset({D.IN_TRANSIT, D.AT_SAFE_HAVEN, D.AT_POST}),
    D.IN_TRANSIT: frozenset({D.AT_SAFE_HAVEN}),
    D.AT_SAFE_HAVEN: frozenset({D.RETURNED}),
    D.RETURNED: frozenset({D.ELIGIBLE, D.ORDERED, D.EXEMPT}),
    D.EXEMPT: frozenset({D.AT_POST, D.ELIGIBLE, D.ORDERED}),
}
# What a person may report about themselves through their link; the rest is decided.
SELF_REPORTED = frozenset({D.DEPARTING, D.IN_TRANSIT, D.AT_SAFE_HAVEN, D.RETURNED})
# People may come back only once the departure is lifted.
RETURN_ALLOWED_IN = frozenset({S.NORMAL, S.WATCH, S.RESUMING})
# States of people who have not left: a lifted departure puts them back at post.
NOT_LEFT = frozenset({D.ELIGIBLE, D.ORDERED})
# States a decision may move people out of: nobody who has left or is exempt.
MAY_BE_MOVED = frozenset({D.AT_POST, D.RETURNED, D.ELIGIBLE, D.ORDERED})
# States of people who are away from post.
AWAY = frozenset({D.DEPARTING, D.IN_TRANSIT, D.AT_SAFE_HAVEN})


def can_move(current: str, target: str) -> bool:
    return target in DEPARTURE_TRANSITIONS[DepartureState(current)]


def self_service_targets(current: str, post_status: str) -> list[str]:
    """The states a person may choose on their own link, in the order of the journey."""
    allowed = DEPARTURE_TRANSITIONS[DepartureState(current)] & SELF_REPORTED
    if post_status not in RETURN_ALLOWED_IN:
        allowed -= {D.RETURNED}
    return [state for state in DepartureState.values if state in allowed]


def departure_state_for(target: str) -> str | None:
    """The state a decision puts the people in its scope into (None: no change)."""
    if target == S.AUTHORIZED_DEPARTURE:
        return D.ELIGIBLE
    if target in (S.ORDERED_DEPARTURE, S.SUSPENDED):
        return D.ORDERED
    return None
