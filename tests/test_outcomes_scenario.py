"""Outcomes you can trust (issue 14): one fixed scenario, walked through the web forms on the
days things happened, and the periodic report of 2026-Q3 for Gao with its known answers, in
HTML, JSON and PDF, in French and in English.

- A: settled on 1 Sep 2025; its 100 000 FCFA paid in two instalments; both visits respected;
  closed resolved on 30 Nov 2025.
- B: settled on 5 Sep 2025; found not respected 40 days later; the mediator closes it and
  opens a recurrence (15 Oct 2025).
- C: settled on 1 Aug 2025; its term fulfilled; closed resolved on 30 Oct 2025; the conflict
  comes back 200 days later (recurrence opened on 18 May 2026).
- D: a land dispute with a death, reported in the period: a serious crime, not a dispute.
- E: settled in the period (2 Jul 2026): 90 000 FCFA paid in two instalments, 5 head of
  cattle of which 2 paid, public apologies never made (term breached).

Known answers for 2026-Q3: 3 cases settled in the 12 months before (A, B, C), 2 of them
breached or recurred (B, C): 66.7 %; 1 case opened (crimes excluded: E) and 1 serious crime
(D); 3 terms due in the period, 1 fulfilled: 33.3 % by term, 0 % by agreement; 90 000 FCFA
agreed and paid, nothing outstanding; 5 head of cattle agreed, 2 paid, 3 outstanding.
"""

from __future__ import annotations

import io
import re
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

import pypdf
import pytest
import sqlalchemy as sa
import time_machine

from casework.auth import services as accounts
from casework.cases.models import Agreement, AgreementTerm, Case, FollowUp, Party
from casework.extensions import db
from casework.geo.services import get_unit_by_code
from tests.conftest import PASSWORD, post_form, query, shared_data
from tests.test_cases import GAO_COMMUNE, case_id_from, intake, iso

D = date
PERIOD = "2026-Q3"
AREA = "GAO"


@contextmanager
def on(app, day: date, user):
    """A browser of ``user`` on ``day`` (10:00 in Bamako, UTC+0), signed in afresh."""
    with time_machine.travel(datetime.combine(day, time(10, 0), tzinfo=UTC), tick=False):
        client = app.test_client()
        response = post_form(client, "/login", {"username": user[0], "password": user[1]})
        assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
        yield client


def send(client, path, data, expect=302):
    response = post_form(client, path, data)
    assert response.status_code == expect, (path, response.get_data(as_text=True)[-3000:])
    return response


def register(app, client, day: date, **overrides) -> int:
    data = intake(
        app,
        GAO_COMMUNE,
        event_date=iso(day - timedelta(days=2)),
        reported_on=iso(day),
        not_a_duplicate="y",
        **overrides,
    )
    return case_id_from(send(client, "/cases/new", data))


def mediate(client, case_id: int, day: date) -> None:
    for target in ("ENREGISTRE", "EN_MEDIATION"):
        send(client, f"/cases/{case_id}/status/{target}", {"target": target})
    send(
        client,
        f"/cases/{case_id}/sessions/new",
        {
            "held_on": iso(day),
            "place": "ARBRE_PALABRE",
            "mechanism": "AMIABLE",
            "women": "2",
            "men": "6",
            "youth": "1",
            "minutes": "Les parties se sont entendues.",
            "minutes_lang": "fr",
            "result": "agreement",
        },
    )


def agree(client, case_id: int, day: date, terms: list[dict]) -> None:
    data = {
        "concluded_on": iso(day),
        "form": "written",
        "outcome": "ACCORD_TOTAL",
        "compensation_fcfa": "",
        "livestock_heads": "",
    }
    for index, term in enumerate(terms):
        data.update({f"terms-{index}-{key}": value for key, value in term.items()})
        data.setdefault(f"terms-{index}-obliged_party_id", "")
    send(client, f"/cases/{case_id}/agreement/new", data)


def term_ids(app, case_id: int) -> list[int]:
    statement = (
        sa.select(AgreementTerm.id)
        .join(Agreement, Agreement.id == AgreementTerm.agreement_id)
        .where(Agreement.case_id == case_id)
        .order_by(AgreementTerm.id)
    )
    return list(query(app, statement).scalars())


def pay(client, case_id, term_id, day, amount):
    send(
        client,
        f"/cases/{case_id}/terms/{term_id}/instalments/new",
        {"paid_on": iso(day), "amount_paid": str(amount), "received_by": "Le chef de village"},
    )


def mark(client, case_id, term_id, day, status, note=""):
    send(
        client,
        f"/cases/{case_id}/terms/{term_id}/status",
        {"status": status, "on": iso(day), "note": note},
    )


def visit(app, client, case_id, day, compliance):
    statement = (
        sa.select(FollowUp.id)
        .where(FollowUp.case_id == case_id, FollowUp.done_on.is_(None))
        .order_by(FollowUp.due_on)
        .limit(1)
    )
    follow_up = query(app, statement).scalar_one()
    send(
        client,
        f"/cases/{case_id}/follow-ups/{follow_up}",
        {"done_on": iso(day), "compliance": compliance, "notes": "Visite faite sur place."},
    )


def close_resolved(client, case_id):
    send(client, f"/cases/{case_id}/status/CLOTURE_RESOLU", {"target": "CLOTURE_RESOLU"})


def build(app, mediator) -> dict[str, int]:
    cash = {"kind": "cash", "description": "Verser le dédommagement", "amount": "100000"}
    ids = {}
    # C: settled on 1 Aug 2025, term fulfilled, visits respected, closed on 30 Oct 2025.
    with on(app, D(2025, 8, 1), mediator) as client:
        ids["C"] = c = register(app, client, D(2025, 8, 1), title="Puits de Tilemsi")
        mediate(client, c, D(2025, 8, 1))
        agree(
            client,
            c,
            D(2025, 8, 1),
            [{"kind": "action", "description": "Partager le puits", "due_on": "2025-08-20"}],
        )
    with on(app, D(2025, 8, 20), mediator) as client:
        mark(client, c, term_ids(app, c)[0], D(2025, 8, 20), "done")
    with on(app, D(2025, 8, 31), mediator) as client:
        visit(app, client, c, D(2025, 8, 31), "respected")
    with on(app, D(2025, 10, 30), mediator) as client:
        visit(app, client, c, D(2025, 10, 30), "respected")
        close_resolved(client, c)

    # A: settled on 1 Sep 2025, paid in two instalments, closed on 30 Nov 2025.
    with on(app, D(2025, 9, 1), mediator) as client:
        ids["A"] = a = register(app, client, D(2025, 9, 1), title="Champ de mil piétiné")
        mediate(client, a, D(2025, 9, 1))
        agree(client, a, D(2025, 9, 1), [{**cash, "due_on": "2025-10-31"}])
    (term_a,) = term_ids(app, a)
    with on(app, D(2025, 10, 1), mediator) as client:
        pay(client, a, term_a, D(2025, 10, 1), 60_000)
        visit(app, client, a, D(2025, 10, 1), "respected")
    with on(app, D(2025, 10, 25), mediator) as client:
        pay(client, a, term_a, D(2025, 10, 25), 40_000)
    with on(app, D(2025, 11, 30), mediator) as client:
        visit(app, client, a, D(2025, 11, 30), "respected")
        close_resolved(client, a)

    # B: settled on 5 Sep 2025; 40 days later the agreement is found not respected.
    with on(app, D(2025, 9, 5), mediator) as client:
        ids["B"] = b = register(app, client, D(2025, 9, 5), title="Couloir de passage fermé")
        mediate(client, b, D(2025, 9, 5))
        agree(
            client,
            b,
            D(2025, 9, 5),
            [{"kind": "action", "description": "Rouvrir le couloir", "due_on": "2025-10-05"}],
        )
    with on(app, D(2025, 10, 15), mediator) as client:
        visit(app, client, b, D(2025, 10, 15), "not_respected")
        response = send(
            client,
            f"/cases/{b}/breach",
            {"choice": "close_and_recur", "reason": "Le couloir est toujours fermé."},
        )
        ids["B2"] = case_id_from(response)

    # C comes back 200 days after its closure.
    with on(app, D(2026, 5, 18), mediator) as client:
        response = send(
            client,
            f"/cases/{c}/recurrence",
            {"opened_on": "2026-05-18", "reason": "Le puits est de nouveau disputé."},
        )
        ids["C2"] = case_id_from(response)

    # E: settled in the period; money paid in two instalments, cattle in part, apologies never.
    with on(app, D(2026, 7, 2), mediator) as client:
        ids["E"] = e = register(
            app, client, D(2026, 7, 2), conflict_type="PATURAGE", title="Pâturage de Wabaria"
        )
        mediate(client, e, D(2026, 7, 2))
        agree(
            client,
            e,
            D(2026, 7, 2),
            [
                {**cash, "amount": "90000", "due_on": "2026-08-31"},
                {
                    "kind": "livestock",
                    "species": "cattle",
                    "description": "Rendre les bœufs",
                    "amount": "5",
                    "due_on": "2026-09-15",
                },
                {"kind": "action", "description": "Excuses publiques", "due_on": "2026-09-20"},
            ],
        )
    money, cattle, apologies = term_ids(app, e)
    with on(app, D(2026, 7, 20), mediator) as client:
        pay(client, e, money, D(2026, 7, 20), 50_000)
    with on(app, D(2026, 8, 25), mediator) as client:
        pay(client, e, money, D(2026, 8, 25), 40_000)
    with on(app, D(2026, 9, 1), mediator) as client:
        pay(client, e, cattle, D(2026, 9, 1), 2)
    with on(app, D(2026, 9, 22), mediator) as client:
        mark(client, e, apologies, D(2026, 9, 22), "breached", "Le chef de famille refuse.")

    # D: a land dispute in which a man died: a crime, whatever its type.
    with on(app, D(2026, 7, 10), mediator) as client:
        ids["D"] = register(
            app, client, D(2026, 7, 10), conflict_type="FONCIER", deaths="1", title="Champ"
        )
    return ids


@pytest.fixture(scope="module")
def scenario(request, seeded_app):
    with shared_data(request, seeded_app, seeded=True):
        with seeded_app.app_context():
            for role in ("mediator", "coordinator"):
                user = accounts.create_user(
                    username=f"scenario-{role}",
                    full_name=f"Scenario {role}",
                    role=role,
                    password=PASSWORD,
                )
                user.area_id = get_unit_by_code(AREA).id
            db.session.commit()
        yield build(seeded_app, ("scenario-mediator", PASSWORD))


def report(app, lang, fmt):
    client = app.test_client()
    post_form(client, "/login", {"username": "scenario-coordinator", "password": PASSWORD})
    response = client.get(f"/reports/periodic?period={PERIOD}&area={AREA}&lang={lang}&format={fmt}")
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    return response


def figures(data: dict) -> dict:
    return {
        figure["key"]: figure["value"]
        for section in data["sections"]
        for figure in section["figures"]
    }


def cattle_row(data: dict) -> list:
    for section in data["sections"]:
        for table in section["tables"]:
            if table["key"] == "livestock_compensation":
                return next(row["values"] for row in table["rows"] if row["key"] == "cattle")
    raise AssertionError("no livestock table")


EXPECTED = {
    "resolved_last_12_months": 3,
    "recurrences": 2,
    "recurrence_rate": pytest.approx(2 / 3, abs=1e-4),
    "cases_opened": 1,
    "serious_cases": 1,
    "terms_due": 3,
    "terms_done": 1,
    "term_compliance_rate": pytest.approx(1 / 3, abs=1e-4),
    "agreements_with_terms_due": 1,
    "agreements_compliant": 0,
    "agreement_compliance_rate": 0,
    "compensation_agreed_fcfa": 90_000,
    "compensation_paid_fcfa": 90_000,
    "compensation_outstanding_fcfa": 0,
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_report_of_the_scenario_gives_the_known_answers(app, scenario, lang):
    data = report(app, lang, "json").get_json()
    found = figures(data)
    assert {key: found[key] for key in EXPECTED} == EXPECTED
    assert cattle_row(data) == [5, 2, 3]  # agreed, paid, outstanding


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "fr",
            ["66,7 %", "33,3 %", "90 000 FCFA", "Taux de récidive à 12 mois"],
        ),
        ("en", ["66.7 %", "33.3 %", "90,000 FCFA", "Recurrence rate at 12 months"]),
    ],
)
def test_the_html_and_pdf_reports_print_the_same_answers(app, scenario, lang, texts):
    html = spaced(report(app, lang, "html").get_data(as_text=True))
    pdf = report(app, lang, "pdf").data
    text = spaced(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages))
    for expected in texts:
        assert expected in html, expected
        assert expected in text, expected


def spaced(text: str) -> str:
    """No-break and narrow no-break spaces (French numbers, "%") read as spaces."""
    return re.sub(r"[\u00a0\u202f]", " ", text)


def test_the_scenario_left_what_a_user_sees_on_the_cases(app, scenario):
    rows = dict(
        query(app, sa.select(Case.id, Case.status).where(Case.id.in_(scenario.values()))).all()
    )
    assert rows[scenario["A"]] == rows[scenario["C"]] == "CLOTURE_RESOLU"
    assert rows[scenario["B"]] == "CLOTURE_NON_RESOLU"
    recurrences = dict(
        query(
            app,
            sa.select(Case.id, Case.recurrence_of_id).where(
                Case.id.in_([scenario["B2"], scenario["C2"]])
            ),
        ).all()
    )
    assert recurrences == {scenario["B2"]: scenario["B"], scenario["C2"]: scenario["C"]}
    assert query(app, sa.select(Party.id).where(Party.case_id == scenario["E"])).all()
