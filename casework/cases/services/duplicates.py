"""Likely duplicates of a case being registered: same commune, close dates, similar names."""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from rapidfuzz.distance import Indel
from sqlalchemy.orm import selectinload

from casework.cases.models import Case, Party
from casework.cases.services.intake import commune_of
from casework.core import dates
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.text import fold

DUPLICATE_WINDOW_DAYS = 90
DUPLICATE_NAME_SIMILARITY = 0.85
# The most recent cases of the commune and window whose parties are compared.
DUPLICATE_CANDIDATES = 200
# Rounding room for the bound below: it may let a pair through to difflib, never keep one out.
_BOUND_SLACK = 1e-9


# --- duplicates, lists, search --------------------------------------------------------------


def likely_duplicates(
    unit_id: int | None,
    event_date: date | None,
    party_names: list[str],
    *,
    exclude_id: int | None = None,
    limit: int = 5,
) -> list[Case]:
    """Cases in the same commune, within 90 days, with a party of a similar name (accents
    and case ignored): among the commune's 200 most recent cases of the window, newest
    first.

    The candidates' names are read as (case id, folded name) pairs from two indexes, and
    only the cases found are loaded (see docs/performance.md, issue 19)."""
    names = [fold(name) for name in party_names if fold(name)]
    unit = db.session.get(AdminUnit, unit_id) if unit_id else None
    if unit is None or event_date is None or not names:
        return []
    matching = (
        case_id
        for case_id, party_names_of_case in _candidate_names(
            commune_of(unit), event_date, exclude_id
        )
        if any(_similar(name, other) for other in party_names_of_case for name in names)
    )
    found = list(itertools.islice(matching, limit))
    if not found:
        return []
    cases = db.session.scalars(
        sa.select(Case).where(Case.id.in_(found)).options(selectinload(Case.parties))
    ).all()
    by_id = {case.id: case for case in cases}
    return [by_id[case_id] for case_id in found if case_id in by_id]


def _candidate_names(
    commune: AdminUnit, event_date: date, exclude_id: int | None
) -> Iterable[tuple[int, list[str]]]:
    """The parties' folded names of the commune's most recent cases within the window, case
    by case, newest first: the case ids come from the (unit, event date) index alone."""
    days = DUPLICATE_WINDOW_DAYS
    places = sa.select(AdminUnit.id).where(AdminUnit.path.startswith(commune.path))
    recent = (
        sa.select(Case.id, Case.event_date)
        .where(
            Case.unit_id.in_(places),
            Case.event_date.between(
                dates.add_days(event_date, -days), dates.add_days(event_date, days)
            ),
            Case.id != (exclude_id or 0),
        )
        .order_by(Case.event_date.desc(), Case.id.desc())
        .limit(DUPLICATE_CANDIDATES)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(recent.c.id, Party.name_search)
        .join(Party, Party.case_id == recent.c.id)
        .order_by(recent.c.event_date.desc(), recent.c.id.desc())
    )
    names: dict[int, list[str]] = {}
    for case_id, name in rows:
        names.setdefault(case_id, []).append(name)
    return names.items()


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b or (len(a) >= 5 and a in b) or (len(b) >= 5 and b in a):
        return True
    # difflib's matching blocks are a common subsequence of the two names, so its ratio is
    # never above the longest common subsequence's, 2·LCS / (len a + len b), which
    # rapidfuzz computes in C: most pairs stop here, the rest get difflib's own verdict.
    if Indel.normalized_similarity(a, b) < DUPLICATE_NAME_SIMILARITY - _BOUND_SLACK:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= DUPLICATE_NAME_SIMILARITY
