"""Reading and checking a CSV file of units, before the database is asked."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import IO, Any

from casework.geo.models import ALLOWED_PARENT, UnitKind
from casework.geo.services.common import (
    CODE_MAX,
    CODE_RE,
    COLUMNS,
    DATE_RE,
    DEFAULT_VALID_FROM,
    NAME_MAX,
    OPTIONAL_COLUMNS,
    REGION_CODE_RE,
    REQUIRED_COLUMNS,
    GeoImportError,
    UnitRow,
    _Parsed,
    _Problems,
)
from casework.i18n import _l

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
