"""A case's sessions, agreements, terms, visits and referrals carry the case's unit, which
the periodic report reads them by (issue 19): kept when the case moves, and written by the
demo generator."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from casework.cases.models import (
    Agreement,
    AgreementTerm,
    Case,
    FollowUp,
    MediationSession,
    Referral,
)
from casework.core.dates import today
from casework.extensions import db
from casework.generate import generate
from casework.geo.services import get_unit_by_code
from casework.reports.indicators import build_report
from casework.reports.periods import parse_period
from tests.conftest import post_form, query, unit_id
from tests.test_cases import edit_data, iso
from tests.test_obligations import cash_term, concluded, in_mediation, mediator, record_agreement

__all__ = ["mediator"]  # the fixture, used by name

ANSONGO = "GAO-ANSONGO-ANSONGO"


def units_of_rows(app, case_id: int) -> dict[str, set[int | None]]:
    agreements = sa.select(Agreement.id).where(Agreement.case_id == case_id)
    statements = {
        "sessions": sa.select(MediationSession.unit_id).where(MediationSession.case_id == case_id),
        "agreements": sa.select(Agreement.unit_id).where(Agreement.case_id == case_id),
        "terms": sa.select(AgreementTerm.unit_id).where(AgreementTerm.agreement_id.in_(agreements)),
        "visits": sa.select(FollowUp.unit_id).where(FollowUp.case_id == case_id),
    }
    return {name: set(query(app, statement).scalars()) for name, statement in statements.items()}


def report(app, area: str) -> dict:
    period = parse_period(f"{iso(today() - timedelta(days=30))}..{iso(today())}")
    with app.app_context():
        return build_report(period, get_unit_by_code(area)).as_json()["indicators"]


def figures(indicators: dict) -> dict:
    """What the report says of the case's sessions, agreement, term and visit."""
    return {
        "sessions": indicators["cases"]["by_mechanism"]
        .get("CONCILIATION_CHEF", {})
        .get("sessions", 0),
        "participants": indicators["inclusion"]["session_participants"],
        "agreements": indicators["timeliness"]["agreements_concluded"],
        "terms_due": indicators["obligations"]["terms_due"],
        "agreed": indicators["obligations"]["compensation_agreed_fcfa"],
        "outstanding": indicators["obligations"]["compensation_outstanding_fcfa"],
        "visits": indicators["compliance"]["follow_up_compliance"]["respected"]["d30"],
    }


MOVED = {
    "sessions": 1,
    "participants": 12,
    "agreements": 1,
    "terms_due": 1,
    "agreed": 70_000,
    "outstanding": 70_000,
    "visits": 1,
}
NOTHING = dict.fromkeys(MOVED, 0)


def test_a_case_moved_by_its_form_takes_its_records_to_the_new_area(app, client, mediator):
    walk = in_mediation(app, client, mediator)
    record_agreement(walk, cash_term(amount="70000", due=concluded()))
    walk.follow_up("respected")  # the D+30 visit, done today
    gao, ansongo = unit_id(app, "GAO-GAO-GAO"), unit_id(app, ANSONGO)
    before = units_of_rows(app, walk.case_id)
    assert before == {"sessions": {gao}, "agreements": {gao}, "terms": {gao}, "visits": {gao}}
    assert figures(report(app, "GAO-GAO")) == MOVED
    assert figures(report(app, "GAO-ANSONGO")) == NOTHING

    data = edit_data(app, client, walk.case_id)
    data.update(unit_id=str(ansongo), assigned_mediator_id=str(mediator.id))
    response = post_form(client, f"/cases/{walk.case_id}/edit", data)
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]

    assert query(app, sa.select(Case.unit_id).where(Case.id == walk.case_id)).scalar() == ansongo
    after = units_of_rows(app, walk.case_id)
    assert after == {
        "sessions": {ansongo},
        "agreements": {ansongo},
        "terms": {ansongo},
        "visits": {ansongo},
    }
    assert figures(report(app, "GAO-ANSONGO")) == MOVED
    assert figures(report(app, "GAO-GAO")) == NOTHING


def test_the_generators_records_carry_their_cases_unit(app):
    with app.app_context():
        generate(cases=300, seed=7, today=date(2026, 6, 30))
        db.session.commit()
        agreements = sa.select(Agreement.id, Agreement.case_id).subquery()
        mismatched = {}
        for name, model, case_id in (
            ("sessions", MediationSession, MediationSession.case_id),
            ("agreements", Agreement, Agreement.case_id),
            ("visits", FollowUp, FollowUp.case_id),
            ("referrals", Referral, Referral.case_id),
            ("terms", AgreementTerm, agreements.c.case_id),
        ):
            statement = sa.select(
                sa.func.count(),
                sa.func.count().filter(
                    sa.or_(model.unit_id.is_(None), model.unit_id != Case.unit_id)
                ),
            )
            if model is AgreementTerm:
                statement = statement.select_from(AgreementTerm).join(
                    agreements, agreements.c.id == AgreementTerm.agreement_id
                )
            statement = statement.join(Case, Case.id == case_id)
            rows, wrong = db.session.execute(statement).one()
            assert rows > 0, name
            mismatched[name] = wrong
    assert mismatched == dict.fromkeys(mismatched, 0)


def test_a_service_move_updates_the_records_loaded_in_the_same_session(app, client, mediator):
    walk = in_mediation(app, client, mediator)
    record_agreement(walk, cash_term(amount="70000", due=concluded()))
    ansongo = unit_id(app, ANSONGO)
    with app.app_context():
        case = db.session.get(Case, walk.case_id)
        sessions = db.session.scalars(
            sa.select(MediationSession).where(MediationSession.case_id == case.id)
        ).all()
        terms = [
            term
            for agreement in db.session.scalars(
                sa.select(Agreement).where(Agreement.case_id == case.id)
            )
            for term in agreement.terms
        ]
        case.unit_id = ansongo
        db.session.flush()
        assert {row.unit_id for row in [*sessions, *terms]} == {ansongo}
        db.session.rollback()
