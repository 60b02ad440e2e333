"""Public pages behind the answer links: no sign-in, the signed token is the credential.

Opening a link never records an answer by itself: mail security scanners fetch every link
in a message. The page asks for one click (and an optional note); the POST records it.
"""

from __future__ import annotations

from django import forms
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from warden.alerting.links import ANSWERS, delivery_for_token
from warden.alerting.models import Delivery, Message
from warden.geo.models import Country
from warden.welfare.models import Status, WelfareEvent
from warden.welfare.services import NOTE_MAX, answer_record


class AnswerForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Anything we should know? (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    left_to = forms.ModelChoiceField(
        label=gettext_lazy("Where did you go? (optional)"),
        queryset=Country.objects.order_by("name"),
        required=False,
    )


def _delivery(token: str) -> tuple[Delivery | None, str]:
    try:
        pk = delivery_for_token(token)
    except signing.SignatureExpired:
        return None, _("This link has expired. Reply to the latest message, or call us.")
    except (signing.BadSignature, ValueError):
        return None, _("This link is not valid. Use the link exactly as it came in the message.")
    delivery = Delivery.objects.select_related("message", "person").filter(pk=pk).first()
    if delivery is None:
        return None, _("This link is no longer valid: the registration it was for was deleted.")
    if delivery.message.state == Message.State.CANCELLED:
        return None, _("The message with this link was cancelled; no answer is needed to it.")
    return delivery, ""


def _refused(request: HttpRequest, error: str) -> HttpResponse:
    return render(request, "alerting/answer.html", {"error": error}, status=400)


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The three answers as buttons."""
    delivery, error = _delivery(token)
    if delivery is None:
        return _refused(request, error)
    return render(
        request,
        "alerting/answer.html",
        {"token": token, "choices": Status.choices, "message": delivery.message},
    )


def answer_choice(request: HttpRequest, token: str, answer: str) -> HttpResponse:
    """One answer: confirm with one click (GET), recorded on POST."""
    if answer not in ANSWERS:
        return _refused(request, _("Choose one of the answers in the message."))
    delivery, error = _delivery(token)
    if delivery is None:
        return _refused(request, error)
    form = AnswerForm(request.POST or None)
    context = {
        "token": token,
        "answer": answer,
        "label": Status(answer).label,
        "form": form,
        "message": delivery.message,
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "alerting/answer_confirm.html", context, status=400)
        answer_record(
            person=delivery.person,
            status=answer,
            channel=WelfareEvent.Channel.LINK,
            delivery=delivery,
            note=form.cleaned_data["note"],
            left_to=form.cleaned_data["left_to"] if answer == Status.LEFT else None,
        )
        return render(request, "alerting/answer_done.html", context)
    return render(request, "alerting/answer_confirm.html", context)
