"""Honest closure (issue 14): a mediator requests closing a case as resolved before its
follow-up allows it, a coordinator approves or returns the request; after a breach the
mediator renegotiates or closes and opens a recurrence; a recurrence starts at the level of
the authority that made the broken agreement.

The rule itself (``closure_blockers``) is in ``closure_rules``, read by ``transition``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from casework.auth.models import User
from casework.cases.access import area_clause, confidentiality_clause, in_area
from casework.cases.closure_models import PENDING, ClosureRequest
from casework.cases.enums import (
    BreachChoice,
    ClosureRequestStatus,
    EventKind,
)
from casework.cases.models import SHORT_TEXT_MAX, Agreement, Case, CaseEvent, MediationSession
from casework.cases.services.base import (
    CaseError,
    S,
    _event,
    _require_not_archived,
    check_few_words,
)
from casework.cases.services.closure_rules import (
    agreement_level,
    breach_found,
    closure_blockers,
    latest_agreement,
    pending_request,
)
from casework.cases.services.listing import not_archived
from casework.cases.services.sessions import open_linked_case
from casework.cases.services.workflow import transition
from casework.cases.states import CLOSED, allowed
from casework.core import checks
from casework.db import utcnow
from casework.extensions import db
from casework.i18n import _l
from casework.permissions import Action, Resource, can

APPROVED = ClosureRequestStatus.APPROVED.value
RETURNED = ClosureRequestStatus.RETURNED.value
DECISIONS = (APPROVED, RETURNED)


def can_approve(user: User, case: Case) -> bool:
    """A coordinator of the case's area, or an administrator."""
    return can(user, Resource.CASE, Action.APPROVE) and in_area(user, case.unit)


def request_closure(case: Case, reason: str | None, by: User) -> ClosureRequest:
    """A mediator asks to close the case as resolved although its follow-up does not allow
    it yet; the request waits for a coordinator."""
    _require_not_archived(case)
    if not allowed(case.status_enum, S.CLOTURE_RESOLU, None):
        raise CaseError(
            _l("A case is closed as resolved after an agreement, or on a referral's feedback.")
        )
    if pending_request(case) is not None:
        raise CaseError(_l("A closure request for this case is already awaiting approval."))
    if not closure_blockers(case):
        raise CaseError(
            _l("Nothing stops this case from being closed as resolved: close it directly.")
        )
    reason = check_few_words(reason, _l("The reason"))
    request = ClosureRequest(
        case_id=case.id, status=PENDING, reason=reason, requested_by_id=by.id, requested_at=utcnow()
    )
    db.session.add(request)
    _event(case, EventKind.CLOSURE_REQUEST, by, reason=reason)
    db.session.flush()
    return request


def decide_closure(
    request: ClosureRequest,
    decision: str | None,
    comment: str | None,
    by: User,
    *,
    on: date | None = None,
) -> ClosureRequest:
    """A coordinator approves the request (the case closes as resolved) or returns it with a
    comment (the case stays as it is). Nobody approves their own request."""
    case = request.case
    _require_not_archived(case)
    if request.status != PENDING:
        raise CaseError(_l("This closure request was already decided."))
    if decision not in DECISIONS:
        raise CaseError(_l("Approve the closure or return the request."))
    if not can_approve(by, case):
        raise CaseError(_l("Only a coordinator of the case's area approves its closure."))
    if decision == APPROVED and request.requested_by_id == by.id:
        raise CaseError(
            _l("Another coordinator or an administrator approves a closure you requested.")
        )
    if decision == RETURNED:
        comment = check_few_words(comment, _l("The comment"))
    else:
        comment = checks.optional_text(comment, _l("The comment"), SHORT_TEXT_MAX)
    request.status = decision
    request.decided_by_id = by.id
    request.decided_at = utcnow()
    request.comment = comment
    if decision == APPROVED:
        _event(case, EventKind.CLOSURE_APPROVED, by, reason=comment or request.reason)
        transition(case, S.CLOTURE_RESOLU, by, reason=request.reason, on=on, approved=True)
    else:
        _event(case, EventKind.CLOSURE_RETURNED, by, reason=comment)
    db.session.flush()
    return request


def pending_requests(user: User) -> list[ClosureRequest]:
    """The requests awaiting the user's decision: those of the cases of their area that
    they may see, oldest first."""
    return list(
        db.session.scalars(
            sa.select(ClosureRequest)
            .join(Case, ClosureRequest.case_id == Case.id)
            .where(
                ClosureRequest.status == PENDING,
                area_clause(user),
                confidentiality_clause(user),
                not_archived(),
            )
            .options(sa.orm.contains_eager(ClosureRequest.case))
            .order_by(ClosureRequest.requested_at, ClosureRequest.id)
        )
    )


def handle_breach(
    case: Case, choice: str | None, reason: str | None, by: User, *, on: date | None = None
) -> Case | None:
    """After a visit found the agreement not respected: renegotiate within the case (back to
    mediation), or close it unresolved and open a recurrence, which is returned."""
    _require_not_archived(case)
    if case.status not in (S.ACCORD.value, S.SUIVI.value) or breach_found(case) is None:
        raise CaseError(_l("This case has no breached agreement waiting for a decision."))
    checks.check_choice(BreachChoice, choice, _l("What to do"))
    reason = check_few_words(reason, _l("The reason"))
    if choice == BreachChoice.RENEGOTIATE.value:
        transition(case, S.EN_MEDIATION, by, reason=reason, on=on)
        return None
    transition(case, S.CLOTURE_NON_RESOLU, by, reason=reason, outcome="ECHEC", on=on)
    return open_recurrence(case, by, on=on, reason=reason)


def open_recurrence(
    case: Case, by: User, *, on: date | None = None, reason: str | None = None
) -> Case:
    """A new case for the same dispute, linked to the closed one, starting at the level of
    the authority that made the broken agreement (not at level 0)."""
    _require_not_archived(case)
    if not case.status_enum.is_closed:
        raise CaseError(_l("A recurrence is opened from a closed case."))
    reason = checks.optional_text(reason, _l("The reason"), SHORT_TEXT_MAX)
    still_open = db.session.scalars(
        sa.select(Case.reference)
        .where(Case.recurrence_of_id == case.id, Case.status.not_in([s.value for s in CLOSED]))
        .limit(1)
    ).first()
    if still_open is not None:
        raise CaseError(
            _l("This case already has an open recurrence: %(reference)s.", reference=still_open)
        )
    on = on or checks.today()
    checks.check_date(
        on,
        _l("The date of the recurrence"),
        not_before=case.closed_on or case.reported_on,
        not_before_label=_l("the date of the closure"),
    )
    level = agreement_level(case)
    breach = breach_found(case)
    if breach is not None:
        breach.recurrence = True
    recurrence = open_linked_case(case, by, recurrence=True, on=on)
    recurrence.ladder_level = level
    created = db.session.scalars(
        sa.select(CaseEvent).where(
            CaseEvent.case_id == recurrence.id, CaseEvent.kind == EventKind.CREATED.value
        )
    ).first()
    if created is not None:  # the case starts at that level: its path on the ladder too
        created.to_level = level
    _event(
        recurrence, EventKind.RECURRENCE, by, linked_case_id=case.id, to_level=level, reason=reason
    )
    db.session.flush()
    return recurrence


@dataclass
class EarlierAgreement:
    """The agreement a recurrence reopens, as its page shows it."""

    case: Case
    agreement: Agreement
    level: int
    session: MediationSession | None


def earlier_agreement(case: Case) -> EarlierAgreement | None:
    original = case.recurrence_of
    if original is None:
        return None
    agreement = latest_agreement(original)
    if agreement is None:
        return None
    session = (
        db.session.get(MediationSession, agreement.session_id) if agreement.session_id else None
    )
    return EarlierAgreement(original, agreement, agreement_level(original), session)


def closure_page(case: Case, user: User) -> dict:
    """What the case page shows of the closure: why it may not close as resolved yet, the
    pending request, the past requests, a breach awaiting a decision, the earlier
    agreement of a recurrence."""
    requests = list(
        db.session.scalars(
            sa.select(ClosureRequest)
            .where(ClosureRequest.case_id == case.id)
            .order_by(ClosureRequest.requested_at, ClosureRequest.id)
        )
    )
    pending = next((r for r in requests if r.status == PENDING), None)
    breach = breach_found(case) if case.status in (S.ACCORD.value, S.SUIVI.value) else None
    return {
        "closure_blockers": closure_blockers(case),
        "closure_requests": requests,
        "pending_closure": pending,
        "may_approve": pending is not None and can_approve(user, case),
        "breach_pending": breach is not None,
        "may_open_recurrence": case.status_enum.is_closed,
        "earlier": earlier_agreement(case),
    }
