"""Cases: "I need help" opens one (or adds to the person's open one); officers take it,
write notes and contact attempts, and resolve it. Every change is audited."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize, can
from warden.audit.services import record
from warden.welfare.models import Case, CaseNote, CheckInRound, WelfareEvent
from warden.welfare.scope import check_scope

NOTE_MAX = 5000


def case_open(*, event: WelfareEvent, round: CheckInRound | None, country_id: str | None) -> Case:
    """The person's unresolved case, or a new one (the system opens it from an answer)."""
    existing = (
        Case.objects.select_for_update()
        .filter(person_id=event.person_id)
        .exclude(state=Case.State.RESOLVED)
    )
    case = existing.first()
    if case is not None:
        CaseNote.objects.create(
            case=case, kind=CaseNote.Kind.MESSAGE, text=_("Asked for help again.")
        )
        record(actor=None, action="welfare.case.again", obj=case, after={"event": event.pk})
        return case
    case = Case.objects.create(
        person_id=event.person_id,
        round=round,
        country_id=country_id,
        event=event,
        opened_at=event.at,
    )
    record(
        actor=None,
        action="welfare.case.open",
        obj=case,
        after={"person": event.person_id, "round": round.pk if round else None, "event": event.pk},
    )
    return case


def _editable(acting_user: User, case: Case) -> Case:
    authorize(acting_user, "welfare.case")
    check_scope(acting_user, case.country_id)
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.is_resolved:
        raise ValidationError(_("This case is resolved. A new request for help opens a new one."))
    return locked


@transaction.atomic
def case_assign(*, acting_user: User, case: Case, officer: User) -> Case:
    """Give the case to ``officer`` (who must be able to work cases)."""
    case = _editable(acting_user, case)
    if not can(officer, "welfare.case"):
        raise ValidationError({"officer": _("This person cannot work on cases.")})
    before = {"state": case.state, "assigned_to": case.assigned_to_id}
    case.assigned_to = officer
    case.assigned_at = timezone.now()
    case.state = Case.State.ASSIGNED
    case.save(update_fields=["assigned_to", "assigned_at", "state"])
    record(
        actor=acting_user,
        action="welfare.case.assign",
        obj=case,
        before=before,
        after={"state": case.state, "assigned_to": officer.pk},
    )
    return case


@transaction.atomic
def case_severity_set(*, acting_user: User, case: Case, severity: int) -> Case:
    case = _editable(acting_user, case)
    if severity not in Case.Severity.values:
        raise ValidationError({"severity": _("Choose a severity from the list.")})
    before = {"severity": case.severity}
    case.severity = severity
    case.save(update_fields=["severity"])
    record(
        actor=acting_user,
        action="welfare.case.severity",
        obj=case,
        before=before,
        after={"severity": severity},
    )
    return case


@transaction.atomic
def case_note_add(*, acting_user: User, case: Case, text: str, kind: str = "note") -> CaseNote:
    """A note or a contact attempt. The text is personal data: not in the audit row."""
    case = _editable(acting_user, case)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Write the note.")})
    if len(text) > NOTE_MAX:
        raise ValidationError(
            {"text": _("Keep the note under %(max)d characters.") % {"max": NOTE_MAX}}
        )
    if kind not in CaseNote.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of note from the list.")})
    note = CaseNote.objects.create(case=case, kind=kind, text=text, author=acting_user)
    record(
        actor=acting_user,
        action="welfare.case.note",
        obj=case,
        after={"note": note.pk, "kind": kind},
    )
    return note


@transaction.atomic
def case_resolve(*, acting_user: User, case: Case, resolution: str, note: str = "") -> Case:
    case = _editable(acting_user, case)
    if resolution not in Case.Resolution.values:
        raise ValidationError({"resolution": _("Choose how the case ended.")})
    before = {"state": case.state}
    case.state = Case.State.RESOLVED
    case.resolution = resolution
    case.resolved_at = timezone.now()
    case.resolved_by = acting_user
    case.save(update_fields=["state", "resolution", "resolved_at", "resolved_by"])
    if note.strip():
        CaseNote.objects.create(case=case, text=note.strip()[:NOTE_MAX], author=acting_user)
    record(
        actor=acting_user,
        action="welfare.case.resolve",
        obj=case,
        before=before,
        after={"state": case.state, "resolution": resolution},
    )
    return case
