"""The level of the ladder a session sits at, read from who sat and how (DOMAIN.md §2, §9).

One mapping, here: the actor types and the resolution mechanisms whose level is known. A
session's level is the highest level among the actors present; without actors of a known
level, the level of its mechanism; without either, the case's current level (nothing says
who sat). The user may override the result, with a reason.

Codes not listed (an NGO, a women's association, a palaver or compensation as such) say
nothing about the level: they facilitate at any level. The migration that set the levels of
existing sessions keeps its own frozen copy of MECHANISM_LEVELS.
"""

from __future__ import annotations

from collections.abc import Iterable

from casework.cases.states import LadderLevel

L = LadderLevel

# vocabulary actor_type -> level
ACTOR_LEVELS: dict[str, LadderLevel] = {
    "NOTABLE": L.FAMILLE_NOTABLES,
    "GRIOT": L.FAMILLE_NOTABLES,
    "PARENT_PLAISANTERIE": L.FAMILLE_NOTABLES,
    "MARABOUT": L.FAMILLE_NOTABLES,
    "CHEF_VILLAGE": L.CHEFFERIE,
    "CHEF_FRACTION": L.CHEFFERIE,
    "CHEF_QUARTIER": L.CHEFFERIE,
    "CONSEILLER": L.CHEFFERIE,
    "CADI": L.CHEFFERIE,
    "IMAM": L.CHEFFERIE,
    "AMENOKAL": L.CHEFFERIE,
    "DIORO": L.CHEFFERIE,
    "OULEMA": L.CHEFFERIE,
    "MAIRE": L.COMMUNE,
    "MEMBRE_COFO": L.COMMUNE,
    "MEMBRE_COMITE_PAIX": L.COMMUNE,
    "MEMBRE_CCS": L.COMMUNE,
    "SOUS_PREFET": L.ADMINISTRATION,
    "PREFET": L.ADMINISTRATION,
    "GOUVERNEUR": L.ADMINISTRATION,
    "JUGE": L.JUSTICE_FDS,
    "GENDARMERIE": L.JUSTICE_FDS,
    "POLICE": L.JUSTICE_FDS,
    "GARDE_NATIONALE": L.JUSTICE_FDS,
}

# vocabulary resolution_mechanism -> level
MECHANISM_LEVELS: dict[str, LadderLevel] = {
    "AMIABLE": L.PARTIES,
    "COUSINAGE_PLAISANTERIE": L.FAMILLE_NOTABLES,
    "CONCILIATION_CHEF": L.CHEFFERIE,
    "ARBITRAGE_RELIGIEUX": L.CHEFFERIE,
    "SERMENT_CORAN": L.CHEFFERIE,
    "COFO_CONCILIATION": L.COMMUNE,
    "CCS_CONCERTATION": L.COMMUNE,
    "ADMINISTRATIF": L.ADMINISTRATION,
    "JUDICIAIRE": L.JUSTICE_FDS,
}


def session_level(mechanism: str | None, actor_types: Iterable[str], current: int) -> int:
    """The level of a session held with ``mechanism`` before actors of ``actor_types``, on a
    case now at level ``current``."""
    known = [ACTOR_LEVELS[code] for code in actor_types if code in ACTOR_LEVELS]
    if known:
        return int(max(known))
    if mechanism in MECHANISM_LEVELS:
        return int(MECHANISM_LEVELS[mechanism])
    return int(current)
