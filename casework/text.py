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


# Direction controls: embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069) and
# the marks (LRM, RLM, ALM). An override shows "Moussa<RLO>exe.fdp" as "Moussapdf.exe": a
# title or a name that reads as something else than what was typed.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_NO_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS))
_HAS_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


def without_bidi_controls(text: str) -> str:
    """The text without direction controls, for display (pages, summaries, exports); what
    was typed is stored unchanged. Markup stays Markup.

    Every value a template writes comes here: most hold none (ASCII never does), and are
    returned as they are, without copying them (``Markup.translate`` cost ≈3 ms a list page)."""
    if text.isascii() or _HAS_BIDI.search(text) is None:
        return text
    return text.translate(_NO_BIDI)
