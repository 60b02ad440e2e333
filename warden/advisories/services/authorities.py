"""Authorities and their level scales."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.advisories.models import Authority, Level
from warden.advisories.scales import PRESETS
from warden.audit.services import record

SENDER_RE = re.compile(r"^[^\s,&<]+$")


@transaction.atomic
def authority_create(
    *,
    acting_user: User,
    slug: str,
    name: str,
    sender: str,
    preset: str = "israel-nsc",
    names: dict[str, str] | None = None,
    web: str = "",
    is_default: bool = False,
) -> Authority:
    """Create an issuing authority with a copy of one of the shipped level scales."""
    authorize(acting_user, "authority.manage")
    errors: dict[str, str] = {}
    if preset not in PRESETS:
        errors["preset"] = _("Unknown scale %(preset)s; choose one of: %(known)s.") % {
            "preset": preset,
            "known": ", ".join(sorted(PRESETS)),
        }
    if not SENDER_RE.match(sender):
        errors["sender"] = _("The CAP sender may not contain spaces, commas, & or <.")
    if Authority.objects.filter(slug=slug).exists():
        errors["slug"] = _("An authority with this slug already exists.")
    if errors:
        raise ValidationError(errors)
    if is_default:
        Authority.objects.filter(is_default=True).update(is_default=False)
    authority = Authority.objects.create(
        slug=slug, name=name, names=names or {}, sender=sender, web=web, is_default=is_default
    )
    for level in PRESETS[preset]:
        Level.objects.create(authority=authority, **level)
    record(
        actor=acting_user,
        action="advisory.authority.create",
        obj=authority,
        after={"slug": slug, "preset": preset, "default": is_default},
    )
    return authority


def default_authority() -> Authority:
    authority = Authority.objects.filter(is_default=True).first()
    if authority is None:
        raise ValidationError(_("No default authority is configured yet."))
    return authority
