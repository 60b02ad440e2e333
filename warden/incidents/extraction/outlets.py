"""News outlets and agencies named in a text: a list of well-known ones, and the shapes
"the X newspaper", "X news agency reported" for the rest."""

from __future__ import annotations

import functools
import re
from typing import Any

# Canonical name -> other ways of writing it.
OUTLETS: dict[str, tuple[str, ...]] = {
    "AFP": ("Agence France-Presse", "Agence France Presse", "סוכנות הידיעות הצרפתית"),
    "Reuters": ("רויטרס",),
    "Associated Press": ("AP", "the AP", "סוכנות הידיעות AP"),
    "Anadolu Agency": ("Anadolu", "Anadolu news agency", "AA", "אנדולו"),
    "Demirören News Agency": ("DHA", "Demiroren News Agency"),
    "İhlas News Agency": ("IHA", "İHA"),
    "TRT": ("TRT World", "TRT Haber"),
    "Daily Sabah": (),
    "Hürriyet": ("Hurriyet", "Hürriyet Daily News"),
    "Cumhuriyet": (),
    "Yeni Asır": ("Yeni Asir",),
    "NTV": (),
    "BBC": ("BBC News", "BBC Arabic", "BBC Persian", "בי-בי-סי"),
    "CNN": (),
    "Sky News": (),
    "Al Jazeera": ("Al-Jazeera", "אל-ג'זירה", "אל ג'זירה"),
    "Al Arabiya": ("Al-Arabiya", "אל-ערבייה"),
    "Al-Masirah": ("Al Masirah",),
    "Al-Manar": ("Al Manar",),
    "National News Agency": ("NNA",),
    "WAFA": ("Wafa",),
    "Petra": ("Petra news agency",),
    "MENA": ("Middle East News Agency",),
    "SANA": (),
    "IRNA": (),
    "Tasnim": ("Tasnim news agency",),
    "Fars": ("Fars news agency",),
    "KUNA": (),
    "Saudi Press Agency": ("SPA",),
    "Bahrain Mirror": (),
    "TASS": ("ТАСС",),
    "RIA Novosti": ("RIA",),
    "Interfax": (),
    "Suspilne": (),
    "Ukrinform": (),
    "Kyiv Independent": ("The Kyiv Independent",),
    "DPA": ("dpa", "Deutsche Presse-Agentur"),
    "Der Spiegel": ("Spiegel",),
    "Le Monde": (),
    "Le Figaro": (),
    "ANSA": (),
    "EFE": (),
    "Xinhua": (),
    "PTI": ("Press Trust of India",),
    "Dawn": (),
    "Daily Star": ("The Daily Star",),
    "Punch": ("The Punch",),
    "Premium Times": (),
    "Nation": ("Daily Nation",),
    "The New York Times": ("New York Times", "NYT"),
    "The Washington Post": ("Washington Post",),
    "The Guardian": ("Guardian",),
    "The Times": (),
    "Financial Times": ("FT",),
    "The Wall Street Journal": ("Wall Street Journal", "WSJ"),
    "Bloomberg": (),
    "Haaretz": ("הארץ",),
    "Times of Israel": ("The Times of Israel",),
    "Jerusalem Post": ("The Jerusalem Post",),
    "Ynet": ("ynet", "Ynetnews", "וויינט"),
    "Kan": ("Kan News", "Kan 11", "כאן 11", "כאן חדשות"),
    "Channel 12": ("N12", "חדשות 12"),
    "Channel 13": ("חדשות 13",),
    "i24NEWS": ("i24 News",),
    "Walla": ("וואלה",),
    "Maariv": ("מעריב",),
    "Israel Hayom": ("ישראל היום",),
    "Yedioth Ahronoth": ("ידיעות אחרונות",),
    "Army Radio": ('גלי צה"ל', 'גל"צ'),
}
# Outlets known only by a short or common word count only with an outlet word around them.
NEEDS_CONTEXT = frozenset(
    {
        "AP",
        "AA",
        "RIA",
        "FT",
        "Kan",
        "Nation",
        "Petra",
        "Punch",
        "Dawn",
        "Fars",
        "Guardian",
        "The Times",
        "Walla",
        "Spiegel",
    }
)
OUTLET_WORD = (
    r"(?:newspaper|daily|news agency|agency|television|TV|broadcaster|channel|website|"
    r"radio|news site|wire|reported|reports|said|told)"
)
_NAME = r"[A-Z][\w'’.-]*(?:[ -](?:[A-Z][\w'’.-]*|al|el))*"
_SHAPE = re.compile(
    rf"\b(?:the\s+)?(?:local\s+|state-run\s+|state\s+|Houthi-run\s+|[\w-]+-run\s+)?"
    rf"(?P<name>{_NAME})\s+(?P<word>newspaper|daily|news agency|television|broadcaster|"
    r"website|radio|news site)\b"
)


@functools.lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    canonical: dict[str, str] = {}
    for name, variants in OUTLETS.items():
        for variant in (name, *variants):
            canonical[variant] = name
    alternatives = "|".join(re.escape(v) for v in sorted(canonical, key=len, reverse=True))
    return re.compile(rf"(?<![\w\u0590-\u05ff])(?:{alternatives})(?![\w\u0590-\u05ff])"), canonical


def find_outlets(text: str) -> list[dict[str, Any]]:
    """[{"name": canonical name, "spans": [[start, end], ...]}] in order of appearance."""
    pattern, canonical = _pattern()
    found: dict[str, list[list[int]]] = {}
    for match in pattern.finditer(text):
        variant = match.group()
        if variant in NEEDS_CONTEXT and not _outlet_context(text, match.start(), match.end()):
            continue
        found.setdefault(canonical[variant], []).append([match.start(), match.end()])
    for match in _SHAPE.finditer(text):
        name = match.group("name")
        if name in canonical or any(_inside(match.span("name"), s) for s in _all(found)):
            continue
        if name.split()[0] in ("The", "A", "An") or len(name) < 3:
            continue
        found.setdefault(name, []).append(list(match.span("name")))
    return sorted(
        ({"name": name, "spans": spans} for name, spans in found.items()),
        key=lambda o: o["spans"][0][0],
    )


def _outlet_context(text: str, start: int, end: int) -> bool:
    around = text[max(0, start - 30) : end + 30]
    return bool(re.search(OUTLET_WORD, around)) or text[start:end].isupper()


def _all(found: dict[str, list[list[int]]]) -> list[list[int]]:
    return [span for spans in found.values() for span in spans]


def _inside(span: tuple[int, int], other: list[int]) -> bool:
    return span[0] < other[1] and other[0] < span[1]
