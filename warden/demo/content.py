"""What the demo's analysts write: English and Hebrew texts for each edition and statement.

The texts are content in named languages, not interface strings, so they are written here
in both languages rather than translated through gettext.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from warden.advisories.models import Level
from warden.advisories.services import (
    AreaContent,
    EditionContent,
    StatementContent,
    TextContent,
)
from warden.demo.levels import DemoLevel
from warden.geo.models import Country, Subdivision

ISRAEL_TIME = ZoneInfo("Asia/Jerusalem")
BASELINE_AT = datetime(2023, 1, 1, tzinfo=ISRAEL_TIME)
RAISED_AT = datetime(2023, 10, 18, 16, 0, tzinfo=ISRAEL_TIME)
NOTICE = {"en": "Demo data, not real advice.", "he": "נתוני הדגמה, לא המלצה אמיתית."}

# code -> {language: (label, advice)}
REASONS: dict[str, dict[str, tuple[str, str]]] = {
    "T": {
        "en": ("terrorism", "Terrorist organisations may try to harm Israelis and Jews."),
        "he": ("טרור", "ארגוני טרור עלולים לנסות לפגוע בישראלים וביהודים."),
    },
    "U": {
        "en": ("civil unrest", "Demonstrations may turn violent: keep away from them."),
        "he": ("אי-שקט אזרחי", "הפגנות עלולות להפוך לאלימות: יש להתרחק מהן."),
    },
    "C": {"en": ("crime", "Violent crime is common."), "he": ("פשיעה", "פשיעה אלימה נפוצה.")},
    "H": {
        "en": ("health", "Health services are limited."),
        "he": ("בריאות", "שירותי הבריאות מוגבלים."),
    },
    "N": {
        "en": ("natural disaster", "Natural disasters may disrupt travel."),
        "he": ("אסון טבע", "אסונות טבע עלולים לשבש נסיעות."),
    },
    "E": {
        "en": ("a time-limited event", "A time-limited event raises the risk."),
        "he": ("אירוע זמני", "אירוע זמני מגביר את הסיכון."),
    },
    "K": {
        "en": ("kidnapping", "There is a risk of kidnapping."),
        "he": ("חטיפה", "קיים סיכון לחטיפה."),
    },
    "D": {
        "en": ("wrongful detention", "Israelis risk arbitrary detention."),
        "he": ("מעצר שרירותי", "ישראלים עלולים להיעצר באופן שרירותי."),
    },
    "O": {
        "en": ("armed conflict", "Armed conflict: consular help may not be available."),
        "he": ("סכסוך מזוין", "סכסוך מזוין: ייתכן שלא תינתן עזרה קונסולרית."),
    },
}
RISKS = {"en": "Main risks", "he": "הסיכונים העיקריים"}
LEVEL_WORD = {"en": "level", "he": "רמה"}


def _text(language: str, country: Country, demo: DemoLevel, level: Level) -> TextContent:
    wording = level.wording(language)
    labels = ", ".join(REASONS[code][language][0] for code in demo.reasons)
    summary = f"{wording} {RISKS[language]}: {labels}." if labels else wording
    advice = [REASONS[code][language][1] for code in demo.reasons]
    body = "\n\n".join([NOTICE[language], f"{country.local_name(language)}: {wording}", *advice])
    return TextContent(summary, body)


def _areas(country: Country, demo: DemoLevel) -> tuple[AreaContent, ...]:
    known = set(Subdivision.objects.filter(country=country).values_list("code", flat=True))
    return tuple(
        AreaContent(
            code=code, level=number, notes={lang: f"{LEVEL_WORD[lang]} {number}" for lang in NOTICE}
        )
        for code, number in demo.areas
        if code in known
    )


def baseline_content(country: Country, demo: DemoLevel, levels: dict[int, Level]) -> EditionContent:
    level = levels[demo.level]
    return EditionContent(
        level=demo.level,
        reasons=demo.reasons,
        texts={lang: _text(lang, country, demo, level) for lang in NOTICE},
        change_note="Demo baseline",
        effective_at=BASELINE_AT,
        areas=_areas(country, demo) if demo.areas else (),
    )


TURKEY_LEAVE = {
    "en": "All citizens in Turkey should leave the country as soon as possible",
    "he": "כל האזרחים השוהים בטורקיה מתבקשים לצאת ממנה בהקדם האפשרי",
}
TURKEY_BODY = {
    "en": "After demonstrations outside the embassy in Ankara and the consulate general in "
    "Istanbul, and calls to harm Israelis, the National Security Council raises the "
    "travel warning for Turkey to level 4, the highest.\n\n"
    "All citizens in Turkey should leave the country as soon as possible. Do not travel "
    "to Turkey. Until you leave, keep away from demonstrations and from Israeli and "
    "Jewish sites, and do not display Israeli or Jewish symbols.",
    "he": "בעקבות הפגנות מול השגרירות באנקרה ומול הקונסוליה הכללית באיסטנבול וקריאות לפגוע "
    "בישראלים, המטה לביטחון לאומי מעלה את אזהרת המסע לטורקיה לרמה 4, הגבוהה ביותר.\n\n"
    "כל האזרחים השוהים בטורקיה מתבקשים לצאת ממנה בהקדם האפשרי. אין לנסוע לטורקיה. עד "
    "היציאה יש להתרחק מהפגנות וממוקדים ישראליים ויהודיים, ולהימנע מהצגת סמלים ישראליים "
    "או יהודיים.",
}
TURKEY_STATEMENT = {
    "en": "The National Security Council calls on all citizens in Turkey to leave the country "
    "as soon as possible, and on anyone planning to travel there not to go.",
    "he": "המטה לביטחון לאומי קורא לכל האזרחים השוהים בטורקיה לצאת ממנה בהקדם האפשרי, ולמי "
    "שמתכנן לנסוע אליה - לא לנסוע.",
}


def turkey_content(levels: dict[int, Level]) -> EditionContent:
    high = levels[4]
    return EditionContent(
        level=4,
        reasons=("T", "U"),
        texts={
            lang: TextContent(
                f"{high.name(lang)}: {TURKEY_LEAVE[lang]}.",
                f"{NOTICE[lang]}\n\n{TURKEY_BODY[lang]}",
            )
            for lang in NOTICE
        },
        change_note="Raised from level 2 to level 4 after demonstrations at the embassy in "
        "Ankara and the consulate general in Istanbul.",
        effective_at=RAISED_AT,
        is_temporary=False,
    )


def turkey_statement(edition_id: int, issued_at: datetime) -> StatementContent:
    return StatementContent(
        countries=("TR",),
        texts={
            lang: (TURKEY_LEAVE[lang], f"{TURKEY_STATEMENT[lang]}\n\n{NOTICE[lang]}")
            for lang in NOTICE
        },
        edition_id=edition_id,
        issued_at=issued_at,
    )
