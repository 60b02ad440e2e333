from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from warden.people.contacts import address, lookup_for

PUSH = {"endpoint": "https://push.example.net/abc", "keys": {"p256dh": "BNc_x-1", "auth": "tB3="}}


def message(channel: str, value, **extra) -> str:
    with pytest.raises(ValidationError) as error:
        address(channel, value, **extra)
    return " ".join(error.value.messages)


def test_emails_are_lower_cased_and_share_a_lookup_key():
    one = address("email", "  Dana.Levi@Example.ORG ")

    assert one.value == "dana.levi@example.org"
    assert one.lookup == address("email", "dana.levi@example.org").lookup
    assert "valid email" in message("email", "dana@")


def test_phones_are_stored_in_e164():
    assert address("sms", "+90 532 123 45 67").value == "+905321234567"
    assert address("sms", "0532 123 45 67", region="TR").value == "+905321234567"
    assert address("sms", "+90 (532) 123-4567").lookup == address("sms", "+905321234567").lookup


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0532 123 45 67", "with its country code"),
        ("call me", "not a phone number"),
        ("+90 5", "too short"),
        ("+90 532 123 45 67 89 01 23", "too long"),
        ("+1 201 000 0000", "No phone number like this exists under the country code +1"),
        ("+1 555 0100", "with its area code"),
        ("+90 212 123 45 67", "not a mobile number"),
    ],
)
def test_bad_phone_numbers_say_exactly_why(value, expected):
    assert expected in message("sms", value)


def test_messaging_addresses_are_apprise_urls():
    assert address("messaging", "TGRAM://bot/123").value == "tgram://bot/123"
    assert "as a URL" in message("messaging", "telegram me")
    assert "not a messaging service" in message("messaging", "ftp://host/x")


def test_webhooks_need_https_without_credentials():
    assert address("webhook", "https://hooks.example.org/warden").value
    assert "https://" in message("webhook", "http://hooks.example.org/warden")
    assert "no user name" in message("webhook", "https://u:p@hooks.example.org/")


def test_push_subscriptions_are_checked_and_normalised():
    stored = address("push", json.dumps(PUSH)).value

    assert json.loads(stored) == PUSH
    assert "JSON like" in message("push", "{not json")
    assert "endpoint" in message("push", {**PUSH, "endpoint": "http://x"})
    assert "auth" in message("push", {**PUSH, "keys": {"p256dh": "abc"}})


def test_errors_never_repeat_the_value():
    assert "dana" not in message("email", "dana@@example.org")
    assert lookup_for("sms", "nonsense") is None
    assert "Unknown channel" in message("fax", "123")
