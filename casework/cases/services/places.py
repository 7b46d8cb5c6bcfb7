"""Fractions, the other places of a case, and the condition that selects a case by any of
its places (issue 15).

A case has the place of the incident (``Case.unit``) and optional other places
(``CasePlace``: a party's home commune, the transhumance route, another place). Lists and
reports select a case by any of them; access to the case stays by the place of the incident
(see docs/decisions.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from casework.audit import fields as audit_fields
from casework.auth.models import User
from casework.cases.enums import EventKind, PlaceRole
from casework.cases.models import NAME_MAX, Case, CasePlace, Fraction
from casework.cases.services.base import CaseError, _audit_as, _event
from casework.core import checks
from casework.extensions import db
from casework.geo.models import AdminUnit, UnitKind
from casework.geo.services import UnitChoice
from casework.i18n import _l
from casework.permissions import Action, Resource, Scope, scope
from casework.text import fold
from casework.vocab import services as vocab

FRACTION_GROUP = "fraction_group"
# A fraction's usual range, and a case's other places: a handful, not a map.
MAX_RANGE = 30
MAX_PLACES = 20
DATA_FILE = Path(__file__).parent.parent / "data" / "fractions.json"

audit_fields.declare_fields(
    "fractions",
    titles={
        "group_code": _l("Group"),
        "home_unit_id": _l("Home commune"),
        "range_units": _l("Usual seasonal range"),
    },
    public={"name", "group_code"},
    ignored=set(),
)
audit_fields.declare_fields(
    "parties", titles={"fraction_id": _l("Fraction (registry)")}, public=set(), ignored=set()
)
audit_fields.declare_fields(
    "case_places", titles={"role": _l("Role of the place")}, public={"role"}, ignored=set()
)


# --- selecting cases by any of their places --------------------------------------------------


def unit_ids_within(area: AdminUnit | UnitChoice) -> sa.Select:
    return sa.select(AdminUnit.id).where(AdminUnit.path.startswith(area.path))


def units_and_cases_placed_within(area: AdminUnit) -> tuple[list[int], list[int]]:
    """The ids of the units of ``area`` (it and those below it), and of the cases placed
    in it by one of their other places (not the incident's): a few, read once, by one
    query (a report asks for both in every query)."""
    units: dict[int, None] = {}
    cases: dict[int, None] = {}
    for unit_id, case_id in db.session.execute(
        sa.select(AdminUnit.id, CasePlace.case_id)
        .outerjoin(CasePlace, CasePlace.unit_id == AdminUnit.id)
        .where(AdminUnit.id.in_(unit_ids_within(area)))
    ):
        units[unit_id] = None
        if case_id is not None:
            cases[case_id] = None
    return list(units), list(cases)


def any_place_within(area: AdminUnit | UnitChoice | None) -> sa.ColumnElement[bool]:
    """Cases whose place of the incident, or one of whose other places, is ``area`` or lies
    below it (no area: every case). The other places are read by unit from
    ``ix_case_places_unit_id_case_id``: the few cases that have one in the area."""
    if area is None:
        return sa.true()
    units = unit_ids_within(area)
    elsewhere = sa.select(CasePlace.case_id).where(CasePlace.unit_id.in_(units))
    return sa.or_(Case.unit_id.in_(units), Case.id.in_(elsewhere))


# --- the fraction registry -------------------------------------------------------------------


@dataclass
class FractionData:
    name: str
    group_code: str | None
    home_unit_id: int | None
    range_unit_ids: list[int] = field(default_factory=list)


def _commune(unit_id: int | None) -> AdminUnit | None:
    unit = db.session.get(AdminUnit, unit_id) if unit_id else None
    return unit if unit is not None and unit.kind == UnitKind.COMMUNE.value else None


def manages_fractions_of(user: User, unit: AdminUnit, action: Action = Action.EDIT) -> bool:
    """Whether the user may add (CREATE) or correct (EDIT) a fraction whose home commune is
    ``unit``: every fraction for an administrator, those of their area for a coordinator."""
    granted = scope(user.role, Resource.FRACTION, action) if user.is_authenticated else None
    if granted == Scope.ALL:
        return True
    return granted is not None and user.area is not None and user.area.contains(unit)


def _check_fraction(data: FractionData, by: User, fraction: Fraction | None) -> AdminUnit:
    data.name = checks.check_text(data.name, _l("The name"), NAME_MAX, required=True)
    vocab.check_code(
        FRACTION_GROUP,
        data.group_code,
        _l("The group"),
        current=fraction.group_code if fraction else None,
    )
    home = _commune(data.home_unit_id)
    if home is None:
        raise CaseError(_l("Choose the fraction's home commune."))
    if not manages_fractions_of(by, home, Action.EDIT if fraction else Action.CREATE):
        raise CaseError(_l("This place is outside your area."))
    ids = list(dict.fromkeys(data.range_unit_ids or []))
    if len(ids) > MAX_RANGE:
        raise CaseError(_l("At most %(max)s communes in the range.", max=MAX_RANGE))
    if any(_commune(unit_id) is None for unit_id in ids):
        raise CaseError(_l("The seasonal range is a list of communes."))
    data.range_unit_ids = ids
    same = sa.select(Fraction.id).where(
        Fraction.name_search == fold(data.name), Fraction.home_unit_id == home.id
    )
    if fraction is not None:
        same = same.where(Fraction.id != fraction.id)
    if db.session.scalar(same) is not None:
        raise CaseError(_l("This fraction is already in the registry."))
    return home


def save_fraction(data: FractionData, by: User, fraction: Fraction | None = None) -> Fraction:
    """Add a fraction to the registry, or correct one (the audit trail records its fields
    and, apart, its range: a list of communes the field-level trail would not see)."""
    if fraction is not None and not manages_fractions_of(by, fraction.home_unit):
        raise CaseError(_l("This place is outside your area."))
    home = _check_fraction(data, by, fraction)
    before = [unit.code for unit in fraction.range_units] if fraction is not None else []
    if fraction is None:
        fraction = Fraction()
        db.session.add(fraction)
    fraction.name = data.name
    fraction.name_search = fold(data.name)
    fraction.group_code = data.group_code
    fraction.home_unit = home
    fraction.home_unit_id = home.id
    units = {
        unit.id: unit
        for unit in db.session.scalars(
            sa.select(AdminUnit).where(AdminUnit.id.in_(data.range_unit_ids))
        )
    }
    fraction.range_units = [units[unit_id] for unit_id in data.range_unit_ids]
    db.session.flush()
    after = [unit.code for unit in fraction.range_units]
    if sorted(before) != sorted(after):
        # The whole range as it now is (the entry before it gives the previous one).
        _audit_as(by, "change", fraction, {"range_units": ", ".join(after) or "—"})
    return fraction


def set_fraction_active(fraction: Fraction, active: bool) -> Fraction:
    """An inactive fraction leaves the parties' choices; the parties that name it keep it."""
    fraction.is_active = active
    db.session.flush()
    return fraction


def fraction_choices(include: int | None = None) -> list[tuple[str, str]]:
    """``(id, "name (group, home commune)")`` of the active fractions, and ``include``."""
    rows = db.session.scalars(
        sa.select(Fraction)
        .where(sa.or_(Fraction.is_active.is_(True), Fraction.id == (include or 0)))
        .order_by(Fraction.name_search)
    )
    return [
        (
            str(row.id),
            f"{row.name} ({vocab.label(FRACTION_GROUP, row.group_code)}, {row.home_unit.name})",
        )
        for row in rows
    ]


def check_party_fraction(fraction_id: int | None, current: int | None = None) -> None:
    """A party names an active fraction of the registry (or keeps the one it has)."""
    if fraction_id is None:
        return
    fraction = db.session.get(Fraction, fraction_id)
    if fraction is None or (not fraction.is_active and fraction_id != current):
        raise CaseError(_l("Choose a fraction of the registry."))


@dataclass(frozen=True)
class SeedResult:
    created: int
    skipped: int


def seed_fractions() -> SeedResult:
    """Add the starter fractions (casework/cases/data/fractions.json) that are missing; one
    already in the registry (same name and home commune) is left as it is. Needs the
    geography and the vocabularies seeded first; a fraction whose commune is unknown is
    skipped."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        items = json.load(fh)["fractions"]
    created = skipped = 0
    for item in items:
        home = db.session.scalar(sa.select(AdminUnit).where(AdminUnit.code == item["home"]))
        if home is None:
            skipped += 1
            continue
        exists = db.session.scalar(
            sa.select(Fraction.id).where(
                Fraction.name_search == fold(item["name"]), Fraction.home_unit_id == home.id
            )
        )
        if exists is not None:
            skipped += 1
            continue
        fraction = Fraction(
            name=item["name"],
            name_search=fold(item["name"]),
            group_code=item["group"],
            home_unit_id=home.id,
        )
        fraction.range_units = list(
            db.session.scalars(sa.select(AdminUnit).where(AdminUnit.code.in_(item["range"])))
        )
        db.session.add(fraction)
        created += 1
    db.session.flush()
    return SeedResult(created, skipped)


# --- the other places of a case --------------------------------------------------------------


def set_case_places(case: Case, places: dict[str, list[int]], by: User) -> list[CasePlace]:
    """Replace the case's other places by ``places`` ({role: [unit ids]}). A place may lie
    outside the user's area (a herder's home commune in another region): it gives nobody
    access to the case. The place of the incident is not repeated."""
    wanted: list[tuple[int, str]] = []
    for role, unit_ids in places.items():
        checks.check_choice(PlaceRole, role, _l("Role of the place"))
        for unit_id in unit_ids or []:
            if (unit_id, role) not in wanted:
                wanted.append((unit_id, role))
    if len(wanted) > MAX_PLACES:
        raise CaseError(_l("At most %(max)s other places.", max=MAX_PLACES))
    ids = {unit_id for unit_id, _role in wanted}
    known = set(db.session.scalars(sa.select(AdminUnit.id).where(AdminUnit.id.in_(ids))))
    if ids - known:
        raise CaseError(_l("Choose the places from the list."))
    if case.unit_id in ids:
        raise CaseError(_l("The place of the incident is already the case's place."))
    current = {(place.unit_id, place.role): place for place in case.places}
    removed = [place for key, place in current.items() if key not in wanted]
    added = [key for key in wanted if key not in current]
    if not removed and not added:
        return list(case.places)
    _event(case, EventKind.EDITED, by)
    for place in removed:
        case.places.remove(place)
        db.session.delete(place)
    for unit_id, role in added:
        case.places.append(CasePlace(case_id=case.id, unit_id=unit_id, role=role))
    db.session.flush()
    return list(case.places)
