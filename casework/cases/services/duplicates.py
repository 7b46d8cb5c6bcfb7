"""Likely duplicates of a case being registered: same commune, close dates, similar names."""

from __future__ import annotations

import difflib
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from casework.cases.models import Case
from casework.cases.services.intake import commune_of
from casework.core import dates
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.text import fold

DUPLICATE_WINDOW_DAYS = 90
DUPLICATE_NAME_SIMILARITY = 0.85


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
    and case ignored)."""
    names = [fold(name) for name in party_names if fold(name)]
    unit = db.session.get(AdminUnit, unit_id) if unit_id else None
    if unit is None or event_date is None or not names:
        return []
    commune = commune_of(unit)
    window = timedelta(days=DUPLICATE_WINDOW_DAYS)
    candidates = db.session.scalars(
        sa.select(Case)
        .join(AdminUnit, Case.unit_id == AdminUnit.id)
        .where(
            AdminUnit.path.startswith(commune.path),
            Case.event_date.between(
                dates.add_days(event_date, -window.days), dates.add_days(event_date, window.days)
            ),
            Case.id != (exclude_id or 0),
        )
        .options(selectinload(Case.parties))
        .order_by(Case.event_date.desc())
        .limit(200)
    )
    found = []
    for case in candidates:
        if any(_similar(name, party.name_search) for party in case.parties for name in names):
            found.append(case)
            if len(found) >= limit:
                break
    return found


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b or (len(a) >= 5 and a in b) or (len(b) >= 5 and b in a):
        return True
    # The two quick upper bounds first: the same verdict, without the full ratio for most
    # of the (up to 200 cases') names that are nothing alike.
    matcher = difflib.SequenceMatcher(None, a, b)
    return (
        matcher.real_quick_ratio() >= DUPLICATE_NAME_SIMILARITY
        and matcher.quick_ratio() >= DUPLICATE_NAME_SIMILARITY
        and matcher.ratio() >= DUPLICATE_NAME_SIMILARITY
    )
