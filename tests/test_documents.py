"""Documents people keep (issue 18): the periodic report as a workbook and a Word document
that read well when opened, charts that never cut a label, a labelled JSON report that
follows its published schema, CSV files that open as columns in the language's Excel, and
the case summary's ladder and damage."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import replace

import docx
import jsonschema
import openpyxl
import pypdf
import pytest
import sqlalchemy as sa
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from flask_babel import force_locale

from casework.reports.exports import _csv_value, csv_dialect
from casework.reports.formatting import bar_chart
from casework.reports.model import Table
from casework.reports.xlsx_report import shorten
from tests.test_cases import Walker
from tests.test_periodic_report import year_of_the_cases

LANGUAGES = {"fr": "fr-FR", "en": "en-GB"}
LONG_LABEL = (
    "chef de village, de fraction ou de quartier et ses conseillers, avec le cadi ou l'imam"
)


@pytest.fixture
def coordinator_client(app, client, seeded, make_user, login):
    """A coordinator of Gao (French interface) with two cases of this year: one of
    transhumance (a long label) with a session of 3 women and 9 men and an agreement of
    50 000 FCFA, and one of crop damage."""
    login(make_user("coordinator", username="coord", area="GAO", lang="fr"))
    walk = Walker(app, client, "fr")
    walk.register(conflict_type="TRANSHUMANCE", title="Couloir de passage obstrué")
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    walk.session("agreement")
    walk.agreement()
    walk.register(unit="GAO-GAO-NTILLIT", parties=("Fatouma Walet",), not_a_duplicate="y")
    return client


def periodic(client, fmt: str, lang: str, **params):
    year = year_of_the_cases(client.application)
    query = {"period": year, "area": "GAO", "lang": lang, "format": fmt, **params}
    response = client.get("/reports/periodic", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    return response.data


def the_report(app, lang: str) -> list[tuple[str, str, Table]]:
    """The report's tables as the renderers see them, every label a string in ``lang``:
    (title, short title or "", table)."""
    from casework.geo.services import get_unit_by_code
    from casework.reports.indicators import build_report
    from casework.reports.periods import parse_period

    with app.test_request_context("/"), force_locale(lang):
        report = build_report(parse_period(year_of_the_cases(app)), get_unit_by_code("GAO"))
        return [
            (
                str(table.title),
                str(table.short_title or ""),
                replace(
                    table, rows=[(key, str(label), values) for key, label, values in table.rows]
                ),
            )
            for section in report.sections
            for table in section.tables
        ]


def words(text: str) -> list[str]:
    return re.findall(r"[\w'’-]+", text)


# --- the workbook -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_workbook_reads_well_when_opened(app, coordinator_client, lang):
    workbook = openpyxl.load_workbook(io.BytesIO(periodic(coordinator_client, "xlsx", lang)))
    tables = the_report(app, lang)

    # Sheet names: at most 31 characters, unique, and never a word cut in two: each is the
    # table's number and its short title, or its title shortened between words.
    names = workbook.sheetnames
    assert all(len(name) <= 31 for name in names), names
    assert len({name.lower() for name in names}) == len(names)
    table_sheets, annex = names[2:-1], names[-1]
    assert len(table_sheets) == len(tables)
    assert annex == {"fr": "Définitions", "en": "Definitions"}[lang]
    for number, (name, (title, short, _table)) in enumerate(
        zip(table_sheets, tables, strict=True), start=1
    ):
        prefix, _, rest = name.partition(" ")
        assert prefix == str(number), name
        if short:
            assert rest == short, name
        else:
            kept = words(rest)
            assert kept == words(title)[: len(kept)], (name, title)

    # The contents sheet lists every full title, each a link to its sheet.
    contents = workbook.worksheets[0]
    links = {
        cell.value: cell.hyperlink.location
        for row in contents.iter_rows()
        for cell in row
        if cell.hyperlink is not None
    }
    for (title, _short, _table), name in zip(tables, table_sheets, strict=True):
        assert title in links, title
        assert links[title] == "'{}'!A1".format(name.replace("'", "''"))

    # Each table sheet: the full title on top, a styled header row frozen with the labels'
    # column, columns as wide as their content, numbers stored as numbers, a chart where the
    # PDF has one.
    for name, (title, _short, table) in zip(table_sheets, tables, strict=True):
        sheet = workbook[name]
        assert sheet["A1"].value == title
        assert sheet.freeze_panes == "B5"
        header = sheet[4]
        assert all(cell.font.b and cell.fill.fgColor.rgb.endswith("0B5D4B") for cell in header)
        longest = max((len(str(label)) for _k, label, _v in table.rows), default=0)
        assert sheet.column_dimensions["A"].width >= min(longest, 70)
        assert sheet.column_dimensions["B"].width >= 10
        for row in sheet.iter_rows(min_row=5, min_col=2):
            for cell in row:
                if isinstance(cell.value, str):  # only "—" (no denominator), "<5" or "–"
                    assert cell.value in ("—", "–") or cell.value.startswith("<"), cell.value
        assert len(sheet._charts) == (1 if table.chart and table.rows else 0), name
    assert any(table.chart and table.rows for _t, _s, table in tables)

    # Rates are fractions shown as percentages, amounts in FCFA with thousands.
    figures = workbook.worksheets[1]
    values = {
        row[0].value: row[1] for row in figures.iter_rows(min_row=5) if row[0].value is not None
    }
    share = (
        "Part des femmes parmi les participants aux séances"
        if lang == "fr"
        else ("Share of women among session participants")
    )
    assert values[share].value == pytest.approx(0.25)
    assert values[share].number_format == "0.0%"
    money = [cell for cell in values.values() if "FCFA" in cell.number_format]
    assert money and all(isinstance(cell.value, int) for cell in money)
    assert 50000 in [cell.value for cell in money]
    assert "#,##0" in money[0].number_format

    # The document says what it is.
    properties = workbook.properties
    assert properties.title == ("Rapport périodique" if lang == "fr" else "Periodic report")
    assert properties.language == LANGUAGES[lang]
    year = year_of_the_cases(app)
    assert "Gao" in properties.subject and year in properties.subject
    custom = {prop.name: prop.value for prop in workbook.custom_doc_props.props}
    assert custom["Period"] == year and custom["Language"] == lang


def test_sheet_names_are_shortened_between_words():
    assert shorten("Niveau de l'échelle auquel les dossiers ont été réglés", 28) == (
        "Niveau de l'échelle"
    )
    assert shorten("Cases opened for crimes, by type", 28) == "Cases opened for crimes"
    assert shorten("Referrals made, by institution (all cases, crimes included)", 28) == (
        "Referrals made"
    )
    assert shorten("Alerts: [a/b]?", 28) == "Alerts a b"
    assert shorten("Short", 28) == "Short"


def test_every_short_title_fits_a_sheet_name_in_every_language(app, coordinator_client):
    for lang in ("fr", "en"):
        for _title, short, _table in the_report(app, lang):
            assert len(short) <= 28, short
            assert not re.search(r"[\[\]:*?/\\]", short), short


# --- the Word document ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_word_document_reads_well_when_opened(app, coordinator_client, lang):
    document = docx.Document(io.BytesIO(periodic(coordinator_client, "docx", lang)))
    tables = the_report(app, lang)

    # Word's own heading styles (its navigation pane lists them) and the Table Grid.
    paragraphs = list(document.paragraphs)
    annex = next(i for i, p in enumerate(paragraphs) if p.text.startswith(("Annex", "Annexe")))
    headings = [p.text for p in paragraphs[:annex] if p.style.name == "Heading 2"]
    assert headings == [title for title, _s, _t in tables]
    # The annex: a heading per section, then each indicator with its definition.
    assert paragraphs[annex].style.name == "Heading 1"
    assert any(p.style.name == "List Bullet" for p in paragraphs[annex:])
    assert any(p.style.name == "Heading 1" for p in document.paragraphs)
    assert all(table.style.name == "Table Grid" for table in document.tables)

    # Columns as wide as their content: set, fixed, the labels' column the widest; numbers
    # right-aligned.
    for table in document.tables:
        layout = table._tbl.tblPr.find(qn("w:tblLayout"))
        assert layout is not None and layout.get(qn("w:type")) == "fixed"
        widths = [column.width for column in table.columns]
        assert all(width for width in widths), widths
        assert widths[0] == max(widths)
        for row in table.rows[1:]:
            for cell in row.cells[1:]:
                assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
        if len(widths) > 3:
            # No word is broken: the narrowest column holds its header's longest word.
            header = table.rows[0].cells
            for cell, width in zip(header[1:], widths[1:], strict=True):
                longest = max((len(w) for w in cell.text.split()), default=0)
                assert width.cm >= longest * 0.19, (cell.text, width.cm)

    # The spell-checker's language, on the defaults and on every style.
    styles = document.styles.element
    default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert default.find(qn("w:lang")).get(qn("w:val")) == LANGUAGES[lang]
    for name in ("Normal", "Heading 1", "Heading 2", "Title"):
        element = document.styles[name].element.find(qn("w:rPr")).find(qn("w:lang"))
        assert element.get(qn("w:val")) == LANGUAGES[lang], name
    assert document.core_properties.language == LANGUAGES[lang]

    # Each page: the report, its area and period at the top, "Page n of N" at the bottom.
    section = document.sections[0]
    head = section.header.paragraphs[0].text
    assert "Gao" in head and year_of_the_cases(app) in head
    footer = section.footer.paragraphs[0]._p.xml
    assert " PAGE " in footer and " NUMPAGES " in footer
    assert ("sur" if lang == "fr" else "of") in section.footer.paragraphs[0].text

    # A picture for each chart of the PDF.
    charts = [t for _title, _s, t in tables if t.chart and t.rows]
    assert charts and len(document.inline_shapes) == len(charts)


# --- charts -----------------------------------------------------------------------------------


def test_a_chart_never_cuts_a_label():
    table = Table(
        "by_level",
        "Level",
        [("resolved", "resolved")],
        [("CHEFFERIE", LONG_LABEL, [25]), ("PARTIES", "parties", [4])],
        chart=True,
    )
    svg = bar_chart(table)
    shown = re.findall(r'text-anchor="end" font-size="10">([^<]*)</text>', svg)
    # Every word is there, whole, in order, over several lines (it used to stop at 26
    # characters).
    assert " ".join(shown[:-1]) == LONG_LABEL
    assert len(shown) > 2 and shown[-1] == "parties"
    # The label column is as wide as its longest line: nothing starts left of the picture.
    width = max(len(line) for line in shown) * 6 + 8
    assert f'x="{width - 6}"' in svg


def test_the_pdf_chart_keeps_long_labels_whole(coordinator_client):
    label = {"fr": "couloir de passage, transhumance", "en": "livestock corridor, transhumance"}
    for lang in ("fr", "en"):
        pdf = periodic(coordinator_client, "pdf", lang)
        text = " ".join(
            " ".join(page.extract_text().split()) for page in pypdf.PdfReader(io.BytesIO(pdf)).pages
        )
        # Once in the table, once in the chart (which used to cut it at 26 characters).
        assert text.count(label[lang]) == 2, text[:500]


def test_the_chart_pictures_are_drawn(coordinator_client):
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    document = docx.Document(io.BytesIO(periodic(coordinator_client, "docx", "fr")))
    images = [
        rel.target_part.blob for rel in document.part.rels.values() if rel.reltype == RT.IMAGE
    ]
    assert images and all(blob.startswith(b"\x89PNG") for blob in images)


# --- JSON -------------------------------------------------------------------------------------


def test_the_json_report_follows_its_schema_and_speaks_the_language(coordinator_client):
    response = coordinator_client.get("/reports/periodic.schema.json")
    assert response.status_code == 200
    assert response.mimetype == "application/schema+json"
    schema = json.loads(response.data)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())

    reports = {
        lang: json.loads(periodic(coordinator_client, "json", lang)) for lang in ("fr", "en")
    }
    for lang, report in reports.items():
        validator.validate(report)
        assert report["lang"] == lang and report["schema"] == "/reports/periodic.schema.json"
    french, english = reports["fr"], reports["en"]
    # The values by code are the same; the labels are each in their language.
    assert french["indicators"] == english["indicators"]
    assert french["title"] == "Rapport périodique" and english["title"] == "Periodic report"
    first_fr, first_en = french["sections"][0], english["sections"][0]
    assert first_fr["key"] == first_en["key"] == "cases"
    assert (first_fr["title"], first_en["title"]) == ("Dossiers de médiation", "Mediation cases")
    rows_fr = {row["key"]: row["label"] for row in first_fr["tables"][0]["rows"]}
    rows_en = {row["key"]: row["label"] for row in first_en["tables"][0]["rows"]}
    assert rows_fr["TRANSHUMANCE"] == "couloir de passage, transhumance"
    assert rows_en["TRANSHUMANCE"] != rows_fr["TRANSHUMANCE"]
    # Each labelled value is the coded one.
    opened = next(f for f in first_fr["figures"] if f["key"] == "cases_opened")
    assert opened["value"] == french["indicators"]["cases"]["cases_opened"] == 2
    assert opened["label"] == "Dossiers ouverts (crimes exclus)"


def test_a_broken_report_does_not_validate(coordinator_client):
    from casework.reports.json_report import PERIODIC_SCHEMA

    report = json.loads(periodic(coordinator_client, "json", "en"))
    report["sections"][0]["figures"][0]["value"] = "12"  # a number written as text
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(report, PERIODIC_SCHEMA)


def test_the_schema_is_for_those_who_produce_reports(app, client, seeded, make_user, login):
    login(make_user("mediator", username="med", area="GAO"))
    assert client.get("/reports/periodic.schema.json").status_code == 403


# --- CSV --------------------------------------------------------------------------------------


def read_export(client, lang: str, **params) -> str:
    response = client.get("/reports/exports/cases.csv", query_string={"lang": lang, **params})
    assert response.status_code == 200, response.get_data(as_text=True)[-1000:]
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte-order mark, as before
    return raw.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("lang", "params", "separator"),
    [
        ("fr", {}, ";"),
        ("en", {}, ","),
        ("fr", {"sep": "comma"}, ","),
        ("en", {"sep": "semicolon"}, ";"),
        ("fr", {"sep": "tab"}, "\t"),
    ],
)
def test_csv_opens_as_columns_in_the_languages_spreadsheet(
    coordinator_client, lang, params, separator
):
    text = read_export(coordinator_client, lang, **params)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    header = rows[0]
    assert header[0] == ("Référence" if lang == "fr" else "Reference")
    assert len(header) > 20 and len(rows) == 3
    assert all(len(row) == len(header) for row in rows)


def test_decimals_take_the_languages_sign():
    assert csv_dialect("fr") == csv_dialect("fr", "semicolon")
    assert (csv_dialect("fr").separator, csv_dialect("fr").decimal) == (";", ",")
    assert (csv_dialect("en").separator, csv_dialect("en").decimal) == (",", ".")
    assert csv_dialect("fr", "comma").decimal == "."  # never a comma in a comma-separated file
    assert _csv_value(2.5, ",") == "2,5" and _csv_value(2.5, ".") == 2.5
    assert _csv_value(12, ",") == 12


def test_a_bad_separator_gets_a_clear_error_and_no_file(coordinator_client):
    response = coordinator_client.get(
        "/reports/exports/cases.csv", query_string={"lang": "fr", "sep": "pipe"}
    )
    assert response.status_code == 400
    assert "Séparateur inconnu\u00a0: pipe" in response.get_data(as_text=True)
    assert "attachment" not in response.headers.get("Content-Disposition", "")


def test_the_exports_page_offers_the_separator(coordinator_client):
    page = coordinator_client.get("/reports/exports")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="sep"' in html
    assert "Point-virgule, virgule décimale (Excel en français)" in html
    chosen = coordinator_client.get("/reports/exports?sep=tab").get_data(as_text=True)
    assert "cases.csv?lang=fr&amp;sep=tab" in chosen
    bad = coordinator_client.get("/reports/exports?sep=pipe")
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Choisissez une des valeurs de la liste" in html
    assert "cases.csv?lang=fr&amp;sep" not in html and "cases.csv?lang=fr" in html


# --- the case summary -------------------------------------------------------------------------


def drawn_markers(app, case_id: int) -> dict[str, list[str]]:
    """The list markers WeasyPrint draws in the case summary's PDF, by list class (pypdf
    does not extract them, so the layout is read before it is written)."""
    from flask import render_template
    from weasyprint import CSS, HTML

    from casework.cases.models import Case
    from casework.extensions import db
    from casework.reports.render import case_context

    with app.test_request_context("/"), force_locale("fr"):
        case = db.session.get(Case, case_id)
        html = render_template("reports/case_summary_print.html", **case_context(case, False))
    stylesheet = CSS(filename=f"{app.static_folder}/css/report.css")
    pages = HTML(string=html).render(stylesheets=[stylesheet]).pages
    found: dict[str, list[str]] = {}

    def walk(box, where: str, marker: bool):
        element = getattr(box, "element", None)
        if getattr(box, "element_tag", "") in ("ol", "ul") and element is not None:
            where = element.get("class") or ""
        marker = marker or str(getattr(box, "element_tag", "")).endswith("::marker")
        if marker and hasattr(box, "text"):
            found.setdefault(where, []).append(box.text.strip())
        for child in getattr(box, "children", None) or []:
            walk(child, where, marker)

    for page in pages:
        walk(page._page_box, "", False)
    return found


def test_the_case_summary_numbers_the_ladder_once(app, coordinator_client):
    from casework.cases.models import Case
    from tests.conftest import query
    from tests.test_case_summary import pdf_text

    case_id = query(app, sa.select(Case.id).where(Case.conflict_type == "TRANSHUMANCE"))
    case_id = case_id.scalar_one()
    response = coordinator_client.get(f"/reports/case/{case_id}?format=pdf")
    assert response.status_code == 200
    ladder = pdf_text(response.data).split("Parcours sur l'échelle", 1)[1].split("Séances")[0]
    lines = [line.strip() for line in ladder.strip().splitlines() if line.strip()]
    # Where the case entered, then the levels its sessions reached (issue 15), each once.
    assert lines[0] == "0. règlement à l'amiable entre les parties", ladder
    assert all(re.match(r"^[0-5]\. \D", line) for line in lines), ladder
    # The level's own number, and no list number in front of it ("1. 0. règlement…").
    markers = drawn_markers(app, case_id)
    assert "ladder" not in markers, markers
    assert markers["timeline"][:2] == ["1.", "2."]  # the reading of the layout works


def test_the_damage_has_no_stray_separator(app, client, seeded, make_user, login):
    login(make_user("mediator", username="awa", area="GAO", lang="fr"))
    walk = Walker(app, client, "fr")
    case_id = walk.register(damage_fcfa="150000", damage_text="", livestock_heads="")
    for path in (f"/cases/{case_id}", f"/reports/case/{case_id}?lang=fr&format=html"):
        html = client.get(path).get_data(as_text=True)
        match = re.search(r"<dt>Dégâts</dt>\s*<dd>([^<]*)</dd>", html)
        assert match, path
        assert match.group(1).strip() == "150\u202f000\u00a0FCFA", (path, match.group(1))


def test_the_export_command_takes_a_separator(app, runner, coordinator_client, tmp_path):
    from casework.reports.export_cli import export

    target = tmp_path / "cases.csv"
    result = runner.invoke(export, ["cases", "--lang", "fr", "--sep", "comma", "-o", str(target)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    assert rows[0][0] == "Référence" and len(rows[0]) > 20
    result = runner.invoke(export, ["cases", "--lang", "fr", "--sep", "pipe", "-o", str(target)])
    assert result.exit_code != 0 and "pipe" in result.output
