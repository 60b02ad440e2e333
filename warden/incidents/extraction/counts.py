"""Counts of killed, injured, arrested and crowd size, as low / best / high.

The first figure for a kind is the best estimate; every figure for it widens the range
("at least 10", "a lower toll of four" -> low 4, best 10, high 10). Vague words are coded
conservatively: several 3, dozens 24, hundreds 200, thousands 2,000, tens of thousands 20,000.
"""

from __future__ import annotations

import re
from typing import Any

WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a hundred": 100,
    "a dozen": 12,
    "several": 3,
    "a few": 3,
    "a handful of": 3,
    "dozens of": 24,
    "dozens": 24,
    "scores of": 40,
    "several hundred": 200,
    "hundreds of thousands of": 200_000,
    "hundreds of": 200,
    "hundreds": 200,
    "several thousand": 2000,
    "tens of thousands of": 20_000,
    "thousands of": 2000,
    "thousands": 2000,
    "שניים": 2,
    "שלושה": 3,
    "עשרות": 24,
    "מאות": 200,
    "אלפי": 2000,
    "אלפים": 2000,
    "עשרות אלפי": 20_000,
}
_WORD_NUMBERS = "|".join(re.escape(w) for w in sorted(WORDS, key=len, reverse=True))
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?:\s+million)?|{_WORD_NUMBERS})"
QUALIFIER = (
    r"(?:(?P<qual>at least|more than|over|nearly|almost|about|around|some|an estimated|"
    r"estimated|up to|as many as|approximately|roughly|fewer than|less than)\s+)?"
)
RANGE = (
    rf"(?:between\s+(?P<lo>{NUM})\s+and\s+(?P<hi>{NUM})"
    rf"|(?P<lo2>{NUM})\s+(?:to|-|–)\s+(?P<hi2>{NUM}))"
)
FILLER = r"(?:\s+(?!and\b|or\b|of\b)[\w'’-]+){0,5}?"
VERBS = {
    "killed": r"killed|dead|died|deaths|fatalities|lost their lives|נהרגו|נרצחו|הרוגים",
    "injured": r"injured|wounded|hurt|נפצעו|פצועים",
    "arrested": r"arrested|detained|taken into custody|in custody|נעצרו|עצורים",
}
ACTIVE = {
    "killed": r"killing|killed|kills",
    "injured": r"injuring|wounding|injured|wounded",
    "arrested": r"detained|arrested|detaining|arresting",
}
CROWD_NOUNS = (
    r"people|protesters|demonstrators|marchers|men|women|supporters|worshippers|students|"
    r"residents|mourners|מפגינים|אנשים"
)
CROWD_VERBS = r"gathered|rallied|marched|joined|took part|protested|demonstrated|התאספו|הפגינו"


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    found: list[tuple[str, re.Pattern[str]]] = []
    for kind, verbs in VERBS.items():
        found.append(
            (
                kind,
                re.compile(
                    rf"(?<![\w,])(?<!no ){QUALIFIER}(?P<num>{NUM}){FILLER}\s+(?:{verbs})\b", re.I
                ),
            )
        )
        found.append(
            (
                kind,
                re.compile(
                    rf"\b(?:{ACTIVE[kind]})\s+{QUALIFIER}(?P<num>{NUM})\b"
                    r"(?!\s*(?:%|per cent|km|of\s+\d))",
                    re.I,
                ),
            )
        )
    found.append(
        (
            "killed",
            re.compile(
                rf"\b(?:death toll|toll|figure)(?:\s+[\w'’-]+){{0,6}}?\s+(?:of|to|at)\s+"
                rf"(?:the low end of\s+)?(?:{RANGE}|{QUALIFIER}(?P<num>{NUM}))",
                re.I,
            ),
        )
    )
    found.append(
        (
            "crowd",
            re.compile(
                rf"(?<![\w,]){QUALIFIER}(?P<num>{NUM})\s+(?:of\s+)?(?:{CROWD_NOUNS})"
                rf"(?:\s+[\w'’-]+){{0,2}}?\s+(?:{CROWD_VERBS})\b",
                re.I,
            ),
        )
    )
    found.append(
        (
            "crowd",
            re.compile(
                rf"(?<![\w,]){QUALIFIER}(?P<num>{NUM})\s+(?:of\s+)?(?:protesters|demonstrators|marchers|"
                rf"מפגינים)",
                re.I,
            ),
        )
    )
    found.append(
        ("crowd", re.compile(rf"\b(?:crowd|mob|rally|march) of\s+{QUALIFIER}(?P<num>{NUM})", re.I))
    )
    return found


PATTERNS = _patterns()


def number(text: str) -> int | None:
    value = text.strip().lower()
    if value in WORDS:
        return WORDS[value]
    scale = 1
    if value.endswith("million"):
        value, scale = value.removesuffix("million").strip(), 1_000_000
    try:
        return int(float(value.replace(",", "")) * scale)
    except ValueError:
        return None


def find_counts(text: str) -> dict[str, dict[str, Any]]:
    """{kind: {"low", "best", "high", "spans"}} for the kinds the text gives figures for."""
    figures: dict[str, list[tuple[int, int, int, int, str]]] = {}
    taken: set[tuple[str, int]] = set()
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            for low, high, start in _values(match):
                if (kind, start) not in taken:
                    taken.add((kind, start))
                    qual = (match.groupdict().get("qual") or "").lower()
                    figures.setdefault(kind, []).append((start, low, high, match.end(), qual))
    return {kind: _range(sorted(items)) for kind, items in figures.items()}


def _values(match: re.Match[str]) -> list[tuple[int, int, int]]:
    groups = match.groupdict()
    for lo_key, hi_key in (("lo", "hi"), ("lo2", "hi2")):
        if groups.get(lo_key) and groups.get(hi_key):
            low, high = number(groups[lo_key]), number(groups[hi_key])
            if low is not None and high is not None:
                return [(min(low, high), max(low, high), match.start(lo_key))]
    if groups.get("num"):
        value = number(groups["num"])
        if value is not None:
            return [(value, value, match.start("num"))]
    return []


def _range(items: list[tuple[int, int, int, int, str]]) -> dict[str, Any]:
    _start, best, _high, _end, qual = items[0]
    low = min(item[1] for item in items)
    high = max(item[2] for item in items)
    if qual in ("up to", "as many as", "fewer than", "less than", "nearly", "almost"):
        best = low
    return {
        "low": low,
        "best": best,
        "high": high,
        "spans": [[item[0], item[3]] for item in items],
    }
