"""Answering a check-in from an app: ``POST /answers/{token}`` with the token of the answer
link in the message ("I am safe", "I need help", "I have left").

The token is the credential, exactly as on the answer page: no sign-in. 202 when the answer
is taken (the worker records it within seconds: welfare.services.inbox), 404 when it is not
a valid token, 410 when it expired or its message was cancelled, 400 when the body is not
JSON. Nothing here is cached.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.params import P, PathEx

from warden.api.v1.schemas import Error, FieldError, ValidationErrorOut
from warden.geo.models import Country
from warden.welfare.models import WelfareEvent
from warden.welfare.services.answers import NOTE_MAX, PLACE_MAX
from warden.welfare.services.inbox import LinkRefused, answer_take, token_delivery

router = Router(tags=["answers"])


class AnswerIn(Schema):
    answer: Literal["safe", "needs_help", "left"]
    note: str = Field("", max_length=NOTE_MAX, description="Anything the officers should know.")
    place: str = Field("", max_length=PLACE_MAX, description="Where the person is now.")
    left_to: str | None = Field(
        None,
        pattern="^[A-Za-z]{2}$",
        description="With “left”: the country gone to (ISO 3166-1 alpha-2).",
    )


class AnswerOut(Schema):
    status: str
    recorded_at: datetime


REFUSALS = {
    LinkRefused.EXPIRED: (410, "This link has expired."),
    LinkRefused.INVALID: (404, "No answer link has this token."),
    LinkRefused.GONE: (404, "No answer link has this token."),
    LinkRefused.CANCELLED: (410, "The message was cancelled; no answer is needed."),
}


def _refused(refused: LinkRefused) -> Any:
    code, detail = REFUSALS[refused.reason]
    return Status(code, Error(detail=detail))


@router.post(
    "/answers/{token}",
    response={202: AnswerOut, 400: Error, 404: Error, 410: Error, 422: ValidationErrorOut},
    url_name="answer",
    summary="Answer a check-in with the token of an answer link",
)
def answer(request: HttpRequest, token: PathEx[str, P(max_length=300)], data: AnswerIn) -> Any:
    """Takes the answer (202): it is kept from this moment and recorded within seconds; the
    latest answer is the person's status."""
    try:
        token_delivery(token)
    except LinkRefused as refused:
        return _refused(refused)
    left_to = None
    if data.left_to:
        left_to = Country.objects.filter(pk=data.left_to.upper()).first()
        if left_to is None or data.answer != "left":
            return Status(
                422,
                ValidationErrorOut(
                    detail="Invalid request. left_to: a country code, with “left” only.",
                    errors=[FieldError(loc=["body", "left_to"], msg="invalid", type="value_error")],
                ),
            )
    try:
        at = answer_take(
            token,
            status=data.answer,
            channel=WelfareEvent.Channel.API,
            note=data.note,
            place=data.place,
            left_to=left_to,
        )
    except LinkRefused as refused:
        return _refused(refused)
    except ValidationError as error:
        detail = "Invalid request. " + "; ".join(error.messages)
        return Status(422, ValidationErrorOut(detail=detail, errors=[]))
    return Status(202, AnswerOut(status=data.answer, recorded_at=at))
