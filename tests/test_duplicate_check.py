"""The duplicate check at registration (issue 19): it finds the cases the check it replaced
found (the commune's most recent cases within 90 days, their parties' names compared one by
one, the newest first), and it loads only the cases it finds."""

from __future__ import annotations

import difflib
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from casework.auth.models import User
from casework.cases import services
from casework.cases.models import Case
from casework.cases.services import duplicates
from casework.core.dates import today
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.geo.services import get_unit_by_code
from casework.text import fold
from tests.test_cases import GAO_COMMUNE, NTILLIT

QUARTER = "GAO-GAO-GAO-CHATEAU"  # a quartier of the Gao commune
# (place, days before today of the events, parties): one case each, no two on the same day.
CASES = [
    (GAO_COMMUNE, 3, ("Amadou Maïga", "Hama Ag Ahmed")),
    (QUARTER, 5, ("Amadu Maiga", "Fanta Koné")),
    (GAO_COMMUNE, 8, ("Mouhamadou Toure",)),
    (QUARTER, 12, ("Boubakar Cisse", "Aïcha Walet Alhousseini")),
    (GAO_COMMUNE, 20, ("Amadou Maiga Touré",)),
    (GAO_COMMUNE, 33, ("Seïdou Diko", "Fatimata Traore")),
    (QUARTER, 47, ("Maïga Amadou",)),
    (GAO_COMMUNE, 60, ("Amadou Maïgaa", "Oumou N’Diaye")),
    (GAO_COMMUNE, 85, ("Boubacar Cissé",)),
    (GAO_COMMUNE, 95, ("Amadou Maïga",)),  # outside the window of an event today
    (GAO_COMMUNE, 200, ("Amadou Maïga",)),  # outside every window below
    (NTILLIT, 4, ("Amadou Maïga", "Boubacar Cissé")),  # another commune
]
# What is being registered: (place, days before today of the events, parties).
SEARCHES = [
    (GAO_COMMUNE, 3, ["Amadou Maiga"]),
    (QUARTER, 0, ["amadou maiga", "Boubacar Cissé"]),
    (GAO_COMMUNE, 10, ["Mahamadou Touré", "Fanta Kone"]),
    (GAO_COMMUNE, 40, ["Seydou Dicko", "Aicha Wallet Alhousseyni"]),
    (GAO_COMMUNE, 0, ["Usman Cisse"]),
    (NTILLIT, 0, ["Amadou Maïga"]),
    (GAO_COMMUNE, 110, ["Amadou Maïga"]),
    (QUARTER, 0, ["Djénéba Coulibaly", "Oumou Ndiaye"]),
]


def _similar_before(a: str, b: str) -> bool:
    if not a or not b:
        return False
    if a == b or (len(a) >= 5 and a in b) or (len(b) >= 5 and b in a):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= duplicates.DUPLICATE_NAME_SIMILARITY


def _found_before(unit_id, event_date, names, *, candidates, exclude_id=None, limit=5):
    """The check before issue 19's change, as it was written (its 200 candidates given)."""
    names = [fold(name) for name in names if fold(name)]
    commune = services.commune_of(db.session.get(AdminUnit, unit_id))
    window = timedelta(days=duplicates.DUPLICATE_WINDOW_DAYS)
    rows = db.session.scalars(
        sa.select(Case)
        .join(AdminUnit, Case.unit_id == AdminUnit.id)
        .where(
            AdminUnit.path.startswith(commune.path),
            Case.event_date.between(event_date - window, event_date + window),
            Case.id != (exclude_id or 0),
        )
        .options(selectinload(Case.parties))
        .order_by(Case.event_date.desc())
        .limit(candidates)
    )
    found = []
    for case in rows:
        if any(_similar_before(n, p.name_search) for p in case.parties for n in names):
            found.append(case.id)
            if len(found) >= limit:
                break
    return found


@pytest.fixture
def commune_cases(app, seeded, make_user):
    admin = make_user("admin", username="dup.admin")
    with app.test_request_context():
        by = db.session.get(User, admin.id)
        ids = []
        for code, days, names in CASES:
            day = today() - timedelta(days=days)
            case = services.register_case(
                services.CaseData(
                    unit_id=get_unit_by_code(code).id,
                    event_date=day,
                    reported_on=today(),
                    channel="PLAINTE_DIRECTE",
                    conflict_type="DEGATS_CHAMPETRES",
                    scope="INTRACOMMUNAUTAIRE",
                    title=f"Champ détruit ({days})",
                ),
                [services.PartyData(role="complainant", name=name) for name in names],
                by,
            )
            ids.append(case.id)
        db.session.commit()
        return ids


@pytest.mark.parametrize("candidates", [200, 4])
def test_the_check_finds_what_the_check_before_found(app, commune_cases, monkeypatch, candidates):
    # With 4 candidates, only the commune's 4 most recent cases of the window are compared.
    monkeypatch.setattr(duplicates, "DUPLICATE_CANDIDATES", candidates)
    flagged = set()
    with app.test_request_context():
        for code, days, names in SEARCHES:
            unit, day = get_unit_by_code(code).id, today() - timedelta(days=days)
            for options in ({}, {"limit": 2}, {"exclude_id": commune_cases[0]}):
                found = [c.id for c in services.likely_duplicates(unit, day, names, **options)]
                before = _found_before(unit, day, names, candidates=candidates, **options)
                assert found == before, (code, days, names, options)
                flagged.update(found)
    assert len(flagged) >= (6 if candidates == 200 else 3)


def test_the_check_loads_only_the_cases_it_finds(app, commune_cases):
    loaded = []

    def on_load(case, _context):
        loaded.append(case.id)

    with app.test_request_context():
        db.session.expunge_all()
        unit = get_unit_by_code(QUARTER).id
        sa.event.listen(Case, "load", on_load)
        try:
            found = services.likely_duplicates(unit, today(), ["Boubacar Cissé"])
        finally:
            sa.event.remove(Case, "load", on_load)
        assert [case.id for case in found] == [commune_cases[3], commune_cases[8]]
        assert sorted(loaded) == sorted(case.id for case in found)
        # The cases found come with their parties, which the warning lists.
        assert [p.name for p in found[0].parties] == ["Boubakar Cisse", "Aïcha Walet Alhousseini"]
