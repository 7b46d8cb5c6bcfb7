"""The periodic report as an Excel workbook that people keep and work from.

A contents sheet (title, period, area, and a link to every other sheet with its full title),
a sheet of key figures, then one sheet per table: a styled header row frozen with the
labels' column, columns as wide as what they hold, numbers stored as numbers with a number
format (rates 0..1 shown as percentages, FCFA with thousands), and a native bar chart beside
the tables that have one in the PDF. Sheet names fit Excel's 31 characters without cutting
a word: the table's number, then its title shortened between words.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break

from casework.i18n import _l
from casework.reports.document import (
    annex_headings,
    annex_rows,
    document_language,
    generated_line,
    highlights_text,
    previous_heading,
    report_note,
    report_subtitle,
    report_title,
)
from casework.reports.formatting import show
from casework.reports.model import Report, Table
from casework.text import without_bidi_controls

SHEET_NAME_MAX = 31  # Excel's limit
# Characters Excel refuses in a sheet name.
FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Words a shortened name does not end on: it would read as cut.
DANGLING = {
    *("de", "du", "des", "la", "le", "les", "par", "et", "ou", "à", "au", "aux", "en"),
    *("pour", "dont", "avec", "sur", "selon", "auquel", "auxquels", "un", "une", "dans"),
    *("of", "by", "the", "and", "or", "in", "for", "to", "a", "an", "at", "with", "on"),
    *("per", "which", "whose", "from", "where"),
}

NUMBER_FORMATS = {
    "count": "#,##0",
    "rate": "0.0%",
    "fcfa": '#,##0" FCFA"',
    "days": "#,##0.0",
    "minutes": "#,##0",
}

GREEN = "0B5D4B"
PALE = "E7F1EE"
GREY = "4A5560"
THIN = Side(style="thin", color="C9D1D9")
FONT = "Calibri"
TITLE_FONT = Font(name=FONT, bold=True, size=14, color=GREEN)
SUBTITLE_FONT = Font(name=FONT, italic=True, color=GREY)
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor=GREEN)
SECTION_FILL = PatternFill("solid", fgColor=PALE)
HEADER_ROW = 4  # a table sheet: title, subtitle, blank, then the header


def shorten(title: str, limit: int) -> str:
    """A sheet name of at most ``limit`` characters, cut between words and never on a word
    like "of" or "par" that would read as cut; a note in brackets goes first."""
    text = " ".join(FORBIDDEN.sub(" ", title).split()).strip("'")
    if len(text) <= limit:
        return text
    shorter = " ".join(re.sub(r"\([^)]*\)", " ", text).split())
    if shorter and len(shorter) <= limit:
        return shorter
    kept: list[str] = []
    for word in (shorter or text).split():
        if len(" ".join([*kept, word])) > limit:
            break
        kept.append(word)
    while kept:
        last = kept[-1].rstrip(",;:·-–")
        if not last or last.lower() in DANGLING or last.endswith(("'", "’")):
            kept.pop()
            continue
        kept[-1] = last
        break
    if not kept:  # one word longer than a sheet name: nothing else to do
        return text[: limit - 1] + "…"
    return " ".join(kept).strip("'")


def sheet_names(tables: list[Table], taken: set[str]) -> list[str]:
    """One name per table, in order: "3 Cases by conflict type", from the table's short
    title if it has one. Unique (Excel compares names without case), never cut mid-word, at
    most 31 characters."""
    names: list[str] = []
    used = {name.lower() for name in taken}
    for number, table in enumerate(tables, start=1):
        prefix = f"{number} "
        title = str(table.short_title or table.title)
        name = prefix + shorten(title, SHEET_NAME_MAX - len(prefix))
        while name.lower() in used:  # cannot happen with distinct numbers; kept as a guard
            name = name[:-1]
        used.add(name.lower())
        names.append(name)
    return names


def periodic_xlsx(report: Report, lang: str) -> bytes:
    workbook = Workbook()
    contents = workbook.active
    contents.title = shorten(str(_l("Contents")), SHEET_NAME_MAX)
    figures = workbook.create_sheet(shorten(str(_l("Key figures")), SHEET_NAME_MAX))
    annex_name = shorten(str(_l("Definitions")), SHEET_NAME_MAX)
    tables = [(section, table) for section in report.sections for table in section.tables]
    names = sheet_names(
        [table for _s, table in tables], {contents.title, figures.title, annex_name}
    )

    _contents_sheet(contents, report, figures.title, tables, names, annex_name)
    _figures_sheet(figures, report)
    for (section, table), name in zip(tables, names, strict=True):
        _table_sheet(workbook.create_sheet(name), report, section, table)
    _annex_sheet(workbook.create_sheet(annex_name), report)
    _properties(workbook, report, lang)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _properties(workbook: Workbook, report: Report, lang: str) -> None:
    properties = workbook.properties
    properties.title = report_title(report)
    properties.subject = report_subtitle(report)
    properties.language = document_language(lang)
    properties.creator = "Casework"
    properties.keywords = ", ".join(
        part for part in (report.period.code, report.area_code or "") if part
    )
    properties.description = generated_line()
    for name, value in (
        ("Period", report.period.code),
        ("Area", report.area_name or str(_l("All areas"))),
        ("Language", lang),
    ):
        workbook.custom_doc_props.append(StringProperty(name=name, value=value))


def _head(sheet, title: str, subtitle: str) -> None:
    _put(sheet["A1"], title).font = TITLE_FONT
    _put(sheet["A2"], subtitle).font = SUBTITLE_FONT
    sheet.row_dimensions[1].height = 22


def _contents_sheet(
    sheet, report: Report, figures_name: str, tables, names, annex_name: str
) -> None:
    _head(sheet, report_title(report), report_subtitle(report))
    row = 3
    note = report_note(report)
    if note:
        _put(sheet.cell(row, 1), note).font = Font(name=FONT, italic=True, color="7A5B00")
        row += 1
    _put(sheet.cell(row, 1), generated_line()).font = SUBTITLE_FONT
    row += 2
    highlights = highlights_text(report)
    if highlights:
        text, language_note = highlights
        _put(sheet.cell(row, 1), str(_l("Highlights"))).font = Font(
            name=FONT, bold=True, color=GREEN
        )
        row += 1
        if language_note:
            _put(sheet.cell(row, 1), language_note).font = SUBTITLE_FONT
            row += 1
        for paragraph in (line for line in text.splitlines() if line.strip()):
            _put(sheet.cell(row, 1), paragraph)
            row += 1
        row += 1
    header = row
    for column, text in enumerate((_l("No."), _l("Table"), _l("Section")), start=1):
        _put(sheet.cell(row, column), str(text))
    _style_header(sheet, row, 3)
    entries = [("", str(_l("Key figures")), "", figures_name)]
    entries += [
        (number, str(table.title), str(section.title), name)
        for number, ((section, table), name) in enumerate(zip(tables, names, strict=True), 1)
    ]
    entries.append(("", str(_l("Annex: definitions of the indicators")), "", annex_name))
    for number, title, section, name in entries:
        row += 1
        sheet.cell(row, 1, number).alignment = Alignment(horizontal="right")
        link = _put(sheet.cell(row, 2), title)
        quoted = name.replace("'", "''")
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!A1", display=title)
        link.style = "Hyperlink"
        _put(sheet.cell(row, 3), section)
    columns = [
        [str(text)] + [str(e[index]) for e in entries]
        for index, text in enumerate((_l("No."), _l("Table"), _l("Section")))
    ]
    _fit(sheet, header, columns, text_columns=3)
    sheet.freeze_panes = sheet.cell(header + 1, 1)
    _printing(sheet, header, landscape=True)


def _figures_sheet(sheet, report: Report) -> None:
    """The key figures; with the previous period's beside them when the report compares."""
    _head(sheet, str(_l("Key figures")), report_subtitle(report))
    previous = previous_heading(report)
    headers = [str(_l("Indicator")), str(_l("Value"))] + ([previous] if previous else [])
    for column, text in enumerate(headers, start=1):
        _put(sheet.cell(HEADER_ROW, column), text)
    _style_header(sheet, HEADER_ROW, len(headers), numeric_from=2)
    row = HEADER_ROW
    columns = [[text] for text in headers]
    for section in report.sections:
        if not section.figures:
            continue
        row += 1
        title = _put(sheet.cell(row, 1), str(section.title))
        title.font = Font(name=FONT, bold=True, color=GREEN)
        for column in range(1, len(headers) + 1):
            sheet.cell(row, column).fill = SECTION_FILL
        for figure in section.figures:
            row += 1
            _put(sheet.cell(row, 1), str(figure.label)).alignment = Alignment(indent=1)
            _value(sheet.cell(row, 2), figure.value, figure.kind)
            columns[0].append(str(figure.label))
            columns[1].append(show(figure.value, figure.kind))
            if previous:
                _value(sheet.cell(row, 3), figure.previous, figure.kind)
                columns[2].append(show(figure.previous, figure.kind))
    _fit(sheet, HEADER_ROW, columns)
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    _printing(sheet, HEADER_ROW, landscape=False)


def _table_sheet(sheet, report: Report, section, table: Table) -> None:
    _head(sheet, str(table.title), f"{section.title} · {report_subtitle(report)}")
    kinds = [table.kind_of(key) for key, _label in table.columns]
    headers = [str(label) for _key, label in table.columns]
    sheet.cell(HEADER_ROW, 1, "")
    for column, text in enumerate(headers, start=2):
        _put(sheet.cell(HEADER_ROW, column), text)
    _style_header(sheet, HEADER_ROW, len(headers) + 1, numeric_from=2)
    labels = [str(label) for _key, label, _values in table.rows]
    for row, (label, (_key, _label, values)) in enumerate(
        zip(labels, table.rows, strict=True), start=HEADER_ROW + 1
    ):
        _put(sheet.cell(row, 1), label)
        for column, (value, kind) in enumerate(zip(values, kinds, strict=True), start=2):
            _value(sheet.cell(row, column), value, kind)
    if not table.rows:
        _put(sheet.cell(HEADER_ROW + 1, 1), str(_l("Nothing in this period."))).font = SUBTITLE_FONT
    columns = [[""] + labels] + [
        [header] + [show(values[index], kinds[index]) for _k, _l2, values in table.rows]
        for index, header in enumerate(headers)
    ]
    _fit(sheet, HEADER_ROW, columns)
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 2)
    _printing(sheet, HEADER_ROW, landscape=len(headers) > 4, repeat=len(table.rows) > 45)
    if table.chart and table.rows:
        _chart(sheet, table, kinds[0], HEADER_ROW + len(table.rows) + 2)


def _annex_sheet(sheet, report: Report) -> None:
    """The annex: every indicator with its definition, numerator and denominator."""
    _head(sheet, str(_l("Annex: definitions of the indicators")), report_subtitle(report))
    headers = [str(_l("Section")), *annex_headings()]
    for column, text in enumerate(headers, start=1):
        _put(sheet.cell(HEADER_ROW, column), text)
    _style_header(sheet, HEADER_ROW, len(headers))
    rows = annex_rows(report)
    for row, values in enumerate(rows, start=HEADER_ROW + 1):
        for column, text in enumerate(values, start=1):
            _put(sheet.cell(row, column), text).alignment = Alignment(
                wrap_text=True, vertical="top"
            )
    columns = [
        [header] + [values[index] for values in rows] for index, header in enumerate(headers)
    ]
    _fit(sheet, HEADER_ROW, columns, text_columns=len(headers))
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    _printing(sheet, HEADER_ROW, landscape=True)


def _printing(sheet, header_row: int, landscape: bool = False, repeat: bool = True) -> None:
    """On paper: one page wide, the header row repeated on every page of a long table."""
    if repeat:
        sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _chart(sheet, table: Table, kind: str, at_row: int) -> None:
    """A horizontal bar chart of the first column, in the table's order from the top, under
    the table (so that a printed page keeps the table's size)."""
    count = len(table.rows)
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = None
    chart.legend = None
    data = Reference(sheet, min_col=2, min_row=HEADER_ROW, max_row=HEADER_ROW + count)
    categories = Reference(sheet, min_col=1, min_row=HEADER_ROW + 1, max_row=HEADER_ROW + count)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    series = chart.series[0]
    series.graphicalProperties.solidFill = GREEN
    series.graphicalProperties.line.solidFill = GREEN
    series.dLbls = DataLabelList()
    series.dLbls.showVal = True
    series.dLbls.numFmt = NUMBER_FORMATS.get(kind, "General")
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(series.dLbls, flag, False)
    chart.gapWidth = 60
    # Categories from the top down, as in the table; the value axis then sits at the bottom.
    chart.x_axis.scaling.orientation = "maxMin"
    chart.y_axis.crosses = "max"
    chart.y_axis.number_format = NUMBER_FORMATS.get(kind, "General")
    chart.y_axis.majorGridlines = None
    chart.x_axis.delete = False  # openpyxl 3.1 hides both axes unless told otherwise
    chart.y_axis.delete = False
    small = RichText(
        p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties(sz=900)), endParaRPr=None)]
    )
    chart.x_axis.txPr = small
    # Room for every label on up to three lines: Excel and LibreOffice wrap category labels
    # rather than cut them when the chart is tall and wide enough.
    longest = max(len(str(label)) for _key, label, _values in table.rows)
    chart.width = 17 if longest <= 40 else 20
    chart.height = max(6.0, 1.5 + count * (0.55 if longest <= 40 else 0.85))
    # On paper the chart follows the table, on a page of its own when both do not fit on one
    # (rows of about 0.53 cm; some 25 cm of an A4 page).
    if (at_row + 1) * 0.53 + chart.height > 25:
        sheet.row_breaks.append(Break(id=at_row - 1))
    sheet.add_chart(chart, sheet.cell(at_row, 1).coordinate)


# --- cells ------------------------------------------------------------------------------------


def _put(cell, text: str):
    """A text cell that a spreadsheet never runs as a formula, whatever it starts with, and
    shows no direction control (casework.text)."""
    if isinstance(text, str):
        text = without_bidi_controls(text)
    cell.value = text
    if isinstance(text, str):
        cell.data_type = "s"
        if text.startswith(("=", "+", "-", "@", "\t", "\r", "\n")):
            cell.quotePrefix = True
    return cell


def _value(cell, value, kind: str) -> None:
    """A number stays a number, shown by its format; "<5", "–" and "not computable" are text,
    aligned with the numbers."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        _put(cell, show(value, kind))
    else:
        cell.value = value
        cell.number_format = NUMBER_FORMATS.get(kind, "General")
    cell.alignment = Alignment(horizontal="right")


def _style_header(sheet, row: int, columns: int, numeric_from: int | None = None) -> None:
    for column in range(1, columns + 1):
        cell = sheet.cell(row, column)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = Border(bottom=THIN)
        numeric = numeric_from is not None and column >= numeric_from
        cell.alignment = Alignment(
            horizontal="right" if numeric else "left", vertical="bottom", wrap_text=True
        )


def _fit(sheet, header_row: int, columns: list[list], text_columns: int = 1) -> None:
    """Each column as wide as its longest value (a little more, for bold and for wide
    letters), within bounds: up to 70 characters for text, 24 for numbers; a long header
    wraps, and its row grows to show every line."""
    lines = 1
    for index, texts in enumerate(columns, start=1):
        header, body = str(texts[0]), [str(text) for text in texts[1:]]
        widest = max((len(text) for text in body), default=0)
        longest_word = max((len(word) for word in header.split()), default=0)
        if index <= text_columns:
            width = min(max(widest, len(header), 4), 70)
        else:
            # A header over two lines at most, where the column's values leave room.
            width = min(max(widest, longest_word, 10, (len(header) + 1) // 2), 24)
        width = width * 1.1 + 2
        sheet.column_dimensions[get_column_letter(index)].width = round(width, 1)
        lines = max(lines, _lines(header, int(width * 0.9)))
        if index <= text_columns and widest > 70:
            for row in sheet.iter_rows(min_row=header_row + 1, min_col=index, max_col=index):
                row[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.row_dimensions[header_row].height = 15 * lines + 3


def _lines(text: str, width: int) -> int:
    import textwrap

    return max(1, len(textwrap.wrap(text, max(width, 1))))
