"""The likely-duplicate check's name comparison: the quick upper bounds tried first never
change a verdict of difflib's full ratio."""

from __future__ import annotations

import difflib
import itertools

from casework.cases.services import DUPLICATE_NAME_SIMILARITY, _similar
from casework.text import fold

NAMES = [
    "Amadou Maïga", "amadou maiga", "Amadou Maiga Touré", "Hama Ag Ahmed", "Hamma Ag Ahmed",
    "Boubacar Cissé", "Boubakar Cisse", "Fatoumata Traoré", "Fatimata Traore", "Moussa Sidibé",
    "Issa Sidibé", "Aïssata Diallo", "Aissata Dialo", "Ag", "Kadia", "Kadiatou", "", "Mohamed",
    "Mohamed Ag Intallah", "Intalla Mohamed",
]  # fmt: skip


def _reference(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b or (len(a) >= 5 and a in b) or (len(b) >= 5 and b in a):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= DUPLICATE_NAME_SIMILARITY


def test_the_quick_bounds_keep_every_verdict():
    folded = [fold(name) for name in NAMES]
    verdicts = set()
    for a, b in itertools.product(folded, repeat=2):
        assert _similar(a, b) == _reference(a, b), (a, b)
        verdicts.add(_similar(a, b))
    assert verdicts == {True, False}
