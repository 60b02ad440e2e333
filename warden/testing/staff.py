"""Signed-in, second-factor-verified test clients for the named test cast."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

BACKUP_CODE = "backup42"


def backup_device(user: User, *codes: str) -> StaticDevice:
    """A confirmed backup-code device for ``user`` holding ``codes`` (default: one)."""
    device = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    for code in codes or (BACKUP_CODE,):
        StaticToken.objects.create(device=device, token=code)
    return device


def verified_client(user: User, client: Client | None = None) -> Client:
    """A client signed in as ``user`` whose session passed the second factor."""
    client = client or Client()
    device = StaticDevice.objects.filter(user=user, confirmed=True).first() or backup_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def staff_client(db: None) -> Callable[[User], Client]:
    """``staff_client(alice)``: a fresh verified client per call, so several can coexist."""
    return verified_client
