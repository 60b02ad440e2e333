"""Console pages of cases (the queue, one case) and of officers' entries."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warden.accounts.roles import can
from warden.alerting.models import Delivery
from warden.console.access import StaffRequest, staff_required
from warden.console.views.common import perform
from warden.people.models import Person
from warden.people.selectors import person_find, person_with_details
from warden.welfare import selectors
from warden.welfare.forms import (
    AssignForm,
    CaseNoteForm,
    FindPersonForm,
    OfficerAnswerForm,
    ResolveForm,
    SeverityForm,
)
from warden.welfare.models import Case, RoundMember, WelfareEvent
from warden.welfare.scope import visible_cases
from warden.welfare.services import (
    case_assign,
    case_note_add,
    case_resolve,
    case_severity_set,
    officer_answer_record,
)

HISTORY = 50


@staff_required("welfare.view")
def queue(request: StaffRequest) -> HttpResponse:
    cases = list(selectors.case_queue(request.user)[:500])
    return render(request, "welfare/console/cases.html", {"cases": cases})


def _case(request: StaffRequest, pk: int) -> Case:
    return get_object_or_404(
        visible_cases(request.user).select_related("person", "round", "country", "assigned_to"),
        pk=pk,
    )


def _history(person: Person) -> list[tuple[str, object, str, str]]:
    """(kind, time, what, how) of the person's answers and of the messages sent to them."""
    lines: list[tuple[str, object, str, str]] = []
    events = WelfareEvent.objects.filter(person=person).select_related("author")
    for event in events.order_by("-at", "-id")[:HISTORY]:
        who = event.author.get_username() if event.author else ""
        lines.append(
            (
                "answer",
                event.at,
                event.get_status_display(),
                event.get_channel_display() + (f" ({who})" if who else ""),
            )
        )
    deliveries = Delivery.objects.filter(person=person).exclude(sent_at__isnull=True)
    for delivery in deliveries.select_related("message").order_by("-sent_at", "-id")[:HISTORY]:
        lines.append(
            (
                "message",
                delivery.sent_at,
                delivery.message.get_kind_display(),
                f"{delivery.get_channel_display()}, {delivery.get_state_display()}",
            )
        )
    return sorted(lines, key=lambda line: line[1], reverse=True)  # type: ignore[arg-type,return-value]


@staff_required("welfare.view")
def case_detail(request: StaffRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    return render(
        request,
        "welfare/console/case.html",
        {
            "case": case,
            "person": person_with_details(case.person_id),
            "notes": case.notes.select_related("author"),
            "history": _history(case.person),
            "may_work": can(request.user, "welfare.case") and not case.is_resolved,
            "assign_form": AssignForm(initial={"officer": case.assigned_to_id or request.user.pk}),
            "severity_form": SeverityForm(initial={"severity": case.severity}),
            "note_form": CaseNoteForm(),
            "resolve_form": ResolveForm(),
        },
    )


def _case_action(
    request: StaffRequest,
    pk: int,
    form_class: type[forms.Form],
    act: Callable[..., object],
    done: str,
) -> HttpResponse:
    case = _case(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        perform(request, lambda: act(case, form.cleaned_data), done)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("console:welfare_case", pk=case.pk)


@require_POST
@staff_required("welfare.case")
def case_assign_view(request: StaffRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        AssignForm,
        lambda case, data: case_assign(
            acting_user=request.user, case=case, officer=data["officer"]
        ),
        _("The case is assigned."),
    )


@require_POST
@staff_required("welfare.case")
def case_severity_view(request: StaffRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        SeverityForm,
        lambda case, data: case_severity_set(
            acting_user=request.user, case=case, severity=data["severity"]
        ),
        _("The severity is changed."),
    )


@require_POST
@staff_required("welfare.case")
def case_note_view(request: StaffRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        CaseNoteForm,
        lambda case, data: case_note_add(
            acting_user=request.user, case=case, text=data["text"], kind=data["kind"]
        ),
        _("The note is added."),
    )


@require_POST
@staff_required("welfare.case")
def case_resolve_view(request: StaffRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        ResolveForm,
        lambda case, data: case_resolve(
            acting_user=request.user, case=case, resolution=data["resolution"], note=data["note"]
        ),
        _("The case is resolved."),
    )


# --- Officers' entries ----------------------------------------------------------------


@staff_required("welfare.record")
def find_person(request: StaffRequest) -> HttpResponse:
    form = FindPersonForm(request.GET or None)
    people: list[Person] = []
    if form.is_valid():
        people = list(
            person_find(channel=form.cleaned_data["channel"], value=form.cleaned_data["value"])[:20]
        )
    return render(
        request,
        "welfare/console/find.html",
        {"form": form, "people": people, "searched": form.is_bound},
    )


@staff_required("welfare.record")
def person_answer(request: StaffRequest, pk: int) -> HttpResponse:
    """Record what an officer learned ("reached by phone")."""
    person = person_with_details(pk)
    if person is None:
        raise Http404
    form = OfficerAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = perform(
            request,
            lambda: officer_answer_record(
                acting_user=request.user,
                person=person,
                status=data["status"],
                note=data["note"],
                place=data["place"],
                left_to=data["left_to"],
            ),
            _("The answer is recorded."),
        )
        if done:
            return redirect("console:welfare_person_answer", pk=person.pk)
    events = WelfareEvent.objects.filter(person=person).select_related("author", "left_to")
    memberships = RoundMember.objects.filter(person=person).select_related("round")
    return render(
        request,
        "welfare/console/person_answer.html",
        {
            "person": person,
            "form": form,
            "events": events.order_by("-at", "-id")[:HISTORY],
            "memberships": memberships.order_by("-round__opened_at")[:20],
        },
    )
