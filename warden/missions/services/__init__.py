"""Writes for missions. Import from here: ``from warden.missions import services``.

Every function checks the acting user's role, runs in one transaction and writes its
audit event. Serious status changes take two people::

    decision = services.decision_request(acting_user=erin, post=ankara,
        to_status="ordered_departure", details=services.DecisionDetails(
            reasons="...", scope="non_emergency", deadline=..., safe_haven="Athens",
            is_temporary=True, review_date=date(2023, 11, 19)))
    services.decision_approve(acting_user=bob, decision=decision)  # not erin
"""

from warden.missions.services.decisions import (
    TwoPersonRuleError,
    decision_approve,
    decision_cancel,
    decision_reject,
    decision_request,
    drawdown_remind,
    status_change,
)
from warden.missions.services.departures import departure_report, departure_update
from warden.missions.services.details import DecisionDetails
from warden.missions.services.posts import (
    PostDetails,
    StaffDetails,
    after_action_report_write,
    post_create,
    report_due,
    staff_add,
)
from warden.missions.services.tripwires import (
    tripwire_create,
    tripwire_deactivate,
    tripwire_pull,
    tripwires_check,
    tripwires_evaluate,
)

__all__ = [
    "DecisionDetails",
    "PostDetails",
    "StaffDetails",
    "TwoPersonRuleError",
    "after_action_report_write",
    "decision_approve",
    "decision_cancel",
    "decision_reject",
    "decision_request",
    "departure_report",
    "departure_update",
    "drawdown_remind",
    "post_create",
    "report_due",
    "staff_add",
    "status_change",
    "tripwire_create",
    "tripwire_deactivate",
    "tripwire_pull",
    "tripwires_check",
    "tripwires_evaluate",
]
