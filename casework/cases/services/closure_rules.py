"""When a case may be closed as resolved, whether its agreement was breached, and the level
a recurrence starts at (issue 14). Read by the workflow (``transition``) and by the closure
services; it changes nothing."""

from __future__ import annotations

import sqlalchemy as sa

from casework.cases.closure_models import PENDING, ClosureRequest
from casework.cases.enums import Compliance, TermStatus
from casework.cases.models import Agreement, AgreementTerm, Case, FollowUp, MediationSession
from casework.extensions import db
from casework.i18n import _l

RESPECTED = Compliance.RESPECTED.value
NOT_RESPECTED = Compliance.NOT_RESPECTED.value


def latest_agreement(case: Case) -> Agreement | None:
    if case.id is None:
        return None
    return db.session.scalars(
        sa.select(Agreement)
        .where(Agreement.case_id == case.id)
        .order_by(Agreement.concluded_on.desc(), Agreement.id.desc())
        .limit(1)
    ).first()


def _visits(agreement: Agreement) -> list[FollowUp]:
    # The case too: the index on (case_id, agreement_id, due_on) serves it (the agreement
    # alone had none: at 100 000 cases every case page scanned the follow-ups, ≈25 ms).
    return list(
        db.session.scalars(
            sa.select(FollowUp)
            .where(FollowUp.case_id == agreement.case_id, FollowUp.agreement_id == agreement.id)
            .order_by(FollowUp.due_on, FollowUp.id)
        )
    )


def closure_blockers(case: Case) -> list[str]:
    """Why the case may not be closed as resolved without a coordinator's approval (empty:
    it may). One condition per line: the follow-up of its latest agreement must end with
    its last planned visit recorded as respected, and every term of that agreement must be
    fulfilled."""
    blockers = []
    agreement = latest_agreement(case)
    if agreement is not None:
        unfinished = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AgreementTerm)
            .where(
                AgreementTerm.agreement_id == agreement.id,
                AgreementTerm.status != TermStatus.DONE.value,
            )
        )
        if unfinished:
            blockers.append(
                _l("Terms of the agreement not fulfilled yet: %(count)s.", count=unfinished)
            )
    visits = _visits(agreement) if agreement is not None else []
    if visits:
        last = visits[-1]
        if last.done_on is None:
            blockers.append(
                _l(
                    "The last follow-up visit, planned for %(due)s, is not recorded yet.",
                    due=last.due_on.isoformat(),
                )
            )
        elif last.compliance != RESPECTED:
            blockers.append(
                _l(
                    "The last follow-up visit (%(done)s) did not find the agreement respected.",
                    done=last.done_on.isoformat(),
                )
            )
    return blockers


def breach_found(case: Case) -> FollowUp | None:
    """The visit that found the case's latest agreement not respected, if one did."""
    agreement = latest_agreement(case)
    if agreement is None:
        return None
    return next((v for v in _visits(agreement) if v.compliance == NOT_RESPECTED), None)


def pending_request(case: Case) -> ClosureRequest | None:
    if case.id is None:
        return None
    return db.session.scalars(
        sa.select(ClosureRequest)
        .where(ClosureRequest.case_id == case.id, ClosureRequest.status == PENDING)
        .limit(1)
    ).first()


def agreement_level(case: Case) -> int:
    """The ladder level of the authority that made the case's latest agreement: the level of
    the session that produced it, else the case's own level."""
    agreement = latest_agreement(case)
    if agreement is not None and agreement.session_id is not None:
        session = db.session.get(MediationSession, agreement.session_id)
        if session is not None:
            return session.ladder_level
    return case.ladder_level
