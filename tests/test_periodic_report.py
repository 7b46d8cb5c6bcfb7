"""The periodic report in French or English, whatever the interface language, in every
format; the anonymised variant; bad requests from the web and the command line."""

from __future__ import annotations

import io
import json
import zipfile

import docx
import openpyxl
import pypdf
import pytest
import sqlalchemy as sa

from casework.cases.models import Case
from casework.cli import cli
from tests.conftest import query
from tests.test_cases import Walker

# Key labels that must appear in the report of their language and never in the other.
KEY_LABELS = {
    "fr": ["Rapport périodique", "Dossiers de médiation", "Taux de résolution", "Alerte précoce"],
    "en": ["Periodic report", "Mediation cases", "Resolution rate", "Early warning"],
}


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def text_of(fmt: str, content: bytes) -> str:
    if fmt == "pdf":
        return pdf_text(content)
    if fmt == "docx":
        return docx_text(content)
    if fmt == "xlsx":
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return content.decode()


@pytest.fixture
def coordinator_client(app, client, seeded, make_user, login):
    """A coordinator of Gao whose interface is in French, with a few cases of this month."""
    login(make_user("coordinator", username="coord", area="GAO", lang="fr"))
    walk = Walker(app, client, "fr")
    walk.register(parties=("Mohamed Ag Abeïbara", "محمد الأنصاري"), title="Puits disputé")
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    walk.session("agreement")
    walk.agreement()
    walk.register(unit="GAO-GAO-NTILLIT", parties=("Fatouma Walet",), not_a_duplicate="y")
    return client


def year_of_the_cases(app) -> str:
    """The year the fixture's cases were reported in: this year, or the last one in the first
    days of January (the walker reports a case a few days after its events)."""
    return str(query(app, sa.select(sa.func.max(Case.reported_on))).scalar_one().year)


def periodic(client, **params):
    base = {"period": "2026", "area": "GAO", "lang": "fr", "format": "html"}
    base.update(params)
    return client.get("/reports/periodic", query_string=base)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "html"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_report_speaks_the_language_asked_for(app, coordinator_client, lang, fmt):
    year = year_of_the_cases(app)
    response = periodic(coordinator_client, lang=lang, format=fmt, period=year)
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    text = text_of(fmt, response.data)
    other = "en" if lang == "fr" else "fr"
    for label in KEY_LABELS[lang]:
        assert label in text, (lang, fmt, label)
    for label in KEY_LABELS[other]:
        assert label not in text, (lang, fmt, label)


def test_json_holds_every_indicator(app, coordinator_client):
    response = periodic(coordinator_client, format="json", period=year_of_the_cases(app))
    data = json.loads(response.data)
    assert data["area"] == "GAO" and not data["anonymised"]
    indicators = data["indicators"]
    for section in (
        "cases",
        "timeliness",
        "compliance",
        "harm",
        "inclusion",
        "policing",
        "early_warning",
        "serious_crime",
    ):
        assert section in indicators, section
    assert indicators["cases"]["cases_opened"] == 2


def test_docx_and_xlsx_are_real_office_files(coordinator_client):
    for fmt in ("docx", "xlsx"):
        content = periodic(coordinator_client, format=fmt).data
        assert zipfile.is_zipfile(io.BytesIO(content))
    workbook = openpyxl.load_workbook(io.BytesIO(periodic(coordinator_client, format="xlsx").data))
    assert len(workbook.sheetnames) > 5  # one sheet per table, after the summary


def test_the_anonymised_report_hides_small_counts(app, coordinator_client):
    year = year_of_the_cases(app)
    response = periodic(coordinator_client, format="json", anonymised="y", period=year)
    data = json.loads(response.data)
    assert data["anonymised"] is True
    assert data["indicators"]["cases"]["cases_opened"] == "<5"
    pdf = pdf_text(periodic(coordinator_client, format="pdf", anonymised="y").data)
    assert "Abeïbara" not in pdf and "محمد" not in pdf


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lang": "xx"}, "Choisissez une des valeurs de la liste"),
        ({"period": "2026-Q5"}, "Q1, Q2, Q3 ou Q4"),
        ({"area": "NOWHERE"}, "Choisissez une des valeurs de la liste"),
        ({"format": "exe"}, "Choisissez une des valeurs de la liste"),
    ],
)
def test_bad_requests_get_a_clear_error_and_no_file(coordinator_client, params, message):
    response = periodic(coordinator_client, **params)
    assert response.status_code == 400
    assert "Content-Disposition" not in response.headers
    assert message in response.get_data(as_text=True)


def test_a_coordinator_reports_only_on_their_area(coordinator_client):
    assert periodic(coordinator_client, area="KDL").status_code == 400  # not among the choices
    assert periodic(coordinator_client, area="").status_code == 400


def test_an_analyst_gets_the_anonymised_report_only(app, client, seeded, make_user, login):
    login(make_user("analyst", lang="en"))
    response = client.get(
        "/reports/periodic",
        query_string={"period": "2026", "area": "", "lang": "en", "format": "json"},
    )
    assert response.status_code == 200
    assert json.loads(response.data)["anonymised"] is True


@pytest.mark.parametrize("role", ["mediator", "police"])
def test_mediators_and_police_do_not_produce_periodic_reports(
    client, seeded, make_user, login, role
):
    login(make_user(role, area="GAO"))
    assert client.get("/reports/").status_code == 403


def test_the_command_line(app, runner, coordinator_client, tmp_path):
    output = tmp_path / "report.pdf"
    result = runner.invoke(
        cli,
        [
            "report",
            "periodic",
            "--lang",
            "en",
            "--period",
            "2026",
            "--area",
            "GAO",
            "--format",
            "pdf",
            "-o",
            str(output),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Periodic report" in pdf_text(output.read_bytes())
    anonymised = tmp_path / "anon.json"
    result = runner.invoke(
        cli,
        [
            "report",
            "periodic",
            "--period",
            "2026-Q4",
            "--format",
            "json",
            "--anonymised",
            "-o",
            str(anonymised),
        ],
    )
    assert result.exit_code == 0 and json.loads(anonymised.read_text())["anonymised"]
    for args in (
        ["--period", "2026-Q5"],
        ["--period", "2026", "--lang", "de"],
        ["--period", "2026", "--area", "ATLANTIS"],
    ):
        missing = tmp_path / "none.pdf"
        bad = runner.invoke(cli, ["report", "periodic", *args, "-o", str(missing)])
        assert bad.exit_code != 0, args
        assert not missing.exists()


def test_an_english_interface_gets_a_french_report_when_asked(app, seeded, make_user):
    from tests.conftest import post_form

    user = make_user("coordinator", username="english.coord", area="GAO", lang="en")
    client = app.test_client()
    post_form(client, "/login", {"username": user.username, "password": user.password})
    assert '<html lang="en">' in client.get("/reports/").get_data(as_text=True)
    text = pdf_text(periodic(client, lang="fr", format="pdf").data)
    assert "Rapport périodique" in text and "Periodic report" not in text
    english = pdf_text(periodic(client, lang="en", format="pdf").data)
    assert "Periodic report" in english and "Rapport périodique" not in english
