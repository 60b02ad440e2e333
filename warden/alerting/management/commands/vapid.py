"""``warden vapid``: generate the VAPID key pair Web Push needs, as environment lines."""

from __future__ import annotations

import base64
from typing import Any

from cryptography.hazmat.primitives import serialization
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from py_vapid import Vapid


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def generate() -> tuple[str, str]:
    """(private key, application server public key), both base64url as browsers and
    pywebpush expect them."""
    vapid = Vapid()
    vapid.generate_keys()
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64(private), _b64(public)


class Command(BaseCommand):
    help = _("Generate a VAPID key pair for Web Push and print it as environment variables.")

    def handle(self, *args: Any, **options: Any) -> None:
        private, public = generate()
        self.stdout.write(
            _("# Keep the private key secret (a secret store, or WEBPUSH_PRIVATE_KEY_FILE).")
        )
        self.stdout.write(f"WEBPUSH_PRIVATE_KEY={private}")
        self.stdout.write(f"WEBPUSH_PUBLIC_KEY={public}")
