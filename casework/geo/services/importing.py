"""Checking a file of units against the database, importing it, seeding the starter set."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import resources
from typing import IO, Any

import sqlalchemy as sa

from casework.extensions import db
from casework.geo.models import ALLOWED_PARENT, AdminUnit, UnitKind
from casework.geo.services.common import (
    _CHUNK,
    STARTER_SET,
    GeoImportError,
    ImportResult,
    UnitRow,
    _Parsed,
)
from casework.geo.services.parsing import _check_duplicates, _check_record, _parse
from casework.i18n import _l
from casework.text import fold

# --- checking against the database and importing ----------------------------------------------


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _units_by_code(codes: Iterable[str]) -> dict[str, AdminUnit]:
    wanted = sorted(set(codes))
    found: dict[str, AdminUnit] = {}
    for chunk in _chunks(wanted):
        for unit in db.session.scalars(sa.select(AdminUnit).where(AdminUnit.code.in_(chunk))):
            found[unit.code] = unit
    return found


def _check_parents(
    parsed: _Parsed, existing: dict[str, AdminUnit], outside: dict[str, AdminUnit]
) -> None:
    """Each parent exists (in the file or the database) and is of the kind allowed above."""
    in_file: dict[str, str | None] = {}
    for _line, code, kind in parsed.entries:
        in_file.setdefault(code, kind)
    for row in parsed.rows:
        if row.parent_code is None:
            continue
        if row.parent_code in in_file:
            parent_kind = in_file[row.parent_code]
            if parent_kind is None:
                continue  # the parent's own line is reported; do not blame this one too
        elif row.parent_code in outside:
            parent_kind = outside[row.parent_code].kind
        else:
            parsed.problems.add(
                row.line,
                _l(
                    "Line %(line)s: the parent %(parent)s is neither in the file "
                    "nor in the database.",
                    line=row.line,
                    parent=row.parent_code,
                ),
            )
            continue
        expected = ALLOWED_PARENT[UnitKind(row.kind)]
        if expected is not None and parent_kind != expected.value:
            parsed.problems.add(
                row.line,
                _l(
                    "Line %(line)s: a %(kind)s must be under a %(expected)s, "
                    "but %(parent)s is a %(parent_kind)s.",
                    line=row.line,
                    kind=row.kind,
                    expected=expected.value,
                    parent=row.parent_code,
                    parent_kind=parent_kind,
                ),
            )
    _check_kind_changes(parsed, existing, in_file)


def _check_kind_changes(
    parsed: _Parsed, existing: dict[str, AdminUnit], in_file: dict[str, str | None]
) -> None:
    """A unit that changes kind must still fit the units below it that the file leaves alone."""
    for row in parsed.rows:
        unit = existing.get(row.code)
        if unit is None or unit.kind == row.kind:
            continue
        children = db.session.scalars(
            sa.select(AdminUnit).where(AdminUnit.parent_id == unit.id).order_by(AdminUnit.code)
        )
        misfits = [
            child
            for child in children
            if child.code not in in_file and ALLOWED_PARENT[child.kind_enum] != row.kind
        ]
        if misfits:
            parsed.problems.add(
                row.line,
                _l(
                    "Line %(line)s: %(code)s cannot become a %(kind)s: %(count)s units "
                    "below it would no longer fit, for example %(child)s.",
                    line=row.line,
                    code=row.code,
                    kind=row.kind,
                    count=len(misfits),
                    child=misfits[0].code,
                ),
            )


def _values_of(row: UnitRow) -> dict[str, str]:
    return {
        "code": row.code,
        "kind": row.kind,
        "name": row.name,
        "parent_code": row.parent_code or "",
        "valid_from": row.valid_from.isoformat(),
        "valid_to": row.valid_to.isoformat() if row.valid_to else "",
    }


def _parent_code(unit: AdminUnit) -> str | None:
    return unit.parent.code if unit.parent is not None else None


def _differs(unit: AdminUnit, row: UnitRow) -> bool:
    return (
        unit.name != row.name
        or unit.name_search != fold(row.name)
        or unit.kind != row.kind
        or _parent_code(unit) != row.parent_code
        or unit.valid_from != row.valid_from
        or unit.valid_to != row.valid_to
    )


def import_units(
    source: str | bytes | IO[Any] | Sequence[UnitRow], *, dry_run: bool = False
) -> ImportResult:
    """Check a whole units file, then create or update its units by code (all or nothing).

    ``source`` is CSV text, bytes, a stream, or rows from ``parse_units_csv``. Raises
    GeoImportError with every bad line and changes nothing. With ``dry_run`` the file is
    only checked and the counts say what an import would do. Flushes, never commits.
    """
    if isinstance(source, Sequence) and not isinstance(source, str | bytes):
        parsed = _Parsed()
        for row in source:  # rows built by hand get the same checks as a file's lines
            _check_record(row.line, _values_of(row), parsed)
        _check_duplicates(parsed.entries, parsed.problems)
    else:
        parsed = _parse(source)
    file_codes = {code for _line, code, _kind in parsed.entries}
    existing = _units_by_code(file_codes)
    outside = _units_by_code(
        row.parent_code
        for row in parsed.rows
        if row.parent_code is not None and row.parent_code not in file_codes
    )
    _check_parents(parsed, existing, outside)
    if parsed.problems:
        raise GeoImportError(parsed.problems)

    by_code = {**outside, **existing}
    created = updated = unchanged = 0
    # Parents first: a kind's depth orders the tree, so a new parent exists before its child.
    ordered = sorted(parsed.rows, key=lambda row: UnitKind(row.kind).depth)
    for row in ordered:
        unit = existing.get(row.code)
        if unit is None:
            created += 1
        elif _differs(unit, row):
            updated += 1
        else:
            unchanged += 1
            continue
        if dry_run:
            continue
        if unit is None:
            unit = AdminUnit(code=row.code, path="")
            db.session.add(unit)
            by_code[row.code] = unit
        unit.kind = row.kind
        unit.name = row.name
        unit.name_search = fold(row.name)
        unit.parent = by_code[row.parent_code] if row.parent_code else None
        unit.valid_from = row.valid_from
        unit.valid_to = row.valid_to
    if not dry_run:
        db.session.flush()  # new units get their ids, which their paths need
        # Every unit of the file, not only the changed ones: a wrong path heals on re-import.
        _refresh_paths([by_code[row.code] for row in ordered])
        db.session.flush()
    return ImportResult(created=created, updated=updated, unchanged=unchanged)


def _refresh_paths(roots: Sequence[AdminUnit]) -> None:
    """Recompute the path of these units and of everything below them."""
    units = {unit.id: unit for unit in roots}
    frontier = list(units)
    while frontier:
        found: list[int] = []
        for chunk in _chunks(frontier):
            for child in db.session.scalars(
                sa.select(AdminUnit).where(AdminUnit.parent_id.in_(chunk))
            ):
                if child.id not in units:
                    units[child.id] = child
                    found.append(child.id)
        frontier = found

    paths: dict[int, str] = {}

    def path_of(unit: AdminUnit) -> str:
        if unit.id not in paths:
            parent = unit.parent
            if parent is None:
                above = "/"
            elif parent.id in units:
                above = path_of(parent)
            else:
                above = parent.path  # not moved by this import: its stored path holds
            paths[unit.id] = f"{above}{unit.id}/"
        return paths[unit.id]

    for unit in units.values():
        unit.path = path_of(unit)


def seed_units() -> ImportResult:
    """Load the starter set shipped with Casework; running it again changes nothing."""
    text = resources.files("casework.geo").joinpath(STARTER_SET).read_text(encoding="utf-8")
    return import_units(text)
