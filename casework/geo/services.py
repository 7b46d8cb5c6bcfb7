"""Geography: import, search and scope the administrative units.

Units are data: they are loaded from CSV files (the starter set is
``casework/geo/data/units.csv``), edited by importing a corrected file, and never named in
logic. Services flush and never commit: views and CLI commands commit.

The CSV format (UTF-8, a BOM is accepted; comma-separated, or semicolon-separated as
French spreadsheets write it). Line 1 is the header; the columns may come in any order:

==============  ========  =====================================================================
column          required  meaning
==============  ========  =====================================================================
``code``        yes       Stable identifier, at most 40 characters: capital letters A-Z,
                          digits and single hyphens (``GAO-GAO-NTILLIT``). A region's code is
                          the prefix of case references: 2 to 8 letters or digits, no hyphen
                          (``GAO``). Lower case is accepted and upper-cased.
``kind``        yes       ``region``, ``cercle``, ``commune``, ``village``, ``fraction`` or
                          ``quartier``.
``name``        yes       The name as written, with its accents and apostrophes, at most 120
                          characters (``N'Tillit``, ``Ménaka``).
``parent_code`` yes       The code of the unit above: empty for a region; a region for a
                          cercle, a cercle for a commune, a commune for a village, fraction or
                          quartier. The parent may be anywhere in the file or already in the
                          database.
``valid_from``  no        First day of validity, ``YYYY-MM-DD``; empty means 2012-01-01.
``valid_to``    no        Last day of validity, ``YYYY-MM-DD``; empty means still valid.
==============  ========  =====================================================================

An import is all or nothing: the whole file is checked first, and any problem (reported
with its line number, the header being line 1) leaves the database untouched. A valid
file creates the units whose code is new and updates the others (name, kind, parent,
validity): the file is the truth for the units it names. Units it does not name are kept.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from typing import IO, Any

import sqlalchemy as sa
from flask_babel import LazyString

from casework.core import versions
from casework.core.errors import DomainError
from casework.db import utcnow
from casework.extensions import db
from casework.geo.models import ALLOWED_PARENT, AdminUnit, Site, SiteKind, UnitKind
from casework.i18n import _l, ngettext
from casework.text import fold, search_tokens

REQUIRED_COLUMNS = ("code", "kind", "name", "parent_code")
OPTIONAL_COLUMNS = ("valid_from", "valid_to")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
DEFAULT_VALID_FROM = date(2012, 1, 1)
CODE_MAX = 40
NAME_MAX = 120
CODE_RE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
# A region's code starts case references (GAO-2026-0042): short, and no hyphen of its own.
REGION_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
STARTER_SET = "data/units.csv"
# Keeps IN (...) lists well below SQLite's limit on bound parameters.
_CHUNK = 500

Message = str | LazyString
Problem = tuple[int, Message]


class _Problems(list[Problem]):
    def add(self, line: int, message: Message) -> None:
        self.append((line, message))


class GeoError(DomainError):
    """A rule of the geography was broken; the message is translated and shown."""


class GeoImportError(GeoError):
    """A CSV file of units was refused. ``problems`` lists every ``(line, message)``, the
    header being line 1; nothing was imported."""

    def __init__(self, problems: Iterable[Problem]):
        # Stable sort: several problems on one line keep the order in which they were found.
        self.problems: list[Problem] = sorted(problems, key=lambda problem: problem[0])
        super().__init__(self.problems)

    @property
    def lines(self) -> list[int]:
        """The bad line numbers, each once."""
        return sorted({line for line, _message in self.problems})

    def messages(self) -> list[str]:
        return [str(message) for _line, message in self.problems]

    def __str__(self) -> str:
        return ngettext(
            "The file has a problem on %(num)d line; nothing was imported.",
            "The file has problems on %(num)d lines; nothing was imported.",
            len(self.lines),
        )


@dataclass(frozen=True)
class UnitRow:
    """One checked line of a units file."""

    line: int
    code: str
    kind: str
    name: str
    parent_code: str | None
    valid_from: date = DEFAULT_VALID_FROM
    valid_to: date | None = None


@dataclass(frozen=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class _Parsed:
    rows: list[UnitRow] = field(default_factory=list)
    # Every line with a code, good or bad: (line, code, kind or None when unusable).
    entries: list[tuple[int, str, str | None]] = field(default_factory=list)
    problems: _Problems = field(default_factory=_Problems)


# --- reading a file ---------------------------------------------------------------------------


def _read_text(source: str | bytes | IO[Any]) -> str:
    """The text of a CSV given as text, bytes, or a text or binary stream (an upload)."""
    data = source.read() if hasattr(source, "read") else source
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = data[: error.start].count(b"\n") + 1
            raise GeoImportError(
                [
                    (
                        line,
                        _l(
                            "Line %(line)s is not UTF-8 text: save the file as "
                            "“CSV UTF-8” and try again.",
                            line=line,
                        ),
                    )
                ]
            ) from None
    return data.removeprefix("\ufeff")


def _delimiter(text: str) -> str:
    # French spreadsheets save "CSV" with semicolons, because the comma is the decimal mark.
    first = text.split("\n", 1)[0]
    return ";" if ";" in first and "," not in first else ","


def _parse_date(value: str) -> date:
    if not DATE_RE.match(value):
        raise ValueError(value)
    return date.fromisoformat(value)


def _check_header(header: list[str] | None, problems: _Problems) -> bool:
    if not header or not any(header):
        problems.add(
            1,
            _l(
                "Line 1 must be the header naming the columns: %(columns)s.",
                columns=", ".join(COLUMNS),
            ),
        )
        return False
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [column for column in header if column not in COLUMNS]
    repeated = sorted({column for column in header if header.count(column) > 1})
    if missing:
        problems.add(
            1,
            _l(
                "Line 1: the header lacks the columns %(missing)s; the required columns are "
                "%(required)s.",
                missing=", ".join(missing),
                required=", ".join(REQUIRED_COLUMNS),
            ),
        )
    if unknown:
        problems.add(
            1,
            _l(
                "Line 1: unknown columns %(unknown)s; the columns are %(columns)s.",
                unknown=", ".join(f"“{column}”" for column in unknown),
                columns=", ".join(COLUMNS),
            ),
        )
    if repeated:
        problems.add(
            1, _l("Line 1: the columns %(columns)s appear twice.", columns=", ".join(repeated))
        )
    return not (missing or unknown or repeated)


def _check_record(line: int, values: dict[str, str], parsed: _Parsed) -> None:
    """Check one line on its own and keep it as a row when it is good."""
    problems = _Problems()
    code = values["code"].upper()
    kind = values["kind"].lower()
    # NFC so that an "é" typed as e + accent is stored and compared like the usual "é".
    name = " ".join(unicodedata.normalize("NFC", values["name"]).split())
    parent_code = values["parent_code"].upper() or None

    if not code:
        problems.add(line, _l("Line %(line)s: the code is missing.", line=line))
    elif len(code) > CODE_MAX:
        problems.add(
            line,
            _l(
                "Line %(line)s: the code %(code)s is longer than %(max)s characters.",
                line=line,
                code=code,
                max=CODE_MAX,
            ),
        )
    elif not CODE_RE.match(code):
        problems.add(
            line,
            _l(
                "Line %(line)s: the code %(code)s may only contain capital letters A-Z, "
                "digits and single hyphens.",
                line=line,
                code=code,
            ),
        )
    elif kind == UnitKind.REGION and not REGION_CODE_RE.match(code):
        problems.add(
            line,
            _l(
                "Line %(line)s: the region code %(code)s starts case references: use 2 "
                "to 8 capital letters or digits, beginning with a letter, without hyphens.",
                line=line,
                code=code,
            ),
        )

    known_kind = kind in {k.value for k in UnitKind}
    if not kind:
        problems.add(line, _l("Line %(line)s: the kind is missing.", line=line))
    elif not known_kind:
        problems.add(
            line,
            _l(
                "Line %(line)s: unknown kind %(kind)s; use one of %(kinds)s.",
                line=line,
                kind=f"“{values['kind']}”",
                kinds=", ".join(k.value for k in UnitKind),
            ),
        )

    if not name:
        problems.add(line, _l("Line %(line)s: the name is missing.", line=line))
    elif len(name) > NAME_MAX:
        problems.add(
            line,
            _l(
                "Line %(line)s: the name is longer than %(max)s characters.",
                line=line,
                max=NAME_MAX,
            ),
        )

    if known_kind:
        if kind == UnitKind.REGION and parent_code:
            problems.add(
                line,
                _l(
                    "Line %(line)s: a region has no parent; leave parent_code empty.",
                    line=line,
                ),
            )
        elif kind != UnitKind.REGION and not parent_code:
            problems.add(
                line,
                _l(
                    "Line %(line)s: a %(kind)s needs a parent_code (the code of a %(parent)s).",
                    line=line,
                    kind=kind,
                    parent=ALLOWED_PARENT[UnitKind(kind)].value,
                ),
            )

    dates: dict[str, date | None] = {}
    for column in OPTIONAL_COLUMNS:
        raw = values.get(column, "")
        try:
            dates[column] = _parse_date(raw) if raw else None
        except ValueError:
            dates[column] = None
            problems.add(
                line,
                _l(
                    "Line %(line)s: %(column)s must be a date written YYYY-MM-DD, not %(value)s.",
                    line=line,
                    column=column,
                    value=f"“{raw}”",
                ),
            )
    valid_from = dates["valid_from"] or DEFAULT_VALID_FROM
    valid_to = dates["valid_to"]
    if valid_to is not None and valid_to < valid_from:
        problems.add(
            line,
            _l(
                "Line %(line)s: valid_to (%(end)s) is before valid_from (%(start)s).",
                line=line,
                end=valid_to.isoformat(),
                start=valid_from.isoformat(),
            ),
        )

    if code:
        parsed.entries.append((line, code, kind if known_kind else None))
    parsed.problems.extend(problems)
    if not problems:
        parsed.rows.append(
            UnitRow(line, code, kind, name, parent_code, valid_from=valid_from, valid_to=valid_to)
        )


def _check_duplicates(entries: Sequence[tuple[int, str, str | None]], problems: _Problems) -> None:
    first: dict[str, int] = {}
    for line, code, _kind in entries:
        if code in first:
            problems.add(
                line,
                _l(
                    "Line %(line)s: the code %(code)s is already used on line %(first)s.",
                    line=line,
                    code=code,
                    first=first[code],
                ),
            )
        else:
            first[code] = line


def _parse(source: str | bytes | IO[Any]) -> _Parsed:
    parsed = _Parsed()
    text = _read_text(source)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader, None)
    except csv.Error as error:
        parsed.problems.add(1, _l("Line 1 cannot be read: %(error)s.", error=str(error)))
        return parsed
    header = [column.strip().lower() for column in header] if header else None
    if not _check_header(header, parsed.problems):
        return parsed
    assert header is not None
    last = reader.line_num
    while True:
        line = last + 1  # a quoted value may span lines: a row is numbered by its first line
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            parsed.problems.add(
                line,
                _l(
                    "Line %(line)s cannot be read: %(error)s.",
                    line=line,
                    error=str(error),
                ),
            )
            break
        last = reader.line_num
        if not any(value.strip() for value in record):
            continue  # blank lines, and the empty rows spreadsheets leave at the end
        if len(record) != len(header):
            parsed.problems.add(
                line,
                _l(
                    "Line %(line)s has %(found)s values where the header has %(expected)s.",
                    line=line,
                    found=len(record),
                    expected=len(header),
                ),
            )
            continue
        values = dict(zip(header, (value.strip() for value in record), strict=True))
        _check_record(line, values, parsed)
    _check_duplicates(parsed.entries, parsed.problems)
    return parsed


def parse_units_csv(source: str | bytes | IO[Any]) -> list[UnitRow]:
    """Read and check a units file on its own (no database needed).

    ``source`` is the CSV text, its bytes, or a text or binary stream. Raises
    GeoImportError listing every bad line; whether parents exist is checked by
    ``import_units``.
    """
    parsed = _parse(source)
    if parsed.problems:
        raise GeoImportError(parsed.problems)
    return parsed.rows


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


# --- sites ------------------------------------------------------------------------------------


def add_site(
    unit: AdminUnit,
    *,
    kind: str,
    name: str,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Site:
    """Record a precise place (a well, a corridor, a market) in a unit."""
    name = " ".join(unicodedata.normalize("NFC", name or "").split())
    if kind not in {k.value for k in SiteKind}:
        raise GeoError(_l("Unknown kind of site: %(kind)s.", kind=kind))
    if not name or len(name) > NAME_MAX:
        raise GeoError(_l("The name must have 1 to %(max)s characters.", max=NAME_MAX))
    if (latitude is None) != (longitude is None):
        raise GeoError(_l("Give both the latitude and the longitude, or neither."))
    if latitude is not None and not -90 <= latitude <= 90:
        raise GeoError(_l("The latitude must be between -90 and 90."))
    if longitude is not None and not -180 <= longitude <= 180:
        raise GeoError(_l("The longitude must be between -180 and 180."))
    site = Site(unit=unit, kind=kind, name=name, latitude=latitude, longitude=longitude)
    db.session.add(site)
    db.session.flush()
    return site
