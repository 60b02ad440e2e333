"""Public pages behind the answer links: no sign-in, the signed token is the credential.

Opening a link never records an answer by itself: mail security scanners fetch every link
in a message. The page asks for one click (and an optional note); the POST takes the answer
(``welfare.services.inbox``) and shows the thank-you page. That page is the same for everyone
who gave the answer: its language links lead to it (``answer_thanks``) and not back to the
person's link, so it is rendered once per answer and language and kept in the cache.

The pages are small and set no cookie: a layout of their own (``answer_base.html``) with
plain language links, and no CSRF cookie — the unguessable token in the path already keeps
another site from posting an answer, and a person in danger must never meet "CSRF
verification failed" because a mail app's browser dropped a cookie (decisions/0014).
"""

from __future__ import annotations

from django import forms
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from warden.alerting.links import ANSWERS
from warden.geo.models import Country
from warden.site.views.common import language_links, language_links_to
from warden.welfare.models import Status, WelfareEvent
from warden.welfare.services import NOTE_MAX
from warden.welfare.services.inbox import LinkRefused, answer_link, answer_take


class AnswerForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Anything we should know? (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LeftForm(AnswerForm):
    """The answer "I have left": where to, as well."""

    left_to = forms.ModelChoiceField(
        label=gettext_lazy("Where did you go? (optional)"),
        queryset=Country.objects.order_by("name"),
        required=False,
    )


REFUSALS = {
    LinkRefused.EXPIRED: gettext_lazy(
        "This link has expired. Reply to the latest message, or call us."
    ),
    LinkRefused.INVALID: gettext_lazy(
        "This link is not valid. Use the link exactly as it came in the message."
    ),
    LinkRefused.GONE: gettext_lazy(
        "This link is no longer valid: the registration it was for was deleted."
    ),
    LinkRefused.CANCELLED: gettext_lazy(
        "The message with this link was cancelled; no answer is needed to it."
    ),
}


def _link(token: str) -> tuple[bool | None, str]:
    """Whether the link's message is an exercise (None when refused), and the refusal."""
    try:
        return answer_link(token), ""
    except LinkRefused as refused:
        return None, str(REFUSALS[refused.reason])


def _page(
    request: HttpRequest, template: str, context: dict[str, object], status: int = 200
) -> HttpResponse:
    context["language_links"] = language_links(request)
    return render(request, template, context, status=status)


def _refused(request: HttpRequest, error: str) -> HttpResponse:
    return _page(request, "alerting/answer.html", {"error": error}, status=400)


def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The three answers as buttons."""
    is_exercise, error = _link(token)
    if is_exercise is None:
        return _refused(request, error)
    return _page(
        request,
        "alerting/answer.html",
        {"token": token, "choices": Status.choices, "is_exercise": is_exercise},
    )


@csrf_exempt  # the token is the credential; see the module's docstring
def answer_choice(request: HttpRequest, token: str, answer: str) -> HttpResponse:
    """One answer: confirm with one click (GET); the POST puts it in the inbox, from which
    the worker records it within a pass."""
    if answer not in ANSWERS:
        return _refused(request, _("Choose one of the answers in the message."))
    form = (LeftForm if answer == Status.LEFT else AnswerForm)(request.POST or None)
    context = {"token": token, "answer": answer, "label": Status(answer).label, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            answer_take(
                token,
                status=answer,
                channel=WelfareEvent.Channel.LINK,
                note=form.cleaned_data["note"],
                left_to=form.cleaned_data.get("left_to"),
            )
        except LinkRefused as refused:
            return _refused(request, str(REFUSALS[refused.reason]))
        return HttpResponse(_thanks(answer))
    is_exercise, error = _link(token)
    if is_exercise is None:
        return _refused(request, error)
    context["is_exercise"] = is_exercise
    status = 400 if request.method == "POST" else 200
    return _page(request, "alerting/answer_confirm.html", context, status=status)


THANKS_SECONDS = 3600


@require_safe
@cache_control(public=True, max_age=THANKS_SECONDS)
def answer_thanks(request: HttpRequest, answer: str) -> HttpResponse:
    """The thank-you page on its own, where its language links lead; it names no one."""
    if answer not in ANSWERS:
        raise Http404
    return HttpResponse(_thanks(answer))


def _thanks(answer: str) -> str:
    """The thank-you page for an answer in the current language, rendered once an hour."""
    key = f"answer-thanks:{translation.get_language()}:{answer}"
    html: str | None = cache.get(key)
    if html is None:
        context = {
            "answer": answer,
            "label": Status(answer).label,
            "language_links": language_links_to("answer_thanks", answer=answer),
        }
        # Without the request: nothing of one person's request may reach the shared page.
        html = render_to_string("alerting/answer_done.html", context)
        cache.set(key, html, THANKS_SECONDS)
    return html
