"""The likely-duplicate check's name comparison: the bound tried first (rapidfuzz's longest
common subsequence ratio) never changes a verdict of the comparison it replaced (difflib's
full ratio, or one name inside the other)."""

from __future__ import annotations

import difflib
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from casework.cases.services import DUPLICATE_NAME_SIMILARITY, _similar
from casework.text import fold

# Accents, word order, typos, doubled letters, transliterations of the same first name,
# particles (Ag, Ould, Walet), short names and names inside longer ones.
NAMES = [
    "Amadou Maïga", "amadou maiga", "Amadou Maiga Touré", "Hama Ag Ahmed", "Hamma Ag Ahmed",
    "Boubacar Cissé", "Boubakar Cisse", "Fatoumata Traoré", "Fatimata Traore", "Moussa Sidibé",
    "Issa Sidibé", "Aïssata Diallo", "Aissata Dialo", "Ag", "Kadia", "Kadiatou", "", "Mohamed",
    "Mohamed Ag Intallah", "Intalla Mohamed", "Mahamadou", "Mahamadou Touré", "Mohamed Touré",
    "Mouhamadou Toure", "Muhammad Touré", "Mamadou Touré", "Maïga Amadou", "Amadou Maïgaa",
    "Amadu Maiga", "Ahmadou Maiga", "Ousmane Cissé", "Usman Cisse", "Oumar Ould Mohamed",
    "Omar Ould Mohamed", "Aïcha Walet Alhousseini", "Aicha Wallet Alhousseyni",
    "Fanta Koné", "Fanta Kone", "Fanta Konaté", "Seydou Dicko", "Seïdou Diko", "Djénéba Coulibaly",
    "Jeneba Coulibali", "N'Diaye", "Ndiaye Oumou", "Oumou N’Diaye", "Coopérative des éleveurs",
    "Cooperative des eleveurs de Gao", "Tinhinan", "Tin Hinan", "Bintou", "Binta",
]  # fmt: skip


def _before(a: str, b: str) -> bool:
    """The comparison before issue 19's change, as it was written."""
    if not a or not b:
        return False
    if a == b or (len(a) >= 5 and a in b) or (len(b) >= 5 and b in a):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= DUPLICATE_NAME_SIMILARITY


def test_the_bound_keeps_every_verdict_over_varied_names():
    folded = [fold(name) for name in NAMES]
    verdicts = set()
    for a, b in itertools.product(folded, repeat=2):
        assert _similar(a, b) == _before(a, b), (a, b)
        verdicts.add(_similar(a, b))
    assert verdicts == {True, False}
    # Pairs the check flags: a typo, a doubled letter, a transliteration, a longer name.
    for a, b in (
        ("Boubacar Cissé", "Boubakar Cisse"),
        ("Hama Ag Ahmed", "Hamma Ag Ahmed"),
        ("Mahamadou Touré", "Mouhamadou Toure"),
        ("Amadou Maïga", "Amadou Maiga Touré"),
        ("Seïdou Diko", "Seydou Dicko"),  # no word in common
    ):
        assert _similar(fold(a), fold(b)), (a, b)
    # and pairs it does not: another person of the same family, another order of the words.
    for a, b in (("Moussa Sidibé", "Issa Sidibé"), ("Amadou Maïga", "Maïga Amadou")):
        assert not _similar(fold(a), fold(b)), (a, b)


# Names close to each other: a few letters, so that similar pairs are common.
_NEAR_NAMES = st.text(alphabet="aeioumdgk ", min_size=0, max_size=24).map(fold)


@settings(max_examples=600, deadline=None)
@given(_NEAR_NAMES, _NEAR_NAMES)
def test_the_bound_keeps_every_verdict_over_generated_names(a, b):
    assert _similar(a, b) == _before(a, b)
