"""Inbound endpoints for providers: delivery receipts and SMS replies.

``POST /hooks/sms/receipts`` (the generic gateway, and the local stub) with
``Authorization: Bearer <RECEIPT_TOKEN>`` and ``{"reference": "<delivery id>", "id":
"<provider id>", "status": "delivered" | "failed", "error": "..."}``.

``POST /hooks/sms/inbound`` with ``{"from": "+90...", "text": "SAFE ..."}``: a reply; the
answer is recorded and the JSON answer carries the text to send back (``reply``).

Email providers report through django-anymail's tracking webhooks (``/hooks/anymail/``),
received by ``on_anymail_tracking``. A webhook's own 2xx is its receipt (no endpoint).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from warden.alerting.models import Delivery
from warden.audit.services import record

RECEIPT_STATES = {"delivered": Delivery.State.DELIVERED, "failed": Delivery.State.FAILED}
BODY_MAX = 64 * 1024


def _error(status: int, text: str) -> JsonResponse:
    return JsonResponse({"error": text}, status=status)


def _authorised(request: HttpRequest) -> bool:
    expected = settings.WARDEN_RECEIPT_TOKEN
    if not expected:
        return False
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return hmac.compare_digest(given.encode(), str(expected).encode())


def _json(request: HttpRequest) -> dict[str, Any] | JsonResponse:
    """The authorised request's JSON object, or the error response to send instead."""
    if not _authorised(request):
        return _error(401, _("Missing or wrong receipt token."))
    if len(request.body) > BODY_MAX:
        return _error(413, _("The request body is too large."))
    try:
        data = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _error(400, _("The body is not valid JSON."))
    if not isinstance(data, dict):
        return _error(400, _("The body must be a JSON object."))
    return data


GatewayView = Callable[[HttpRequest, dict[str, Any]], JsonResponse]


def gateway_endpoint(view: GatewayView) -> Callable[[HttpRequest], JsonResponse]:
    """A POST endpoint for a provider: token checked, JSON object parsed, no CSRF."""

    @csrf_exempt
    @require_POST
    @wraps(view)
    def wrapped(request: HttpRequest) -> JsonResponse:
        data = _json(request)
        return data if isinstance(data, JsonResponse) else view(request, data)

    return wrapped


def apply_receipt(delivery: Delivery, state: str, *, error: str = "", source: str) -> bool:
    """Move a handed-off delivery to delivered or failed; False if it was not handed off."""
    with transaction.atomic():
        changed = Delivery.objects.filter(
            pk=delivery.pk, state__in=(Delivery.State.SENT, Delivery.State.DELIVERED)
        ).update(
            state=state,
            delivered_at=timezone.now() if state == Delivery.State.DELIVERED else None,
            error=error[:500],
        )
        if changed:
            record(
                actor=None,
                action="alerting.delivery.receipt",
                obj=delivery,
                after={"state": state, "source": source},
            )
    return bool(changed)


@gateway_endpoint
def sms_receipt(request: HttpRequest, data: dict[str, Any]) -> JsonResponse:
    status = str(data.get("status", "")).lower()
    if status not in RECEIPT_STATES:
        return _error(400, _("“status” must be “delivered” or “failed”."))
    reference = str(data.get("reference", "")).strip()
    if not reference.isdigit():
        return _error(400, _("“reference” must be the delivery id Warden sent."))
    delivery = Delivery.objects.filter(pk=int(reference), channel="sms").first()
    if delivery is None:
        return _error(404, _("No SMS delivery has this reference."))
    changed = apply_receipt(
        delivery, RECEIPT_STATES[status], error=str(data.get("error", "")), source="sms"
    )
    return JsonResponse({"ok": True, "changed": changed})


@gateway_endpoint
def sms_inbound(request: HttpRequest, data: dict[str, Any]) -> JsonResponse:
    sender, text = data.get("from"), data.get("text")
    if not isinstance(sender, str) or not isinstance(text, str):
        return _error(400, _("Give “from” (the phone number) and “text” (the reply)."))
    from warden.welfare.replies import handle_sms_reply

    reply = handle_sms_reply(sender, text)
    return JsonResponse({"ok": reply.recorded, "reply": reply.text})


def on_anymail_tracking(sender: Any, event: Any, esp_name: str, **kwargs: Any) -> None:
    """django-anymail tracking: delivered / bounced / rejected for our deliveries."""
    metadata = getattr(event, "metadata", None) or {}
    reference = str(metadata.get("delivery", ""))
    query = Delivery.objects.filter(channel="email")
    if reference.isdigit():
        delivery = query.filter(pk=int(reference)).first()
    else:
        delivery = query.filter(provider_ref=getattr(event, "message_id", "") or "-").first()
    if delivery is None:
        return
    if event.event_type == "delivered":
        apply_receipt(delivery, Delivery.State.DELIVERED, source=esp_name)
    elif event.event_type in {"bounced", "rejected", "failed"}:
        reason = str(getattr(event, "description", "") or event.event_type)
        apply_receipt(delivery, Delivery.State.FAILED, error=reason, source=esp_name)
