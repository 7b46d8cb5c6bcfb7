"""`casework anonymise --closed-before DATE`: personal data of old closed cases removed,
every figure of the reports kept."""

from __future__ import annotations

import csv

import pytest
import sqlalchemy as sa

from casework.auth.models import User
from casework.cases.models import (
    Case,
    CaseEvent,
    CaseRevision,
    MediationSession,
    Party,
    Referral,
)
from casework.cli import cli
from casework.extensions import db
from casework.geo.services import get_unit_by_code
from casework.reports.indicators import build_report
from casework.reports.periods import parse_period
from tests.conftest import query
from tests.test_indicators import build_dataset

BEFORE = "2025-09-15"  # C2 (closed 15 Aug), C3 (1 Sep) and M1 (30 Aug) of the dataset
ANONYMISED = {"PATURAGE 2025-07-03", "VOL_BETAIL 2025-08-05", "EAU_PUITS 2025-07-20"}


@pytest.fixture
def dataset(app, seeded, make_user, login):
    admin = make_user("admin")
    approver = make_user("admin")  # early closures are approved by someone else (issue 14)
    with app.app_context():
        build_dataset(db.session.get(User, admin.id), db.session.get(User, approver.id))
    login(admin)
    return admin


def figures(app) -> list:
    with app.app_context():
        reports = [
            build_report(parse_period(period), area).as_json()
            for period in ("2025", "2025-Q3", "2025-08")
            for area in (None, get_unit_by_code("GAO"), get_unit_by_code("MNK"))
        ]
        reports.append(build_report(parse_period("2025"), None, anonymised=True).as_json())
        return reports


def cases_by_id(app) -> dict[int, dict]:
    with app.app_context():
        rows = db.session.scalars(sa.select(Case)).all()
        return {
            case.id: {
                "id": case.id,
                "reference": case.reference,
                "title": case.title,
                "anonymised_at": case.anonymised_at,
                "status": case.status,
                "closed_on": case.closed_on,
            }
            for case in rows
        }


def invoke(runner, *args):
    return runner.invoke(cli, list(args))


def test_anonymise_removes_personal_text_and_keeps_every_figure(app, runner, dataset, client):
    before_figures = figures(app)
    before = cases_by_id(app)
    target_ids = [
        case_id
        for case_id, row in before.items()
        if row["title"] in ANONYMISED and row["closed_on"] is not None
    ]
    assert len(target_ids) == 3

    result = invoke(runner, "anonymise", "--closed-before", BEFORE)
    assert result.exit_code == 0, result.output
    assert f"Anonymised 3 cases closed before {BEFORE}" in result.output

    assert figures(app) == before_figures
    after = cases_by_id(app)
    for case_id, row in before.items():
        if case_id in target_ids:
            assert after[case_id]["title"] == "" and after[case_id]["anonymised_at"] is not None
            assert after[case_id]["status"] == row["status"]  # figures keep their states
        else:  # open cases, and those closed later, are untouched
            assert after[case_id] == row

    def texts(statement):
        with app.app_context():
            return [value for value in db.session.scalars(statement) if value]

    of = Case.id.in_(target_ids)
    assert texts(sa.select(Party.name).join(Case).where(of)) == []
    assert texts(sa.select(Party.name_search).join(Case).where(of)) == []
    assert texts(sa.select(Referral.reason).join(Case).where(of)) == []
    assert texts(sa.select(MediationSession.minutes).join(Case).where(of)) == []
    assert texts(sa.select(CaseEvent.reason).where(CaseEvent.case_id.in_(target_ids))) == []
    revisions = sa.select(CaseRevision.data).where(CaseRevision.case_id.in_(target_ids))
    assert {data["title"] for data in query(app, revisions).scalars()} == {""}
    # Parties keep what the indicators count.
    sexes = texts(sa.select(Party.sex).join(Case).where(of))
    assert len(sexes) >= 3 and set(sexes) <= {"M", "F", "U"}
    # The others still have their names.
    assert texts(sa.select(Party.name).join(Case).where(~of))

    again = invoke(runner, "anonymise", "--closed-before", BEFORE)
    assert again.exit_code == 0 and "Anonymised 0 cases" in again.output

    page = client.get(f"/cases/{target_ids[0]}", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "anonymised" in html and "Partie 0" not in html
    listing = client.get("/cases?q=", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "anonymised" in listing


def test_anonymised_cases_say_so_in_exports(app, runner, dataset, tmp_path):
    assert invoke(runner, "anonymise", "--closed-before", BEFORE).exit_code == 0
    output = tmp_path / "cases.csv"
    result = invoke(runner, "export", "cases", "--lang", "fr", "-o", str(output))
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))  # French: semicolons
    title = rows[0].index("Titre")
    values = [row[title] for row in rows[1:]]
    assert values.count("anonymisé") == 3
    assert values.count("PATURAGE 2025-07-03") == 1  # its open recurrence, R2
    assert "VOL_BETAIL 2025-08-05" not in values and "EAU_PUITS 2025-07-20" not in values


def test_dry_run_changes_nothing(app, runner, dataset):
    before = cases_by_id(app)
    result = invoke(runner, "anonymise", "--closed-before", BEFORE, "--dry-run")
    assert result.exit_code == 0
    assert f"3 cases closed before {BEFORE} would be anonymised" in result.output
    assert cases_by_id(app) == before


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-02-30", "does not match the format"),
        ("15/09/2025", "does not match the format"),
        ("2999-01-01", "is in the future"),
    ],
)
def test_a_bad_date_is_refused_clearly(app, runner, dataset, value, message):
    before = cases_by_id(app)
    result = invoke(runner, "anonymise", "--closed-before", value)
    assert result.exit_code == 2 and message in result.output
    assert cases_by_id(app) == before
