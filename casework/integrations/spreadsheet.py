"""Importing a case register kept in a spreadsheet (XLSX or CSV), one case a row.

The columns are made from the case fields' declarations (``casework.cases.fields``), so a
new field is a new column. Headers in French or English (or the fields' names); vocabulary
terms and choices as codes or as labels in either language; places by code or name. Each
row carries the register's own reference (``external_ref``, stored on the case): importing
the file again adds nothing. One wrong row and nothing is imported.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from casework.auth.models import User
from casework.cases import services as cases
from casework.cases.enums import AgeBand, PartyKind, PartyRole, Sex
from casework.cases.fields import CASE_FIELDS, CaseData, FieldSpec, Kind
from casework.cases.models import EXTERNAL_REF_MAX, Case
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.i18n import _l
from casework.integrations import values
from casework.integrations.common import ImportFileError, ImportReport, Row, run_rows
from casework.integrations.xlsform import PARTY_QUESTIONS, PLACE
from casework.text import fold
from casework.vocab import services as vocab

PARTY_SLOTS = 3  # parties per row: a register lists the main ones
PARTY_ENUMS = {
    "party_role": PartyRole,
    "party_kind": PartyKind,
    "party_sex": Sex,
    "party_age_band": AgeBand,
}


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # lazy
    spec: FieldSpec | None = None
    party: int | None = None  # the party's number (1, 2, 3)
    question: str | None = None  # the party's question (party_name...)
    required: bool = False


def columns() -> list[Column]:
    """The register's columns, in the template's order."""
    out = [Column("external_ref", _l("Register reference"), required=True)]
    out += [Column(name, label, required=name == "commune") for _k, name, label in PLACE]
    for spec in CASE_FIELDS:
        if spec.kind != Kind.SELECT:
            out.append(Column(spec.name, spec.label, spec=spec, required=spec.required))
        if spec.name == "narrative":
            out.append(Column("narrative_lang", _l("Language of the narrative")))
    out.append(Column("assigned_mediator", _l("Assigned mediator (user name)")))
    for number in range(1, PARTY_SLOTS + 1):
        for name, _v, label, required in PARTY_QUESTIONS:
            out.append(
                Column(
                    f"party{number}_{name.removeprefix('party_')}",
                    _l("Party %(number)s: %(field)s", number=number, field=label),
                    party=number,
                    question=name,
                    required=required and number == 1,
                )
            )
    return out


def _header_map() -> dict[str, Column]:
    found: dict[str, Column] = {}
    for column in columns():
        found[fold(column.key)] = column
        for written in values.in_languages(column.label):
            found.setdefault(fold(written), column)
    return found


# --- reading the file -------------------------------------------------------------------------


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise ImportFileError(_l("The file is neither an XLSX workbook nor a CSV file.")) from None
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def _csv_rows(data: bytes) -> list[list[Any]]:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_l("The file must be UTF-8 text.")) from None
    first = content.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(content), delimiter=delimiter)]
    except csv.Error:
        raise ImportFileError(_l("The file is neither an XLSX workbook nor a CSV file.")) from None


def read_register(data: bytes) -> list[Row]:
    """The rows of a register, their values read (and their problems gathered)."""
    rows = _xlsx_rows(data) if data[:2] == b"PK" else _csv_rows(data)
    if not rows or not any(not values.blank(cell) for cell in rows[0]):
        raise ImportFileError(_l("The file is empty."))
    known = _header_map()
    header: list[Column | None] = []
    unknown = []
    for cell in rows[0]:
        if values.blank(cell):
            header.append(None)
            continue
        column = known.get(fold(values.text(cell)))
        if column is None:
            unknown.append(values.text(cell))
        header.append(column)
    if unknown:
        raise ImportFileError(
            _l("Unknown columns: %(names)s.", names=", ".join(f"“{name}”" for name in unknown))
        )
    if not any(column and column.key == "external_ref" for column in header):
        raise ImportFileError(
            _l("The column “%(name)s” is required.", name=_l("Register reference"))
        )
    lookup = values.Lookup()
    by_key = {column.key: column for column in columns()}
    out = []
    for number, cells in enumerate(rows[1:], start=2):
        if all(values.blank(cell) for cell in cells):
            continue
        raw = {
            column.key: cell
            for column, cell in zip(header, cells, strict=False)
            if column is not None and not values.blank(cell)
        }
        out.append(_read_row(number, raw, lookup, by_key))
    return out


def _read_row(
    number: int, raw: dict[str, Any], lookup: values.Lookup, by_key: dict[str, Column]
) -> Row:
    problems: list[str] = []

    def read(key: str, convert=None, *args):
        value = raw.get(key)
        label = by_key[key].label
        try:
            if convert is None:
                return values.text(value) or None
            return convert(*args, value, label)
        except values.ValueProblem as problem:
            problems.append(str(problem))
            return None

    ref = values.text(raw.get("external_ref"))
    if len(ref) > EXTERNAL_REF_MAX:
        problems.append(
            str(
                _l(
                    "%(field)s cannot be longer than %(max)s characters.",
                    field=_l("Register reference"),
                    max=EXTERNAL_REF_MAX,
                )
            )
        )
    fields: dict[str, Any] = {}
    try:
        fields["unit_id"] = lookup.unit((kind, raw.get(name), label) for kind, name, label in PLACE)
    except values.ValueProblem as problem:
        problems.append(str(problem))
        fields["unit_id"] = None
    for spec in CASE_FIELDS:
        if spec.kind == Kind.SELECT:
            continue
        if spec.kind == Kind.DATE:
            fields[spec.name] = read(spec.name, values.to_date)
        elif spec.kind in (Kind.COUNT, Kind.AMOUNT):
            found = read(spec.name, values.to_count)
            fields[spec.name] = spec.empty if found is None else found
        elif spec.kind == Kind.CODE:
            fields[spec.name] = read(spec.name, lookup.vocabulary, spec.vocabulary)
        elif spec.kind == Kind.CHOICE:
            fields[spec.name] = read(spec.name, lookup.choice, spec.choices) or spec.empty
        else:
            fields[spec.name] = read(spec.name) or spec.empty
    fields["narrative_lang"] = read("narrative_lang", lookup.language)
    if fields.get("narrative") and not fields["narrative_lang"]:
        fields["narrative_lang"] = "fr"
    fields["assigned_mediator_id"] = read("assigned_mediator", lookup.user_id)
    parties = []
    for slot in range(1, PARTY_SLOTS + 1):
        keys = {
            name: f"party{slot}_{name.removeprefix('party_')}" for name, *_rest in PARTY_QUESTIONS
        }
        if all(values.blank(raw.get(key)) for key in keys.values()):
            continue
        found: dict[str, Any] = {}
        for name, key in keys.items():
            if name in PARTY_ENUMS:
                found[name] = read(key, lookup.choice, PARTY_ENUMS[name])
            elif name == "party_livelihood":
                found[name] = read(key, lookup.vocabulary, "livelihood")
            else:
                found[name] = read(key)
        parties.append(
            cases.PartyData(
                role=found["party_role"] or "",
                name=found["party_name"] or "",
                kind=found["party_kind"] or PartyKind.INDIVIDUAL.value,
                sex=found["party_sex"] or Sex.UNKNOWN.value,
                age_band=found["party_age_band"] or AgeBand.UNKNOWN.value,
                livelihood=found["party_livelihood"],
                community=found["party_community"],
            )
        )
    return Row(number, ref, raw, problems, data=(CaseData(**fields), parties))


def _known_refs(keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            db.session.scalars(
                sa.select(Case.external_ref).where(Case.external_ref.in_(keys[start : start + 500]))
            )
        )
    return found


def import_register(rows: list[Row], by: User, *, dry_run: bool = False) -> ImportReport:
    """Register each row's case through the intake service. All or nothing: the caller
    commits only when ``report.keep`` (no wrong row)."""
    # The places, loaded once and held: each registration finds its place in the session
    # instead of reading it again.
    places = list(db.session.scalars(sa.select(AdminUnit)))

    def create(row: Row) -> str:
        data, parties = row.data
        return cases.register_case(data, parties, by, external_ref=row.key).reference

    report = run_rows(
        rows,
        create,
        _known_refs,
        dry_run=dry_run,
        skip_invalid=False,
        source="cases",
        missing_key=_l("%(field)s is required.", field=_l("Register reference")),
    )
    del places
    return report


# --- the template -----------------------------------------------------------------------------


def template(lang: str) -> bytes:
    """An empty register with its headers in ``lang``, and a sheet of the accepted values."""
    book = Workbook()
    sheet = book.active
    values_sheet = book.create_sheet()
    with force_locale(lang):
        sheet.title = str(_l("Cases"))
        values_sheet.title = str(_l("Accepted values"))
        sheet.append([str(column.label) for column in columns()])
        for cell, column in zip(sheet[1], columns(), strict=True):
            cell.font = Font(bold=True)
            sheet.column_dimensions[cell.column_letter].width = max(14, len(str(column.label)) + 2)
        sheet.freeze_panes = "B2"
        values_sheet.append([str(_l("Column")), str(_l("Code")), str(_l("Label"))])
        for column in columns():
            for code, label in _accepted(column, lang):
                values_sheet.append([str(column.label), code, label])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _accepted(column: Column, lang: str) -> list[tuple[str, str]]:
    spec = column.spec
    if spec is not None and spec.kind == Kind.CODE:
        return vocab.choices(spec.vocabulary, lang)
    if spec is not None and spec.kind == Kind.CHOICE:
        return [(member.value, member.title) for member in spec.choices]
    if column.question in PARTY_ENUMS:
        return [(member.value, member.title) for member in PARTY_ENUMS[column.question]]
    if column.question == "party_livelihood":
        return vocab.choices("livelihood", lang)
    if column.key in ("region", "cercle", "commune"):
        return [
            (unit.code, unit.name)
            for unit in db.session.scalars(
                sa.select(AdminUnit).where(AdminUnit.kind == column.key).order_by(AdminUnit.path)
            )
        ]
    return []
