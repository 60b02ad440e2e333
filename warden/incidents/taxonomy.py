"""Event types and sub-types (ACLED-style), verification states and grading scales."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventType(models.TextChoices):
    BATTLES = "battles", _("Battles")
    VIOLENCE_AGAINST_CIVILIANS = "violence_against_civilians", _("Violence against civilians")
    PROTESTS = "protests", _("Protests")
    RIOTS = "riots", _("Riots")
    EXPLOSIONS = "explosions", _("Explosions/remote violence")
    STRATEGIC_DEVELOPMENTS = "strategic_developments", _("Strategic developments")


class SubEventType(models.TextChoices):
    ARMED_CLASH = "armed_clash", _("Armed clash")
    ATTACK = "attack", _("Attack")
    ABDUCTION = "abduction", _("Abduction/forced disappearance")
    PEACEFUL_PROTEST = "peaceful_protest", _("Peaceful protest")
    PROTEST_WITH_INTERVENTION = "protest_with_intervention", _("Protest with intervention")
    EXCESSIVE_FORCE = "excessive_force", _("Excessive force against protesters")
    VIOLENT_DEMONSTRATION = "violent_demonstration", _("Violent demonstration")
    MOB_VIOLENCE = "mob_violence", _("Mob violence")
    SHELLING_MISSILE = "shelling_missile", _("Shelling/artillery/missile attack")
    AIR_DRONE_STRIKE = "air_drone_strike", _("Air/drone strike")
    REMOTE_EXPLOSIVE = "remote_explosive", _("Remote explosive/landmine/IED")
    SUICIDE_BOMB = "suicide_bomb", _("Suicide bomb")
    GRENADE = "grenade", _("Grenade")
    ARRESTS = "arrests", _("Arrests")
    PROPERTY_DESTRUCTION = "property_destruction", _("Looting/property destruction")
    OTHER = "other", _("Other")


S = SubEventType
SUB_TYPES: dict[str, tuple[str, ...]] = {
    EventType.BATTLES: (S.ARMED_CLASH,),
    EventType.VIOLENCE_AGAINST_CIVILIANS: (S.ATTACK, S.ABDUCTION),
    EventType.PROTESTS: (S.PEACEFUL_PROTEST, S.PROTEST_WITH_INTERVENTION, S.EXCESSIVE_FORCE),
    EventType.RIOTS: (S.VIOLENT_DEMONSTRATION, S.MOB_VIOLENCE),
    EventType.EXPLOSIONS: (
        S.SHELLING_MISSILE,
        S.AIR_DRONE_STRIKE,
        S.REMOTE_EXPLOSIVE,
        S.SUICIDE_BOMB,
        S.GRENADE,
    ),
    EventType.STRATEGIC_DEVELOPMENTS: (S.ARRESTS, S.PROPERTY_DESTRUCTION, S.OTHER),
}


def sub_type_fits(event_type: str, sub_event_type: str) -> bool:
    return not sub_event_type or sub_event_type in SUB_TYPES.get(event_type, ())


class Verification(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    CORROBORATED = "corroborated", _("Corroborated")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")
    FALSE = "false", _("False")


class TimePrecision(models.IntegerChoices):
    DAY = 1, _("Day")
    WEEK = 2, _("Week")
    MONTH = 3, _("Month")


class PlacePrecision(models.IntegerChoices):
    TOWN = 1, _("Town or exact place")
    NEAR = 2, _("Near a town, or a small area")
    REGION = 3, _("Region")


class Reliability(models.TextChoices):
    """Source reliability (Admiralty code)."""

    A = "A", _("A — completely reliable")
    B = "B", _("B — usually reliable")
    C = "C", _("C — fairly reliable")
    D = "D", _("D — not usually reliable")
    E = "E", _("E — unreliable")
    F = "F", _("F — reliability cannot be judged")


class Credibility(models.IntegerChoices):
    """Credibility of one claim (Admiralty code)."""

    CONFIRMED = 1, _("1 — confirmed by other sources")
    PROBABLY_TRUE = 2, _("2 — probably true")
    POSSIBLY_TRUE = 3, _("3 — possibly true")
    DOUBTFUL = 4, _("4 — doubtful")
    IMPROBABLE = 5, _("5 — improbable")
    CANNOT_JUDGE = 6, _("6 — truth cannot be judged")


COUNT_KINDS = ("killed", "injured", "arrested", "crowd")
COUNT_LABELS = {
    "killed": _("Killed"),
    "injured": _("Injured"),
    "arrested": _("Arrested"),
    "crowd": _("Crowd size"),
}
