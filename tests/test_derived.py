"""``casework check-derived``: the values kept derived from others (a case's next due date,
the case counts, the unit on a case's records, a term's amount left to pay) are checked
against what they derive from, and set right with --fix (casework/maintenance/derived.py)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from casework.cases.models import AgreementTerm, Case, MediationSession
from casework.core.dates import today
from casework.extensions import db
from casework.maintenance.cli import check_derived_command
from tests.conftest import query
from tests.test_next_due import checked, mediator  # noqa: F401 - the fixture
from tests.test_obligations import cash_term, in_mediation, pay, record_agreement, terms_of

RIGHT = (
    "Right: the earliest visit or term each case owes (cases.next_due_on).\n"
    "Right: the number of cases per unit, status and type (case_counts).\n"
    "Right: the unit that a case's sessions, agreements, terms, visits and referrals carry.\n"
    "Right: the amount each term has left to pay (agreement_terms.unpaid).\n"
)


def test_values_written_around_the_app_are_found_then_set_right(app, client, mediator, runner):  # noqa: F811
    walk = in_mediation(app, client, mediator)
    record_agreement(walk, cash_term(due=today() + timedelta(days=3)))
    term_id = terms_of(app, walk.case_id)[0].id
    pay(walk, term_id, "20000")
    assert runner.invoke(check_derived_command).output == RIGHT

    with app.app_context():  # by hand in the database, past the application
        case = db.session.get(Case, walk.case_id)
        unit_id, other_unit = case.unit_id, case.unit_id + 1
        session_id = db.session.scalar(
            sa.select(MediationSession.id).where(MediationSession.case_id == case.id)
        )
        db.session.execute(sa.update(Case).where(Case.id == case.id).values(next_due_on=None))
        db.session.execute(sa.text("UPDATE case_counts SET cases = cases + 5"))
        db.session.execute(
            sa.update(MediationSession)
            .where(MediationSession.id == session_id)
            .values(unit_id=other_unit)
        )
        db.session.execute(
            sa.update(AgreementTerm).where(AgreementTerm.id == term_id).values(unpaid=7)
        )
        db.session.commit()

    found = runner.invoke(check_derived_command)
    assert found.exit_code == 1
    lines = found.output.splitlines()
    assert lines[0] == (
        f"Wrong: the earliest visit or term each case owes (cases.next_due_on): 1 ({walk.case_id})."
    )
    assert lines[1].startswith("Wrong: the number of cases per unit, status and type")
    assert lines[2] == (
        "Wrong: the unit that a case's sessions, agreements, terms, visits and referrals "
        f"carry: 1 (mediation_sessions {session_id})."
    )
    assert lines[3] == (
        f"Wrong: the amount each term has left to pay (agreement_terms.unpaid): 1 ({term_id})."
    )

    fixed = runner.invoke(check_derived_command, ["--fix"])
    assert fixed.exit_code == 0, fixed.output
    assert fixed.output.count("Set right: ") == 4
    assert runner.invoke(check_derived_command).output == RIGHT
    assert checked(app, walk.case_id) == today() + timedelta(days=3)
    session_unit = query(
        app, sa.select(MediationSession.unit_id).where(MediationSession.id == session_id)
    ).scalar_one()
    assert session_unit == unit_id
    unpaid = query(
        app,
        sa.select(AgreementTerm.unpaid, AgreementTerm.amount).where(AgreementTerm.id == term_id),
    ).one()
    assert unpaid.unpaid == unpaid.amount - 20_000
