"""SMS length: GSM-7 when every character has a GSM 03.38 encoding, else UCS-2, and the
segments each needs (160/153 septets, 70/67 UTF-16 units)."""

from __future__ import annotations

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)

MAX_SEGMENTS = 3
ELLIPSIS = "…"


def septets(text: str) -> int | None:
    """GSM-7 length in septets (extension characters count two), or None if not GSM-7."""
    try:
        return len(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        return None


def ucs2_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def segments(text: str) -> int:
    length = septets(text)
    single, multi = (160, 153) if length is not None else (70, 67)
    if length is None:
        length = ucs2_units(text)
    if length <= single:
        return 1
    return -(-length // multi)


def fit(head: str, body: str, tail: str, *, max_segments: int = MAX_SEGMENTS) -> str:
    """``head + body + tail`` shortened in the body (with "…") to fit ``max_segments``."""
    whole = head + body + tail
    if segments(whole) <= max_segments:
        return whole
    low, high = 0, len(body)
    while low < high:  # the longest body prefix that fits
        middle = (low + high + 1) // 2
        if segments(head + body[:middle].rstrip() + ELLIPSIS + tail) <= max_segments:
            low = middle
        else:
            high = middle - 1
    return head + body[:low].rstrip() + ELLIPSIS + tail
