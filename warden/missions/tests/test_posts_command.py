"""``warden posts``."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from warden.missions import services
from warden.missions.tests.conftest import order_details

pytestmark = pytest.mark.django_db


def run() -> list[str]:
    out = StringIO()
    call_command("posts", stdout=out)
    return out.getvalue().splitlines()


def test_it_prints_every_post_with_status_temporary_flag_and_review_date(
    erin, bob, ankara, istanbul, level
):
    level(4)
    decision = services.decision_request(
        acting_user=erin, post=ankara, to_status="ordered_departure",
        details=order_details(review_date=date(2031, 1, 31)),
    )  # fmt: skip
    services.decision_approve(acting_user=bob, decision=decision)

    lines = run()

    assert lines[0].split() == ["Post", "Country", "Status", "Temporary", "Review", "date"]
    assert [line.split("  ")[0] for line in lines[1:]] == [
        "Consulate General in Istanbul",
        "Embassy in Ankara",
    ]
    assert lines[2].split()[-4:] == ["TR", "ordered_departure", "yes", "2031-01-31"]
    assert lines[1].split()[-4:] == ["TR", "normal", "no", "-"]


def test_it_says_when_there_are_no_posts(db):
    assert run() == ["No posts."]
