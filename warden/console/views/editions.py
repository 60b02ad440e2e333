"""The edition editor (new draft, edit), its live preview, and the approval screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from warden.advisories import services
from warden.advisories.diff import edition_diff
from warden.advisories.models import Authority, Edition, Status
from warden.advisories.rules import EDITABLE
from warden.advisories.selectors import notification_audience_count
from warden.advisories.services import EditionContent, edition_content
from warden.alerting.models import Message
from warden.alerting.services import notify_by_default
from warden.console.access import StaffRequest, staff_required
from warden.console.forms import (
    EDITION_ERROR_FIELDS,
    AreaFormSet,
    EditionForm,
    ReturnForm,
    WithdrawForm,
    apply_errors,
    areas_initial,
    edition_initial,
    formset_areas,
)
from warden.console.preview import edition_texts, preview_texts
from warden.console.selectors import (
    authors,
    comparison_base,
    object_events,
    second_person_block,
)
from warden.console.views.common import may, require_draft_access
from warden.geo.models import Country

Editor = tuple[EditionForm, Any]


def _editor(
    request: StaffRequest,
    *,
    country: Country,
    authority: Authority,
    content: EditionContent | None,
    as_new: bool,
) -> Editor:
    data = request.POST if request.method == "POST" else None
    form = EditionForm(
        data,
        initial=edition_initial(content, as_new=as_new) if content else {},
        authority=authority,
        allow_exercise=as_new,
    )
    formset = AreaFormSet(
        data,
        prefix="areas",
        initial=areas_initial(content) if content else [],
        form_kwargs={"country": country, "authority": authority},
    )
    return form, formset


def _entered(editor: Editor) -> EditionContent:
    form, formset = editor
    form.is_valid()
    formset.is_valid()
    return form.content(formset_areas(formset))


def _save(editor: Editor, write: Callable[[EditionContent], Edition]) -> Edition | None:
    form, formset = editor
    if not (form.is_valid() and formset.is_valid()):
        return None
    try:
        return write(form.content(formset_areas(formset)))
    except ValidationError as invalid:
        apply_errors(form, invalid, EDITION_ERROR_FIELDS)
        return None


def _render_editor(
    request: StaffRequest,
    editor: Editor,
    *,
    country: Country,
    authority: Authority,
    edition: Edition | None,
    content: EditionContent | None,
) -> HttpResponse:
    form, formset = editor
    shown = _entered(editor) if form.is_bound else content
    return render(
        request,
        "console/edition_form.html",
        {
            "form": form,
            "formset": formset,
            "country": country,
            "edition": edition,
            "authority": authority,
            "area_errors": _area_errors(formset),
            "texts": preview_texts(shown, authority=authority, country=country) if shown else [],
            "exercise": edition.is_exercise if edition else _checked(form, "is_exercise"),
        },
    )


def _checked(form: EditionForm, name: str) -> bool:
    return bool(form.is_bound and getattr(form, "cleaned_data", {}).get(name))


def _area_errors(formset: Any) -> list[str]:
    if not formset.is_bound:
        return []
    errors = [str(e) for e in formset.non_form_errors()]
    if any(form.errors for form in formset.forms):
        errors.append(_("Check the areas with their own level: a row has a problem."))
    return errors


def _default_authority(request: StaffRequest) -> Authority | None:
    try:
        return services.default_authority()
    except ValidationError as missing:
        messages.error(request, " ".join(missing.messages))
        return None


@staff_required("advisory.draft")
def edition_new(request: StaffRequest, code: str) -> HttpResponse:
    country = get_object_or_404(Country, pk=code.upper())
    authority = _default_authority(request)
    if authority is None:
        return redirect("console:country", code=country.pk)
    current = services.current_edition(country)
    content = edition_content(current) if current else None
    editor = _editor(request, country=country, authority=authority, content=content, as_new=True)
    if request.method == "POST" and "preview" not in request.POST:
        edition = _save(
            editor,
            lambda c: services.edition_draft(
                acting_user=request.user,
                country=country,
                content=c,
                authority=authority,
                is_exercise=bool(editor[0].cleaned_data.get("is_exercise")),
            ),
        )
        if edition is not None:
            messages.success(request, _("Draft saved. Submit it for approval when it is ready."))
            return redirect("console:edition", pk=edition.pk)
    return _render_editor(
        request, editor, country=country, authority=authority, edition=None, content=content
    )


@staff_required("advisory.draft")
def edition_edit(request: StaffRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition.objects.select_related("country", "authority"), pk=pk)
    if edition.status not in EDITABLE:
        messages.error(request, _("Only a draft or a returned edition can be changed."))
        return redirect("console:edition", pk=edition.pk)
    content = edition_content(edition)
    editor = _editor(
        request, country=edition.country, authority=edition.authority, content=content, as_new=False
    )
    if request.method == "POST" and "preview" not in request.POST:
        saved = _save(
            editor,
            lambda c: services.edition_revise(acting_user=request.user, edition=edition, content=c),
        )
        if saved is not None:
            messages.success(request, _("Draft saved."))
            return redirect("console:edition", pk=edition.pk)
    return _render_editor(
        request,
        editor,
        country=edition.country,
        authority=edition.authority,
        edition=edition,
        content=content,
    )


@staff_required("advisory.draft")
@require_POST
def edition_preview(request: StaffRequest, code: str) -> HttpResponse:
    """The preview fragment for the editor's script; the editor's Preview button without JS."""
    country = get_object_or_404(Country, pk=code.upper())
    authority = _default_authority(request)
    if authority is None:
        return HttpResponse(status=409)
    editor = _editor(request, country=country, authority=authority, content=None, as_new=True)
    texts = preview_texts(_entered(editor), authority=authority, country=country)
    exercise = bool(editor[0].cleaned_data.get("is_exercise"))
    return render(
        request,
        "console/_preview.html",
        {"texts": texts, "authority_id": authority.pk, "exercise": exercise},
    )


def _actions(request: StaffRequest, edition: Edition) -> dict[str, bool]:
    return {
        "edit": edition.status in EDITABLE and may(request, "advisory.draft"),
        "submit": edition.status in EDITABLE and may(request, "advisory.submit"),
        "decide": edition.status == Status.SUBMITTED and may(request, "advisory.publish"),
        "withdraw": edition.status == Status.PUBLISHED and may(request, "advisory.withdraw"),
    }


@staff_required("console.view")
def edition(request: StaffRequest, pk: int) -> HttpResponse:
    edition = get_object_or_404(
        Edition.objects.select_related(
            "country",
            "authority",
            "author",
            "submitted_by",
            "published_by",
            "withdrawn_by",
            "previous",
        ),
        pk=pk,
    )
    require_draft_access(request, edition.status)
    base = comparison_base(edition)
    return render(
        request,
        "console/edition.html",
        {
            "edition": edition,
            "texts": edition_texts(edition),
            "areas": edition.areas.select_related("subdivision", "custom_area"),
            "base": base,
            "diff": edition_diff(base, edition),
            "audience": notification_audience_count(edition),
            "notify_default": notify_by_default(edition.level, is_minor=edition.is_minor),
            "messages_sent": Message.objects.filter(edition=edition).order_by("id"),
            "authors": authors(edition),
            "events": object_events(edition),
            "two_person_reason": second_person_block(request.user, edition),
            "actions": _actions(request, edition),
            "return_form": ReturnForm(),
            "withdraw_form": WithdrawForm(),
        },
    )
