"""The case summary (fiche de dossier) in French or English, as HTML, PDF and DOCX."""

from __future__ import annotations

import io
import re

import docx
import pypdf
import pytest
import sqlalchemy as sa

from casework.cases.models import Case
from casework.cli import cli
from tests.conftest import post_form, query
from tests.test_cases import Walker


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


@pytest.fixture
def case_id(app, client, seeded, make_user, login):
    login(make_user("mediator", username="awa", area="GAO", lang="fr"))
    walk = Walker(app, client, "fr")
    walk.register(parties=("Mohamed Ag Abeïbara", "محمد الأنصاري"), title="Puits de Ménaka disputé")
    walk.move("ENREGISTRE")
    walk.move("EN_MEDIATION")
    walk.session("agreement")
    walk.agreement()
    return walk.case_id


LABELS = {
    "fr": ["Fiche de dossier", "Parties", "Chronologie", "Type de conflit", "dégâts champêtres"],
    "en": ["Case summary", "Parties", "Timeline", "Conflict type", "crop damage by livestock"],
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("fmt", ["pdf", "docx", "html"])
def test_the_summary_speaks_the_language_asked_for_whatever_the_interface(
    client, case_id, lang, fmt
):
    # The interface is French (the user's preference); the report is asked in ``lang``.
    response = client.get(f"/reports/case/{case_id}", query_string={"lang": lang, "format": fmt})
    assert response.status_code == 200
    if fmt == "pdf":
        text = pdf_text(response.data)
        assert response.headers["Content-Disposition"].startswith("attachment")
    elif fmt == "docx":
        text = docx_text(response.data)
    else:
        text = response.get_data(as_text=True)
    for label in LABELS[lang]:
        assert label in text, (lang, fmt, label)
    other = "en" if lang == "fr" else "fr"
    for label in LABELS[other]:
        if label not in LABELS[lang]:
            assert label not in text, (lang, fmt, label)


def test_accents_and_arabic_script_survive_the_pdf(client, case_id):
    text = pdf_text(client.get(f"/reports/case/{case_id}?lang=fr&format=pdf").data)
    assert "Ménaka" in text and "Abeïbara" in text
    assert "محمد" in text


def test_the_redacted_summary_has_no_names_and_no_narrative(client, case_id):
    text = pdf_text(client.get(f"/reports/case/{case_id}?lang=en&format=pdf&redacted=1").data)
    assert "Abeïbara" not in text and "محمد" not in text
    assert "troupeau" not in text
    assert "Party 1" in text


def test_the_narrative_note_names_its_language_when_untranslated(client, case_id):
    text = pdf_text(client.get(f"/reports/case/{case_id}?lang=en&format=pdf").data)
    assert "Written in French; no translation yet." in text
    assert "Un troupeau de bovins" in text


@pytest.mark.parametrize(
    ("query_string", "status"),
    [
        ({"lang": "xx", "format": "pdf"}, 400),
        ({"lang": "fr", "format": "exe"}, 400),
    ],
)
def test_bad_requests_get_a_clear_error_and_no_file(client, case_id, query_string, status):
    response = client.get(f"/reports/case/{case_id}", query_string=query_string)
    assert response.status_code == status
    assert "Content-Disposition" not in response.headers


def test_the_command_line_writes_the_summary(app, runner, case_id, tmp_path):
    reference = query(app, sa.select(Case.reference).where(Case.id == case_id)).scalar_one()
    output = tmp_path / "fiche.docx"
    result = runner.invoke(
        cli,
        [
            "report",
            "case",
            reference.lower(),
            "--lang",
            "fr",
            "--format",
            "docx",
            "-o",
            str(output),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Fiche de dossier" in docx_text(output.read_bytes())
    missing = tmp_path / "none.pdf"
    bad = runner.invoke(cli, ["report", "case", "GAO-1999-0001", "-o", str(missing)])
    assert bad.exit_code != 0 and "Unknown case reference" in bad.output
    assert not missing.exists()
    bad_lang = runner.invoke(cli, ["report", "case", reference, "--lang", "de", "-o", str(missing)])
    assert bad_lang.exit_code != 0 and not missing.exists()


@pytest.mark.parametrize("role", ["analyst", "police"])
def test_analysts_and_police_cannot_open_a_case_summary(app, case_id, make_user, role):
    user = make_user(role, area="GAO")
    other = app.test_client()
    post_form(other, "/login", {"username": user.username, "password": user.password})
    assert other.get(f"/reports/case/{case_id}?lang=fr&format=pdf").status_code == 403


SUMMARY_TYPES = {
    "html": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@pytest.mark.parametrize(
    ("page_lang", "other", "offer"), [("fr", "en", "en anglais"), ("en", "fr", "in French")]
)
def test_the_case_page_links_the_summary_in_every_format_and_both_languages(
    app, case_id, make_user, page_lang, other, offer
):
    reader = app.test_client()
    user = make_user("mediator", area="GAO", lang=page_lang)
    post_form(reader, "/login", {"username": user.username, "password": user.password})
    page = reader.get(f"/cases/{case_id}").get_data(as_text=True)
    links = set(re.findall(rf'href="(/reports/case/{case_id}\?[^"]+)"', page))
    assert links == {
        f"/reports/case/{case_id}?lang={lang}&amp;format={fmt}"
        for lang in (page_lang, other)
        for fmt in SUMMARY_TYPES
    }
    assert offer in page
    for link in links:
        response = reader.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        assert response.mimetype == SUMMARY_TYPES[link.rsplit("=", 1)[1]], link
