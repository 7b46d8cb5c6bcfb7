"""Honest figures in the periodic report (issue 14, points 4 and 5): recurrence at 12 months
that counts breaches, crimes by the triage rule, the share settled by community levels, the
previous period and the figures by cercle, the coordinator's highlights, the annex of
definitions in every format and language, and a small-count note that says what is hidden.

A fixed scenario in the region of Gao, recorded through the services; the report is asked
for 2026-Q1 (1 Jan – 31 Mar 2026), whose previous period is 2025-Q4.

 A  FONCIER Gao town   reported 1 Mar 2025, agreement 6 Mar (level 0), visits respected
    5 Apr and 4 Jun, closed resolved 10 Jun 2025: settled, no breach
 B  PATURAGE Gao town  reported 1 Apr 2025, agreement 10 Apr, D+30 visit on 20 May (40 days
    after) not respected: closed unresolved 20 May, recurrence R1: settled, breached
 C  EAU_PUITS Ansongo  reported 1 Feb 2025, agreement 5 Feb, visits respected 7 Mar and
    6 May, closed resolved 10 May 2025; recurrence R2 opened 26 Nov 2025 (200 days after)
 P  PATURAGE Gao town  reported 20 Sep 2025, four failed sessions and escalations up to
    level 4, agreement 15 Oct 2025 before the prefect (homologated by a judge), visits
    14 Nov and 13 Jan, closed resolved 20 Jan 2026: settled at level 4
 Q  FONCIER Ansongo    reported 25 Sep 2025, agreement 1 Oct 2025 (level 0), visits 31 Oct
    and 30 Dec, closed resolved 5 Jan 2026: settled at level 0
 N  VOL_BETAIL Gao town reported 1 Dec 2025, still open
 L  FONCIER Gao town   reported 15 Jan 2026, one death: a crime by the triage rule
 M  DEGATS_CHAMPETRES Gao town reported 1 Feb 2026, agreement 10 Feb 2026 homologated

Known answers for 2026-Q1, area Gao:
- recurrence: settled in 2025 = A, B, C (3); breached or recurred = B, C (2): 66.67 %
  (before the fix: closed resolved in the 12 months up to the period's end = A, C, P, Q,
  recurred C: 25 %; and the demo's breaches never counted);
- crimes: L (1, a land case); cases opened (crimes excluded): M only (1);
- settled in the period: Q at level 0 (community), P at level 4 (state): share 50 %;
- agreements homologated: M (1); in 2025-Q4: P (1);
- cases opened in 2025-Q4: R2 (Ansongo), N (Gao town): 2;
- by cercle: Gao [opened 1 (M), closed 1 (P), resolved 1, crimes 1 (L)];
  Ansongo [0, 1 (Q), 1, 0].
"""

from __future__ import annotations

import io
import json
from datetime import date

import jsonschema
import openpyxl
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from casework.auth import services as accounts
from casework.auth.models import User
from casework.cases import services as cases
from casework.cases.models import Case
from casework.cases.triage import crime_condition, crime_types, is_crime
from casework.cli import cli
from casework.extensions import db
from casework.geo.services import get_unit_by_code
from casework.reports.anonymise import SMALL_COUNT_THRESHOLD, anonymise
from casework.reports.document import report_note
from casework.reports.indicators import build_report
from casework.reports.json_report import PERIODIC_SCHEMA
from casework.reports.model import Figure, Period, Report, Section
from casework.reports.models import ReportHighlights
from casework.reports.periods import parse_period, previous_period
from tests.conftest import PASSWORD, post_form, shared_data
from tests.test_indicators import ANSONGO, GAO_TOWN, _case, _session, _visit
from tests.test_periodic_report import docx_text, pdf_text

D = date


def _agreement(by, case, on, form="written"):
    return cases.record_agreement(
        case,
        cases.AgreementData(concluded_on=on, form=form, outcome="ACCORD_TOTAL"),
        by,
    )


def _mediate(by, case):
    cases.transition(case, "ENREGISTRE", by)
    cases.transition(case, "EN_MEDIATION", by)


def _settle(by, case, agreed_on, visits, closed_on, *, form="written", level=0):
    """Sessions up to ``level`` (a failure and an escalation at each), an agreement, the
    visits (respected, on the day they are due), then closed resolved."""
    _mediate(by, case)
    for _step in range(level):
        _session(by, case, agreed_on, "AMIABLE", "failure", 1, 2, 0, [])
        cases.escalate(case, by, "Le niveau ne suffit pas.")
    _session(by, case, agreed_on, "PALABRE", "agreement", 1, 3, 1, [])
    agreement = _agreement(by, case, agreed_on, form)
    for index, on in enumerate(visits):
        _visit(by, agreement, index, on, "respected")
    cases.transition(case, "CLOTURE_RESOLU", by, on=closed_on)
    return agreement


def build_scenario(by: User) -> None:
    pair = [("M", "35-59"), ("F", "18-34")]
    a = _case(by, GAO_TOWN, "FONCIER", "INTRACOMMUNAUTAIRE", D(2025, 3, 1), pair)
    _settle(by, a, D(2025, 3, 6), [D(2025, 4, 5), D(2025, 6, 4)], D(2025, 6, 10))

    b = _case(by, GAO_TOWN, "PATURAGE", "INTERCOMMUNAUTAIRE", D(2025, 4, 1), pair)
    _mediate(by, b)
    _session(by, b, D(2025, 4, 10), "AMIABLE", "agreement", 1, 3, 1, [])
    agreement = _agreement(by, b, D(2025, 4, 10))
    _visit(by, agreement, 0, D(2025, 5, 20), "not_respected")  # R1
    # The mediator closes it and opens a recurrence (issue 14: a breach closes nothing alone).
    reason = "Accord non respecté, les familles ne se parlent plus."
    assert cases.handle_breach(b, "close_and_recur", reason, by, on=D(2025, 5, 20))

    c = _case(by, ANSONGO, "EAU_PUITS", "INTRACOMMUNAUTAIRE", D(2025, 2, 1), pair)
    _settle(by, c, D(2025, 2, 5), [D(2025, 3, 7), D(2025, 5, 6)], D(2025, 5, 10))
    cases.open_linked_case(c, by, recurrence=True, on=D(2025, 11, 26))  # R2, 200 days later

    p = _case(by, GAO_TOWN, "PATURAGE", "INTERCOMMUNAUTAIRE", D(2025, 9, 20), pair)
    _settle(
        by, p, D(2025, 10, 15), [D(2025, 11, 14), D(2026, 1, 13)], D(2026, 1, 20),
        form="homologated", level=4,
    )  # fmt: skip
    q = _case(by, ANSONGO, "FONCIER", "INTRACOMMUNAUTAIRE", D(2025, 9, 25), pair)
    _settle(by, q, D(2025, 10, 1), [D(2025, 10, 31), D(2025, 12, 30)], D(2026, 1, 5))

    _case(by, GAO_TOWN, "VOL_BETAIL", "INTRACOMMUNAUTAIRE", D(2025, 12, 1), pair)  # N
    _case(by, GAO_TOWN, "FONCIER", "INTRACOMMUNAUTAIRE", D(2026, 1, 15), pair, deaths=1)  # L
    m = _case(by, GAO_TOWN, "DEGATS_CHAMPETRES", "INTRACOMMUNAUTAIRE", D(2026, 2, 1), pair)
    _mediate(by, m)
    _session(by, m, D(2026, 2, 10), "AMIABLE", "agreement", 1, 3, 1, [])
    _agreement(by, m, D(2026, 2, 10), "homologated")
    db.session.commit()


@pytest.fixture(scope="module")
def scenario(request, seeded_app):
    with shared_data(request, seeded_app, seeded=True):
        with seeded_app.app_context():
            admin = accounts.create_user(
                username="admin14", full_name="Admin 14", role="admin", password=PASSWORD
            )
            db.session.commit()
            build_scenario(db.session.get(User, admin.id))
        yield


def _indicators(period="2026-Q1", area="GAO", **options) -> dict:
    return build_report(parse_period(period), get_unit_by_code(area), **options).as_json()[
        "indicators"
    ]


# --- the figures ----------------------------------------------------------------------------


def test_recurrence_counts_breaches_and_recurrences_over_cases_settled_before(app, scenario):
    with app.app_context():
        compliance = _indicators()["compliance"]
    assert compliance["resolved_last_12_months"] == 3  # A, B (closed after its breach), C
    assert compliance["recurrences"] == 2  # B breached after 40 days, C recurred after 200
    assert compliance["recurrence_rate"] == 0.6667


def test_a_land_case_with_a_death_is_a_crime_not_a_dispute(app, scenario):
    with app.app_context():
        indicators = _indicators()
    assert indicators["serious_crime"]["serious_cases"] == 1  # L
    assert indicators["serious_crime"]["serious_cases_by_type"] == {"FONCIER": {"cases": 1}}
    assert indicators["cases"]["cases_opened"] == 1  # M only
    assert indicators["cases"]["cases_by_type"]["FONCIER"]["opened"] == 0  # Q closed only
    assert indicators["harm"]["deaths"] == 1  # harm counts every case


def test_the_triage_rule_is_the_same_in_python_and_in_sql(app, scenario):
    with app.app_context():
        types = crime_types()
        all_cases = db.session.scalars(sa.select(Case)).all()
        in_sql = set(db.session.scalars(sa.select(Case.id).where(crime_condition(types))))
        in_python = {case.id for case in all_cases if is_crime(case, types)}
        # The workflow refuses to mediate by the same rule.
        blocked = {case.id for case in all_cases if cases.triage_blocks_mediation(case)}
    assert in_sql == in_python == blocked
    assert len(in_sql) == 1  # L


def test_share_settled_by_community_levels_and_homologated_agreements(app, scenario):
    with app.app_context():
        administration = _indicators()["administration"]
        ladder = _indicators()["cases"]["ladder_profile"]
    assert administration["settled_community_levels"] == 1  # Q, level 0
    assert administration["settled_state_levels"] == 1  # P, agreement before the prefect
    assert administration["share_settled_community"] == 0.5
    assert administration["agreements_homologated"] == 1  # M
    assert ladder["ADMINISTRATION"] == {"resolved": 1} and ladder["PARTIES"] == {"resolved": 1}


def test_an_anonymised_report_hides_the_new_small_counts_and_what_derives_from_them(app, scenario):
    with app.app_context():
        indicators = _indicators(anonymised=True, compare=True)
    administration = indicators["administration"]
    assert administration["settled_community_levels"] == "<5"
    assert administration["share_settled_community"] == "–"  # 1 of 2 would show
    assert indicators["compliance"]["recurrence_rate"] == "–"
    assert indicators["serious_crime"]["serious_cases"] == "<5"


def test_figures_by_cercle(app, scenario):
    with app.app_context():
        by_cercle = _indicators()["administration"]["by_cercle"]
    assert by_cercle == {
        "GAO-ANSONGO": {"opened": 0, "closed": 1, "resolved": 1, "crimes": 0},
        "GAO-GAO": {"opened": 1, "closed": 1, "resolved": 1, "crimes": 1},
    }


def test_the_previous_period_beside_each_figure(app, scenario):
    with app.app_context():
        report = build_report(parse_period("2026-Q1"), get_unit_by_code("GAO"), compare=True)
        plain = build_report(parse_period("2026-Q1"), get_unit_by_code("GAO"))
    assert report.previous_period.code == "2025-Q4"
    figures = {(s.key, f.key): f for s in report.sections for f in s.figures}
    assert (figures["cases", "cases_opened"].value, figures["cases", "cases_opened"].previous) == (
        1,
        2,  # R2 and N
    )
    homologated = figures["administration", "agreements_homologated"]
    assert (homologated.value, homologated.previous) == (1, 1)  # M; P
    assert plain.previous_period is None
    assert all(f.previous is None for s in plain.sections for f in s.figures)


@pytest.mark.parametrize(
    ("code", "before"),
    [
        ("2026-Q1", "2025-Q4"),
        ("2026-Q3", "2026-Q2"),
        ("2026-01", "2025-12"),
        ("2026-10", "2026-09"),
        ("2026", "2025"),
        ("2026-01-11..2026-01-20", "2026-01-01..2026-01-10"),
    ],
)
def test_previous_periods(app, scenario, code, before):
    with app.app_context():
        assert previous_period(parse_period(code)) == parse_period(before)


def test_every_indicator_has_its_definition(app, scenario):
    with app.app_context():
        report = build_report(parse_period("2026-Q1"), None)
    items = [item for section in report.sections for item in (*section.figures, *section.tables)]
    assert items and all(item.definition is not None for item in items)
    assert len(report.annex()) == len(items)
    rates = [f for s in report.sections for f in s.figures if f.kind == "rate"]
    assert all(f.definition.numerator and f.definition.denominator for f in rates)


# --- the small-count note -------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [SMALL_COUNT_THRESHOLD, 3, 10])
def test_the_small_count_note_says_what_is_hidden(app, scenario, threshold):
    figures = [Figure(f"n{n}", f"n{n}", n) for n in range(threshold + 1)]
    report = Report(Period(D(2026, 1, 1), D(2026, 1, 31), "2026-01"), None, None, False)
    report.sections = [Section("s", "s", figures)]
    hidden = anonymise(report, threshold)
    shown = {figure.value for figure in hidden.sections[0].figures}
    # Exactly the counts from 1 to threshold - 1 are hidden; 0 and the threshold stay.
    assert shown == {0, f"<{threshold}", threshold}
    with app.test_request_context(), force_locale("en"):
        note = report_note(hidden)
    assert f"counts from 1 to {threshold - 1} are shown as “<{threshold}”" in note
    with app.test_request_context(), force_locale("fr"):
        assert f"de 1 à {threshold - 1}" in report_note(hidden)


# --- through the web: every format, both languages ------------------------------------------

ANNEX = {
    "fr": ("Annexe\u00a0: définitions des indicateurs", "Taux de récidive à 12 mois"),
    "en": ("Annex: definitions of the indicators", "Recurrence rate at 12 months"),
}
DEFINITION = {
    "fr": "dont l’accord a été constaté non respecté",
    "en": "whose agreement was found not respected",
}


@pytest.fixture
def coordinator(scenario, client, make_user, login):
    login(make_user("coordinator", username="coord14", area="GAO", lang="fr"))
    return client


def _report(client, lang, fmt, **extra):
    query = {"period": "2026-Q1", "area": "GAO", "lang": lang, "format": fmt, **extra}
    response = client.get("/reports/periodic", query_string=query)
    assert response.status_code == 200, response.get_data(as_text=True)[-1500:]
    return response.data


def _text(fmt: str, content: bytes) -> str:
    if fmt == "pdf":
        return " ".join(pdf_text(content).split())
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


@pytest.mark.parametrize("fmt", ["html", "json", "pdf", "docx", "xlsx"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_annex_is_in_every_format_and_language(coordinator, lang, fmt):
    text = _text(fmt, _report(coordinator, lang, fmt))
    if fmt == "pdf":  # pypdf reads a no-break space as a space
        text = text.replace("Annexe :", "Annexe\u00a0:")
    other = "en" if lang == "fr" else "fr"
    if fmt == "json":  # the annex is a key of its own, with the indicators' labels
        text = json.dumps(json.loads(text)["annex"], ensure_ascii=False)
        phrases = ANNEX[lang][1:]
    else:
        phrases = ANNEX[lang]
    for phrase in phrases:
        assert phrase in text, (lang, fmt, phrase)
    assert ANNEX[other][1] not in text
    if fmt != "pdf":  # a PDF breaks lines inside table cells
        assert DEFINITION[lang] in text.replace("'", "’"), (lang, fmt)


def test_the_json_report_shows_the_figures_and_follows_its_schema(coordinator):
    data = json.loads(_report(coordinator, "en", "json", compare="y"))
    jsonschema.validate(data, PERIODIC_SCHEMA)
    indicators = data["indicators"]
    assert indicators["compliance"]["recurrence_rate"] == 0.6667
    assert indicators["serious_crime"]["serious_cases"] == 1
    assert indicators["administration"]["share_settled_community"] == 0.5
    assert data["previous_period"]["code"] == "2025-Q4"
    cases_section = next(s for s in data["sections"] if s["key"] == "cases")
    opened = next(f for f in cases_section["figures"] if f["key"] == "cases_opened")
    assert (opened["value"], opened["previous"]) == (1, 2)
    assert any(entry["indicator"] == "Recurrence rate at 12 months" for entry in data["annex"])


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_pdf_shows_the_known_answers(coordinator, lang):
    text = _text("pdf", _report(coordinator, lang, "pdf", compare="y"))
    rate = {"fr": "66,7 %", "en": "66.7 %"}[lang]
    share = {"fr": "50,0 %", "en": "50.0 %"}[lang]
    assert rate in text and share in text
    assert {"fr": "Période précédente (2025-Q4)", "en": "Previous period (2025-Q4)"}[lang] in text


@pytest.mark.parametrize("fmt", ["html", "docx", "xlsx"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_previous_period_column_in_every_format(coordinator, lang, fmt):
    heading = {"fr": "Période précédente (2025-Q4)", "en": "Previous period (2025-Q4)"}[lang]
    assert heading in _text(fmt, _report(coordinator, lang, fmt, compare="y"))
    assert heading not in _text(fmt, _report(coordinator, lang, fmt))


def test_the_coordinator_writes_highlights_shown_in_the_report(app, coordinator):
    page = coordinator.get("/reports/highlights?area=GAO&period=2026-Q1")
    assert page.status_code == 200
    response = post_form(
        coordinator,
        "/reports/highlights",
        {"area": "GAO", "period": "2026-Q1", "text_fr": "Forte tension autour des puits."},
        page="/reports/highlights?area=GAO&period=2026-Q1",
    )
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.scalars(sa.select(ReportHighlights)).one()
    assert (saved.period_code, saved.text_fr, saved.text_en) == (
        "2026-Q1",
        "Forte tension autour des puits.",
        None,
    )
    french = _text("html", _report(coordinator, "fr", "html"))
    assert "Faits marquants" in french and "Forte tension autour des puits." in french
    assert "Rédigé en français" not in french
    english = _text("docx", _report(coordinator, "en", "docx"))
    assert "Highlights" in english and "Forte tension autour des puits." in english
    assert "Written in French; no translation yet." in english
    data = json.loads(_report(coordinator, "en", "json"))
    assert data["highlights"]["text"] == "Forte tension autour des puits."
    xlsx = _text("xlsx", _report(coordinator, "fr", "xlsx"))
    assert "Forte tension autour des puits." in xlsx
    # Translated later: each report in its language.
    post_form(
        coordinator,
        "/reports/highlights",
        {
            "area": "GAO",
            "period": "2026-Q1",
            "text_fr": "Forte tension autour des puits.",
            "text_en": "High tension around the wells.",
        },
        page="/reports/highlights",
    )
    english = _text("html", _report(coordinator, "en", "html"))
    assert "High tension around the wells." in english
    assert "Forte tension" not in english and "no translation yet" not in english


def test_highlights_need_a_text_and_the_right_area(app, coordinator):
    response = post_form(
        coordinator,
        "/reports/highlights",
        {"area": "GAO", "period": "2026-Q1", "text_fr": " ", "text_en": ""},
        page="/reports/highlights",
    )
    assert response.status_code == 400
    assert "Rédigez les faits marquants" in response.get_data(as_text=True)
    response = post_form(
        coordinator,
        "/reports/highlights",
        {"area": "GAO", "period": "2026-Q9", "text_fr": "Texte"},
        page="/reports/highlights",
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ReportHighlights)) == 0
    # Another region: refused.
    assert coordinator.get("/reports/highlights?area=MNK&period=2026-Q1").status_code == 403


def test_a_mediator_writes_no_highlights(scenario, client, make_user, login):
    login(make_user("mediator", username="med14", area="GAO"))
    assert client.get("/reports/highlights").status_code == 403
    assert post_form(client, "/reports/highlights", {"area": "GAO"}, page="/").status_code == 403


def test_the_command_line_compares_with_the_previous_period(scenario, runner, tmp_path):
    output = tmp_path / "report.json"
    args = ["report", "periodic", "--period", "2026-Q1", "--area", "GAO", "--lang", "en"]
    result = runner.invoke(cli, [*args, "--format", "json", "--compare", "-o", str(output)])
    assert result.exit_code == 0, result.output
    data = json.loads(output.read_text())
    assert data["previous_period"]["code"] == "2025-Q4"
    assert data["indicators"]["compliance"]["recurrence_rate"] == 0.6667
