"""Staff second factor: TOTP authenticator apps and single-use backup codes (django-otp)."""

from __future__ import annotations

import base64
import io
import re
from base64 import b32encode

import segno
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db import transaction
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from warden.audit.services import record

TOTP_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"
BACKUP_CODE_COUNT = 10
_SPACES = re.compile(r"[\s-]+")


def is_verified(request: HttpRequest) -> bool:
    """Signed in *and* passed the second factor in this session (django-otp)."""
    user: AbstractBaseUser | AnonymousUser = request.user
    return bool(user.is_authenticated and user.is_verified())  # type: ignore[attr-defined]


def normalise_token(token: str) -> str:
    """Codes are often typed with spaces or dashes ("123 456", "abcd-efgh")."""
    return _SPACES.sub("", token).lower()


def has_confirmed_device(user: AbstractBaseUser) -> bool:
    return any(True for _device in devices_for_user(user, confirmed=True))


def _candidates(user: AbstractBaseUser, token: str) -> list[Device]:
    """The devices a token of this shape can belong to.

    A code is tried only against devices of its own kind, so that a mistyped app code never
    counts as a failed attempt against the backup codes (and the other way round).
    """
    totp = list(TOTPDevice.objects.devices_for_user(user, confirmed=True).select_for_update())
    if token.isdigit() and any(len(token) == d.digits for d in totp):
        return [d for d in totp if len(token) == d.digits]
    return list(StaticDevice.objects.devices_for_user(user, confirmed=True).select_for_update())


def verify(user: AbstractBaseUser, token: str) -> Device | None:
    """The confirmed device that accepts ``token``, or None. Backup codes are used up."""
    token = normalise_token(token)
    if not token:
        return None
    with transaction.atomic():
        for device in _candidates(user, token):
            if device.verify_token(token):
                return device
    return None


def pending_totp(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled; one per user, kept across page loads."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The provisioning QR code as a base64 SVG data URI (allowed by the CSP's img-src)."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer,
        kind="svg",
        scale=5,
        border=2,
        xmldecl=False,
        svgns=True,
        dark="#000",
        light="#fff",
    )
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the enrolment with a first code; returns fresh backup codes, or None."""
    if device.user_id != user.pk or device.confirmed:
        return None
    if not device.verify_token(normalise_token(token)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    codes = backup_codes_replace(user=user)
    record(
        actor=user,
        action="accounts.mfa.enrol",
        obj=device,
        after={"device": "totp", "backup_codes": len(codes)},
    )
    return codes


def backup_codes_replace(*, user: User) -> list[str]:
    """Replace the user's backup codes with a new set and return them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes
