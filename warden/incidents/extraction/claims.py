"""Attributions: who claims what, with which cue, through which relays.

English shapes: "…, X said." / "X told AFP that …" / "according to X" / "X, which denied …" /
"… cited by Y", "quoted by Y", "carried by Y" for relays. Hebrew: "כך דיווחה X", "לפי X",
", מסר X", "X טען כי". An outlet that reports at the end of a sentence relays every other
claim in that sentence. The relay chain ends with the outlet that published the text.
"""

from __future__ import annotations

import re
from typing import Any

from warden.geo.text import fold
from warden.incidents.extraction.tokens import Sentence

CUES = {
    "said": "said",
    "says": "said",
    "say": "said",
    "stated": "said",
    "added": "said",
    "wrote": "said",
    "insisted": "said",
    "announced": "announced",
    "confirmed": "confirmed",
    "told": "told",
    "tells": "told",
    "reported": "reports",
    "reports": "reports",
    "claimed": "claimed",
    "claims": "claimed",
    "alleged": "claimed",
    "denied": "denied",
    "denies": "denied",
    "estimated": "estimated",
    "אמר": "said",
    "אמרה": "said",
    "אמרו": "said",
    "מסר": "said",
    "מסרה": "said",
    "מסרו": "said",
    "טען": "claimed",
    "טענה": "claimed",
    "טענו": "claimed",
    "הודיע": "announced",
    "הודיעה": "announced",
    "הודיעו": "announced",
    "הכחיש": "denied",
    "הכחישה": "denied",
    "הכחישו": "denied",
    "דיווח": "reports",
    "דיווחה": "reports",
    "דיווחו": "reports",
    "לפי": "according to",
    "לדברי": "according to",
}
_EN = "said|says|say|stated|added|wrote|insisted|announced|confirmed|told|tells|reported|reports|claimed|claims|alleged|denied|denies|estimated"  # noqa: E501
_HE_VERBS = "אמר|אמרה|אמרו|מסר|מסרה|מסרו|טען|טענה|טענו|הודיע|הודיעה|הודיעו|הכחיש|הכחישה|הכחישו"
WHO = r"[^,;:\"“”]{2,90}?"
TRAILING = re.compile(rf",\s+(?P<who>{WHO})\s+(?P<verb>{_EN})\b(?P<rest>[^,.;]*)(?=[,.;]|$)")
LEADING = re.compile(
    rf"(?:^|,\s+and\s+|;\s+|\bwhile\s+|\bbut\s+|\band\s+)(?P<who>{WHO})\s+"
    rf"(?:later\s+|also\s+|on\s+\w+\s+|previously\s+)?(?P<verb>{_EN})\b(?P<rest>[^,.;]*)"
)
ACCORDING = re.compile(r"\baccording to\s+(?P<who>[^,.;]+)", re.IGNORECASE)
WHICH = re.compile(
    rf"(?P<who>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*),\s+which\s+(?P<verb>{_EN})\b(?P<rest>[^.;]*)"
)
HE_REPORTED = re.compile(r"(?:כך\s+)?(?P<verb>דיווח|דיווחה|דיווחו|לפי|לדברי)\s+(?P<who>[^,.;]+)")
HE_VERB_FIRST = re.compile(rf"(?:^|,\s*)(?P<verb>{_HE_VERBS})\s+(?P<who>[^,.;]+?)\s*(?=[,.;]|$)")
HE_SUBJECT_FIRST = re.compile(
    rf"(?:^|,\s*|ואילו\s+)(?P<who>[^,.;]{{2,60}}?)\s+(?P<verb>{_HE_VERBS})\s+(?:כי|ש|על)"
)
RELAY_IN = re.compile(
    r"\s+(?:quoted|cited|carried|reported|relayed)\s+by\s+(?P<relay>.+)$", re.IGNORECASE
)
RELAY_AFTER = re.compile(r"\b(?:carried|quoted|cited|reported)\s+by\s+(?P<relay>[^,.;]+)")
TOLD = re.compile(r"^\s+(?:the\s+)?(?P<relay>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)")
NOT_WHO = re.compile(
    r"\b(?:were|was|had|has|have|is|are|been|that|which|who|no|not|its|their|his|her)\b"
    r"|^(?:he|she|it|they|we|i|there|this)$|\d",
    re.IGNORECASE,
)
LEADING_WORDS = re.compile(r"^(?:and|while|but|ואילו|ו)\s+", re.IGNORECASE)
TRAILING_WORDS = re.compile(r"\s+(?:in a statement|on telegram|on x|at the scene)$", re.I)
SOURCE_OF = re.compile(r"^(?:a|the)\s+(?:statement|report)\s+(?:from|by|of)\s+", re.I)


def find_claims(
    sentences: list[Sentence], outlets: list[dict[str, Any]], outlet: str = ""
) -> list[dict[str, Any]]:
    names = _outlet_names(outlets)
    claims: list[dict[str, Any]] = []
    for sentence in sentences:
        found = _sentence_claims(sentence, names)
        reporters = [c for c in found if c["cue"] == "reports" and _outlet(c["claimant"], names)]
        for claim in found:
            chain = claim["relay_chain"]
            for reporter in reporters:
                canonical = _outlet(reporter["claimant"], names)
                if claim is not reporter and canonical and canonical not in chain:
                    chain.append(canonical)
            if outlet and (not chain or chain[-1] != outlet):
                chain.append(outlet)
        claims.extend(found)
    return claims


def _sentence_claims(sentence: Sentence, names: dict[str, str]) -> list[dict[str, Any]]:
    text = sentence.text
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    shapes = (
        (LEADING, False),
        (TRAILING, False),
        (WHICH, False),
        (ACCORDING, False),
        (HE_REPORTED, True),
        (HE_VERB_FIRST, True),
        (HE_SUBJECT_FIRST, True),
    )
    for pattern, hebrew in shapes:
        for match in pattern.finditer(text):
            claim = _claim(sentence, match, names, hebrew)
            if claim is None:
                continue
            key = fold(claim["claimant"])
            if key in seen or any(key in s or s in key for s in seen):
                continue
            seen.add(key)
            found.append(claim)
    return sorted(found, key=lambda c: c["cue_span"][0])


def _claim(
    sentence: Sentence, match: re.Match[str], names: dict[str, str], hebrew: bool
) -> dict[str, Any] | None:
    who = LEADING_WORDS.sub("", match.group("who").strip())
    who = SOURCE_OF.sub("", TRAILING_WORDS.sub("", who)).strip()
    who = re.sub(r"\s*\([^)]*\)", "", who).strip()  # "Demirören News Agency (DHA)"
    relays: list[str] = []
    relay = RELAY_IN.search(who)
    if relay:
        relays.append(relay.group("relay").strip())
        who = who[: relay.start()].strip()
    if not _plausible(who, hebrew):
        return None
    groups = match.groupdict()
    verb = groups.get("verb") or "according to"
    rest = groups.get("rest") or ""
    if CUES.get(verb, verb) == "told" and (told := TOLD.match(rest)):
        relays.append(told.group("relay"))
    clause_end = sentence.text.find(",", match.end("who"))
    clause_end = len(sentence.text) if clause_end < 0 else clause_end
    after = RELAY_AFTER.search(sentence.text, match.end("who"), clause_end)
    if after and after.group("relay").strip() not in relays:
        relays.append(after.group("relay").strip())
    chain = [who, *(names.get(fold(r), _canonical_in(r, names) or r) for r in relays)]
    return {
        "claimant": who,
        "cue": CUES.get(verb, verb),
        "relay_chain": list(dict.fromkeys(chain)),
        "content": sentence.text.strip()[:1000],
        "span": [sentence.start, sentence.end],
        "cue_span": [sentence.start + match.start(), sentence.start + match.end()],
    }


def _plausible(who: str, hebrew: bool) -> bool:
    words = who.split()
    if not words or len(words) > (8 if hebrew else 12):
        return False
    if hebrew:
        return not re.search(r"\d", who)
    if NOT_WHO.search(who):
        return False
    return any(w[:1].isupper() for w in words) or bool(
        re.search(
            r"police|officials?|residents|witnesses|ministry|military|army|spokes\w+|"
            r"organisers|organizers|sources?|group|media|authorities|government|office",
            who,
            re.IGNORECASE,
        )
    )


def _outlet_names(outlets: list[dict[str, Any]]) -> dict[str, str]:
    from warden.incidents.extraction.outlets import OUTLETS

    names = {fold(o["name"]): o["name"] for o in outlets}
    for name, variants in OUTLETS.items():
        for variant in (name, *variants):
            names.setdefault(fold(variant), name)
    return names


def _canonical_in(text: str, names: dict[str, str]) -> str | None:
    folded = f" {fold(text)} "
    hits = [name for key, name in names.items() if len(key) > 2 and f" {key} " in folded]
    return max(hits, key=len) if hits else None


def _outlet(claimant: str, names: dict[str, str]) -> str | None:
    return names.get(fold(claimant)) or _canonical_in(claimant, names)
