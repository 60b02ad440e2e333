"""SMS replies: "SAFE", "HELP", "LEFT" (or their Hebrew words), with optional free text.

The keyword decides (within the first words: "I am safe" and "אני בטוח" work too); the
rest is kept as the note. "Not safe" counts as a request for help. Anything else gets a
reply that says what to send, never an error. The answer applies to the latest SMS message
sent to that number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from warden.alerting.models import Delivery
from warden.people.selectors import person_find
from warden.welfare.models import Status, WelfareEvent
from warden.welfare.services import NOTE_MAX
from warden.welfare.services.inbox import answer_accept

KEYWORDS = {
    Status.SAFE: {"safe", "ok", "okay", "fine", "בטוח", "בטוחה", "בטוחים", "בסדר", "מוגן", "מוגנת"},
    Status.NEEDS_HELP: {"help", "sos", "עזרה", "הצילו", "צריך", "צריכה"},
    Status.LEFT: {"left", "gone", "out", "עזבתי", "יצאתי", "עזבנו", "יצאנו"},
}
# Words people put before the keyword ("I am safe", "אני בטוח"): skipped.
FILLERS = {"i", "m", "am", "we", "are", "is", "all", "everyone", "אני", "אנחנו", "כולנו", "כולם"}
# A negation before the keyword: "not safe" asks for help; "no help", "not left" are unclear.
NEGATIONS = {"not", "no", "isn", "aren", "t", "לא", "אינני", "איננו"}
SCAN_WORDS = 4
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Reply:
    recorded: bool
    text: str


def _keyword(word: str) -> str | None:
    for status, words in KEYWORDS.items():
        if word in words:
            return status
    return None


def parse(text: str) -> tuple[str | None, str]:
    """(status or None, the note after the keyword). The keyword must come within the first
    few words, after nothing but fillers and negations; English and Hebrew mix freely."""
    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    negated = False
    for index, match in enumerate(_WORD.finditer(cleaned)):
        if index >= SCAN_WORDS:
            break
        word = match.group(0).casefold()
        status = _keyword(word)
        if status is not None:
            if negated:
                status = Status.NEEDS_HELP if status == Status.SAFE else None
            note = cleaned[match.end() :].strip(" \t\n.,:;-!")
            return status, note[:NOTE_MAX] if status else ""
        if word in NEGATIONS:
            negated = True
        elif word not in FILLERS:
            break
    return None, ""


def handle_sms_reply(sender: str, text: str) -> Reply:
    people = list(person_find(channel="sms", value=sender))
    if not people:
        return Reply(
            False, _("This number is not registered with us. Reply from the phone you registered.")
        )
    person = people[0]
    with translation.override(person.language):
        status, note = parse(text)
        if status is None:
            return Reply(
                False,
                _("Sorry, we did not understand. Reply SAFE, HELP or LEFT, then any details."),
            )
        delivery = (
            Delivery.objects.filter(person=person, channel="sms", state__in=("sent", "delivered"))
            .order_by("-sent_at", "-id")
            .first()
        )
        answer_accept(
            person_id=person.pk,
            status=status,
            channel=WelfareEvent.Channel.SMS,
            delivery_id=delivery.pk if delivery else None,
            message_id=delivery.message_id if delivery else None,
            note=note,
        )
        if status == Status.NEEDS_HELP:
            return Reply(True, _("We have your request for help. An officer will contact you."))
        return Reply(
            True,
            _("Thank you, we have your answer: %(answer)s.") % {"answer": Status(status).label},
        )
