"""SMS keyword replies: English, Hebrew, mixed, malformed; through the inbound endpoint."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from warden.test import record_answers
from warden.welfare.models import Case, RoundMember, WelfareEvent
from warden.welfare.replies import parse
from warden.welfare.services import round_open
from warden.welfare.tests.helpers import details, present


@pytest.mark.parametrize(
    ("text", "status", "note"),
    [
        ("SAFE", "safe", ""),
        ("safe.", "safe", ""),
        ("Safe - at the Hilton", "safe", "at the Hilton"),
        ("I am safe, at home", "safe", "at home"),
        ("I'm OK", "safe", ""),
        ("HELP!!! no passport", "needs_help", "no passport"),
        ("sos", "needs_help", ""),
        ("LEFT to Athens", "left", "to Athens"),
        ("בטוח", "safe", ""),
        ("אני בטוחה במלון", "safe", "במלון"),
        ("עזרה דחוף", "needs_help", "דחוף"),
        ("עזבתי לאתונה", "left", "לאתונה"),
        # Mixed languages: the first keyword decides, the rest is the note.
        ("OK בטוח", "safe", "בטוח"),
        ("בטוח safe", "safe", "safe"),
        ("Help עזרה", "needs_help", "עזרה"),
        ("אני safe", "safe", ""),
        # A negation turns "safe" into a request for help.
        ("not safe", "needs_help", ""),
        ("לא בטוח", "needs_help", ""),
        ("ＳＡＦＥ", "safe", ""),  # full-width letters normalise
    ],
)
def test_keywords_in_english_hebrew_and_both(text, status, note):
    assert parse(text) == (status, note)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "?", "maybe later", "SAFEHELP", "123", "🙂", "no help needed", "not left yet",
     "the hotel is safe", "\x00\x01", "a" * 10_000, None],
)  # fmt: skip
def test_malformed_replies_are_not_understood(text):
    assert parse(text) == (None, "")


def _post(text, sender="+905321234567"):
    return Client().post(
        "/hooks/sms/inbound",
        json.dumps({"from": sender, "text": text}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer receipt-secret",
    )


@pytest.fixture
def receipts(settings):
    settings.WARDEN_RECEIPT_TOKEN = "receipt-secret"


@pytest.mark.django_db
@pytest.mark.usefixtures("receipts")
class TestInbound:
    def test_a_reply_records_the_answer_in_the_round_and_says_thanks(self, turkey, dave):
        dana = present(email=None, phone="+90 532 123 45 67")
        checkin = round_open(acting_user=dave, details=details(), area=turkey)
        response = _post("אני בטוח, במלון")
        assert response.status_code == 200
        assert response.json() == {
            "ok": True,
            "reply": "Thank you, we have your answer: I am safe.",
        }
        assert record_answers() == 1
        event = WelfareEvent.objects.get()
        assert (event.status, event.channel, event.note) == ("safe", "sms", "במלון")
        assert RoundMember.objects.get(round=checkin, person=dana).status == "safe"

    def test_help_opens_a_case_and_says_an_officer_will_call(self, turkey, dave):
        present(email=None, phone="+90 532 123 45 67")
        response = _post("not safe, soldiers outside")
        assert response.json()["reply"].startswith("We have your request for help.")
        record_answers()
        assert Case.objects.get().state == "open"

    @pytest.mark.parametrize("text", ["", "maybe", "SAFEHELP", "🙂🙂", "x" * 5000])
    def test_malformed_replies_get_a_helpful_reply_and_record_nothing(self, turkey, text):
        present(email=None, phone="+90 532 123 45 67")
        response = _post(text)
        assert response.status_code == 200
        assert response.json() == {
            "ok": False,
            "reply": "Sorry, we did not understand. Reply SAFE, HELP or LEFT, then any details.",
        }
        assert record_answers() == 0
        assert not WelfareEvent.objects.exists()

    @pytest.mark.parametrize("sender", ["+972 50 000 0000", "not a number", ""])
    def test_an_unknown_or_broken_number_is_told_so(self, turkey, sender):
        present(email=None, phone="+90 532 123 45 67")
        response = _post("SAFE", sender=sender)
        assert response.status_code == 200
        assert response.json()["ok"] is False
        assert "not registered" in response.json()["reply"]
