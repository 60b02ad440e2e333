"""A state machine over the workflow: whatever sequence of actions staff take, nothing at
level 3 or higher is published or withdrawn by one of its own authors, and an exercise
edition never becomes the actual level."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from warden.advisories import services
from warden.advisories.models import Edition, Status
from warden.advisories.rules import needs_second_person
from warden.test import content

USERS = ["alice", "bob", "carol", "mallory"]
EXPECTED = (PermissionDenied, ValidationError)


class WorkflowMachine(RuleBasedStateMachine):
    cast: ClassVar[dict[str, Any]] = {}
    country: ClassVar[Any] = None

    editions = Bundle("editions")

    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.exercise_ids: set[int] = set()
        self.actual_ids: set[int] = set()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def _try(self, fn: Any, **kwargs: Any) -> Any:
        try:
            with transaction.atomic():
                return fn(**kwargs)
        except EXPECTED:
            return None

    @rule(
        target=editions,
        user=st.sampled_from(USERS),
        level=st.integers(1, 4),
        exercise=st.booleans(),
    )
    def draft(self, user: str, level: int, exercise: bool) -> Any:
        edition = self._try(
            services.edition_draft,
            acting_user=self.cast[user],
            country=self.country,
            content=content(level),
            is_exercise=exercise,
        )
        if edition is not None:
            (self.exercise_ids if exercise else self.actual_ids).add(edition.pk)
        return edition

    @rule(edition=editions, user=st.sampled_from(USERS), level=st.integers(1, 4))
    def revise(self, edition: Edition | None, user: str, level: int) -> None:
        if edition is not None:
            self._try(
                services.edition_revise,
                acting_user=self.cast[user],
                edition=edition,
                content=content(level),
            )

    @rule(edition=editions, user=st.sampled_from(USERS))
    def submit(self, edition: Edition | None, user: str) -> None:
        if edition is not None:
            self._try(services.edition_submit, acting_user=self.cast[user], edition=edition)

    @rule(edition=editions, user=st.sampled_from(USERS))
    def publish(self, edition: Edition | None, user: str) -> None:
        if edition is not None:
            self._try(services.edition_publish, acting_user=self.cast[user], edition=edition)

    @rule(edition=editions, user=st.sampled_from(USERS))
    def send_back(self, edition: Edition | None, user: str) -> None:
        if edition is not None:
            self._try(
                services.edition_return,
                acting_user=self.cast[user],
                edition=edition,
                comment="Please check the wording.",
            )

    @rule(edition=editions, user=st.sampled_from(USERS))
    def withdraw(self, edition: Edition | None, user: str) -> None:
        if edition is not None:
            self._try(
                services.edition_withdraw,
                acting_user=self.cast[user],
                edition=edition,
                reason="Issued in error.",
            )

    @staticmethod
    def _authors(edition: Edition) -> set[int]:
        ids = {edition.author_id, *edition.contributors.values_list("pk", flat=True)}
        if edition.submitted_by_id:
            ids.add(edition.submitted_by_id)
        return ids

    @invariant()
    def high_levels_always_had_a_second_person(self) -> None:
        for edition in Edition.objects.exclude(published_by=None):
            levels = [edition.level, edition.previous.level if edition.previous else None]
            if needs_second_person(levels):
                assert edition.published_by_id not in self._authors(edition)
            if edition.status == Status.WITHDRAWN and needs_second_person(levels):
                assert edition.withdrawn_by_id not in self._authors(edition)

    @invariant()
    def exercise_never_becomes_actual(self) -> None:
        for edition in Edition.objects.filter(pk__in=self.exercise_ids):
            assert edition.is_exercise
        current = services.current_edition(self.country)
        if current is not None:
            assert not current.is_exercise
            assert current.pk in self.actual_ids
            chain = current.previous
            while chain is not None:
                assert not chain.is_exercise
                chain = chain.previous

    @invariant()
    def one_current_edition_per_mode(self) -> None:
        for exercise in (False, True):
            published = Edition.objects.filter(
                country=self.country, is_exercise=exercise, status=Status.PUBLISHED
            )
            assert published.count() <= 1


@pytest.mark.django_db
def test_workflow_state_machine(cast, authority, turkey):
    WorkflowMachine.cast = cast
    WorkflowMachine.country = turkey
    run_state_machine_as_test(
        WorkflowMachine,
        settings=settings(
            max_examples=60,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
