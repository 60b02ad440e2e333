"""The event type and sub-type, by weighted cue words; cues in the lead sentence count double."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from warden.incidents.taxonomy import EventType as T
from warden.incidents.taxonomy import SubEventType as S

# (pattern, event type, sub-type, weight)
RULES: tuple[tuple[str, str, str, int], ...] = (
    # Explosions / remote violence
    (r"suicide (?:bomber|bombing|attack)", T.EXPLOSIONS, S.SUICIDE_BOMB, 5),
    (
        r"air ?strikes?|airstrikes?|drone strikes?|drone attacks?|drones?|warplanes?|aircraft"
        r"|guided bomb",
        T.EXPLOSIONS,
        S.AIR_DRONE_STRIKE,
        3,
    ),
    (
        r"rockets?|missiles?|shell(?:ing|ed|s)|artillery|mortars?|barrage",
        T.EXPLOSIONS,
        S.SHELLING_MISSILE,
        3,
    ),
    (
        r"roadside bomb|car bomb|improvised explosive|IED|landmine|explosive device",
        T.EXPLOSIONS,
        S.REMOTE_EXPLOSIVE,
        4,
    ),
    (r"grenades?", T.EXPLOSIONS, S.GRENADE, 3),
    (
        r"explosions?|blasts?|bomb(?:s|ing|ed)?|explosives?|detonat\w+",
        T.EXPLOSIONS,
        S.REMOTE_EXPLOSIVE,
        3,
    ),
    # Battles
    (
        r"gunfights?|firefights?|exchange of fire|armed clash(?:es)?|heavy fighting|fighting "
        r"(?:broke out )?between|battles? (?:for|between|with)",
        T.BATTLES,
        S.ARMED_CLASH,
        4,
    ),
    (
        r"clash(?:es|ed)? with (?:\w+ )?(?:gunmen|militants|fighters|rebels|troops|forces)",
        T.BATTLES,
        S.ARMED_CLASH,
        4,
    ),
    (r"clash(?:es|ed)?", T.BATTLES, S.ARMED_CLASH, 1),
    # Violence against civilians
    (
        r"abduct\w*|kidnapp?\w*|hostages?|taken captive",
        T.VIOLENCE_AGAINST_CIVILIANS,
        S.ABDUCTION,
        4,
    ),
    (
        r"stabb(?:ed|ing)|opened fire on (?:a |the )?(?:group|tourists|civilians|passers-by|"
        r"worshippers|bus|car|crowd)|shot dead|massacre|gangs? attacked|gunmen attacked"
        r"|attacked (?:a|the) (?:\w+ )?"
        r"(?:village|neighbourhood|neighborhood|synagogue|church|mosque)"
        r"|threw [\w ]{0,30} at a (?:synagogue|church|mosque|school)",
        T.VIOLENCE_AGAINST_CIVILIANS,
        S.ATTACK,
        4,
    ),
    # Protests
    (
        r"protest\w*|demonstrat(?:ion|ions|ors|ed|ing)|rall(?:y|ies|ied)|sit-ins?|vigils?"
        r"|march(?:ed|ers|es)?(?= (?:through|to|on|in|from|towards))|march ended"
        r"|gathered (?:peacefully|outside|in front)|chant\w*|waved flags|placards",
        T.PROTESTS,
        S.PEACEFUL_PROTEST,
        2,
    ),
    (
        r"tear ?gas|water cannons?|rubber bullets|pepper spray|dispers\w+|detained|arrested"
        r"|taken into custody|cordon",
        T.PROTESTS,
        S.PROTEST_WITH_INTERVENTION,
        1,
    ),
    (
        r"opened fire on (?:\w+ )?(?:protesters|demonstrators|worshippers protesting)|live "
        r"(?:ammunition|fire) (?:at|on) (?:protesters|demonstrators)",
        T.PROTESTS,
        S.EXCESSIVE_FORCE,
        5,
    ),
    # Riots
    # Violence by the participants makes a demonstration a riot, however many protest words.
    (
        r"(?<!riot )rioters?|(?<!riot )riots?(?! police)|rioting|torched|set fire"
        r"|(?:threw|hurled|throwing) (?:stones|rocks|petrol bombs|molotov|fireworks)"
        r"|burn(?:ed|t|ing) tyres|smashed|vandali[sz]\w+|looting|looted",
        T.RIOTS,
        S.VIOLENT_DEMONSTRATION,
        6,
    ),
    (r"stormed", T.RIOTS, S.VIOLENT_DEMONSTRATION, 3),
    (
        r"clash(?:es|ed)? with (?:\w+ )?police|blocked (?:roads|streets|a road|the road)",
        T.RIOTS,
        S.VIOLENT_DEMONSTRATION,
        2,
    ),
    (r"mobs?|lynch\w*", T.RIOTS, S.MOB_VIOLENCE, 4),
    # Strategic developments
    (
        r"curfew|state of emergency|martial law|closed the border|evacuat\w+|ceasefire "
        r"(?:agreed|announced)|security operation",
        T.STRATEGIC_DEVELOPMENTS,
        S.OTHER,
        3,
    ),
    (
        r"\b(?:raid(?:ed)?|arrest(?:ed)?|detain(?:ed)?) (?:the )?(?:leader|home|office)",
        T.STRATEGIC_DEVELOPMENTS,
        S.ARRESTS,
        2,
    ),
    # Hebrew
    (r"הפגנ\w*|מפגינ\w*|עצר(?:ת|ות) מחאה|מחא\w*", T.PROTESTS, S.PEACEFUL_PROTEST, 2),
    (r"גז מדמיע|תותחי מים|פיזר\w*|נעצרו", T.PROTESTS, S.PROTEST_WITH_INTERVENTION, 1),
    (r"ו?יידו אבנים|ו?הציתו|מהומות|פרעות|ו?פרצו", T.RIOTS, S.VIOLENT_DEMONSTRATION, 6),
    (
        r"פיצוץ|פיצוצים|מטען|רקט\w*|טיל\w*|שיגור\w*|הפצצ\w*|תקיפה אווירית",
        T.EXPLOSIONS,
        S.REMOTE_EXPLOSIVE,
        3,
    ),
    (r"פיגוע\w*|דקירה|חטיפ\w*|נחטפו", T.VIOLENCE_AGAINST_CIVILIANS, S.ATTACK, 4),
    (r"קרבות|חילופי אש|עימותים מזוינים", T.BATTLES, S.ARMED_CLASH, 4),
    (r"עוצר", T.STRATEGIC_DEVELOPMENTS, S.OTHER, 3),
)
_COMPILED = tuple(
    (re.compile(rf"(?<![\w\u0590-\u05ff])(?:{p})", re.IGNORECASE), t, s, w) for p, t, s, w in RULES
)
# Ties go to the more serious type.
PRIORITY = (
    T.EXPLOSIONS,
    T.BATTLES,
    T.VIOLENCE_AGAINST_CIVILIANS,
    T.RIOTS,
    T.PROTESTS,
    T.STRATEGIC_DEVELOPMENTS,
)


def find_event(text: str, lead_end: int) -> dict[str, Any] | None:
    """{"type", "sub_type", "spans", "scores"} or None when no cue is found."""
    scores: dict[str, int] = defaultdict(int)
    sub_scores: dict[tuple[str, str], int] = defaultdict(int)
    spans: dict[str, list[list[int]]] = defaultdict(list)
    for pattern, event_type, sub_type, weight in _COMPILED:
        for match in pattern.finditer(text):
            gained = weight * (2 if match.start() < lead_end else 1)
            scores[event_type] += gained
            sub_scores[(event_type, sub_type)] += gained
            spans[event_type].append([match.start(), match.end()])
    if not scores:
        return None
    best = max(PRIORITY, key=lambda t: (scores.get(t, 0), -PRIORITY.index(t)))
    return {
        "type": str(best),
        "sub_type": _sub_type(best, sub_scores),
        "spans": sorted(spans[best]),
        "scores": {str(k): v for k, v in sorted(scores.items())},
    }


def _sub_type(event_type: str, sub_scores: dict[tuple[str, str], int]) -> str:
    if event_type == T.PROTESTS:
        if sub_scores.get((T.PROTESTS, S.EXCESSIVE_FORCE)):
            return str(S.EXCESSIVE_FORCE)
        if sub_scores.get((T.PROTESTS, S.PROTEST_WITH_INTERVENTION)):
            return str(S.PROTEST_WITH_INTERVENTION)
        return str(S.PEACEFUL_PROTEST)
    own = {sub: score for (kind, sub), score in sub_scores.items() if kind == event_type}
    return str(max(own, key=lambda sub: own[sub]))
