"""The demo's staff: one user per role (two analysts, two approvers) with known passwords.

Each gets a TOTP device and five single-use backup codes, so that anyone can sign in without
an authenticator app. There is no staff service yet, so users are created here with the ORM
and each creation is recorded in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from warden.accounts.mfa import BACKUP_NAME, TOTP_NAME
from warden.accounts.roles import Role
from warden.audit.services import record

BACKUP_CODES = 5
EMAIL_DOMAIN = "demo.warden.example"

STAFF: tuple[tuple[str, Role], ...] = (
    ("analyst", Role.ANALYST),
    ("analyst2", Role.ANALYST),
    ("approver", Role.APPROVER),
    ("approver2", Role.APPROVER),
    ("consul", Role.CONSULAR_OFFICER),
    ("mission", Role.MISSION_MANAGER),
    ("admin", Role.ADMINISTRATOR),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    password: str
    backup_codes: tuple[str, ...]


def demo_password(username: str) -> str:
    return f"warden-demo-{username}"


def _backup_codes(user: User) -> tuple[str, ...]:
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = tuple(StaticToken.random_token() for _ in range(BACKUP_CODES))
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def staff_create(username: str, role: Role) -> tuple[User, DemoLogin]:
    administrator = role == Role.ADMINISTRATOR
    user = User.objects.create_user(
        username=username,
        email=f"{username}@{EMAIL_DOMAIN}",
        password=demo_password(username),
        is_staff=administrator,
        is_superuser=administrator,
    )
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)
    codes = _backup_codes(user)
    record(
        actor=None,
        action="accounts.user.create_demo",
        obj=user,
        after={"roles": [role.value], "staff": administrator, "devices": ["totp", "static"]},
    )
    return user, DemoLogin(username, role, demo_password(username), codes)


def staff_create_all() -> tuple[dict[str, User], tuple[DemoLogin, ...]]:
    created = [staff_create(username, role) for username, role in STAFF]
    return {user.username: user for user, _ in created}, tuple(login for _, login in created)
