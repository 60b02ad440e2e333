"""Demo baseline levels, plausible for 2023 but invented: demo data, not real advice.

Every country not listed here is at level 1 in the demo.
"""

from __future__ import annotations

from dataclasses import dataclass

from warden.advisories.models import RiskIndicator as Risk

T, U, C, K = Risk.TERRORISM.value, Risk.CIVIL_UNREST.value, Risk.CRIME.value, Risk.KIDNAPPING.value
D, WAR = Risk.WRONGFUL_DETENTION.value, Risk.OTHER.value  # "other": armed conflict


@dataclass(frozen=True)
class DemoLevel:
    level: int
    reasons: tuple[str, ...]
    # ISO 3166-2 codes of areas at a higher level than the country.
    areas: tuple[tuple[str, int], ...] = ()


BASELINE: dict[str, DemoLevel] = {
    # Level 4: at war, hostile to Israelis, or without any functioning consular access.
    "AF": DemoLevel(4, (T, K, U)),
    "IR": DemoLevel(4, (T, D, K)),
    "IQ": DemoLevel(4, (T, K, U)),
    "LB": DemoLevel(4, (T, K, WAR)),
    "LY": DemoLevel(4, (T, K, U, C)),
    "SY": DemoLevel(4, (T, K, WAR)),
    "YE": DemoLevel(4, (T, K, U)),
    "SO": DemoLevel(4, (T, K, C)),
    "SD": DemoLevel(4, (T, U, K)),
    "SS": DemoLevel(4, (U, C, K)),
    "ML": DemoLevel(4, (T, K)),
    "BF": DemoLevel(4, (T, K)),
    "NE": DemoLevel(4, (T, K)),
    "CF": DemoLevel(4, (U, C, K)),
    "KP": DemoLevel(4, (D,)),
    "UA": DemoLevel(4, (WAR,)),
    "PS": DemoLevel(4, (T, K, U)),
    # Level 3: reconsider non-essential travel.
    "EG": DemoLevel(3, (T,), areas=(("EG-SIN", 4), ("EG-JS", 4))),
    "JO": DemoLevel(3, (T, U)),
    "MA": DemoLevel(3, (T,)),
    "TN": DemoLevel(3, (T,)),
    "DZ": DemoLevel(3, (T, K)),
    "MR": DemoLevel(3, (T, K)),
    "PK": DemoLevel(3, (T, K)),
    "BD": DemoLevel(3, (T, U)),
    "NG": DemoLevel(3, (T, K, C)),
    "CD": DemoLevel(3, (U, C, K)),
    "ET": DemoLevel(3, (U,)),
    "HT": DemoLevel(3, (C, K, U)),
    "RU": DemoLevel(3, (WAR, D)),
    "BY": DemoLevel(3, (WAR, D)),
    "MY": DemoLevel(3, (T,)),
    # Level 2: increased precautions.
    "TR": DemoLevel(2, (T, U)),
    "AE": DemoLevel(2, (T,)),
    "BH": DemoLevel(2, (T,)),
    "QA": DemoLevel(2, (T,)),
    "OM": DemoLevel(2, (T,)),
    "KW": DemoLevel(2, (T,)),
    "SA": DemoLevel(2, (T,)),
    "AZ": DemoLevel(2, (T,)),
    "GE": DemoLevel(2, (T,)),
    "KZ": DemoLevel(2, (T,)),
    "UZ": DemoLevel(2, (T,)),
    "IN": DemoLevel(2, (T,)),
    "KE": DemoLevel(2, (T, C)),
    "MX": DemoLevel(2, (C, K)),
    "CO": DemoLevel(2, (C, K)),
    "ZA": DemoLevel(2, (C,)),
    "PH": DemoLevel(2, (T, K)),
}

DEFAULT = DemoLevel(1, ())


def baseline(code: str) -> DemoLevel:
    return BASELINE.get(code, DEFAULT)
