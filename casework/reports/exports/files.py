"""Writing an export as CSV or XLSX, with formulas made inert."""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from flask_babel import force_locale
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from casework.auth.models import User
from casework.extensions import db
from casework.i18n import _l
from casework.reports.exports.checks import _check
from casework.reports.exports.common import (
    CSV_DEFAULT_SEPARATOR,
    CSV_SEPARATORS,
    DATE,
    DATETIME,
    FORMULA_STARTS,
    INT,
    TEXT,
    YIELD_PER,
    ExportError,
)
from casework.reports.exports.rows import _plain, _plan, _prepare, _statement
from casework.text import without_bidi_controls

# --- files ------------------------------------------------------------------------------------


def neutralise(text: str) -> str:
    """Text without direction controls (casework.text); text that a spreadsheet would run
    as a formula gets a leading apostrophe."""
    text = without_bidi_controls(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class CsvDialect:
    separator: str
    decimal: str  # the decimal sign of numbers that are not whole


def csv_dialect(lang: str, sep: str | None = None) -> CsvDialect:
    """The separator asked (``semicolon``, ``comma``, ``tab``, or the character itself), else
    the one the language's spreadsheets expect; decimals take a comma in French unless the
    separator is a comma. Raises ExportError for any other separator."""
    name = sep or CSV_DEFAULT_SEPARATOR.get(lang, "comma")
    by_character = {character: key for key, character in CSV_SEPARATORS.items()}
    name = by_character.get(name, name)
    if name not in CSV_SEPARATORS:
        raise ExportError(
            _l(
                "Unknown separator: %(sep)s. Choose semicolon, comma or tab.",
                sep=str(sep)[:20],
            )
        )
    separator = CSV_SEPARATORS[name]
    return CsvDialect(separator, "," if lang == "fr" and separator != "," else ".")


def _csv_value(value: Any, decimal: str = ".") -> Any:
    if value is None:
        return ""
    if isinstance(value, float | Decimal) and decimal != ".":
        return str(value).replace(".", decimal)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralise(value)
    return value


def _csv_cell(kind: str, decimal: str = ".") -> Callable[[Any], Any]:
    """``_csv_value(_plain(value, kind), decimal)`` in one call, with the common cases first
    (the export of every case converts millions of values)."""

    def general(value: Any) -> Any:
        return _csv_value(_plain(value, kind), decimal)

    if kind == TEXT:
        return lambda value: (
            neutralise(value) if type(value) is str else "" if value is None else general(value)
        )
    if kind == INT:
        return lambda value: value if type(value) is int else general(value)
    if kind == DATE:
        return lambda value: value.isoformat() if type(value) is date else general(value)
    return general


def _csv_rows(name: str, user: User, lang: str, decimal: str = ".") -> Iterator[list]:
    """The rows of ``export_rows`` already converted for CSV (header first)."""
    spec = _check(name, user, lang)
    columns, output, getters = _plan(spec, user, lang)
    statement = _statement(spec, user, columns)

    def rows() -> Iterator[list]:
        yield [_csv_value(column.header) for column in output]
        cells = [
            (get, _csv_cell(column.kind, decimal))
            for get, column in zip(getters, output, strict=True)
        ]
        result = db.session.execute(statement.execution_options(yield_per=YIELD_PER))
        try:
            for row in result.mappings():
                yield [cell(get(row)) for get, cell in cells]
        finally:
            result.close()

    return rows()


def csv_chunks(name: str, user: User, lang: str, sep: str | None = None) -> Iterator[str]:
    """The CSV text in pieces: a byte-order mark first (Excel then reads UTF-8 accents),
    separated as ``csv_dialect`` says, CRLF line ends. Checks run at once, as in
    ``export_rows``."""
    dialect = csv_dialect(lang, sep)
    rows = _csv_rows(name, user, lang, dialect.decimal)
    return _csv_chunks(rows, converted=True, separator=dialect.separator)


def _csv_chunks(
    rows: Iterator[list],
    rows_per_chunk: int = 200,
    *,
    converted: bool = False,
    separator: str = ",",
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    buffer.write(codecs.BOM_UTF8.decode("utf-8"))
    for count, row in enumerate(rows, start=1):
        writer.writerow(row if converted else [_csv_value(value) for value in row])
        if count % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(name: str, user: User, lang: str, stream: IO, sep: str | None = None) -> None:
    """Write the export as CSV to a text stream (opened with ``newline=""``) or a binary
    one (UTF-8 is written)."""
    binary = not isinstance(stream, io.TextIOBase)
    for chunk in csv_chunks(name, user, lang, sep):
        stream.write(chunk.encode("utf-8") if binary else chunk)


def _xlsx_text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", without_bidi_controls(value))


def write_xlsx(name: str, user: User, lang: str, path_or_stream: str | os.PathLike | IO) -> None:
    """Write the export as an XLSX workbook of one sheet, row by row (write-only mode: the
    rows are never all in memory). Text is always a string cell, never a formula."""
    spec, output, rows = _prepare(name, user, lang)
    workbook = Workbook(write_only=True)
    with force_locale(lang):
        title = str(spec.title)
    sheet = workbook.create_sheet(title=_xlsx_text(title)[:31])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(output, start=1):
        width = {DATE: 12, DATETIME: 20, INT: 12}.get(column.kind, 24)
        sheet.column_dimensions[get_column_letter(index)].width = max(width, len(column.header) + 2)
    bold = Font(bold=True)
    header = next(rows)
    sheet.append([_text_cell(sheet, text, font=bold) for text in header])
    formats = [
        {DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm:ss"}.get(column.kind) for column in output
    ]
    for row in rows:
        sheet.append(
            [_xlsx_cell(sheet, value, fmt) for value, fmt in zip(row, formats, strict=True)]
        )
    workbook.save(path_or_stream)


def _text_cell(sheet, text: str, font: Font | None = None) -> WriteOnlyCell:
    text = _xlsx_text(text)
    cell = WriteOnlyCell(sheet, value=text)
    # A string cell is never run as a formula, whatever it starts with; the quote prefix
    # keeps it text when someone edits the cell in Excel or LibreOffice.
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def _xlsx_cell(sheet, value: Any, number_format: str | None):
    if isinstance(value, str):
        return _text_cell(sheet, value)
    if number_format is not None and value is not None:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell
    return value
