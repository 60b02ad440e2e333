"""Which countries a staff member works on (``StaffScope``): none set means all of them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from warden.accounts.roles import authorize
from warden.audit.services import record
from warden.geo.models import Country
from warden.welfare.models import Case, CheckInRound, StaffScope


def scope_countries(user: User | AnonymousUser | None) -> frozenset[str] | None:
    """The country codes ``user`` is limited to, or None (all countries)."""
    if user is None or not user.is_authenticated:
        return None
    cached: frozenset[str] | bool | None = getattr(user, "_welfare_scope", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    scope = StaffScope.objects.filter(user_id=user.pk).first()
    codes = frozenset(scope.countries.values_list("code", flat=True)) if scope else frozenset()
    result = codes or None
    setattr(user, "_welfare_scope", result)  # noqa: B010 (cache on the instance)
    return result


def in_scope(user: User | AnonymousUser | None, country_id: str | None) -> bool:
    codes = scope_countries(user)
    return codes is None or country_id in codes


def check_scope(user: User | AnonymousUser | None, country_id: str | None) -> None:
    if not in_scope(user, country_id):
        raise PermissionDenied(_("You work on other countries than this one."))


def visible_rounds(user: User | AnonymousUser | None) -> QuerySet[CheckInRound]:
    rounds = CheckInRound.objects.select_related("country")
    codes = scope_countries(user)
    return rounds if codes is None else rounds.filter(country_id__in=codes)


def visible_cases(user: User | AnonymousUser | None) -> QuerySet[Case]:
    cases = Case.objects.all()
    codes = scope_countries(user)
    return cases if codes is None else cases.filter(country_id__in=codes)


@transaction.atomic
def scope_set(*, acting_user: User | None, user: User, countries: list[str]) -> StaffScope:
    """Limit ``user`` to ``countries`` (empty: all); an administrator's action."""
    if acting_user is not None:
        authorize(acting_user, "staff.manage")
    scope, _created = StaffScope.objects.get_or_create(user=user)
    before = sorted(scope.countries.values_list("code", flat=True))
    scope.countries.set(Country.objects.filter(code__in=countries))
    record(
        actor=acting_user,
        action="welfare.scope.set",
        obj=scope,
        before={"countries": before},
        after={"countries": sorted(countries)},
    )
    if hasattr(user, "_welfare_scope"):
        delattr(user, "_welfare_scope")
    return scope
