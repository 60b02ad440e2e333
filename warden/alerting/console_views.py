"""Console pages of alerting: messages with live progress, deliveries and their attempts,
cancel and correct, and the sandbox inbox."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from warden.alerting import selectors
from warden.alerting.models import Attempt, Delivery, Message, SandboxMessage
from warden.alerting.render import preview
from warden.alerting.services import MessageText, message_cancel
from warden.console.access import StaffRequest, staff_required
from warden.console.views.common import may, perform
from warden.people.models import Channel

EML_SHOWN = 200
TEXTS_SHOWN = 200


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why cancel?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    title_en = forms.CharField(
        label=gettext_lazy("Correction title (English)"), required=False, max_length=200
    )
    body_en = forms.CharField(
        label=gettext_lazy("Correction text (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    title_he = forms.CharField(
        label=gettext_lazy("Correction title (Hebrew)"), required=False, max_length=200
    )
    body_he = forms.CharField(
        label=gettext_lazy("Correction text (Hebrew)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def correction(self) -> dict[str, MessageText] | None:
        texts = {}
        for language in ("en", "he"):
            title = self.cleaned_data.get(f"title_{language}", "").strip()
            body = self.cleaned_data.get(f"body_{language}", "").strip()
            if title or body:
                if not (title and body):
                    raise forms.ValidationError(_("A correction needs both a title and a text."))
                texts[language] = MessageText(title=title, body=body)
        return texts or None


@staff_required("message.view")
def messages_list(request: StaffRequest) -> HttpResponse:
    rows = [(m, selectors.progress(m)) for m in selectors.messages_for_console(50)]
    return render(request, "alerting/console/messages.html", {"rows": rows})


@staff_required("message.view")
def message_detail(request: StaffRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(
        Message.objects.select_related("country", "edition", "statement", "corrects"), pk=pk
    )
    state = request.GET.get("state", "")
    if state and state not in Delivery.State.values:
        state = ""
    deliveries = [
        (d, selectors.mask(d.contact_point.value, d.channel))
        for d in selectors.deliveries_for_console(message, state).select_related("contact_point")
    ]
    language = (
        request.LANGUAGE_CODE
        if request.LANGUAGE_CODE in message.texts
        else next(iter(message.texts))
    )
    previews = [(label, preview(message, language, channel)) for channel, label in Channel.choices]
    return render(
        request,
        "alerting/console/message.html",
        {
            "message": message,
            "progress": selectors.progress(message),
            "deliveries": deliveries,
            "state": state,
            "states": Delivery.State.choices,
            "previews": previews,
            "cancel_form": CancelForm(),
            "can_cancel": may(request, "message.cancel") and not message.is_cancelled,
            "corrections": message.corrections.all(),
        },
    )


@staff_required("message.view")
def message_progress(request: StaffRequest, pk: int) -> JsonResponse:
    message = get_object_or_404(Message, pk=pk)
    data = selectors.progress(message).as_dict() | {"state": message.state}
    return JsonResponse(data)


@staff_required("message.cancel")
@require_POST
def message_cancel_view(request: StaffRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(Message, pk=pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            correction = form.correction()
        except forms.ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            perform(
                request,
                lambda: message_cancel(
                    acting_user=request.user,
                    message=message,
                    reason=form.cleaned_data["reason"],
                    correction=correction,
                ),
                _("Cancelled: no more deliveries of this message will be sent."),
            )
            return redirect("console:message", pk=message.pk)
    for error in [*form.non_field_errors(), *form.errors.get("reason", [])]:
        messages.error(request, str(error))
    return redirect("console:message", pk=message.pk)


@staff_required("message.view")
def delivery_detail(request: StaffRequest, pk: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery.objects.select_related("message", "contact_point"), pk=pk)
    return render(
        request,
        "alerting/console/delivery.html",
        {
            "delivery": delivery,
            "address": selectors.mask(delivery.contact_point.value, delivery.channel),
            "attempts": Attempt.objects.filter(delivery=delivery).order_by("number", "id"),
        },
    )


def _mail_directory() -> Path:
    from warden.demo.environment import mail_directory

    return mail_directory()


def _texts() -> list[dict[str, Any]]:
    from warden.demo.environment import text_log
    from warden.demo.textlog import last_texts

    return last_texts(text_log(), TEXTS_SHOWN)


def _eml_files() -> list[Path]:
    directory = _mail_directory()
    if not directory.is_dir():
        return []
    return sorted(directory.glob("*.eml"), reverse=True)[:EML_SHOWN]


def _summary(path: Path) -> dict[str, str]:
    with path.open("rb") as handle:
        parsed = email.message_from_binary_file(handle, policy=email.policy.default)
    return {
        "name": path.name,
        "to": str(parsed["To"] or ""),
        "subject": str(parsed["Subject"] or ""),
        "delivery": str(parsed["X-Warden-Delivery"] or ""),
    }


@staff_required("message.view")
def sandbox(request: StaffRequest) -> HttpResponse:
    """What the sandbox channel kept, and the mail and texts the demo's SMTP sink and SMS
    gateway stub received."""
    page = Paginator(SandboxMessage.objects.order_by("-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "alerting/console/sandbox.html",
        {
            "page": page,
            "mails": [_summary(p) for p in _eml_files()],
            "texts": _texts(),
            "debug": settings.DEBUG,
        },
    )


@staff_required("message.view")
def sandbox_message(request: StaffRequest, pk: int) -> HttpResponse:
    kept = get_object_or_404(SandboxMessage, pk=pk)
    return render(request, "alerting/console/sandbox_message.html", {"kept": kept})


@staff_required("message.view")
def sandbox_mail(request: StaffRequest, name: str) -> HttpResponse:
    path = _mail_directory() / name
    if "/" in name or not name.endswith(".eml") or not path.is_file():
        raise Http404(_("No such mail."))
    with path.open("rb") as handle:
        parsed = email.message_from_binary_file(handle, policy=email.policy.default)
    body = parsed.get_body(("plain",))
    text = body.get_content() if body is not None else ""
    return render(
        request,
        "alerting/console/sandbox_mail.html",
        {"mail": _summary(path), "text": text, "headers": list(parsed.items())},
    )
