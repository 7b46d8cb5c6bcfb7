"""Reading the tree of units: validity, descendants, search, choices, lookups."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from casework.core import versions
from casework.db import utcnow
from casework.extensions import db
from casework.geo.models import AdminUnit, UnitKind
from casework.text import fold, search_tokens

# --- reading the tree -------------------------------------------------------------------------


def today() -> date:
    # Bamako is on UTC all year: the UTC date is the local date.
    return utcnow().date()


def valid_on_clause(day: date | None = None) -> sa.ColumnElement[bool]:
    """Units valid on ``day`` (today by default)."""
    day = day or today()
    return sa.and_(
        AdminUnit.valid_from <= day,
        sa.or_(AdminUnit.valid_to.is_(None), AdminUnit.valid_to >= day),
    )


def descendants_clause(unit: AdminUnit) -> sa.ColumnElement[bool]:
    """A condition on AdminUnit: this unit and everything below it."""
    if not unit.path:
        # An empty prefix would match every unit: scoping must never widen by accident.
        raise ValueError(f"unit {unit.code} has no path yet")
    return AdminUnit.path.startswith(unit.path)


def unit_ids_within(unit: AdminUnit) -> sa.Select[tuple[int]]:
    """The ids of this unit and everything below it, to scope other records by area
    (``Case.unit_id.in_(unit_ids_within(area))``)."""
    return sa.select(AdminUnit.id).where(descendants_clause(unit))


def search_units(
    query: str | None,
    kind: str | UnitKind | None = None,
    limit: int = 20,
    on: date | None = None,
) -> list[AdminUnit]:
    """Units valid on ``on`` (today by default) whose name matches what was typed,
    regardless of accents, case, apostrophes and spaces; names starting with it first."""
    tokens = search_tokens(query)
    if not tokens:
        return []
    squeezed = "".join(tokens)
    name_squeezed = sa.func.replace(AdminUnit.name_search, " ", "")
    matches = sa.or_(
        sa.and_(*(AdminUnit.name_search.contains(token) for token in tokens)),
        name_squeezed.contains(squeezed),  # "ntillit" finds "N Tillit", "sonyaliber" too
    )
    starts = sa.case((name_squeezed.startswith(squeezed), 0), else_=1)
    depth = sa.case({k.value: k.depth for k in UnitKind}, value=AdminUnit.kind, else_=9)
    statement = (
        sa.select(AdminUnit)
        .where(matches, valid_on_clause(on))
        .order_by(starts, depth, AdminUnit.name_search, AdminUnit.id)
        .limit(limit)
    )
    if kind:
        statement = statement.where(AdminUnit.kind == str(kind))
    return list(db.session.scalars(statement))


def _tree_order(unit: AdminUnit) -> tuple[tuple[str, int], ...]:
    # (name, id) per level: a unit's key is a prefix of its descendants', so it comes first.
    return tuple((fold(above.name), above.id) for above in unit.ancestry)


@dataclass(frozen=True)
class UnitChoice:
    id: int
    code: str
    kind: str
    path: str
    label: str


# Every list and form offers the units: 72 or so, with their ancestors in their labels and
# sorted by folded names. Each process keeps them per database, version of the geography
# (casework.core.versions: any process that changes a unit gives the geography a new
# version) and day (validity dates).


def unit_choice_list() -> list[UnitChoice]:
    """The units valid today, in tree order, from this process's cache."""
    return versions.cached("geo", _build_unit_choices, key=today())


def _build_unit_choices() -> list[UnitChoice]:
    units = sorted(
        db.session.scalars(sa.select(AdminUnit).where(valid_on_clause())), key=_tree_order
    )
    return [UnitChoice(unit.id, unit.code, unit.kind, unit.path, unit.label) for unit in units]


def choices_within(
    area: AdminUnit | None,
    *,
    everything: bool = False,
    kinds: Iterable[str | UnitKind] | None = None,
) -> list[UnitChoice]:
    """The units valid today in ``area`` and below (all of them when ``everything``; none
    when there is no area), optionally of some kinds only."""
    wanted = None if kinds is None else {str(kind) for kind in kinds}
    return [
        choice
        for choice in unit_choice_list()
        if (everything or (area is not None and choice.path.startswith(area.path)))
        and (wanted is None or choice.kind in wanted)
    ]


def choices(
    kinds: Iterable[str | UnitKind] | None = None, on: date | None = None
) -> list[tuple[int, str]]:
    """``(id, label)`` of the units valid on ``on`` (today by default), in tree order
    (each region, then what lies under it, by name): for select fields."""
    if on is None:
        return [(c.id, c.label) for c in choices_within(None, everything=True, kinds=kinds)]
    statement = sa.select(AdminUnit).where(valid_on_clause(on))
    if kinds is not None:
        statement = statement.where(AdminUnit.kind.in_([str(kind) for kind in kinds]))
    units = sorted(db.session.scalars(statement), key=_tree_order)
    return [(unit.id, unit.label) for unit in units]


def children_of(parent: AdminUnit | None) -> list[AdminUnit]:
    """The units directly under ``parent`` (the regions when None), by name; every date."""
    condition = (
        AdminUnit.parent_id.is_(None) if parent is None else AdminUnit.parent_id == parent.id
    )
    return list(
        db.session.scalars(sa.select(AdminUnit).where(condition).order_by(AdminUnit.name_search))
    )


def count_children(units: Sequence[AdminUnit]) -> dict[int, int]:
    """How many units lie directly under each of these, in one query."""
    if not units:
        return {}
    rows = db.session.execute(
        sa.select(AdminUnit.parent_id, sa.func.count(AdminUnit.id))
        .where(AdminUnit.parent_id.in_([unit.id for unit in units]))
        .group_by(AdminUnit.parent_id)
    )
    return {parent_id: count for parent_id, count in rows}


def get_unit(unit_id: int) -> AdminUnit | None:
    return db.session.get(AdminUnit, unit_id)


def get_unit_by_code(code: str) -> AdminUnit | None:
    return db.session.scalar(sa.select(AdminUnit).where(AdminUnit.code == code.strip().upper()))


def region_of(unit: AdminUnit) -> AdminUnit:
    """The region a unit lies in (itself for a region): its code prefixes case references."""
    return unit.region


def list_units(kind: str | UnitKind | None = None) -> list[AdminUnit]:
    """Every unit (of one kind, if given), in tree order."""
    statement = sa.select(AdminUnit)
    if kind:
        statement = statement.where(AdminUnit.kind == str(kind))
    return sorted(db.session.scalars(statement), key=_tree_order)
