"""Fold place names for searching: case-, accent- and punctuation-insensitive."""

from __future__ import annotations

import unicodedata

# Letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({"ı": "i", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l"})
# Apostrophes and quotes vanish ("Côte d'Ivoire" ~ "cote divoire", ארה״ב ~ ארהב); hyphens,
# the Hebrew maqaf and other separators become spaces.
_PUNCTUATION = str.maketrans(
    {**dict.fromkeys("'’‘`´\"“”״׳", ""), **dict.fromkeys("-‐‑–—־,.;:()/", " ")}
)


def fold(text: str) -> str:
    """``text`` without case, accents, Hebrew points or punctuation, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(bare.casefold().translate(_PUNCTUATION).split())
