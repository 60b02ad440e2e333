"""Words and sentences of a text, with their character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from warden.geo.text import fold

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(
    r"(?<=[.!?])[\"”’]?\s+(?=[\"“]?[A-Z0-9\u0590-\u05ff])|\s*\n\s*\n\s*|(?<=[^.!?,;:])\n\s*"
)
HEBREW = re.compile(r"[\u0590-\u05ff]")
# One-letter Hebrew prefixes (and, the, in, to, from, as, that) before a name: באנקרה.
HEBREW_PREFIXES = "ובהלמכש"


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    index: int
    key: str  # folded, without a possessive ending: "Lebanon's" -> "lebanon"

    @property
    def possessive(self) -> bool:
        return self.text[-2:] in ("'s", "’s")

    @property
    def hebrew(self) -> bool:
        return bool(HEBREW.match(self.text))

    @property
    def capitalized(self) -> bool:
        return self.text[:1].isupper()


def tokenize(text: str) -> list[Token]:
    return [
        Token(m.group(), m.start(), m.end(), i, _key(m.group()))
        for i, m in enumerate(_WORD.finditer(text))
    ]


def _key(word: str) -> str:
    if len(word) > 3 and word[-2:] in ("'s", "’s"):
        word = word[:-2]
    return fold(word)


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int
    end: int


def sentences(text: str) -> list[Sentence]:
    found, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        found.append(Sentence(text[start : match.start()], start, match.start()))
        start = match.end()
    if text[start:].strip():
        found.append(Sentence(text[start:].rstrip(), start, len(text.rstrip())))
    return found


def is_hebrew(text: str) -> bool:
    letters = [ch for ch in text[:2000] if ch.isalpha()]
    return bool(letters) and sum(1 for ch in letters if HEBREW.match(ch)) > len(letters) / 2
