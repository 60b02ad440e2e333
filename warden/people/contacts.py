"""Parse, validate and normalise contact addresses, one function per channel.

Each returns the value to store and the text its blind index is computed from, or raises
``ValidationError`` with a message that says exactly what is wrong, in the user's language,
without repeating the value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext_lazy as _
from phonenumbers import NumberParseException, PhoneNumberType, ValidationResult

from warden.people.crypto import blind_index
from warden.people.models import Channel

# Apprise URL schemes of messaging services (https://github.com/caronc/apprise/wiki).
MESSAGING_SCHEMES = frozenset(
    {
        "signal",
        "signals",
        "tgram",
        "whatsapp",
        "matrix",
        "matrixs",
        "threema",
        "line",
        "ntfy",
        "ntfys",
        "slack",
        "discord",
        "msteams",
        "zulip",
        "rocket",
        "rockets",
        "mmost",
        "mmosts",
        "xmpp",
        "xmpps",
        "wxteams",
        "gchat",
        "pushover",
        "pover",
    }
)
MOBILE_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})
_BASE64URL = re.compile(r"^[A-Za-z0-9_\-]+=*$")
_PARSE_ERRORS = {
    NumberParseException.INVALID_COUNTRY_CODE: _(
        "Enter the phone number with its country code, e.g. +90 532 123 45 67."
    ),
    NumberParseException.NOT_A_NUMBER: _("This is not a phone number."),
    NumberParseException.TOO_SHORT_AFTER_IDD: _("The phone number is too short."),
    NumberParseException.TOO_SHORT_NSN: _("The phone number is too short."),
    NumberParseException.TOO_LONG: _("The phone number is too long."),
}

_LENGTH_ERRORS = {
    ValidationResult.TOO_SHORT: _("The phone number is too short for the country code +%(code)s."),
    ValidationResult.TOO_LONG: _("The phone number is too long for the country code +%(code)s."),
    ValidationResult.INVALID_COUNTRY_CODE: _("+%(code)s is not a country code."),
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: _(
        "Enter the whole number, with its area code, after the country code +%(code)s."
    ),
    ValidationResult.INVALID_LENGTH: _(
        "The phone number has the wrong number of digits for the country code +%(code)s."
    ),
}


@dataclass(frozen=True)
class Address:
    """A valid contact address: what is stored (encrypted) and its blind index."""

    channel: str
    value: str
    lookup: str


def normalise_email(value: str) -> str:
    address = value.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError(
            _("Enter a valid email address, like name@example.org."), code="email"
        ) from None
    return address


def normalise_phone(value: str, region: str | None = None) -> str:
    """The number in E.164 (``+905321234567``); it must be able to receive SMS."""
    try:
        number = phonenumbers.parse(value.strip(), (region or "").upper() or None)
    except NumberParseException as exc:
        message = _PARSE_ERRORS.get(exc.error_type, _("This is not a phone number."))
        raise ValidationError(message, code="phone") from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason != ValidationResult.IS_POSSIBLE:
        raise ValidationError(
            _LENGTH_ERRORS.get(reason, _LENGTH_ERRORS[ValidationResult.INVALID_LENGTH]),
            code="phone",
            params={"code": number.country_code},
        )
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("No phone number like this exists under the country code +%(code)s."),
            code="phone",
            params={"code": number.country_code},
        )
    if phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(
            _("This is not a mobile number: text messages need a mobile phone."), code="phone"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_messaging(value: str) -> str:
    url = value.strip()
    parts = urlsplit(url)
    if not parts.scheme or not (parts.netloc or parts.path.strip("/")) or "://" not in url:
        raise ValidationError(
            _("Enter a messaging address as a URL, like tgram://bot-token/chat-id."),
            code="messaging",
        )
    if parts.scheme.lower() not in MESSAGING_SCHEMES:
        raise ValidationError(
            _("“%(scheme)s” is not a messaging service Warden can use; use one of: %(known)s."),
            code="messaging",
            params={"scheme": parts.scheme, "known": ", ".join(sorted(MESSAGING_SCHEMES))},
        )
    return parts.scheme.lower() + url[len(parts.scheme) :]


def normalise_webhook(value: str) -> str:
    url = value.strip()
    try:
        URLValidator(schemes=["https"])(url)
    except ValidationError:
        raise ValidationError(
            _("Enter the webhook's full https:// address."), code="webhook"
        ) from None
    if urlsplit(url).username or urlsplit(url).password:
        raise ValidationError(
            _("Put no user name or password in the webhook address."), code="webhook"
        )
    return url


def normalise_push(value: str | dict[str, Any]) -> str:
    """A Web Push subscription (PushSubscription.toJSON()) as compact, sorted JSON."""
    try:
        data = json.loads(value) if isinstance(value, str) else value
    except json.JSONDecodeError:
        data = None
    keys = data.get("keys") if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(keys, dict):
        raise ValidationError(
            _(
                'A push subscription is JSON like {"endpoint": "https://…", "keys": '
                '{"p256dh": "…", "auth": "…"}}.'
            ),
            code="push",
        )
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or not endpoint.startswith("https://"):
        raise ValidationError(
            _("The push subscription's endpoint must be an https:// address."), code="push"
        )
    for name in ("p256dh", "auth"):
        if not isinstance(keys.get(name), str) or not _BASE64URL.match(keys[name]):
            raise ValidationError(
                _("The push subscription's key “%(name)s” is missing or not base64url."),
                code="push",
                params={"name": name},
            )
    shape = {"endpoint": endpoint, "keys": {"p256dh": keys["p256dh"], "auth": keys["auth"]}}
    return json.dumps(shape, sort_keys=True, separators=(",", ":"))


def _push_lookup(value: str) -> str:
    return str(json.loads(value)["endpoint"])


_NORMALISERS: dict[str, Callable[[Any], str]] = {
    Channel.EMAIL: normalise_email,
    Channel.MESSAGING: normalise_messaging,
    Channel.WEBHOOK: normalise_webhook,
    Channel.PUSH: normalise_push,
}


def address(channel: str, value: str | dict[str, Any], *, region: str | None = None) -> Address:
    """Validate ``value`` for ``channel``; ``region`` (ISO 3166-1) helps read local numbers."""
    if channel == Channel.SMS:
        if not isinstance(value, str):
            raise ValidationError(_("This is not a phone number."), code="phone")
        stored = normalise_phone(value, region)
    elif channel in _NORMALISERS:
        if channel != Channel.PUSH and not isinstance(value, str):
            raise ValidationError(_("Enter the address as text."), code="invalid")
        stored = _NORMALISERS[channel](value)
    else:
        raise ValidationError(
            _("Unknown channel “%(channel)s”."), code="channel", params={"channel": channel}
        )
    return Address(channel=channel, value=stored, lookup=lookup_of(channel, stored))


def lookup_of(channel: str, stored: str) -> str:
    """The blind index of an already normalised, stored value."""
    key = _push_lookup(stored) if channel == Channel.PUSH else stored
    return blind_index(f"{channel}:{key}")


def lookup_for(channel: str, value: str, *, region: str | None = None) -> str | None:
    """The blind index to search for ``value``, or None when it is not a valid address."""
    try:
        return address(channel, value, region=region).lookup
    except ValidationError:
        return None
