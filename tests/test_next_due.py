"""Each case's ``next_due_on`` (the earliest visit or term it owes, casework/cases/due.py)
stays equal to what its visits, terms and status say, whatever the web forms do to them; and
"Follow-ups due" and the dashboard read it (issue 19)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from casework.cases import due
from casework.cases.models import Agreement, AgreementTerm, Case, FollowUp
from casework.core.dates import today
from casework.extensions import db
from tests.conftest import query
from tests.test_cases import iso
from tests.test_obligations import (
    add_term,
    camels_term,
    cash_term,
    in_mediation,
    mark,
    pay,
    record_agreement,
    terms_of,
)


@pytest.fixture
def mediator(seeded, make_user, login):
    user = make_user("mediator", username="mariam", area="GAO")
    login(user)
    return user


def recomputed(app, case_id: int) -> date | None:
    """The earliest visit not made (agreement, follow-up, closed resolved) or term pending or
    partly done (agreement, follow-up) of the case, from its rows."""
    with app.app_context():
        status = db.session.scalar(sa.select(Case.status).where(Case.id == case_id))
        owed = []
        if status in ("ACCORD", "SUIVI", "CLOTURE_RESOLU"):
            owed += db.session.scalars(
                sa.select(FollowUp.due_on).where(
                    FollowUp.case_id == case_id, FollowUp.done_on.is_(None)
                )
            )
        if status in ("ACCORD", "SUIVI"):
            owed += db.session.scalars(
                sa.select(AgreementTerm.due_on)
                .join(Agreement, Agreement.id == AgreementTerm.agreement_id)
                .where(
                    Agreement.case_id == case_id,
                    AgreementTerm.status.in_(("pending", "partly_done")),
                    AgreementTerm.due_on.is_not(None),
                )
            )
        return min(owed, default=None)


def stored(app, case_id: int) -> date | None:
    return query(app, sa.select(Case.next_due_on).where(Case.id == case_id)).scalar_one()


def checked(app, case_id: int) -> date | None:
    """The case's stored value, once checked against its rows, and no case stale."""
    value = stored(app, case_id)
    assert value == recomputed(app, case_id)
    with app.app_context():
        assert due.stale_cases(db.session.connection()) == []
    return value


def breach(walk, choice: str, reason: str) -> None:
    """The mediator's choice after a breach (renegotiate, or close and open a recurrence)."""
    response = walk.post(f"/cases/{walk.case_id}/breach", {"choice": choice, "reason": reason})
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]


def test_next_due_follows_visits_terms_instalments_breach_and_recurrence(app, client, mediator):
    walk = in_mediation(app, client, mediator)
    assert checked(app, walk.case_id) is None  # in mediation: nothing owed

    action = {"description": "Excuses publiques", "kind": "action"}
    record_agreement(
        walk, cash_term(due=today() + timedelta(days=20)), {**action, "due_on": iso(today())}
    )
    assert walk.status() == "ACCORD"
    assert checked(app, walk.case_id) == today()  # the apologies, due today
    cash, apologies = terms_of(app, walk.case_id)

    pay(walk, cash.id, "40000")  # partly done: still owed
    assert checked(app, walk.case_id) == today()
    mark(walk, apologies.id, "done")
    after_apologies = checked(app, walk.case_id)
    assert after_apologies is not None and after_apologies > today()

    walk.follow_up("respected")  # the first visit made
    checked(app, walk.case_id)

    add_term(walk, app, camels_term(today() + timedelta(days=2)))
    assert checked(app, walk.case_id) == today() + timedelta(days=2)
    *_, camels = terms_of(app, walk.case_id)
    mark(walk, camels.id, "breached", note="Les chameaux ne sont pas rendus")
    assert checked(app, walk.case_id) != today() + timedelta(days=2)

    pay(walk, cash.id, "60000")  # paid in full: only the visits are owed
    with app.app_context():
        visits = db.session.scalars(
            sa.select(FollowUp.due_on).where(
                FollowUp.case_id == walk.case_id, FollowUp.done_on.is_(None)
            )
        ).all()
    assert visits and checked(app, walk.case_id) == min(visits)

    # A visit finds the agreement not respected: the case is closed unresolved (nothing
    # owed any more) and a recurrence opened.
    walk.follow_up("not_respected")
    checked(app, walk.case_id)
    breach(walk, "close_and_recur", "Les chameaux ne sont pas rendus.")
    assert walk.status() == "CLOTURE_NON_RESOLU"
    assert checked(app, walk.case_id) is None
    recurrence = query(
        app, sa.select(Case.id).where(Case.recurrence_of_id == walk.case_id)
    ).scalar_one()
    assert checked(app, recurrence) is None


def test_renegotiating_a_breached_agreement_owes_nothing_until_agreed_again(app, client, mediator):
    walk = in_mediation(app, client, mediator)
    record_agreement(walk, cash_term(due=today() + timedelta(days=3)))
    assert checked(app, walk.case_id) == today() + timedelta(days=3)
    walk.follow_up("not_respected")
    breach(walk, "renegotiate", "La famille demande un délai.")
    assert walk.status() == "EN_MEDIATION"
    # Its visits and term are still open, but a case in mediation owes none of them.
    assert checked(app, walk.case_id) is None
