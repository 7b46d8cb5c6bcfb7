"""Text helpers shared by every domain: folding for accent- and case-blind search."""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"['\u2019\u02bc`´]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str | None) -> str:
    """Lower case, no accents, no apostrophes, words separated by single spaces.

    ``fold("N'Tillit")`` and ``fold("ntillit")`` are both ``"ntillit"``; ``fold("Ménaka")``
    is ``"menaka"``. Used for the stored search columns and for what people type.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe")
    stripped = _APOSTROPHES.sub("", stripped.lower())
    return _NOT_WORD.sub(" ", stripped).strip()


def search_tokens(query: str | None, limit: int = 8) -> list[str]:
    """The distinct folded words of a search, at most ``limit`` of them."""
    seen: list[str] = []
    for token in fold(query).split():
        if token not in seen:
            seen.append(token)
    return seen[:limit]
