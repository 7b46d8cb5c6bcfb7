"""What the demo's planners share: the bounds of a draw, weighted choices, and the wording
of French texts once names are put in."""

from __future__ import annotations

import random
import re

from casework.cases.states import CaseStatus
from casework.demo.stories import HARM_WORDS

S = CaseStatus
DEFAULT_CASES = 200
DEFAULT_SEED = 2026
# Events happen over the last 18 months; a report comes 0 to 20 days after the event.
MAX_AGE_DAYS = 545
MAX_SESSIONS = 5
DEFAULT_FOLLOW_UP_DAYS = (30, 90)
# Crimes: referred to the authorities, never mediated (DOMAIN.md §5).
STAR_TYPES = ("BANDITISME", "TRAFIC", "GROUPE_ARME", "VBG")
# Land disputes go to the land commission (COFO) at the commune's level.
LAND_TYPES = ("FONCIER", "PATURAGE")


def weighted(rng: random.Random, pairs):
    """One value drawn from (value, weight) pairs or a {value: weight} dictionary."""
    pairs = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
    values = [value for value, _weight in pairs]
    weights = [weight for _value, weight in pairs]
    return rng.choices(values, weights=weights, k=1)[0]


_CONTRACTIONS = (
    (re.compile(r"\bde le "), "du "),
    (re.compile(r"\bde les "), "des "),
    (re.compile(r"\bà le "), "au "),
    (re.compile(r"\bà les "), "aux "),
    (re.compile(r"\bde des "), "de "),
    (re.compile(r"\b([Dd])e (?=[AEIOUÂÉÈÊÎÔaeiouâéèêîô])"), r"\1'"),
)
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-zàâéèêîôç])")


def french(text: str) -> str:
    """French articles and elisions after names are put in: "de le village" becomes "du
    village", "commune de Ansongo" becomes "commune d'Ansongo"."""
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def sentences(text: str) -> str:
    """A capital at the start of each sentence (mentions such as "la fraction…" start
    with a small letter)."""
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def fcfa(amount: int, lang: str) -> str:
    text = f"{amount:,}"
    return text.replace(",", " ") if lang == "fr" else text


def round_to(amount: float, step: int = 5_000) -> int:
    return max(step, int(round(amount / step)) * step)


def harm_sentence(lang: str, deaths: int, injured: int) -> str:
    """The sentence added to a narrative when people died or were seriously injured."""
    parts = [HARM_WORDS["deaths"][lang].format(n=deaths)] * bool(deaths) + [
        HARM_WORDS["injured"][lang].format(n=injured)
    ] * bool(injured)
    harm = HARM_WORDS["and"][lang].join(parts)
    return " " + HARM_WORDS["sentence"][lang].format(harm=harm)
