"""The pure rules, as tables: every status change, who leaves, every departure move."""

from __future__ import annotations

import itertools

import pytest

from warden.missions import rules
from warden.missions.models import DepartureState, PostStatus, Scope

S, D = PostStatus, DepartureState
N, W, AD, OD, SU, RE = (
    S.NORMAL,
    S.WATCH,
    S.AUTHORIZED_DEPARTURE,
    S.ORDERED_DEPARTURE,
    S.SUSPENDED,
    S.RESUMING,
)

# current -> every status it may move to; every other pair is refused.
ALLOWED = {
    N: {W, AD, OD, SU},
    W: {N, AD, OD, SU},
    AD: {N, W, OD, SU, RE},
    OD: {N, W, AD, SU, RE},
    SU: {N, W, AD, OD, RE},
    RE: {N, W, AD, OD, SU},
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(S, S)))
def test_every_status_change(current, target):
    assert rules.can_transition(current, target) is (target in ALLOWED[current])


def test_the_machine_walks_the_whole_path_and_steps_down_from_anywhere():
    path = [N, W, AD, OD, SU, RE, N]
    assert all(rules.can_transition(a, b) for a, b in itertools.pairwise(path))
    for rung, status in enumerate(rules.LADDER):
        assert all(rules.can_transition(status, lower) for lower in rules.LADDER[:rung])


def test_normal_and_watch_cannot_resume_because_nobody_left():
    assert not rules.can_transition(N, RE)
    assert not rules.can_transition(W, RE)


@pytest.mark.parametrize(
    ("target", "two_people", "matching"),
    [
        (N, False, False),
        (W, False, False),
        (AD, True, False),
        (OD, True, True),
        (SU, True, False),
        (RE, False, False),
    ],
)
def test_who_must_agree_and_when_the_advisory_must_match(target, two_people, matching):
    assert rules.needs_two_people(target) is two_people
    assert rules.needs_matching_advisory(target) is matching


# (category, emergency) -> covered by scopes (family, non-emergency, all)
SCOPES = [
    ("family_member", False, (True, True, True)),
    ("employee", False, (False, True, True)),
    ("employee", True, (False, False, True)),
    ("locally_employed", False, (False, False, False)),
]


@pytest.mark.parametrize(("category", "emergency", "covered"), SCOPES)
def test_who_a_scope_covers(category, emergency, covered):
    scopes = (Scope.FAMILY_MEMBERS, Scope.NON_EMERGENCY, Scope.ALL)
    got = tuple(rules.in_scope(category=category, is_emergency=emergency, scope=s) for s in scopes)
    assert got == covered


MOVES = {
    D.AT_POST: {D.ELIGIBLE, D.ORDERED, D.EXEMPT},
    D.ELIGIBLE: {D.DEPARTING, D.ORDERED, D.EXEMPT, D.AT_POST},
    D.ORDERED: {D.DEPARTING, D.ELIGIBLE, D.EXEMPT, D.AT_POST},
    D.DEPARTING: {D.IN_TRANSIT, D.AT_SAFE_HAVEN, D.AT_POST},
    D.IN_TRANSIT: {D.AT_SAFE_HAVEN},
    D.AT_SAFE_HAVEN: {D.RETURNED},
    D.RETURNED: {D.ELIGIBLE, D.ORDERED, D.EXEMPT},
    D.EXEMPT: {D.AT_POST, D.ELIGIBLE, D.ORDERED},
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(D, D)))
def test_every_departure_move(current, target):
    assert rules.can_move(current, target) is (target in MOVES[current])


def test_a_person_reports_only_their_journey_and_returns_only_once_it_is_lifted():
    assert rules.self_service_targets(D.ORDERED, OD) == [D.DEPARTING]
    assert rules.self_service_targets(D.DEPARTING, OD) == [D.IN_TRANSIT, D.AT_SAFE_HAVEN]
    assert rules.self_service_targets(D.AT_SAFE_HAVEN, OD) == []
    assert rules.self_service_targets(D.AT_SAFE_HAVEN, RE) == [D.RETURNED]
    assert rules.self_service_targets(D.AT_POST, N) == []


@pytest.mark.parametrize(
    ("target", "state"), [(AD, D.ELIGIBLE), (OD, D.ORDERED), (SU, D.ORDERED), (W, None), (N, None)]
)
def test_the_state_a_decision_puts_people_in(target, state):
    assert rules.departure_state_for(target) == state
