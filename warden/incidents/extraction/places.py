"""Find places in a text: countries, areas, cities and the organisation's own posts.

A name counts when it is written as a name (capitalised, in Latin script) and is not part
of a longer proper noun ("Magen David Adom", "Israel Defense Forces", "Iran-backed"). A city
counts when it is large or its country is named (or implied by a nationality) in the text;
where several cities share a name, one in a country the text names wins, then the largest.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from typing import Any

from warden.geo.text import fold
from warden.incidents.extraction.gazetteer import (
    BIG_CITY,
    DEMONYMS,
    OWN_NATIONALITY,
    Gazetteer,
    Place,
)
from warden.incidents.extraction.tokens import HEBREW_PREFIXES, Sentence, Token

Span = tuple[int, int]

# Lower-case words allowed inside a name ("Bosnia and Herzegovina", "Port-au-Prince").
CONNECTORS = frozenset(
    [
        "and",
        "of",
        "the",
        "al",
        "el",
        "de",
        "du",
        "la",
        "le",
        "di",
        "da",
        "au",
        "ad",
        "as",
        "an",
        "ar",
        "at",
        "az",
        "ash",
    ]
)
# Capitalised words that may follow a place without making it part of another name.
GENERIC_NEXT = frozenset(
    [
        "city",
        "province",
        "governorate",
        "district",
        "region",
        "airport",
        "square",
        "street",
        "police",
        "governor",
        "university",
        "municipality",
        "county",
        "state",
        "port",
        "camp",
        "border",
    ]
)
# Words before a name that make it a person's name or an institution's.
TITLES = frozenset(
    [
        "mayor",
        "governor",
        "minister",
        "president",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "general",
        "colonel",
        "officer",
        "mr",
        "mrs",
        "ms",
        "dr",
        "sheikh",
        "prime",
        "king",
        "prince",
    ]
)
POST_WORDS = re.compile(r"\b(embassy|consulate[\s-]general|consulate)\b", re.IGNORECASE)
POST_WORDS_HE = re.compile(r"(?<![\u0590-\u05ff])[והבלמש]{0,2}(שגרירות|קונסוליה|קונסוליית)")
POST_KINDS = {
    "embassy": ("embassy",),
    "consulate": ("consulate_general", "consulate"),
    "שגרירות": ("embassy",),
    "קונסוליה": ("consulate_general", "consulate"),
    "קונסוליית": ("consulate_general", "consulate"),
}


@dataclass
class Mention:
    kind: str
    candidates: list[Place]
    first: int
    last: int
    start: int
    end: int
    blocked: bool = False
    place: Place | None = None


@dataclass
class Found:
    place: Place
    spans: list[Span] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        p = self.place
        return {
            "kind": p.kind,
            "name": p.name,
            "country": p.country,
            "key": p.key,
            "latitude": p.latitude,
            "longitude": p.longitude,
            "geonameid": p.geonameid,
            "post_id": p.post_id,
            "post_kind": p.post_kind,
            "city": p.city,
            "spans": [list(s) for s in self.spans],
        }


def find_places(
    text: str,
    tokens: list[Token],
    sentences: list[Sentence],
    gazetteer: Gazetteer,
    *,
    exclude: list[Span] = (),  # type: ignore[assignment]
) -> list[dict[str, Any]]:
    starts = {s.start for s in sentences}
    skip = [*exclude, *_owner_spans(text)]
    mentions = [m for m in _scan(text, tokens, gazetteer) if not _overlaps(m, skip)]
    for mention in mentions:
        mention.blocked = _blocked(text, tokens, mention, starts)
    context = _context_countries(tokens, mentions)
    found: dict[str, Found] = {}
    for mention in mentions:
        if mention.blocked:
            continue
        place = _resolve(mention, context)
        if place is not None:
            mention.place = place
            found.setdefault(place.key, Found(place)).spans.append((mention.start, mention.end))
    for place, span in _posts(text, sentences, gazetteer, mentions, context):
        found.setdefault(place.key, Found(place)).spans.append(span)
    ordered = sorted(found.values(), key=lambda f: min(f.spans))
    return [f.as_dict() for f in ordered]


def _scan(text: str, tokens: list[Token], gazetteer: Gazetteer) -> list[Mention]:
    mentions: list[Mention] = []
    i, count = 0, len(tokens)
    while i < count:
        for size in range(min(gazetteer.longest, count - i), 0, -1):
            mention = _match(text, tokens[i : i + size], gazetteer)
            if mention is not None:
                mentions.append(mention)
                i += size
                break
        else:
            i += 1
    return mentions


def _match(text: str, window: list[Token], gazetteer: Gazetteer) -> Mention | None:
    if not _contiguous(text, window) or not _written_as_name(window):
        return None
    keys = [" ".join(t.key for t in window)]
    first = window[0]
    if first.hebrew and first.text[0] in HEBREW_PREFIXES:
        rest = " ".join(t.key for t in window[1:])
        for cut in (1, 2):
            keys.append(f"{fold(first.text[cut:])} {rest}".strip())
    for key in keys:
        hit = gazetteer.lookup(key)
        if hit is not None:
            kind, candidates = hit
            return Mention(
                kind, candidates, first.index, window[-1].index, first.start, window[-1].end
            )
    return None


def _contiguous(text: str, window: list[Token]) -> bool:
    for left, right in itertools.pairwise(window):
        if left.possessive or text[left.end : right.start] not in (" ", "-", "‐", "־"):
            return False
    return True


def _written_as_name(window: list[Token]) -> bool:
    if window[0].hebrew:
        return True
    return window[0].capitalized and all(
        t.capitalized or t.key in CONNECTORS or t.text.isupper() for t in window[1:]
    )


def _overlaps(mention: Mention, spans: list[Span]) -> bool:
    return any(mention.start < end and start < mention.end for start, end in spans)


def _blocked(text: str, tokens: list[Token], mention: Mention, starts: set[int]) -> bool:
    """Whether the name is part of a longer proper noun, or a person's name."""
    if tokens[mention.first].hebrew:
        return False
    after = text[mention.end : mention.end + 2]
    if len(after) == 2 and after[0] in "-‐" and after[1].islower():
        return True  # "Iran-backed", "US-led"
    if mention.first > 0:
        prev = tokens[mention.first - 1]
        if text[prev.end : mention.start] == " ":
            if prev.key in TITLES:
                return True
            if prev.capitalized and prev.start not in starts and prev.key not in CONNECTORS:
                return not prev.possessive
    last = tokens[mention.last]
    if mention.last + 1 < len(tokens) and not last.possessive:
        nxt = tokens[mention.last + 1]
        if text[last.end : nxt.start] == " " and nxt.capitalized and nxt.key not in GENERIC_NEXT:
            return True
    return False


def _context_countries(tokens: list[Token], mentions: list[Mention]) -> set[str]:
    codes = {m.candidates[0].country for m in mentions if m.kind in ("country", "area")}
    codes |= {DEMONYMS[t.key] for t in tokens if DEMONYMS.get(t.key)}
    return codes


def _resolve(mention: Mention, context: set[str]) -> Place | None:
    if mention.kind != "city":
        return mention.candidates[0]
    local = [c for c in mention.candidates if c.country in context]
    if local:
        return local[0]
    biggest = mention.candidates[0]
    return biggest if biggest.population >= BIG_CITY else None


def _posts(
    text: str,
    sentences: list[Sentence],
    gazetteer: Gazetteer,
    mentions: list[Mention],
    context: set[str],
) -> list[tuple[Place, Span]]:
    if not gazetteer.posts:
        return []
    own_in_text = any(fold(word) in OWN_NATIONALITY for word in re.findall(r"[\w'’]+", text))
    found = []
    for match in (*POST_WORDS.finditer(text), *POST_WORDS_HE.finditer(text)):
        word = fold(match.group(1)).split()[0]
        kinds = POST_KINDS.get(word, POST_KINDS.get(match.group(1), ()))
        owner = _owner(text, match)
        if owner == "foreign":
            continue
        sentence = next((s for s in sentences if s.start <= match.start() < s.end + 1), None)
        # "the consulate in Istanbul": unmarked, it is ours only where we have one named there.
        strict = owner == "" and not own_in_text
        post = _post_for(gazetteer, kinds, match.start(), sentence, mentions, context, strict)
        if post is not None:
            found.append((post, (match.start(), match.end())))
    return found


def _owner_spans(text: str) -> list[Span]:
    """Where the own nationality is part of a post's name ("שגרירות ישראל", "Israel's
    embassy"): that names the post, not the country."""
    spans: list[Span] = []
    for match in (*POST_WORDS.finditer(text), *POST_WORDS_HE.finditer(text)):
        after = re.match(r"\s+(?:הכללית\s+)?(?:of\s+|של\s+)?([\w'’]+)", text[match.end() :])
        if after and fold(after.group(1)) in OWN_NATIONALITY:
            spans.append((match.end() + after.start(1), match.end() + after.end(1)))
        before = re.search(r"([\w'’]+)\s+$", text[max(0, match.start() - 30) : match.start()])
        if before and fold(re.sub(r"['’]s$", "", before.group(1))) in OWN_NATIONALITY:
            offset = max(0, match.start() - 30)
            spans.append((offset + before.start(1), offset + before.end(1)))
    return spans


def _owner(text: str, match: re.Match[str]) -> str:
    """ "own", "foreign" or "" (not said), from the word before the post word or after it."""
    before = re.findall(r"[\w'’.]+", text[max(0, match.start() - 40) : match.start()])
    after = re.match(r"\s+(?:הכללית\s+)?(?:of\s+|של\s+)?([\w'’.\"״]+)", text[match.end() :])
    words = [before[-1] if before else "", after.group(1) if after else ""]
    for word in words:
        key = fold(re.sub(r"['’]s$", "", word))
        if key in OWN_NATIONALITY:
            return "own"
    for word in words:
        key = fold(re.sub(r"['’]s$", "", word))
        if key in DEMONYMS or (word[:1].isupper() and key in ("us", "uk", "u s")):
            return "foreign"
    return ""


def _post_for(
    gazetteer: Gazetteer,
    kinds: tuple[str, ...],
    at: int,
    sentence: Sentence | None,
    mentions: list[Mention],
    context: set[str],
    strict: bool = False,
) -> Place | None:
    posts = [p for p in gazetteer.posts if p.post_kind in kinds]
    cities = [m for m in mentions if m.kind == "city" and m.place is not None]
    if sentence is not None:
        near = [m for m in cities if sentence.start <= m.start < sentence.end]
        near.sort(key=lambda m: abs(m.start - at))
        for mention in near:
            assert mention.place is not None
            match = [p for p in posts if fold(p.city) == fold(mention.place.name)]
            if match:
                return match[0]
    if strict:
        return None
    named = {fold(m.place.name) for m in cities if m.place is not None}
    in_cities = [p for p in posts if fold(p.city) in named]
    if len(in_cities) == 1:
        return in_cities[0]
    in_countries = [p for p in posts if p.country in context]
    return in_countries[0] if len(in_countries) == 1 else None
