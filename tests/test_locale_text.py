"""One language per document (issue 18): dates, language names and colons written the way
a reader of the page's language writes them, on the pages and in the summaries."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.pofile import read_po

from casework.cases.models import Case, CaseEvent
from casework.config import settings_from_env
from casework.extensions import db
from casework.geo.services import get_unit_by_code
from casework.policing.models import Alert
from tests.conftest import post_form
from tests.test_case_summary import case_id, docx_text, pdf_text  # noqa: F401 (fixture)

CATALOGUE = Path(__file__).parent.parent / "casework/translations/fr/LC_MESSAGES/messages.po"
MOMENT = datetime(2026, 12, 4, 16, 51, tzinfo=UTC)  # Bamako is UTC+0


@pytest.fixture
def dated_case(app, case_id):  # noqa: F811
    """The case with known dates: events on 25 October 2026, its history at 4 Dec, 16:51."""
    with app.app_context():
        db.session.execute(
            sa.update(Case)
            .where(Case.id == case_id)
            .values(event_date=date(2026, 10, 25), reported_on=date(2026, 10, 26))
        )
        db.session.execute(
            sa.update(CaseEvent).where(CaseEvent.case_id == case_id).values(at=MOMENT)
        )
        db.session.commit()
    return case_id


def reader(app, make_user, lang):
    client = app.test_client()
    user = make_user("mediator", area="GAO", lang=lang)
    post_form(client, "/login", {"username": user.username, "password": user.password})
    return client


DATES = {
    "en": ("25 October 2026", "4 Dec 2026, 16:51"),
    "fr": ("25 octobre 2026", "4 déc. 2026, 16:51"),
}
# American forms, as patterns: "4:51" alone, not the "04:51" of the hour the summary is made
AMERICAN = [re.compile(p) for p in (r"October 25, 2026", r"12/4/26", r"(?<!\d)4:51", r"\bPM\b")]


def html_text(data: bytes) -> str:
    """What the reader sees: the text, not the tags (a random CSRF token may hold "PM")."""
    return re.sub(r"<[^>]*>", " ", data.decode())


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_case_page_writes_dates_day_month_year_on_24_hours(app, dated_case, make_user, lang):
    text = html_text(reader(app, make_user, lang).get(f"/cases/{dated_case}").data)
    long, short = DATES[lang]
    assert long in text and short in text
    for american in AMERICAN:
        assert not american.search(text), american.pattern


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
def test_the_summary_writes_dates_day_month_year_on_24_hours(client, dated_case, lang, fmt):
    response = client.get(f"/reports/case/{dated_case}", query_string={"lang": lang, "format": fmt})
    text = {"pdf": pdf_text, "docx": docx_text}.get(fmt, html_text)(response.data)
    long, short = DATES[lang]
    assert long in text
    if fmt != "docx":  # the Word summary has no timeline
        assert short in text
    for american in AMERICAN:
        assert not american.search(text), american.pattern


def test_the_iso_style_writes_iso_dates(app, client, dated_case, make_user):
    app.config["DATE_STYLE"] = "iso"
    try:
        page = reader(app, make_user, "en").get(f"/cases/{dated_case}").get_data(as_text=True)
        summary = client.get(f"/reports/case/{dated_case}?lang=fr&format=html").data.decode()
    finally:
        app.config["DATE_STYLE"] = "written"
    for text in (page, summary):
        assert "2026-10-25" in text and "2026-12-04 16:51" in text
        assert "October" not in text and "octobre" not in text


def test_the_date_style_comes_from_the_environment():
    assert settings_from_env({"CASEWORK_DATE_STYLE": "ISO"})["DATE_STYLE"] == "iso"
    with pytest.raises(RuntimeError, match="CASEWORK_DATE_STYLE"):
        settings_from_env({"CASEWORK_DATE_STYLE": "american"})


# --- language names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "written", "sentence"),
    [("en", "fr", "Written in French;"), ("fr", "en", "Rédigé en anglais")],
)
def test_the_narrative_language_is_named_in_the_readers_language(
    app,
    case_id,  # noqa: F811
    make_user,
    lang,
    written,
    sentence,  # noqa: F811
):
    with app.app_context():
        db.session.execute(sa.update(Case).where(Case.id == case_id).values(narrative_lang=written))
        db.session.commit()
    client = reader(app, make_user, lang)
    page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    summary = pdf_text(client.get(f"/reports/case/{case_id}?lang={lang}&format=pdf").data)
    for text in (page, summary):
        assert sentence in text


# --- colons ---------------------------------------------------------------------------------


def test_english_glues_the_colon_and_french_puts_a_no_break_space_before_it(
    app,
    client,
    case_id,  # noqa: F811
    make_user,
):
    english = reader(app, make_user, "en").get(f"/cases/{case_id}").get_data(as_text=True)
    english = " ".join(english.split())  # the page's line breaks are spaces to a reader
    assert "status changed: reported → registered" in english
    assert "status changed :" not in english
    french_page = client.get(f"/cases/{case_id}").get_data(as_text=True)
    french_pdf = pdf_text(client.get(f"/reports/case/{case_id}?lang=fr&format=pdf").data)
    french_docx = docx_text(client.get(f"/reports/case/{case_id}?lang=fr&format=docx").data)
    for text in (french_page, french_pdf):
        assert "statut modifié\u00a0: signalé → enregistré" in text.replace("\n", " ")
        assert "modifié:" not in text
    assert "Type de conflit\u00a0: " in french_docx and "Type de conflit:" not in french_docx
    assert "Conflict type: " in docx_text(
        client.get(f"/reports/case/{case_id}?lang=en&format=docx").data
    )


def test_every_french_colon_semicolon_and_mark_has_its_no_break_space():
    with CATALOGUE.open("rb") as po:
        catalogue = read_po(po)
    glued = [
        message.id
        for message in catalogue
        if message.id
        for text in (message.string if isinstance(message.string, tuple) else (message.string,))
        if re.search(r"(?<!\u00a0)[:;!?](?=\s|$)", text)
    ]
    assert glued == []


# --- titles are translated like narratives (issue 18) ---------------------------------------


def test_a_title_is_shown_in_the_readers_language_once_translated(
    app,
    client,
    case_id,  # noqa: F811
    make_user,
):
    """The case was written in French ("Puits de Ménaka disputé"). Until it is translated an
    English reader sees it marked as French; once translated, in English everywhere."""
    english = reader(app, make_user, "en")
    page = english.get(f"/cases/{case_id}").get_data(as_text=True)
    assert '<span lang="fr">Puits de Ménaka disputé</span>' in page
    response = post_form(
        client,
        f"/cases/{case_id}/translate",
        {"title_translation": "Disputed well in Ménaka", "translation": ""},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    for path in (f"/cases/{case_id}", "/cases", f"/cases/{case_id}/sessions/new"):
        page = english.get(path).get_data(as_text=True)
        assert "Disputed well in Ménaka" in page and "Puits de Ménaka disputé" not in page, path
    summary = english.get(f"/reports/case/{case_id}?lang=en&format=docx")
    assert "Disputed well in Ménaka" in docx_text(summary.data)
    pdf = english.get(f"/reports/case/{case_id}?lang=en&format=pdf")
    assert "Disputed well in Ménaka" in pdf_text(pdf.data)
    # The French reader keeps the original.
    french = client.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "Puits de Ménaka disputé" in french and "Disputed well" not in french
    with app.app_context():
        case = db.session.get(Case, case_id)
        assert case.title_translation == "Disputed well in Ménaka" and case.title_lang == "fr"


def test_a_case_opened_from_an_alert_in_english_gets_its_title_in_both_languages(
    app, seeded, make_user, login, client
):
    coordinator = make_user("coordinator", area="GAO", lang="en")
    login(coordinator)
    with app.app_context():
        alert = Alert(
            occurred_at=MOMENT,
            unit_id=get_unit_by_code("GAO-GAO-TILEMSI").id,
            category="TENSION_INTERCOMMUNAUTAIRE",
            urgency=2,
            source_type="CHEF",
            description="Deux villages se disputent un puits.",
            recorded_by_id=coordinator.id,
        )
        db.session.add(alert)
        db.session.commit()
        alert_id = alert.id
    form = client.get(f"/policing/alerts/{alert_id}/case").get_data(as_text=True)
    assert "inter-community tension – Tilemsi" in form
    response = post_form(
        client,
        f"/policing/alerts/{alert_id}/case",
        {
            "conflict_type": "FONCIER",
            "scope": "INTERCOMMUNAUTAIRE",
            "title": "inter-community tension – Tilemsi",
            "party_name": "Village de Tilemsi",
            "party_kind": "community",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        case = db.session.scalar(sa.select(Case).order_by(Case.id.desc()))
        assert case.title_lang == "en"
        assert case.title_translation == "tension intercommunautaire – Tilemsi"
        case_id = case.id
    french = client.get(f"/reports/case/{case_id}?lang=fr&format=html").get_data(as_text=True)
    assert "tension intercommunautaire – Tilemsi" in french
    assert "inter-community tension" not in french
