"""Official statements: list, editor, detail with the approval buttons."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warden.advisories import services
from warden.advisories.models import Statement, Status
from warden.advisories.rules import EDITABLE
from warden.console.access import StaffRequest, staff_required
from warden.console.forms import (
    ReturnForm,
    StatementForm,
    WithdrawForm,
    apply_errors,
    statement_initial,
)
from warden.console.selectors import (
    authors,
    object_events,
    statement_second_person_block,
    statements_for_console,
)
from warden.console.views.common import may, perform, require_draft_access

STATEMENT_ERROR_FIELDS = {"texts": f"title_{settings.LANGUAGE_CODE}", "edition_id": "edition"}


@staff_required("console.view")
def statements(request: StaffRequest) -> HttpResponse:
    rows = statements_for_console(include_drafts=may(request, "advisory.view_drafts"))
    return render(request, "console/statements.html", {"statements": rows})


def _save_statement(
    request: StaffRequest, form: StatementForm, statement: Statement | None
) -> Statement | None:
    if not form.is_valid():
        return None
    try:
        if statement is None:
            return services.statement_draft(
                acting_user=request.user,
                content=form.content(),
                is_exercise=bool(form.cleaned_data.get("is_exercise")),
            )
        return services.statement_revise(
            acting_user=request.user, statement=statement, content=form.content()
        )
    except ValidationError as invalid:
        apply_errors(form, invalid, STATEMENT_ERROR_FIELDS)
        return None


@staff_required("statement.draft")
def statement_new(request: StaffRequest) -> HttpResponse:
    initial = {"countries": request.GET.get("country", "").upper()[:2]}
    form = StatementForm(request.POST or None, initial=initial, allow_exercise=True)
    if request.method == "POST":
        statement = _save_statement(request, form, None)
        if statement is not None:
            messages.success(request, _("Statement saved as a draft."))
            return redirect("console:statement", pk=statement.pk)
    return render(request, "console/statement_form.html", {"form": form, "statement": None})


@staff_required("statement.draft")
def statement_edit(request: StaffRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(Statement, pk=pk)
    if statement.status not in EDITABLE:
        messages.error(request, _("Only a draft or a returned statement can be changed."))
        return redirect("console:statement", pk=pk)
    form = StatementForm(
        request.POST or None, initial=statement_initial(statement), allow_exercise=False
    )
    if request.method == "POST" and _save_statement(request, form, statement) is not None:
        messages.success(request, _("Statement saved."))
        return redirect("console:statement", pk=pk)
    return render(request, "console/statement_form.html", {"form": form, "statement": statement})


def _actions(request: StaffRequest, statement: Statement) -> dict[str, bool]:
    return {
        "edit": statement.status in EDITABLE and may(request, "statement.draft"),
        "submit": statement.status in EDITABLE and may(request, "statement.submit"),
        "decide": statement.status == Status.SUBMITTED and may(request, "statement.publish"),
        "withdraw": statement.status == Status.PUBLISHED and may(request, "statement.withdraw"),
    }


@staff_required("console.view")
def statement(request: StaffRequest, pk: int) -> HttpResponse:
    statement = get_object_or_404(
        Statement.objects.select_related(
            "author", "submitted_by", "published_by", "withdrawn_by", "edition__country"
        ),
        pk=pk,
    )
    require_draft_access(request, statement.status)
    return render(
        request,
        "console/statement.html",
        {
            "statement": statement,
            "texts": statement.texts.all(),
            "countries": statement.countries.all(),
            "authors": authors(statement),
            "events": object_events(statement),
            "two_person_reason": statement_second_person_block(request.user, statement),
            "actions": _actions(request, statement),
            "return_form": ReturnForm(),
            "withdraw_form": WithdrawForm(),
        },
    )


def _statement(pk: int) -> Statement:
    return get_object_or_404(Statement, pk=pk)


@staff_required("statement.submit")
@require_POST
def statement_submit(request: StaffRequest, pk: int) -> HttpResponse:
    statement = _statement(pk)
    perform(
        request,
        lambda: services.statement_submit(acting_user=request.user, statement=statement),
        _("Statement submitted for approval."),
    )
    return redirect("console:statement", pk=pk)


@staff_required("statement.publish")
@require_POST
def statement_publish(request: StaffRequest, pk: int) -> HttpResponse:
    statement = _statement(pk)
    perform(
        request,
        lambda: services.statement_publish(acting_user=request.user, statement=statement),
        _("Statement published."),
    )
    return redirect("console:statement", pk=pk)


@staff_required("statement.return")
@require_POST
def statement_return(request: StaffRequest, pk: int) -> HttpResponse:
    statement = _statement(pk)
    comment = request.POST.get("comment", "")
    perform(
        request,
        lambda: services.statement_return(
            acting_user=request.user, statement=statement, comment=comment
        ),
        _("Statement returned to the author with your comment."),
    )
    return redirect("console:statement", pk=pk)


@staff_required("statement.withdraw")
@require_POST
def statement_withdraw(request: StaffRequest, pk: int) -> HttpResponse:
    statement = _statement(pk)
    reason = request.POST.get("reason", "")
    perform(
        request,
        lambda: services.statement_withdraw(
            acting_user=request.user, statement=statement, reason=reason
        ),
        _("Statement withdrawn."),
    )
    return redirect("console:statement", pk=pk)
