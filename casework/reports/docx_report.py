"""The periodic report (and the base of the case summary) as a Word document people keep.

Word's own styles (Title, Heading 1 and 2, which its navigation pane lists; Table Grid),
the document's language on every style so that the spell-checker uses French or English,
A4 pages with the report's title, area and period at the top and "Page n of N" at the
bottom, tables whose columns are as wide as their content needs (the labels' column wide,
numbers right-aligned), and each chart as a picture drawn from the same SVG as the PDF's.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from casework.i18n import _l
from casework.reports.document import (
    RenderError,
    annex_by_section,
    document_language,
    generated_line,
    highlights_text,
    previous_heading,
    report_note,
    report_subtitle,
    report_title,
)
from casework.reports.formatting import bar_chart, show
from casework.reports.model import Report, Table
from casework.text import without_bidi_controls

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Cm(21), Cm(29.7), Cm(2)
USABLE_CM = 17.0
# The average width of a character of 9 pt Calibri (or its metric twin Carlito), with room.
# (0.21 cm also holds bold DejaVu Sans, which LibreOffice uses when neither is installed).
CHAR_CM = 0.21
CELL_PADDING_CM = 0.45
FONT = "Calibri"
GREEN = RGBColor(0x0B, 0x5D, 0x4B)
GREY = RGBColor(0x4A, 0x55, 0x60)
HEADER_SHADE = "0B5D4B"
TABLE_PT = 9


# --- the document's frame: shared with the case summary ----------------------------------------


def new_document(lang: str, running_head: str) -> Document:
    """An A4 document in ``lang`` (every style says so), with ``running_head`` at the top of
    each page and "Page n of N" at the bottom."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    _set_language(document, document_language(lang))
    document.core_properties.language = document_language(lang)
    document.core_properties.author = "Casework"
    styles = document.styles
    styles["Normal"].font.size = Pt(10)
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"):
        styles[name].font.name = FONT
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        styles[name].font.color.rgb = GREEN
    styles["Title"].font.size = Pt(22)
    styles["Subtitle"].font.color.rgb = GREY
    for border in styles["Title"].element.iter(qn("w:bottom")):
        border.set(qn("w:color"), str(GREEN))

    header = section.header.paragraphs[0]
    _small(header.add_run(running_head))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _page_numbers(footer)
    return document


def _set_language(document, tag: str) -> None:
    """w:lang on the document defaults and on every style that has run properties."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    targets = [_child(_child(defaults, "w:rPrDefault"), "w:rPr")]
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) in ("paragraph", "character", "table"):
            targets.append(style.get_or_add_rPr())
    for run_properties in targets:
        language = run_properties.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            run_properties.append(language)
        language.set(qn("w:val"), tag)


def _child(parent, tag: str):
    element = parent.find(qn(tag))
    if element is None:
        element = OxmlElement(tag)
        parent.append(element)
    return element


def _page_numbers(paragraph) -> None:
    """ "Page n of N" in the report's language, the numbers as Word fields."""
    marker = "\x00"
    text = str(
        _l(
            "Page %(page)s of %(pages)s",
            page=f"{marker}PAGE{marker}",
            pages=f"{marker}NUMPAGES{marker}",
        )
    )
    for index, part in enumerate(text.split(marker)):
        if index % 2:
            _field(paragraph, part)
        elif part:
            _small(paragraph.add_run(part))


def _field(paragraph, instruction: str) -> None:
    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    for element in (char("begin"), code, char("separate")):
        run = _small(paragraph.add_run())
        run._r.append(element)
    _small(paragraph.add_run("1"))
    _small(paragraph.add_run())._r.append(char("end"))


def _small(run):
    run.font.size = Pt(8)
    run.font.color.rgb = GREY
    return run


def to_bytes(document) -> bytes:
    """The document's bytes, with no direction control left in any text (names and places
    come from the data: casework.text), in the body, headers and footers."""
    parts = [document.element.body]
    for section in document.sections:
        parts += [section.header._element, section.footer._element]
    for part in parts:
        for node in part.iter(qn("w:t")):
            if node.text:
                node.text = without_bidi_controls(node.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- the periodic report ----------------------------------------------------------------------


def periodic_docx(report: Report, lang: str) -> bytes:
    title, subtitle = report_title(report), report_subtitle(report)
    document = new_document(lang, f"{title} · {subtitle}")
    properties = document.core_properties
    properties.title = title
    properties.subject = subtitle
    properties.keywords = ", ".join(p for p in (report.period.code, report.area_code) if p)
    properties.comments = generated_line()

    document.add_heading(title, level=0)
    document.add_paragraph(subtitle, style="Subtitle")
    note = report_note(report)
    if note:
        document.add_paragraph().add_run(note).italic = True
    highlights = highlights_text(report)
    if highlights:
        text, language_note = highlights
        document.add_heading(str(_l("Highlights")), level=1)
        if language_note:
            document.add_paragraph().add_run(language_note).italic = True
        for paragraph in (line for line in text.splitlines() if line.strip()):
            document.add_paragraph(paragraph)
    for section in report.sections:
        document.add_heading(str(section.title), level=1)
        if section.figures:
            _figures(document, section, previous_heading(report))
        for table in section.tables:
            document.add_heading(str(table.title), level=2)
            if not table.rows:
                document.add_paragraph().add_run(str(_l("Nothing in this period."))).italic = True
                continue
            _table(document, table)
            if table.chart:
                _chart(document, table)
    _annex(document, report)
    closing = document.add_paragraph()
    closing.add_run(generated_line()).font.color.rgb = GREY
    return to_bytes(document)


def _figures(document, section, previous: str | None) -> None:
    """The section's figures; with the previous period's beside them when it compares."""
    headers = [str(_l("Indicator")), str(_l("Value"))] + ([previous] if previous else [])
    rows = [
        (
            str(figure.label),
            show(figure.value, figure.kind),
            *([show(figure.previous, figure.kind)] if previous else []),
        )
        for figure in section.figures
    ]
    grid = _grid(document, headers, rows)
    _fit(grid, [list(column) for column in zip(headers, *rows, strict=True)])


def _annex(document, report: Report) -> None:
    """The annex: each section's indicators, each with its definition, and what is divided
    by what for a ratio (paragraphs: a definition is a sentence, not a number)."""
    document.add_heading(str(_l("Annex: definitions of the indicators")), level=1)
    for section, rows in annex_by_section(report):
        document.add_heading(section, level=2)
        for label, definition, numerator, denominator in rows:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(label).bold = True
            paragraph.add_run(f" — {definition}")
            if numerator != "—":
                ratio = str(
                    _l(
                        "Numerator: %(numerator)s. Denominator: %(denominator)s.",
                        numerator=numerator,
                        denominator=denominator,
                    )
                )
                paragraph.add_run(f" {ratio}").italic = True


def _table(document, table: Table) -> None:
    headers = [""] + [str(label) for _key, label in table.columns]
    kinds = [table.kind_of(key) for key, _label in table.columns]
    rows = [
        (str(label), *(show(value, kind) for value, kind in zip(values, kinds, strict=True)))
        for _key, label, values in table.rows
    ]
    grid = _grid(document, headers, rows)
    _fit(grid, [list(column) for column in zip(headers, *rows, strict=True)])


def _grid(document, headers: list[str], rows: list[tuple[str, ...]], numbers: bool = True):
    """A Table Grid table: a shaded header row repeated on each page, the first column
    as text, every other column right-aligned when they hold numbers."""
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    header = grid.rows[0]
    _repeat_as_header(header)
    for index, (cell, text) in enumerate(zip(header.cells, headers, strict=True)):
        _write(cell, text, right=numbers and index > 0, bold=True, white=True)
        _shade(cell, HEADER_SHADE)
    for row in rows:
        cells = grid.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, row, strict=True)):
            _write(cell, text, right=numbers and index > 0)
    return grid


def _write(cell, text: str, *, right: bool, bold: bool = False, white: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.font.size = Pt(TABLE_PT)
    run.bold = bold or None
    if white:
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_as_header(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def column_widths(columns: list[list[str]], usable: float = USABLE_CM) -> list[float]:
    """Widths in cm for columns of text (header first): every column at least as wide as its
    longest word (no word is broken), the first one (labels) preferring its longest label,
    the others their longest value; shrunk towards those minimums to fit the page."""
    minimums, preferred = [], []
    for index, texts in enumerate(columns):
        words = [len(word) for text in texts for word in text.split()] or [1]
        body = [len(text) for text in texts[1:]] or [len(texts[0])]
        least = max(words)
        # The labels' column wants its longest label; a number's column, room for its header
        # on three lines at most.
        header_share = -(-len(texts[0]) // 3)
        wanted = min(max(body), 48) if index == 0 else max(max(body), least, header_share)
        minimums.append(least * CHAR_CM + CELL_PADDING_CM)
        preferred.append(max(least, wanted) * CHAR_CM + CELL_PADDING_CM)
    if len(preferred) > 1:  # short labels (a cercle's name): still the widest column
        preferred[0] = max(preferred[0], *preferred[1:])
    if sum(preferred) <= usable:
        return preferred
    spare = usable - sum(minimums)
    if spare <= 0:  # even the longest words do not fit: share the page in their proportion
        return [usable * m / sum(minimums) for m in minimums]
    extra = [p - m for p, m in zip(preferred, minimums, strict=True)]
    return [m + spare * e / sum(extra) for m, e in zip(minimums, extra, strict=True)]


def _fit(grid, columns: list[list[str]]) -> None:
    widths = column_widths(columns)
    grid.autofit = False  # a fixed layout: Word and LibreOffice keep these widths
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = Cm(width)  # the table grid (LibreOffice reads it)
        for cell in column.cells:
            cell.width = Cm(width)  # each cell (Word reads it)
    table_width = OxmlElement("w:tblW")
    table_width.set(qn("w:w"), str(int(sum(widths) * 567)))  # twentieths of a point per cm
    table_width.set(qn("w:type"), "dxa")
    properties = grid._tbl.tblPr
    for old in properties.findall(qn("w:tblW")):
        properties.remove(old)
    properties.append(table_width)


def chart_png(table: Table) -> tuple[bytes, float]:
    """The chart as a PNG, drawn from the same SVG as the HTML and the PDF, and its width in
    cm at 96 pixels an inch."""
    try:
        import cairosvg
    except OSError as error:  # the cairo library is missing on this machine
        raise RenderError(
            _l(
                "Word documents with charts need the Cairo library (Debian: libcairo2). "
                "Install it, or choose another format."
            )
        ) from error
    svg = bar_chart(table)
    width_px = float(svg.split('width="', 1)[1].split('"', 1)[0])
    png = cairosvg.svg2png(bytestring=svg.encode(), scale=2, background_color="white")
    return png, width_px / 96 * 2.54


def _chart(document, table: Table) -> None:
    png, width = chart_png(table)
    document.add_picture(io.BytesIO(png), width=Cm(min(width, USABLE_CM)))
    document.paragraphs[-1].paragraph_format.space_before = Pt(8)
